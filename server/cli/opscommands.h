#pragma once

// The kaodian-server commands for operating a server (docs/operations.md):
// backup and restore of the embedded store with the data folder's keys and
// certificate, and the metrics token for GET /api/v1/metrics.
//
// Thread-safety: the commands run on the main thread only.

#include <QCommandLineParser>

namespace kaodian::server::cli {

// backup --data DIR --out FILE
int cmdBackup(const QCommandLineParser &p);
// restore --data DIR [--key FILE] [--force] FILE
int cmdRestore(const QCommandLineParser &p);
// metrics-token --data DIR [--revoke]
int cmdMetricsToken(const QCommandLineParser &p);

} // namespace kaodian::server::cli
