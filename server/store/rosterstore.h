#pragma once

// Rosters and tickets: exam sites and rooms, sessions with their published
// count (the results-final mark is ResultStore's), registrations with their derived state, and
// admission tickets (what a ticket signs and prints, re-issue and the
// revocation list kiosks receive). Roster files are applied here, all or
// nothing (rosterapply.cpp). ID-card numbers are masked before they leave
// this store, except where an import compares them.
//
// Thread-safety: as its SqlConnection (one thread at a time).

#include "store/auditlog.h"
#include "store/rosterapply.h"

#include "core/statistics.h"

#include <optional>

namespace kaodian::server {

// What a ticket needs: its session, exam date and serial.
struct TicketSubject
{
    Id registrationId = 0;
    Id sessionId = 0;
    QDate examDate;
    int serial = 1;
};

// What a printed admission ticket shows (ID number masked).
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

// A re-issued ticket: the new subject and the serial it revoked.
struct Reissue
{
    TicketSubject subject; // with the new serial
    int revokedSerial = 0;
    QDateTime revokedAt;   // UTC, whole seconds
};

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
    // 退考: counts nowhere; seat is the one it held.
    bool withdrawn = false;
    QDate withdrawnOn;
    QString withdrawnReason;
    QString replacedByTicket; // the candidate who took its place, if any
    // 请假 in advance: the reason (empty: not excused in advance).
    QString excusedReason;
};

// A new candidate taking a registration's place (RosterStore::replace):
// found by ID-card number, or registered with these details in the
// withdrawn candidate's major.
struct ReplacementCandidate
{
    QString idNumber, name, studentNumber, className;
    QString ticketNumber; // the new registration's 准考证号
};

// What a registration change did. `changed` is false when the registration
// already was as asked (a retry): nothing was written, no ticket issued.
struct RegistrationChange
{
    bool changed = false;
    Id registrationId = 0;
    QString ticketNumber;
    int serial = 1;                  // the ticket's current serial
    std::optional<int> revokedSerial; // the serial this change revoked
    QString room, seat;
    // replace: the new registration (its ticket number, serial 1).
    std::optional<Id> replacementId;
    QString replacementTicket;
};

// What a kiosk at a site (and room) needs for a day: its sessions and their
// candidates.
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
    QString excusedReason; // 请假 in advance; empty: not
};
struct KioskDay
{
    QList<KioskSessionRow> sessions;
    QList<KioskRosterRow> roster; // withdrawn registrations left out
    QList<std::pair<QString, int>> revoked; // ticket number, serial
    QList<QDateTime> revokedAt;
    QList<bool> revokedWithdrawn; // the revocation withdrew the ticket (退考)
};

// An exam site with its rooms (for enrolling kiosks).
struct SiteRooms
{
    Id id = 0;
    QString name;
    QStringList rooms; // codes, sorted
};

class RosterStore
{
public:
    RosterStore(SqlConnection &sql, AuditLog &audit, const Clock &clock) : m_sql(sql), m_audit(audit), m_clock(clock) {}

    // Applies a parsed roster file: all of it in one transaction or none of
    // it. Colleges, majors, certificates, pilots, sites, rooms and sessions
    // are found by name or created; candidates by ID-card number;
    // registrations by ticket number. The same file again changes nothing; a
    // row that contradicts what is stored (a ticket number of another
    // session or candidate) refuses the whole file with its line and column.
    // A row that moves a stored registration to another room or seat, and a
    // registration of the file's sessions that the file leaves out, are the
    // file's changes: see ImportMode. Audited (a preview writes nothing).
    Result<ImportSummary, ImportFailure> applyRoster(const RosterFile &file, const QString &fileName,
                                                     const QString &actor, ImportMode mode = ImportMode::Apply);

    Result<std::optional<TicketSubject>, StoreError> ticketSubject(const QString &ticketNumber);
    // Every registration of a session not withdrawn (by room, then seat in
    // natural order), or the given ticket numbers (in the order given; an
    // unknown number is a DatabaseMissing error naming it, a withdrawn one
    // Refused: its ticket is revoked).
    Result<QList<TicketPrintRow>, StoreError> ticketPrintRows(Id sessionId);
    Result<QList<TicketPrintRow>, StoreError> ticketPrintRows(const QStringList &ticketNumbers);
    // In one transaction the serial goes up by one, the old serial is
    // revoked as of now (to the second: what kiosks show as the replacement
    // time) and the change is audited. DatabaseMissing for an unknown number.
    Result<Reissue, StoreError> reissueTicket(const QString &ticketNumber, const QString &actor);

    // Registration changes (registrationchange.cpp), each in one transaction
    // and audited with who and why; a retry of one already made changes
    // nothing (RegistrationChange::changed false). DatabaseMissing for an
    // unknown ticket number, Refused for a change the registration's state
    // forbids (withdrawn, checked in), AlreadyExists for a seat or ticket
    // number taken; every message in Chinese, naming what it concerns.
    //
    // Withdraw (退考): the ticket's current serial is revoked as a withdrawal,
    // the seat freed; the registration stays, counted nowhere.
    Result<RegistrationChange, StoreError> withdraw(const QString &ticketNumber, const QDate &on, const QString &reason,
                                                    const QString &actor);
    // Move to another room (by code, at the session's site) and/or seat: the
    // ticket is re-issued (serial + 1) and the old serial revoked.
    Result<RegistrationChange, StoreError> move(const QString &ticketNumber, const QString &room, const QString &seat,
                                                const QString &actor);
    // Replace the candidate: the old registration is withdrawn and the new
    // candidate registered on its seat with a new ticket number.
    Result<RegistrationChange, StoreError> replace(const QString &ticketNumber, const ReplacementCandidate &newcomer,
                                                   const QString &reason, const QString &actor);
    // Excused in advance (请假): with no check-in, counted as excused.
    Result<RegistrationChange, StoreError> excuse(const QString &ticketNumber, const QString &reason,
                                                  const QString &actor);

    Result<QList<RosterEntry>, StoreError> roster(Id sessionId);
    Result<KioskDay, StoreError> kioskDay(Id siteId, const QString &room, const QDate &date);

    Result<std::optional<Id>, StoreError> siteIdByName(const QString &name);
    Result<std::optional<Id>, StoreError> roomId(Id siteId, const QString &code);
    Result<QList<SiteRooms>, StoreError> sites(); // by name

    Status<StoreError> setPublishedCount(Id sessionId, std::optional<int> count, const QString &actor);
    Result<std::optional<Id>, StoreError> collegeOfSession(Id sessionId);

private:
    SqlConnection &m_sql;
    AuditLog &m_audit;
    const Clock &m_clock;
};

} // namespace kaodian::server
