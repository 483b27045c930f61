#pragma once

// Changing the site passphrase, from proctor mode: the current passphrase,
// then the new one twice. The new one must meet the rule
// (kiosk/core/passphraserule.h, said in `rule`); a wrong current one counts
// as a failed unlock and waits as long (kiosk/core/unlockthrottle.h), so
// this screen is no way round the unlock screen's limit. Only the key file
// changes: the data stays as it is. Every word of the panel is here.
// GUI thread only; the services outlive it.

#include "waitcountdown.h"

#include <QObject>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

namespace kaodian::kiosk {

class KioskServices;

class ChangePassphraseViewModel : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString rule READ rule CONSTANT)
    Q_PROPERTY(QString message READ message NOTIFY messageChanged)
    Q_PROPERTY(bool messageIsError READ messageIsError NOTIFY messageChanged)
    // Seconds before the current passphrase may be tried again (0: now).
    Q_PROPERTY(int waitSeconds READ waitSeconds NOTIFY waitChanged)

public:
    explicit ChangePassphraseViewModel(QObject *parent = nullptr);
    explicit ChangePassphraseViewModel(KioskServices *services, QObject *parent = nullptr);

    [[nodiscard]] QString rule() const;
    [[nodiscard]] QString message() const { return m_message; }
    [[nodiscard]] bool messageIsError() const { return m_messageIsError; }
    [[nodiscard]] int waitSeconds() const { return m_wait.seconds(); }

    // Checks what was typed and changes the passphrase: true when changed,
    // else false with the reason in message.
    Q_INVOKABLE bool change(const QString &current, const QString &next, const QString &nextAgain);
    // A fresh panel: no message.
    Q_INVOKABLE void clear();
    Q_INVOKABLE void refreshWait();

Q_SIGNALS:
    void messageChanged();
    void waitChanged();

private:
    void setMessage(const QString &message, bool isError);

    QPointer<KioskServices> m_services;
    QString m_message;
    bool m_messageIsError = false;
    WaitCountdown m_wait{this, &ChangePassphraseViewModel::refreshWait};
};

} // namespace kaodian::kiosk
