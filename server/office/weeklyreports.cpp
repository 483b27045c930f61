#include "office/weeklyreports.h"

#include "core/examzone.h"

namespace kaodian::server::office {

namespace {

QString iso(const QDate &d)
{
    return d.toString(Qt::ISODate);
}

std::optional<OfficeError> badMonday(const QDate &monday)
{
    if (!monday.isValid())
        return OfficeError::badInput(QStringLiteral("请给出日期，如 2026-07-06"));
    if (monday.dayOfWeek() != Qt::Monday)
        return OfficeError::badInput(QStringLiteral("%1 不是周一：免报周以周一的日期表示").arg(iso(monday)));
    return std::nullopt;
}

} // namespace

QString weekStateKey(WeekState state, bool exempt)
{
    switch (state) {
    case WeekState::NotOwed: return exempt ? QStringLiteral("exempt") : QStringLiteral("not_owed");
    case WeekState::Open: return QStringLiteral("open");
    case WeekState::OnTime: return QStringLiteral("on_time");
    case WeekState::Late: return QStringLiteral("late");
    case WeekState::Missing: return QStringLiteral("missing");
    }
    return QStringLiteral("not_owed");
}

OfficeResult<ReportSubmitted> submitWeeklyReport(ServerStore &store, Id collegeId, const ReportSubmission &submission,
                                                 const QString &actor)
{
    const QString body = submission.body.trimmed();
    if (body.isEmpty())
        return OfficeError::badInput(QStringLiteral("请填写周报内容"));
    if (body.size() > kMaxReportChars)
        return OfficeError::badInput(QStringLiteral("周报内容不能超过 %1 字（现有 %2 字），更多内容请放在附件中")
                                         .arg(kMaxReportChars)
                                         .arg(body.size()));
    if (!submission.week.isValid())
        return OfficeError::badInput(QStringLiteral("请给出周报所属的周（该周任一天的日期，如 2026-03-09）"));
    const QDate week = weekOf(submission.week);
    const QDate today = examDate(store.now());
    if (week > weekOf(today))
        return OfficeError::badInput(QStringLiteral("%1 至 %2 这一周还没开始，不能提交周报")
                                         .arg(iso(week), iso(week.addDays(6))));
    auto pilot = store.reports().pilot(submission.pilotId);
    if (!pilot)
        return OfficeError::fromStore(pilot.error());
    // Another college's pilot looks like no pilot at all.
    if (!pilot->has_value() || (*pilot)->collegeId != collegeId)
        return OfficeError::notFound(QStringLiteral("没有这个试点"));
    const ReportPilot &p = **pilot;
    if (p.withdrawn)
        return OfficeError{OfficeError::Kind::Refused, QStringLiteral("pilot_withdrawn"),
                           QStringLiteral("%1 已取消试点，不再提交周报").arg(p.name), {}};
    if (!p.active)
        return OfficeError{OfficeError::Kind::Refused, QStringLiteral("pilot_inactive"),
                           QStringLiteral("%1 已结束，不再提交周报").arg(p.name), {}};
    if (p.startDate.isValid() && week < weekOf(p.startDate))
        return OfficeError::badInput(QStringLiteral("%1 于 %2 开始，%3 至 %4 这一周不需要周报")
                                         .arg(p.name, iso(p.startDate), iso(week), iso(week.addDays(6))));
    std::optional<StoredAttachment> stored;
    if (submission.file) {
        const AttachmentCheck check = checkAttachment(submission.file->first, submission.file->second);
        if (!check.attachment)
            return OfficeError::badInput(check.problem, QStringLiteral("invalid_attachment"));
        const Attachment &a = *check.attachment;
        stored = StoredAttachment{a.name, a.type, a.sha256, a.bytes};
    }
    auto submitted = store.reports().submit(p.id, week, body, stored, actor);
    if (!submitted)
        return OfficeError::fromStore(submitted.error());
    return *submitted;
}

OfficeResult<ReportGrid> reportGrid(ServerStore &store, const QDate &from, const QDate &to,
                                    std::optional<Id> collegeScope)
{
    const QDateTime now = store.now();
    const QDate thisWeek = weekOf(examDate(now));
    const QDate last = to.isValid() ? weekOf(to) : thisWeek;
    const QDate first = from.isValid() ? weekOf(from) : last.addDays(-7 * 7);
    if (first > last)
        return OfficeError::badInput(QStringLiteral("起始周 %1 晚于结束周 %2").arg(iso(first), iso(last)));
    if (first.daysTo(last) / 7 + 1 > kMaxGridWeeks)
        return OfficeError::badInput(QStringLiteral("一次最多查看 %1 周").arg(kMaxGridWeeks));
    ReportGrid grid;
    for (QDate w = first; w <= last; w = w.addDays(7))
        grid.weeks.push_back(w);
    auto exemptions = store.reports().exemptions();
    if (!exemptions)
        return OfficeError::fromStore(exemptions.error());
    grid.exemptions = *exemptions;
    QSet<QDate> exempt;
    for (const auto &e : grid.exemptions)
        exempt.insert(e.week);
    auto pilots = store.reports().pilots(collegeScope);
    if (!pilots)
        return OfficeError::fromStore(pilots.error());
    auto firsts = store.reports().pilotReports(collegeScope);
    if (!firsts)
        return OfficeError::fromStore(firsts.error());
    for (qsizetype i = 0; i < pilots->size(); ++i) {
        const ReportPilot &p = (*pilots)[i];
        if (!p.active)
            continue;
        QHash<QDate, WeekState> states;
        for (const auto &[monday, state] : weekStates((*firsts)[i], exempt, now))
            states.insert(monday, state);
        ReportGridRow row{p, {}};
        for (const QDate &w : grid.weeks)
            row.states.push_back(weekStateKey(states.value(w, WeekState::NotOwed), exempt.contains(w)));
        grid.pilots.push_back(row);
    }
    auto reports = store.reports().reports(first, last, collegeScope);
    if (!reports)
        return OfficeError::fromStore(reports.error());
    grid.reports = *reports;
    return grid;
}

OfficeResult<std::pair<WeeklyReportRow, StoredAttachment>> reportAttachment(ServerStore &store, Id reportId,
                                                                            std::optional<Id> collegeScope)
{
    auto found = store.reports().attachment(reportId);
    if (!found)
        return OfficeError::fromStore(found.error());
    if (!found->has_value() || (collegeScope && (*found)->first.collegeId != *collegeScope))
        return OfficeError::notFound(QStringLiteral("没有这个周报附件"));
    return **found;
}

OfficeResult<bool> setReportExemption(ServerStore &store, const QDate &monday, const QString &reason,
                                      const QString &actor)
{
    if (auto bad = badMonday(monday))
        return *bad;
    const QString why = reason.trimmed();
    if (why.isEmpty())
        return OfficeError::badInput(QStringLiteral("请写明免报原因（如 寒假、国庆节）"));
    if (why.size() > kMaxExemptionReason)
        return OfficeError::badInput(QStringLiteral("免报原因不能超过 %1 字").arg(kMaxExemptionReason));
    auto set = store.reports().setExemption(monday, why, actor);
    if (!set)
        return OfficeError::fromStore(set.error());
    return *set;
}

OfficeResult<bool> removeReportExemption(ServerStore &store, const QDate &monday, const QString &actor)
{
    if (auto bad = badMonday(monday))
        return *bad;
    auto removed = store.reports().removeExemption(monday, actor);
    if (!removed)
        return OfficeError::fromStore(removed.error());
    return *removed;
}

} // namespace kaodian::server::office
