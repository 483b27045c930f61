#pragma once

// The server's data, whatever the store: the embedded SQLCipher file in the
// data folder (default) or PostgreSQL by URL. ServerStore opens (and
// migrates) the one connection and holds one small store per concern over
// it, all with the same injected clock:
//   audit()       the append-only audit log
//   accounts()    people and their web sessions
//   kiosks()      enrolled kiosks
//   rosters()     sites, sessions, registrations, tickets; roster files
//   results()     results files, corrections and the results-final mark
//   events()      the kiosks' event log, conflicts and incidents
//   statistics()  the statistics query behind every report
//   metricsTokens()  the one token a metrics scraper presents (its hash)
//   packageVersions()  the session packages' version numbers
//   proctors()    named proctors, their rooms and PIN hashes
//   baseData()    majors, pilots, teachers and qualifications, sites and
//                 agreements, certificate cancellations (the rules' data)
//   complianceData()  the compliance rules' inputs, read from all of that
//   photos()      candidates' photos, sealed (office/photos.h)
//   reports()     weekly reports (周报) and the exemption calendar
//   cases()       cases (问题) and their steps
// Every operation that changes data writes its audit entry in the same
// transaction. The server keeps no state that matters outside the database,
// so several instances over one PostgreSQL give the same answers.
//
// Thread-safety: one ServerStore per thread (it owns one connection, and
// its stores share it).

#include "store/accountstore.h"
#include "store/auditlog.h"
#include "store/basedatastore.h"
#include "store/casestore.h"
#include "store/compliancedata.h"
#include "store/compliancequery.h"
#include "store/eventlog.h"
#include "store/kioskregistry.h"
#include "store/metricstokenstore.h"
#include "store/packageversions.h"
#include "store/photostore.h"
#include "store/proctorstore.h"
#include "store/reportstore.h"
#include "store/resultstore.h"
#include "store/rosterstore.h"
#include "store/sqlconnection.h"
#include "store/statisticsquery.h"
#include "store/storeutil.h"

#include "core/clock.h"

#include <memory>

namespace kaodian::server {

// Where the data lives.
struct StoreLocation
{
    QString dataDir;     // embedded: <dataDir>/server.db and server.key
    QString postgresUrl; // non-empty: PostgreSQL instead
};

class ServerStore
{
public:
    // The embedded store's files in a data folder.
    static QString embeddedDatabasePath(const QString &dataDir);
    static QString embeddedKeyPath(const QString &dataDir);

    // Creates the embedded store in dataDir (refuses if one exists).
    static Status<StoreError> createEmbedded(const QString &dataDir);
    // Opens (and migrates) the store at location.
    static Result<std::unique_ptr<ServerStore>, StoreError> open(const StoreLocation &location,
                                                                 Clock clock = systemClock());

    ServerStore(const ServerStore &) = delete;
    ServerStore &operator=(const ServerStore &) = delete;

    SqlConnection &sql() { return *m_sql; }
    [[nodiscard]] Dialect dialect() const { return m_sql->dialect(); }
    [[nodiscard]] QDateTime now() const { return m_clock(); }

    AuditLog &audit() { return m_audit; }
    AccountStore &accounts() { return m_accounts; }
    KioskRegistry &kiosks() { return m_kiosks; }
    RosterStore &rosters() { return m_rosters; }
    ResultStore &results() { return m_results; }
    EventLog &events() { return m_events; }
    StatisticsQuery &statistics() { return m_statistics; }
    ComplianceQuery &compliance() { return m_compliance; }
    MetricsTokenStore &metricsTokens() { return m_metricsTokens; }
    PackageVersions &packageVersions() { return m_packageVersions; }
    ProctorStore &proctors() { return m_proctors; }
    BaseDataStore &baseData() { return m_baseData; }
    ComplianceDataQuery &complianceData() { return m_complianceData; }
    PhotoStore &photos() { return m_photos; }
    ReportStore &reports() { return m_reports; }
    CaseStore &cases() { return m_cases; }

private:
    ServerStore(std::unique_ptr<SqlConnection> sql, Clock clock);
    Status<StoreError> migrate();

    std::unique_ptr<SqlConnection> m_sql;
    Clock m_clock;
    AuditLog m_audit;
    AccountStore m_accounts;
    KioskRegistry m_kiosks;
    RosterStore m_rosters;
    ResultStore m_results;
    EventLog m_events;
    StatisticsQuery m_statistics;
    ComplianceDataQuery m_complianceData;
    ComplianceQuery m_compliance;
    MetricsTokenStore m_metricsTokens;
    PackageVersions m_packageVersions;
    ProctorStore m_proctors;
    BaseDataStore m_baseData;
    PhotoStore m_photos;
    ReportStore m_reports;
    CaseStore m_cases;
};

} // namespace kaodian::server
