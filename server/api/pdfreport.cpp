#include "api/pdfreport.h"

#include "tickets/ticketfont.h"
#include "core/examzone.h"

#include <QBuffer>
#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>
#include <QTimeZone>

#include <functional>

namespace kaodian::server {

namespace {

// A4 landscape at 254 dpi: one device unit is 0.1 mm.
constexpr int kDpi = 254;
constexpr qreal kLeft = 120;
constexpr qreal kTop = 120;
constexpr qreal kWidth = 2970 - 2 * kLeft;
constexpr qreal kBottom = 2100 - 130;
constexpr qreal kRowHeight = 52;

const QColor kInk(20, 20, 20);
const QColor kMuted(90, 90, 90);
const QColor kRule(170, 170, 170);
const QColor kWarn(178, 34, 34);
const QColor kHeaderFill(235, 238, 242);

struct Column
{
    QString title;
    qreal width; // share of the table width, in units
    Qt::Alignment align;
};

// Lays out pages: a cursor moving down, a new page (with the footer and the
// running header of a table) when the next thing does not fit.
class Sheet
{
public:
    Sheet(QPdfWriter &writer, QPainter &painter, QString family, QString footer)
        : m_writer(writer), m_p(painter), m_family(std::move(family)), m_footer(std::move(footer))
    {
    }

    QFont face(qreal points, bool bold = false) const
    {
        QFont f(m_family);
        f.setPointSizeF(points);
        f.setBold(bold);
        f.setHintingPreference(QFont::PreferNoHinting);
        return f;
    }

    void ensure(qreal height, const std::function<void()> &onNewPage = {})
    {
        if (m_y + height <= kBottom)
            return;
        finishPage();
        m_writer.newPage();
        ++m_page;
        m_y = kTop;
        if (onNewPage)
            onNewPage();
    }

    void finishPage()
    {
        m_p.setFont(face(7.5));
        m_p.setPen(kMuted);
        m_p.drawText(QRectF(kLeft, kBottom + 30, kWidth, 60), Qt::AlignLeft | Qt::AlignVCenter, m_footer);
        m_p.drawText(QRectF(kLeft, kBottom + 30, kWidth, 60), Qt::AlignRight | Qt::AlignVCenter,
                     QStringLiteral("第 %1 页").arg(m_page));
    }

    void heading(const QString &text, qreal points = 13)
    {
        ensure(120);
        m_p.setFont(face(points, true));
        m_p.setPen(kInk);
        m_p.drawText(QRectF(kLeft, m_y, kWidth, 90), Qt::AlignLeft | Qt::AlignBottom, text);
        m_y += 110;
    }

    void paragraph(const QString &text, const QColor &colour = kInk, qreal points = 9.5)
    {
        m_p.setFont(face(points));
        const QRectF bound = m_p.boundingRect(QRectF(kLeft, 0, kWidth, 10000), Qt::TextWordWrap, text);
        ensure(bound.height() + 12);
        m_p.setPen(colour);
        m_p.drawText(QRectF(kLeft, m_y, kWidth, bound.height()), Qt::TextWordWrap | Qt::AlignLeft, text);
        m_y += bound.height() + 12;
    }

    void table(const QList<Column> &columns, const QList<QStringList> &rows, const QList<bool> &warn = {})
    {
        qreal total = 0;
        for (const auto &c : columns)
            total += c.width;
        const qreal scale = kWidth / total;
        auto drawRow = [&](const QStringList &cells, bool header, bool warning) {
            if (header) {
                m_p.fillRect(QRectF(kLeft, m_y, kWidth, kRowHeight), kHeaderFill);
            }
            m_p.setFont(face(header ? 7.5 : 8, header));
            m_p.setPen(warning ? kWarn : kInk);
            qreal x = kLeft;
            for (qsizetype i = 0; i < columns.size(); ++i) {
                const qreal w = columns[i].width * scale;
                const QRectF box(x + 8, m_y, w - 16, kRowHeight);
                const QString text = i < cells.size() ? cells[i] : QString();
                const QString shown = m_p.fontMetrics().elidedText(text, Qt::ElideRight, int(box.width()));
                m_p.drawText(box, columns[i].align | Qt::AlignVCenter, shown);
                x += w;
            }
            m_p.setPen(QPen(kRule, 1.5));
            m_p.drawLine(QPointF(kLeft, m_y + kRowHeight), QPointF(kLeft + kWidth, m_y + kRowHeight));
            m_y += kRowHeight;
        };
        QStringList titles;
        for (const auto &c : columns)
            titles << c.title;
        ensure(2 * kRowHeight);
        drawRow(titles, true, false);
        for (qsizetype r = 0; r < rows.size(); ++r) {
            ensure(kRowHeight, [&] { drawRow(titles, true, false); });
            drawRow(rows[r], false, r < warn.size() && warn[r]);
        }
        m_y += 40;
    }

