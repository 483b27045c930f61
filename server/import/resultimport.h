#pragma once

// Reads the results file (成绩单) the 培训评价组织 sends after an exam: a CSV
// (UTF-8 with or without BOM, GB18030, UTF-16 as Excel's "Unicode text") or
// the first worksheet of an .xlsx, read by the same readers as rosters.
// Columns are found by header name; each row names a registration (by
// 准考证号, or by 身份证号 with 证书 and 等级) and its outcome (通过 / 不通过 /
// 缺考) with optional scores. This checks the file on its own; whether each
// row agrees with what is stored (the candidate exists, the name matches,
// the kiosks' attendance allows the outcome) is the store's check
// (store/resultstore.h). Every problem with its line and column
// (docs/results-import.md). Pure function, thread-safe.

#include "core/domain.h"
#include "core/result.h"
#include "import/importproblem.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>

namespace kaodian::server {

// Larger files are refused unread.
inline constexpr qsizetype kResultsMaxFileBytes = qsizetype(20) * 1024 * 1024;
// Scores are kept in tenths of a point, exact: 0 to 100 points with at most
// one decimal (85.5 is 855).
inline constexpr int kMaxScoreTenths = 1000;

// An outcome as a results file or the office gives it. The values are the
// ones stored (result_record.outcome); Pass and Fail equal kaodian::Outcome's.
enum class ResultOutcome : std::uint8_t { Pass = 1, Fail = 2, Absent = 3 };

// "通过" / "不通过" / "缺考".
QString resultOutcomeName(ResultOutcome outcome);
// "pass" / "fail" / "absent" (the API's words), and back.
QString resultOutcomeKey(ResultOutcome outcome);
std::optional<ResultOutcome> resultOutcomeFromKey(const QString &key);
// 通过, 合格, 是 → Pass; 不通过, 不合格, 未通过, 否 → Fail; 缺考 → Absent.
std::optional<ResultOutcome> resultOutcomeFromWord(const QString &word);

// Score text ("85", "85.5", "85.50") or an Excel number ("78.299999999999997")
// to tenths; nullopt when it is not a number with at most one decimal.
std::optional<int> parseScoreTenths(const QString &text, bool excelNumber);
// Tenths as the office writes them: "85", "85.5".
QString formatScoreTenths(int tenths);

// One row of a results file, normalised.
struct ResultRow
{
    int line = 0;
    QString ticketNumber;          // empty: found by ID number, certificate and level
    bool ticketWasNumber = false;  // an Excel number cell (leading zeros may be gone)
    QString idNumber;              // normalised; may be empty when the ticket number is given
    QString name;                  // may be empty (no 姓名 column, or left empty)
    QString certificate;
    std::optional<CertificateLevel> level;
    ResultOutcome outcome = ResultOutcome::Pass;
    std::optional<int> theory, practical, total; // tenths of a point

    friend bool operator==(const ResultRow &, const ResultRow &) = default;
};

// A results file that passed the checks it can make alone.
struct ResultFile
{
    QList<ResultRow> rows; // in file order
    QStringList ignoredColumns;
    // Column name ("准考证号", "姓名", "考核结果" …) -> its header as the file writes it.
    QHash<QString, QString> columnHeaders;
    QString encoding; // "UTF-8", "GB18030", "UTF-16LE", "UTF-16BE"; "UTF-8" for .xlsx
    bool xlsx = false;
    QString sha256;   // lower-case hex of the file's bytes

    // The header the file gives a column, or its name when it has none.
    [[nodiscard]] QString header(const QString &name) const { return columnHeaders.value(name, name); }
};

// Parses a results file. On failure the list holds every problem found, at
// most kMaxListedProblems of them and then "…还有 N 处错误".
Result<ResultFile, QList<ImportProblem>> parseResultFile(const QByteArray &bytes, const QString &fileName);
// The same, for an import that lists every problem at once: problems go to
// the collector, and the rows that read are returned (the rows with a
// problem left out) whenever the header could be read, so that the store's
// checks can add theirs; nullopt when the file as a whole could not be read.
std::optional<ResultFile> readResultFile(const QByteArray &bytes, const QString &fileName, ProblemCollector &problems);

} // namespace kaodian::server
