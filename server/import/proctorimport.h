#pragma once

// Reads the proctor file (监考安排) the exam office imports: a CSV (UTF-8
// with or without BOM, GB18030, UTF-16) or the first worksheet of an .xlsx,
// by the roster's readers (sheetfile.h). Columns by header name: 场次编号,
// 考场, 工号, 姓名, 手机号 (optional). One row puts one proctor in one
// session's room. This checks the file on its own; whether the session and
// room exist is the store's check (store/proctorstore.h). Every problem
// with its line and column (docs/proctors.md). Pure function, thread-safe.

#include "core/domain.h"
#include "import/importproblem.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace kaodian::server {

inline constexpr qsizetype kProctorsMaxFileBytes = qsizetype(5) * 1024 * 1024;

struct ProctorRow
{
    int line = 0;
    Id sessionId = 0;
    QString room;
    QString staffNumber;
    QString name;
    QString phone; // digits (and '-' for a landline); may be empty

    friend bool operator==(const ProctorRow &, const ProctorRow &) = default;
};

struct ProctorFile
{
    QList<ProctorRow> rows;
    QString sha256;
    QString encoding;
    bool xlsx = false;
    // The header the file gives each column ("场次编号", "考场" …), for the store's problems.
    QString sessionHeader = QStringLiteral("场次编号");
    QString roomHeader = QStringLiteral("考场");
    QString staffHeader = QStringLiteral("工号");
};

// The rows that read (problems go to the collector); nullopt when the file
// as a whole cannot be read (no header, not a sheet).
std::optional<ProctorFile> readProctorFile(const QByteArray &bytes, const QString &fileName, ProblemCollector &problems);

// 13812345678 -> 138****5678: the phone as the dashboard shows it.
QString maskPhone(const QString &phone);

} // namespace kaodian::server
