#pragma once

// The compliance board (store/compliancequery.h) as report tables: the
// board itself (one row per pilot, site and college, one column per
// article) and its flags in words. The Excel workbook and the printable PDF
// for the 院长办公会 are drawn from these, and the dashboard shows the same
// words (cellWords).
// Thread-safety: pure functions.

#include "print/reporttable.h"

#include "store/compliancequery.h"

namespace kaodian::server {

QString cellStateKey(CellState s);   // "n/a", "ok", "warning", "flag"
// What a person reads in a cell: 正常, 预警, 违规, or the state of the case
// that follows it (核查中 …); "—" where the article is not about the row.
QString cellWords(const BoardCell &cell);
QString rowKindWords(const QString &kind); // 试点, 考点, 二级学院

ReportTable boardTable(const ComplianceBoard &board);
ReportTable boardFlagTable(const ComplianceBoard &board);

} // namespace kaodian::server
