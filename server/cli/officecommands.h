#pragma once

// The kaodian-server commands that are office use cases (server/office):
// roster and events-file imports, tickets, re-issue, the session package,
// users and kiosks. Each turns its arguments into one use case and its
// answer into text and an exit code; the API calls the same use cases.
//
// Thread-safety: the commands run on the main thread only.

#include <QCommandLineParser>

namespace kaodian::server::cli {

int cmdImport(const QCommandLineParser &p);
int cmdImportResults(const QCommandLineParser &p);
int cmdImportProctors(const QCommandLineParser &p);
int cmdImportEvents(const QCommandLineParser &p);
// import-majors, import-pilots, import-teachers, import-sites.
int cmdImportBaseData(const QCommandLineParser &p, const QString &command);
int cmdCertificate(const QCommandLineParser &p, const QString &action);
int cmdTicket(const QCommandLineParser &p);
int cmdTickets(const QCommandLineParser &p);
int cmdReissue(const QCommandLineParser &p);
int cmdRegistration(const QCommandLineParser &p, const QString &action);
int cmdReportExemption(const QCommandLineParser &p, const QString &action);
int cmdPackage(const QCommandLineParser &p);
int cmdExportRoster(const QCommandLineParser &p);
int cmdUser(const QCommandLineParser &p, const QString &action);
int cmdKiosk(const QCommandLineParser &p, const QString &action);
int cmdImportPhotos(const QCommandLineParser &p);
// print signin|door|record: the site's paper (office/sitepaper.h).
int cmdPrint(const QCommandLineParser &p, const QString &what);

} // namespace kaodian::server::cli
