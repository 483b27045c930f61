#pragma once

// What happens at the door: a scanned text becomes a durable check-in or a
// refusal with its reason; proctors check in by hand, undo, mark late,
// absent or excused, record incidents and results, and close the session.
// Current state is derived from the event log (core/statistics.h) and kept
// in memory, updated as each event is stored, and announced (eventAppended)
// so that sync and screens follow without being told.
//
// It speaks codes and facts, never words: a refusal is a ScanResult or an
// ActionRefusal with the times, rooms, kiosks and sessions it concerns; the
// view models (kiosk/app) say it in the candidate's and proctor's language.
//
// Threads: one (the thread it lives on, the UI thread in the app); the store
// is the service's. A QObject for its signals only (Qt Core, no Qt Quick).

#include "kiosk/core/kioskstore.h"

#include "core/statistics.h"
#include "core/ticket.h"

#include <QHash>
#include <QObject>
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
    Withdrawn,       // 已退考: the office withdrew the registration (replacedAt: when)
};

// A stable ASCII code for each result, e.g. "checked_in", "other_room".
QString scanResultCode(ScanResult result);

// A scan's outcome: the code and every fact the card on screen shows.
struct ScanOutcome
{
    ScanResult result = ScanResult::BadTicket;
    TicketError ticketError = TicketError::Empty;
    std::optional<RosterCandidate> candidate;
    // The candidate's session as the package has it, whenever the candidate
    // is on the roster (OtherSession, OtherDay say when it is).
    std::optional<PackageSession> session;
    QString sessionTitle;    // set once the ticket is for the candidate's session
    QString doorRoom;        // this kiosk's room (OtherRoom); empty: every room
    QDateTime previousAt;    // AlreadyCheckedIn
    QString previousKiosk;   // AlreadyCheckedIn
    bool previousHere = false; // AlreadyCheckedIn: at this kiosk
    QDateTime replacedAt;    // Revoked (null: when is not known), Withdrawn: when it was withdrawn
    QDateTime opensAt;       // NotOpenYet
    QString storeFailure;    // StoreFailure: the store's reason, for the log
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

// Why a proctor action was refused.
enum class ActionRefusal : std::uint8_t {
    NotOnRoster = 1,
    ManualReasonRequired,   // a check-in by hand says why (e.g. ticket lost)
    AlreadyCheckedIn,       // ActionError::at says when
    AnnulReasonRequired,
    NothingToAnnul,
    LateNeedsCheckIn,       // late is marked on a check-in
    ExcuseReasonRequired,
    IncidentNoteRequired,   // an incident of category Other says what
    ResultNeedsCheckIn,     // results only for those who sat
    ScoreOutOfRange,        // 0–100
    SignerRequired,         // the sign-off names who signs
    SessionAlreadyClosed,   // signed off: reopen first (attendance changes, a second sign-off)
    SessionNotClosed,       // nothing to reopen
    ReopenReasonRequired,   // a reopening says why
    StoreFailure,           // ActionError::storeMessage says why
};

// A refused proctor action: the code and its facts.
struct ActionError
{
    ActionRefusal refusal = ActionRefusal::StoreFailure;
    QDateTime at;         // AlreadyCheckedIn: the check-in's time (null: unknown)
    QString storeMessage; // StoreFailure: the store's reason
};

class CheckInService : public QObject
{
    Q_OBJECT

public:
    using Clock = std::function<QDateTime()>;
    explicit CheckInService(KioskStore &store, Clock clock = [] { return QDateTime::currentDateTimeUtc(); },
                            QObject *parent = nullptr);

    // Re-reads keys, revocations and roster after provisioning.
    void reload();

    ScanOutcome scan(QByteArrayView text);

