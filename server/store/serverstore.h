#pragma once

// The server's data, behind one class whatever the store: the embedded
// SQLCipher file in the data folder (default) or PostgreSQL by URL. Every
// operation that changes data writes its audit entry in the same
// transaction. The server keeps no state that matters outside the database,
// so several instances over one PostgreSQL give the same answers.
//
// Thread-safety: one ServerStore per thread (it owns one connection).

#include "store/sqlconnection.h"

#include "core/domain.h"
#include "core/statistics.h"
#include "protocol/checkinconflict.h"

#include <QDateTime>

#include <memory>
#include <optional>

namespace kaodian::server {

// Where the data lives.
struct StoreLocation
{
    QString dataDir;     // embedded: <dataDir>/server.db and server.key
    QString postgresUrl; // non-empty: PostgreSQL instead
};

// People's roles.
enum class Role : std::uint8_t { Admin, CollegeViewer };
QString roleKey(Role role); // "admin" / "college"
std::optional<Role> roleFromKey(const QString &key);

struct UserRecord
{
    Id id = 0;
    QString username;
    QString passwordHash;
    Role role = Role::CollegeViewer;
    std::optional<Id> collegeId;
    int failedLogins = 0;
    QDateTime lockedUntil;
    bool disabled = false;
};

struct AuditEntry
{
    Id id = 0;
    QDateTime at;
    QString actor;
    QString action;
    QString detail;
};

// The outcome of storing a batch of kiosk events.
struct IngestOutcome
{
    int stored = 0;     // new events
    int duplicates = 0; // already held: a retry or a replay
    QList<qint64> acknowledged; // every event id of the batch, now durable
    qint64 highWaterMark = 0;   // all of this kiosk's events up to here are held
};

// A logged-in person's session (the cookie holds the token; the store only
// its hash, so a copy of the database logs nobody in).
struct WebSession
{
    Id userId = 0;
    QString csrfToken;
    QDateTime expiresAt;
};

// An enrolled kiosk.
struct KioskRecord
{
    QString id;
    QString name;
    Id siteId = 0;
    std::optional<Id> roomId;
    QString siteName; // read back with the record (enrolKiosk ignores it)
    QString roomCode; // empty: the whole site
    QString credentialHash;
    QDateTime enrolledAt;
    QDateTime revokedAt;  // null while active
    QDateTime lastSeenAt; // null until first upload
    qint64 eventsReceived = 0;
    std::optional<qint64> eventsWaiting; // unsent, as the kiosk last reported
};

// A candidate checked in more than once: the protocol's one type (shared/protocol).
using protocol::CheckInConflict;
using protocol::ConflictCheckIn;

// One row of a session's roster, as the office sees it (ID masked).
struct RosterEntry
{
    Id registrationId = 0;
    QString ticketNumber;
    QString name;
    QString maskedIdNumber;
    QString studentNumber;
    QString room;
    QString seat;
    Attendance attendance = Attendance::NotCheckedIn;
    bool late = false;
    QDateTime checkedInAt;
    QString checkedInKiosk;
    int activeCheckIns = 0;
    std::optional<Outcome> outcome;
    std::optional<int> score;
    int incidents = 0;
};

// One session's numbers with the names the reports need.
struct SessionStats
{
    SessionTally tally;
    Id collegeId = 0;
    QString collegeName;
    Id certificateId = 0;
    QString certificateName;
    CertificateLevel level = CertificateLevel::Junior;
    QString siteName;
    ParticipationVerdict participation = ParticipationVerdict::NoPublishedCount;
};

// Totals of a group of sessions (a pilot, a certificate, a college).
struct GroupStats
{
    Id id = 0;
    QString name;
    std::optional<Id> collegeId; // for pilots
    int sessions = 0;
    qint64 published = 0;  // sum over sessions with a published count
    int sessionsWithoutPublished = 0;
    qint64 registered = 0, sat = 0, absent = 0, excused = 0, passed = 0, failed = 0;
    [[nodiscard]] qint64 pending() const { return sat - passed - failed; }
};

struct StatisticsReport
{
    QList<SessionStats> sessions; // by exam date, start time, id
    QList<GroupStats> pilots, certificates, colleges;
    QList<Flag> flags;            // 第七条(五) then 第七条(六)
};

// The server's store.
class ServerStore
{
public:
    // Creates the embedded store in dataDir (refuses if one exists).
    static Status<StoreError> createEmbedded(const QString &dataDir);
    // Opens (and migrates) the store at location.
    static Result<std::unique_ptr<ServerStore>, StoreError> open(const StoreLocation &location);

