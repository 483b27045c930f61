#pragma once

// What time it is, injectable: production reads the system clock in UTC;
// tests hand in a clock they move themselves.
// Thread-safety: systemClock() is safe from any thread; a Clock is as safe
// as the function it wraps.

#include <QDateTime>

#include <functional>

namespace kaodian {

using Clock = std::function<QDateTime()>;

inline Clock systemClock()
{
    return [] { return QDateTime::currentDateTimeUtc(); };
}

} // namespace kaodian
