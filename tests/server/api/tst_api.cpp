// The JSON API, driven in-process (no network) against both stores:
// login, lockout, CSRF, role scopes on every endpoint, kiosk uploads.

#include "api/api.h"
#include "auth/password.h"
#include "kiosk/core/kioskstore.h"
#include "protocol/eventjson.h"
#include "protocol/sessionpackage.h"

#include "termfixture.h"
#include "freshstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <thread>

using namespace kaodian;
using namespace kaodian::server;
using namespace kaodian::testing;

namespace {

const QString kPassword = QStringLiteral("correct-horse-battery");

HttpRequest request(const QByteArray &method, const QByteArray &target, const QJsonObject &body = {},
                    const QByteArray &cookie = {}, const QByteArray &csrf = {})
{
    HttpRequest r;
    r.method = method;
    r.target = target;
    r.peerAddress = QStringLiteral("127.0.0.1");
    r.headers.insert("host", "kaodian.test");
    if (!body.isEmpty() || method != "GET") {
        r.headers.insert("content-type", "application/json");
        r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    }
    if (!cookie.isEmpty())
        r.headers.insert("cookie", "kd_session=" + cookie);
    if (!csrf.isEmpty())
        r.headers.insert("x-csrf-token", csrf);
    return r;
}

QJsonObject json(const HttpResponse &r)
{
    return QJsonDocument::fromJson(r.body).object();
}

QByteArray header(const HttpResponse &r, const QByteArray &name)
{
    for (const auto &[k, v] : r.headers)
        if (k.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    return {};
}

// A logged-in person: the cookie's value and the CSRF token.
struct Login
{
    QByteArray cookie;
    QByteArray csrf;
};

} // namespace

class TestApi : public QObject
{
    Q_OBJECT

    std::unique_ptr<testing::FreshStore> m_fresh;
    std::unique_ptr<StorePool> m_pool;
    std::unique_ptr<Api> m_api;
    QDateTime m_now = QDateTime(QDate(2026, 6, 1), QTime(9, 0), Qt::UTC);
    Term m_term;
    Id m_collegeA = 0, m_collegeB = 0;
    Id m_sessionA = 0, m_sessionB = 0;
    QByteArray m_kioskCredential;
    QString m_kioskId = QStringLiteral("K-TEST");
    SigningKey m_ticketKey = *SigningKey::fromRaw(QByteArray(32, '\x05'));

    Login login(const QString &user, const QString &password = kPassword, int expect = 200)
    {
        auto r = m_api->handle(request("POST", "/api/v1/login", {{"username", user}, {"password", password}}));
        if (r.status != expect)
            qWarning() << "login" << user << r.status << r.body;
        if (r.status != 200)
            return {};
        const QByteArray setCookie = header(r, "Set-Cookie");
        const QByteArray value = setCookie.split(';').first().mid(QByteArray("kd_session=").size());
        return {value, json(r).value("csrf_token").toString().toLatin1()};
    }

    // A kiosk request with this installation id and device key (raw public
    // key; null: no header), as the kiosk's first contact makes it.
    HttpResponse contact(const QByteArray &installation, const QByteArray &deviceKey)
    {
        auto r = request("GET", "/api/v1/kiosk/package");
        r.headers.insert("authorization", "Bearer " + m_kioskCredential);
        r.headers.insert("x-kaodian-installation", installation);
        if (!deviceKey.isNull())
            r.headers.insert("x-kaodian-device-key", deviceKey.toBase64());
        return m_api->handle(r);
    }

    // What GET /kiosks says of the test kiosk's device key (null: none).
    QJsonValue registeredDeviceKey()
    {
        const Login admin = login("office");
        for (const auto &k : json(m_api->handle(request("GET", "/api/v1/kiosks", {}, admin.cookie)))["kiosks"].toArray())
            if (k.toObject()["id"].toString() == m_kioskId)
                return k.toObject()["device_key_sha256"];
        return QJsonValue(QJsonValue::Undefined);
    }

    // Some events of the test kiosk, at its site, as its export file's body (kaodian-kiosk-events/1).
    QByteArray eventsFileBody(int count)
    {
        protocol::KioskEventsFile file{m_kioskId, m_now, {}};
        for (const auto &e : m_term.events) {
            if (file.events.size() == count)
                break;
            if (e.kind == EventKind::Annul)
                continue;
            KioskEvent mine = e;
            mine.kioskId = m_kioskId;
            mine.eventId = file.events.size() + 1;
            file.events.push_back(mine);
        }
        return protocol::encodeKioskEventsFile(file);
    }

    HttpResponse postEventsFile(const Login &admin, const QByteArray &file, const QByteArray &query = {})
    {
        auto r = request("POST", "/api/v1/kiosks/" + m_kioskId.toLatin1() + "/events-file?file_name=f.json" + query, {},
                         admin.cookie, admin.csrf);
        r.body = file;
        return m_api->handle(r);
    }

    qint64 storedEvents()
    {
        return (*m_pool->acquire())->sql().query("SELECT count(*) FROM kiosk_event")->first()[0].toLongLong();
    }

private slots:
    void init()
    {
        m_fresh = std::make_unique<testing::FreshStore>();
        QVERIFY2(m_fresh->ok(), qPrintable(m_fresh->error()));
        m_pool = std::make_unique<StorePool>(m_fresh->location(), [this] { return m_now; });
        ApiConfig config;
        config.ticketKey = m_ticketKey;
        config.tlsCertificateSha256 = QString(64, QLatin1Char('c'));
        m_api = std::make_unique<Api>(*m_pool, config);

        auto store = m_pool->acquire();
        QVERIFY(store.ok());
        m_term = seedTerm(**store, 99);
        m_sessionA = m_term.sessions[0].id;
        m_collegeA = m_term.sessions[0].college;
        for (const auto &s : m_term.sessions)
            if (s.college != m_collegeA) {
                m_sessionB = s.id;
                m_collegeB = s.college;
                break;
            }
        QVERIFY(m_collegeB != 0);
        const QString hash = hashPassword(kPassword);
        QVERIFY((*store)->accounts().addUser("office", hash, Role::Admin, std::nullopt, "test").ok());
        QVERIFY((*store)->accounts().addUser("college-a", hash, Role::CollegeViewer, m_collegeA, "test").ok());
        QVERIFY((*store)->accounts().addUser("college-b", hash, Role::CollegeViewer, m_collegeB, "test").ok());
        const QString secret = randomToken();
        KioskRecord k;
        k.id = m_kioskId;
        k.name = QStringLiteral("01 考场门口");
        k.siteId = (*store)->rosters().siteIdByName(QStringLiteral("信息楼考点"))->value();
        k.credentialHash = sha256Hex(secret.toLatin1());
        QVERIFY((*store)->kiosks().enrol(k, "test").ok());
        m_kioskCredential = m_kioskId.toLatin1() + '.' + secret.toLatin1();
    }
    void cleanup()
    {
        m_api.reset();
        m_pool.reset();
        m_fresh.reset();
    }

