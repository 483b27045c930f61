#pragma once

// Named proctors (docs/proctors.md): the office assigns proctors (工号,
// name, phone) to a session's rooms from a file, all of it or none of it;
// each proctor's PIN is kept only as its slow hash (core/pinhash.h), set by
// the office or at a kiosk on first use (store/eventlog.cpp takes it from
// the kiosk's proctor_pin event). The session package carries each room's
// proctors with their hash, never their phone. Every change is audited in
// its transaction.
//
// Thread-safety: as its SqlConnection (one thread at a time).

#include "store/auditlog.h"
#include "store/sqlconnection.h"

#include "core/clock.h"
#include "import/importproblem.h"
#include "import/proctorimport.h"
#include "protocol/sessionpackage.h"

namespace kaodian::server {

// A proctor as the dashboard shows them, assigned to a session's room.
struct AssignedProctor
{
    Id sessionId = 0;
    QString room;
    QString staffNumber;
    QString name;
    QString phone; // whole: the API masks it
    bool hasPin = false;
    QDateTime pinSetAt;
    QString pinSource; // "office", "kiosk:<id>"; empty without a PIN
};

struct ProctorImportSummary
{
    int rows = 0;
    int sessions = 0;  // sessions whose assignments the file set
    int newProctors = 0;
    bool alreadyImported = false; // the same file (by SHA-256) once more: nothing changed
};

// Refused: the problems (line, column) or the store's failure.
struct ProctorImportRefusal
{
    QList<ImportProblem> problems;
    std::optional<StoreError> storeError;
};

class ProctorStore
{
public:
    ProctorStore(SqlConnection &sql, AuditLog &audit, const Clock &clock) : m_sql(sql), m_audit(audit), m_clock(clock) {}

    // Sets the proctors of every session the file names, replacing what
    // those sessions had (other sessions keep theirs). Each row's session
    // must exist and its room be a room of the session's site; a 工号 known
    // with another name is a problem. Proctors are found by 工号 (name and
    // phone updated); their PINs stay. All or nothing.
    Result<ProctorImportSummary, ProctorImportRefusal> importAssignments(const ProctorFile &file, const QString &fileName,
                                                                        const QString &actor);
    // A session's proctors, by room then name.
    Result<QList<AssignedProctor>, StoreError> assignments(Id sessionId);
    // The proctors of a site's sessions on a day (one room's, when room is
    // not empty), for the session package.
    Result<QList<protocol::PackageProctor>, StoreError> packageProctors(Id siteId, const QString &room, const QDate &day);
    // The office sets (or resets) a proctor's PIN: its hash. NotFound for an unknown 工号.
    Status<StoreError> setPinHash(const QString &staffNumber, const QByteArray &pinHash, const QString &actor);

private:
    SqlConnection &m_sql;
    AuditLog &m_audit;
    const Clock &m_clock;
};

} // namespace kaodian::server
