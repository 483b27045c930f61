#pragma once

// The event log: what kiosks recorded at their doors, stored exactly once
// per (kiosk, event id), append only. Each batch re-derives the affected
// registrations' state (core/statistics deriveStates) in the same
// transaction, and advances the kiosk's high-water mark. Also reads the log
// back: a session's incidents and its check-in conflicts.
//
// Thread-safety: as its SqlConnection (one thread at a time).

#include "store/auditlog.h"

#include "core/statistics.h"
#include "protocol/checkinconflict.h"
#include "protocol/roomevents.h"

#include <optional>

namespace kaodian::server {

// The outcome of storing a batch of kiosk events.
struct IngestOutcome
{
    int stored = 0;     // new events
    int duplicates = 0; // already held: a retry or a replay
    QList<qint64> acknowledged; // every event id of the batch, now durable
    qint64 highWaterMark = 0;   // all of this kiosk's events up to here are held
};

// A candidate checked in at more than one door: the wire type, as the API
// and the session package carry it.
using protocol::CheckInConflict;
using protocol::ConflictCheckIn;

// A session's incident as the proctors recorded it.
struct IncidentRow
{
    Id registrationId = 0;
    QString ticketNumber;
    QString name;
    IncidentCategory category = IncidentCategory::Other;
    QString note;
    QDateTime deviceTime;
    QString kioskId;
};

// A room's incident as the proctors recorded it (no candidate).
struct RoomIncidentRow
{
    QString room;
    IncidentCategory category = IncidentCategory::Other;
    QString note;
    QString proctor;     // 工号 ("" under the shared PIN)
    QString proctorName; // from the proctors assigned, when known
    QDateTime deviceTime;
    QDateTime receivedAt;
    QString kioskId;
};

// A sign-off (or a reopening) of a room as the kiosk sent it.
struct SignOffRow
{
    QString room;
    bool reopen = false;         // a reopening: reason says why
    protocol::SignOffFacts facts; // sign-off: the counts as signed and the signers
    QString reason;
    QString proctor;             // who made it (工号)
    QDateTime deviceTime;
    QDateTime receivedAt;
    QString kioskId;
    qint64 eventId = 0;
};

class EventLog
{
public:
    EventLog(SqlConnection &sql, AuditLog &audit) : m_sql(sql), m_audit(audit) {}

    // A batch uploaded by a kiosk. waiting: what the kiosk says is still
    // unsent after this batch, kept with its last-seen time (receivedAt).
    Result<IngestOutcome, StoreError> ingest(const QString &kioskId, const QList<KioskEvent> &events,
                                             const QDateTime &receivedAt,
                                             std::optional<qint64> waiting = std::nullopt);
    // The events of a revoked (or any) kiosk's export file, stored exactly
    // as uploads are, refused whole (Refused) when the kiosk is unknown or an
    // event is not for a registration at its site; audited. The kiosk's
    // waiting count becomes 0: the file holds what it had not sent.
    // unsignedReason, when not empty, is why the office took a file whose
    // signature could not be checked: audited with it as
    // kiosk.events_import_unsigned instead of kiosk.events_import.
    Result<IngestOutcome, StoreError> importFile(const QString &kioskId, const QList<KioskEvent> &events,
                                                 const QString &source, const QString &actor,
                                                 const QDateTime &receivedAt, const QString &unsignedReason = {});
    // Does the registration belong to the session, held at the site?
    Result<bool, StoreError> registrationAtSite(Id registrationId, Id sessionId, Id siteId);
    // The index of the first event whose registration is not in that
    // event's session at the site, if any: registrationAtSite for a batch, in
    // one query on PostgreSQL (one per distinct pair on the embedded store).
    Result<std::optional<qsizetype>, StoreError> firstEventNotAtSite(const QList<KioskEvent> &events, Id siteId);

    // A session's check-in conflicts, by registration id.
    Result<QList<CheckInConflict>, StoreError> conflicts(Id sessionId);
    // A session's incidents of candidates, oldest first.
    Result<QList<IncidentRow>, StoreError> incidents(Id sessionId);
    // A session's incidents of rooms (no candidate: 停电/断网, 设备故障 …),
    // oldest first; of one room when room is given (a room record prints them).
    Result<QList<RoomIncidentRow>, StoreError> roomIncidents(Id sessionId, const std::optional<QString> &room = {});
    // A session's sign-offs and reopenings, by room then as they happened
    // (device time); the last of a room's says whether it stands signed.
    Result<QList<SignOffRow>, StoreError> signOffs(Id sessionId);

private:
    // The body of ingest(), inside the caller's transaction.
    Result<IngestOutcome, StoreError> storeEvents(const QString &kioskId, const QList<KioskEvent> &events,
                                                  const QString &received);
    Result<IngestOutcome, StoreError> storeEventsEmbedded(const QString &kioskId, const QList<KioskEvent> &events,
                                                          const QString &received);
    Status<StoreError> applyKioskPins(const QString &kioskId, const QList<KioskEvent> &events, const QString &received);
    Status<StoreError> refreshRegistration(Id registrationId);

    SqlConnection &m_sql;
    AuditLog &m_audit;
};

} // namespace kaodian::server