    void loginSetsAHardenedCookie()
    {
        auto r = m_api->handle(request("POST", "/api/v1/login", {{"username", "office"}, {"password", kPassword}}));
        QCOMPARE(r.status, 200);
        const QByteArray cookie = header(r, "Set-Cookie");
        QVERIFY(cookie.startsWith("kd_session="));
        QVERIFY(cookie.contains("HttpOnly"));
        QVERIFY(cookie.contains("Secure"));
        QVERIFY(cookie.contains("SameSite=Strict"));
        QCOMPARE(json(r).value("role").toString(), QStringLiteral("admin"));
        const Login l = login("office");
        auto me = m_api->handle(request("GET", "/api/v1/me", {}, l.cookie));
        QCOMPARE(me.status, 200);
        QCOMPARE(json(me).value("username").toString(), QStringLiteral("office"));
        // A made-up cookie is nobody.
        QCOMPARE(m_api->handle(request("GET", "/api/v1/me", {}, "forged")).status, 401);
        // Logout ends the session.
        QCOMPARE(m_api->handle(request("POST", "/api/v1/logout", {}, l.cookie, l.csrf)).status, 200);
        QCOMPARE(m_api->handle(request("GET", "/api/v1/me", {}, l.cookie)).status, 401);
    }

    void loginFromAnotherOriginIsRefused()
    {
        auto r = request("POST", "/api/v1/login", {{"username", "office"}, {"password", kPassword}});
        r.headers.insert("origin", "https://evil.example");
        QCOMPARE(m_api->handle(r).status, 403);
        auto form = request("POST", "/api/v1/login");
        form.headers.insert("content-type", "application/x-www-form-urlencoded");
        form.body = "username=office&password=" + kPassword.toLatin1();
        QCOMPARE(m_api->handle(form).status, 400);
    }

    void failedLoginsLockTheAccountAndAreAudited()
    {
        for (int i = 0; i < 4; ++i)
            QCOMPARE(m_api->handle(request("POST", "/api/v1/login", {{"username", "office"}, {"password", "wrong"}})).status, 401);
        // The fifth failure locks; then even the right password is refused.
        QCOMPARE(m_api->handle(request("POST", "/api/v1/login", {{"username", "office"}, {"password", "wrong"}})).status, 401);
        auto locked = m_api->handle(request("POST", "/api/v1/login", {{"username", "office"}, {"password", kPassword}}));
        QCOMPARE(locked.status, 403);
        QCOMPARE(json(locked)["error"].toObject()["code"].toString(), QStringLiteral("account_locked"));
        // After the lockout the right password works again.
        m_now = m_now.addSecs(16 * 60);
        QVERIFY(!login("office").cookie.isEmpty());
        const Login l = login("office");
        auto audit = m_api->handle(request("GET", "/api/v1/audit?limit=50", {}, l.cookie));
        QCOMPARE(audit.status, 200);
        int failures = 0, lockedEntries = 0, successes = 0;
        for (const auto &e : json(audit)["entries"].toArray()) {
            const QString action = e.toObject()["action"].toString();
            failures += action == QLatin1String("login.failure");
            lockedEntries += action == QLatin1String("login.locked");
            successes += action == QLatin1String("login.success");
        }
        QCOMPARE(failures, 5);
        QCOMPARE(lockedEntries, 1);
        QCOMPARE(successes, 2);
        // An unknown user fails the same way.
        QCOMPARE(m_api->handle(request("POST", "/api/v1/login", {{"username", "nobody"}, {"password", "x"}})).status, 401);
    }

    // Issue #17, finding 3: the count was read, then an absolute value was
    // written back after the (slow) password check, so parallel wrong
    // guesses all passed the check and overwrote each other: far more than
    // five passwords were tried. Now every attempt is counted in the store
    // before its password is checked.
    void parallelWrongGuessesCheckFivePasswordsAtMost()
    {
        constexpr int kGuesses = 15;
        std::vector<int> statuses(kGuesses);
        std::vector<std::thread> guessers;
        for (int i = 0; i < kGuesses; ++i)
            guessers.emplace_back([this, i, &statuses] {
                statuses[static_cast<std::size_t>(i)] =
                    m_api->handle(request("POST", "/api/v1/login", {{"username", "office"}, {"password", "wrong"}})).status;
            });
        for (auto &t : guessers)
            t.join();
        QCOMPARE(std::count(statuses.begin(), statuses.end(), 401), 5);
        QCOMPARE(std::count(statuses.begin(), statuses.end(), 403), kGuesses - 5);
        auto locked = m_api->handle(request("POST", "/api/v1/login", {{"username", "office"}, {"password", kPassword}}));
        QCOMPARE(locked.status, 403);
        auto store = m_pool->acquire();
        QVERIFY(store.ok());
        QVERIFY((*(*store)->accounts().userByName("office"))->lockedUntil > m_now);
    }

    // The per-address throttle is in the store: a second server process
    // over it (here a second pool and API) sees the first one's failures.
    void addressThrottleIsSharedByEveryProcess()
    {
        for (int i = 0; i < 20; ++i)
            QCOMPARE(m_api->handle(request("POST", "/api/v1/login",
                                           {{"username", QStringLiteral("guess%1").arg(i)}, {"password", "x"}}))
                         .status,
                     401);
        StorePool otherPool(m_fresh->location(), [this] { return m_now; });
        Api other(otherPool, ApiConfig{});
        QCOMPARE(other.handle(request("POST", "/api/v1/login", {{"username", "office"}, {"password", kPassword}})).status,
                 429);
        // A minute on, the attempts have gone from the store.
        m_now = m_now.addSecs(61);
        QCOMPARE(other.handle(request("POST", "/api/v1/login", {{"username", "office"}, {"password", kPassword}})).status,
                 200);
        auto store = m_pool->acquire();
        QVERIFY(store.ok());
        auto left = (*store)->sql().query("SELECT count(*) FROM login_attempt");
        QVERIFY(left.ok());
        QCOMPARE(left->first().first().toLongLong(), 0);
    }

    void manyFailuresFromOneAddressAreThrottled()
    {
        int throttled = 0;
        for (int i = 0; i < 25; ++i) {
            const auto status = m_api->handle(request("POST", "/api/v1/login",
                                                      {{"username", QStringLiteral("guess%1").arg(i)}, {"password", "x"}}))
                                    .status;
            QVERIFY(status == 401 || status == 429);
            throttled += status == 429;
        }
        QCOMPARE(throttled, 5);
        m_now = m_now.addSecs(61);
        QCOMPARE(m_api->handle(request("POST", "/api/v1/login", {{"username", "office"}, {"password", kPassword}})).status, 200);
    }

    void changesNeedTheCsrfToken()
    {
        const Login l = login("office");
        const QByteArray target = "/api/v1/sessions/" + QByteArray::number(m_sessionA) + "/published-count";
        QCOMPARE(m_api->handle(request("PUT", target, {{"published_count", 77}}, l.cookie)).status, 403);
        QCOMPARE(m_api->handle(request("PUT", target, {{"published_count", 77}}, l.cookie, "wrong")).status, 403);
        QCOMPARE(m_api->handle(request("PUT", target, {{"published_count", 77}}, l.cookie, l.csrf)).status, 200);
        QCOMPARE(m_api->handle(request("PUT", target, {{"published_count", -3}}, l.cookie, l.csrf)).status, 400);
        QCOMPARE(m_api->handle(request("PUT", target, {{"published_count", 1.5}}, l.cookie, l.csrf)).status, 400);
        auto session = json(m_api->handle(request("GET", "/api/v1/sessions/" + QByteArray::number(m_sessionA), {}, l.cookie)));
        QCOMPARE(session["session"].toObject()["published"].toInt(), 77);
        auto audit = json(m_api->handle(request("GET", "/api/v1/audit", {}, l.cookie)));
        QCOMPARE(audit["entries"].toArray().first().toObject()["action"].toString(), QStringLiteral("session.published_count"));
        QCOMPARE(audit["entries"].toArray().first().toObject()["actor"].toString(), QStringLiteral("office"));
        // The audit log has no way to be edited through the API.
        QCOMPARE(m_api->handle(request("DELETE", "/api/v1/audit", {}, l.cookie, l.csrf)).status, 404);
        QCOMPARE(m_api->handle(request("PUT", "/api/v1/audit", {}, l.cookie, l.csrf)).status, 404);
    }

