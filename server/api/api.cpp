#include "api/api.h"

#include "auth/password.h"
#include "office/metricstoken.h"

#include "core/examzone.h"

#include <QLoggingCategory>
#include <QUrl>

#include <openssl/crypto.h>

namespace kaodian::server {

Q_LOGGING_CATEGORY(lcApi, "kaodian.api")

namespace {

const QByteArray kCookieName = "kd_session";

QString dummyHash()
{
    static const QString hash = hashPassword(QStringLiteral("kaodian-timing-equaliser"));
    return hash;
}

bool constantTimeEqual(const QByteArray &a, const QByteArray &b)
{
    return a.size() == b.size() && CRYPTO_memcmp(a.constData(), b.constData(), static_cast<size_t>(a.size())) == 0;
}

QByteArray cookieValue(const HttpRequest &request, const QByteArray &name)
{
    const QByteArray header = request.headers.value("cookie");
    for (const QByteArray &part : header.split(';')) {
        const QByteArray p = part.trimmed();
        if (p.startsWith(name + '='))
            return p.mid(name.size() + 1);
    }
    return {};
}

} // namespace

QString ApiCaller::actor() const
{
    if (user)
        return user->username;
    if (kiosk)
        return QStringLiteral("kiosk:") + kiosk->id;
    if (metricsScraper)
        return QStringLiteral("metrics");
    return QStringLiteral("anonymous");
}

bool roleMayCall(Access access, Role role)
{
    switch (access) {
    case Access::Person: return true;
    case Access::Office:
    case Access::Metrics: return role == Role::Admin;
    case Access::OfficeOrAcademic: return role == Role::Admin || role == Role::Academic;
    case Access::OfficeOrHr: return role == Role::Admin || role == Role::Hr;
    case Access::Staff: return role != Role::CollegeViewer;
    case Access::College: return role == Role::CollegeViewer;
    case Access::Unset:
    case Access::Public:
    case Access::Kiosk: return false;
    }
    return false;
}

bool matchRoute(const QStringList &pattern, const QStringList &path, QHash<QString, QString> *captures)
{
    if (pattern.size() != path.size())
        return false;
    QHash<QString, QString> found;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QString &p = pattern[i];
        if (p.startsWith(QLatin1Char('{')) && p.endsWith(QLatin1Char('}')))
            found.insert(p.mid(1, p.size() - 2), path[i]);
        else if (p != path[i])
            return false;
    }
    if (captures)
        *captures = std::move(found);
    return true;
}

QString routeProblem(const Route &route)
{
    if (route.access == Access::Unset)
        return QStringLiteral("no access declared");
    if (route.scope == Scope::Unset)
        return QStringLiteral("no scope declared");
    if (!route.handler)
        return QStringLiteral("no handler");
    switch (route.access) {
    case Access::Unset: break;
    case Access::Public:
        if (route.scope != Scope::None)
            return QStringLiteral("a public route reaches no data");
        break;
    case Access::Kiosk:
        if (route.scope != Scope::OwnSite)
            return QStringLiteral("a kiosk reaches only its own site");
        break;
    case Access::Person:
        if (route.scope == Scope::All || route.scope == Scope::OwnSite)
            return QStringLiteral("a college viewer's route must be scoped to a college");
        break;
    case Access::College:
        if (route.scope != Scope::OwnCollege)
            return QStringLiteral("a college's own route reaches its own college (Scope::OwnCollege)");
        break;
    case Access::Office:
        if (route.scope == Scope::OwnSite || route.scope == Scope::None)
            return QStringLiteral("an office route must say what data it reaches");
        break;
    case Access::Metrics:
        if (route.scope != Scope::All)
            return QStringLiteral("a metrics route reaches what the office sees, every college");
        if (route.method != "GET")
            return QStringLiteral("a metrics token only reads");
        break;
    case Access::OfficeOrAcademic:
    case Access::OfficeOrHr:
    case Access::Staff:
        if (route.scope != Scope::All)
            return QStringLiteral("the central offices' routes reach every college (Scope::All)");
        break;
    }
    if (route.scope == Scope::SessionCollege && !route.pattern.contains(QStringLiteral("{session}")))
        return QStringLiteral("a session-scoped route needs {session} in its path");
    return {};
}

