#include "print/ticketfont.h"

#include <QFile>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QLoggingCategory>
#include <QMutex>
#include <QProcess>
#include <QStandardPaths>

namespace kaodian::server {

Q_LOGGING_CATEGORY(lcTicketFont, "kaodian.tickets.font", QtWarningMsg)

namespace {

const char *const kDebianPaths[] = {
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
};

const char *const kFamilies[] = {"WenQuanYi Micro Hei", "WenQuanYi Zen Hei"};

// HanaMinA covers the URO and Extension A, HanaMinB Extension B and beyond.
const char *const kFallbackPaths[] = {
    "/usr/share/fonts/truetype/hanazono/HanaMinA.ttf",
    "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf",
};
const char *const kFallbackFamilies[] = {"HanaMinA", "HanaMinB"};

QString fcMatch(const QString &family)
{
    const QString fcMatchProgram = QStandardPaths::findExecutable(QStringLiteral("fc-match"));
    if (fcMatchProgram.isEmpty())
        return {};
    QProcess p;
    p.start(fcMatchProgram, {QStringLiteral("-f"), QStringLiteral("%{family}\t%{file}"), family});
    if (!p.waitForFinished(5000))
        return {};
    const QStringList parts = QString::fromUtf8(p.readAllStandardOutput()).split(QLatin1Char('\t'));
    // fc-match always answers with something; only take the family asked for.
    if (parts.size() != 2 || !parts[0].split(QLatin1Char(',')).contains(family))
        return {};
    return parts[1].trimmed();
}

QMutex g_mutex;
std::optional<TicketFont> g_font; // guarded by g_mutex

} // namespace

QStringList ticketFontCandidates()
{
    QStringList out;
    const QString fromEnv = qEnvironmentVariable("KAODIAN_TICKET_FONT");
    if (!fromEnv.isEmpty())
        out.push_back(fromEnv);
    bool anyFound = !fromEnv.isEmpty() && QFileInfo(fromEnv).isFile();
    for (const char *path : kDebianPaths) {
        out.push_back(QString::fromLatin1(path));
        anyFound = anyFound || QFileInfo(out.back()).isFile();
    }
    if (anyFound) // no need to ask fontconfig
        return out;
    for (const char *family : kFamilies) {
        const QString file = fcMatch(QString::fromLatin1(family));
        // TrueType outlines (glyf): Qt embeds a subset as a TrueType font.
        if ((file.endsWith(QLatin1String(".ttc")) || file.endsWith(QLatin1String(".ttf")))
            && !out.contains(file))
            out.push_back(file);
    }
    return out;
}

QStringList fallbackFontCandidates()
{
    QStringList out;
    for (const QString &file : qEnvironmentVariable("KAODIAN_FALLBACK_FONTS").split(QLatin1Char(':'), Qt::SkipEmptyParts))
        out.push_back(file);
    bool anyFound = false;
    for (const char *path : kFallbackPaths) {
        out.push_back(QString::fromLatin1(path));
        anyFound = anyFound || QFileInfo(out.back()).isFile();
    }
    if (anyFound)
        return out;
    for (const char *family : kFallbackFamilies) {
        const QString file = fcMatch(QString::fromLatin1(family));
        if (file.endsWith(QLatin1String(".ttf")) && !out.contains(file))
            out.push_back(file);
    }
    return out;
}

QFont ticketTypeface(const TicketFont &font)
{
    QFont f(font.family);
    f.setFamilies(QStringList{font.family} + font.fallbacks);
    return f;
}

namespace {

// Loads each fallback file found; their families, in order.
QStringList loadFallbacks()
{
    QStringList families;
    for (const QString &file : fallbackFontCandidates()) {
        if (!QFileInfo(file).isFile())
            continue;
        const int id = QFontDatabase::addApplicationFont(file);
        if (id < 0) {
            qCWarning(lcTicketFont) << "cannot load fallback font" << file;
            continue;
        }
        for (const QString &f : QFontDatabase::applicationFontFamilies(id))
            if (!families.contains(f))
                families.push_back(f);
    }
    if (families.isEmpty())
        qCWarning(lcTicketFont) << "no fallback font for rare characters (CJK Extension B): names such as 李𪚥 print"
                                   " as a missing-glyph box; install the Debian package fonts-hanazono";
    return families;
}

} // namespace

Result<TicketFont, QString> ticketFont()
{
    QMutexLocker lock(&g_mutex);
    if (g_font)
        return *g_font;
    if (!qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        return QStringLiteral("排版准考证需要 QGuiApplication（字体库）");
    const QStringList candidates = ticketFontCandidates();
    for (const QString &file : candidates) {
        if (!QFileInfo(file).isFile())
            continue;
        const int id = QFontDatabase::addApplicationFont(file);
        if (id < 0) {
            qCWarning(lcTicketFont) << "cannot load font" << file;
            continue;
        }
        const QStringList families = QFontDatabase::applicationFontFamilies(id);
        QString family;
        for (const QString &f : families)
            if (!f.contains(QLatin1String("Mono")))
                family = f;
        if (family.isEmpty() && !families.isEmpty())
            family = families.first();
        if (family.isEmpty())
            continue;
        g_font = TicketFont {family, file, loadFallbacks()};
        qCDebug(lcTicketFont) << "ticket font" << family << "from" << file;
        return *g_font;
    }
    return QStringLiteral(
        "找不到准考证所用的中文字体（已找过：%1）。请安装 Debian 软件包 fonts-wqy-microhei"
        "（apt-get install fonts-wqy-microhei），或以 KAODIAN_TICKET_FONT 指定一个 TrueType 中文字体文件")
        .arg(candidates.join(QStringLiteral("、")));
}

} // namespace kaodian::server