    SqlConnection &sql() { return *m_sql; }
    [[nodiscard]] Dialect dialect() const { return m_sql->dialect(); }

    // Audit log: append only; nothing here edits or deletes an entry.
    Status<StoreError> audit(const QString &actor, const QString &action, const QString &detail);
    Result<QList<AuditEntry>, StoreError> auditLog(int limit, int offset = 0);

    // People.
    Result<Id, StoreError> addUser(const QString &username, const QString &passwordHash, Role role,
                                   std::optional<Id> collegeId, const QString &actor);
    Result<std::optional<UserRecord>, StoreError> userByName(const QString &username);
    Result<std::optional<UserRecord>, StoreError> userById(Id id);
    Result<QList<UserRecord>, StoreError> users();
    Status<StoreError> recordLoginFailure(Id userId, int failedLogins, const QDateTime &lockedUntil);
    Status<StoreError> recordLoginSuccess(Id userId);

    // Web sessions of people.
    Status<StoreError> createWebSession(const QString &tokenHash, Id userId, const QString &csrfToken,
                                        const QDateTime &now, const QDateTime &expiresAt);
    // The session if it exists and has not expired at now.
    Result<std::optional<WebSession>, StoreError> webSession(const QString &tokenHash, const QDateTime &now);
    Status<StoreError> deleteWebSession(const QString &tokenHash);

    // Kiosks.
    Status<StoreError> enrolKiosk(const KioskRecord &kiosk, const QString &actor);
    Status<StoreError> revokeKiosk(const QString &kioskId, const QString &actor);
    Result<std::optional<KioskRecord>, StoreError> kiosk(const QString &kioskId);
    Result<QList<KioskRecord>, StoreError> kiosks();
    // Does the registration belong to the session, held at the site?
    Result<bool, StoreError> registrationAtSite(Id registrationId, Id sessionId, Id siteId);

    // Sessions.
    // What a ticket needs: its session, exam date and serial, by ticket number.
    struct TicketSubject
    {
        Id registrationId = 0;
        Id sessionId = 0;
        QDate examDate;
        int serial = 1;
    };
    Result<std::optional<TicketSubject>, StoreError> ticketSubject(const QString &ticketNumber);

    // What a printed admission ticket shows (ID number masked here, before
    // it leaves the store), for every registration of a session (by room,
    // then seat in natural order) or for the given ticket numbers (in the
    // order given; an unknown number is a DatabaseMissing error naming it).
    struct TicketPrintRow
    {
        Id registrationId = 0, sessionId = 0;
        QString ticketNumber;
        int serial = 1;
        QString name, maskedIdNumber;
        QString college, certificate, trainingOrg;
        CertificateLevel level = CertificateLevel::Junior;
        QString site, room, seat;
        QDate examDate;
        QTime startTime, endTime; // China Standard Time; endTime may be null
        Id collegeId = 0;
    };
    Result<QList<TicketPrintRow>, StoreError> ticketPrintRows(Id sessionId);
    Result<QList<TicketPrintRow>, StoreError> ticketPrintRows(const QStringList &ticketNumbers);

    // Re-issues a ticket: in one transaction its serial goes up by one, the
    // old serial is revoked as of `at` (kept to the second: what kiosks show
    // as the replacement time) and the change is audited. Returns the new
    // subject and the revoked serial; DatabaseMissing for an unknown number.
    struct Reissue
    {
        TicketSubject subject; // with the new serial
        int revokedSerial = 0;
        QDateTime revokedAt;   // UTC, whole seconds
    };
    Result<Reissue, StoreError> reissueTicket(const QString &ticketNumber, const QString &actor,
                                              const QDateTime &at = QDateTime::currentDateTimeUtc());
    Result<QList<RosterEntry>, StoreError> roster(Id sessionId);

