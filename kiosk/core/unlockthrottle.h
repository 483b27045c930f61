#pragma once

// Failed attempts at the site passphrase and the growing wait they impose
// before the next one. They must be read while the store is still locked,
// when the encrypted database cannot be, so they are kept beside it in a
// small side file (kiosk.unlock: JSON, replaced atomically by QSaveFile,
// mode 0600), never inside the database.
//
// Tampering: whoever can edit that file can as well copy kiosk.key and guess
// offline, slowed only by its PBKDF2 rounds; the wait is there for the
// touch screen, where no file can be reached. So the file is kept such that
// editing it buys at most what deleting it does (no wait), never a longer
// lock-out of the proctor: a damaged or foreign file counts as the longest
// wait from its last change, a huge count waits the longest step and no
// more, a failure recorded after now (the clock set back, or an edit) ends
// the wait. Each attempt is counted before the passphrase is tried, so
// switching the kiosk off mid-attempt saves no guess; an attempt that
// cannot be counted is refused.
//
// Thread-safety: a value over one file; used from one thread.

#include "core/result.h"
#include "core/storeerror.h"

#include <QDateTime>
#include <QString>

namespace kaodian::kiosk {

class UnlockThrottle
{
public:
    static constexpr int kFreeAttempts = 3;         // typing slips: no wait
    static constexpr int kFirstWaitSeconds = 30;    // after the 4th failure in a row, then doubling
    static constexpr int kLongestWaitSeconds = 600; // and never more than 10 minutes

    explicit UnlockThrottle(QString path);

    // The wait after this many failed attempts in a row: none for the first
    // three, then 30 s, 60 s, 120 s … up to 10 minutes.
    [[nodiscard]] static int waitAfter(int failures);

    // Seconds before the next attempt may be made (0: now).
    [[nodiscard]] int secondsToWait(const QDateTime &now) const;
    // Failed attempts in a row, as recorded.
    [[nodiscard]] int failures() const;

    // Counts an attempt about to be made, as failed until clear() says it was not.
    Status<StoreError> countAttempt(const QDateTime &now);
    // The passphrase was right: the count starts again.
    Status<StoreError> clear();

private:
    struct State
    {
        int failures = 0;
        QDateTime lastFailure; // UTC; invalid when none
    };
    [[nodiscard]] State read() const;
    Status<StoreError> write(const State &state);

    QString m_path;
};

} // namespace kaodian::kiosk