const QList<Route> &Api::routes()
{
    using A = Access;
    using S = Scope;
    static const QList<Route> table = {
        {"GET", {"health"}, A::Public, S::None, &Api::health},
        {"POST", {"login"}, A::Public, S::None, &Api::login},
        {"POST", {"kiosk", "events"}, A::Kiosk, S::OwnSite, &Api::kioskEvents},
        {"GET", {"kiosk", "package"}, A::Kiosk, S::OwnSite, &Api::kioskPackage},
        {"POST", {"kiosk", "photos"}, A::Kiosk, S::OwnSite, &Api::kioskPhotos},
        {"POST", {"logout"}, A::Person, S::None, &Api::logout},
        {"GET", {"me"}, A::Person, S::None, &Api::me},
        {"GET", {"statistics"}, A::Person, S::OwnCollege, &Api::statistics},
        {"GET", {"compliance"}, A::Person, S::OwnCollege, &Api::compliance},
        {"GET", {"sessions", "{session}"}, A::Person, S::SessionCollege, &Api::session},
        {"GET", {"exports", "people"}, A::Person, S::OwnCollege, &Api::exportPeople},
        {"PUT", {"sessions", "{session}", "published-count"}, A::Office, S::SessionCollege, &Api::publishedCount},
        {"GET", {"sessions", "{session}", "tickets.pdf"}, A::Office, S::SessionCollege, &Api::sessionTickets},
        {"GET", {"sessions", "{session}", "paper", "{paper}"}, A::Office, S::SessionCollege, &Api::sitePaper},
        {"PUT", {"sessions", "{session}", "results-final"}, A::Office, S::SessionCollege, &Api::resultsFinal},
        {"PUT", {"sessions", "{session}", "results", "{registration}"}, A::Office, S::SessionCollege, &Api::correctResult},
        {"POST", {"imports"}, A::Office, S::All, &Api::importRoster},
        {"POST", {"imports", "results"}, A::Office, S::All, &Api::importResults},
        {"POST", {"imports", "photos"}, A::Office, S::All, &Api::importPhotos},
        {"POST", {"imports", "proctors"}, A::Office, S::All, &Api::importProctors},
        {"PUT", {"proctors", "{staff}", "pin"}, A::Office, S::All, &Api::proctorPin},
        {"GET", {"tickets", "{png}"}, A::Office, S::All, &Api::ticketImage},
        {"POST", {"tickets", "{ticket}", "reissue"}, A::Office, S::All, &Api::reissue},
        {"POST", {"registrations", "{ticket}", "withdraw"}, A::Office, S::All, &Api::withdrawRegistration},
        {"POST", {"registrations", "{ticket}", "move"}, A::Office, S::All, &Api::moveRegistration},
        {"POST", {"registrations", "{ticket}", "replace"}, A::Office, S::All, &Api::replaceCandidate},
        {"POST", {"registrations", "{ticket}", "excuse"}, A::Office, S::All, &Api::excuseRegistration},
        {"GET", {"audit"}, A::Office, S::All, &Api::auditLog},
        {"GET", {"users"}, A::Office, S::All, &Api::listUsers},
        {"POST", {"users"}, A::Office, S::All, &Api::addUser},
        // The rules' data (docs/api.md, "Majors, pilots, teachers and sites").
        {"GET", {"sites"}, A::OfficeOrAcademic, S::All, &Api::sites},
        {"PUT", {"sites", "{site}"}, A::OfficeOrAcademic, S::All, &Api::editSite},
        {"POST", {"imports", "sites"}, A::OfficeOrAcademic, S::All, &Api::importSites},
        {"GET", {"majors"}, A::Staff, S::All, &Api::listMajors},
        {"PUT", {"majors", "{major}"}, A::OfficeOrAcademic, S::All, &Api::editMajor},
        {"POST", {"imports", "majors"}, A::OfficeOrAcademic, S::All, &Api::importMajors},
        {"GET", {"pilots"}, A::OfficeOrAcademic, S::All, &Api::listPilots},
        {"PUT", {"pilots", "{pilot}"}, A::OfficeOrAcademic, S::All, &Api::editPilot},
        {"POST", {"imports", "pilots"}, A::OfficeOrAcademic, S::All, &Api::importPilots},
        {"GET", {"certificates"}, A::OfficeOrAcademic, S::All, &Api::listCertificates},
        {"POST", {"certificates", "cancel"}, A::OfficeOrAcademic, S::All, &Api::cancelCertificate},
        {"GET", {"teachers"}, A::Staff, S::All, &Api::listTeachers},
        {"PUT", {"teachers", "{teacher}"}, A::OfficeOrHr, S::All, &Api::editTeacher},
        {"PUT", {"qualifications", "{qualification}"}, A::OfficeOrHr, S::All, &Api::editQualification},
        {"POST", {"imports", "teachers"}, A::OfficeOrHr, S::All, &Api::importTeachers},
        {"POST", {"kiosks"}, A::Office, S::All, &Api::enrolKiosk},
        {"GET", {"kiosks"}, A::Office, S::All, &Api::listKiosks},
        {"POST", {"kiosks", "{kiosk}", "revoke"}, A::Office, S::All, &Api::revokeKiosk},
        {"POST", {"kiosks", "{kiosk}", "events-file"}, A::Office, S::All, &Api::kioskEventsFile},
        {"GET", {"metrics"}, A::Metrics, S::All, &Api::metrics},
        // Weekly reports (周报): the college sends, the office keeps the calendar.
        {"POST", {"pilots", "{pilot}", "reports"}, A::College, S::OwnCollege, &Api::submitReport},
        {"GET", {"reports"}, A::Person, S::OwnCollege, &Api::reports},
        {"GET", {"reports", "{report}", "attachment"}, A::Person, S::OwnCollege, &Api::reportAttachment},
        {"PUT", {"report-exemptions", "{monday}"}, A::Office, S::All, &Api::putReportExemption},
        {"DELETE", {"report-exemptions", "{monday}"}, A::Office, S::All, &Api::deleteReportExemption},
        // Cases (问题): the office and 教务处 open and move them; the college
        // sees its own and records its rectification.
        {"GET", {"cases"}, A::Person, S::OwnCollege, &Api::listCases},
        {"GET", {"cases", "{case}"}, A::Person, S::OwnCollege, &Api::caseDetail},
        {"GET", {"cases", "{case}", "steps", "{step}", "attachment"}, A::Person, S::OwnCollege, &Api::caseAttachment},
        {"GET", {"case-subjects"}, A::OfficeOrAcademic, S::All, &Api::caseSubjects},
        {"POST", {"cases"}, A::OfficeOrAcademic, S::All, &Api::recordFinding},
        {"POST", {"cases", "{case}", "moves"}, A::OfficeOrAcademic, S::All, &Api::moveCase},
        {"POST", {"cases", "{case}", "rectification"}, A::College, S::OwnCollege, &Api::recordRectification},
    };
    return table;
}

