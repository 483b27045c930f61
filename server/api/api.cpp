#include "api/api.h"
#include "core/examzone.h"

#include "api/enrolment.h"
#include "api/jsonreport.h"
#include "api/packagebuilder.h"
#include "api/pdfreport.h"
#include "api/xlsxexport.h"
#include "auth/password.h"
#include "protocol/eventjson.h"
#include "store/rosterapply.h"
#include "tickets/ticketimage.h"
#include "tickets/ticketpdf.h"
#include "tickets/ticketsigning.h"

#include <QBuffer>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTimeZone>
#include <QUrlQuery>

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

HttpResponse storeFailure(const StoreError &error)
{
    qCWarning(lcApi) << "store error:" << error.message;
    if (error.code == StoreError::Code::AlreadyExists)
        return errorResponse(409, QStringLiteral("conflict"), error.message);
    if (error.code == StoreError::Code::DatabaseMissing)
        return errorResponse(404, QStringLiteral("not_found"), error.message);
    return errorResponse(503, QStringLiteral("store_unavailable"), QStringLiteral("数据存储暂不可用，请稍后重试"));
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

// The tickets could not be made (no font, a claim out of range): the
// reason goes to the log, since it may name files on the server.
HttpResponse ticketsFailed(const QString &why)
{
    qCWarning(lcApi) << "admission tickets:" << why;
    return errorResponse(500, QStringLiteral("tickets_failed"),
                         QStringLiteral("无法生成准考证（服务器日志中有原因，例如缺少中文字体）"));
}

HttpResponse noTicketKey()
{
    return errorResponse(503, QStringLiteral("store_unavailable"), QStringLiteral("服务器未配置准考证签名密钥"));
}

// A ticket number as it may appear in a path: 1–20 of 0-9 A-Z '-'.
bool plausibleTicketNumber(const QString &n)
{
    static const QRegularExpression pattern(QStringLiteral("^[0-9A-Z-]{1,20}$"));
    return pattern.match(n).hasMatch();
}

} // namespace

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

// Who is calling: a person with a web session, a kiosk, or nobody.
struct Api::Caller
{
    std::optional<UserRecord> user;
    QString sessionTokenHash;
    QString csrfToken;
    std::optional<KioskRecord> kiosk;

    [[nodiscard]] bool isAdmin() const { return user && user->role == Role::Admin; }
    [[nodiscard]] QString actor() const
    {
        if (user)
            return user->username;
        if (kiosk)
            return QStringLiteral("kiosk:") + kiosk->id;
        return QStringLiteral("anonymous");
    }
    // May this caller see the college's data?
    [[nodiscard]] bool canSeeCollege(Id collegeId) const
    {
        return isAdmin() || (user && user->collegeId && *user->collegeId == collegeId);
    }
};

Api::Api(StorePool &pool, ApiConfig config) : m_pool(pool), m_config(std::move(config))
{
    dummyHash();
}

bool Api::ipThrottled(const QString &ip)
{
    QMutexLocker lock(&m_ipMutex);
    auto &list = m_ipFailures[ip];
    const QDateTime cutoff = m_config.clock().addSecs(-60);
    list.erase(std::remove_if(list.begin(), list.end(), [&](const QDateTime &t) { return t < cutoff; }), list.end());
    return list.size() >= m_config.failedLoginsPerIpPerMinute;
}

void Api::noteIpFailure(const QString &ip)
{
    QMutexLocker lock(&m_ipMutex);
    m_ipFailures[ip].push_back(m_config.clock());
}

HttpResponse Api::handle(const HttpRequest &request)
{
    auto lease = m_pool.acquire();
    if (!lease)
        return storeFailure(lease.error());
    HttpResponse response = route(request, **lease);
    if (response.status == 503)
        lease->discard(); // a connection that failed is not reused
    return response;
}

