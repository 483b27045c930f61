#include "api/jsonreport.h"

namespace kaodian::server {

QString attendanceKey(Attendance a)
{
    switch (a) {
    case Attendance::NotCheckedIn: return QStringLiteral("not_checked_in");
    case Attendance::CheckedIn: return QStringLiteral("checked_in");
    case Attendance::Absent: return QStringLiteral("absent");
    case Attendance::Excused: return QStringLiteral("excused");
    }
    return {};
}

QString participationKey(ParticipationVerdict v)
{
    switch (v) {
    case ParticipationVerdict::Ok: return QStringLiteral("ok");
    case ParticipationVerdict::Low: return QStringLiteral("low");
    case ParticipationVerdict::NoPublishedCount: return QStringLiteral("no_published_count");
    }
    return {};
}

QString flagKindKey(FlagKind k)
{
    switch (k) {
    case FlagKind::LowParticipation: return QStringLiteral("low_participation");
    case FlagKind::MissingPublishedCount: return QStringLiteral("missing_published_count");
    case FlagKind::ConsecutiveLowPassRate: return QStringLiteral("consecutive_low_pass_rate");
    }
    return {};
}

QJsonObject flagToJson(const Flag &flag)
{
    QJsonArray sessions;
    for (const auto &s : flag.sessions)
        sessions.append(QJsonObject{{"session_id", s.sessionId},
                                    {"exam_date", s.examDate.toString(Qt::ISODate)},
                                    {"numerator", s.numerator},
                                    {"denominator", s.denominator}});
    return {{"rule", ruleArticle(flag.rule)},
            {"kind", flagKindKey(flag.kind)},
            {"pilot_id", flag.pilotId},
            {"sessions", sessions},
            {"message", flag.message}};
}

namespace {

QJsonValue optionalInt(const std::optional<int> &v)
{
    return v ? QJsonValue(*v) : QJsonValue();
}

QJsonObject groupToJson(const GroupStats &g)
{
    QJsonObject o{{"id", g.id},
                  {"name", g.name},
                  {"sessions", g.sessions},
                  {"published", g.published},
                  {"sessions_without_published", g.sessionsWithoutPublished},
                  {"registered", g.registered},
                  {"sat", g.sat},
                  {"absent", g.absent},
                  {"excused", g.excused},
                  {"passed", g.passed},
                  {"failed", g.failed},
                  {"pending", g.pending()},
                  {"participation_rate", formatPercent(g.sat, g.published)},
                  {"pass_rate", formatPercent(g.passed, g.sat)}};
    if (g.collegeId)
        o.insert("college_id", *g.collegeId);
    return o;
}

} // namespace

QJsonObject statisticsToJson(const StatisticsReport &report)
{
    QJsonArray sessions;
    for (const auto &s : report.sessions) {
        const auto &t = s.tally;
        sessions.append(QJsonObject{
            {"id", t.sessionId},
            {"pilot_id", t.pilotId},
            {"exam_date", t.examDate.toString(Qt::ISODate)},
            {"start_time", t.startTime.toString("HH:mm")},
            {"college", QJsonObject{{"id", s.collegeId}, {"name", s.collegeName}}},
            {"certificate", QJsonObject{{"id", s.certificateId}, {"name", s.certificateName}}},
            {"level", levelName(s.level)},
            {"site", s.siteName},
            {"published", optionalInt(t.publishedCount)},
            {"registered", t.registered},
            {"sat", t.sat},
            {"absent", t.absent},
            {"excused", t.excused},
            {"passed", t.passed},
            {"failed", t.failed},
            {"pending", t.pending()},
            {"results_final", t.resultsFinal},
            {"participation", participationKey(s.participation)},
            {"participation_rate", formatPercent(t.sat, t.publishedCount.value_or(0))},
            {"pass_rate", formatPercent(t.passed, t.sat)},
        });
    }
    auto groups = [](const QList<GroupStats> &list) {
        QJsonArray a;
        for (const auto &g : list)
            a.append(groupToJson(g));
        return a;
    };
    QJsonArray flags;
    for (const auto &f : report.flags)
        flags.append(flagToJson(f));
    return {{"sessions", sessions},
            {"pilots", groups(report.pilots)},
            {"certificates", groups(report.certificates)},
            {"colleges", groups(report.colleges)},
            {"flags", flags}};
}

QJsonArray rosterToJson(const QList<RosterEntry> &roster)
{
    QJsonArray out;
    for (const auto &e : roster) {
        QJsonObject o{{"registration_id", e.registrationId},
                      {"ticket_number", e.ticketNumber},
                      {"name", e.name},
                      {"id_number", e.maskedIdNumber},
                      {"student_number", e.studentNumber},
                      {"room", e.room},
                      {"seat", e.seat},
                      {"attendance", attendanceKey(e.attendance)},
                      {"late", e.late},
                      {"checked_in_at", e.checkedInAt.isValid() ? QJsonValue(e.checkedInAt.toString(Qt::ISODate))
                                                                : QJsonValue()},
                      {"checked_in_kiosk", e.checkedInKiosk.isEmpty() ? QJsonValue() : QJsonValue(e.checkedInKiosk)},
                      {"conflict", e.activeCheckIns > 1},
                      {"outcome", e.outcome ? QJsonValue(*e.outcome == Outcome::Pass ? "pass" : "fail") : QJsonValue()},
                      {"score", optionalInt(e.score)},
                      {"incidents", e.incidents}};
        out.append(o);
    }
    return out;
}

QJsonArray incidentsToJson(const QList<ServerStore::IncidentRow> &incidents)
{
    QJsonArray out;
    for (const auto &i : incidents)
        out.append(QJsonObject{{"registration_id", i.registrationId},
                               {"ticket_number", i.ticketNumber},
                               {"name", i.name},
                               {"category", static_cast<int>(i.category)},
                               {"category_name", incidentCategoryName(i.category)},
                               {"note", i.note},
                               {"device_time", i.deviceTime.toString(Qt::ISODateWithMs)},
                               {"kiosk_id", i.kioskId}});
    return out;
}

namespace {

QString csvField(const QString &s)
{
    // Quote always; neutralise spreadsheet formulas (=, +, -, @ at the start).
    QString v = s;
    if (!v.isEmpty() && QStringLiteral("=+-@").contains(v.front()))
        v.prepend(QLatin1Char('\''));
    v.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + v + QLatin1Char('"');
}

} // namespace

QByteArray statisticsToCsv(const StatisticsReport &report)
{
    QString out;
    const QStringList header{"场次", "考试日期", "开始时间", "二级学院", "证书", "等级", "考点", "公布考试人数",
                             "报名人数", "参加考试人数", "缺考", "免考", "通过", "未通过", "待定", "参考率",
                             "通过率", "成绩已确定", "第七条(五)"};
    QStringList quoted;
    for (const auto &h : header)
        quoted << csvField(h);
    out += quoted.join(QLatin1Char(',')) + QStringLiteral("\r\n");
    for (const auto &s : report.sessions) {
        const auto &t = s.tally;
        QStringList row{QString::number(t.sessionId),
                        t.examDate.toString(Qt::ISODate),
                        t.startTime.toString("HH:mm"),
                        s.collegeName,
                        s.certificateName,
                        levelName(s.level),
                        s.siteName,
                        t.publishedCount ? QString::number(*t.publishedCount) : QString(),
                        QString::number(t.registered),
                        QString::number(t.sat),
                        QString::number(t.absent),
                        QString::number(t.excused),
                        QString::number(t.passed),
                        QString::number(t.failed),
                        QString::number(t.pending()),
                        formatPercent(t.sat, t.publishedCount.value_or(0)),
                        formatPercent(t.passed, t.sat),
                        t.resultsFinal ? QStringLiteral("是") : QStringLiteral("否"),
                        s.participation == ParticipationVerdict::Low ? QStringLiteral("低于30%")
                        : s.participation == ParticipationVerdict::NoPublishedCount ? QStringLiteral("未公布人数")
                                                                                    : QString()};
        QStringList q;
        for (const auto &f : row)
            q << csvField(f);
        out += q.join(QLatin1Char(',')) + QStringLiteral("\r\n");
    }
    return QByteArray("\xEF\xBB\xBF") + out.toUtf8();
}

} // namespace kaodian::server
