#include "changepassphraseviewmodel.h"

#include "storeerrortext.h"

#include "kioskservices.h"
#include "passphrasetext.h"

namespace kaodian::kiosk {

ChangePassphraseViewModel::ChangePassphraseViewModel(QObject *parent)
    : ChangePassphraseViewModel(KioskServices::instance(), parent)
{
}

ChangePassphraseViewModel::ChangePassphraseViewModel(KioskServices *services, QObject *parent)
    : QObject(parent), m_services(services)
{
    refreshWait();
}

QString ChangePassphraseViewModel::rule() const
{
    return passphraseRuleText();
}

void ChangePassphraseViewModel::refreshWait()
{
    if (!m_wait.set(m_services && m_services->isUnlocked() ? m_services->unlockWait() : 0))
        return;
    Q_EMIT waitChanged();
}

bool ChangePassphraseViewModel::change(const QString &current, const QString &next, const QString &nextAgain)
{
    if (!m_services || !m_services->isUnlocked()) {
        setMessage(tr("本机已锁定，请先用考点口令解锁"), true);
        return false;
    }
    if (current.isEmpty()) {
        setMessage(tr("请输入当前的考点口令"), true);
        return false;
    }
    if (const auto problem = passphraseProblem(next)) {
        setMessage(passphraseProblemText(*problem), true);
        return false;
    }
    if (next != nextAgain) {
        setMessage(tr("两次输入的新口令不一致，请重新输入"), true);
        return false;
    }
    if (next == current) {
        setMessage(tr("新口令与当前口令相同，请换一个"), true);
        return false;
    }
    refreshWait();
    if (m_wait.seconds() > 0) {
        setMessage(passphraseWaitText(m_wait.seconds()), true);
        return false;
    }
    const auto status = m_services->changePassphrase(current, next);
    refreshWait();
    if (!status) {
        switch (status.error().code) {
        case StoreError::Code::WrongPassphrase:
            setMessage(tr("当前的考点口令不正确，口令未更改"), true);
            break;
        case StoreError::Code::TooManyAttempts:
            setMessage(m_wait.seconds() > 0 ? passphraseWaitText(m_wait.seconds()) : storeErrorText(status.error()), true);
            break;
        default: setMessage(tr("口令未更改：%1").arg(storeErrorText(status.error())), true); break;
        }
        return false;
    }
    setMessage(tr("考点口令已更改：下次解锁请用新口令"), false);
    return true;
}

void ChangePassphraseViewModel::clear()
{
    setMessage({}, false);
}

void ChangePassphraseViewModel::setMessage(const QString &message, bool isError)
{
    if (message == m_message && isError == m_messageIsError)
        return;
    m_message = message;
    m_messageIsError = isError;
    Q_EMIT messageChanged();
}

} // namespace kaodian::kiosk
