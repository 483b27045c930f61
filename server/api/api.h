#pragma once

// The JSON API under /api/v1 (docs/api.md): people log in with a password
// and get an HttpOnly, Secure, SameSite=Strict session cookie plus a CSRF
// token that every change must echo; kiosks authenticate with their
// enrolment credential. Every role sees only its scope, checked on every
// endpoint. Errors are JSON {"error": {"code", "message"}} and never carry
// internals.
//
// Thread-safety: handle() is called concurrently from the HTTP worker
// threads; each call borrows its own store connection from the pool.

#include "api/storepool.h"
#include "http/httpsserver.h"

#include "core/ed25519.h"

#include <QDateTime>
#include <QHash>
#include <QMutex>

#include <functional>

namespace kaodian::server {

// Knobs of the API, with the values the server runs with.
struct ApiConfig
{
    int maxFailedLogins = 5;         // then the account is locked
    int lockoutMinutes = 15;
    int failedLoginsPerIpPerMinute = 20; // then 429 for that address
    int sessionHours = 8;
    int maxEventsPerBatch = 1000;
    std::function<QDateTime()> clock = [] { return QDateTime::currentDateTimeUtc(); };
    // Signs admission tickets and the session packages kiosks download;
    // none: those endpoints answer 503.
    std::optional<SigningKey> ticketKey;
    // The SHA-256 of the server's TLS certificate, which enrolment codes
    // ask kiosks to pin (POST /kiosks answers 503 without it).
    QString tlsCertificateSha256;
};

class Api
{
public:
    Api(StorePool &pool, ApiConfig config = {});
    HttpResponse handle(const HttpRequest &request);

private:
    struct Caller;
    HttpResponse route(const HttpRequest &request, ServerStore &store);
    HttpResponse login(const HttpRequest &request, ServerStore &store);
    bool ipThrottled(const QString &ip);
    void noteIpFailure(const QString &ip);

    StorePool &m_pool;
    ApiConfig m_config;
    QMutex m_ipMutex;
    QHash<QString, QList<QDateTime>> m_ipFailures; // per instance; a brake, not a record
};

// Helpers shared with the web pages.
HttpResponse jsonResponse(int status, const QJsonObject &body);
HttpResponse errorResponse(int status, const QString &code, const QString &message);

} // namespace kaodian::server