Api::Api(StorePool &pool, ApiConfig config) : m_pool(pool), m_config(std::move(config))
{
    dummyHash();
}

std::optional<HttpResponse> Api::claimEnrolment(ApiContext &ctx, KioskRecord &kiosk)
{
    // The kiosk's installation id (kiosk/sync/kioskrequest.h): the first
    // installation to present the enrolment code claims it, and the code is
    // refused from any other, or from a client that sends none. A kiosk
    // that has never sent one (a build from before) is not bound.
    const QByteArray installation = ctx.request.headers.value("x-kaodian-installation");
    if (installation.size() > 128)
        return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("X-Kaodian-Installation 过长"));
    const QString hash = installation.isEmpty() ? QString() : sha256Hex(installation);
    if (kiosk.installationHash.isEmpty() && !hash.isEmpty()) {
        // The public half of the kiosk's device key travels with the claim
        // and is registered with it, only then: a later request cannot
        // replace it (it signs the kiosk's export file, office/kiosks.h).
        const QByteArray deviceKeyText = ctx.request.headers.value("x-kaodian-device-key");
        QByteArray deviceKey;
        if (!deviceKeyText.isEmpty()) {
            const auto decoded = QByteArray::fromBase64Encoding(deviceKeyText, QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded || !VerifyKey::fromRaw(*decoded))
                return errorResponse(400, QStringLiteral("bad_request"),
                                     QStringLiteral("X-Kaodian-Device-Key 须为 Ed25519 公钥（32 字节）的 base64"));
            deviceKey = *decoded;
        }
        auto claim = ctx.store.kiosks().claim(kiosk.id, hash, deviceKey, QStringLiteral("kiosk:") + kiosk.id);
        if (!claim)
            return storeFailure(claim.error());
        if (*claim == KioskClaim::Claimed) {
            kiosk.installationHash = hash;
            kiosk.deviceKey = deviceKey;
            return std::nullopt;
        }
        if (*claim == KioskClaim::AlreadyThis) {
            kiosk.installationHash = hash;
            return std::nullopt;
        }
        auto again = ctx.store.kiosks().kiosk(kiosk.id);
        if (!again)
            return storeFailure(again.error());
        if (again->has_value())
            kiosk = **again;
    }
    if (kiosk.installationHash.isEmpty()
        || constantTimeEqual(hash.toLatin1(), kiosk.installationHash.toLatin1()))
        return std::nullopt;
    return errorResponse(409, QStringLiteral("enrolment_used"),
                         QStringLiteral("此登记码已于 %1 在另一台考场终端上启用，不能再用于其他终端；"
                                        "请考务办公室为本机重新登记，取得新的登记码")
                             .arg(examClock(kiosk.installedAt, QStringLiteral("yyyy-MM-dd HH:mm"))));
}

