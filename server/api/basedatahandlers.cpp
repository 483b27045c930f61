// The routes of the data the rules need (docs/api.md, "Majors, pilots,
// teachers and sites"): import a file of each, list them, edit one record,
// cancel a certificate. Who may call which: the route table (api.cpp).

#include "api/api.h"
#include "import/rosterfields.h"
#include "office/basedata.h"

#include <QJsonArray>

#include <cmath>

namespace kaodian::server {

namespace {

QJsonValue dateJson(const QDate &d)
{
    return d.isValid() ? QJsonValue(d.toString(Qt::ISODate)) : QJsonValue();
}

QJsonValue timeJson(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}

Id idParameter(const ApiContext &ctx, const QString &name)
{
    bool ok = false;
    const Id id = ctx.params.value(name).toLongLong(&ok);
    return ok && id > 0 ? id : 0;
}

HttpResponse badField(const QString &message)
{
    return errorResponse(400, QStringLiteral("bad_request"), message);
}

// A text field of an edit: set when present (a string), an error when of another type.
bool textField(const QJsonObject &body, const char *key, std::optional<QString> *out)
{
    const QJsonValue v = body.value(QLatin1String(key));
    if (v.isUndefined())
        return true;
    if (!v.isString())
        return false;
    *out = v.toString().trimmed();
    return true;
}

// A date field: null or "" clears (an invalid QDate), a date as a clerk writes it sets.
bool dateField(const QJsonObject &body, const char *key, std::optional<QDate> *out)
{
    const QJsonValue v = body.value(QLatin1String(key));
    if (v.isUndefined())
        return true;
    if (v.isNull() || (v.isString() && v.toString().trimmed().isEmpty())) {
        *out = QDate();
        return true;
    }
    if (!v.isString())
        return false;
    const auto d = parseExamDate(v.toString());
    if (!d)
        return false;
    *out = *d;
    return true;
}

bool boolField(const QJsonObject &body, const char *key, std::optional<bool> *out)
{
    const QJsonValue v = body.value(QLatin1String(key));
    if (v.isUndefined())
        return true;
    if (!v.isBool())
        return false;
    *out = v.toBool();
    return true;
}

HttpResponse summaryResponse(const BaseDataSummary &s)
{
    return jsonResponse(200, {{"changed", s.changed()},
                              {"rows", s.rows},
                              {"created", s.created},
                              {"updated", s.updated},
                              {"unchanged", s.unchanged},
                              {"removed", s.removed},
                              {"warnings", QJsonArray::fromStringList(s.warnings)}});
}

HttpResponse editResponse(const Result<bool, StoreError> &r)
{
    if (!r)
        return officeFailure(OfficeError::fromStore(r.error()));
    return jsonResponse(200, {{"changed", *r}});
}

} // namespace

HttpResponse Api::importBaseData(ApiContext &ctx, int kind)
{
    const QString fileName = ctx.query.queryItemValue(QStringLiteral("file_name"), QUrl::FullyDecoded).left(200);
    if (fileName.isEmpty())
        return badField(QStringLiteral("请在 file_name 参数中给出文件名"));
    auto summary = office::importBaseData(ctx.store, static_cast<office::BaseDataKind>(kind), ctx.request.body, fileName,
                                          ctx.caller.actor());
    if (!summary)
        return officeFailure(summary.error());
    return summaryResponse(*summary);
}

HttpResponse Api::importMajors(ApiContext &ctx)
{
    return importBaseData(ctx, static_cast<int>(office::BaseDataKind::Majors));
}
HttpResponse Api::importPilots(ApiContext &ctx)
{
    return importBaseData(ctx, static_cast<int>(office::BaseDataKind::Pilots));
}
HttpResponse Api::importTeachers(ApiContext &ctx)
{
    return importBaseData(ctx, static_cast<int>(office::BaseDataKind::Teachers));
}
HttpResponse Api::importSites(ApiContext &ctx)
{
    return importBaseData(ctx, static_cast<int>(office::BaseDataKind::Sites));
}

HttpResponse Api::listMajors(ApiContext &ctx)
{
    auto list = ctx.store.baseData().majors();
    if (!list)
        return storeFailure(list.error());
    QJsonArray out;
    for (const MajorRecord &m : *list)
        out.append(QJsonObject{{"id", m.id},
                               {"college_id", m.collegeId},
                               {"college", m.college},
                               {"code", m.code},
                               {"name", m.name},
                               {"active", m.active}});
    return jsonResponse(200, {{"majors", out}});
}

HttpResponse Api::listPilots(ApiContext &ctx)
{
    auto list = ctx.store.baseData().pilots();
    if (!list)
        return storeFailure(list.error());
    QJsonArray out;
    for (const PilotRecord &p : *list)
        out.append(QJsonObject{{"id", p.id},
                               {"name", p.name()},
                               {"college_id", p.collegeId},
                               {"college", p.college},
                               {"certificate", p.certificate},
                               {"level", levelName(p.level)},
                               {"registered", p.registered},
                               {"training_org", p.trainingOrg},
                               {"majors", QJsonArray::fromStringList(p.majors)},
                               {"approved_count", p.approvedCount ? QJsonValue(*p.approvedCount) : QJsonValue()},
                               {"approved_on", dateJson(p.approvedOn)},
                               {"start_date", dateJson(p.startDate)},
                               {"active", p.active},
                               {"withdrawn_at", timeJson(p.withdrawnAt)},
                               {"candidates", p.candidates},
                               {"over_approved", p.approvedCount && p.candidates > *p.approvedCount}});
    return jsonResponse(200, {{"pilots", out}});
}

HttpResponse Api::listTeachers(ApiContext &ctx)
{
    auto list = ctx.store.baseData().teachers();
    if (!list)
        return storeFailure(list.error());
    QJsonArray out;
    for (const TeacherRecord &t : *list) {
        QJsonArray qualifications;
        for (const QualificationRecord &q : t.qualifications)
            qualifications.append(QJsonObject{{"id", q.id},
                                              {"kind", qualificationKindName(q.kind)},
                                              {"certificate", q.certificate},
                                              {"level", levelName(q.level)},
                                              {"number", q.number},
                                              {"valid_from", dateJson(q.validFrom)},
                                              {"valid_until", dateJson(q.validUntil)}});
        out.append(QJsonObject{{"id", t.id},
                               {"staff_number", t.staffNumber},
                               {"name", t.name},
                               {"college_id", t.collegeId},
                               {"college", t.college},
                               {"major", t.major},
                               {"qualifications", qualifications}});
    }
    return jsonResponse(200, {{"teachers", out}});
}

HttpResponse Api::sites(ApiContext &ctx)
{
    auto rooms = ctx.store.rosters().sites();
    if (!rooms)
        return storeFailure(rooms.error());
    auto list = ctx.store.baseData().sites();
    if (!list)
        return storeFailure(list.error());
    QHash<Id, QStringList> roomsOf;
    for (const auto &site : *rooms)
        roomsOf.insert(site.id, site.rooms);
    QJsonArray sites;
    for (const SiteRecord &s : *list)
        sites.append(QJsonObject{{"id", s.id},
                                 {"name", s.name},
                                 {"rooms", QJsonArray::fromStringList(roomsOf.value(s.id))},
                                 {"address", s.address},
                                 {"agreement_number", s.agreementNumber},
                                 {"agreement_starts", dateJson(s.agreementStarts)},
                                 {"agreement_ends", dateJson(s.agreementEnds)},
                                 {"withdrawn_at", timeJson(s.withdrawnAt)}});
    return jsonResponse(200, {{"sites", sites}});
}

HttpResponse Api::listCertificates(ApiContext &ctx)
{
    auto list = ctx.store.baseData().certificates();
    if (!list)
        return storeFailure(list.error());
    QJsonArray out;
    for (const CertificateRecord &c : *list)
        out.append(QJsonObject{{"id", c.id},
                               {"name", c.name},
                               {"training_org", c.trainingOrg},
                               {"cancelled_on", dateJson(c.cancelledOn)},
                               {"cancel_document", c.document},
                               {"cancelled_by", c.cancelledBy},
                               {"cancelled_at", timeJson(c.cancelledAt)}});
    return jsonResponse(200, {{"certificates", out}});
}

HttpResponse Api::editMajor(ApiContext &ctx)
{
    const Id id = idParameter(ctx, QStringLiteral("major"));
    if (id == 0)
        return notFound();
    const auto body = jsonBody(ctx.request);
    if (!body)
        return badJson();
    MajorEdit edit;
    if (!textField(*body, "code", &edit.code) || !textField(*body, "name", &edit.name)
        || !boolField(*body, "active", &edit.active))
        return badField(QStringLiteral("code 和 name 须为文字，active 须为 true 或 false"));
    return editResponse(ctx.store.baseData().updateMajor(id, edit, ctx.caller.actor()));
}

HttpResponse Api::editPilot(ApiContext &ctx)
{
    const Id id = idParameter(ctx, QStringLiteral("pilot"));
    if (id == 0)
        return notFound();
    const auto body = jsonBody(ctx.request);
    if (!body)
        return badJson();
    PilotEdit edit;
    if (!textField(*body, "training_org", &edit.trainingOrg) || !boolField(*body, "active", &edit.active))
        return badField(QStringLiteral("training_org 须为文字，active 须为 true 或 false"));
    if (!dateField(*body, "approved_on", &edit.approvedOn) || !dateField(*body, "start_date", &edit.startDate))
        return badField(QStringLiteral("日期须写成 2026-06-01，或留空"));
    const QJsonValue majors = body->value("majors");
    if (majors.isString()) {
        edit.majors = splitMajors(majors.toString());
    } else if (majors.isArray()) {
        QStringList list;
        for (const QJsonValue &m : majors.toArray()) {
            if (!m.isString())
                return badField(QStringLiteral("majors 须为专业名称的列表"));
            list << m.toString().trimmed();
        }
        edit.majors = list;
    } else if (!majors.isUndefined()) {
        return badField(QStringLiteral("majors 须为专业名称的列表"));
    }
    const QJsonValue approved = body->value("approved_count");
    if (approved.isNull()) {
        edit.approvedCount = std::optional<int>();
    } else if (approved.isDouble()) {
        const double v = approved.toDouble();
        if (v != std::floor(v) || v < 1 || v > 1000000)
            return badField(QStringLiteral("批准人数须为正整数"));
        edit.approvedCount = std::optional<int>(static_cast<int>(v));
    } else if (!approved.isUndefined()) {
        return badField(QStringLiteral("批准人数须为正整数"));
    }
    return editResponse(ctx.store.baseData().updatePilot(id, edit, ctx.caller.actor()));
}

HttpResponse Api::editSite(ApiContext &ctx)
{
    const Id id = idParameter(ctx, QStringLiteral("site"));
    if (id == 0)
        return notFound();
    const auto body = jsonBody(ctx.request);
    if (!body)
        return badJson();
    SiteEdit edit;
    if (!textField(*body, "address", &edit.address) || !textField(*body, "agreement_number", &edit.agreementNumber))
        return badField(QStringLiteral("address 和 agreement_number 须为文字"));
    if (!dateField(*body, "agreement_starts", &edit.agreementStarts) || !dateField(*body, "agreement_ends", &edit.agreementEnds))
        return badField(QStringLiteral("协议日期须写成 2026-06-01，或留空"));
    return editResponse(ctx.store.baseData().updateSite(id, edit, ctx.caller.actor()));
}

HttpResponse Api::editTeacher(ApiContext &ctx)
{
    const Id id = idParameter(ctx, QStringLiteral("teacher"));
    if (id == 0)
        return notFound();
    const auto body = jsonBody(ctx.request);
    if (!body)
        return badJson();
    TeacherEdit edit;
    if (!textField(*body, "name", &edit.name) || !textField(*body, "major", &edit.major))
        return badField(QStringLiteral("name 和 major 须为文字"));
    return editResponse(ctx.store.baseData().updateTeacher(id, edit, ctx.caller.actor()));
}

HttpResponse Api::editQualification(ApiContext &ctx)
{
    const Id id = idParameter(ctx, QStringLiteral("qualification"));
    if (id == 0)
        return notFound();
    const auto body = jsonBody(ctx.request);
    if (!body)
        return badJson();
    QualificationEdit edit;
    if (!textField(*body, "number", &edit.number))
        return badField(QStringLiteral("number 须为文字"));
    if (!dateField(*body, "valid_from", &edit.validFrom) || !dateField(*body, "valid_until", &edit.validUntil))
        return badField(QStringLiteral("有效期须写成 2026-06-01，或留空"));
    return editResponse(ctx.store.baseData().updateQualification(id, edit, ctx.caller.actor()));
}

HttpResponse Api::cancelCertificate(ApiContext &ctx)
{
    const auto body = jsonBody(ctx.request);
    if (!body || !body->value("certificate").isString() || !body->value("date").isString()
        || !body->value("document").isString())
        return badField(QStringLiteral("须给出 certificate（证书名称）、date（取消日期）和 document（文件号）"));
    auto r = office::cancelCertificate(ctx.store, body->value("certificate").toString(), body->value("date").toString(),
                                       body->value("document").toString(), ctx.caller.actor());
    if (!r)
        return officeFailure(r.error());
    return jsonResponse(200, {{"changed", *r}});
}

} // namespace kaodian::server
