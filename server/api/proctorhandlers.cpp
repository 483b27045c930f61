// The named proctors' routes (docs/api.md, "Proctors"): import the office's
// proctor file, set a proctor's PIN. A session's proctors, sign-offs and
// room incidents are in GET /sessions/{id} (apihandlers.cpp).

#include "api/api.h"
#include "office/proctors.h"

namespace kaodian::server {

HttpResponse Api::importProctors(ApiContext &ctx)
{
    const QString fileName = ctx.query.queryItemValue(QStringLiteral("file_name"), QUrl::FullyDecoded).left(200);
    if (fileName.isEmpty())
        return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("请在 file_name 参数中给出文件名"));
    if (ctx.request.body.size() > kProctorsMaxFileBytes)
        return errorResponse(413, QStringLiteral("payload_too_large"), QStringLiteral("监考安排文件不能超过 5 MB"));
    auto summary = office::importProctors(ctx.store, ctx.request.body, fileName, ctx.caller.actor());
    if (!summary)
        return officeFailure(summary.error());
    return jsonResponse(200, {{"rows", summary->rows},
                              {"sessions", summary->sessions},
                              {"new_proctors", summary->newProctors}});
}

HttpResponse Api::proctorPin(ApiContext &ctx)
{
    const QString staff = ctx.params.value(QStringLiteral("staff"));
    const auto body = jsonBody(ctx.request);
    if (!body || !body->value("pin").isString())
        return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("请求须为 {\"pin\": \"4–12 位数字\"}"));
    if (auto s = office::setProctorPin(ctx.store, staff, body->value("pin").toString(), ctx.caller.actor()); !s)
        return officeFailure(s.error());
    return jsonResponse(200, {{"staff_number", staff}, {"has_pin", true}});
}

} // namespace kaodian::server