    void space(qreal h) { m_y += h; }

private:
    QPdfWriter &m_writer;
    QPainter &m_p;
    QString m_family;
    QString m_footer;
    qreal m_y = kTop;
    int m_page = 1;
};

QString count(const std::optional<int> &v)
{
    return v ? QString::number(*v) : QStringLiteral("未公布");
}

QStringList groupRow(const GroupStats &g)
{
    return {g.name,
            QString::number(g.sessions),
            QString::number(g.published) + (g.sessionsWithoutPublished ? QStringLiteral("（%1 场未公布）").arg(g.sessionsWithoutPublished) : QString()),
            QString::number(g.registered),
            QString::number(g.sat),
            QString::number(g.absent),
            QString::number(g.excused),
            QString::number(g.passed),
            QString::number(g.failed),
            formatPercent(g.sat, g.published),
            formatPercent(g.passed, g.sat)};
}

} // namespace

Result<QByteArray, QString> statisticsToPdf(const StatisticsReport &report, const PdfReportOptions &options)
{
    auto font = ticketFont();
    if (!font)
        return font.error();
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    writer.setResolution(kDpi);
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Landscape, QMarginsF(0, 0, 0, 0)));
    writer.setTitle(QStringLiteral("1+X 证书考试统计报告"));
    writer.setCreator(QStringLiteral("Kaodian 考点"));
    QPainter painter;
    if (!painter.begin(&writer))
        return QStringLiteral("无法生成 PDF");
    const QString generated = examClock(options.generatedAt, QStringLiteral("yyyy-MM-dd HH:mm"));
    Sheet sheet(writer, painter, font->family,
                QStringLiteral("1+X 证书考试统计报告 · %1 · 生成于 %2（北京时间）").arg(options.scope, generated));

    sheet.heading(QStringLiteral("1+X 证书考试统计报告"), 18);
    sheet.paragraph(QStringLiteral("范围：%1　　生成时间：%2（北京时间）　　场次 %3 个")
                        .arg(options.scope, generated)
                        .arg(report.sessions.size()),
                    kMuted);
    sheet.paragraph(QStringLiteral("参考率 = 参加考试人数 ÷ 公布考试人数；通过率 = 通过人数 ÷ 参加考试人数。"
                                   "依《1+X 证书制度试点工作管理办法》第七条(五)、(六)，低于 30% 的情形列为预警。"),
                    kMuted, 8.5);
    sheet.space(20);

    sheet.heading(QStringLiteral("预警（%1 条）").arg(report.flags.size()));
    if (report.flags.isEmpty())
        sheet.paragraph(QStringLiteral("无预警。"));
    for (const auto &f : report.flags)
        sheet.paragraph(QStringLiteral("● ") + f.message, kWarn);
    sheet.space(20);

    sheet.heading(QStringLiteral("场次"));
    const QList<Column> sessionColumns{
        {QStringLiteral("场次"), 90, Qt::AlignLeft},      {QStringLiteral("日期"), 170, Qt::AlignLeft},
        {QStringLiteral("时间"), 90, Qt::AlignLeft},      {QStringLiteral("二级学院"), 250, Qt::AlignLeft},
        {QStringLiteral("证书"), 340, Qt::AlignLeft},     {QStringLiteral("等级"), 80, Qt::AlignLeft},
        {QStringLiteral("考点"), 220, Qt::AlignLeft},     {QStringLiteral("公布"), 100, Qt::AlignRight},
        {QStringLiteral("报名"), 90, Qt::AlignRight},     {QStringLiteral("参考"), 90, Qt::AlignRight},
        {QStringLiteral("缺考"), 90, Qt::AlignRight},     {QStringLiteral("免考"), 90, Qt::AlignRight},
        {QStringLiteral("通过"), 90, Qt::AlignRight},     {QStringLiteral("未通过"), 100, Qt::AlignRight},
        {QStringLiteral("参考率"), 120, Qt::AlignRight},  {QStringLiteral("通过率"), 120, Qt::AlignRight},
        {QStringLiteral("成绩"), 90, Qt::AlignLeft}};
    QList<QStringList> rows;
    QList<bool> warn;
    for (const auto &s : report.sessions) {
        const auto &t = s.tally;
        rows.push_back({QStringLiteral("#%1").arg(t.sessionId), t.examDate.toString(Qt::ISODate),
                        t.startTime.toString("HH:mm"), s.collegeName, s.certificateName, levelName(s.level), s.siteName,
                        count(t.publishedCount), QString::number(t.registered), QString::number(t.sat),
                        QString::number(t.absent), QString::number(t.excused), QString::number(t.passed),
                        QString::number(t.failed), formatPercent(t.sat, t.publishedCount.value_or(0)),
                        formatPercent(t.passed, t.sat), t.resultsFinal ? QStringLiteral("已确认") : QStringLiteral("未确认")});
        warn.push_back(s.participation != ParticipationVerdict::Ok);
    }
    sheet.table(sessionColumns, rows, warn);

    const QList<Column> groupColumns{
        {QString(), 520, Qt::AlignLeft},                 {QStringLiteral("场次"), 90, Qt::AlignRight},
        {QStringLiteral("公布"), 260, Qt::AlignRight},    {QStringLiteral("报名"), 110, Qt::AlignRight},
        {QStringLiteral("参考"), 110, Qt::AlignRight},    {QStringLiteral("缺考"), 110, Qt::AlignRight},
        {QStringLiteral("免考"), 110, Qt::AlignRight},    {QStringLiteral("通过"), 110, Qt::AlignRight},
        {QStringLiteral("未通过"), 110, Qt::AlignRight},  {QStringLiteral("参考率"), 140, Qt::AlignRight},
        {QStringLiteral("通过率"), 140, Qt::AlignRight}};
    auto groupTable = [&](const QString &title, const QString &first, const QList<GroupStats> &groups) {
        sheet.heading(title);
        QList<Column> columns = groupColumns;
        columns[0].title = first;
        QList<QStringList> groupRows;
        for (const auto &g : groups)
            groupRows.push_back(groupRow(g));
        sheet.table(columns, groupRows);
    };
    groupTable(QStringLiteral("二级学院合计"), QStringLiteral("二级学院"), report.colleges);
    groupTable(QStringLiteral("证书合计"), QStringLiteral("证书"), report.certificates);
    sheet.finishPage();
    if (!painter.end())
        return QStringLiteral("无法生成 PDF");
    return bytes;
}

} // namespace kaodian::server
