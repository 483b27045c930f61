#pragma once

// The cells of a spreadsheet as a reader found them, before any roster rule
// applies: what the CSV and the .xlsx readers both produce. Plain values;
// thread-safe to read once built.

#include <QList>
#include <QString>

#include <cstdint>

namespace kaodian::server {

// One cell. Text is trimmed (see trimCell); a Number keeps the digits as the
// file wrote them ("46174", "0.375", "3.50102199001011E+17") so the roster
// rules can tell a date serial from an ID number that Excel mangled.
struct SheetCell
{
    enum class Kind : std::uint8_t { Text = 1, Number = 2, Error = 3 }; // Error: "#N/A" …

    int column = 0; // 0-based
    Kind kind = Kind::Text;
    QString text;

    friend bool operator==(const SheetCell &, const SheetCell &) = default;
};

// One row: the line a clerk sees it on (Excel's row number, or the physical
// line of a CSV where the record starts) and its cells, by ascending column.
// Readers leave out rows whose cells are all empty.
struct SheetRow
{
    int line = 0;
    QList<SheetCell> cells;
};

// Strips what a clerk cannot see around a value: Unicode white space (incl.
// the full-width U+3000 and no-break U+00A0), zero-width spaces and stray BOMs.
// Also unwraps Excel's ="0123" trick for keeping leading zeros.
QString trimCell(QStringView text);

// A number cell with more than 15 digits before any exponent: Excel keeps
// no more, so the rest became 0 (an ID or ticket number it mangled).
bool longNumber(QStringView number);

} // namespace kaodian::server
