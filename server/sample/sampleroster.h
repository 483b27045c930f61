#pragma once

// Realistic sample roster files for demonstrations and tests: Chinese names,
// valid ID-card numbers (check character per GB 11643), three colleges, a
// handful of 1+X certificates, sessions over a few days, rooms and seats.
// Deterministic for a seed. Thread-safe: pure function.

#include <QByteArray>
#include <QDate>

namespace kaodian::server {

struct SampleRosterOptions
{
    int candidates = 300;
    quint32 seed = 1;
    QDate firstExamDate = QDate(2026, 6, 1);
    QString site = QStringLiteral("实训楼考点");
};

// A roster CSV (UTF-8 with BOM) in the template's columns.
QByteArray sampleRosterCsv(const SampleRosterOptions &options);

} // namespace kaodian::server