    void everyEndpointRefusesTheWrongRole()
    {
        const Login admin = login("office");
        const Login a = login("college-a");
        const Login b = login("college-b");
        const QByteArray sA = QByteArray::number(m_sessionA);
        struct Endpoint
        {
            QByteArray method, target;
            QJsonObject body;
            bool collegeAMaySee; // college A's viewer may call it
        };
        const QList<Endpoint> endpoints{
            {"GET", "/api/v1/me", {}, true},
            {"GET", "/api/v1/statistics", {}, true},
            {"GET", "/api/v1/statistics?format=csv", {}, true},
            {"GET", "/api/v1/sessions/" + sA, {}, true},
            {"PUT", "/api/v1/sessions/" + sA + "/published-count", {{"published_count", 5}}, false},
            {"PUT", "/api/v1/sessions/" + sA + "/results-final", {{"final", true}}, false},
            {"GET", "/api/v1/audit", {}, false},
            {"GET", "/api/v1/users", {}, false},
            {"POST", "/api/v1/users", {{"username", "x1"}, {"password", "long-enough-pw"}, {"role", "admin"}}, false},
            {"GET", "/api/v1/kiosks", {}, false},
            {"GET", "/api/v1/sites", {}, false},
            {"POST", "/api/v1/kiosks", {{"site", QStringLiteral("信息楼考点")}, {"room", ""}, {"name", QStringLiteral("新终端")}}, false},
            {"POST", "/api/v1/kiosks/" + m_kioskId.toLatin1() + "/revoke", {}, false},
        };
        for (const auto &e : endpoints) {
            const QString what = QString::fromLatin1(e.method + ' ' + e.target);
            // Nobody logged in.
            QVERIFY2(m_api->handle(request(e.method, e.target, e.body)).status == 401, qPrintable(what));
            // A kiosk's credential opens no person's endpoint.
            auto asKiosk = request(e.method, e.target, e.body);
            asKiosk.headers.insert("authorization", "Bearer " + m_kioskCredential);
            QVERIFY2(m_api->handle(asKiosk).status == 404 || m_api->handle(asKiosk).status == 401, qPrintable(what));
            // College B on college A's session or on office endpoints.
            const int asB = m_api->handle(request(e.method, e.target, e.body, b.cookie, b.csrf)).status;
            if (e.target.contains("/sessions/"))
                QVERIFY2(asB == 404, qPrintable(what + QString::number(asB))); // another college's session does not exist
            else if (!e.collegeAMaySee)
                QVERIFY2(asB == 403, qPrintable(what + QString::number(asB)));
            // College A: its own data only.
            const int asA = m_api->handle(request(e.method, e.target, e.body, a.cookie, a.csrf)).status;
            if (e.collegeAMaySee)
                QVERIFY2(asA == 200, qPrintable(what + QString::number(asA)));
            else
                QVERIFY2(asA == 403, qPrintable(what + QString::number(asA)));
        }
        // The office may do all of it (revoke last: it changes the kiosk).
        for (const auto &e : endpoints) {
            const int status = m_api->handle(request(e.method, e.target, e.body, admin.cookie, admin.csrf)).status;
            QVERIFY2(status == 200 || status == 201, qPrintable(QString::fromLatin1(e.target) + QString::number(status)));
        }
    }

    void collegeViewerSeesOnlyItsCollege()
    {
        const Login a = login("college-a");
        auto stats = json(m_api->handle(request("GET", "/api/v1/statistics", {}, a.cookie)));
        const QJsonArray sessions = stats["sessions"].toArray();
        QVERIFY(!sessions.isEmpty());
        for (const auto &s : sessions)
            QCOMPARE(s.toObject()["college"].toObject()["id"].toInteger(), m_collegeA);
        for (const auto &f : stats["flags"].toArray())
            for (const auto &fs : f.toObject()["sessions"].toArray()) {
                bool mine = false;
                for (const auto &s : sessions)
                    mine = mine || s.toObject()["id"].toInteger() == fs.toObject()["session_id"].toInteger();
                QVERIFY(mine);
            }
        QCOMPARE(stats["colleges"].toArray().size(), 1);
        // Guessing another college's session id by URL finds nothing.
        QCOMPARE(m_api->handle(request("GET", "/api/v1/sessions/" + QByteArray::number(m_sessionB), {}, a.cookie)).status, 404);
        QCOMPARE(m_api->handle(request("GET", "/api/v1/sessions/999999", {}, a.cookie)).status, 404);
        // The roster masks ID numbers.
        auto roster = json(m_api->handle(request("GET", "/api/v1/sessions/" + QByteArray::number(m_sessionA), {}, a.cookie)));
        QVERIFY(!roster["roster"].toArray().isEmpty());
        auto csv = m_api->handle(request("GET", "/api/v1/statistics?format=csv", {}, a.cookie));
        QVERIFY(csv.body.startsWith("\xEF\xBB\xBF"));
        QVERIFY(csv.contentType.startsWith("text/csv"));
    }

    void kioskUploadsAreIdempotentAndScoped()
    {
        QList<KioskEvent> events;
        for (const auto &e : m_term.events)
            if (events.size() < 10)
                events.push_back(e);
        QJsonArray batch;
        for (int i = 0; i < events.size(); ++i) {
            const auto &e = events[i];
            batch.append(QJsonObject{{"event_id", i + 1},
                                     {"kind", eventKindKey(e.kind)},
                                     {"session_id", e.sessionId},
                                     {"registration_id", e.registrationId},
                                     {"device_time", e.deviceTime.toString(Qt::ISODateWithMs)},
                                     {"target_kiosk_id", e.kind == EventKind::Annul ? m_kioskId : QString()},
                                     {"target_event_id", e.kind == EventKind::Annul ? i : 0},
                                     {"outcome", e.outcome ? QJsonValue(*e.outcome == Outcome::Pass ? "pass" : "fail") : QJsonValue()}});
        }
        auto upload = [&](const QJsonArray &b, const QByteArray &credential) {
            auto r = request("POST", "/api/v1/kiosk/events", {{"events", b}});
            r.headers.insert("authorization", "Bearer " + credential);
            return m_api->handle(r);
        };
        auto first = upload(batch, m_kioskCredential);
        QCOMPARE(first.status, 200);
        QCOMPARE(json(first)["stored"].toInt(), 10);
        QCOMPARE(json(first)["high_water_mark"].toInt(), 10);
        auto again = upload(batch, m_kioskCredential);
        QCOMPARE(json(again)["stored"].toInt(), 0);
        QCOMPARE(json(again)["duplicates"].toInt(), 10);
        QCOMPARE(upload(batch, m_kioskId.toLatin1() + ".wrong-secret").status, 401);
        QCOMPARE(upload(batch, "no-dot").status, 401);
        // A malformed event refuses the batch, naming it.
        QJsonArray bad = batch;
        QJsonObject e3 = bad[2].toObject();
        e3["kind"] = "teleport";
        bad[2] = e3;
        auto refused = upload(bad, m_kioskCredential);
        QCOMPARE(refused.status, 400);
        QVERIFY(json(refused)["error"].toObject()["message"].toString().contains(QStringLiteral("第 3 条")));
        // A registration of a session that is not the one claimed.
        QJsonArray wrong;
        QJsonObject w = batch[0].toObject();
        w["event_id"] = 99;
        w["session_id"] = w["session_id"].toInteger() + 1;
        wrong.append(w);
        QCOMPARE(upload(wrong, m_kioskCredential).status, 403);
        // A person's cookie is not a kiosk credential.
        const Login admin = login("office");
        QCOMPARE(m_api->handle(request("POST", "/api/v1/kiosk/events", {{"events", batch}}, admin.cookie, admin.csrf)).status, 401);
        // Revoked: refused with a reason the kiosk can show.
        QCOMPARE(m_api->handle(request("POST", "/api/v1/kiosks/" + m_kioskId.toLatin1() + "/revoke", {}, admin.cookie, admin.csrf)).status, 200);
        auto revoked = upload(batch, m_kioskCredential);
        QCOMPARE(revoked.status, 403);
        QCOMPARE(json(revoked)["error"].toObject()["code"].toString(), QStringLiteral("kiosk_revoked"));
        auto kiosks = json(m_api->handle(request("GET", "/api/v1/kiosks", {}, admin.cookie)));
        QCOMPARE(kiosks["kiosks"].toArray().first().toObject()["events_received"].toInt(), 10);
    }