    // What a kiosk at a site (and room) needs for a day: its sessions and
    // their candidates (ID numbers masked here, before they leave the server).
    struct KioskSessionRow
    {
        Id id = 0;
        QString certificate;
        CertificateLevel level = CertificateLevel::Junior;
        QDate examDate;
        QTime startTime, endTime;
        std::optional<int> publishedCount;
        int opensMinutes = 60, lateMinutes = 15;
        int registeredCount = 0, roomCount = 0; // the whole session, every room
    };
    struct KioskRosterRow
    {
        Id registrationId = 0, sessionId = 0;
        QString ticketNumber, name, maskedIdNumber, room, seat;
        int serial = 1;
    };
    struct KioskDay
    {
        QList<KioskSessionRow> sessions;
        QList<KioskRosterRow> roster;
        QList<std::pair<QString, int>> revoked; // ticket number, serial
        QList<QDateTime> revokedAt;
    };
    Result<KioskDay, StoreError> kioskDay(Id siteId, const QString &room, const QDate &date);
    Result<std::optional<Id>, StoreError> siteIdByName(const QString &name);
    Result<std::optional<Id>, StoreError> roomId(Id siteId, const QString &code);
    Status<StoreError> setPublishedCount(Id sessionId, std::optional<int> count, const QString &actor);
    Status<StoreError> setResultsFinal(Id sessionId, bool final, const QString &actor);
    Result<std::optional<Id>, StoreError> collegeOfSession(Id sessionId);

    // Kiosk events, stored exactly once per (kiosk, event id); the affected
    // registrations' state is re-derived in the same transaction.
    // waiting: what the kiosk says is still unsent after this batch, kept
    // with its last-seen time.
    Result<IngestOutcome, StoreError> ingestEvents(const QString &kioskId, const QList<KioskEvent> &events,
                                                   const QDateTime &receivedAt,
                                                   std::optional<qint64> waiting = std::nullopt);
    // The events of a revoked (or any) kiosk's export file
    // (`kaodian-kiosk-events/1`), stored exactly as uploads are (once per
    // kiosk and event id), refused whole when the kiosk is unknown or an
    // event is not for a registration at its site; audited. The kiosk's
    // waiting count becomes 0: the file holds what it had not sent.
    Result<IngestOutcome, StoreError> importKioskEvents(const QString &kioskId, const QList<KioskEvent> &events,
                                                        const QString &source, const QString &actor,
                                                        const QDateTime &receivedAt);

    // A session's check-in conflicts, by registration id.
    Result<QList<CheckInConflict>, StoreError> sessionConflicts(Id sessionId);

    // Statistics, optionally limited to one college.
    Result<StatisticsReport, StoreError> statistics(std::optional<Id> collegeScope = std::nullopt);

    // A session's incidents as the proctors recorded them, oldest first.
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
    Result<QList<IncidentRow>, StoreError> sessionIncidents(Id sessionId);

    // The exam sites with their rooms, by name (for enrolling kiosks).
    struct SiteRooms
    {
        Id id = 0;
        QString name;
        QStringList rooms; // codes, sorted
    };
    Result<QList<SiteRooms>, StoreError> sites();

private:
    explicit ServerStore(std::unique_ptr<SqlConnection> sql);
    Status<StoreError> migrate();
    Status<StoreError> refreshRegistration(Id registrationId);
    // The body of ingestEvents, inside the caller's transaction.
    Result<IngestOutcome, StoreError> storeEvents(const QString &kioskId, const QList<KioskEvent> &events,
                                                  const QString &received);

    std::unique_ptr<SqlConnection> m_sql;
};

// Time stamps are stored as ISO 8601 UTC text with milliseconds.
QString storeTime(const QDateTime &t);
QDateTime parseStoreTime(const QString &s);

} // namespace kaodian::server
