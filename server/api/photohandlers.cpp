// The photo and site-paper routes (docs/api.md, "Photos" and "Site paper"):
// import a ZIP of candidates' photos, a kiosk fetching the photos its
// package names, and a session's 签到表 / 考场门贴 / 考场记录单 as PDF.

#include "api/api.h"
#include "office/packagebuilder.h"
#include "office/photos.h"
#include "office/sitepaper.h"

#include "core/examzone.h"

#include <QJsonArray>

namespace kaodian::server {

namespace {

HttpResponse noKey()
{
    return errorResponse(503, QStringLiteral("store_unavailable"), QStringLiteral("服务器未配置准考证签名密钥"));
}

} // namespace

HttpResponse Api::importPhotos(ApiContext &ctx)
{
    if (!m_config.ticketKey)
        return noKey();
    const QString fileName = ctx.query.queryItemValue(QStringLiteral("file_name"), QUrl::FullyDecoded).left(200);
    if (fileName.isEmpty())
        return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("请在 file_name 参数中给出文件名"));
    auto summary = office::importPhotos(ctx.store, *m_config.ticketKey, ctx.request.body, fileName, ctx.caller.actor());
    if (!summary)
        return officeFailure(summary.error());
    return jsonResponse(200, {{"photos", summary->photos},
                              {"added", summary->applied.added},
                              {"replaced", summary->applied.replaced},
                              {"unchanged", summary->applied.unchanged}});
}

HttpResponse Api::kioskPhotos(ApiContext &ctx)
{
    if (!m_config.ticketKey)
        return noKey();
    const auto body = jsonBody(ctx.request);
    if (!body || !body->value("sha256").isArray())
        return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("请求须为 {\"sha256\": [...]}"));
    const QJsonArray asked = body->value("sha256").toArray();
    if (asked.size() > 200)
        return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("一次最多取 200 张照片"));
    QStringList wanted;
    for (const auto &v : asked)
        wanted.push_back(v.toString().toLower());
    QDate date = QDate::fromString(ctx.query.queryItemValue("date"), Qt::ISODate);
    if (!date.isValid())
        date = examDate(now());
    const KioskRecord &kiosk = *ctx.caller.kiosk;
    auto photos = office::kioskPhotos(ctx.store, kiosk.siteId, kiosk.roomCode, date, *m_config.ticketKey, wanted);
    if (!photos)
        return storeFailure(photos.error());
    QJsonObject out;
    for (auto it = photos->cbegin(); it != photos->cend(); ++it)
        out.insert(it.key(), QString::fromLatin1(it.value().toBase64()));
    return jsonResponse(200, {{"photos", out}});
}

HttpResponse Api::sitePaper(ApiContext &ctx)
{
    if (!m_config.ticketKey)
        return noKey();
    const QString name = ctx.params.value(QStringLiteral("paper"));
    const QString kindName = name.endsWith(QLatin1String(".pdf")) ? name.chopped(4) : name;
    const auto kind = office::sitePaperKind(kindName);
    if (!kind)
        return errorResponse(404, QStringLiteral("not_found"), QStringLiteral("只有 signin.pdf、door.pdf、record.pdf"));
    const QString room = ctx.query.queryItemValue(QStringLiteral("room"), QUrl::FullyDecoded).trimmed().left(40);
    auto printed = office::printSitePaper(ctx.store, *m_config.ticketKey, *kind, ctx.sessionId, room, ctx.caller.actor());
    if (!printed)
        return officeFailure(printed.error());
    const QByteArray file = kindName.toLatin1() + "-session-" + QByteArray::number(ctx.sessionId)
        + (room.isEmpty() ? QByteArray() : "-room-" + QUrl::toPercentEncoding(room)) + ".pdf";
    return fileResponse("application/pdf", "attachment; filename=\"" + file + "\"", printed->pdf);
}

} // namespace kaodian::server
