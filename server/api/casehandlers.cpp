// Weekly reports (周报) and cases (问题): the handlers of docs/api.md "Weekly
// reports" and "Cases". Each translates a request into an office use case
// (office/weeklyreports.h, office/cases.h) and its answer into JSON.
// Attachments travel inside the JSON body as base64 ({"name", "data"}):
// 10 MB of file is under 14 MB of base64, within the request cap.

#include "api/api.h"
#include "office/cases.h"
#include "office/weeklyreports.h"

#include "core/examzone.h"

#include <QJsonArray>
#include <QUrl>

namespace kaodian::server {

namespace {

QString iso(const QDate &d)
{
    return d.isValid() ? d.toString(Qt::ISODate) : QString();
}

QJsonValue isoOrNull(const QDate &d)
{
    return d.isValid() ? QJsonValue(iso(d)) : QJsonValue();
}

QJsonValue timeOrNull(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}

QString text(const QJsonObject &body, const char *key, int max)
{
    return body.value(QLatin1String(key)).toString().left(max + 1);
}

// The optional "attachment": {"name", "data" (base64)}; a problem answered as is.
std::optional<HttpResponse> attachmentOf(const QJsonObject &body, std::optional<std::pair<QString, QByteArray>> *file)
{
    const QJsonValue v = body.value(QLatin1String("attachment"));
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    const QJsonObject a = v.toObject();
    const auto decoded = QByteArray::fromBase64Encoding(a.value(QLatin1String("data")).toString().toLatin1(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    if (!v.isObject() || !decoded)
        return errorResponse(400, QStringLiteral("bad_request"),
                             QStringLiteral("附件须为 {\"name\": 文件名, \"data\": 文件内容的 base64}"));
    *file = std::make_pair(a.value(QLatin1String("name")).toString().left(300), *decoded);
    return std::nullopt;
}

QByteArray disposition(const QString &name)
{
    // An ASCII fallback and the real name (RFC 6266 / 5987).
    QByteArray ascii;
    for (QChar c : name)
        ascii += (c.unicode() >= 0x20 && c.unicode() < 0x7f && c != QLatin1Char('"') && c != QLatin1Char('\\'))
                     ? char(c.unicode())
                     : '_';
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + QUrl::toPercentEncoding(name);
}

QJsonObject reportToJson(const WeeklyReportRow &r)
{
    QJsonObject o{{"id", r.id},
                  {"pilot_id", r.pilotId},
                  {"pilot", r.pilotName},
                  {"week", iso(r.week)},
                  {"body", r.body},
                  {"submitted_at", timeOrNull(r.submittedAt)},
                  {"submitted_by", r.submittedBy},
                  {"first", r.first},
                  {"on_time", r.onTime},
                  {"attachment", QJsonValue()}};
    if (!r.attachmentName.isEmpty())
        o.insert("attachment", QJsonObject{{"name", r.attachmentName}, {"type", r.attachmentType},
                                           {"bytes", r.attachmentBytes}});
    return o;
}

QJsonObject caseToJson(const CaseRecord &c, CaseActor viewer)
{
    QJsonArray moves;
    for (CaseState s : caseMovesFrom(c.state, viewer, caseSubjectOf(c.subjectKind)))
        moves.append(caseStateWord(s));
    QJsonObject o{{"id", c.id},
                  {"rule", c.rule},
                  {"subject_kind", c.subjectKind},
                  {"subject_id", c.subjectId},
                  {"subject", c.subjectName},
                  {"college_id", c.collegeId ? QJsonValue(*c.collegeId) : QJsonValue()},
                  {"source", c.flagKey.isEmpty() ? "finding" : "flag"},
                  {"flag_key", c.flagKey.isEmpty() ? QJsonValue() : QJsonValue(c.flagKey)},
                  {"summary", c.summary},
                  {"state", caseStateWord(c.state)},
                  {"closed", caseClosed(c.state)},
                  {"deadline", isoOrNull(c.deadline)},
                  {"opened_at", timeOrNull(c.openedAt)},
                  {"opened_by", c.openedBy},
                  {"updated_at", timeOrNull(c.updatedAt)},
                  {"closed_at", timeOrNull(c.closedAt)},
                  {"moves", moves}};
    if (!c.steps.isEmpty()) {
        QJsonArray steps;
        for (const auto &s : c.steps) {
            QJsonObject step{{"id", s.id},
                             {"at", timeOrNull(s.at)},
                             {"actor", s.actor},
                             {"from", s.from ? QJsonValue(caseStateWord(*s.from)) : QJsonValue()},
                             {"to", caseStateWord(s.to)},
                             {"reason", s.reason},
                             {"deadline", isoOrNull(s.deadline)},
                             {"attachment", QJsonValue()}};
            if (!s.attachmentName.isEmpty())
                step.insert("attachment", QJsonObject{{"name", s.attachmentName}, {"type", s.attachmentType},
                                                      {"bytes", s.attachmentBytes}});
            steps.append(step);
        }
        o.insert("steps", steps);
    }
    return o;
}

std::optional<Id> idParam(const ApiContext &ctx, const QString &name)
{
    bool ok = false;
    const Id id = ctx.params.value(name).toLongLong(&ok);
    return ok && id > 0 ? std::optional<Id>(id) : std::nullopt;
}

CaseActor viewerOf(const ApiContext &ctx)
{
    return ctx.collegeScope ? CaseActor::College : CaseActor::Office;
}

} // namespace

HttpResponse Api::submitReport(ApiContext &ctx)
{
    // Reports are the college's to send: the office keeps the calendar.
    if (!ctx.collegeScope)
        return errorResponse(403, QStringLiteral("forbidden"), QStringLiteral("周报由二级学院提交"));
    const auto pilot = idParam(ctx, QStringLiteral("pilot"));
    if (!pilot)
        return notFound();
    const auto body = jsonBody(ctx.request);
    if (!body)
        return badJson();
    office::ReportSubmission s;
    s.pilotId = *pilot;
    s.week = QDate::fromString(text(*body, "week", 10), Qt::ISODate);
    s.body = body->value(QLatin1String("body")).toString().left(office::kMaxReportChars * 2);
    if (auto bad = attachmentOf(*body, &s.file))
        return *bad;
    auto submitted = office::submitWeeklyReport(ctx.store, *ctx.collegeScope, s, ctx.caller.actor());
    if (!submitted)
        return officeFailure(submitted.error());
    return jsonResponse(submitted->repeated ? 200 : 201, {{"id", submitted->id},
                                                          {"week", iso(weekOf(s.week))},
                                                          {"first", submitted->first},
                                                          {"on_time", submitted->onTime},
                                                          {"repeated", submitted->repeated}});
}

HttpResponse Api::reports(ApiContext &ctx)
{
    auto day = [&](const char *key) {
        return QDate::fromString(ctx.query.queryItemValue(QLatin1String(key)).left(10), Qt::ISODate);
    };
    const QString fromText = ctx.query.queryItemValue(QStringLiteral("from"));
    const QString toText = ctx.query.queryItemValue(QStringLiteral("to"));
    if ((!fromText.isEmpty() && !day("from").isValid()) || (!toText.isEmpty() && !day("to").isValid()))
        return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("from 和 to 须为 YYYY-MM-DD"));
    auto grid = office::reportGrid(ctx.store, day("from"), day("to"), ctx.collegeScope);
    if (!grid)
        return officeFailure(grid.error());
    QJsonArray weeks, pilots, reports, exemptions;
    for (const QDate &w : grid->weeks)
        weeks.append(iso(w));
    for (const auto &row : grid->pilots)
        pilots.append(QJsonObject{{"id", row.pilot.id},
                                  {"name", row.pilot.name},
                                  {"college_id", row.pilot.collegeId},
                                  {"start_date", isoOrNull(row.pilot.startDate)},
                                  {"states", QJsonArray::fromStringList(row.states)}});
    for (const auto &r : grid->reports)
        reports.append(reportToJson(r));
    for (const auto &e : grid->exemptions)
        exemptions.append(QJsonObject{{"week", iso(e.week)},
                                      {"reason", e.reason},
                                      {"recorded_by", e.recordedBy},
                                      {"recorded_at", timeOrNull(e.recordedAt)}});
    return jsonResponse(200, {{"weeks", weeks},
                              {"this_week", iso(weekOf(examDate(now())))},
                              {"pilots", pilots},
                              {"reports", reports},
                              {"exemptions", exemptions}});
}

HttpResponse Api::reportAttachment(ApiContext &ctx)
{
    const auto report = idParam(ctx, QStringLiteral("report"));
    if (!report)
        return notFound();
    auto found = office::reportAttachment(ctx.store, *report, ctx.collegeScope);
    if (!found)
        return officeFailure(found.error());
    return fileResponse(attachmentContentType(found->second.type), disposition(found->second.name), found->second.bytes);
}

HttpResponse Api::putReportExemption(ApiContext &ctx)
{
    const auto body = jsonBody(ctx.request);
    if (!body)
        return badJson();
    const QDate monday = QDate::fromString(ctx.params.value(QStringLiteral("monday")).left(10), Qt::ISODate);
    auto set = office::setReportExemption(ctx.store, monday, text(*body, "reason", office::kMaxExemptionReason),
                                          ctx.caller.actor());
    if (!set)
        return officeFailure(set.error());
    return jsonResponse(200, {{"week", iso(monday)}, {"exempt", true}, {"changed", *set}});
}

HttpResponse Api::deleteReportExemption(ApiContext &ctx)
{
    const QDate monday = QDate::fromString(ctx.params.value(QStringLiteral("monday")).left(10), Qt::ISODate);
    auto removed = office::removeReportExemption(ctx.store, monday, ctx.caller.actor());
    if (!removed)
        return officeFailure(removed.error());
    return jsonResponse(200, {{"week", iso(monday)}, {"exempt", false}, {"changed", *removed}});
}

HttpResponse Api::listCases(ApiContext &ctx)
{
    CaseFilter filter;
    filter.collegeId = ctx.collegeScope;
    if (const QString state = ctx.query.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded); !state.isEmpty()) {
        filter.state = caseStateFromWord(state);
        if (!filter.state)
            return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("没有「%1」这个案件状态").arg(state.left(20)));
    }
    filter.rule = ctx.query.queryItemValue(QStringLiteral("rule"), QUrl::FullyDecoded).left(20);
    filter.subjectKind = ctx.query.queryItemValue(QStringLiteral("subject_kind")).left(10);
    if (const QString open = ctx.query.queryItemValue(QStringLiteral("open")); !open.isEmpty())
        filter.open = open == QLatin1String("1") || open == QLatin1String("true");
    auto list = ctx.store.cases().cases(filter);
    if (!list)
        return storeFailure(list.error());
    QJsonArray cases;
    for (const auto &c : *list)
        cases.append(caseToJson(c, viewerOf(ctx)));
    return jsonResponse(200, {{"cases", cases}});
}