    // Proctor actions; each appends one event (annul: one per check-in it undoes).
    Status<ActionError> manualCheckIn(Id registrationId, const QString &reason);
    Status<ActionError> annul(Id registrationId, const QString &reason);
    Status<ActionError> markLate(Id registrationId);
    Status<ActionError> markAbsent(Id registrationId);
    Status<ActionError> markExcused(Id registrationId, const QString &reason);
    Status<ActionError> recordIncident(Id registrationId, IncidentCategory category, const QString &note);
    Status<ActionError> recordResult(Id registrationId, Outcome outcome, std::optional<int> score);
    // Signs the room off: a sign_off event with the counts as they stand
    // and the signers (at least one); the session is then closed at this
    // door. closeSession names one signer by name (the shared PIN's form).
    Status<ActionError> signOff(Id sessionId, const QList<protocol::Signer> &signers);
    Status<ActionError> closeSession(Id sessionId, const QString &signedBy);
    // Opens a signed-off session again (a reopen event with its reason).
    Status<ActionError> reopen(Id sessionId, const QString &reason);
    // An incident of the room, no candidate (停电/断网, 设备故障 …); the note is optional.
    Status<ActionError> recordRoomIncident(Id sessionId, IncidentCategory category, const QString &note);
    // The room's incidents of a session at this kiosk, oldest first.
    [[nodiscard]] QList<KioskEvent> roomIncidents(Id sessionId) const;

    // The proctor acting now (工号; empty: the shared PIN, or nobody): every
    // proctor action's event records it.
    void setActingProctor(const QString &staffNumber) { m_actingProctor = staffNumber; }
    [[nodiscard]] QString actingProctor() const { return m_actingProctor; }
    // The proctors assigned to this door's sessions (the package's), one
    // each, by name; empty when none are assigned (the shared PIN then).
    [[nodiscard]] QList<PackageProctor> proctorsHere() const;

    // The server revoked this kiosk: stop checking in, export the unsent
    // events to exportPath, and only then erase the roster.
    Status<QString> handleRevocation(const QString &reason, const QString &exportPath);

    // The session the door is checking in now: the earliest of today's
    // sessions with candidates in this room that is not closed and not over.
    [[nodiscard]] std::optional<PackageSession> currentSession() const;
    // The session the proctor screen opens on: the current one, else the
    // first with candidates at this door (else the package's first); but the session signed off last today stays in
    // view (after a restart too) until the next session's check-in opens.
    // Zero when the package has no session.
    [[nodiscard]] Id proctorSession() const;
    // The package's sessions with candidates at this door, in package order.
    [[nodiscard]] QList<PackageSession> sessionsHere() const;
    // One session of the package.
    [[nodiscard]] std::optional<PackageSession> session(Id sessionId) const;
    [[nodiscard]] QList<RosterCandidate> roster(Id sessionId) const;
    [[nodiscard]] RegistrationState state(Id registrationId) const;
    [[nodiscard]] SessionCounts counts(Id sessionId) const;
    [[nodiscard]] QDateTime now() const { return m_clock(); }
    KioskStore &store() { return m_store; }

Q_SIGNALS:
    // An event is durable in the store (check-in, annul, mark, incident, result).
    void eventAppended(const kaodian::KioskEvent &event);
    // A proctor signed a session off.
    void sessionClosed(kaodian::Id sessionId);
    // A proctor reopened a signed-off session.
    void sessionReopened(kaodian::Id sessionId);
    // The package was read again (provisioning, revocation): sessions, roster and states.
    void reloaded();

private:
    Status<ActionError> append(KioskEvent event);
    Status<ActionError> refuseWhenClosed(Id sessionId) const;
    void rederive(Id registrationId);

    KioskStore &m_store;
    Clock m_clock;
    TicketVerifier m_verifier;
    // Copies, not pointers into the store's package: provisioning replaces it.
    QHash<QString, RosterCandidate> m_byTicket;
    QHash<Id, RosterCandidate> m_byRegistration;
    QSet<Id> m_sessionsInRoom; // sessions with candidates at this door
    QHash<QString, QDateTime> m_revoked; // "ticket#serial" -> replaced at
    QSet<QString> m_withdrawn;           // "ticket#serial" revoked as withdrawn (退考)
    QHash<Id, RegistrationState> m_states;
    QHash<Id, std::vector<KioskEvent>> m_eventsByRegistration;
    // counts() of each session asked for, kept up to date event by event
    // (rederive), so the check-in screen's counts cost no roster walk per scan.
    mutable QHash<Id, SessionCounts> m_counts;
    QString m_actingProctor;
};

} // namespace kaodian::kiosk
