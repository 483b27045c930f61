#include "print/pdfreport.h"

#include "print/compliancetables.h"
#include "print/statisticstables.h"
#include "print/ticketfont.h"
#include "core/examzone.h"

#include <QBuffer>
#include <QFontMetricsF>
#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>
#include <QTimeZone>

#include <algorithm>
#include <functional>
#include <numeric>

namespace kaodian::server {

namespace {

// A4 landscape at 254 dpi: one device unit is 0.1 mm.
constexpr int kDpi = 254;
constexpr qreal kLeft = 120;
constexpr qreal kTop = 120;
constexpr qreal kWidth = 2970 - 2 * kLeft;
constexpr qreal kBottom = 2100 - 130;
constexpr qreal kRowHeight = 52;
constexpr qreal kPad = 6;        // inside a cell, each side
constexpr qreal kMaxCell = 420;  // a long name is elided beyond this

const QColor kInk(20, 20, 20);
const QColor kMuted(90, 90, 90);
const QColor kRule(170, 170, 170);
const QColor kWarn(178, 34, 34);
const QColor kHeaderFill(235, 238, 242);

// Lays out pages: a cursor moving down, a new page (with the footer and the
// running header of a table) when the next thing does not fit.
class Sheet
{
public:
    Sheet(QPdfWriter &writer, QPainter &painter, TicketFont family, QString footer)
        : m_writer(writer), m_p(painter), m_family(std::move(family)), m_footer(std::move(footer))
    {
    }

    QFont face(qreal points, bool bold = false) const
    {
        QFont f = ticketTypeface(m_family);
        f.setPointSizeF(points);
        f.setBold(bold);
        f.setHintingPreference(QFont::PreferNoHinting);
        return f;
    }

    QFont headerFace() const { return face(7, true); }
    QFont cellFace() const { return face(7.5); }

