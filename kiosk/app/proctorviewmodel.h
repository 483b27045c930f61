#pragma once

// Proctor mode, behind the PIN: the live roster with search and counts, the
// actions on the selected candidate (manual check-in, undo, late, absent,
// excused, incident, result), and closing the session with sign-off, which
// shows attended / published, the participation rate and the 第七条(五) 30%
// warning (exact integers, core/statistics.h). Each action's outcome is in
// `message`. GUI thread only; the services outlive it.

#include "rostermodel.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace kaodian::kiosk {

class KioskServices;

class ProctorViewModel : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(bool authenticated READ isAuthenticated NOTIFY authenticatedChanged)
    Q_PROPERTY(bool hasPin READ hasPin NOTIFY authenticatedChanged)
    Q_PROPERTY(bool pinLocked READ isPinLocked NOTIFY pinChanged)
    Q_PROPERTY(QString pinMessage READ pinMessage NOTIFY pinChanged)
    // Named proctors (the package's, for this door's sessions): each
    // {staffNumber, name, hasPin}. Empty: nobody is assigned, and the shared
    // PIN opens proctor mode as before (docs/proctors.md).
    Q_PROPERTY(QVariantList proctors READ proctors NOTIFY proctorsChanged)
    Q_PROPERTY(bool namedProctors READ hasNamedProctors NOTIFY proctorsChanged)
    // The proctor tapped (then acting, once in): 工号 and name; empty: none yet.
    Q_PROPERTY(QString proctorStaffNumber READ proctorStaffNumber NOTIFY pinChanged)
    Q_PROPERTY(QString proctorName READ proctorName NOTIFY pinChanged)
    // The proctor tapped has no PIN yet: the pad sets one (typed twice).
    Q_PROPERTY(bool settingPin READ isSettingPin NOTIFY pinChanged)
    Q_PROPERTY(bool confirmingPin READ isConfirmingPin NOTIFY pinChanged)
    // Seconds without a touch before proctor mode locks itself, back to
    // check-in (KioskServices::proctorIdleSeconds, --proctor-idle).
    Q_PROPERTY(int idleLockSeconds READ idleLockSeconds WRITE setIdleLockSeconds NOTIFY idleLockSecondsChanged)

    Q_PROPERTY(QVariantList sessions READ sessions NOTIFY sessionsChanged)
    Q_PROPERTY(qint64 sessionId READ sessionId WRITE setSessionId NOTIFY sessionChanged)
    Q_PROPERTY(QString sessionTitle READ sessionTitle NOTIFY sessionChanged)
    Q_PROPERTY(bool sessionClosed READ isSessionClosed NOTIFY sessionChanged)
    Q_PROPERTY(kaodian::kiosk::RosterModel *roster READ roster CONSTANT)

    Q_PROPERTY(int expected READ expected NOTIFY countsChanged)
    Q_PROPERTY(int checkedIn READ checkedIn NOTIFY countsChanged)
    Q_PROPERTY(int late READ late NOTIFY countsChanged)
    Q_PROPERTY(int notYet READ notYet NOTIFY countsChanged)
    Q_PROPERTY(int absent READ absent NOTIFY countsChanged)
    Q_PROPERTY(int excused READ excused NOTIFY countsChanged)
    // Sign-off: attended (sat) against the published count 公布考试人数.
    Q_PROPERTY(int attended READ checkedIn NOTIFY countsChanged)
    Q_PROPERTY(int published READ published NOTIFY countsChanged) // -1: none published
    Q_PROPERTY(QString publishedText READ publishedText NOTIFY countsChanged)
    Q_PROPERTY(QString participationText READ participationText NOTIFY countsChanged)
    Q_PROPERTY(QString participationVerdict READ participationVerdictKey NOTIFY countsChanged) // ok, low, no_published
    Q_PROPERTY(bool belowThirtyPercent READ isBelowThirtyPercent NOTIFY countsChanged)
    Q_PROPERTY(QString participationWarning READ participationWarning NOTIFY countsChanged)
    // A kiosk signs off its room; the published count is the session's, across
    // every room. The room's figures (attended / registered in this room) and
    // the session's (published, registered and rooms) are shown apart; the
    // session's 参考率 and the 30% rule are judged here only when every
    // candidate of the session is in this room, else by the server.
    Q_PROPERTY(QString room READ room NOTIFY sessionChanged)
    Q_PROPERTY(QString roomFiguresText READ roomFiguresText NOTIFY countsChanged)
    Q_PROPERTY(QString sessionFiguresText READ sessionFiguresText NOTIFY countsChanged)
    Q_PROPERTY(int sessionRegistered READ sessionRegistered NOTIFY countsChanged) // -1: unknown
    Q_PROPERTY(int sessionRooms READ sessionRooms NOTIFY countsChanged)           // -1: unknown
    Q_PROPERTY(bool wholeSessionHere READ isWholeSessionHere NOTIFY countsChanged)
    Q_PROPERTY(QString participationNote READ participationNote NOTIFY countsChanged)
    // The sign-off as stored (it survives a restart): who and when.
    Q_PROPERTY(QString signedBy READ signedBy NOTIFY sessionChanged)
    Q_PROPERTY(QString signOffText READ signOffText NOTIFY sessionChanged)
    // Who signs: 工号 of the proctors chosen (the acting one to start with).
    Q_PROPERTY(QStringList signers READ signers NOTIFY signersChanged)
    // Reasons to reopen a signed-off session, chosen from a list.
    Q_PROPERTY(QStringList reopenReasons READ reopenReasons CONSTANT)
    // The room's incidents (no candidate): categories to choose from, and
    // those recorded for the session ({text}).
    Q_PROPERTY(QVariantList roomIncidentCategories READ roomIncidentCategories CONSTANT)
    Q_PROPERTY(QVariantList roomIncidents READ roomIncidents NOTIFY countsChanged)

    Q_PROPERTY(qint64 selectedRegistrationId READ selectedRegistrationId WRITE select NOTIFY selectionChanged)
    Q_PROPERTY(bool hasSelection READ hasSelection NOTIFY selectionChanged)
    Q_PROPERTY(QString selectedName READ selectedName NOTIFY selectionChanged)
    Q_PROPERTY(QString selectedTicket READ selectedTicket NOTIFY selectionChanged)
    Q_PROPERTY(QString selectedSeat READ selectedSeat NOTIFY selectionChanged)
    Q_PROPERTY(QString selectedMaskedId READ selectedMaskedId NOTIFY selectionChanged)
    Q_PROPERTY(QString selectedStatus READ selectedStatus NOTIFY selectionChanged)
    Q_PROPERTY(QString selectedStatusKey READ selectedStatusKey NOTIFY selectionChanged)
    Q_PROPERTY(QString selectedResult READ selectedResult NOTIFY selectionChanged)

    Q_PROPERTY(QString message READ message NOTIFY messageChanged)
    Q_PROPERTY(bool messageIsError READ messageIsError NOTIFY messageChanged)
    Q_PROPERTY(QVariantList incidentCategories READ incidentCategories CONSTANT)
    // Candidates of the selected session checked in more than once (at two
    // kiosks while offline), as the server found at the last sync: each
    // {registrationId, name, ticketNumber, text}; the earliest check-in counts.
    Q_PROPERTY(QVariantList conflicts READ conflicts NOTIFY conflictsChanged)