HttpResponse Api::handle(const HttpRequest &request)
{
    RouteMatch match = matchRequest(request);
    HttpResponse response = [&] {
        auto lease = m_pool.acquire();
        if (!lease)
            return storeFailure(lease.error());
        HttpResponse r = dispatch(request, **lease, match);
        if (r.status == 503)
            lease->discard(); // a connection that failed is not reused
        return r;
    }();
    m_metrics.countRequest(match.route, request.method, response.status);
    return response;
}

std::optional<HttpResponse> Api::identify(ApiContext &ctx)
{
    const HttpRequest &request = ctx.request;
    const QByteArray authorization = request.headers.value("authorization");
    if (authorization.startsWith("Bearer ")) {
        const QByteArray credential = authorization.mid(7).trimmed();
        if (credential.startsWith(office::kMetricsTokenPrefix)) {
            auto known = ctx.store.metricsTokens().matches(sha256Hex(credential));
            if (!known)
                return storeFailure(known.error());
            if (!*known)
                return errorResponse(401, QStringLiteral("unauthorized"), QStringLiteral("指标令牌无效"));
            ctx.caller.metricsScraper = true;
            return std::nullopt;
        }
        const qsizetype dot = credential.indexOf('.');
        if (dot <= 0)
            return unauthorised();
        auto k = ctx.store.kiosks().kiosk(QString::fromUtf8(credential.left(dot)));
        if (!k)
            return storeFailure(k.error());
        if (!k->has_value()
            || !constantTimeEqual(sha256Hex(credential.mid(dot + 1)).toLatin1(), (*k)->credentialHash.toLatin1()))
            return errorResponse(401, QStringLiteral("unauthorized"), QStringLiteral("终端凭据无效"));
        if ((*k)->revokedAt.isValid())
            return errorResponse(403, QStringLiteral("kiosk_revoked"),
                                 QStringLiteral("此考场终端已于 %1 被注销，请将未上传记录导出交考务办公室")
                                     .arg(examClock((*k)->revokedAt, QStringLiteral("yyyy-MM-dd HH:mm"))));
        if (auto refused = claimEnrolment(ctx, **k))
            return refused;
        ctx.caller.kiosk = **k;
        return std::nullopt;
    }
    const QByteArray token = cookieValue(request, kCookieName);
    if (token.isEmpty())
        return std::nullopt;
    ctx.caller.sessionTokenHash = sha256Hex(token);
    auto session = ctx.store.accounts().webSession(ctx.caller.sessionTokenHash, now());
    if (!session)
        return storeFailure(session.error());
    if (!session->has_value())
        return std::nullopt;
    auto user = ctx.store.accounts().userById((*session)->userId);
    if (!user)
        return storeFailure(user.error());
    if (user->has_value() && !(*user)->disabled) {
        ctx.caller.user = **user;
        ctx.caller.csrfToken = (*session)->csrfToken;
    }
    return std::nullopt;
}

std::optional<HttpResponse> Api::checkScope(const Route &route, ApiContext &ctx)
{
    switch (route.scope) {
    case Scope::Unset: return forbidden(); // never in the table (tst_routes)
    case Scope::None:
    case Scope::OwnSite: // a kiosk's handlers read only its own site
    case Scope::All: return std::nullopt;
    case Scope::OwnCollege:
        if (ctx.caller.seesEveryCollege())
            return std::nullopt;
        if (!ctx.caller.user || ctx.caller.user->role != Role::CollegeViewer || !ctx.caller.user->collegeId)
            return forbidden();
        ctx.collegeScope = ctx.caller.user->collegeId;
        return std::nullopt;
    case Scope::SessionCollege: {
        bool ok = false;
        ctx.sessionId = ctx.params.value(QStringLiteral("session")).toLongLong(&ok);
        if (!ok)
            return notFound();
        auto college = ctx.store.rosters().collegeOfSession(ctx.sessionId);
        if (!college)
            return storeFailure(college.error());
        // Another college's session looks like no session at all.
        if (!college->has_value() || !ctx.caller.canSeeCollege(**college))
            return notFound();
        ctx.collegeScope = **college;
        return std::nullopt;
    }
    }
    return forbidden();
}

