#pragma once

// Domain types of the 1+X exam site, as ../shared/DESIGN.md names them.
// Plain values: copyable, no behaviour beyond small helpers; thread-safe to
// read from several threads once built.

#include <QDate>
#include <QDateTime>
#include <QString>
#include <QTime>

#include <cstdint>
#include <optional>

namespace kaodian {

using Id = qint64; // long long: converts to QVariant as is

// 二级学院: a secondary college of the institution.
struct College
{
    Id id = 0;
    QString code;
    QString name;
};

// 专业: a major taught by a college.
struct Major
{
    Id id = 0;
    Id collegeId = 0;
    QString code;
    QString name;
};

// 证书等级: 初级 / 中级 / 高级.
enum class CertificateLevel : std::uint8_t { Junior = 1, Intermediate = 2, Senior = 3 };

QString levelName(CertificateLevel level); // "初级" …
std::optional<CertificateLevel> levelFromName(const QString &name);

// X证书: a vocational skill certificate, issued through its 培训评价组织.
struct Certificate
{
    Id id = 0;
    QString code;
    QString name;
    QString trainingOrganisation; // 培训评价组织
};

// 试点: one certificate at one level run by one college (for some majors).
struct Pilot
{
    Id id = 0;
    Id collegeId = 0;
    Id certificateId = 0;
    CertificateLevel level = CertificateLevel::Junior;
    QList<Id> majorIds;
};

// 考点: an exam site, run under an agreement that may expire.
struct ExamSite
{
    Id id = 0;
    QString code;
    QString name;
    QDate agreementExpires; // null when unknown
};

// 考场: a room of an exam site.
struct Room
{
    Id id = 0;
    Id siteId = 0;
    QString code; // as printed on tickets, e.g. "01"
    QString name;
};

// 考试场次: one pilot's exam at a site on a date, with its published count.
struct ExamSession
{
    Id id = 0;
    Id pilotId = 0;
    Id siteId = 0;
    QDate examDate;
    QTime startTime;
    QTime endTime;
    // 公布考试人数; empty until the office publishes it.
    std::optional<int> publishedCount;
    // Minutes before start that check-in opens, and after start that a
    // check-in is marked late rather than on time.
    int checkInOpensMinutes = 60;
    int lateAfterMinutes = 15;
    // Results are final once the office has closed result entry.
    bool resultsFinal = false;
};

// 考生: a candidate. The ID-card number is personal data (PIPL): show it only
// through maskIdNumber().
struct Candidate
{
    Id id = 0;
    QString studentNumber; // 学号
    QString name;          // 姓名
    QString idNumber;      // 身份证号
    Id majorId = 0;
    QString className; // 班级
};

// 报名: a candidate registered in a session, with ticket, room and seat.
struct Registration
{
    Id id = 0;
    Id sessionId = 0;
    Id candidateId = 0;
    QString ticketNumber; // 准考证号
    Id roomId = 0;
    QString seat;
    int ticketSerial = 1; // bumped on re-issue; older serials are revoked
};

// Kinds of event a kiosk records. Events are append-only; state is derived.
enum class EventKind : std::uint8_t {
    CheckIn = 1,   // 签到 (by scan or by hand)
    Annul = 2,     // undo of a mistaken check-in
    MarkLate = 3,  // 迟到
    MarkAbsent = 4, // 缺考
    MarkExcused = 5, // 免考/请假
    Incident = 6,  // 违纪, 设备故障, …
    Result = 7,    // 通过 / 未通过, optional score
};

QString eventKindKey(EventKind kind); // stable ASCII key for storage and API
std::optional<EventKind> eventKindFromKey(const QString &key);

// How a check-in came about.
enum class CheckInMethod : std::uint8_t { Scan = 1, Manual = 2 };

// Incident categories a proctor chooses from.
enum class IncidentCategory : std::uint8_t {
    Misconduct = 1,     // 违纪
    EquipmentFailure = 2, // 设备故障
    Illness = 3,        // 身体不适
    PowerOrNetwork = 4, // 停电/断网
    Other = 5,          // 其他
};

QString incidentCategoryName(IncidentCategory category); // Chinese label

// Pass or fail of a registration once results are entered.
enum class Outcome : std::uint8_t { Pass = 1, Fail = 2 };

// One event recorded by a kiosk, unique by (kioskId, eventId).
struct KioskEvent
{
    QString kioskId;
    qint64 eventId = 0; // per-kiosk sequence, starts at 1
    EventKind kind = EventKind::CheckIn;
    Id sessionId = 0;
    Id registrationId = 0;
    QDateTime deviceTime;                 // when it happened, by the kiosk's clock (UTC)
    std::optional<QDateTime> receivedAt;  // when the server stored it (UTC)
    QString targetKioskId;                // Annul: the kiosk of the check-in it undoes
    qint64 targetEventId = 0;       // Annul: the check-in it undoes
    bool late = false;                    // CheckIn: made after the late threshold
    CheckInMethod method = CheckInMethod::Scan;
    std::optional<IncidentCategory> incident;
    std::optional<Outcome> outcome;
    std::optional<int> score;
    QString reason; // manual check-in, annul, incident note
};

// Mask an ID-card number for display: keep the first 4 and last 4 characters,
// star the rest ("350102199001011234" -> "3501**********1234"). Short or empty
// input is starred whole so nothing leaks.
QString maskIdNumber(const QString &idNumber);

} // namespace kaodian
