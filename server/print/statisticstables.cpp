#include "print/statisticstables.h"

#include <QHash>

namespace kaodian::server {

QString participationKey(ParticipationVerdict v)
{
    switch (v) {
    case ParticipationVerdict::Ok: return QStringLiteral("ok");
    case ParticipationVerdict::Low: return QStringLiteral("low");
    case ParticipationVerdict::NoPublishedCount: return QStringLiteral("no_published_count");
    case ParticipationVerdict::NotHeld: return QStringLiteral("not_held");
    }
    return {};
}

QString participationWords(ParticipationVerdict v)
{
    switch (v) {
    case ParticipationVerdict::Ok: return QStringLiteral("达标");
    case ParticipationVerdict::Low: return QStringLiteral("低于 30%");
    case ParticipationVerdict::NoPublishedCount: return QStringLiteral("未公布人数");
    case ParticipationVerdict::NotHeld: return QStringLiteral("未举行");
    }
    return {};
}

QString flagKindKey(FlagKind k)
{
    switch (k) {
    case FlagKind::LowParticipation: return QStringLiteral("low_participation");
    case FlagKind::MissingPublishedCount: return QStringLiteral("missing_published_count");
    case FlagKind::ConsecutiveLowPassRate: return QStringLiteral("consecutive_low_pass_rate");
    case FlagKind::PublishedCountReminder: return QStringLiteral("published_count_reminder");
    }
    return {};
}

QString flagKindWords(FlagKind k)
{
    switch (k) {
    case FlagKind::LowParticipation: return QStringLiteral("参考率低于 30%");
    case FlagKind::MissingPublishedCount: return QStringLiteral("未公布考试人数");
    case FlagKind::ConsecutiveLowPassRate: return QStringLiteral("连续两次通过率低于 30%");
    case FlagKind::PublishedCountReminder: return QStringLiteral("尚未公布考试人数（未举行）");
    }
    return {};
}

QString resultsFinalWords(bool final)
{
    return final ? QStringLiteral("已确认") : QStringLiteral("未确认");
}

QString notPublishedWords()
{
    return QStringLiteral("未公布");
}

namespace {

using Cell = ReportCell;

QJsonValue perMilleJson(qint64 numerator, qint64 denominator)
{
    const auto pm = perMille(numerator, denominator);
    return pm ? QJsonValue(*pm) : QJsonValue();
}

QJsonObject named(Id id, const QString &name)
{
    return {{"id", id}, {"name", name}};
}

template<typename Row>
using Column = TableColumn<Row>;

const QList<Column<SessionStats>> &sessionColumns()
{
    using S = SessionStats;
    static const QList<Column<S>> columns{
        {"id", "场次", [](const S &s) { return Cell::countCell(s.tally.sessionId); }},
        {"pilot_id", {}, [](const S &s) { return Cell::jsonOnly(s.tally.pilotId); }},
        {"exam_date", "考试日期", [](const S &s) { return Cell::textCell(s.tally.examDate.toString(Qt::ISODate)); }},
        {"start_time", "开始时间", [](const S &s) { return Cell::textCell(s.tally.startTime.toString("HH:mm")); }},
        {"college", "二级学院", [](const S &s) { return Cell::textCell(s.collegeName, named(s.collegeId, s.collegeName)); }},
        {"certificate", "证书",
         [](const S &s) { return Cell::textCell(s.certificateName, named(s.certificateId, s.certificateName)); }},
        {"level", "等级", [](const S &s) { return Cell::textCell(levelName(s.level)); }},
        {"site", "考点", [](const S &s) { return Cell::textCell(s.siteName); }},
        {"published", "公布考试人数",
         [](const S &s) {
             return s.tally.publishedCount ? Cell::countCell(*s.tally.publishedCount) : Cell::missingCell(notPublishedWords());
         }},
        {"registered", "报名人数", [](const S &s) { return Cell::countCell(s.tally.registered); }},
        {"sat", "参加考试人数", [](const S &s) { return Cell::countCell(s.tally.sat); }},
        {"absent", "缺考", [](const S &s) { return Cell::countCell(s.tally.absent); }},
        {"excused", "免考", [](const S &s) { return Cell::countCell(s.tally.excused); }},
        {"passed", "通过", [](const S &s) { return Cell::countCell(s.tally.passed); }},
        {"failed", "未通过", [](const S &s) { return Cell::countCell(s.tally.failed); }},
        {"pending", "待定", [](const S &s) { return Cell::countCell(s.tally.pending()); }},
        {"participation_rate", "参考率",
         [](const S &s) {
             return Cell::percentCell(s.tally.held ? formatPercent(s.tally.sat, s.tally.publishedCount.value_or(0))
                                                   : formatPercent(0, 0));
         }},
        {"pass_rate", "通过率", [](const S &s) { return Cell::percentCell(formatPercent(s.tally.passed, s.tally.decided())); }},
        {"results_final", "成绩状态",
         [](const S &s) { return Cell::textCell(resultsFinalWords(s.tally.resultsFinal), s.tally.resultsFinal); }},
        {"participation", "第七条(五)",
         [](const S &s) { return Cell::textCell(participationWords(s.participation), participationKey(s.participation)); }},
        {"participation_per_mille", {},
         [](const S &s) {
             return Cell::jsonOnly(s.tally.held ? perMilleJson(s.tally.sat, s.tally.publishedCount.value_or(0)) : QJsonValue());
         }},
        {"held", {}, [](const S &s) { return Cell::jsonOnly(s.tally.held); }},
        {"pass_rate_per_mille", {}, [](const S &s) { return Cell::jsonOnly(perMilleJson(s.tally.passed, s.tally.decided())); }},
        {"pass_rate_low", {},
         [](const S &s) { return Cell::jsonOnly(s.tally.decided() > 0 && belowThirtyPercent(s.tally.passed, s.tally.decided())); }},
    };
    return columns;
}

QList<Column<GroupStats>> groupColumns(const QString &nameLabel)
{
    using G = GroupStats;
    return {
        {"id", "编号", [](const G &g) { return Cell::countCell(g.id); }},
        {"name", nameLabel, [](const G &g) { return Cell::textCell(g.name); }},
        {"college_id", {}, [](const G &g) { return Cell::jsonOnly(g.collegeId ? QJsonValue(*g.collegeId) : QJsonValue(QJsonValue::Undefined)); }},
        {"sessions", "场次数", [](const G &g) { return Cell::countCell(g.sessions); }},
        {"published", "公布考试人数", [](const G &g) { return Cell::countCell(g.published); }},
        {"sessions_without_published", "未公布场次", [](const G &g) { return Cell::countCell(g.sessionsWithoutPublished); }},
        {"sessions_not_held", "未举行场次", [](const G &g) { return Cell::countCell(g.sessionsNotHeld); }},
        {"registered", "报名人数", [](const G &g) { return Cell::countCell(g.registered); }},
        {"sat", "参加考试人数", [](const G &g) { return Cell::countCell(g.sat); }},
        {"absent", "缺考", [](const G &g) { return Cell::countCell(g.absent); }},
        {"excused", "免考", [](const G &g) { return Cell::countCell(g.excused); }},
        {"passed", "通过", [](const G &g) { return Cell::countCell(g.passed); }},
        {"failed", "未通过", [](const G &g) { return Cell::countCell(g.failed); }},
        {"pending", "待定", [](const G &g) { return Cell::countCell(g.pending()); }},
        {"participation_rate", "参考率", [](const G &g) { return Cell::percentCell(formatPercent(g.sat, g.published)); }},
        {"pass_rate", "通过率", [](const G &g) { return Cell::percentCell(formatPercent(g.passed, g.decided())); }},
        {"participation", {}, [](const G &g) { return Cell::jsonOnly(participationKey(g.participation())); }},
    };
}

} // namespace

ReportTable sessionTable(const QList<SessionStats> &sessions)
{
    ReportTable t = buildTable(QStringLiteral("场次"), sessionColumns(), sessions);
    for (qsizetype r = 0; r < sessions.size(); ++r)
        t.warnings[r] = sessions[r].participation == ParticipationVerdict::Low
                        || sessions[r].participation == ParticipationVerdict::NoPublishedCount;
    return t;
}

ReportTable groupTable(GroupKind kind, const QList<GroupStats> &groups)
{
    QString title;
    switch (kind) {
    case GroupKind::Pilot: title = QStringLiteral("试点"); break;
    case GroupKind::Certificate: title = QStringLiteral("证书"); break;
    case GroupKind::College: title = QStringLiteral("二级学院"); break;
    }
    return buildTable(title, groupColumns(title), groups);
}

ReportTable flagTable(const QList<Flag> &flags, const QList<GroupStats> &pilots, bool reminders)
{
    QHash<Id, QString> pilotNames;
    for (const auto &p : pilots)
        pilotNames.insert(p.id, p.name);
    ReportTable t;
    t.title = reminders ? QStringLiteral("提醒") : QStringLiteral("预警");
    t.columns = {{"rule", "条款"}, {"kind", "类别"}, {"pilot_id", "试点"}, {"sessions", "场次"}, {"message", "说明"}};
    for (const auto &f : flags) {
        QJsonArray sessions;
        QStringList ids;
        for (const auto &s : f.sessions) {
            sessions.append(QJsonObject{{"session_id", s.sessionId},
                                        {"exam_date", s.examDate.toString(Qt::ISODate)},
                                        {"numerator", s.numerator},
                                        {"denominator", s.denominator}});
            ids << QString::number(s.sessionId);
        }
        t.rows.push_back({Cell::textCell(ruleArticle(f.rule)),
                          Cell::textCell(flagKindWords(f.kind), flagKindKey(f.kind)),
                          Cell::textCell(pilotNames.value(f.pilotId, QStringLiteral("#%1").arg(f.pilotId)), f.pilotId),
                          Cell::textCell(ids.join(QStringLiteral(", ")), sessions),
                          Cell::textCell(f.message)});
        t.warnings.push_back(!reminders);
    }
    return t;
}

StatisticsTables statisticsTables(const StatisticsReport &report)
{
    return {sessionTable(report.sessions), groupTable(GroupKind::Pilot, report.pilots),
            groupTable(GroupKind::Certificate, report.certificates), groupTable(GroupKind::College, report.colleges),
            flagTable(report.flags, report.pilots), flagTable(report.reminders, report.pilots, true)};
}

} // namespace kaodian::server