Api::RouteMatch Api::matchRequest(const HttpRequest &request)
{
    RouteMatch m;
    m.url = QUrl(QString::fromUtf8(request.target));
    m.method = request.method == "HEAD" ? QByteArray("GET") : request.method;
    const QString path = m.url.path();
    if (!path.startsWith(QLatin1String("/api/v1/")))
        return m;
    m.parts = path.mid(8).split(QLatin1Char('/'), Qt::SkipEmptyParts);
    QHash<QString, QString> params;
    for (const Route &r : routes()) {
        if (m.parts.isEmpty() || !matchRoute(r.pattern, m.parts, &params))
            continue;
        m.pathKnown = true;
        if (r.method == m.method) {
            m.route = &r;
            m.params = std::move(params);
            break;
        }
    }
    return m;
}

HttpResponse Api::dispatch(const HttpRequest &request, ServerStore &store, RouteMatch &match)
{
    const QStringList &parts = match.parts;
    const QByteArray &method = match.method;
    const Route *route = match.route;
    if (parts.isEmpty())
        return notFound();
    if (!route && match.pathKnown && parts == QStringList{QStringLiteral("login")})
        return errorResponse(405, QStringLiteral("method_not_allowed"), QStringLiteral("请用 POST"));

    ApiContext ctx{request, store, QUrlQuery(match.url), std::move(match.params), {}, 0, std::nullopt};
    if (route && route->access == Access::Public)
        return (this->*route->handler)(ctx);
    if (auto refused = identify(ctx))
        return *refused;

    const bool kioskPath = parts.first() == QLatin1String("kiosk");
    if (!route) {
        // Unknown: say so only to those who may ask.
        if (kioskPath ? !ctx.caller.kiosk : !ctx.caller.user)
            return unauthorised();
        return notFound();
    }
    switch (route->access) {
    case Access::Kiosk:
        if (!ctx.caller.kiosk)
            return unauthorised();
        break;
    case Access::Person:
    case Access::Office:
    case Access::OfficeOrAcademic:
    case Access::OfficeOrHr:
    case Access::Staff:
    case Access::College:
        if (!ctx.caller.user)
            return unauthorised();
        // Changes need the CSRF token of the session that makes them.
        if (method != "GET" && !constantTimeEqual(request.headers.value("x-csrf-token"), ctx.caller.csrfToken.toLatin1()))
            return errorResponse(403, QStringLiteral("csrf"),
                                 QStringLiteral("请求缺少有效的 CSRF 令牌，请刷新页面后重试"));
        break;
    case Access::Metrics:
        // The metrics token, or a person (the office, checked below).
        if (!ctx.caller.metricsScraper && !ctx.caller.user)
            return unauthorised();
        break;
    case Access::Public:
    case Access::Unset: return forbidden();
    }
    // The scope first: another college's session is not found, not forbidden.
    if (auto refused = checkScope(*route, ctx))
        return *refused;
    if (ctx.caller.user && route->access != Access::Metrics && !roleMayCall(route->access, ctx.caller.user->role))
        return forbidden();
    if (route->access == Access::Metrics && !ctx.caller.metricsScraper && !ctx.caller.isAdmin())
        return forbidden();
    return (this->*route->handler)(ctx);
}

HttpResponse Api::health(ApiContext &)
{
    return jsonResponse(200, {{"status", "ok"}});
}

