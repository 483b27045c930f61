#pragma once

// The statistics report as an Excel workbook (libxlsxwriter): sheets for
// sessions, pilots, certificates, colleges and the 第七条 warnings.
// Thread-safe: each call writes its own temporary file.

#include "store/serverstore.h"

#include <QByteArray>

namespace kaodian::server {

// The .xlsx bytes, or empty when the workbook could not be written.
QByteArray statisticsToXlsx(const StatisticsReport &report);

} // namespace kaodian::server
