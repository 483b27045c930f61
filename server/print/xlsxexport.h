#pragma once

// Report tables as an Excel workbook (libxlsxwriter): one sheet per table,
// its labels as headers; counts stay numbers so Excel can sum them, every
// other cell is a string cell (ID and ticket numbers keep their digits),
// neutralised against formulas like the CSV (spreadsheettext.h). The
// statistics workbook has the sessions, pilots, certificates, colleges and
// the 第七条 warnings (statisticstables.h); the people export one roster
// sheet (peopletable.h).
// Thread-safe: each call writes its own temporary file.

#include "print/reporttable.h"
#include "store/statisticsquery.h"

#include <QByteArray>

namespace kaodian::server {

// The .xlsx bytes, or empty when the workbook could not be written. Sheet
// names are the tables' titles.
QByteArray reportTablesToXlsx(const QList<const ReportTable *> &tables);
QByteArray statisticsToXlsx(const StatisticsReport &report);

} // namespace kaodian::server