    void officeEnrolsAKioskThatCanThenUpload()
    {
        const Login admin = login("office");
        auto sites = json(m_api->handle(request("GET", "/api/v1/sites", {}, admin.cookie)));
        QJsonObject site;
        for (const auto &s : sites["sites"].toArray())
            if (s.toObject()["name"].toString() == QStringLiteral("信息楼考点"))
                site = s.toObject();
        QVERIFY(!site.isEmpty());
        const QJsonArray rooms = site["rooms"].toArray();
        QVERIFY(!rooms.isEmpty());
        const QString room = rooms.first().toString();

        auto enrol = [&](const QJsonObject &body) {
            return m_api->handle(request("POST", "/api/v1/kiosks", body, admin.cookie, admin.csrf));
        };
        auto r = enrol({{"site", site["name"]}, {"room", room}, {"name", QStringLiteral("01 考场门口")}});
        QCOMPARE(r.status, 201);
        const QString code = json(r)["enrolment_code"].toString();
        const QStringList parts = code.split(QLatin1Char('|'));
        QCOMPARE(parts.size(), 5);
        QCOMPARE(parts[0], QStringLiteral("KDENROL1"));
        QCOMPARE(parts[1], QStringLiteral("https://kaodian.test")); // as the office reached the server
        QCOMPARE(parts[3], QString(64, QLatin1Char('c')));
        QCOMPARE(parts[4], m_ticketKey.verifyKey().fingerprint());
        QVERIFY(!QByteArray::fromBase64(json(r)["enrolment_qr_png"].toString().toLatin1()).isEmpty());
        const QString id = json(r)["id"].toString();
        QVERIFY(parts[2].startsWith(id + QLatin1Char('.')));

        // The credential in the code works at once; its room is in the list.
        auto package = request("GET", "/api/v1/kiosk/package");
        package.headers.insert("authorization", "Bearer " + parts[2].toLatin1());
        QCOMPARE(m_api->handle(package).status, 200);
        bool listed = false;
        for (const auto &k : json(m_api->handle(request("GET", "/api/v1/kiosks", {}, admin.cookie)))["kiosks"].toArray()) {
            if (k.toObject()["id"].toString() != id)
                continue;
            listed = true;
            QCOMPARE(k.toObject()["site"].toString(), QStringLiteral("信息楼考点"));
            QCOMPARE(k.toObject()["room"].toString(), room);
        }
        QVERIFY(listed);

        // Unknown site or room, a missing name, a forged Host: 400 with words.
        auto noSite = enrol({{"site", QStringLiteral("火星考点")}, {"room", ""}, {"name", "x"}});
        QCOMPARE(noSite.status, 400);
        QVERIFY(json(noSite)["error"].toObject()["message"].toString().contains(QStringLiteral("火星考点")));
        QCOMPARE(enrol({{"site", site["name"]}, {"room", "ZZ"}, {"name", "x"}}).status, 400);
        QCOMPARE(enrol({{"site", site["name"]}, {"room", ""}, {"name", "  "}}).status, 400);
        auto forged = request("POST", "/api/v1/kiosks", {{"site", site["name"]}, {"name", "x"}}, admin.cookie, admin.csrf);
        forged.headers.insert("host", "evil.example/|KDENROL1");
        QCOMPARE(m_api->handle(forged).status, 400);
    }

    void sessionListsItsIncidents()
    {
        KioskEvent incident;
        for (const auto &e : m_term.events)
            if (e.sessionId == m_sessionA) {
                incident = e;
                break;
            }
        QVERIFY(incident.registrationId != 0);
        QJsonArray batch{QJsonObject{{"event_id", 1},
                                     {"kind", "incident"},
                                     {"session_id", m_sessionA},
                                     {"registration_id", incident.registrationId},
                                     {"device_time", "2026-06-01T01:20:00.000Z"},
                                     {"incident", 1},
                                     {"reason", QStringLiteral("携带手机")}}};
        auto upload = request("POST", "/api/v1/kiosk/events", {{"events", batch}});
        upload.headers.insert("authorization", "Bearer " + m_kioskCredential);
        QCOMPARE(m_api->handle(upload).status, 200);
        const Login a = login("college-a");
        auto session = json(m_api->handle(request("GET", "/api/v1/sessions/" + QByteArray::number(m_sessionA), {}, a.cookie)));
        const QJsonArray incidents = session["incidents"].toArray();
        QJsonObject mine;
        for (const auto &i : incidents)
            if (i.toObject()["note"].toString() == QStringLiteral("携带手机"))
                mine = i.toObject();
        QVERIFY2(!mine.isEmpty(), QJsonDocument(incidents).toJson());
        QCOMPARE(mine["category_name"].toString(), QStringLiteral("违纪"));
        QCOMPARE(mine["registration_id"].toInteger(), incident.registrationId);
        QCOMPARE(mine["kiosk_id"].toString(), m_kioskId);
        QVERIFY(!mine["name"].toString().isEmpty());
    }

