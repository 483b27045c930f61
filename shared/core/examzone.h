#pragma once

// The exam time zone: every exam date and time in the regulation is China
// Standard Time (UTC+8), whatever the zone of the machine. The one place
// this is written.
// Thread-safe: pure functions.

#include <QDateTime>
#include <QString>
#include <QTimeZone>

namespace kaodian {

// China Standard Time, a fixed UTC+8 offset (no daylight saving).
inline QTimeZone examZone()
{
    return QTimeZone(8 * 3600);
}

// The exam day that instant t falls on.
inline QDate examDate(const QDateTime &t)
{
    return t.toTimeZone(examZone()).date();
}

// t on the exam clock in format; empty for an invalid time.
inline QString examClock(const QDateTime &t, const QString &format = QStringLiteral("HH:mm"))
{
    return t.isValid() ? t.toTimeZone(examZone()).toString(format) : QString();
}

// The instant of an exam-clock date and time.
inline QDateTime examTime(const QDate &date, const QTime &time)
{
    return QDateTime(date, time, examZone());
}

} // namespace kaodian
