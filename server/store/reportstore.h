#pragma once

// Weekly reports (周报, 第七条(二)) and the office's exemption calendar
// (migration 12): a college's reports for its pilots, append-only (a
// week's first submission decides on time or late; later ones are kept),
// with at most one attachment each, kept in the store; and the weeks that
// owe no report (寒暑假, holidays). Every change writes its audit entry in
// its own transaction.
//
// Thread-safety: as its SqlConnection (one thread at a time).

#include "store/auditlog.h"
#include "store/sqlconnection.h"

#include "core/clock.h"
#include "core/compliance.h"
#include "core/domain.h"

#include <QDate>

#include <optional>

namespace kaodian::server {

// A pilot as the weekly reports need it.
struct ReportPilot
{
    Id id = 0;
    QString name; // "Web前端开发 中级（信息工程学院）"
    Id collegeId = 0;
    bool active = true;     // 试点中, and not withdrawn (取消试点)
    bool withdrawn = false; // 取消试点 by a case
    QDate startDate;        // invalid: none recorded
};

// An attachment as the store keeps it.
struct StoredAttachment
{
    QString name;
    QString type; // "pdf", "docx", "xlsx"
    QString sha256;
    QByteArray bytes;
};

// One submission, without its attachment's bytes.
struct WeeklyReportRow
{
    Id id = 0;
    Id pilotId = 0;
    QString pilotName;
    Id collegeId = 0;
    QDate week; // the Monday
    QString body;
    QDateTime submittedAt;
    QString submittedBy;
    QString attachmentName, attachmentType;
    qint64 attachmentBytes = 0;
    bool first = false;  // the week's first submission: it decides on time or late
    bool onTime = false; // submitted before the week's deadline
};

struct ReportSubmitted
{
    Id id = 0;
    bool first = false;
    bool onTime = false;
    bool repeated = false; // the same text and file as this user's last one for the week: not stored again
};

struct ReportExemption
{
    QDate week;
    QString reason;
    QString recordedBy;
    QDateTime recordedAt;
};

class ReportStore
{
public:
    ReportStore(SqlConnection &sql, AuditLog &audit, const Clock &clock) : m_sql(sql), m_audit(audit), m_clock(clock) {}

    // Pilots imported (registered) or made by a roster, optionally of one college, by name.
    Result<QList<ReportPilot>, StoreError> pilots(std::optional<Id> collegeId = std::nullopt);
    Result<std::optional<ReportPilot>, StoreError> pilot(Id pilotId);

    // Appends a report for the pilot and week (its Monday), submitted now.
    // A retry of this user's last submission for the week (same text, same
    // file) is answered as that one (repeated), not stored twice.
    Result<ReportSubmitted, StoreError> submit(Id pilotId, const QDate &week, const QString &body,
                                               const std::optional<StoredAttachment> &attachment, const QString &actor);
    // Submissions of weeks from..to (Mondays, inclusive), optionally of one
    // college, by pilot, week, time.
    Result<QList<WeeklyReportRow>, StoreError> reports(const QDate &from, const QDate &to,
                                                       std::optional<Id> collegeId = std::nullopt);
    // A report's attachment and the report; nullopt when there is none.
    Result<std::optional<std::pair<WeeklyReportRow, StoredAttachment>>, StoreError> attachment(Id reportId);

    // Every pilot's first submission per week (core/compliance.h's input),
    // optionally of one college. Inactive and withdrawn pilots are listed
    // with active = false.
    Result<QList<PilotReports>, StoreError> pilotReports(std::optional<Id> collegeId = std::nullopt);

    Result<QList<ReportExemption>, StoreError> exemptions();
    Result<QSet<QDate>, StoreError> exemptWeeks();
    // Records (or re-words) an exempt week; false when it was already so with that reason.
    Result<bool, StoreError> setExemption(const QDate &week, const QString &reason, const QString &actor);
    // false when the week was not exempt.
    Result<bool, StoreError> removeExemption(const QDate &week, const QString &actor);

private:
    SqlConnection &m_sql;
    AuditLog &m_audit;
    const Clock &m_clock;
};

// A pilot's name in words: "Web前端开发 中级（信息工程学院）".
QString pilotWords(const QString &certificate, int level, const QString &college);

} // namespace kaodian::server
