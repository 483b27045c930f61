// The results routes (docs/api.md, "Results"): import a results file,
// correct one result, mark a session final or re-open it.

#include "api/api.h"
#include "api/jsonreport.h"
#include "office/results.h"

#include <QJsonArray>

namespace kaodian::server {

namespace {

// A score from JSON: a number (85.5) or text ("85.5"), null or absent for none.
bool scoreFromJson(const QJsonValue &v, std::optional<int> *out)
{
    if (v.isNull() || v.isUndefined())
        return true;
    std::optional<int> t;
    if (v.isDouble())
        t = parseScoreTenths(QString::number(v.toDouble(), 'g', 17), true);
    else if (v.isString() && !v.toString().trimmed().isEmpty())
        t = parseScoreTenths(v.toString(), false);
    else if (v.isString())
        return true;
    if (!t)
        return false;
    *out = t;
    return true;
}

} // namespace

HttpResponse Api::importResults(ApiContext &ctx)
{
    const QString fileName = ctx.query.queryItemValue(QStringLiteral("file_name"), QUrl::FullyDecoded).left(200);
    if (fileName.isEmpty())
        return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("请在 file_name 参数中给出文件名"));
    const QString replaceText = ctx.query.queryItemValue(QStringLiteral("replace"));
    const bool replace = replaceText == u"1" || replaceText == u"true";
    const QString reason = ctx.query.queryItemValue(QStringLiteral("reason"), QUrl::FullyDecoded);
    auto summary = office::importResults(ctx.store, ctx.request.body, fileName, replace, reason, ctx.caller.actor());
    if (!summary)
        return officeFailure(summary.error());
    return jsonResponse(200, {{"already_imported", summary->alreadyImported},
                              {"rows", summary->rows},
                              {"recorded", summary->recorded},
                              {"unchanged", summary->unchanged},
                              {"replaced", summary->replaced}});
}

HttpResponse Api::correctResult(ApiContext &ctx)
{
    bool ok = false;
    const Id registrationId = ctx.params.value(QStringLiteral("registration")).toLongLong(&ok);
    if (!ok || registrationId < 1)
        return errorResponse(404, QStringLiteral("not_found"), QStringLiteral("没有这个报名"));
    const auto body = jsonBody(ctx.request);
    if (!body || !body->value("outcome").isString() || !body->value("reason").isString())
        return badJson();
    ResultValue value;
    const auto outcome = resultOutcomeFromKey(body->value("outcome").toString());
    if (!outcome)
        return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("outcome 须为 pass、fail 或 absent"));
    value.outcome = *outcome;
    if (!scoreFromJson(body->value("theory"), &value.theory) || !scoreFromJson(body->value("practical"), &value.practical)
        || !scoreFromJson(body->value("total"), &value.total))
        return errorResponse(400, QStringLiteral("bad_request"),
                             QStringLiteral("分数须为 0–100 的数字，最多一位小数（如 85 或 85.5），或留空"));
    auto changed = office::correctResult(ctx.store, ctx.sessionId, registrationId, value,
                                         body->value("reason").toString(), ctx.caller.actor());
    if (!changed)
        return officeFailure(changed.error());
    QJsonObject out = resultValueToJson(value);
    out.insert("session_id", ctx.sessionId);
    out.insert("registration_id", registrationId);
    out.insert("changed", *changed);
    return jsonResponse(200, out);
}

HttpResponse Api::resultsFinal(ApiContext &ctx)
{
    const auto body = jsonBody(ctx.request);
    if (!body || !body->value("final").isBool())
        return badJson();
    const bool final = body->value("final").toBool();
    const QString reason = body->value("reason").toString();
    if (auto s = office::setResultsFinal(ctx.store, ctx.sessionId, final, reason, ctx.caller.actor()); !s)
        return officeFailure(s.error());
    return jsonResponse(200, {{"session_id", ctx.sessionId}, {"results_final", final}});
}

} // namespace kaodian::server
