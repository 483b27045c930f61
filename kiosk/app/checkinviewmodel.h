#pragma once

// The check-in screen: always ready for the next scan. A scanned text goes
// to the CheckInService; the outcome becomes a card (colour tone, headline,
// the reason in words, the candidate's name, masked ID number, room and
// seat) with a sound, and the screen returns to ready after resetDelay ms.
// The service gives codes and facts; every word on the card is made here
// (tr(): Simplified Chinese source, translations in translations/*.ts).
// GUI thread only; the services outlive it.

#include "core/ticket.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace kaodian::kiosk {

class KioskServices;
struct ScanOutcome;

class CheckInViewModel : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(State state READ state NOTIFY cardChanged)
    // ready | success | late | warning | danger: the colour and the icon.
    Q_PROPERTY(QString tone READ tone NOTIFY cardChanged)
    // Stable ASCII: checked_in, checked_in_late, bad_ticket, revoked, not_on_roster,
    // other_session, other_room, other_day, already_checked_in, not_open_yet,
    // session_closed, store_failure; empty when ready.
    Q_PROPERTY(QString resultCode READ resultCode NOTIFY cardChanged)
    Q_PROPERTY(QString ticketError READ ticketError NOTIFY cardChanged)
    Q_PROPERTY(QString headline READ headline NOTIFY cardChanged)
    Q_PROPERTY(QString detail READ detail NOTIFY cardChanged)
    Q_PROPERTY(QString name READ name NOTIFY cardChanged)
    Q_PROPERTY(QString maskedId READ maskedId NOTIFY cardChanged)
    // The candidate's photo (CandidatePhoto's sha256); empty: none on the roster.
    Q_PROPERTY(QString photo READ photo NOTIFY cardChanged)
    Q_PROPERTY(QString room READ room NOTIFY cardChanged)
    Q_PROPERTY(QString seat READ seat NOTIFY cardChanged)
    Q_PROPERTY(QString sessionTitle READ sessionTitle NOTIFY cardChanged)
    Q_PROPERTY(int resetDelay READ resetDelay WRITE setResetDelay NOTIFY resetDelayChanged)
    // The ready screen's header: the session checking in now and its counts.
    Q_PROPERTY(bool hasSession READ hasSession NOTIFY statusChanged)
    Q_PROPERTY(QString currentSessionTitle READ currentSessionTitle NOTIFY statusChanged)
    Q_PROPERTY(QString currentSessionTime READ currentSessionTime NOTIFY statusChanged)
    Q_PROPERTY(QString kioskRoom READ kioskRoom NOTIFY statusChanged)
    Q_PROPERTY(int checkedInCount READ checkedInCount NOTIFY statusChanged)
    Q_PROPERTY(int expectedCount READ expectedCount NOTIFY statusChanged)
    // A camera and Qt Multimedia are there: the screen shows a camera pane.
    Q_PROPERTY(bool cameraAvailable READ cameraAvailable CONSTANT)

public:
    enum State { Ready, Success, Refused };
    Q_ENUM(State)

    explicit CheckInViewModel(QObject *parent = nullptr);
    explicit CheckInViewModel(KioskServices *services, QObject *parent = nullptr);

    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] QString tone() const { return m_tone; }
    [[nodiscard]] QString resultCode() const { return m_resultCode; }
    [[nodiscard]] QString ticketError() const { return m_ticketError; }
    [[nodiscard]] QString headline() const { return m_headline; }
    [[nodiscard]] QString detail() const { return m_detail; }
    [[nodiscard]] QString name() const { return m_name; }
    [[nodiscard]] QString maskedId() const { return m_maskedId; }
    [[nodiscard]] QString photo() const { return m_photo; }
    [[nodiscard]] QString room() const { return m_room; }
    [[nodiscard]] QString seat() const { return m_seat; }
    [[nodiscard]] QString sessionTitle() const { return m_sessionTitle; }
    [[nodiscard]] int resetDelay() const { return m_resetTimer.interval(); }
    void setResetDelay(int ms);

    [[nodiscard]] bool hasSession() const { return !m_currentSessionTitle.isEmpty(); }
    [[nodiscard]] QString currentSessionTitle() const { return m_currentSessionTitle; }
    [[nodiscard]] QString currentSessionTime() const { return m_currentSessionTime; }
    [[nodiscard]] QString kioskRoom() const { return m_kioskRoom; }
    [[nodiscard]] int checkedInCount() const { return m_checkedInCount; }
    [[nodiscard]] int expectedCount() const { return m_expectedCount; }
    [[nodiscard]] bool cameraAvailable() const;

    // A scanned text (wedge scanner, camera or the demo paste box).
    Q_INVOKABLE void submitScan(const QString &text);
    // Back to ready now.
    Q_INVOKABLE void reset();
    Q_INVOKABLE void refreshStatus();

    // Why a ticket was refused, in the candidate's words (tr()).
    static QString ticketErrorWords(TicketError error);

Q_SIGNALS:
    void cardChanged();
    void resetDelayChanged();
    void statusChanged();

private:
    void show(const ScanOutcome &outcome);
    QString words(const ScanOutcome &outcome) const;

    QPointer<KioskServices> m_services;
    QTimer m_resetTimer;
    State m_state = Ready;
    QString m_tone = QStringLiteral("ready");
    QString m_resultCode, m_ticketError, m_headline, m_detail, m_name, m_maskedId, m_room, m_seat, m_sessionTitle;
    QString m_photo;
    QString m_currentSessionTitle, m_currentSessionTime, m_kioskRoom;
    int m_checkedInCount = 0;
    int m_expectedCount = 0;
};

} // namespace kaodian::kiosk