    // Registration changes through the API (issue #16 item 4): the office
    // only; refusals in Chinese with their status; statistics follow.
    void registrationChangesThroughTheApi()
    {
        const Login admin = login("office");
        const Login viewer = login("college-a");
        const QByteArray sessionPath = "/api/v1/sessions/" + QByteArray::number(m_sessionA);
        const QJsonArray roster = json(m_api->handle(request("GET", sessionPath, {}, admin.cookie)))["roster"].toArray();
        QList<QJsonObject> free;
        for (const auto &r : roster)
            if (r.toObject()["attendance"].toString() == QLatin1String("not_checked_in"))
                free.push_back(r.toObject());
        QVERIFY(free.size() >= 4);
        auto change = [&](const QJsonObject &who, const char *what, const QJsonObject &body, const Login &as) {
            return m_api->handle(request("POST",
                                         "/api/v1/registrations/" + who["ticket_number"].toString().toLatin1() + '/' + what,
                                         body, as.cookie, as.csrf));
        };
        auto registered = [&] {
            for (const auto &s : json(m_api->handle(request("GET", "/api/v1/statistics", {}, admin.cookie)))["sessions"].toArray())
                if (s.toObject()["id"].toInteger() == m_sessionA)
                    return s.toObject()["registered"].toInt();
            return -1;
        };
        const int before = registered();

        QCOMPARE(change(free[0], "withdraw", {{"reason", QStringLiteral("退考")}}, viewer).status, 403);
        auto unknown = m_api->handle(request("POST", "/api/v1/registrations/NO-SUCH-1/withdraw",
                                             {{"reason", QStringLiteral("退考")}}, admin.cookie, admin.csrf));
        QCOMPARE(unknown.status, 404);
        QVERIFY(json(unknown)["error"].toObject()["message"].toString().contains(QStringLiteral("没有准考证号")));
        auto noReason = change(free[0], "excuse", {{"reason", " "}}, admin);
        QCOMPARE(noReason.status, 400);
        QVERIFY(json(noReason)["error"].toObject()["message"].toString().contains(QStringLiteral("请假须写明原因")));

        auto excused = change(free[0], "excuse", {{"reason", QStringLiteral("病假")}}, admin);
        QCOMPARE(excused.status, 200);
        QVERIFY(json(excused)["changed"].toBool());

        auto taken = change(free[1], "move", {{"room", free[2]["room"]}, {"seat", free[2]["seat"]}}, admin);
        QCOMPARE(taken.status, 409);
        QVERIFY(json(taken)["error"].toObject()["message"].toString().contains(free[2]["ticket_number"].toString()));
        auto moved = change(free[1], "move", {{"room", free[1]["room"]}, {"seat", "99"}}, admin);
        QCOMPARE(moved.status, 200);
        QCOMPARE(json(moved)["serial"].toInt(), 2);
        QCOMPARE(json(change(free[1], "move", {{"room", free[1]["room"]}, {"seat", "99"}}, admin))["changed"].toBool(), false);

        auto badId = change(free[2], "replace",
                            {{"id_number", "350102200001010010"}, {"name", QStringLiteral("李𪚥")},
                             {"student_number", "2024990001"}, {"ticket_number", "R-1"}, {"reason", QStringLiteral("替换")}},
                            admin);
        QCOMPARE(badId.status, 400);
        QVERIFY(json(badId)["error"].toObject()["message"].toString().contains(QStringLiteral("身份证号")));
        auto replaced = change(free[2], "replace",
                               {{"id_number", "350102200001010011"}, {"name", QStringLiteral("李𪚥")},
                                {"student_number", "2024990001"}, {"ticket_number", "R-1"}, {"reason", QStringLiteral("替换")}},
                               admin);
        QCOMPARE(replaced.status, 200);
        QCOMPARE(json(replaced)["replacement_ticket_number"].toString(), QStringLiteral("R-1"));
        QCOMPARE(registered(), before);

        QCOMPARE(change(free[3], "withdraw", {{"reason", QStringLiteral("退考")}, {"date", "2026-13-01"}}, admin).status, 400);
        QCOMPARE(change(free[3], "withdraw", {{"reason", QStringLiteral("退考")}}, admin).status, 200);
        QCOMPARE(json(change(free[3], "withdraw", {{"reason", QStringLiteral("退考")}}, admin))["changed"].toBool(), false);
        QCOMPARE(registered(), before - 1);

        const QJsonArray after = json(m_api->handle(request("GET", sessionPath, {}, admin.cookie)))["roster"].toArray();
        for (const auto &r : after) {
            const QJsonObject o = r.toObject();
            if (o["ticket_number"] == free[0]["ticket_number"]) {
                QCOMPARE(o["attendance"].toString(), QStringLiteral("excused"));
                QCOMPARE(o["excused_reason"].toString(), QStringLiteral("病假"));
            }
            if (o["ticket_number"] == free[2]["ticket_number"]) {
                QVERIFY(o["withdrawn"].toBool());
                QCOMPARE(o["replaced_by"].toString(), QStringLiteral("R-1"));
            }
        }
        auto both = m_api->handle(request("POST", "/api/v1/imports?file_name=a.csv&preview&confirm=00", {}, admin.cookie,
                                          admin.csrf));
        QCOMPARE(both.status, 400);
    }

    void aBatchIsRefusedAtItsFirstBadEvent()
    {
        // An event for a candidate of no session at this kiosk's site, and
        // one that does not parse: whichever comes first refuses the batch.
        const QJsonObject elsewhere{{"event_id", 7001},
                                    {"kind", "check_in"},
                                    {"session_id", m_sessionA},
                                    {"registration_id", 987654321},
                                    {"device_time", "2026-06-01T01:20:00.000Z"}};
        const QJsonObject malformed{{"event_id", 7002}, {"kind", "no_such_kind"}};
        auto upload = [&](const QJsonArray &batch) {
            auto r = request("POST", "/api/v1/kiosk/events", {{"events", batch}});
            r.headers.insert("authorization", "Bearer " + m_kioskCredential);
            return m_api->handle(r);
        };
        const auto siteFirst = upload(QJsonArray{elsewhere, malformed});
        QCOMPARE(siteFirst.status, 403);
        QVERIFY(json(siteFirst)["error"].toObject()["message"].toString().contains(QStringLiteral("第 1 条")));
        const auto malformedFirst = upload(QJsonArray{malformed, elsewhere});
        QCOMPARE(malformedFirst.status, 400);
        QCOMPARE(json(malformedFirst)["error"].toObject()["code"].toString(), QStringLiteral("bad_event"));
    }

    void kioskDownloadsItsSignedPackage()
    {
        auto get = [&](const QByteArray &target, const QByteArray &credential) {
            auto r = request("GET", target);
            r.headers.insert("authorization", "Bearer " + credential);
            return m_api->handle(r);
        };
        const QDate day = m_term.sessions[0].date;
        auto r = get("/api/v1/kiosk/package?date=" + day.toString(Qt::ISODate).toLatin1(), m_kioskCredential);
        QCOMPARE(r.status, 200);
        auto package = protocol::decodeSessionPackage(r.body, m_ticketKey.verifyKey());
        QVERIFY2(package.ok(), package.ok() ? "" : qPrintable(package.error()));
        QVERIFY(!package->sessions.isEmpty());
        for (const auto &s : package->sessions)
            QCOMPARE(s.examDate, day);
        QVERIFY(!package->roster.isEmpty());
        for (const auto &c : package->roster)
            QVERIFY2(c.maskedIdNumber.contains('*'), qPrintable(c.maskedIdNumber));
        QCOMPARE(package->ticketKeys.size(), 1);
        // Incremental: an unchanged package is not sent again; a change is.
        const QByteArray etag = header(r, "ETag");
        QVERIFY(etag.size() > 10);
        auto again = request("GET", "/api/v1/kiosk/package?date=" + day.toString(Qt::ISODate).toLatin1());
        again.headers.insert("authorization", "Bearer " + m_kioskCredential);
        again.headers.insert("if-none-match", etag);
        const auto unchanged = m_api->handle(again);
        QCOMPARE(unchanged.status, 304);
        QVERIFY(unchanged.body.isEmpty());
        {
            auto store = m_pool->acquire();
            QVERIFY((*store)->rosters().reissueTicket(package->roster.first().ticketNumber, "test").ok());
        }
        const auto changed = m_api->handle(again);
        QCOMPARE(changed.status, 200);
        QVERIFY(header(changed, "ETag") != etag);
        QCOMPARE(protocol::decodeSessionPackage(changed.body, m_ticketKey.verifyKey())->revocations.size(),
                 package->revocations.size() + 1);
        // Not signed by another key; not for people; not for a wrong credential.
        QVERIFY(!protocol::decodeSessionPackage(r.body, SigningKey::generate()->verifyKey()).ok());
        const Login admin = login("office");
        QCOMPARE(m_api->handle(request("GET", "/api/v1/kiosk/package", {}, admin.cookie)).status, 401);
        QCOMPARE(get("/api/v1/kiosk/package", m_kioskId.toLatin1() + ".nope").status, 401);
    }