HttpResponse Api::login(const HttpRequest &request, ServerStore &store)
{
    const QString ip = request.peerAddress;
    if (ipThrottled(ip))
        return errorResponse(429, QStringLiteral("too_many_requests"), QStringLiteral("登录失败次数过多，请一分钟后再试"));
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

    auto found = store.userByName(username);
    if (!found)
        return storeFailure(found.error());
    const QDateTime now = m_config.clock();
    auto failure = [&](const QString &detail) {
        noteIpFailure(ip);
        store.audit(username, QStringLiteral("login.failure"), detail + QStringLiteral("（来自 %1）").arg(ip));
        return errorResponse(401, QStringLiteral("unauthorized"), QStringLiteral("用户名或密码错误"));
    };
    if (!found->has_value()) {
        verifyPassword(password, dummyHash());
        return failure(QStringLiteral("无此用户"));
    }
    UserRecord user = **found;
    if (user.disabled)
        return failure(QStringLiteral("账户已停用"));
    if (user.lockedUntil.isValid() && user.lockedUntil > now) {
        store.audit(username, QStringLiteral("login.locked"), QStringLiteral("来自 %1").arg(ip));
        const qint64 minutes = (now.secsTo(user.lockedUntil) + 59) / 60;
        return errorResponse(403, QStringLiteral("account_locked"),
                             QStringLiteral("密码错误次数过多，账户已锁定，请 %1 分钟后再试").arg(minutes));
    }
    if (!verifyPassword(password, user.passwordHash)) {
        const int failed = user.failedLogins + 1;
        const QDateTime lock = failed >= m_config.maxFailedLogins ? now.addSecs(60 * m_config.lockoutMinutes) : QDateTime();
        store.recordLoginFailure(user.id, lock.isValid() ? 0 : failed, lock);
        return failure(lock.isValid() ? QStringLiteral("密码错误，账户锁定") : QStringLiteral("密码错误"));
    }
    store.recordLoginSuccess(user.id);
    const QString token = randomToken();
    const QString csrf = randomToken();
    const QDateTime expires = now.addSecs(3600LL * m_config.sessionHours);
    if (auto s = store.createWebSession(sha256Hex(token.toLatin1()), user.id, csrf, now, expires); !s)
        return storeFailure(s.error());
    store.audit(username, QStringLiteral("login.success"), QStringLiteral("来自 %1").arg(ip));
    HttpResponse r = jsonResponse(200, QJsonObject{{"username", user.username},
                                                   {"role", roleKey(user.role)},
                                                   {"college_id", user.collegeId ? QJsonValue(*user.collegeId) : QJsonValue()},
                                                   {"csrf_token", csrf}});
    r.headers.push_back({"Set-Cookie", kCookieName + '=' + token.toLatin1()
                                           + "; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age="
                                           + QByteArray::number(3600LL * m_config.sessionHours)});
    return r;
}

