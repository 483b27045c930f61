#pragma once

// Reads the files that keep the data the regulation's rules need
// (docs/compliance.md, "The data the rules need"): majors (专业), pilots
// (试点), teachers and their qualifications (师资), exam sites and their
// agreements (考点). Each is a CSV (UTF-8 with or without BOM, GB18030,
// UTF-16) or the first worksheet of an .xlsx, read by the roster's readers;
// columns are found by header name (with aliases, in any order), every cell
// is checked and normalised, and rows are checked against each other. This
// checks the file on its own; whether it agrees with what is stored (a
// college or major that exists) is the store's check
// (store/basedatastore.h). Every problem with its line and column. Pure
// functions, thread-safe.

#include "core/compliance.h"
#include "core/domain.h"
#include "import/importproblem.h"

#include <QDate>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace kaodian::server {

// Larger files are refused unread.
inline constexpr qsizetype kBaseDataMaxFileBytes = qsizetype(20) * 1024 * 1024;

// 专业: 二级学院, 专业代码, 专业名称, 状态 (在招 / 停招; empty: 在招).
struct MajorRow
{
    int line = 0;
    QString college, code, name;
    bool active = true;
};

// 试点: 二级学院, 证书, 等级, 培训评价组织, 试点专业 (one or more, separated
// by 、 ; ； or ,), 批准人数, 批准日期, 开始日期, 状态 (试点中 / 已结束).
struct PilotRow
{
    int line = 0;
    QString college, certificate;
    CertificateLevel level = CertificateLevel::Junior;
    QString trainingOrg;
    QStringList majors;
    std::optional<int> approvedCount;
    QDate approvedOn, startDate; // approvedOn may be invalid (not given)
    bool active = true;
};

// 师资: one row per qualification (a teacher with two has two rows; one
// with none has one row with 资格, 证书 and 等级 empty).
struct TeacherRow
{
    int line = 0;
    QString staffNumber, name, college, major; // major may be empty
    std::optional<QualificationKind> kind;      // empty: no qualification on this row
    QString certificate;
    CertificateLevel level = CertificateLevel::Junior;
    QString number;              // 证书编号
    QDate validFrom, validUntil; // inclusive; invalid: no bound
};

// 考点: 考点, 地址, 合作协议编号, 协议起, 协议止 (the last day it holds).
struct SiteRow
{
    int line = 0;
    QString name, address, agreementNumber;
    QDate agreementStarts, agreementEnds; // invalid: not recorded
};

// A file that passed its own checks.
template<typename Row>
struct BaseDataFile
{
    QList<Row> rows; // in file order
    QStringList ignoredColumns;
    QHash<QString, QString> columnHeaders; // column name -> header as written
    QString encoding;
    bool xlsx = false;
    QString sha256;

    [[nodiscard]] QString header(const QString &name) const { return columnHeaders.value(name, name); }
};

using MajorFile = BaseDataFile<MajorRow>;
using PilotFile = BaseDataFile<PilotRow>;
using TeacherFile = BaseDataFile<TeacherRow>;
using SiteFile = BaseDataFile<SiteRow>;

// Each parser: the file, or nullopt with every problem in `problems` (at
// most kMaxListedProblems listed).
std::optional<MajorFile> readMajorFile(const QByteArray &bytes, const QString &fileName, ProblemCollector &problems);
std::optional<PilotFile> readPilotFile(const QByteArray &bytes, const QString &fileName, ProblemCollector &problems);
std::optional<TeacherFile> readTeacherFile(const QByteArray &bytes, const QString &fileName,
                                           ProblemCollector &problems);
std::optional<SiteFile> readSiteFile(const QByteArray &bytes, const QString &fileName, ProblemCollector &problems);

// Words shared with the dashboard's edits: 在招/停招, 试点中/已结束,
// 培训教师/考评员, and a date as a clerk types it.
std::optional<bool> majorActiveFromWord(const QString &word);
std::optional<bool> pilotActiveFromWord(const QString &word);
std::optional<QualificationKind> qualificationKindFromWord(const QString &word);
QString qualificationKindName(QualificationKind kind);
// The 试点专业 cell split on 、 ; ； , ， and line breaks, trimmed, duplicates dropped.
QStringList splitMajors(const QString &cell);

} // namespace kaodian::server
