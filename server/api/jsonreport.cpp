#include "api/jsonreport.h"

#include "print/compliancetables.h"

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

QJsonObject flagToJson(const Flag &flag)
{
    return flagTable({flag}).rowToJson(0);
}

QJsonObject statisticsToJson(const StatisticsReport &report)
{
    const StatisticsTables tables = statisticsTables(report);
    return {{"sessions", tables.sessions.toJson()},
            {"pilots", tables.pilots.toJson()},
            {"certificates", tables.certificates.toJson()},
            {"colleges", tables.colleges.toJson()},
            {"flags", tables.flags.toJson()},
            {"reminders", tables.reminders.toJson()}};
}

namespace {

QJsonValue optionalInt(const std::optional<int> &v)
{
    return v ? QJsonValue(*v) : QJsonValue();
}

} // namespace

namespace {

QJsonValue caseToJson(const std::optional<BoardCase> &c)
{
    if (!c)
        return QJsonValue();
    return QJsonObject{{"id", c->id}, {"state", c->state}, {"closed", c->closed}};
}

QJsonArray idsToJson(const QList<Id> &ids)
{
    QJsonArray out;
    for (Id id : ids)
        out.append(id);
    return out;
}

} // namespace

QJsonObject complianceToJson(const ComplianceBoard &board)
{
    const QStringList articles = complianceArticles();
    QJsonArray rows;
    for (const auto &r : board.rows) {
        QJsonArray cells;
        for (qsizetype i = 0; i < r.cells.size(); ++i) {
            const auto &c = r.cells[i];
            QJsonArray flags;
            for (qsizetype f : c.flags)
                flags.append(f);
            cells.append(QJsonObject{{"article", articles.value(i)},
                                     {"state", cellStateKey(c.state)},
                                     {"words", cellWords(c)},
                                     {"flags", flags},
                                     {"case", caseToJson(c.openCase)}});
        }
        QJsonObject row{{"kind", r.kind},       {"id", r.id},
                        {"name", r.name},       {"college_id", r.collegeId},
                        {"active", r.active},   {"withdrawn", r.withdrawn},
                        {"cells", cells}};
        if (r.kind == QLatin1String("pilot")) {
            row.insert("registered", r.registered);
            row.insert("approved_count", r.approvedCount ? QJsonValue(*r.approvedCount) : QJsonValue());
            row.insert("registrations", r.registrations);
            row.insert("over_approved", r.approvedCount.has_value() && r.registrations > *r.approvedCount);
        }
        rows.append(row);
    }
    QJsonArray flags;
    for (const auto &f : board.flags) {
        QJsonArray weeks;
        for (const auto &w : f.weeks)
            weeks.append(w.toString(Qt::ISODate));
        flags.append(QJsonObject{{"rule", f.article},
                                 {"severity", f.warning ? "warning" : "flag"},
                                 {"subject", QJsonObject{{"kind", f.subjectKind}, {"id", f.subjectId},
                                                         {"name", f.subjectName}}},
                                 {"college_id", f.collegeId},
                                 {"key", f.key},
                                 {"weeks", weeks},
                                 {"sessions", idsToJson(f.sessions)},
                                 {"objects", QJsonArray::fromStringList(f.objects)},
                                 {"numerator", f.numerator},
                                 {"denominator", f.denominator},
                                 {"message", f.message},
                                 {"case", caseToJson(f.followedBy)}});
    }
    return {{"today", board.today.toString(Qt::ISODate)},
            {"articles", QJsonArray::fromStringList(articles)},
            {"rows", rows},
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
                      {"incidents", e.incidents},
                      {"withdrawn", e.withdrawn},
                      {"excused_reason", e.excusedReason.isEmpty() ? QJsonValue() : QJsonValue(e.excusedReason)}};
        if (e.withdrawn) {
            o.insert("withdrawn_on", e.withdrawnOn.toString(Qt::ISODate));
            o.insert("withdrawn_reason", e.withdrawnReason);
            o.insert("replaced_by", e.replacedByTicket.isEmpty() ? QJsonValue() : QJsonValue(e.replacedByTicket));
        }
        out.append(o);
    }
    return out;
}

