#pragma once

// The statistics' session table as CSV (`GET /statistics?format=csv`,
// `stats --format csv`): the report table's labels as the header, the words
// people read in the cells, every field quoted and spreadsheet formulas
// neutralised. UTF-8 with BOM, so Excel on Chinese Windows opens it as it is.
// Thread-safe: pure functions.

#include "print/reporttable.h"
#include "store/statisticsquery.h"

#include <QByteArray>

namespace kaodian::server {

// Any report table's columns for people, one CRLF-ended line a row, with BOM.
QByteArray reportTableToCsv(const ReportTable &table);

QByteArray statisticsToCsv(const StatisticsReport &report);

} // namespace kaodian::server
