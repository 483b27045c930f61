#pragma once

// Reads the roster file the exam office (继续教育学院) imports candidates from:
// a CSV (UTF-8 with or without BOM, GB18030 as Excel on Chinese Windows saves
// it, UTF-16 as Excel's "Unicode text") or the first worksheet of an .xlsx.
// Columns are found by header name (with aliases, in any order), every cell is
// checked and normalised, and the rows are checked against each other.
// All or nothing: any problem refuses the whole file, and every problem found
// is reported (docs/roster-import.md). Pure function, thread-safe.

#include "core/domain.h"
#include "core/result.h"
#include "import/importproblem.h"

#include <QByteArray>
#include <QDate>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTime>

#include <cstdint>

namespace kaodian::server {

// Larger files are refused unread.
inline constexpr qsizetype kRosterMaxFileBytes = qsizetype(20) * 1024 * 1024;
// Longest text a cell may hold (names, majors, sites …).
inline constexpr qsizetype kRosterMaxCellLength = 100;

// One candidate's registration in one session, as the file gives it, normalised.
struct RosterRow
{
    int line = 0; // where the clerk finds it (header = 1)
    QString ticketNumber; // 准考证号: 1–20 of 0-9 A-Z '-'
    QString name; // 姓名
    QString idNumber; // 身份证号: 18 characters, upper-case X, checked
    QString studentNumber; // 学号
    QString major; // 专业
    QString className; // 班级 (may be empty)
    QString college; // 二级学院
    QString certificate; // 证书
    CertificateLevel level = CertificateLevel::Junior; // 等级
    QString trainingOrganisation; // 培训评价组织 (may be empty)
    QString site; // 考点
    QString room; // 考场
    QString seat; // 座位号
    QDate examDate; // 考试日期
    QTime startTime; // 开始时间
    QTime endTime; // 结束时间; invalid when the file gives none

    friend bool operator==(const RosterRow &, const RosterRow &) = default;
};

enum class RosterFormat : std::uint8_t { Csv = 1, Xlsx = 2 };

// A roster file that passed every check.
struct RosterFile
{
    QList<RosterRow> rows; // in file order
    QStringList ignoredColumns; // headers, as written, of columns the importer does not use
    // Column name (RosterColumn::name) -> its header as the file writes it,
    // for later problems to name the column the clerk sees ("证件号码").
    QHash<QString, QString> columnHeaders;
    RosterFormat format = RosterFormat::Csv;
    QString encoding; // "UTF-8", "GB18030", "UTF-16LE", "UTF-16BE"; "UTF-8" for .xlsx
    QString sha256; // lower-case hex of the file's bytes: the same file imported again
};

// A column the roster may have: its name, the other names it goes by, and
// whether a file without it is refused.
struct RosterColumn
{
    QString name;
    QStringList aliases;
    bool required = true;
};

// The roster's columns in template order.
const QList<RosterColumn> &rosterColumns();

// Parses a roster file. fileName is the name as uploaded; its extension tells
// .xlsx from text when the content alone does not. On failure the list holds
// every problem found, at most kMaxListedProblems of them and then
// "…还有 N 处错误".
Result<RosterFile, QList<ImportProblem>> parseRosterFile(const QByteArray &bytes, const QString &fileName);

} // namespace kaodian::server
