#include "unlockviewmodel.h"

#include "storeerrortext.h"

#include "kioskservices.h"
#include "passphrasetext.h"

#include <QDir>

namespace kaodian::kiosk {

UnlockViewModel::UnlockViewModel(QObject *parent) : UnlockViewModel(KioskServices::instance(), parent) {}

UnlockViewModel::UnlockViewModel(KioskServices *services, QObject *parent) : QObject(parent), m_services(services)
{
    if (m_services)
        connect(m_services, &KioskServices::unlockedChanged, this, &UnlockViewModel::unlockedChanged);
    refreshWait(); // a wait from before a restart still holds
}

QString UnlockViewModel::waitText() const
{
    return m_wait.seconds() > 0 ? passphraseWaitText(m_wait.seconds()) : QString();
}

void UnlockViewModel::refreshWait()
{
    if (!m_wait.set(m_services && m_services->storeExists() ? m_services->unlockWait() : 0))
        return;
    Q_EMIT waitChanged();
    if (m_errorIsWait) // the message counts down with it, and goes at 0
        setError(waitText(), true);
}

bool UnlockViewModel::isUnlocked() const
{
    return m_services && m_services->isUnlocked();
}

bool UnlockViewModel::storeExists() const
{
    return m_services && m_services->storeExists();
}

QString UnlockViewModel::dataDir() const
{
    return m_services ? QDir::toNativeSeparators(m_services->paths().dir) : QString();
}

bool UnlockViewModel::unlock(const QString &passphrase)
{
    if (!m_services) {
        setError(tr("内部错误：没有可用的数据存储"));
        return false;
    }
    if (passphrase.isEmpty()) {
        setError(tr("请输入考点口令"));
        return false;
    }
    if (!m_services->storeExists()) {
        setError(tr("本机尚未配置考点数据（%1），请用 --provision 导入场次数据包").arg(dataDir()));
        return false;
    }
    refreshWait();
    if (m_wait.seconds() > 0) {
        setError(waitText(), true);
        return false;
    }
    const auto s = m_services->unlock(passphrase);
    refreshWait();
    if (!s) {
        if (s.error().code == StoreError::Code::TooManyAttempts && m_wait.seconds() > 0)
            setError(waitText(), true);
        else
            setError(storeErrorText(s.error()));
        return false;
    }
    setError({});
    return true;
}

void UnlockViewModel::clearError()
{
    setError({});
}

void UnlockViewModel::setError(const QString &message, bool isWait)
{
    m_errorIsWait = isWait && !message.isEmpty();
    if (message == m_errorMessage)
        return;
    m_errorMessage = message;
    Q_EMIT errorMessageChanged();
}

} // namespace kaodian::kiosk
