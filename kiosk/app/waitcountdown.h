#pragma once

// The site passphrase's wait as a screen shows it (UnlockViewModel,
// ChangePassphraseViewModel): the seconds left, and a one-second tick
// while there are any, on which the owner asks the store again. Not a
// QObject; lives in its owner, on the UI thread.

#include <QObject>
#include <QTimer>

namespace kaodian::kiosk {

class WaitCountdown
{
public:
    // onTick is called on `owner`'s thread once a second while a wait runs.
    template<typename Owner, typename Slot>
    WaitCountdown(Owner *owner, Slot onTick)
    {
        m_timer.setInterval(1000);
        QObject::connect(&m_timer, &QTimer::timeout, owner, onTick);
    }

    [[nodiscard]] int seconds() const { return m_seconds; }

    // The wait the store now reports; true when it changed.
    bool set(int seconds)
    {
        if (seconds > 0)
            m_timer.start();
        else
            m_timer.stop();
        if (seconds == m_seconds)
            return false;
        m_seconds = seconds;
        return true;
    }

private:
    QTimer m_timer;
    int m_seconds = 0;
};

} // namespace kaodian::kiosk