    // The enrolment code is bound to the first installation that presents
    // it (X-Kaodian-Installation): the same installation is welcome again,
    // any other — or a client sending none — is told the code is used.
    void enrolmentCodeIsBoundToItsFirstInstallation()
    {
        auto get = [&](const QByteArray &installation) {
            auto r = request("GET", "/api/v1/kiosk/package");
            r.headers.insert("authorization", "Bearer " + m_kioskCredential);
            if (!installation.isNull())
                r.headers.insert("x-kaodian-installation", installation);
            return m_api->handle(r);
        };
        auto installedAt = [&]() -> QJsonValue {
            const Login admin = login("office");
            for (const auto &k : json(m_api->handle(request("GET", "/api/v1/kiosks", {}, admin.cookie)))["kiosks"].toArray())
                if (k.toObject()["id"].toString() == m_kioskId)
                    return k.toObject()["installed_at"];
            return QJsonValue(QJsonValue::Undefined);
        };
        // A kiosk that sends no installation id (a build from before) is not bound.
        QCOMPARE(get(QByteArray()).status, 200);
        QVERIFY(installedAt().isNull());

        const QByteArray mine = QByteArray(64, 'a');
        QCOMPARE(get(mine).status, 200);
        QCOMPARE(installedAt().toString(), m_now.toString(Qt::ISODate));
        QCOMPARE(get(mine).status, 200);

        const auto other = get(QByteArray(64, 'b'));
        QCOMPARE(other.status, 409);
        QCOMPARE(json(other)["error"].toObject()["code"].toString(), QStringLiteral("enrolment_used"));
        QVERIFY(json(other)["error"].toObject()["message"].toString().contains(QStringLiteral("另一台")));
        QCOMPARE(get(QByteArray()).status, 409);
        auto upload = request("POST", "/api/v1/kiosk/events", {{"events", QJsonArray()}});
        upload.headers.insert("authorization", "Bearer " + m_kioskCredential);
        upload.headers.insert("x-kaodian-installation", QByteArray(64, 'b'));
        QCOMPARE(m_api->handle(upload).status, 409);
        upload.headers.insert("x-kaodian-installation", mine);
        QCOMPARE(m_api->handle(upload).status, 200);
        QCOMPARE(get(QByteArray(129, 'a')).status, 400);

        // Claimed once, audited once.
        {
            auto store = m_pool->acquire();
            auto claims = (*store)->sql().query(QStringLiteral("SELECT count(*) FROM audit_log WHERE action = 'kiosk.install'"));
            QVERIFY(claims.ok());
            QCOMPARE(claims->first()[0].toLongLong(), 1);
            // Revoked: that answer comes first, whoever asks.
            QVERIFY((*store)->kiosks().revoke(m_kioskId, "test").ok());
        }
        QCOMPARE(get(QByteArray(64, 'b')).status, 403);
        QCOMPARE(get(mine).status, 403);
    }

    // Two kiosks check one candidate in: GET /sessions/{id} lists the
    // conflict, the kiosk's package carries it, /kiosks shows what waits.
    void conflictsReachTheSessionAndThePackage()
    {
        Id reg = 0;
        for (const auto &[r, s] : m_term.registrationSession)
            if (s == m_sessionA) {
                reg = r;
                break;
            }
        QVERIFY(reg != 0);
        QString secondCredential;
        {
            auto store = m_pool->acquire();
            KioskRecord k;
            k.id = QStringLiteral("K-TWO");
            k.name = QStringLiteral("02 考场门口");
            k.siteId = (*store)->rosters().siteIdByName(QStringLiteral("信息楼考点"))->value();
            const QString secret = randomToken();
            k.credentialHash = sha256Hex(secret.toLatin1());
            QVERIFY((*store)->kiosks().enrol(k, "test").ok());
            secondCredential = k.id + QLatin1Char('.') + secret;
        }
        const QDate day = m_term.sessions[0].date;
        auto upload = [&](const QByteArray &credential, QTime at, int waiting) {
            QJsonObject e{{"event_id", 1},
                          {"kind", "check_in"},
                          {"session_id", m_sessionA},
                          {"registration_id", reg},
                          {"device_time", QDateTime(day, at, Qt::UTC).toString(Qt::ISODateWithMs)}};
            auto r = request("POST", "/api/v1/kiosk/events", {{"events", QJsonArray{e}}, {"waiting", waiting}});
            r.headers.insert("authorization", "Bearer " + credential);
            return m_api->handle(r);
        };
        QCOMPARE(upload(m_kioskCredential, QTime(0, 52), 0).status, 200);
        QCOMPARE(upload(secondCredential.toLatin1(), QTime(0, 41), 7).status, 200);
        auto bad = request("POST", "/api/v1/kiosk/events", {{"events", QJsonArray{}}, {"waiting", -1}});
        bad.headers.insert("authorization", "Bearer " + m_kioskCredential);
        QCOMPARE(m_api->handle(bad).status, 400);

        const Login admin = login("office");
        const QJsonObject detail = json(m_api->handle(
            request("GET", "/api/v1/sessions/" + QByteArray::number(m_sessionA), {}, admin.cookie)));
        QCOMPARE(detail["session"].toObject()["sat"].toInt(), 1);
        const QJsonArray conflicts = detail["conflicts"].toArray();
        QCOMPARE(conflicts.size(), 1);
        const QJsonObject c = conflicts[0].toObject();
        QCOMPARE(c["registration_id"].toInteger(), reg);
        QVERIFY(!c["name"].toString().isEmpty());
        const QJsonArray checkIns = c["check_ins"].toArray();
        QCOMPARE(checkIns.size(), 2);
        QCOMPARE(checkIns[0].toObject()["kiosk_id"].toString(), QStringLiteral("K-TWO"));
        QCOMPARE(checkIns[0].toObject()["kiosk_name"].toString(), QStringLiteral("02 考场门口"));
        QCOMPARE(checkIns[0].toObject()["counts"].toBool(), true);
        QCOMPARE(checkIns[0].toObject()["device_time"].toString(), QDateTime(day, QTime(0, 41), Qt::UTC).toString(Qt::ISODateWithMs));
        QCOMPARE(checkIns[1].toObject()["kiosk_id"].toString(), m_kioskId);
        QCOMPARE(checkIns[1].toObject()["counts"].toBool(), false);
        QCOMPARE(checkIns[1].toObject()["received_at"].toString(), m_now.toString(Qt::ISODateWithMs));
        // Another session: an empty list, not a missing key.
        const QJsonObject other = json(m_api->handle(
            request("GET", "/api/v1/sessions/" + QByteArray::number(m_sessionB), {}, admin.cookie)));
        QVERIFY(other["conflicts"].isArray());
        QVERIFY(other["conflicts"].toArray().isEmpty());

        auto get = request("GET", "/api/v1/kiosk/package?date=" + day.toString(Qt::ISODate).toLatin1());
        get.headers.insert("authorization", "Bearer " + m_kioskCredential);
        auto package = protocol::decodeSessionPackage(m_api->handle(get).body, m_ticketKey.verifyKey());
        QVERIFY(package.ok());
        QCOMPARE(package->conflicts.size(), 1);
        QCOMPARE(package->conflicts[0].registrationId, reg);
        QCOMPARE(package->conflicts[0].sessionId, m_sessionA);
        QCOMPARE(package->conflicts[0].checkIns.size(), 2);
        QCOMPARE(package->conflicts[0].checkIns[0].kioskName, QStringLiteral("02 考场门口"));
        QVERIFY(package->conflicts[0].checkIns[0].counts);

        const QJsonArray kiosks = json(m_api->handle(request("GET", "/api/v1/kiosks", {}, admin.cookie)))["kiosks"].toArray();
        QCOMPARE(kiosks.size(), 2);
        for (const auto &v : kiosks) {
            const QJsonObject k = v.toObject();
            QCOMPARE(k["events_waiting"].toInt(), k["id"].toString() == QLatin1String("K-TWO") ? 7 : 0);
        }
    }

