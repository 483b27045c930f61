#include "api/apisupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>

namespace kaodian::server {

Q_LOGGING_CATEGORY(lcApiSupport, "kaodian.api")

HttpResponse jsonResponse(int status, const QJsonObject &body)
{
    HttpResponse r;
    r.status = status;
    r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return r;
}

HttpResponse errorResponse(int status, const QString &code, const QString &message)
{
    return jsonResponse(status, QJsonObject{{"error", QJsonObject{{"code", code}, {"message", message}}}});
}

std::optional<QJsonObject> jsonBody(const HttpRequest &request)
{
    if (!request.headers.value("content-type").startsWith("application/json"))
        return std::nullopt;
    QJsonParseError error{};
    const auto doc = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

HttpResponse badJson()
{
    return errorResponse(400, QStringLiteral("bad_request"),
                         QStringLiteral("请求须为 JSON 对象（Content-Type: application/json）"));
}

HttpResponse notFound()
{
    return errorResponse(404, QStringLiteral("not_found"), QStringLiteral("没有这个资源"));
}

HttpResponse forbidden()
{
    return errorResponse(403, QStringLiteral("forbidden"), QStringLiteral("无权访问"));
}

HttpResponse unauthorised()
{
    return errorResponse(401, QStringLiteral("unauthorized"), QStringLiteral("请先登录"));
}

HttpResponse storeFailure(const StoreError &error)
{
    return officeFailure(OfficeError::fromStore(error));
}

HttpResponse officeFailure(const OfficeError &error)
{
    switch (error.kind) {
    case OfficeError::Kind::BadInput:
        return errorResponse(400, error.code, error.message);
    case OfficeError::Kind::Refused: {
        if (error.problems.isEmpty())
            return errorResponse(400, error.code, error.message);
        QJsonArray list;
        for (const auto &p : error.problems)
            list.append(QJsonObject{{"line", p.line}, {"column", p.column}, {"message", p.message}});
        return jsonResponse(400, {{"error", QJsonObject{{"code", error.code}, {"message", error.message}}},
                                  {"problems", list}});
    }
    case OfficeError::Kind::Forbidden:
        return errorResponse(403, error.code, error.message);
    case OfficeError::Kind::NotFound:
        return errorResponse(404, error.code, error.message);
    case OfficeError::Kind::Conflict: {
        if (error.problems.isEmpty())
            return errorResponse(409, error.code, error.message);
        // Who or what stands in the way (results final: who sat without a result).
        QJsonArray list;
        for (const auto &p : error.problems)
            list.append(QJsonObject{{"line", p.line}, {"column", p.column}, {"message", p.message}});
        return jsonResponse(409, {{"error", QJsonObject{{"code", error.code}, {"message", error.message}}},
                                  {"problems", list}});
    }
    case OfficeError::Kind::Failed:
        return errorResponse(500, error.code, error.message);
    case OfficeError::Kind::Unavailable:
        break;
    }
    qCWarning(lcApiSupport) << "store error:" << error.message;
    return errorResponse(503, QStringLiteral("store_unavailable"), QStringLiteral("数据存储暂不可用，请稍后重试"));
}

HttpResponse fileResponse(const QByteArray &contentType, const QByteArray &disposition, const QByteArray &body)
{
    HttpResponse r;
    r.contentType = contentType;
    r.headers.push_back({"Content-Disposition", disposition});
    r.body = body;
    return r;
}

} // namespace kaodian::server
