#pragma once

// Weekly reports (周报, 第七条(二); docs/api.md "Weekly reports"): a college
// submits, for each of its own active pilots and a week, a text and
// optionally one attachment (import/attachmentcheck.h); the office sees a
// pilots × weeks grid of core/compliance.h's week states and keeps the
// exemption calendar (寒暑假, holidays). Both front doors call these; every
// change is audited in the store's transaction.
//
// Thread-safety: as the ServerStore it is given (one thread at a time).

#include "import/attachmentcheck.h"
#include "office/officeerror.h"
#include "store/serverstore.h"

namespace kaodian::server::office {

constexpr int kMaxReportChars = 20000;
constexpr int kMaxExemptionReason = 200;
constexpr int kMaxGridWeeks = 106; // two years and a little

// "on_time", "late", "missing", "open", "exempt", "not_owed" (before the
// pilot's start, or after today).
QString weekStateKey(WeekState state, bool exempt);

struct ReportSubmission
{
    Id pilotId = 0;
    QDate week; // any day of it: the week is its Monday's
    QString body;
    std::optional<std::pair<QString, QByteArray>> file; // name and bytes
};

// collegeId: the submitting college (a college user's own); a pilot of
// another college is not found.
OfficeResult<ReportSubmitted> submitWeeklyReport(ServerStore &store, Id collegeId, const ReportSubmission &submission,
                                                 const QString &actor);

struct ReportGridRow
{
    ReportPilot pilot;
    QList<QString> states; // one key per week of the grid (weekStateKey)
};

struct ReportGrid
{
    QList<QDate> weeks; // Mondays, from..to
    QList<ReportGridRow> pilots; // active pilots
    QList<WeeklyReportRow> reports; // every submission of those weeks
    QList<ReportExemption> exemptions; // the whole calendar
};

// from, to: any day of the first and last week; invalid: the eight weeks up
// to this one. collegeScope: a college's own pilots and reports only.
OfficeResult<ReportGrid> reportGrid(ServerStore &store, const QDate &from, const QDate &to,
                                    std::optional<Id> collegeScope);

OfficeResult<std::pair<WeeklyReportRow, StoredAttachment>> reportAttachment(ServerStore &store, Id reportId,
                                                                            std::optional<Id> collegeScope);

// monday must be a Monday; reason is required. changed false: already so.
OfficeResult<bool> setReportExemption(ServerStore &store, const QDate &monday, const QString &reason,
                                      const QString &actor);
OfficeResult<bool> removeReportExemption(ServerStore &store, const QDate &monday, const QString &actor);

} // namespace kaodian::server::office
