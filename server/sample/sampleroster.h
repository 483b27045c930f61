#pragma once

// Realistic sample roster files for demonstrations and tests: Chinese names,
// valid ID-card numbers (check character per GB 11643), three colleges, a
// handful of 1+X certificates, sessions over a few days, rooms and seats.
// Deterministic for a seed. Thread-safe: pure function.

#include <QByteArray>
#include <QDate>
#include <QDateTime>

#include <optional>

namespace kaodian::server {

struct SampleRosterOptions
{
    int candidates = 300;
    quint32 seed = 1;
    QDate firstExamDate = QDate(2026, 6, 1);
    QString site = QStringLiteral("实训楼考点");
    // When set, the first certificate's session (room 01's, whose first
    // candidate is the roster's first line) is placed so that check-in is
    // open at this moment and a scan is not late, at any hour of the day
    // (exam time): the demo works whenever it is first started.
    std::optional<QDateTime> openAt = std::nullopt;
};

// The day, start and end of a session whose check-in is open at `at` and
// not yet late (kiosk defaults: opens 60 minutes before the start, late 15
// minutes after), all on `at`'s exam date.
struct OpenSessionTimes
{
    QDate date;
    QTime start, end;
};
OpenSessionTimes openSessionTimes(const QDateTime &at);

// A roster CSV (UTF-8 with BOM) in the template's columns.
QByteArray sampleRosterCsv(const SampleRosterOptions &options);

} // namespace kaodian::server
