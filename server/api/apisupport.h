#pragma once

// What every API handler needs to read a request and write an answer:
// JSON bodies, the error shapes ({"error": {"code", "message"}}), and the
// translation of an office use case's error into an HTTP status. Errors
// never carry internals: a store failure is logged and answered 503.
//
// Thread-safety: pure functions.

#include "http/httpsserver.h"
#include "office/officeerror.h"

#include "core/storeerror.h"

#include <QJsonObject>

#include <optional>

namespace kaodian::server {

HttpResponse jsonResponse(int status, const QJsonObject &body);
HttpResponse errorResponse(int status, const QString &code, const QString &message);

// The body as a JSON object, if it is one and says so (Content-Type).
std::optional<QJsonObject> jsonBody(const HttpRequest &request);
HttpResponse badJson();
HttpResponse notFound();
HttpResponse forbidden();
HttpResponse unauthorised();
HttpResponse storeFailure(const StoreError &error);
// BadInput/Refused → 400 (with "problems" when the error lists them),
// Forbidden → 403, NotFound → 404, Conflict → 409, Unavailable → 503, Failed → 500.
HttpResponse officeFailure(const OfficeError &error);
// A file download.
HttpResponse fileResponse(const QByteArray &contentType, const QByteArray &disposition, const QByteArray &body);

} // namespace kaodian::server
