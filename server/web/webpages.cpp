#include "web/webpages.h"

#include "api/api.h"
#include "print/ticketfont.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QUrl>

namespace kaodian::server {

namespace {

const QString kRoot = QStringLiteral(":/web/static/");

// What the pages may load: only this server; styles may be set by scripts
// (ECharts positions its tooltip with a style attribute).
const QByteArray kPageCsp = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
                            "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                            "form-action 'self'; frame-ancestors 'none'";

QByteArray contentTypeOf(const QString &path)
{
    if (path.endsWith(QLatin1String(".html")))
        return "text/html; charset=utf-8";
    if (path.endsWith(QLatin1String(".js")) || path.endsWith(QLatin1String(".mjs")))
        return "text/javascript; charset=utf-8";
    if (path.endsWith(QLatin1String(".css")))
        return "text/css; charset=utf-8";
    if (path.endsWith(QLatin1String(".svg")))
        return "image/svg+xml";
    if (path.endsWith(QLatin1String(".csv")))
        return "text/csv; charset=utf-8";
    return "application/octet-stream";
}

// The application's own paths; anything else is a 404 page.
bool isAppPath(const QString &path)
{
    static const QStringList prefixes{QStringLiteral("/sessions/"), QStringLiteral("/pilots/"),
                                      QStringLiteral("/colleges/"), QStringLiteral("/certificates/"),
                                      QStringLiteral("/admin/"), QStringLiteral("/cases/")};
    if (path == QLatin1String("/") || path == QLatin1String("/login") || path == QLatin1String("/admin")
        || path == QLatin1String("/compliance") || path == QLatin1String("/data") || path == QLatin1String("/reports")
        || path == QLatin1String("/cases"))
        return true;
    for (const auto &p : prefixes)
        if (path.startsWith(p) && path.size() > p.size())
            return true;
    return false;
}

HttpResponse htmlError(int status, const QString &message)
{
    HttpResponse r;
    r.status = status;
    r.contentType = "text/html; charset=utf-8";
    r.body = QStringLiteral("<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>考点 · %1</title>"
                            "<p>%2</p><p><a href=\"/\">返回首页</a></p></html>")
                 .arg(status)
                 .arg(message)
                 .toUtf8();
    return r;
}

} // namespace

WebPages::WebPages()
{
    QDirIterator it(kRoot, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        Asset a;
        a.body = f.readAll();
        a.contentType = contentTypeOf(file);
        a.etag = '"' + QCryptographicHash::hash(a.body, QCryptographicHash::Sha256).toHex().left(32) + '"';
        m_assets.insert(file.mid(kRoot.size()), std::move(a));
    }
    for (const QString &file : fallbackFontCandidates()) {
        const QFileInfo info(file);
        if (info.isFile() && info.suffix().compare(QLatin1String("ttf"), Qt::CaseInsensitive) == 0
            && !m_fonts.contains(info.fileName()))
            m_fonts.insert(info.fileName(), file);
    }
}

HttpResponse WebPages::font(const HttpRequest &request, const QString &name) const
{
    const auto found = m_fonts.constFind(name);
    if (found == m_fonts.constEnd())
        return htmlError(404, QStringLiteral("没有这个字体"));
    const QFileInfo info(*found);
    // The file's size and time stand for its content: the font is a
    // Debian package's file, changed only by an upgrade.
    const QByteArray etag = '"' + QByteArray::number(info.size(), 16) + '-'
                            + QByteArray::number(info.lastModified().toSecsSinceEpoch(), 16) + '"';
    HttpResponse r;
    r.contentType = "font/ttf";
    r.headers.push_back({"Cache-Control", "public, max-age=604800"});
    r.headers.push_back({"ETag", etag});
    for (const QByteArray &tag : request.headers.value("if-none-match").split(','))
        if (tag.trimmed() == etag) {
            r.status = 304;
            return r;
        }
    QFile f(*found);
    if (!f.open(QIODevice::ReadOnly))
        return htmlError(404, QStringLiteral("没有这个字体"));
    r.body = f.readAll();
    return r;
}

HttpResponse WebPages::handle(const HttpRequest &request) const
{
    if (request.method != "GET" && request.method != "HEAD") {
        HttpResponse r = htmlError(405, QStringLiteral("此页面只能查看"));
        r.headers.push_back({"Allow", "GET, HEAD"});
        return r;
    }
    const QString path = QUrl(QString::fromUtf8(request.target)).path();
    if (path.startsWith(QLatin1String("/static/fonts/")))
        return font(request, path.mid(14));
    QString asset;
    if (path.startsWith(QLatin1String("/static/")))
        asset = path.mid(8);
    else if (isAppPath(path))
        asset = QStringLiteral("index.html");
    else if (path == QLatin1String("/favicon.ico"))
        asset = QStringLiteral("favicon.svg");
    const auto found = m_assets.constFind(asset);
    if (asset.isEmpty() || found == m_assets.constEnd())
        return htmlError(404, QStringLiteral("没有这个页面"));

    HttpResponse r;
    r.contentType = found->contentType;
    r.headers.push_back({"Content-Security-Policy", kPageCsp});
    if (asset == QLatin1String("index.html")) {
        // The shell is tiny; always fresh, so a new server version shows at once.
        r.headers.push_back({"Cache-Control", "no-store"});
    } else {
        // Scripts and styles: revalidated each time, answered 304 when unchanged.
        r.headers.push_back({"Cache-Control", "no-cache"});
        r.headers.push_back({"ETag", found->etag});
        const QByteArray match = request.headers.value("if-none-match");
        for (const QByteArray &tag : match.split(','))
            if (tag.trimmed() == found->etag) {
                r.status = 304;
                return r;
            }
    }
    r.body = found->body;
    return r;
}

HttpHandler serverHandler(Api &api, const WebPages &pages)
{
    return [&api, &pages](const HttpRequest &request) {
        if (request.target.startsWith("/api/"))
            return api.handle(request);
        return pages.handle(request);
    };
}

} // namespace kaodian::server
