#pragma once

// The printable summary of the statistics report: an A4 landscape PDF with
// the 第七条 warnings in words first, then every session, then the totals
// per college, per certificate and per pilot — the report tables of
// statisticstables.h, with the same labels and words as the CSV and Excel
// exports. Set in the ticket font (embedded), so it prints the same
// anywhere. Thread-safety: may run on several threads at once (each call
// owns its writer and painter); needs a QGuiApplication.

#include "store/compliancequery.h"
#include "store/statisticsquery.h"

#include "core/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace kaodian::server {

struct PdfReportOptions
{
    QString scope;          // e.g. "全部二级学院" or the college's name
    QDateTime generatedAt;  // UTC; printed in China Standard Time
};

Result<QByteArray, QString> statisticsToPdf(const StatisticsReport &report, const PdfReportOptions &options);

// The compliance board for the 院长办公会: its flags in words, then the board
// (a row per pilot, site and college, a column per article).
Result<QByteArray, QString> complianceToPdf(const ComplianceBoard &board, const PdfReportOptions &options);

} // namespace kaodian::server
