#pragma once

// The people export as a report table (reporttable.h): one row per
// registration — session, candidate, ID number (masked unless the office
// asked otherwise, store/peoplequery.h), attendance with late, check-in
// time, outcome and score. The CSV (reportTableToCsv) and the Excel sheet
// (reportTablesToXlsx) are drawn from it, so a column is added in one
// place: peopleColumns() in peopletable.cpp.
// Thread-safety: pure functions.

#include "print/reporttable.h"
#include "store/peoplequery.h"

namespace kaodian::server {

ReportTable peopleTable(const QList<PersonRow> &rows);

// The words a person reads.
QString attendanceWords(Attendance a, bool late); // "已签到", "迟到签到", "缺考", "免考", "未签到"
QString outcomeWords(std::optional<Outcome> o);   // "通过", "未通过", ""

} // namespace kaodian::server