    QList<qreal> columnWidths(const QStringList &titles, const QList<QList<ReportCell>> &rows) const
    {
        const QFontMetricsF head(headerFace(), &m_writer);
        const QFontMetricsF cell(cellFace(), &m_writer);
        QList<qreal> label, want;
        for (qsizetype i = 0; i < titles.size(); ++i) {
            qreal widest = 0;
            for (const auto &row : rows)
                widest = std::max(widest, cell.horizontalAdvance(row.value(i).text()));
            label << head.horizontalAdvance(titles[i]) + 2 * kPad + 4;
            want << std::max(label.last(), std::min(widest, kMaxCell) + 2 * kPad + 4);
        }
        const qreal total = std::accumulate(want.begin(), want.end(), 0.0);
        if (total <= kWidth) {
            for (auto &w : want)
                w *= kWidth / total;
            return want;
        }
        qreal slack = 0;
        for (qsizetype i = 0; i < want.size(); ++i)
            slack += want[i] - label[i];
        const qreal excess = total - kWidth;
        for (qsizetype i = 0; i < want.size(); ++i) {
            if (slack >= excess)
                want[i] -= (want[i] - label[i]) * excess / slack;
            else
                want[i] *= kWidth / total;
        }
        return want;
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

    // A report table's columns for people, widths from what they hold: each
    // column as wide as its label and its widest cell; when that is too wide
    // for the page, the columns whose cells are wider than their labels give
    // way (cells elided), so every label stays whole.
    void table(const ReportTable &table)
    {
        const QList<qsizetype> columns = table.peopleColumns();
        const QStringList titles = table.peopleLabels();
        QList<QList<ReportCell>> rows;
        for (qsizetype r = 0; r < table.rows.size(); ++r)
            rows.push_back(table.peopleRow(r));
        const QList<qreal> widths = columnWidths(titles, rows);
        auto rightAligned = [&](qsizetype i) {
            for (const auto &row : rows)
                if (i < row.size() && row[i].type() != CellType::Text)
                    return true;
            return false;
        };
        QList<Qt::Alignment> align;
        for (qsizetype i = 0; i < columns.size(); ++i)
            align << (rightAligned(i) ? Qt::AlignRight : Qt::AlignLeft);
        auto drawRow = [&](const QStringList &cells, bool header, bool warning) {
            if (header)
                m_p.fillRect(QRectF(kLeft, m_y, kWidth, kRowHeight), kHeaderFill);
            m_p.setFont(header ? headerFace() : cellFace());
            m_p.setPen(warning ? kWarn : kInk);
            qreal x = kLeft;
            for (qsizetype i = 0; i < widths.size(); ++i) {
                const QRectF box(x + kPad, m_y, widths[i] - 2 * kPad, kRowHeight);
                const QString text = i < cells.size() ? cells[i] : QString();
                const QString shown = m_p.fontMetrics().elidedText(text, Qt::ElideRight, int(box.width()));
                m_p.drawText(box, align[i] | Qt::AlignVCenter, shown);
                x += widths[i];
            }
            m_p.setPen(QPen(kRule, 1.5));
            m_p.drawLine(QPointF(kLeft, m_y + kRowHeight), QPointF(kLeft + kWidth, m_y + kRowHeight));
            m_y += kRowHeight;
        };
        ensure(2 * kRowHeight);
        drawRow(titles, true, false);
        for (qsizetype r = 0; r < rows.size(); ++r) {
            ensure(kRowHeight, [&] { drawRow(titles, true, false); });
            QStringList cells;
            for (const auto &c : rows[r])
                cells << c.text();
            drawRow(cells, false, table.warnings.value(r));
        }
        m_y += 40;
    }

    void space(qreal h) { m_y += h; }

private:
    QPdfWriter &m_writer;
    QPainter &m_p;
    TicketFont m_family;
    QString m_footer;
    qreal m_y = kTop;
    int m_page = 1;
};

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
    Sheet sheet(writer, painter, *font,
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

    const StatisticsTables tables = statisticsTables(report);
    sheet.heading(QStringLiteral("预警（%1 条）").arg(report.flags.size()));
    if (report.flags.isEmpty())
        sheet.paragraph(QStringLiteral("无预警。"));
    for (const auto &f : report.flags)
        sheet.paragraph(QStringLiteral("● ") + f.message, kWarn);
    sheet.space(20);

    sheet.heading(tables.sessions.title);
    sheet.table(tables.sessions);
    for (const ReportTable *group : {&tables.colleges, &tables.certificates, &tables.pilots}) {
        sheet.heading(QStringLiteral("%1合计").arg(group->title));
        sheet.table(*group);
    }
    sheet.finishPage();
    if (!painter.end())
        return QStringLiteral("无法生成 PDF");
    return bytes;
}

Result<QByteArray, QString> complianceToPdf(const ComplianceBoard &board, const PdfReportOptions &options)
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
    writer.setTitle(QStringLiteral("1+X 证书制度试点合规报告"));
    writer.setCreator(QStringLiteral("Kaodian 考点"));
    QPainter painter;
    if (!painter.begin(&writer))
        return QStringLiteral("无法生成 PDF");
    const QString generated = examClock(options.generatedAt, QStringLiteral("yyyy-MM-dd HH:mm"));
    Sheet sheet(writer, painter, *font,
                QStringLiteral("1+X 证书制度试点合规报告 · %1 · 生成于 %2（北京时间）").arg(options.scope, generated));
    sheet.heading(QStringLiteral("1+X 证书制度试点合规报告"), 18);
    int flags = 0;
    int warnings = 0;
    for (const auto &f : board.flags)
        (f.warning ? warnings : flags) += 1;
    sheet.paragraph(QStringLiteral("范围：%1　　截至：%2　　生成时间：%3（北京时间）　　违规 %4 项，预警 %5 项")
                        .arg(options.scope, board.today.toString(Qt::ISODate), generated)
                        .arg(flags)
                        .arg(warnings),
                    kMuted);
    sheet.paragraph(QStringLiteral("依《1+X 证书制度试点工作管理办法》逐条核对；单元格为“正常”“预警”“违规”，"
                                   "或其后案件的状态（待核查、核查中、整改中 …）；“—”表示该条款不涉及此对象。"),
                    kMuted, 8.5);
    sheet.space(20);
    const ReportTable flagTable = boardFlagTable(board);
    sheet.heading(QStringLiteral("%1（%2 项）").arg(flagTable.title).arg(flagTable.rows.size()));
    if (flagTable.rows.isEmpty())
        sheet.paragraph(QStringLiteral("无违规、无预警。"));
    for (const auto &f : board.flags)
        sheet.paragraph(QStringLiteral("● %1 %2").arg(f.article, f.message), f.warning ? kMuted : kWarn);
    sheet.space(20);
    const ReportTable table = boardTable(board);
    sheet.heading(table.title);
    sheet.table(table);
    sheet.finishPage();
    if (!painter.end())
        return QStringLiteral("无法生成 PDF");
    return bytes;
}

} // namespace kaodian::server