HttpResponse Api::login(ApiContext &ctx)
{
    const HttpRequest &request = ctx.request;
    ServerStore &store = ctx.store;
    const QString ip = request.peerAddress;
    // A login form on another site cannot send JSON without a preflight,
    // and an Origin, when sent, must be this server.
    const QByteArray origin = request.headers.value("origin");
    if (!origin.isEmpty() && origin != "https://" + request.headers.value("host"))
        return forbidden();
    const auto body = jsonBody(request);
    if (!body)
        return badJson();
    const QString username = body->value("username").toString().trimmed();
    const QString password = body->value("password").toString();
    if (username.isEmpty() || password.isEmpty() || username.size() > 100 || password.size() > 1000)
        return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("请填写用户名和密码"));

    auto found = store.accounts().userByName(username);
    if (!found)
        return storeFailure(found.error());
    const QDateTime at = now();
    const std::optional<UserRecord> user = *found;
    // Counted before the password is checked: parallel guesses cannot all
    // pass the limits before any of them is recorded.
    auto attempt = store.accounts().beginLoginAttempt(ip, user ? std::optional<Id>(user->id) : std::nullopt,
                                                      m_config.login, at);
    if (!attempt)
        return storeFailure(attempt.error());
    auto audited = [&](const QString &action, const QString &detail) -> std::optional<HttpResponse> {
        if (auto s = store.audit().append(username, action, detail); !s)
            return storeFailure(s.error());
        return std::nullopt;
    };
    switch (attempt->gate) {
    case LoginAttempt::Gate::AddressThrottled:
        return errorResponse(429, QStringLiteral("too_many_requests"), QStringLiteral("登录失败次数过多，请一分钟后再试"));
    case LoginAttempt::Gate::AccountLocked: {
        if (auto failed = audited(QStringLiteral("login.locked"), QStringLiteral("来自 %1").arg(ip)))
            return *failed;
        const qint64 minutes = (at.secsTo(attempt->lockedUntil) + 59) / 60;
        return errorResponse(403, QStringLiteral("account_locked"),
                             QStringLiteral("密码错误次数过多，账户已锁定，请 %1 分钟后再试").arg(minutes));
    }
    case LoginAttempt::Gate::Open: break;
    }
    auto failure = [&](const QString &detail) {
        if (auto failed = audited(QStringLiteral("login.failure"), detail + QStringLiteral("（来自 %1）").arg(ip)))
            return *failed;
        return errorResponse(401, QStringLiteral("unauthorized"), QStringLiteral("用户名或密码错误"));
    };
    if (!user) {
        verifyPassword(password, dummyHash());
        return failure(QStringLiteral("无此用户"));
    }
    if (user->disabled)
        return failure(QStringLiteral("账户已停用"));
    if (!verifyPassword(password, user->passwordHash)) {
        auto locked = store.accounts().loginFailed(user->id, attempt->accountAttempt, m_config.login, at);
        if (!locked)
            return storeFailure(locked.error());
        return failure(*locked ? QStringLiteral("密码错误，账户锁定") : QStringLiteral("密码错误"));
    }
    if (auto s = store.accounts().loginSucceeded(user->id, attempt->attemptId); !s)
        return storeFailure(s.error());
    const QString token = randomToken();
    const QString csrf = randomToken();
    const QDateTime expires = at.addSecs(3600LL * m_config.sessionHours);
    if (auto s = store.accounts().createWebSession(sha256Hex(token.toLatin1()), user->id, csrf, at, expires); !s)
        return storeFailure(s.error());
    if (auto failed = audited(QStringLiteral("login.success"), QStringLiteral("来自 %1").arg(ip)))
        return *failed;
    HttpResponse r = jsonResponse(200, QJsonObject{{"username", user->username},
                                                   {"role", roleKey(user->role)},
                                                   {"college_id", user->collegeId ? QJsonValue(*user->collegeId) : QJsonValue()},
                                                   {"csrf_token", csrf}});
    r.headers.push_back({"Set-Cookie", kCookieName + '=' + token.toLatin1()
                                           + "; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age="
                                           + QByteArray::number(3600LL * m_config.sessionHours)});
    return r;
}

HttpResponse Api::logout(ApiContext &ctx)
{
    // A session that could not be deleted stays valid: say so, not logged_out.
    if (auto s = ctx.store.accounts().deleteWebSession(ctx.caller.sessionTokenHash); !s)
        return storeFailure(s.error());
    if (auto s = ctx.store.audit().append(ctx.caller.actor(), QStringLiteral("logout"), QString()); !s)
        return storeFailure(s.error());
    HttpResponse r = jsonResponse(200, {{"status", "logged_out"}});
    r.headers.push_back({"Set-Cookie", kCookieName + "=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0"});
    return r;
}

HttpResponse Api::me(ApiContext &ctx)
{
    const auto &user = *ctx.caller.user;
    return jsonResponse(200, {{"username", user.username},
                              {"role", roleKey(user.role)},
                              {"college_id", user.collegeId ? QJsonValue(*user.collegeId) : QJsonValue()},
                              {"csrf_token", ctx.caller.csrfToken}});
}

} // namespace kaodian::server
