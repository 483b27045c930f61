#include "print/peopletable.h"

#include "core/examzone.h"

#include <cstdlib>

namespace kaodian::server {

QString attendanceWords(Attendance a, bool late)
{
    switch (a) {
    case Attendance::NotCheckedIn: return QStringLiteral("未签到");
    case Attendance::CheckedIn: return late ? QStringLiteral("迟到签到") : QStringLiteral("已签到");
    case Attendance::Absent: return QStringLiteral("缺考");
    case Attendance::Excused: return QStringLiteral("免考");
    }
    return {};
}

QString outcomeWords(std::optional<Outcome> o)
{
    if (!o)
        return {};
    return *o == Outcome::Pass ? QStringLiteral("通过") : QStringLiteral("未通过");
}

namespace {

using Cell = ReportCell;
using P = PersonRow;

// 正常, 已退考（2026-05-30：reason）, 请假：reason.
QString registrationWords(const P &p)
{
    if (p.withdrawnOn.isValid())
        return p.withdrawnReason.isEmpty() ? QStringLiteral("已退考（%1）").arg(p.withdrawnOn.toString(Qt::ISODate))
                                           : QStringLiteral("已退考（%1：%2）").arg(p.withdrawnOn.toString(Qt::ISODate), p.withdrawnReason);
    if (!p.excusedReason.isEmpty())
        return QStringLiteral("请假：%1").arg(p.excusedReason);
    return QStringLiteral("正常");
}

// Tenths of a point as the results file wrote them: 85.5, 80.
Cell tenthsCell(std::optional<int> tenths)
{
    if (!tenths)
        return Cell::textCell(QString());
    return Cell::textCell(*tenths % 10 == 0 ? QString::number(*tenths / 10)
                                            : QStringLiteral("%1.%2").arg(*tenths / 10).arg(std::abs(*tenths % 10)));
}

using PeopleColumn = TableColumn<P>;

// Every column of the export, in order. To add one: a field in PersonRow
// (store/peoplequery.h) and a line here.
const QList<PeopleColumn> &peopleColumns()
{
    static const QList<PeopleColumn> columns{
        {"session_id", "场次", [](const P &p) { return Cell::countCell(p.sessionId); }},
        {"exam_date", "考试日期", [](const P &p) { return Cell::textCell(p.examDate.toString(Qt::ISODate)); }},
        {"start_time", "开始时间", [](const P &p) { return Cell::textCell(p.startTime.toString("HH:mm")); }},
        {"college", "二级学院", [](const P &p) { return Cell::textCell(p.college); }},
        {"certificate", "证书", [](const P &p) { return Cell::textCell(p.certificate); }},
        {"level", "等级", [](const P &p) { return Cell::textCell(levelName(p.level)); }},
        {"site", "考点", [](const P &p) { return Cell::textCell(p.site); }},
        {"room", "考场", [](const P &p) { return Cell::textCell(p.room); }},
        {"seat", "座位号", [](const P &p) { return Cell::textCell(p.seat); }},
        {"ticket_number", "准考证号", [](const P &p) { return Cell::textCell(p.ticketNumber); }},
        {"name", "姓名", [](const P &p) { return Cell::textCell(p.name); }},
        {"student_number", "学号", [](const P &p) { return Cell::textCell(p.studentNumber); }},
        {"major", "专业", [](const P &p) { return Cell::textCell(p.major); }},
        {"class_name", "班级", [](const P &p) { return Cell::textCell(p.className); }},
        {"id_number", "身份证号", [](const P &p) { return Cell::textCell(p.idNumber); }},
        {"registration", "报名状态", [](const P &p) { return Cell::textCell(registrationWords(p)); }},
        {"attendance", "考勤", [](const P &p) { return Cell::textCell(attendanceWords(p.attendance, p.late)); }},
        {"checked_in_at", "签到时间",
         [](const P &p) { return Cell::textCell(examClock(p.checkedInAt, QStringLiteral("yyyy-MM-dd HH:mm:ss"))); }},
        {"outcome", "考试结果", [](const P &p) { return Cell::textCell(outcomeWords(p.outcome)); }},
        {"score", "成绩", [](const P &p) { return p.score ? Cell::countCell(*p.score) : Cell::textCell(QString()); }},
        {"theory", "理论成绩", [](const P &p) { return tenthsCell(p.theoryTenths); }},
        {"practical", "实操成绩", [](const P &p) { return tenthsCell(p.practicalTenths); }},
        {"total", "总成绩", [](const P &p) { return tenthsCell(p.totalTenths); }},
    };
    return columns;
}

} // namespace

ReportTable peopleTable(const QList<PersonRow> &rows)
{
    return buildTable(QStringLiteral("考生名单"), peopleColumns(), rows);
}

} // namespace kaodian::server