public:
    // Mirrors kaodian::IncidentCategory for QML.
    enum Incident {
        Misconduct = int(IncidentCategory::Misconduct),
        EquipmentFailure = int(IncidentCategory::EquipmentFailure),
        Illness = int(IncidentCategory::Illness),
        PowerOrNetwork = int(IncidentCategory::PowerOrNetwork),
        OtherIncident = int(IncidentCategory::Other),
    };
    Q_ENUM(Incident)

    explicit ProctorViewModel(QObject *parent = nullptr);
    explicit ProctorViewModel(KioskServices *services, QObject *parent = nullptr);

    [[nodiscard]] bool isAuthenticated() const { return m_authenticated; }
    [[nodiscard]] bool hasPin() const;
    [[nodiscard]] bool isPinLocked() const { return m_pinLocked; }
    [[nodiscard]] QString pinMessage() const { return m_pinMessage; }

    [[nodiscard]] QVariantList sessions() const { return m_sessions; }
    [[nodiscard]] qint64 sessionId() const { return m_sessionId; }
    void setSessionId(qint64 id);
    [[nodiscard]] QString sessionTitle() const;
    [[nodiscard]] bool isSessionClosed() const;
    [[nodiscard]] RosterModel *roster() { return &m_roster; }

    [[nodiscard]] int expected() const { return m_counts.expected; }
    [[nodiscard]] int checkedIn() const { return m_counts.checkedIn; }
    [[nodiscard]] int late() const { return m_counts.late; }
    [[nodiscard]] int notYet() const { return m_counts.notYet; }
    [[nodiscard]] int absent() const { return m_counts.absent; }
    [[nodiscard]] int excused() const { return m_counts.excused; }
    [[nodiscard]] int published() const { return m_counts.published.value_or(-1); }
    [[nodiscard]] QString publishedText() const;
    [[nodiscard]] QString participationText() const;
    [[nodiscard]] QString participationVerdictKey() const;
    [[nodiscard]] bool isBelowThirtyPercent() const;
    [[nodiscard]] QString participationWarning() const;
    [[nodiscard]] QString room() const;
    [[nodiscard]] QString roomFiguresText() const;
    [[nodiscard]] QString sessionFiguresText() const;
    [[nodiscard]] int sessionRegistered() const { return m_counts.sessionRegistered.value_or(-1); }
    [[nodiscard]] int sessionRooms() const { return m_counts.sessionRooms.value_or(-1); }
    [[nodiscard]] bool isWholeSessionHere() const { return m_counts.wholeSessionHere(); }
    [[nodiscard]] QString participationNote() const;
    [[nodiscard]] QString signedBy() const;
    [[nodiscard]] QString signOffText() const;

    [[nodiscard]] qint64 selectedRegistrationId() const { return m_selected; }
    [[nodiscard]] bool hasSelection() const { return m_selected != 0; }
    [[nodiscard]] QString selectedName() const;
    [[nodiscard]] QString selectedTicket() const;
    [[nodiscard]] QString selectedSeat() const;
    [[nodiscard]] QString selectedMaskedId() const;
    [[nodiscard]] QString selectedStatus() const;
    [[nodiscard]] QString selectedStatusKey() const;
    [[nodiscard]] QString selectedResult() const;

    [[nodiscard]] QString message() const { return m_message; }
    [[nodiscard]] bool messageIsError() const { return m_messageIsError; }
    [[nodiscard]] QVariantList incidentCategories() const;
    // The label of an incident category as the buttons show it (in the kiosk's language).
    [[nodiscard]] QString incidentLabel(int category) const;
    [[nodiscard]] QVariantList conflicts() const { return m_conflicts; }

    [[nodiscard]] QVariantList proctors() const { return m_proctors; }
    [[nodiscard]] bool hasNamedProctors() const { return !m_proctors.isEmpty(); }
    [[nodiscard]] QString proctorStaffNumber() const { return m_proctorStaff; }
    [[nodiscard]] QString proctorName() const;
    [[nodiscard]] bool isSettingPin() const;
    [[nodiscard]] bool isConfirmingPin() const { return !m_firstPin.isEmpty(); }
    [[nodiscard]] int idleLockSeconds() const { return m_idleSeconds; }
    void setIdleLockSeconds(int seconds);
    [[nodiscard]] QStringList signers() const { return m_signers; }
    [[nodiscard]] QStringList reopenReasons() const;
    [[nodiscard]] QVariantList roomIncidentCategories() const;
    [[nodiscard]] QVariantList roomIncidents() const;

    // Named proctors: the proctor taps their own name, then enters their PIN.
    Q_INVOKABLE void chooseProctor(const QString &staffNumber);
    // Back to the list of names.
    Q_INVOKABLE void clearProctor();
    // PIN: true when it opens proctor mode; pinMessage says why not. For a
    // named proctor with no PIN yet, the first call takes the new PIN and
    // the second confirms it (then it is set, and proctor mode opens).
    Q_INVOKABLE bool enterPin(const QString &pin);
    // Adds or removes a proctor among those who sign.
    Q_INVOKABLE void toggleSigner(const QString &staffNumber);
    // Signs the selected session off with the signers chosen (named proctors).
    Q_INVOKABLE bool signOff();
    // Reopens the selected session, for a reason.
    Q_INVOKABLE bool reopen(const QString &reason);
    // Records an incident of the room (no candidate); the note is optional.
    Q_INVOKABLE bool roomIncident(int category, const QString &note);
    // Any touch in proctor mode: the idle lock starts again.
    Q_INVOKABLE void touched();
    // Back to the check-in screen; the PIN is asked again next time.
    Q_INVOKABLE void leave();
    // Locks the whole kiosk (the passphrase is asked again).
    Q_INVOKABLE void lockKiosk();
    Q_INVOKABLE void select(qint64 registrationId);

    // Actions on the selected candidate; false with message set on refusal.
    Q_INVOKABLE bool manualCheckIn(const QString &reason);
    Q_INVOKABLE bool annul(const QString &reason);
    Q_INVOKABLE bool markLate();
    Q_INVOKABLE bool markAbsent();
    Q_INVOKABLE bool markExcused(const QString &reason);
    Q_INVOKABLE bool incident(int category, const QString &note);
    // score: empty for none, else a whole number 0–100.
    Q_INVOKABLE bool result(bool passed, const QString &score);
    // Closes the selected session, signed by the proctor named.
    Q_INVOKABLE bool closeSession(const QString &signedBy);

    Q_INVOKABLE void refresh();

