#pragma once

// Results that do not come from a kiosk: the 培训评价组织's results file
// (成绩单) and the office's corrections, and the results-final mark of a
// session. Each result is a row of result_record, append-only, with the
// value it replaced; the newest row of a registration is its result and
// overrides what the kiosks' events say (EventLog's recompute leaves the
// outcome of a registration with a result_record alone).
// Marking a session final is refused while anyone who sat has no result;
// re-opening it needs a reason. Every change audited with the old value.
//
// Thread-safety: as its SqlConnection (one thread at a time).

#include "import/resultimport.h"
#include "store/auditlog.h"
#include "store/rosterapply.h"
#include "store/sqlconnection.h"

#include "core/clock.h"
#include "core/domain.h"
#include "core/result.h"
#include "core/storeerror.h"

namespace kaodian::server {

// A result as it stands: outcome and scores (tenths of a point).
struct ResultValue
{
    ResultOutcome outcome = ResultOutcome::Pass;
    std::optional<int> theory, practical, total;

    friend bool operator==(const ResultValue &, const ResultValue &) = default;
    // "通过（理论 80，实操 90.5，总成绩 85）"
    [[nodiscard]] QString words() const;
};

// What applying a results file did.
struct ResultsSummary
{
    bool alreadyImported = false; // the same file (by SHA-256) was imported before: nothing changed
    int rows = 0;
    int recorded = 0;  // registrations that had no result and now have one
    int unchanged = 0; // rows equal to the result already stored
    int replaced = 0;  // rows that replaced a different result (only when asked to)
};

// A registration's office result (the newest result_record), for the session page.
struct StoredResult
{
    Id registrationId = 0;
    ResultValue value;
    QString source; // "import", "replacement", "correction"
    QString actor;
    QString reason;
    QDateTime recordedAt;
    std::optional<ResultValue> previous; // what it replaced
    int versions = 0;                    // result_record rows of this registration
};

// Someone who sat without a result: why a session cannot be final.
struct PendingResult
{
    Id registrationId = 0;
    QString ticketNumber;
    QString name;
    QString room;
    QString seat;
};

class ResultStore
{
public:
    ResultStore(SqlConnection &sql, AuditLog &audit, const Clock &clock) : m_sql(sql), m_audit(audit), m_clock(clock) {}

    // Applies a parsed results file, all or nothing, every problem with its
    // line and column. A row equal to the stored result changes nothing; a
    // row that differs is refused unless `replace` (then recorded as a
    // replacement with `reason`, each audited with the old value).
    // checkOnly: every check, nothing written (the file had problems of its
    // own; these are added to them).
    Result<ResultsSummary, ImportFailure> applyResults(const ResultFile &file, const QString &fileName, bool replace,
                                                       const QString &reason, const QString &actor,
                                                       bool checkOnly = false);

    // The office corrects one result of a session: Refused while the
    // session is final, or when the kiosks' attendance contradicts it;
    // DatabaseMissing for a registration not in the session. false when
    // the value equals the stored one (nothing recorded).
    Result<bool, StoreError> correct(Id sessionId, Id registrationId, const ResultValue &value, const QString &reason,
                                     const QString &actor);

    // Marks a session final, or re-opens it (reason required by the caller).
    // Final: refused (nothing changed) while anyone who sat has no result:
    // those are answered, by room and seat. An empty list means done.
    Result<QList<PendingResult>, StoreError> setFinal(Id sessionId, bool final, const QString &reason,
                                                      const QString &actor);

    // Every registration of a session that has an office result.
    Result<QList<StoredResult>, StoreError> officeResults(Id sessionId);

private:
    SqlConnection &m_sql;
    AuditLog &m_audit;
    const Clock &m_clock;
};

} // namespace kaodian::server
