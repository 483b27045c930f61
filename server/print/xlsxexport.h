#pragma once

// The statistics report as an Excel workbook (libxlsxwriter): one sheet per
// report table (statisticstables.h) — sessions, pilots, certificates,
// colleges and the 第七条 warnings — with the tables' labels as headers;
// counts stay numbers so Excel can sum them.
// Thread-safe: each call writes its own temporary file.

#include "store/statisticsquery.h"

#include <QByteArray>

namespace kaodian::server {

// The .xlsx bytes, or empty when the workbook could not be written.
QByteArray statisticsToXlsx(const StatisticsReport &report);

} // namespace kaodian::server
