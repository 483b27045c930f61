#pragma once

// The locked screen: a proctor types the site passphrase; the store opens or
// the screen says why not (wrong passphrase, damaged store kept aside, …, in
// the store's own words). Nothing of the roster is read before.
// GUI thread only; the services outlive it.

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

public:
    explicit UnlockViewModel(QObject *parent = nullptr);
    explicit UnlockViewModel(KioskServices *services, QObject *parent = nullptr);

    [[nodiscard]] bool isUnlocked() const;
    [[nodiscard]] bool storeExists() const;
    [[nodiscard]] QString errorMessage() const { return m_errorMessage; }
    [[nodiscard]] QString dataDir() const;

    // Opens the store; false with errorMessage set when it cannot.
    Q_INVOKABLE bool unlock(const QString &passphrase);
    Q_INVOKABLE void clearError();

Q_SIGNALS:
    void unlockedChanged();
    void errorMessageChanged();

private:
    void setError(const QString &message);

    QPointer<KioskServices> m_services;
    QString m_errorMessage;
};

} // namespace kaodian::kiosk
