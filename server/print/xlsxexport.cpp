#include "print/xlsxexport.h"

#include "print/statisticstables.h"

#include <QFile>
#include <QTemporaryDir>

#include <xlsxwriter.h>

namespace kaodian::server {

namespace {

// Writes rows of cells; numbers stay numbers so Excel can sum them.
class SheetWriter
{
public:
    SheetWriter(lxw_workbook *book, const char *name, lxw_format *bold)
        : m_sheet(workbook_add_worksheet(book, name)), m_bold(bold)
    {
    }
    void header(const QStringList &names)
    {
        for (int c = 0; c < names.size(); ++c) {
            worksheet_write_string(m_sheet, 0, static_cast<lxw_col_t>(c), names[c].toUtf8().constData(), m_bold);
            worksheet_set_column(m_sheet, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), 12, nullptr);
        }
        worksheet_freeze_panes(m_sheet, 1, 0);
        m_row = 1;
    }
    SheetWriter &text(const QString &s)
    {
        if (!s.isEmpty())
            worksheet_write_string(m_sheet, m_row, m_col, s.toUtf8().constData(), nullptr);
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

private:
    lxw_worksheet *m_sheet;
    lxw_format *m_bold;
    lxw_row_t m_row = 0;
    lxw_col_t m_col = 0;
};

void tableSheet(lxw_workbook *book, lxw_format *bold, const ReportTable &table)
{
    SheetWriter w(book, table.title.toUtf8().constData(), bold);
    w.header(table.peopleLabels());
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

QByteArray statisticsToXlsx(const StatisticsReport &report)
{
    QTemporaryDir dir;
    if (!dir.isValid())
        return {};
    const QByteArray path = QFile::encodeName(dir.filePath(QStringLiteral("statistics.xlsx")));
    lxw_workbook_options options{};
    const QByteArray tmp = QFile::encodeName(dir.path());
    options.tmpdir = const_cast<char *>(tmp.constData());
    lxw_workbook *book = workbook_new_opt(path.constData(), &options);
    if (!book)
        return {};
    lxw_format *bold = workbook_add_format(book);
    format_set_bold(bold);

    const StatisticsTables tables = statisticsTables(report);
    for (const ReportTable *table : {&tables.sessions, &tables.pilots, &tables.certificates, &tables.colleges, &tables.flags})
        tableSheet(book, bold, *table);
    if (workbook_close(book) != LXW_NO_ERROR)
        return {};
    QFile f(QString::fromUtf8(path));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

} // namespace kaodian::server
