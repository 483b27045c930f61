#pragma once

// One report table: columns (a JSON key and a Chinese label) and rows of
// cells, each cell with its type, the text a person reads and the value JSON
// carries. The statistics are built into these tables once
// (statisticstables.h); the JSON writer, the CSV, the Excel workbook and the
// PDF report all draw from them, so a label or a word is written in one place.
// Thread-safety: plain values; a table may be read from several threads at
// once, and built on one.

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <cstdint>
#include <utility>

namespace kaodian::server {

// What a cell holds, which decides how each format writes it.
enum class CellType : std::uint8_t {
    Text,    // words, names, dates, times: text everywhere, left-aligned
    Count,   // an integer: a number in Excel, right-aligned in print
    Percent, // a display rate ("29.9%", "—"): text, right-aligned
    Missing, // no value yet (an unpublished count): JSON null, words for people
};

// One cell. A count keeps only its number; its text and JSON value are made
// when a renderer asks, so the JSON writer does not format 13 numbers a row
// it never shows.
class ReportCell
{
public:
    ReportCell() = default;

    static ReportCell textCell(const QString &text, const QJsonValue &json);
    static ReportCell textCell(const QString &text) { return textCell(text, text); }
    static ReportCell countCell(qint64 n);
    static ReportCell percentCell(const QString &rate);
    static ReportCell missingCell(const QString &words);
    // A value only JSON carries (no text): verdicts, ids, per-mille rates.
    static ReportCell jsonOnly(const QJsonValue &json);

    [[nodiscard]] CellType type() const { return m_type; }
    // What CSV, Excel (for non-counts) and the PDF show.
    [[nodiscard]] QString text() const;
    // What the JSON writer puts under the column's key; Undefined leaves the key out.
    [[nodiscard]] QJsonValue json() const;
    // For Count: the number Excel writes.
    [[nodiscard]] qint64 count() const { return m_count; }

private:
    ReportCell(CellType type, QString text, QJsonValue json, qint64 count)
        : m_type(type), m_text(std::move(text)), m_json(std::move(json)), m_count(count)
    {
    }

    CellType m_type = CellType::Text;
    QString m_text;
    QJsonValue m_json;
    qint64 m_count = 0;
};

struct ReportColumn
{
    QString key;   // the JSON key; every column has one
    QString label; // the Chinese heading in CSV, Excel and the PDF;
                   // empty: JSON only (not shown to people)

    [[nodiscard]] bool shownToPeople() const { return !label.isEmpty(); }
};

struct ReportTable
{
    QString title; // the sheet's name, the PDF section's heading
    QList<ReportColumn> columns;
    QList<QList<ReportCell>> rows; // one cell per column, in column order
    QList<bool> warnings;          // per row: printed in the warning colour

    // The columns people read, and their labels, in order.
    [[nodiscard]] QList<qsizetype> peopleColumns() const;
    [[nodiscard]] QStringList peopleLabels() const;
    // Row r's cells in the columns people read.
    [[nodiscard]] QList<ReportCell> peopleRow(qsizetype r) const;
    // Row r as a JSON object (keys of every column, Undefined values left out).
    [[nodiscard]] QJsonObject rowToJson(qsizetype r) const;
    [[nodiscard]] QJsonArray toJson() const;
};

// A column of a table drawn from rows of type Row: its key, its label and
// how a row fills its cell — side by side, so a column cannot lose its cell.
template<typename Row>
struct TableColumn
{
    QString key;
    QString label;
    ReportCell (*cell)(const Row &);
};

// The table of rows under columns (no row a warning).
template<typename Row>
ReportTable buildTable(const QString &title, const QList<TableColumn<Row>> &columns, const QList<Row> &rows)
{
    ReportTable t;
    t.title = title;
    for (const auto &c : columns)
        t.columns.push_back({c.key, c.label});
    for (const auto &row : rows) {
        QList<ReportCell> cells;
        cells.reserve(columns.size());
        for (const auto &c : columns)
            cells.push_back(c.cell(row));
        t.rows.push_back(std::move(cells));
        t.warnings.push_back(false);
    }
    return t;
}

} // namespace kaodian::server
