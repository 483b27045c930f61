#pragma once

// The regulation's rules beyond the statistics (DESIGN.md, "The regulation's
// rules"): 第七条(二) weekly reports, 第二条(三) certificates against majors,
// 第十六条(二) qualified teachers, 第九条(五) site agreements, 第七条(一) and
// 第九条(一) cancelled certificates. Pure functions over plain values, exact,
// with dates in China Standard Time (core/examzone.h): the caller says what
// today is. Each flag names its objects in words (certificate, level,
// college; site; weeks) and carries the numbers the rule looked at.
// Thread-safe: no shared state.

#include "core/domain.h"

#include <QDate>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace kaodian {

// The articles of the compliance rules, as GET /api/v1/compliance names them.
enum class ComplianceRule : std::uint8_t {
    WeeklyReports,        // 第七条(二)
    CertificatesVsMajors, // 第二条(三)
    QualifiedTeachers,    // 第十六条(二)
    SiteAgreement,        // 第九条(五)
    CancelledPilot,       // 第七条(一)
    CancelledSite,        // 第九条(一)
};
QString complianceArticle(ComplianceRule rule); // "第七条(二)" …

enum class ComplianceSeverity : std::uint8_t {
    Flag,    // the rule is broken
    Warning, // not yet: an agreement ending within 60 days
};

// One finding of a rule: which rule, about what, with the numbers, in words.
struct ComplianceFlag
{
    ComplianceRule rule = ComplianceRule::WeeklyReports;
    ComplianceSeverity severity = ComplianceSeverity::Flag;
    QString subjectKind; // "pilot", "college", "site"
    Id subjectId = 0;
    QList<QDate> weeks;     // 第七条(二): the Mondays of the weeks missed, in order
    QStringList objects;    // what the flag names beyond its subject: majors, certificates
    qint64 numerator = 0;   // 第二条(三): certificates; 第九条(五): days left or past
    qint64 denominator = 0; // 第二条(三): majors
    QString message;        // Simplified Chinese
};

// ---- 第七条(二): weekly reports (周报) ----------------------------------

// The Monday of the week (Monday–Sunday) that date falls in.
QDate weekOf(const QDate &date);

// The instant a week's report is due: the end of the following Monday in
// China time, i.e. the report is on time when submitted before Tuesday
// 00:00:00 China time, eight days after the week's Monday.
QDateTime reportDeadline(const QDate &weekMonday);

// On time: submitted before the deadline (Monday 23:59:59.999 is on time,
// Tuesday 00:00:00 is late).
bool reportOnTime(const QDate &weekMonday, const QDateTime &submittedAt);

// The state of one week for one pilot.
enum class WeekState : std::uint8_t {
    NotOwed,  // before the pilot's start, or exempt (寒暑假, holidays)
    Open,     // its deadline has not passed: nothing judged yet
    OnTime,   // reported by the deadline
    Late,     // reported after the deadline: shown as late, counts as missing
    Missing,  // deadline passed, no report
};

struct PilotReports
{
    Id pilotId = 0;
    QString pilotName; // "Web前端开发 中级（信息工程学院）"
    bool active = true;
    QDate startDate;   // the pilot's 开始日期; invalid: owes nothing
    // The first submission of each week, by the week's Monday.
    QHash<QDate, QDateTime> submittedAt;
};

// The state of every week from the one holding the pilot's start date to the
// one holding now, in order (empty for an inactive pilot or no start date).
// exempt: the Mondays of the office's exemption calendar.
QList<std::pair<QDate, WeekState>> weekStates(const PilotReports &pilot, const QSet<QDate> &exempt,
                                              const QDateTime &now);

// 第七条(二): one flag per run of two or more consecutive owed weeks that
// were not reported on time (late counts as missing), naming every week of
// the run. Exempt weeks and weeks before the start neither count as missing
// nor break a run; an on-time week breaks it; open weeks are not judged.
QList<ComplianceFlag> weeklyReportFlags(const QList<PilotReports> &pilots, const QSet<QDate> &exempt,
                                        const QDateTime &now);

// ---- 第二条(三): certificates against majors -----------------------------

struct CollegeOffer
{
    Id collegeId = 0;
    QString collegeName;
    int activeMajors = 0;
    // The certificate names of the college's active pilots (duplicates count once).
    QStringList activePilotCertificates;
};

// A college whose distinct certificates across its active pilots exceed its
// active majors (equal is fine).
QList<ComplianceFlag> certificateCountFlags(const QList<CollegeOffer> &colleges);

// ---- 第十六条(二): qualified teachers ------------------------------------

enum class QualificationKind : std::uint8_t { Trainer = 1 /* 培训教师 */, Assessor = 2 /* 考评员 */ };

struct Qualification
{
    QString major;        // the teacher's major (专业)
    QString certificate;  // the certificate the qualification is for
    QualificationKind kind = QualificationKind::Trainer;
    QDate validFrom;      // inclusive; invalid: no lower bound
    QDate validUntil;     // inclusive; invalid: no upper bound
};

// Valid on date: validFrom <= date <= validUntil (a qualification valid
// until today is valid today).
bool qualificationValidOn(const Qualification &q, const QDate &date);

struct PilotStaffing
{
    Id pilotId = 0;
    QString pilotName;
    QString certificate;
    bool active = true;
    QStringList approvedMajors; // 试点专业
};

// 第十六条(二): an active pilot one of whose approved majors has no teacher
// of that major holding a 培训教师 or 考评员 qualification for the pilot's
// certificate valid today; the flag lists those majors.
QList<ComplianceFlag> qualifiedTeacherFlags(const QList<PilotStaffing> &pilots,
                                            const QList<Qualification> &qualifications, const QDate &today);

// ---- 第九条(五): site agreements ----------------------------------------

constexpr int kAgreementWarningDays = 60;

struct SiteAgreement
{
    Id siteId = 0;
    QString siteName;
    QString agreementNumber; // 合作协议编号; empty: none recorded
    QDate validUntil;        // inclusive; invalid: none recorded
};

// The agreement holds on date: recorded and date <= validUntil (an
// agreement ending today still holds today).
bool agreementHoldsOn(const SiteAgreement &site, const QDate &date);

// 第九条(五): a flag for a site whose agreement has ended (or was never
// recorded), a warning for one ending within 60 days (today included).
QList<ComplianceFlag> siteAgreementFlags(const QList<SiteAgreement> &sites, const QDate &today);

// Why a session on examDate cannot be scheduled at the site (its agreement
// does not hold on that day), or empty when it can.
QString sessionRefusedAtSite(const SiteAgreement &site, const QDate &examDate);

// ---- 第七条(一), 第九条(一): cancelled certificates ----------------------

struct CertificateCancellation
{
    QString certificate;
    QDate cancelledOn;  // in force from this day
    QString document;   // 文件号
};

struct PilotOfCertificate
{
    Id pilotId = 0;
    QString pilotName;
    QString certificate;
    bool active = true;
};

struct SiteOfCertificates
{
    Id siteId = 0;
    QString siteName;
    QStringList certificates; // certificates examined at the site
};

// 第七条(一): every active pilot of a certificate cancelled on or before
// today; 第九条(一): every site that examines one.
QList<ComplianceFlag> cancelledCertificateFlags(const QList<CertificateCancellation> &cancellations,
                                                const QList<PilotOfCertificate> &pilots,
                                                const QList<SiteOfCertificates> &sites, const QDate &today);

} // namespace kaodian
