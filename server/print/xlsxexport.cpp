#include "print/xlsxexport.h"

#include "print/spreadsheettext.h"
#include "print/statisticstables.h"

#include <QFile>
#include <QTemporaryDir>

#include <algorithm>

#include <xlsxwriter.h>

namespace kaodian::server {

namespace {

// Display width of a text in Excel's character units: CJK counts double.
double displayWidth(const QString &s)
{
    double w = 0;
    for (const char32_t c : s.toUcs4())
        w += c >= 0x2E80 ? 2 : 1;
    return w;
}

// Writes rows of cells; numbers stay numbers so Excel can sum them, and
// every text is written as a string cell (an ID or ticket number keeps its
// leading zeros and never turns into 3.5E+17), neutralised against
// formulas (spreadsheettext.h).
class SheetWriter
{
public:
    SheetWriter(lxw_workbook *book, const char *name, lxw_format *bold)
        : m_sheet(workbook_add_worksheet(book, name)), m_bold(bold)
    {
    }
    void header(const QStringList &names)
    {
        for (int c = 0; c < names.size(); ++c)
            worksheet_write_string(m_sheet, 0, static_cast<lxw_col_t>(c),
                                   spreadsheetSafeText(names[c]).toUtf8().constData(), m_bold);
        worksheet_freeze_panes(m_sheet, 1, 0);
        m_row = 1;
    }
    SheetWriter &text(const QString &s)
    {
        if (!s.isEmpty())
            worksheet_write_string(m_sheet, m_row, m_col, spreadsheetSafeText(s).toUtf8().constData(), nullptr);
        ++m_col;
        return *this;
    }
    SheetWriter &number(double v)
    {
        worksheet_write_number(m_sheet, m_row, m_col++, v, nullptr);
        return *this;
    }
    void endRow()
    {
        ++m_row;
        m_col = 0;
    }
    void width(int col, double chars)
    {
        worksheet_set_column(m_sheet, static_cast<lxw_col_t>(col), static_cast<lxw_col_t>(col), chars, nullptr);
    }

private:
    lxw_worksheet *m_sheet;
    lxw_format *m_bold;
    lxw_row_t m_row = 0;
    lxw_col_t m_col = 0;
};

void tableSheet(lxw_workbook *book, lxw_format *bold, const ReportTable &table)
{
    SheetWriter w(book, table.title.toUtf8().constData(), bold);
    const QStringList labels = table.peopleLabels();
    w.header(labels);
    // Each column as wide as its longest text (12 to 40), so IDs show whole.
    QList<double> widths;
    for (const auto &l : labels)
        widths << std::max(12.0, displayWidth(l) + 2);
    for (qsizetype r = 0; r < table.rows.size(); ++r) {
        const auto cells = table.peopleRow(r);
        for (qsizetype c = 0; c < cells.size() && c < widths.size(); ++c)
            widths[c] = std::min(40.0, std::max(widths[c], displayWidth(cells[c].text()) + 2));
    }
    for (qsizetype c = 0; c < widths.size(); ++c)
        w.width(static_cast<int>(c), widths[c]);
    for (qsizetype r = 0; r < table.rows.size(); ++r) {
        for (const auto &cell : table.peopleRow(r)) {
            if (cell.type() == CellType::Count)
                w.number(double(cell.count()));
            else
                w.text(cell.text());
        }
        w.endRow();
    }
}

} // namespace

QByteArray reportTablesToXlsx(const QList<const ReportTable *> &tables)
{
    QTemporaryDir dir;
    if (!dir.isValid())
        return {};
    const QByteArray path = QFile::encodeName(dir.filePath(QStringLiteral("export.xlsx")));
    lxw_workbook_options options{};
    const QByteArray tmp = QFile::encodeName(dir.path());
    options.tmpdir = const_cast<char *>(tmp.constData());
    lxw_workbook *book = workbook_new_opt(path.constData(), &options);
    if (!book)
        return {};
    lxw_format *bold = workbook_add_format(book);
    format_set_bold(bold);

    for (const ReportTable *table : tables)
        tableSheet(book, bold, *table);
    if (workbook_close(book) != LXW_NO_ERROR)
        return {};
    QFile f(QString::fromUtf8(path));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

QByteArray statisticsToXlsx(const StatisticsReport &report)
{
    const StatisticsTables tables = statisticsTables(report);
    return reportTablesToXlsx({&tables.sessions, &tables.pilots, &tables.certificates, &tables.colleges, &tables.flags});
}

} // namespace kaodian::server
