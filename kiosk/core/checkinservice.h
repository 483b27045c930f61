#pragma once

// What happens at the door: a scanned text becomes a durable check-in or a
// refusal with its reason; proctors check in by hand, undo, mark late,
// absent or excused, record incidents and results, and close the session.
// Current state is derived from the event log (core/statistics.h) and kept
// in memory, updated as each event is stored.
//
// Threads: one (the UI thread); the store is the service's.

#include "kiosk/core/kioskstore.h"

#include "core/statistics.h"
#include "core/ticket.h"

#include <QHash>
#include <QSet>

#include <functional>

namespace kaodian::kiosk {

// Why a scan did not check anyone in, or that it did.
enum class ScanResult : std::uint8_t {
    CheckedIn = 1,   // 签到成功
    CheckedInLate,   // 签到成功（迟到）
    BadTicket,       // forged, damaged, unknown key … (ticketError says which)
    Revoked,         // 已作废: replaced by a re-issued ticket
    NotOnRoster,     // signed, but not in this kiosk's roster
    OtherSession,    // another session at this site
    OtherRoom,       // this session, another room
    OtherDay,        // a session on another day
    AlreadyCheckedIn, // when and where are in the outcome
    NotOpenYet,      // before check-in opens
    SessionClosed,   // the proctor closed it
    StoreFailure,    // could not be recorded: the candidate must go to the proctor
    KioskRevoked,    // the server revoked this kiosk: check-in happens elsewhere
};

// A scan's outcome, with everything the card on screen shows.
struct ScanOutcome
{
    ScanResult result = ScanResult::BadTicket;
    TicketError ticketError = TicketError::Empty;
    std::optional<RosterCandidate> candidate;
    QString sessionTitle;
    QDateTime previousAt;    // AlreadyCheckedIn
    QString previousKiosk;   // AlreadyCheckedIn
    QDateTime replacedAt;    // Revoked
    QDateTime opensAt;       // NotOpenYet
    QString headline;        // 签到成功 / 无法签到
    QString detail;          // the reason in words, Simplified Chinese
    [[nodiscard]] bool success() const
    {
        return result == ScanResult::CheckedIn || result == ScanResult::CheckedInLate;
    }
};

// Counts for the proctor's roster header and the sign-off.
struct SessionCounts
{
    int expected = 0;   // registered in this room
    int checkedIn = 0;  // sat so far (late included)
    int late = 0;
    int notYet = 0;
    int absent = 0;
    int excused = 0;
    std::optional<int> published; // 公布考试人数: the whole session's, every room
    // The whole session across rooms, from the package (or, when the package
    // holds every room of the site, from its roster); nullopt when unknown.
    std::optional<int> sessionRegistered;
    std::optional<int> sessionRooms;
    // Every candidate of the session is at this door, so the room's figures
    // are the session's and the 30% rule can be judged here; otherwise only
    // the server, adding up every room, can judge it.
    [[nodiscard]] bool wholeSessionHere() const { return sessionRegistered && *sessionRegistered == expected; }
};

class CheckInService
{
public:
    using Clock = std::function<QDateTime()>;
    CheckInService(KioskStore &store, Clock clock = [] { return QDateTime::currentDateTimeUtc(); });

    // Re-reads keys, revocations and roster after provisioning.
    void reload();

    ScanOutcome scan(QByteArrayView text);

    // Proctor actions; each appends one event. Errors are words for the screen.
    Status<QString> manualCheckIn(Id registrationId, const QString &reason);
    Status<QString> annul(Id registrationId, const QString &reason);
    Status<QString> markLate(Id registrationId);
    Status<QString> markAbsent(Id registrationId);
    Status<QString> markExcused(Id registrationId, const QString &reason);
    Status<QString> recordIncident(Id registrationId, IncidentCategory category, const QString &note);
    Status<QString> recordResult(Id registrationId, Outcome outcome, std::optional<int> score);
    Status<QString> closeSession(Id sessionId, const QString &signedBy);

    // The server revoked this kiosk: stop checking in, export the unsent
    // events to exportPath, and only then erase the roster.
    Status<QString> handleRevocation(const QString &reason, const QString &exportPath);

    // The session the door is checking in now: the earliest of today's
    // sessions with candidates in this room that is not closed and not over.
    [[nodiscard]] std::optional<PackageSession> currentSession() const;
    [[nodiscard]] QList<RosterCandidate> roster(Id sessionId) const;
    [[nodiscard]] RegistrationState state(Id registrationId) const;
    [[nodiscard]] SessionCounts counts(Id sessionId) const;
    [[nodiscard]] QDateTime now() const { return m_clock(); }
    KioskStore &store() { return m_store; }

private:
    Status<QString> append(KioskEvent event);
    void rederive(Id registrationId);

    KioskStore &m_store;
    Clock m_clock;
    TicketVerifier m_verifier;
    // Copies, not pointers into the store's package: provisioning replaces it.
    QHash<QString, RosterCandidate> m_byTicket;
    QHash<Id, RosterCandidate> m_byRegistration;
    QSet<Id> m_sessionsInRoom; // sessions with candidates at this door
    QHash<QString, QDateTime> m_revoked; // "ticket#serial" -> replaced at
    QHash<Id, RegistrationState> m_states;
    QHash<Id, std::vector<KioskEvent>> m_eventsByRegistration;
    // counts() of each session asked for, kept up to date event by event
    // (rederive), so the check-in screen's counts cost no roster walk per scan.
    mutable QHash<Id, SessionCounts> m_counts;
};

} // namespace kaodian::kiosk