HttpResponse Api::caseDetail(ApiContext &ctx)
{
    const auto id = idParam(ctx, QStringLiteral("case"));
    if (!id)
        return notFound();
    auto found = ctx.store.cases().caseById(*id, ctx.collegeScope);
    if (!found)
        return storeFailure(found.error());
    if (!found->has_value())
        return notFound();
    return jsonResponse(200, caseToJson(**found, viewerOf(ctx)));
}

HttpResponse Api::caseSubjects(ApiContext &ctx)
{
    // What a finding can be about: pilots and sites, by name, and the rules.
    auto pilots = ctx.store.reports().pilots();
    if (!pilots)
        return storeFailure(pilots.error());
    auto sites = ctx.store.rosters().sites();
    if (!sites)
        return storeFailure(sites.error());
    QJsonArray p, s, rules;
    for (const auto &pilot : *pilots)
        p.append(QJsonObject{{"id", pilot.id}, {"name", pilot.name}, {"withdrawn", pilot.withdrawn}});
    for (const auto &site : *sites)
        s.append(QJsonObject{{"id", site.id}, {"name", site.name}});
    for (const QString &rule : office::findingRules())
        rules.append(QJsonObject{{"rule", rule}, {"subject_kind", office::findingSubjectKind(rule)}});
    return jsonResponse(200, {{"pilots", p}, {"sites", s}, {"finding_rules", rules}});
}

