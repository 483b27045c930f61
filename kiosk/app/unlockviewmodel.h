#pragma once

// The locked screen: a proctor types the site passphrase; the store opens or
// the screen says why not (wrong passphrase, damaged store kept aside, …,
// said from the store error's code: storeerrortext.h). Nothing of the roster
// is read before. After wrong passphrases in a row the next attempt must
// wait (kiosk/core/unlockthrottle.h, kept across restarts): the seconds left
// count down and unlocking is refused until they are over.
// GUI thread only; the services outlive it.

#include "waitcountdown.h"

#include <QObject>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

namespace kaodian::kiosk {

class KioskServices;

class UnlockViewModel : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(bool unlocked READ isUnlocked NOTIFY unlockedChanged)
    Q_PROPERTY(bool storeExists READ storeExists NOTIFY unlockedChanged)
    Q_PROPERTY(QString errorMessage READ errorMessage NOTIFY errorMessageChanged)
    Q_PROPERTY(QString dataDir READ dataDir CONSTANT)
    // Seconds before the next attempt may be made (0: now), and in words.
    Q_PROPERTY(int waitSeconds READ waitSeconds NOTIFY waitChanged)
    Q_PROPERTY(QString waitText READ waitText NOTIFY waitChanged)

public:
    explicit UnlockViewModel(QObject *parent = nullptr);
    explicit UnlockViewModel(KioskServices *services, QObject *parent = nullptr);

    [[nodiscard]] bool isUnlocked() const;
    [[nodiscard]] bool storeExists() const;
    [[nodiscard]] QString errorMessage() const { return m_errorMessage; }
    [[nodiscard]] QString dataDir() const;
    [[nodiscard]] int waitSeconds() const { return m_wait.seconds(); }
    [[nodiscard]] QString waitText() const;

    // Opens the store; false with errorMessage set when it cannot.
    Q_INVOKABLE bool unlock(const QString &passphrase);
    Q_INVOKABLE void clearError();
    // Reads the wait again (the countdown does, once a second).
    Q_INVOKABLE void refreshWait();

Q_SIGNALS:
    void unlockedChanged();
    void errorMessageChanged();
    void waitChanged();

private:
    // isWait: the message is the wait's, renewed as it counts down.
    void setError(const QString &message, bool isWait = false);

    QPointer<KioskServices> m_services;
    QString m_errorMessage;
    bool m_errorIsWait = false;
    WaitCountdown m_wait{this, &UnlockViewModel::refreshWait};
};

} // namespace kaodian::kiosk
