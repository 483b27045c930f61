#pragma once

// The data the regulation's rules need (docs/compliance.md, "The data the
// rules need"), kept by the office, 教务处 and 人事处: majors, pilots (their
// registration, approved majors and number, start and state), teachers and
// their qualifications, exam sites and their agreements, and certificate
// cancellations. Files are applied here all or nothing, each an upsert by
// natural key (majors: college + code; pilots: college + certificate +
// level; teachers: 工号, and the file's qualifications of each teacher in
// it; sites: name); the same file again changes nothing and says so. Single
// records are edited here too. Every change is audited in its transaction.
//
// Thread-safety: as its SqlConnection (one thread at a time).

#include "import/basedataimport.h"
#include "store/auditlog.h"

#include <optional>

namespace kaodian::server {

// What applying a file did: records (a major, pilot, teacher, qualification
// or site) created, updated, left as they were, removed (qualifications no
// longer in the file), and warnings that do not refuse it.
struct BaseDataSummary
{
    int rows = 0;
    int created = 0, updated = 0, unchanged = 0, removed = 0;
    QStringList warnings;
    [[nodiscard]] bool changed() const { return created + updated + removed > 0; }
};

// Refusal: problems in the file's terms (line, column), or a store failure.
struct BaseDataFailure
{
    QList<ImportProblem> problems;
    std::optional<StoreError> storeError;
};

struct MajorRecord
{
    Id id = 0, collegeId = 0;
    QString college, code, name;
    bool active = true;
};

struct PilotRecord
{
    Id id = 0, collegeId = 0;
    QString college, certificate;
    CertificateLevel level = CertificateLevel::Junior;
    bool registered = false; // false: 未登记 (made by a roster)
    QString trainingOrg;
    QStringList majors; // 试点专业
    std::optional<int> approvedCount;
    QDate approvedOn, startDate;
    bool active = true;
    QDateTime withdrawnAt; // 取消试点 (by a case); invalid: not withdrawn
    int candidates = 0;    // distinct candidates registered (not withdrawn) in its sessions

    [[nodiscard]] QString name() const; // "Web前端开发 中级（信息工程学院）"
};

struct QualificationRecord
{
    Id id = 0;
    QualificationKind kind = QualificationKind::Trainer;
    QString certificate;
    CertificateLevel level = CertificateLevel::Junior;
    QString number;
    QDate validFrom, validUntil;
};

struct TeacherRecord
{
    Id id = 0, collegeId = 0;
    QString staffNumber, name, college, major;
    QList<QualificationRecord> qualifications;
};

struct SiteRecord
{
    Id id = 0;
    QString name, address, agreementNumber;
    QDate agreementStarts, agreementEnds;
    QDateTime withdrawnAt; // 取消考点 (by a case)
};

struct CertificateRecord
{
    Id id = 0;
    QString name, trainingOrg;
    QDate cancelledOn; // invalid: not cancelled
    QString document, cancelledBy;
    QDateTime cancelledAt;
};

// A single edit from the dashboard. Unset fields keep their value.
struct MajorEdit
{
    std::optional<QString> code, name;
    std::optional<bool> active;
};
struct PilotEdit
{
    std::optional<QString> trainingOrg;
    std::optional<QStringList> majors;
    std::optional<std::optional<int>> approvedCount;
    std::optional<QDate> approvedOn, startDate; // an invalid date clears approvedOn
    std::optional<bool> active;
};
struct SiteEdit
{
    std::optional<QString> address, agreementNumber;
    std::optional<QDate> agreementStarts, agreementEnds; // an invalid date clears
};
struct TeacherEdit
{
    std::optional<QString> name, major; // major "" : none
};
struct QualificationEdit
{
    std::optional<QString> number;
    std::optional<QDate> validFrom, validUntil; // an invalid date clears (no bound)
};

class BaseDataStore
{
public:
    BaseDataStore(SqlConnection &sql, AuditLog &audit, const Clock &clock) : m_sql(sql), m_audit(audit), m_clock(clock) {}

    // Files, all or nothing. Majors: a college not yet known is created;
    // a major a roster made (no code yet) is found by name and given its
    // code. Pilots: the college and each 试点专业 must be known (majors
    // first); importing registers the pilot (未登记 → 登记) and its
    // approved majors become the file's. Teachers: the college and the
    // major must be known; each teacher's qualifications become the
    // file's rows for that teacher. Sites: by name, rooms untouched.
    Result<BaseDataSummary, BaseDataFailure> applyMajors(const MajorFile &file, const QString &fileName,
                                                          const QString &actor);
    Result<BaseDataSummary, BaseDataFailure> applyPilots(const PilotFile &file, const QString &fileName,
                                                          const QString &actor);
    Result<BaseDataSummary, BaseDataFailure> applyTeachers(const TeacherFile &file, const QString &fileName,
                                                            const QString &actor);
    Result<BaseDataSummary, BaseDataFailure> applySites(const SiteFile &file, const QString &fileName,
                                                         const QString &actor);

    // Lists, in a stable order (college, then name or code).
    Result<QList<MajorRecord>, StoreError> majors();
    Result<QList<PilotRecord>, StoreError> pilots();
    Result<QList<TeacherRecord>, StoreError> teachers();
    Result<QList<SiteRecord>, StoreError> sites();
    Result<QList<CertificateRecord>, StoreError> certificates();

    // Single edits: true when changed, false when it already was so.
    // DatabaseMissing for an unknown id, Refused (message in Chinese) for
    // a value the data forbids (a code or name taken, an unknown major).
    Result<bool, StoreError> updateMajor(Id id, const MajorEdit &edit, const QString &actor);
    Result<bool, StoreError> updatePilot(Id id, const PilotEdit &edit, const QString &actor);
    Result<bool, StoreError> updateSite(Id id, const SiteEdit &edit, const QString &actor);
    Result<bool, StoreError> updateTeacher(Id id, const TeacherEdit &edit, const QString &actor);
    Result<bool, StoreError> updateQualification(Id id, const QualificationEdit &edit, const QString &actor);

    // 取消: a certificate, every level of it, cancelled from `on` by
    // `document`. DatabaseMissing for an unknown certificate; false when
    // already cancelled so.
    Result<bool, StoreError> cancelCertificate(const QString &certificate, const QDate &on, const QString &document,
                                               const QString &actor);

private:
    SqlConnection &m_sql;
    AuditLog &m_audit;
    const Clock &m_clock;
};

} // namespace kaodian::server