HttpResponse Api::recordFinding(ApiContext &ctx)
{
    const auto body = jsonBody(ctx.request);
    if (!body)
        return badJson();
    office::FindingInput f;
    f.rule = text(*body, "rule", 20);
    f.subjectKind = text(*body, "subject_kind", 10);
    f.subjectId = body->value(QLatin1String("subject_id")).toInteger();
    f.note = text(*body, "note", kMaxCaseReason);
    if (auto bad = attachmentOf(*body, &f.file))
        return *bad;
    auto id = office::recordFinding(ctx.store, f, ctx.caller.actor());
    if (!id)
        return officeFailure(id.error());
    auto found = ctx.store.cases().caseById(*id);
    if (!found)
        return storeFailure(found.error());
    return jsonResponse(201, caseToJson(**found, CaseActor::Office));
}

HttpResponse Api::caseMove(ApiContext &ctx, CaseActor kind)
{
    const auto id = idParam(ctx, QStringLiteral("case"));
    if (!id)
        return notFound();
    const auto body = jsonBody(ctx.request);
    if (!body)
        return badJson();
    office::MoveInput m;
    m.caseId = *id;
    m.from = text(*body, "from", 10);
    m.to = kind == CaseActor::College ? caseStateWord(CaseState::Rectifying) : text(*body, "to", 10);
    if (kind == CaseActor::College && m.from.isEmpty())
        m.from = m.to;
    m.reason = text(*body, "reason", kMaxCaseReason);
    if (const QString deadline = text(*body, "deadline", 10); !deadline.isEmpty()) {
        m.deadline = QDate::fromString(deadline, Qt::ISODate);
        if (!m.deadline.isValid())
            return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("整改期限须为 YYYY-MM-DD"));
    }
    if (auto bad = attachmentOf(*body, &m.file))
        return *bad;
    auto moved = office::moveCase(ctx.store, m, kind, ctx.collegeScope, ctx.caller.actor());
    if (!moved)
        return officeFailure(moved.error());
    QJsonObject o = caseToJson(moved->record, kind);
    o.insert("changed", moved->changed);
    return jsonResponse(200, o);
}

HttpResponse Api::moveCase(ApiContext &ctx)
{
    return caseMove(ctx, CaseActor::Office);
}

HttpResponse Api::recordRectification(ApiContext &ctx)
{
    if (!ctx.collegeScope)
        return errorResponse(403, QStringLiteral("forbidden"), QStringLiteral("整改情况由被核查的二级学院记录"));
    return caseMove(ctx, CaseActor::College);
}

HttpResponse Api::caseAttachment(ApiContext &ctx)
{
    const auto id = idParam(ctx, QStringLiteral("case"));
    const auto step = idParam(ctx, QStringLiteral("step"));
    if (!id || !step)
        return notFound();
    auto found = ctx.store.cases().stepAttachment(*id, *step, ctx.collegeScope);
    if (!found)
        return storeFailure(found.error());
    if (!found->has_value())
        return notFound();
    const StoredAttachment &a = (*found)->second;
    return fileResponse(attachmentContentType(a.type), disposition(a.name), a.bytes);
}

} // namespace kaodian::server
