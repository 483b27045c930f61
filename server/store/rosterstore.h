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
};
struct KioskDay
{
    QList<KioskSessionRow> sessions;
    QList<KioskRosterRow> roster;
    QList<std::pair<QString, int>> revoked; // ticket number, serial
    QList<QDateTime> revokedAt;
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
    // row that contradicts what is stored refuses the whole file with its
    // line and column. Audited.
    Result<ImportSummary, ImportFailure> applyRoster(const RosterFile &file, const QString &fileName,
                                                     const QString &actor);

    Result<std::optional<TicketSubject>, StoreError> ticketSubject(const QString &ticketNumber);
    // Every registration of a session (by room, then seat in natural order),
    // or the given ticket numbers (in the order given; an unknown number is
    // a DatabaseMissing error naming it).
    Result<QList<TicketPrintRow>, StoreError> ticketPrintRows(Id sessionId);
    Result<QList<TicketPrintRow>, StoreError> ticketPrintRows(const QStringList &ticketNumbers);
    // In one transaction the serial goes up by one, the old serial is
    // revoked as of now (to the second: what kiosks show as the replacement
    // time) and the change is audited. DatabaseMissing for an unknown number.
    Result<Reissue, StoreError> reissueTicket(const QString &ticketNumber, const QString &actor);

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
