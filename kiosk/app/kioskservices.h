#pragma once

// The kiosk's app-lifetime services as QML sees them: the data folder, the
// clock, the encrypted store once a proctor has unlocked it, the check-in
// service over it, and the feedback sound. main.cpp (or a test) owns the one
// instance and hands it to QML through create().
//
// Ownership and threads: owns the store and the service; GUI thread only.
// Nothing of the roster is reachable while locked: store() and checkIn()
// are null until unlock() succeeds and again after lock().

#include "kiosk/core/checkinservice.h"
#include "kiosk/core/kioskstore.h"
#include "kiosk/sync/syncclient.h"
#include "core/examzone.h"

#include <QObject>
#include <QTimeZone>
#include <QtQml/qqmlregistration.h>

#include <memory>

class QQmlEngine;
class QJSEngine;

namespace kaodian::kiosk {

class SoundFeedback;

// What enrolling a kiosk needs: the code the office issued, the site
// passphrase the store is created (or opened) with, the proctor PIN, and
// when the first contact was made at the kiosk's screen the installation
// id and device key it was made with and the signed package it brought.
struct KioskEnrolmentRequest
{
    EnrolmentCode code;
    QString passphrase;
    QString pin;                // may be empty when the store already has one
    QByteArray installationId;  // empty: the sync client makes one (and a device key)
    QByteArray package;         // empty: the sync client downloads it
    std::optional<SigningKey> deviceKey = std::nullopt; // the one whose public half the first contact sent
};

class KioskServices : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(bool unlocked READ isUnlocked NOTIFY unlockedChanged)
    Q_PROPERTY(bool storeExists READ storeExists NOTIFY unlockedChanged)
    Q_PROPERTY(bool demoMode READ demoMode CONSTANT)
    Q_PROPERTY(QString kioskId READ kioskId NOTIFY unlockedChanged)
    Q_PROPERTY(QString site READ site NOTIFY unlockedChanged)
    Q_PROPERTY(QString room READ room NOTIFY unlockedChanged)
    // Sync with the server (when enrolled): shown quietly on the check-in screen.
    Q_PROPERTY(bool syncEnabled READ syncEnabled NOTIFY syncChanged)
    Q_PROPERTY(bool online READ online NOTIFY syncChanged)
    Q_PROPERTY(int waitingEvents READ waitingEvents NOTIFY syncChanged)
    Q_PROPERTY(QString lastSync READ lastSync NOTIFY syncChanged)
    Q_PROPERTY(bool revoked READ revoked NOTIFY syncChanged)
    // The on-screen keyboard (touchkeyboard.h) is loaded: main.cpp decides.
    Q_PROPERTY(bool touchKeyboard READ touchKeyboard CONSTANT)
    // The kiosk's language (--lang): "zh" or "en". The on-screen keyboard follows it.
    Q_PROPERTY(QString language READ language CONSTANT)

public:
    using Clock = CheckInService::Clock;

    explicit KioskServices(KioskPaths paths, Clock clock = {}, QObject *parent = nullptr);
    ~KioskServices() override;

    // The instance QML gets (owned by whoever set it; it must outlive the engines).
    static void setInstance(KioskServices *services);
    static KioskServices *instance();
    static KioskServices *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);

    [[nodiscard]] const KioskPaths &paths() const { return m_paths; }
    [[nodiscard]] bool isUnlocked() const { return m_service != nullptr; }
    [[nodiscard]] bool storeExists() const;
    [[nodiscard]] QDateTime now() const { return m_clock(); }
    [[nodiscard]] QString kioskId() const;
    [[nodiscard]] QString site() const;
    [[nodiscard]] QString room() const;

    [[nodiscard]] bool demoMode() const { return m_demoMode; }
    void setDemoMode(bool demo) { m_demoMode = demo; }
    [[nodiscard]] bool touchKeyboard() const { return m_touchKeyboard; }
    void setTouchKeyboard(bool on) { m_touchKeyboard = on; }
    [[nodiscard]] QString language() const { return m_language; }
    void setLanguage(const QString &language) { m_language = language; }
    // Seconds without a touch before proctor mode locks itself (--proctor-idle; default 120).
    [[nodiscard]] int proctorIdleSeconds() const { return m_proctorIdleSeconds; }
    void setProctorIdleSeconds(int seconds) { m_proctorIdleSeconds = seconds > 0 ? seconds : 120; }
    // PBKDF2 rounds for a store created here (tests lower it).
    void setKdfIterations(int iterations) { m_kdfIterations = iterations; }

    // Opens the store with the site passphrase; the error's message is for the screen.
    // Wrong passphrases in a row make the next attempt wait (TooManyAttempts).
    Status<StoreError> unlock(const QString &passphrase);
    // Seconds before the next passphrase may be tried (0: now), by this clock.
    [[nodiscard]] int unlockWait() const;
    // Changes the site passphrase of the open store (kiosk/core/passphraserule.h;
    // the current one is checked with the same waits as unlock()).
    Status<StoreError> changePassphrase(const QString &current, const QString &next);
    // Takes a store opened elsewhere (provisioning, the demo, tests).
    void adopt(KioskStore store);
    // Forgets the store and everything read from it.
    Q_INVOKABLE void lock();

    // Creates the store (or opens an existing one with the passphrase; a
    // new store's passphrase must meet kiosk/core/passphraserule.h),
    // keeps the enrolment code, the installation id and the proctor PIN,
    // provisions the package when there is one, and leaves the kiosk
    // unlocked on the store, syncing. Words for the screen or the log on failure.
    Status<QString> enrol(const KioskEnrolmentRequest &request);

    // Checks the package against the trusted key (the fingerprint given at
    // provisioning, else the key the kiosk already trusts) and provisions
    // the open store with it. Words for the screen or the log on failure.
    Status<QString> provision(const QByteArray &packageBytes, const QString &trustedFingerprint,
                              const QString &kioskId, const QString &room);

    // Whether a package's signer is the key with this SHA-256 fingerprint
    // (hex; colons and spaces ignored), before a store is touched.
    static bool signedBy(const QByteArray &packageBytes, const QString &fingerprint);

    [[nodiscard]] KioskStore *store() { return m_store.get(); }
    [[nodiscard]] CheckInService *checkIn() { return m_service.get(); }

    // The feedback sound (null when there is no Qt Multimedia or it is off).
    void setSoundEnabled(bool enabled);
    [[nodiscard]] SoundFeedback *sound() { return m_sound.get(); }

    [[nodiscard]] bool syncEnabled() const { return m_sync != nullptr; }
    [[nodiscard]] bool online() const;
    [[nodiscard]] int waitingEvents() const;
    [[nodiscard]] QString lastSync() const;
    [[nodiscard]] bool revoked() const;

Q_SIGNALS:
    void unlockedChanged();
    // The service stored an event (CheckInService::eventAppended): the
    // roster, the counts on the check-in screen follow, and the sync runs.
    void eventsChanged();
    // A session was signed off, or the package changed.
    void sessionsChanged();
    void syncChanged();

private:
    KioskPaths m_paths;
    Clock m_clock;
    bool m_demoMode = false;
    bool m_touchKeyboard = false;
    QString m_language = QStringLiteral("zh");
    int m_kdfIterations = kDefaultKdfIterations;
    int m_proctorIdleSeconds = 120;
    std::unique_ptr<KioskStore> m_store;
    std::unique_ptr<CheckInService> m_service;
    std::unique_ptr<SoundFeedback> m_sound;
    std::unique_ptr<SyncClient> m_sync;
    void startSync();
};

} // namespace kaodian::kiosk
