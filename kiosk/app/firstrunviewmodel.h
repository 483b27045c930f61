#pragma once

// The first-run screen of a kiosk with no data yet: a proctor scans the
// enrolment QR (the KDENROL1 text `kaodian-server kiosk enrol` prints and
// the dashboard shows) with the camera or the wedge scanner, sets the site
// passphrase and the proctor PIN, each typed twice; the kiosk makes its
// first contact with the server (EnrolmentClient) and, enrolled, goes on
// unlocked to check-in. A bad scan or a failed contact says why in words
// and what to do. Every word of the screen is written here.
// GUI thread only; the services outlive it.

#include "kiosk/sync/enrolmentclient.h"

#include <QObject>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

#include <optional>

namespace kaodian::kiosk {

class KioskServices;

class FirstRunViewModel : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(Step step READ step NOTIFY stepChanged)
    Q_PROPERTY(QString message READ message NOTIFY messageChanged)
    Q_PROPERTY(bool messageIsError READ messageIsError NOTIFY messageChanged)
    // Which server and kiosk the scanned code enrols with, in words.
    Q_PROPERTY(QString codeSummary READ codeSummary NOTIFY stepChanged)
    Q_PROPERTY(bool cameraAvailable READ cameraAvailable CONSTANT)
    // What a passphrase must be, in words, shown under its fields.
    Q_PROPERTY(QString passphraseRule READ passphraseRule CONSTANT)

public:
    enum Step {
        Scan,      // waiting for the enrolment QR
        Secrets,   // a code is scanned: passphrase and PIN
        Enrolling, // first contact with the server under way
    };
    Q_ENUM(Step)

    // Rules for what is typed at setup (the passphrase's: kiosk/core/passphraserule.h).
    static constexpr int kMinPinLength = 6;
    static constexpr int kMaxPinLength = 12; // the PIN pad's

    explicit FirstRunViewModel(QObject *parent = nullptr);
    explicit FirstRunViewModel(KioskServices *services, QObject *parent = nullptr);

    [[nodiscard]] Step step() const { return m_step; }
    [[nodiscard]] QString message() const { return m_message; }
    [[nodiscard]] bool messageIsError() const { return m_messageIsError; }
    [[nodiscard]] QString codeSummary() const;
    [[nodiscard]] bool cameraAvailable() const;
    [[nodiscard]] QString passphraseRule() const;

    // The time the first contact may take (ms).
    void setTimeout(int ms) { m_client.setTimeout(ms); }

    // A scanned text: an enrolment code moves on to the passphrase and PIN;
    // anything else says why not and waits for the next scan.
    Q_INVOKABLE void submitScan(const QString &text);
    // Checks what was typed, then enrols with the server. False, with the
    // message set, when the entries are refused; true once contact starts.
    Q_INVOKABLE bool enrol(const QString &passphrase, const QString &passphraseAgain, const QString &pin,
                           const QString &pinAgain);
    // Back to scanning (another code).
    Q_INVOKABLE void rescan();

Q_SIGNALS:
    void stepChanged();
    void messageChanged();
    // The kiosk is enrolled and unlocked: check-in follows.
    void enrolled();

private:
    void contacted(const Result<QByteArray, EnrolmentError> &result, const QString &passphrase, const QString &pin);
    [[nodiscard]] QString failureText(const EnrolmentError &error) const;
    void setStep(Step step);
    void setMessage(const QString &message, bool isError);

    QPointer<KioskServices> m_services;
    EnrolmentClient m_client;
    Step m_step = Step::Scan;
    std::optional<EnrolmentCode> m_code;
    QByteArray m_installationId; // one per screen: a retry is the same installation
    std::optional<SigningKey> m_deviceKey; // made with it; kept in the store at enrolment
    QString m_message;
    bool m_messageIsError = false;
};

} // namespace kaodian::kiosk