Q_SIGNALS:
    void authenticatedChanged();
    void pinChanged();
    void sessionsChanged();
    void sessionChanged();
    void countsChanged();
    void selectionChanged();
    void messageChanged();
    void conflictsChanged();
    void proctorsChanged();
    void signersChanged();
    void idleLockSecondsChanged();
    // Proctor mode locked itself after idleLockSeconds without a touch.
    void idleLocked();

private:
    CheckInService *service() const;
    bool act(const Status<ActionError> &status, const QString &done);
    QString refusalText(const ActionError &error) const;
    bool requireSelection();
    void setMessage(const QString &message, bool error);
    void setAuthenticated(bool authenticated);
    void reloadSessions();
    void refreshCounts();
    void refreshConflicts();
    void reloadProctors();
    bool eventFilter(QObject *watched, QEvent *event) override;

    QPointer<KioskServices> m_services;
    RosterModel m_roster;
    bool m_authenticated = false;
    bool m_pinLocked = false;
    QString m_pinMessage;
    QVariantList m_sessions;
    qint64 m_sessionId = 0;
    SessionCounts m_counts;
    qint64 m_selected = 0;
    QString m_message;
    bool m_messageIsError = false;
    QVariantList m_conflicts;
    QVariantList m_proctors;
    QString m_proctorStaff; // tapped, then acting
    QString m_firstPin;     // a new PIN typed once, waiting for its confirmation
    QStringList m_signers;
    int m_idleSeconds = 120;
    QTimer m_idle;
};

} // namespace kaodian::kiosk
