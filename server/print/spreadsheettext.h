#pragma once

// Text bound for a spreadsheet cell, made safe from formula injection: a
// text that begins with = + - @, a tab or a carriage return gets a leading
// apostrophe, so Excel and LibreOffice show it as text and never evaluate
// it (OWASP "CSV injection"). Every CSV and every Excel text cell the
// server writes passes through here (statisticscsv.cpp, xlsxexport.cpp), so
// the rule is written once. Numbers written as numbers (counts) do not.
// Thread-safe: a pure function.

#include <QString>

namespace kaodian::server {

QString spreadsheetSafeText(const QString &text);

} // namespace kaodian::server