    // POST /kiosks/{id}/events-file: the file a revoked kiosk exported, each event once.
    void revokedKiosksFileIsImportedOnce()
    {
        QTemporaryDir dir;
        auto kiosk = kiosk::KioskStore::create({dir.filePath("kiosk")}, QStringLiteral("口令"), kMinKdfIterations);
        QVERIFY(kiosk.ok());
        QVERIFY(kiosk->setIdentity({m_kioskId, QStringLiteral("信息楼考点"), QString(), m_ticketKey.verifyKey().raw()}).ok());
        // Its device key, registered at its first contact: the export is signed with it.
        const auto deviceKey = SigningKey::generate();
        QVERIFY(kiosk->setDeviceKey(*deviceKey).ok());
        QCOMPARE(contact(QByteArray(64, 'a'), deviceKey->verifyKey().raw()).status, 200);
        QJsonArray uploaded;
        for (const auto &e : m_term.events) {
            if (kiosk->events().size() == 12)
                break;
            if (e.kind == EventKind::Annul)
                continue;
            auto stored = kiosk->appendEvent(e);
            QVERIFY(stored.ok());
            if (uploaded.size() < 5)
                uploaded.append(protocol::eventToJson(*stored, m_kioskId));
        }
        auto up = request("POST", "/api/v1/kiosk/events", {{"events", uploaded}});
        up.headers.insert("authorization", "Bearer " + m_kioskCredential);
        up.headers.insert("x-kaodian-installation", QByteArray(64, 'a'));
        QCOMPARE(m_api->handle(up).status, 200); // sent, but the acknowledgement was lost
        const Login admin = login("office");
        QCOMPARE(m_api->handle(request("POST", "/api/v1/kiosks/" + m_kioskId.toLatin1() + "/revoke", {}, admin.cookie, admin.csrf)).status, 200);
        QVERIFY(kiosk->exportOutbox(dir.filePath("export.json")).ok());
        QFile f(dir.filePath("export.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray file = f.readAll();

        auto post = [&](const QByteArray &target, const QByteArray &body, const Login &who, bool csrf = true) {
            auto r = request("POST", target, {}, who.cookie, csrf ? who.csrf : QByteArray());
            r.body = body;
            return m_api->handle(r);
        };
        const QByteArray target = "/api/v1/kiosks/" + m_kioskId.toLatin1() + "/events-file?file_name=export.json";
        QCOMPARE(post(target, file, admin, false).status, 403); // no CSRF token
        QCOMPARE(post(target, file, login("college-a")).status, 403);
        auto mismatch = post("/api/v1/kiosks/K-OTHER/events-file", file, admin);
        QCOMPARE(mismatch.status, 400);
        QVERIFY(json(mismatch)["error"].toObject()["message"].toString().contains(m_kioskId));
        QCOMPARE(post(target, "not json", admin).status, 400);
        const QJsonArray refusals = json(m_api->handle(request("GET", "/api/v1/audit?limit=2", {}, admin.cookie)))["entries"].toArray();
        QCOMPARE(refusals[0].toObject()["action"].toString(), QStringLiteral("kiosk.events_import_refused"));
        QCOMPARE(refusals[1].toObject()["action"].toString(), QStringLiteral("kiosk.events_import_refused"));
        QCOMPARE((*m_pool->acquire())->sql().query("SELECT count(*) FROM kiosk_event")->first()[0].toLongLong(), 5);
        auto first = post(target, file, admin);
        QCOMPARE(first.status, 200);
        QCOMPARE(json(first)["events"].toInt(), 12);
        QCOMPARE(json(first)["stored"].toInt(), 7);
        QCOMPARE(json(first)["duplicates"].toInt(), 5);
        QCOMPARE(json(first)["high_water_mark"].toInt(), 12);
        auto again = post(target, file, admin);
        QCOMPARE(json(again)["stored"].toInt(), 0);
        QCOMPARE(json(again)["duplicates"].toInt(), 12);
        const QJsonArray audit = json(m_api->handle(request("GET", "/api/v1/audit?limit=5", {}, admin.cookie)))["entries"].toArray();
        QCOMPARE(audit[0].toObject()["action"].toString(), QStringLiteral("kiosk.events_import"));
        QVERIFY(audit[1].toObject()["detail"].toString().contains(QStringLiteral("export.json")));
        auto store = m_pool->acquire();
        QCOMPARE((*store)->sql().query("SELECT count(*) FROM kiosk_event")->first()[0].toLongLong(), 12);
    }

    // Issue #17, finding 5: the device key travels with the first claim and
    // is registered with it; no later request — the same installation's or
    // another's — replaces it, and a key that is not Ed25519 is refused.
    void deviceKeyIsRegisteredOnlyAtTheFirstClaim()
    {
        const SigningKey first = *SigningKey::fromRaw(QByteArray(32, '\x11'));
        const SigningKey second = *SigningKey::fromRaw(QByteArray(32, '\x22'));
        const QByteArray mine(64, 'a');
        QCOMPARE(contact(mine, "short").status, 400);
        QVERIFY(registeredDeviceKey().isNull());
        QCOMPARE(contact(mine, first.verifyKey().raw()).status, 200);
        QCOMPARE(registeredDeviceKey().toString(), first.verifyKey().fingerprint());
        QCOMPARE(contact(mine, second.verifyKey().raw()).status, 200);
        QCOMPARE(contact(QByteArray(64, 'b'), second.verifyKey().raw()).status, 409);
        QCOMPARE(contact(mine, QByteArray()).status, 200);
        QCOMPARE(registeredDeviceKey().toString(), first.verifyKey().fingerprint());
        {
            auto store = m_pool->acquire();
            auto rows = (*store)->sql().query(QStringLiteral("SELECT count(*) FROM kiosk_device_key"));
            QVERIFY(rows.ok());
            QCOMPARE(rows->first()[0].toLongLong(), 1);
            auto audit = (*store)->sql().query(
                QStringLiteral("SELECT detail FROM audit_log WHERE action = 'kiosk.install'"));
            QVERIFY(audit.ok());
            QCOMPARE(audit->rows.size(), 1);
            QVERIFY(audit->first()[0].toString().contains(first.verifyKey().fingerprint()));
        }
        // The would-be replacement's file is refused; the registered key's is taken.
        const Login admin = login("office");
        QCOMPARE(m_api->handle(request("POST", "/api/v1/kiosks/" + m_kioskId.toLatin1() + "/revoke", {}, admin.cookie, admin.csrf)).status, 200);
        const QByteArray body = eventsFileBody(3);
        QCOMPARE(postEventsFile(admin, protocol::signKioskEventsFile(body, second)).status, 400);
        QCOMPARE(postEventsFile(admin, protocol::signKioskEventsFile(body, first)).status, 200);
        QCOMPARE(storedEvents(), 3);
    }

    // Issue #17, finding 5: the server takes a revoked kiosk's file only if
    // its signature verifies against the kiosk's registered device key.
    void forgedEventsFilesAreRefused()
    {
        const SigningKey deviceKey = *SigningKey::fromRaw(QByteArray(32, '\x33'));
        QCOMPARE(contact(QByteArray(64, 'a'), deviceKey.verifyKey().raw()).status, 200);
        const Login admin = login("office");
        QCOMPARE(m_api->handle(request("POST", "/api/v1/kiosks/" + m_kioskId.toLatin1() + "/revoke", {}, admin.cookie, admin.csrf)).status, 200);
        const QByteArray body = eventsFileBody(4);
        const QByteArray genuine = protocol::signKioskEventsFile(body, deviceKey);

        // Events changed after signing: one event dropped, the signature kept.
        QJsonObject envelope = QJsonDocument::fromJson(genuine).object();
        QJsonObject inner = QJsonDocument::fromJson(body).object();
        QJsonArray events = inner["events"].toArray();
        events.removeLast();
        inner["events"] = events;
        envelope["body"] = QString::fromLatin1(QJsonDocument(inner).toJson().toBase64());
        const QByteArray changed = QJsonDocument(envelope).toJson();
        // Signed by another key (that names itself as the signer) …
        const QByteArray otherKey = protocol::signKioskEventsFile(body, *SigningKey::generate());
        // … or by another key while naming the registered one.
        QJsonObject posing = QJsonDocument::fromJson(otherKey).object();
        posing["public_key"] = QString::fromLatin1(deviceKey.verifyKey().raw().toBase64());
        // Not signed at all (the /1 file), with or without a reason to take it unsigned.
        const struct
        {
            const char *name;
            QByteArray file;
            QByteArray query;
            const char *says;
        } forged[] = {
            {"changed after signing", changed, {}, "改动"},
            {"signed by another key", otherKey, {}, "不是"},
            {"another key posing as the registered one", QJsonDocument(posing).toJson(), {}, "改动"},
            {"unsigned", body, {}, "没有签名"},
            {"unsigned, with a reason", body, "&unsigned_ok=%E6%89%8B%E5%B7%A5", "没有签名"},
        };
        for (const auto &f : forged) {
            const auto r = postEventsFile(admin, f.file, f.query);
            QVERIFY2(r.status == 400, f.name);
            QCOMPARE(json(r)["error"].toObject()["code"].toString(), QStringLiteral("bad_signature"));
            QVERIFY2(json(r)["error"].toObject()["message"].toString().contains(QString::fromUtf8(f.says)),
                     qPrintable(QStringLiteral("%1: %2").arg(QLatin1String(f.name), json(r)["error"].toObject()["message"].toString())));
            const QJsonArray audit = json(m_api->handle(request("GET", "/api/v1/audit?limit=1", {}, admin.cookie)))["entries"].toArray();
            QCOMPARE(audit[0].toObject()["action"].toString(), QStringLiteral("kiosk.events_import_refused"));
        }
        QCOMPARE(storedEvents(), 0);

        const auto taken = postEventsFile(admin, genuine);
        QCOMPARE(taken.status, 200);
        QCOMPARE(json(taken)["stored"].toInt(), 4);
        QCOMPARE(storedEvents(), 4);
    }

    // A kiosk enrolled before device keys has none: its file cannot be
    // checked, so it is refused unless the office says why it trusts it,
    // and that reason is audited with the import.
    void unsignedFileOfAKioskWithoutDeviceKeyNeedsAReason()
    {
        QCOMPARE(contact(QByteArray(64, 'a'), QByteArray()).status, 200); // a build from before device keys
        // Its key cannot be registered later either.
        QCOMPARE(contact(QByteArray(64, 'a'), SigningKey::generate()->verifyKey().raw()).status, 200);
        QVERIFY(registeredDeviceKey().isNull());
        const Login admin = login("office");
        const QByteArray body = eventsFileBody(2);
        const auto refused = postEventsFile(admin, body);
        QCOMPARE(refused.status, 400);
        QCOMPARE(json(refused)["error"].toObject()["code"].toString(), QStringLiteral("no_device_key"));
        QVERIFY(json(refused)["error"].toObject()["message"].toString().contains(QStringLiteral("--unsigned-ok")));
        QCOMPARE(postEventsFile(admin, body, "&unsigned_ok=%20").status, 400); // a reason, not blanks
        QCOMPARE(storedEvents(), 0);
        const auto taken = postEventsFile(admin, body, "&unsigned_ok=%E7%BB%88%E7%AB%AF%E6%8D%9F%E5%9D%8F");
        QCOMPARE(taken.status, 200);
        QCOMPARE(storedEvents(), 2);
        const QJsonArray audit = json(m_api->handle(request("GET", "/api/v1/audit?limit=1", {}, admin.cookie)))["entries"].toArray();
        QCOMPARE(audit[0].toObject()["action"].toString(), QStringLiteral("kiosk.events_import_unsigned"));
        QVERIFY(audit[0].toObject()["detail"].toString().contains(QStringLiteral("终端损坏")));
    }

    void textIsStoredAsText()
    {
        const Login admin = login("office");
        const QString evil = QStringLiteral("Robert'); DROP TABLE app_user;--");
        auto r = m_api->handle(request("POST", "/api/v1/users",
                                       {{"username", evil}, {"password", "long-enough-pw"}, {"role", "college"}, {"college_id", m_collegeA}},
                                       admin.cookie, admin.csrf));
        QCOMPARE(r.status, 201);
        auto users = json(m_api->handle(request("GET", "/api/v1/users", {}, admin.cookie)));
        bool found = false;
        for (const auto &u : users["users"].toArray())
            found = found || u.toObject()["username"].toString() == evil;
        QVERIFY(found);
        QCOMPARE(m_api->handle(request("POST", "/api/v1/users",
                                       {{"username", evil}, {"password", "long-enough-pw"}, {"role", "college"}, {"college_id", m_collegeA}},
                                       admin.cookie, admin.csrf)).status, 409);
        QCOMPARE(m_api->handle(request("POST", "/api/v1/users", {{"username", "short"}, {"password", "short"}, {"role", "admin"}},
                                       admin.cookie, admin.csrf)).status, 400);
        // Junk bodies get our words, not a parser's.
        auto junk = request("PUT", "/api/v1/sessions/" + QByteArray::number(m_sessionA) + "/published-count", {}, admin.cookie, admin.csrf);
        junk.body = "{not json";
        auto jr = m_api->handle(junk);
        QCOMPARE(jr.status, 400);
        QVERIFY(json(jr)["error"].toObject()["message"].toString().contains("JSON"));
        QCOMPARE(m_api->handle(request("GET", "/api/v1/nothing-here", {}, admin.cookie)).status, 404);
        QCOMPARE(m_api->handle(request("GET", "/elsewhere", {}, admin.cookie)).status, 404);
    }
};

QTEST_GUILESS_MAIN(TestApi)
#include "tst_api.moc"