QJsonArray incidentsToJson(const QList<IncidentRow> &incidents)
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

QJsonArray roomIncidentsToJson(const QList<RoomIncidentRow> &incidents)
{
    QJsonArray out;
    for (const auto &i : incidents)
        out.append(QJsonObject{{"room", i.room},
                               {"category", static_cast<int>(i.category)},
                               {"category_name", incidentCategoryName(i.category)},
                               {"note", i.note},
                               {"proctor", i.proctor},
                               {"proctor_name", i.proctorName},
                               {"device_time", i.deviceTime.toString(Qt::ISODateWithMs)},
                               {"received_at", i.receivedAt.toString(Qt::ISODateWithMs)},
                               {"kiosk_id", i.kioskId}});
    return out;
}

QJsonArray signOffsToJson(const QList<SignOffRow> &rows)
{
    QJsonArray out;
    QJsonObject room;
    QJsonArray history;
    QString current;
    const auto flush = [&] {
        if (history.isEmpty())
            return;
        room.insert("history", history);
        out.append(room);
        room = {};
        history = {};
    };
    for (const auto &r : rows) {
        if (r.room != current || history.isEmpty()) {
            flush();
            current = r.room;
            room.insert("room", r.room);
        }
        QJsonObject entry{{"kind", r.reopen ? "reopen" : "sign_off"},
                          {"device_time", r.deviceTime.toString(Qt::ISODateWithMs)},
                          {"received_at", r.receivedAt.toString(Qt::ISODateWithMs)},
                          {"proctor", r.proctor},
                          {"kiosk_id", r.kioskId}};
        if (r.reopen) {
            entry.insert("reason", r.reason);
        } else {
            QJsonArray signers;
            for (const auto &s : r.facts.signers)
                signers.append(QJsonObject{{"staff_number", s.staffNumber}, {"name", s.name}});
            entry.insert("signers", signers);
            entry.insert("counts", QJsonObject{{"expected", r.facts.expected},
                                               {"sat", r.facts.sat},
                                               {"late", r.facts.late},
                                               {"absent", r.facts.absent},
                                               {"excused", r.facts.excused},
                                               {"not_yet", r.facts.notYet}});
            room.insert("last_sign_off", entry);
        }
        room.insert("signed", !r.reopen);
        history.append(entry);
    }
    flush();
    return out;
}

QJsonArray proctorsToJson(const QList<AssignedProctor> &proctors)
{
    QJsonArray out;
    for (const auto &p : proctors)
        out.append(QJsonObject{{"room", p.room},
                               {"staff_number", p.staffNumber},
                               {"name", p.name},
                               {"phone", maskPhone(p.phone)},
                               {"has_pin", p.hasPin},
                               {"pin_set_at", p.pinSetAt.isValid() ? QJsonValue(p.pinSetAt.toString(Qt::ISODateWithMs)) : QJsonValue()},
                               {"pin_source", p.pinSource}});
    return out;
}

QJsonObject resultValueToJson(const ResultValue &value)
{
    const auto score = [](const std::optional<int> &t) { return t ? QJsonValue(formatScoreTenths(*t)) : QJsonValue(); };
    return QJsonObject{{"outcome", resultOutcomeKey(value.outcome)},
                       {"theory", score(value.theory)},
                       {"practical", score(value.practical)},
                       {"total", score(value.total)},
                       {"words", value.words()}};
}

QJsonArray officeResultsToJson(const QList<StoredResult> &results)
{
    QJsonArray out;
    for (const auto &r : results) {
        QJsonObject o = resultValueToJson(r.value);
        o.insert("registration_id", r.registrationId);
        o.insert("source", r.source);
        o.insert("actor", r.actor);
        o.insert("reason", r.reason);
        o.insert("recorded_at", r.recordedAt.toString(Qt::ISODate));
        o.insert("previous", r.previous ? QJsonValue(resultValueToJson(*r.previous)) : QJsonValue());
        o.insert("versions", r.versions);
        out.append(o);
    }
    return out;
}

} // namespace kaodian::server