HttpResponse Api::route(const HttpRequest &request, ServerStore &store)
{
    const QUrl url(QString::fromUtf8(request.target));
    const QString path = url.path();
    const QUrlQuery query(url);
    const QByteArray method = request.method == "HEAD" ? QByteArray("GET") : request.method;
    if (!path.startsWith(QLatin1String("/api/v1/")))
        return notFound();
    const QStringList parts = path.mid(8).split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (parts.isEmpty())
        return notFound();

    if (parts == QStringList{"health"} && method == "GET")
        return jsonResponse(200, {{"status", "ok"}});
    if (parts == QStringList{"login"}) {
        if (method != "POST")
            return errorResponse(405, QStringLiteral("method_not_allowed"), QStringLiteral("请用 POST"));
        return login(request, store);
    }

    // Who is calling?
    Caller caller;
    const QByteArray authorization = request.headers.value("authorization");
    if (authorization.startsWith("Bearer ")) {
        const QByteArray credential = authorization.mid(7).trimmed();
        const qsizetype dot = credential.indexOf('.');
        if (dot <= 0)
            return unauthorised();
        auto k = store.kiosk(QString::fromUtf8(credential.left(dot)));
        if (!k)
            return storeFailure(k.error());
        if (!k->has_value()
            || !constantTimeEqual(sha256Hex(credential.mid(dot + 1)).toLatin1(), (*k)->credentialHash.toLatin1()))
            return errorResponse(401, QStringLiteral("unauthorized"), QStringLiteral("终端凭据无效"));
        if ((*k)->revokedAt.isValid())
            return errorResponse(403, QStringLiteral("kiosk_revoked"),
                                 QStringLiteral("此考场终端已于 %1 被注销，请将未上传记录导出交考务办公室")
                                     .arg(examClock((*k)->revokedAt, QStringLiteral("yyyy-MM-dd HH:mm"))));
        caller.kiosk = **k;
    } else {
        const QByteArray token = cookieValue(request, kCookieName);
        if (!token.isEmpty()) {
            caller.sessionTokenHash = sha256Hex(token);
            auto session = store.webSession(caller.sessionTokenHash, m_config.clock());
            if (!session)
                return storeFailure(session.error());
            if (session->has_value()) {
                auto user = store.userById((*session)->userId);
                if (!user)
                    return storeFailure(user.error());
                if (user->has_value() && !(*user)->disabled) {
                    caller.user = **user;
                    caller.csrfToken = (*session)->csrfToken;
                }
            }
        }
    }

    // Kiosk endpoints.
    if (parts.first() == QLatin1String("kiosk")) {
        if (!caller.kiosk)
            return unauthorised();
        if (parts == QStringList{"kiosk", "events"} && method == "POST") {
            const auto body = jsonBody(request);
            if (!body)
                return badJson();
            const QJsonArray array = body->value("events").toArray();
            if (array.size() > m_config.maxEventsPerBatch)
                return errorResponse(413, QStringLiteral("payload_too_large"),
                                     QStringLiteral("每批最多 %1 条事件").arg(m_config.maxEventsPerBatch));
            QList<KioskEvent> events;
            events.reserve(array.size());
            QHash<Id, Id> checked; // registration -> session already checked
            for (qsizetype i = 0; i < array.size(); ++i) {
                QString why;
                auto e = protocol::eventFromJson(array[i].toObject(), caller.kiosk->id, &why);
                if (!e)
                    return errorResponse(400, QStringLiteral("bad_event"), QStringLiteral("第 %1 条事件：%2").arg(i + 1).arg(why));
                if (checked.value(e->registrationId, -1) != e->sessionId) {
                    auto ok = store.registrationAtSite(e->registrationId, e->sessionId, caller.kiosk->siteId);
                    if (!ok)
                        return storeFailure(ok.error());
                    if (!*ok)
                        return errorResponse(403, QStringLiteral("forbidden"),
                                             QStringLiteral("第 %1 条事件的考生不属于本考点的该场次").arg(i + 1));
                    checked.insert(e->registrationId, e->sessionId);
                }
                events.push_back(std::move(*e));
            }
            // What the kiosk still has to send after this batch (optional).
            std::optional<qint64> waiting;
            if (const QJsonValue w = body->value("waiting"); !w.isUndefined() && !w.isNull()) {
                if (!w.isDouble() || w.toInteger(-1) < 0)
                    return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("waiting 须为非负整数"));
                waiting = w.toInteger();
            }
            auto outcome = store.ingestEvents(caller.kiosk->id, events, m_config.clock(), waiting);
            if (!outcome)
                return storeFailure(outcome.error());
            QJsonArray acked;
            for (auto id : outcome->acknowledged)
                acked.append(id);
            return jsonResponse(200, {{"stored", outcome->stored},
                                      {"duplicates", outcome->duplicates},
                                      {"acknowledged", acked},
                                      {"high_water_mark", outcome->highWaterMark}});
        }
        if (parts == QStringList{"kiosk", "package"} && method == "GET") {
            if (!m_config.ticketKey)
                return errorResponse(503, QStringLiteral("store_unavailable"), QStringLiteral("服务器未配置准考证签名密钥"));
            QDate date = QDate::fromString(query.queryItemValue("date"), Qt::ISODate);
            if (!date.isValid())
                date = examDate(m_config.clock());
            QByteArray version;
            auto bytes = buildSessionPackage(store, caller.kiosk->siteId, caller.kiosk->siteName, caller.kiosk->roomCode,
                                             date, *m_config.ticketKey, &version);
            if (!bytes)
                return storeFailure(bytes.error());
            HttpResponse r;
            r.headers.push_back({"ETag", version});
            // Unchanged since the kiosk's copy: nothing to download again.
            if (request.headers.value("if-none-match") == version) {
                r.status = 304;
                return r;
            }
            r.body = *bytes;
            return r;
        }
        return notFound();
    }

    if (!caller.user)
        return unauthorised();

    // Changes need the CSRF token of the session that makes them.
    const bool changes = method != "GET" && method != "HEAD";
    if (changes && !constantTimeEqual(request.headers.value("x-csrf-token"), caller.csrfToken.toLatin1()))
        return errorResponse(403, QStringLiteral("csrf"), QStringLiteral("请求缺少有效的 CSRF 令牌，请刷新页面后重试"));

    if (parts == QStringList{"logout"} && method == "POST") {
        store.deleteWebSession(caller.sessionTokenHash);
        store.audit(caller.actor(), QStringLiteral("logout"), QString());
        HttpResponse r = jsonResponse(200, {{"status", "logged_out"}});
        r.headers.push_back({"Set-Cookie", kCookieName + "=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0"});
        return r;
    }
    if (parts == QStringList{"me"} && method == "GET")
        return jsonResponse(200, {{"username", caller.user->username},
                                  {"role", roleKey(caller.user->role)},
                                  {"college_id", caller.user->collegeId ? QJsonValue(*caller.user->collegeId) : QJsonValue()},
                                  {"csrf_token", caller.csrfToken}});

    if (parts == QStringList{"statistics"} && method == "GET") {
        const std::optional<Id> scope = caller.isAdmin() ? std::nullopt : caller.user->collegeId;
        if (!caller.isAdmin() && !scope)
            return forbidden();
        auto report = store.statistics(scope);
        if (!report)
            return storeFailure(report.error());
        if (query.queryItemValue("format") == QLatin1String("csv")) {
            HttpResponse r;
            r.contentType = "text/csv; charset=utf-8";
            r.headers.push_back({"Content-Disposition", "attachment; filename=\"statistics.csv\""});
            r.body = statisticsToCsv(*report);
            return r;
        }
        if (query.queryItemValue("format") == QLatin1String("xlsx")) {
            HttpResponse r;
            r.contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            r.headers.push_back({"Content-Disposition", "attachment; filename=\"statistics.xlsx\""});
            r.body = statisticsToXlsx(*report);
            if (r.body.isEmpty())
                return errorResponse(500, QStringLiteral("export_failed"), QStringLiteral("无法生成 Excel 文件"));
            return r;
        }
        if (query.queryItemValue("format") == QLatin1String("pdf")) {
            PdfReportOptions options;
            options.generatedAt = m_config.clock();
            options.scope = QStringLiteral("全部二级学院");
            if (scope) {
                options.scope = report->colleges.isEmpty() ? QStringLiteral("二级学院 #%1").arg(*scope)
                                                           : report->colleges.first().name;
            }
            auto pdf = statisticsToPdf(*report, options);
            if (!pdf) {
                qCWarning(lcApi) << "summary PDF:" << pdf.error();
                return errorResponse(500, QStringLiteral("export_failed"), QStringLiteral("无法生成 PDF 报告"));
            }
            HttpResponse r;
            r.contentType = "application/pdf";
            r.headers.push_back({"Content-Disposition", "attachment; filename=\"statistics.pdf\""});
            r.body = *pdf;
            return r;
        }
        return jsonResponse(200, statisticsToJson(*report));
    }

    if (parts.size() >= 2 && parts[0] == QLatin1String("sessions")) {
        bool ok = false;
        const Id sessionId = parts[1].toLongLong(&ok);
        if (!ok)
            return notFound();
        auto college = store.collegeOfSession(sessionId);
        if (!college)
            return storeFailure(college.error());
        // Another college's session looks like no session at all.
        if (!college->has_value() || !caller.canSeeCollege(**college))
            return notFound();
        if (parts.size() == 2 && method == "GET") {
            auto report = store.statistics(**college);
            if (!report)
                return storeFailure(report.error());
            auto roster = store.roster(sessionId);
            if (!roster)
                return storeFailure(roster.error());
            QJsonObject session;
            const QJsonArray sessions = statisticsToJson(*report).value("sessions").toArray();
            for (const auto &s : sessions)
                if (s.toObject().value("id").toInteger() == sessionId)
                    session = s.toObject();
            QJsonArray flags;
            for (const auto &f : report->flags)
                for (const auto &fs : f.sessions)
                    if (fs.sessionId == sessionId)
                        flags.append(flagToJson(f));
            auto incidents = store.sessionIncidents(sessionId);
            if (!incidents)
                return storeFailure(incidents.error());
            auto conflicts = store.sessionConflicts(sessionId);
            if (!conflicts)
                return storeFailure(conflicts.error());
            return jsonResponse(200, {{"session", session},
                                      {"roster", rosterToJson(*roster)},
                                      {"flags", flags},
                                      {"incidents", incidentsToJson(*incidents)},
                                      {"conflicts", protocol::conflictsToJson(*conflicts)}});
        }
        if (!caller.isAdmin())
            return forbidden();
        if (parts.size() == 3 && parts[2] == QLatin1String("published-count") && method == "PUT") {
            const auto body = jsonBody(request);
            if (!body)
                return badJson();
            const QJsonValue v = body->value("published_count");
            std::optional<int> count;
            if (!v.isNull()) {
                if (!v.isDouble() || v.toDouble() != double(v.toInt()) || v.toInt() < 0)
                    return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("公布考试人数须为非负整数，或 null 表示未公布"));
                count = v.toInt();
            }
            if (auto s = store.setPublishedCount(sessionId, count, caller.actor()); !s)
                return storeFailure(s.error());
            return jsonResponse(200, {{"session_id", sessionId}, {"published_count", count ? QJsonValue(*count) : QJsonValue()}});
        }
        if (parts.size() == 3 && parts[2] == QLatin1String("tickets.pdf") && method == "GET") {
            if (!m_config.ticketKey)
                return noTicketKey();
            const int perPage = query.hasQueryItem("per_page") ? query.queryItemValue("per_page").toInt() : 4;
            if (!isValidTicketsPerPage(perPage))
                return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("per_page 须为 1、2 或 4"));
            auto rows = store.ticketPrintRows(sessionId);
            if (!rows)
                return storeFailure(rows.error());
            if (rows->isEmpty())
                return errorResponse(404, QStringLiteral("not_found"), QStringLiteral("本场次没有考生，无准考证可打印"));
            auto tickets = signAdmissionTickets(*rows, *m_config.ticketKey);
            if (!tickets)
                return ticketsFailed(tickets.error());
            TicketPdfOptions options;
            options.perPage = perPage;
            options.title = QStringLiteral("准考证 · 场次 #%1").arg(sessionId);
            auto pdf = renderTicketPdf(*tickets, options);
            if (!pdf)
                return ticketsFailed(pdf.error());
            store.audit(caller.actor(), QStringLiteral("ticket.print"),
                        QStringLiteral("场次 #%1：%2 张准考证（每页 %3 张）").arg(sessionId).arg(tickets->size()).arg(perPage));
            HttpResponse r;
            r.contentType = "application/pdf";
            r.headers.push_back({"Content-Disposition",
                                 "attachment; filename=\"tickets-session-" + QByteArray::number(sessionId) + ".pdf\""});
            r.body = *pdf;
            return r;
        }
        if (parts.size() == 3 && parts[2] == QLatin1String("results-final") && method == "PUT") {
            const auto body = jsonBody(request);
            if (!body || !body->value("final").isBool())
                return badJson();
            if (auto s = store.setResultsFinal(sessionId, body->value("final").toBool(), caller.actor()); !s)
                return storeFailure(s.error());
            return jsonResponse(200, {{"session_id", sessionId}, {"results_final", body->value("final").toBool()}});
        }
        return notFound();
    }

    // The rest is the exam office's.
    if (!caller.isAdmin())
        return forbidden();

    if (parts == QStringList{"imports"} && method == "POST") {
        const QString fileName = query.queryItemValue(QStringLiteral("file_name"), QUrl::FullyDecoded).left(200);
        if (fileName.isEmpty())
            return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("请在 file_name 参数中给出文件名"));
        auto parsed = parseRosterFile(request.body, fileName);
        QList<ImportProblem> problems;
        std::optional<ImportSummary> summary;
        if (!parsed) {
            problems = parsed.error();
        } else {
            auto applied = applyRoster(store, *parsed, fileName, caller.actor());
            if (!applied) {
                if (applied.error().storeError)
                    return storeFailure(*applied.error().storeError);
                problems = applied.error().problems;
            } else {
                summary = *applied;
            }
        }
        if (!summary) {
            QJsonArray list;
            for (const auto &p : problems)
                list.append(QJsonObject{{"line", p.line}, {"column", p.column}, {"message", p.message}});
            store.audit(caller.actor(), QStringLiteral("roster.refused"),
                        QStringLiteral("%1：%2 处问题").arg(fileName).arg(problems.size()));
            return jsonResponse(400, {{"error", QJsonObject{{"code", "invalid_file"},
                                                           {"message", QStringLiteral("文件有 %1 处问题，未导入任何数据").arg(problems.size())}}},
                                      {"problems", list}});
        }
        return jsonResponse(200, {{"already_imported", summary->alreadyImported},
                                  {"rows", summary->rows},
                                  {"new_candidates", summary->newCandidates},
                                  {"new_registrations", summary->newRegistrations},
                                  {"unchanged_registrations", summary->unchangedRegistrations},
                                  {"new_sessions", summary->newSessions}});
    }
    if (parts.size() == 2 && parts[0] == QLatin1String("tickets") && parts[1].endsWith(QLatin1String(".png"))
        && method == "GET") {
        // The QR of one candidate's ticket, as an image to send to a phone.
        const QString number = parts[1].chopped(4).toUpper();
        if (!plausibleTicketNumber(number))
            return notFound();
        if (!m_config.ticketKey)
            return noTicketKey();
        auto rows = store.ticketPrintRows(QStringList{number});
        if (!rows)
            return storeFailure(rows.error());
        auto tickets = signAdmissionTickets(*rows, *m_config.ticketKey);
        if (!tickets)
            return ticketsFailed(tickets.error());
        auto png = renderTicketPhonePng(tickets->first());
        if (!png)
            return ticketsFailed(png.error());
        store.audit(caller.actor(), QStringLiteral("ticket.image"),
                    QStringLiteral("准考证 %1 第 %2 版二维码图片").arg(number, QString::number(rows->first().serial)));
        HttpResponse r;
        r.contentType = "image/png";
        r.headers.push_back({"Content-Disposition", "inline; filename=\"ticket-" + number.toLatin1() + ".png\""});
        r.body = *png;
        return r;
    }
    if (parts.size() == 3 && parts[0] == QLatin1String("tickets") && parts[2] == QLatin1String("reissue")
        && method == "POST") {
        const QString number = parts[1].toUpper();
        if (!plausibleTicketNumber(number))
            return notFound();
        if (!m_config.ticketKey)
            return noTicketKey();
        auto reissued = store.reissueTicket(number, caller.actor(), m_config.clock());
        if (!reissued)
            return storeFailure(reissued.error());
        const auto &s = reissued->subject;
        auto text = signAdmissionTicket(number, s.sessionId, s.serial, s.examDate, *m_config.ticketKey);
        if (!text)
            return ticketsFailed(text.error());
        return jsonResponse(200, {{"ticket_number", number},
                                  {"session_id", s.sessionId},
                                  {"serial", s.serial},
                                  {"revoked_serial", reissued->revokedSerial},
                                  {"revoked_at", reissued->revokedAt.toString(Qt::ISODate)},
                                  {"qr_text", QString::fromLatin1(*text)}});
    }
    if (parts == QStringList{"audit"} && method == "GET") {
        const int limit = std::clamp(query.queryItemValue("limit").toInt(), 1, 500);
        const int offset = std::max(0, query.queryItemValue("offset").toInt());
        auto log = store.auditLog(query.hasQueryItem("limit") ? limit : 100, offset);
        if (!log)
            return storeFailure(log.error());
        QJsonArray entries;
        for (const auto &e : *log)
            entries.append(QJsonObject{{"id", e.id},
                                       {"at", e.at.toString(Qt::ISODateWithMs)},
                                       {"actor", e.actor},
                                       {"action", e.action},
                                       {"detail", e.detail}});
        return jsonResponse(200, {{"entries", entries}});
    }
    if (parts == QStringList{"users"} && method == "GET") {
        auto list = store.users();
        if (!list)
            return storeFailure(list.error());
        QJsonArray users;
        for (const auto &u : *list)
            users.append(QJsonObject{{"id", u.id},
                                     {"username", u.username},
                                     {"role", roleKey(u.role)},
                                     {"college_id", u.collegeId ? QJsonValue(*u.collegeId) : QJsonValue()},
                                     {"locked", u.lockedUntil.isValid() && u.lockedUntil > m_config.clock()}});
        return jsonResponse(200, {{"users", users}});
    }
    if (parts == QStringList{"users"} && method == "POST") {
        const auto body = jsonBody(request);
        if (!body)
            return badJson();
        const QString username = body->value("username").toString().trimmed();
        const QString password = body->value("password").toString();
        const auto role = roleFromKey(body->value("role").toString());
        QString why;
        if (username.isEmpty() || username.size() > 100 || !role)
            return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("须填写用户名和角色（admin 或 college）"));
        if (!passwordAcceptable(password, &why))
            return errorResponse(400, QStringLiteral("bad_request"), why);
        std::optional<Id> college;
        if (*role == Role::CollegeViewer) {
            const qint64 c = body->value("college_id").toInteger(0);
            if (c < 1)
                return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("二级学院用户须指定 college_id"));
            college = c;
        }
        auto id = store.addUser(username, hashPassword(password), *role, college, caller.actor());
        if (!id)
            return storeFailure(id.error());
        return jsonResponse(201, {{"id", *id}, {"username", username}});
    }
    if (parts == QStringList{"sites"} && method == "GET") {
        auto list = store.sites();
        if (!list)
            return storeFailure(list.error());
        QJsonArray sites;
        for (const auto &site : *list)
            sites.append(QJsonObject{{"id", site.id}, {"name", site.name}, {"rooms", QJsonArray::fromStringList(site.rooms)}});
        return jsonResponse(200, {{"sites", sites}});
    }
    if (parts == QStringList{"kiosks"} && method == "POST") {
        const auto body = jsonBody(request);
        if (!body)
            return badJson();
        if (!m_config.ticketKey || m_config.tlsCertificateSha256.isEmpty())
            return errorResponse(503, QStringLiteral("store_unavailable"), QStringLiteral("服务器未配置证书或签名密钥，无法登记终端"));
        // The address the office reached us by is the one kiosks will use.
        static const QRegularExpression hostPattern(QStringLiteral("^[A-Za-z0-9.\\-]+(:[0-9]{1,5})?$|^\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?$"));
        const QString host = QString::fromLatin1(request.headers.value("host"));
        if (!hostPattern.match(host).hasMatch())
            return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("请求的 Host 无效"));
        KioskEnrolmentRequest enrol;
        enrol.siteName = body->value("site").toString();
        enrol.room = body->value("room").toString();
        enrol.name = body->value("name").toString();
        enrol.serverUrl = QStringLiteral("https://") + host;
        enrol.tlsCertificateSha256 = m_config.tlsCertificateSha256;
        enrol.ticketKeySha256 = m_config.ticketKey->verifyKey().fingerprint();
        auto enrolled = enrolKiosk(store, enrol, caller.actor());
        if (!enrolled) {
            if (enrolled.error().storeError)
                return storeFailure(*enrolled.error().storeError);
            return errorResponse(400, QStringLiteral("bad_request"), enrolled.error().message);
        }
        QByteArray png;
        {
            QBuffer buffer(&png);
            buffer.open(QIODevice::WriteOnly);
            enrolmentQr(enrolled->code).save(&buffer, "PNG");
        }
        return jsonResponse(201, {{"id", enrolled->kiosk.id},
                                  {"name", enrolled->kiosk.name},
                                  {"enrolment_code", enrolled->code},
                                  {"enrolment_qr_png", QString::fromLatin1(png.toBase64())}});
    }
    if (parts == QStringList{"kiosks"} && method == "GET") {
        auto list = store.kiosks();
        if (!list)
            return storeFailure(list.error());
        QJsonArray kiosks;
        for (const auto &k : *list)
            kiosks.append(QJsonObject{
                {"id", k.id},
                {"site", k.siteName},
                {"room", k.roomCode.isEmpty() ? QJsonValue() : QJsonValue(k.roomCode)},
                {"name", k.name},
                {"site_id", k.siteId},
                {"room_id", k.roomId ? QJsonValue(*k.roomId) : QJsonValue()},
                {"enrolled_at", k.enrolledAt.toString(Qt::ISODate)},
                {"revoked_at", k.revokedAt.isValid() ? QJsonValue(k.revokedAt.toString(Qt::ISODate)) : QJsonValue()},
                {"last_seen_at", k.lastSeenAt.isValid() ? QJsonValue(k.lastSeenAt.toString(Qt::ISODate)) : QJsonValue()},
                {"events_received", k.eventsReceived},
                {"events_waiting", k.eventsWaiting ? QJsonValue(*k.eventsWaiting) : QJsonValue()}});
        return jsonResponse(200, {{"kiosks", kiosks}});
    }
    if (parts.size() == 3 && parts[0] == QLatin1String("kiosks") && parts[2] == QLatin1String("revoke")
        && method == "POST") {
        if (auto s = store.revokeKiosk(parts[1], caller.actor()); !s)
            return storeFailure(s.error());
        return jsonResponse(200, {{"id", parts[1]}, {"revoked", true}});
    }
    if (parts.size() == 3 && parts[0] == QLatin1String("kiosks") && parts[2] == QLatin1String("events-file")
        && method == "POST") {
        // A revoked kiosk's export file (kaodian-kiosk-events/1), as raw bytes.
        QString source = query.queryItemValue(QStringLiteral("file_name"), QUrl::FullyDecoded).left(200);
        if (source.isEmpty())
            source = QStringLiteral("（上传）");
        auto refuse = [&](const QString &code, const QString &why) {
            store.audit(caller.actor(), QStringLiteral("kiosk.events_import_refused"),
                        QStringLiteral("%1：文件 %2：%3").arg(parts[1], source, why));
            return errorResponse(400, code, why);
        };
        auto file = protocol::parseKioskEventsFile(request.body);
        if (!file)
            return refuse(QStringLiteral("bad_request"), file.error());
        if (file->kioskId != parts[1])
            return refuse(QStringLiteral("bad_request"),
                          QStringLiteral("此文件是考场终端 %1 导出的，不是 %2 的").arg(file->kioskId, parts[1]));
        auto outcome = store.importKioskEvents(parts[1], file->events, source, caller.actor(), m_config.clock());
        if (!outcome) {
            if (outcome.error().code == StoreError::Code::Refused)
                return refuse(QStringLiteral("bad_event"), outcome.error().message);
            return storeFailure(outcome.error());
        }
        return jsonResponse(200, {{"kiosk_id", parts[1]},
                                  {"events", file->events.size()},
                                  {"stored", outcome->stored},
                                  {"duplicates", outcome->duplicates},
                                  {"high_water_mark", outcome->highWaterMark}});
    }
    return notFound();
}

} // namespace kaodian::server
