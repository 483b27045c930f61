// GET /api/v1/metrics, in process against both stores: who may read it (the
// office, or the metrics token; a college viewer 403, nobody or a wrong
// token 401), that every line of the answer is valid Prometheus text
// (tests/support/exposition.h), and that the numbers move with what
// happens — requests counted by route pattern and status, events ingested,
// store query time, and each kiosk's last-seen age and waiting events.

#include "api/api.h"
#include "auth/password.h"
#include "office/enrolment.h"
#include "office/metricstoken.h"

#include "exposition.h"
#include "freshstore.h"
#include "termfixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace kaodian;
using namespace kaodian::server;
using namespace kaodian::testing;

namespace {

const QString kPassword = QStringLiteral("correct-horse-battery");

HttpRequest request(const QByteArray &method, const QByteArray &target, const QByteArray &authorization = {},
    const QByteArray &cookie = {}, const QByteArray &body = {})
{
    HttpRequest r;
    r.method = method;
    r.target = target;
    r.peerAddress = QStringLiteral("127.0.0.1");
    r.headers.insert("host", "kaodian.test");
    if (!authorization.isEmpty())
        r.headers.insert("authorization", authorization);
    if (!cookie.isEmpty())
        r.headers.insert("cookie", "kd_session=" + cookie);
    if (!body.isEmpty()) {
        r.headers.insert("content-type", "application/json");
        r.body = body;
    }
    return r;
}

} // namespace

class TestMetrics : public QObject
{
    Q_OBJECT

    std::unique_ptr<FreshStore> m_fresh;
    std::unique_ptr<StorePool> m_pool;
    std::unique_ptr<Api> m_api;
    QDateTime m_now = QDateTime(QDate(2026, 6, 1), QTime(9, 0), Qt::UTC);
    Term m_term;
    QByteArray m_office, m_viewer; // session cookies
    QByteArray m_token; // the metrics token
    QByteArray m_kioskCredential;
    QString m_kioskId;

    QByteArray logIn(const QString &user)
    {
        const auto r = m_api->handle(request("POST", "/api/v1/login", {}, {},
            QJsonDocument(QJsonObject {{"username", user}, {"password", kPassword}}).toJson()));
        for (const auto &[name, value] : r.headers)
            if (name == "Set-Cookie")
                return value.left(value.indexOf(';')).mid(QByteArray("kd_session=").size());
        return {};
    }

    // A scrape with the token, parsed; fails the test on anything invalid.
    Exposition scrape()
    {
        const HttpResponse r = m_api->handle(request("GET", "/api/v1/metrics", "Bearer " + m_token));
        [&] {
            QCOMPARE(r.status, 200);
            QCOMPARE(r.contentType, QByteArray("text/plain; version=0.0.4; charset=utf-8"));
        }();
        Exposition e = parseExposition(r.body);
        if (!e.error.isEmpty())
            qWarning().noquote() << r.body;
        return e;
    }

    // Check-ins of n registrations the test has not uploaded yet, from the kiosk.
    QByteArray checkIns(int first, int n, qint64 waiting)
    {
        QJsonArray events;
        int i = 0;
        for (const auto &[registration, session] : m_term.registrationSession) {
            if (i >= first + n)
                break;
            if (i++ < first)
                continue;
            events.append(QJsonObject {{"event_id", i}, {"kind", "check_in"}, {"session_id", session},
                {"registration_id", registration}, {"device_time", "2026-06-01T08:41:07.123Z"},
                {"method", "scan"}});
        }
        return QJsonDocument(QJsonObject {{"events", events}, {"waiting", waiting}})
            .toJson(QJsonDocument::Compact);
    }

private slots:
    void init()
    {
        m_fresh = std::make_unique<FreshStore>();
        QVERIFY2(m_fresh->ok(), qPrintable(m_fresh->error()));
        m_pool = std::make_unique<StorePool>(m_fresh->location(), [this] { return m_now; });
        m_api = std::make_unique<Api>(*m_pool);
        auto store = m_pool->acquire();
        QVERIFY(store.ok());
        m_term = seedTerm(**store, 7);
        const QString hash = hashPassword(kPassword);
        QVERIFY((*store)->accounts().addUser("office", hash, Role::Admin, std::nullopt, "test").ok());
        QVERIFY((*store)
                    ->accounts()
                    .addUser("viewer", hash, Role::CollegeViewer, m_term.sessions[0].college, "test")
                    .ok());
        office::KioskEnrolmentRequest kiosk;
        kiosk.siteName = QStringLiteral("信息楼考点");
        kiosk.room = QStringLiteral("01");
        kiosk.name = QStringLiteral("01 门口");
        auto enrolled = office::enrolKiosk(**store, kiosk, "test");
        QVERIFY2(enrolled.ok(), qPrintable(enrolled.ok() ? QString() : enrolled.error().message));
        m_kioskId = enrolled->kiosk.id;
        m_kioskCredential = enrolled->credential.toLatin1();
        // A second kiosk at a site whose name needs escaping in a label value.
        QVERIFY((*store)
                    ->sql()
                    .query(QStringLiteral("INSERT INTO site (name) VALUES (?)"),
                        {QStringLiteral("旧楼 \"B\" 座\\侧门\n二层")})
                    .ok());
        kiosk.siteName = QStringLiteral("旧楼 \"B\" 座\\侧门\n二层");
        kiosk.room.clear();
        QVERIFY(office::enrolKiosk(**store, kiosk, "test").ok());
        auto token = office::issueMetricsToken(**store, "test");
        QVERIFY(token.ok());
        QVERIFY(token->token.startsWith(QLatin1String("kdm_")));
        m_token = token->token.toLatin1();
        m_office = logIn("office");
        m_viewer = logIn("viewer");
        QVERIFY(!m_office.isEmpty() && !m_viewer.isEmpty());
    }

    void cleanup()
    {
        m_api.reset();
        m_pool.reset();
        m_fresh.reset();
    }

    // The office or the token; nobody else, not even with another credential.
    void onlyTheOfficeOrTheToken()
    {
        const QByteArray target = "/api/v1/metrics";
        QCOMPARE(m_api->handle(request("GET", target)).status, 401);
        QCOMPARE(m_api->handle(request("GET", target, {}, m_viewer)).status, 403);
        QCOMPARE(m_api->handle(request("GET", target, "Bearer kdm_not-the-token")).status, 401);
        QCOMPARE(m_api->handle(request("GET", target, "Bearer " + m_token.chopped(1))).status, 401);
        QCOMPARE(m_api->handle(request("GET", target, "Bearer " + m_kioskCredential)).status, 401);
        QCOMPARE(m_api->handle(request("GET", target, {}, m_office)).status, 200);
        QCOMPARE(m_api->handle(request("GET", target, "Bearer " + m_token)).status, 200);
        // The token opens nothing else.
        QCOMPARE(m_api->handle(request("GET", "/api/v1/statistics", "Bearer " + m_token)).status, 401);
        QCOMPARE(m_api->handle(request("GET", "/api/v1/kiosk/package?date=2026-06-01", "Bearer " + m_token))
                     .status,
            401);
        QCOMPARE(
            m_api->handle(request("POST", "/api/v1/kiosk/events", "Bearer " + m_token, {}, checkIns(0, 1, 0)))
                .status,
            401);

        // A new token replaces the old one at once; revoking leaves none. Both audited.
        {
            auto store = m_pool->acquire();
            QVERIFY(store.ok());
            auto again = office::issueMetricsToken(**store, "test");
            QVERIFY(again.ok() && again->replaced);
            QCOMPARE(m_api->handle(request("GET", target, "Bearer " + m_token)).status, 401);
            QCOMPARE(m_api->handle(request("GET", target, "Bearer " + again->token.toLatin1())).status, 200);
            auto revoked = office::revokeMetricsToken(**store, "test");
            QVERIFY(revoked.ok() && *revoked);
            QCOMPARE(m_api->handle(request("GET", target, "Bearer " + again->token.toLatin1())).status, 401);
            auto none = office::revokeMetricsToken(**store, "test");
            QVERIFY(none.ok() && !*none);
            auto entries = (*store)->audit().entries(100);
            QVERIFY(entries.ok());
            int issued = 0, revokedEntries = 0;
            for (const AuditEntry &e : *entries) {
                issued += e.action == QLatin1String("metrics.token");
                revokedEntries += e.action == QLatin1String("metrics.token_revoked");
            }
            QCOMPARE(issued, 2);
            QCOMPARE(revokedEntries, 1);
            // Only the hash is stored.
            auto rows = (*store)->sql().query(QStringLiteral("SELECT token_hash FROM metrics_token"));
            QVERIFY(rows.ok() && rows->isEmpty());
        }
    }

    // Every line valid; the families the docs name are there with their types.
    void everyLineIsValidExposition()
    {
        const Exposition e = scrape();
        QVERIFY2(e.error.isEmpty(), qPrintable(e.error));
        const QMap<QString, QString> expected = {
            {"kaodian_http_requests_total", "counter"},
            {"kaodian_events_ingested_total", "counter"},
            {"kaodian_store_query_duration_seconds", "histogram"},
            {"kaodian_kiosks", "gauge"},
            {"kaodian_kiosks_never_seen", "gauge"},
            {"kaodian_events_stored", "gauge"},
            {"kaodian_kiosk_last_seen_age_seconds", "gauge"},
            {"kaodian_kiosk_events_waiting", "gauge"},
            {"kaodian_kiosk_events_stored", "gauge"},
            {"kaodian_process_start_time_seconds", "gauge"},
        };
        for (auto it = expected.begin(); it != expected.end(); ++it)
            QVERIFY2(e.types.value(it.key()) == it.value(), qPrintable(it.key()));
        QCOMPARE(e.value("kaodian_kiosks", {{"state", "active"}}).value_or(-1), 2.0);
        QCOMPARE(e.value("kaodian_kiosks_never_seen").value_or(-1), 2.0);
        // The escaped site name reads back as it is.
        bool found = false;
        for (const MetricSample &s : e.all("kaodian_kiosk_events_stored"))
            found = found || s.labels.value("site") == QStringLiteral("旧楼 \"B\" 座\\侧门\n二层");
        QVERIFY(found);
        // The reader refuses what is not exposition text (it can fail).
        QVERIFY(!parseExposition("kaodian_x{a=\"1} 2\n").error.isEmpty());
        QVERIFY(!parseExposition("# TYPE kaodian_x gauge\nkaodian_x{a=\"\\q\"} 2\n").error.isEmpty());
        QVERIFY(!parseExposition("kaodian_x 2\n").error.isEmpty()); // no TYPE
        QVERIFY(!parseExposition("# TYPE kaodian_x gauge\nkaodian_x 2\nkaodian_x 3\n").error.isEmpty());
        QVERIFY(!parseExposition(
            "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n")
                     .error.isEmpty());
        QVERIFY(parseExposition(
            "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 2\n")
                    .error.isEmpty());
    }

    // Requests by route pattern and status, events ingested, store time,
    // and the kiosks' gauges, before and after.
    void theNumbersMove()
    {
        const Exposition before = scrape();
        QVERIFY2(before.error.isEmpty(), qPrintable(before.error));
        const auto count
            = [](const Exposition &e, const char *method, const char *route, const char *status) {
                  return e
                      .value("kaodian_http_requests_total",
                          {{"method", method}, {"route", route}, {"status", status}})
                      .value_or(0);
              };

        for (int i = 0; i < 3; ++i)
            QCOMPARE(m_api->handle(request("GET", "/api/v1/statistics", {}, m_office)).status, 200);
        for (const auto &s : m_term.sessions)
            QCOMPARE(
                m_api->handle(request("GET", "/api/v1/sessions/" + QByteArray::number(s.id), {}, m_office))
                    .status,
                200);
        QCOMPARE(m_api->handle(request("GET", "/api/v1/no/such/path/42", {}, m_office)).status, 404);
        QCOMPARE(m_api->handle(request("GET", "/api/v1/audit", {}, m_viewer)).status, 403);

        auto upload = [&](const QByteArray &body) {
            return m_api->handle(
                request("POST", "/api/v1/kiosk/events", "Bearer " + m_kioskCredential, {}, body));
        };
        QCOMPARE(upload(checkIns(0, 12, 7)).status, 200);
        QCOMPARE(upload(checkIns(0, 12, 7)).status, 200); // a retry: 12 duplicates
        m_now = m_now.addSecs(90);

        const Exposition after = scrape();
        QVERIFY2(after.error.isEmpty(), qPrintable(after.error));
        QCOMPARE(count(after, "GET", "/api/v1/statistics", "200")
                - count(before, "GET", "/api/v1/statistics", "200"),
            3.0);
        // One series for every session: the route's pattern, never the path.
        QCOMPARE(count(after, "GET", "/api/v1/sessions/{session}", "200"), double(m_term.sessions.size()));
        for (const MetricSample &s : after.all("kaodian_http_requests_total"))
            QVERIFY2(!s.labels.value("route").contains(QRegularExpression(QStringLiteral("/\\d"))),
                qPrintable(s.labels.value("route")));
        QCOMPARE(count(after, "GET", "unmatched", "404"), 1.0);
        QCOMPARE(count(after, "GET", "/api/v1/audit", "403"), 1.0);
        QCOMPARE(count(after, "POST", "/api/v1/kiosk/events", "200"), 2.0);
        QVERIFY(count(after, "GET", "/api/v1/metrics", "200") >= 1.0); // the first scrape

        QCOMPARE(*after.value("kaodian_events_ingested_total", {{"result", "stored"}})
                - *before.value("kaodian_events_ingested_total", {{"result", "stored"}}),
            12.0);
        QCOMPARE(*after.value("kaodian_events_ingested_total", {{"result", "duplicate"}})
                - *before.value("kaodian_events_ingested_total", {{"result", "duplicate"}}),
            12.0);
        const auto statements = [](const Exposition &e) {
            return e.value("kaodian_store_query_duration_seconds_count", {{"operation", "statement"}})
                .value_or(0);
        };
        const auto commits = [](const Exposition &e) {
            return e.value("kaodian_store_query_duration_seconds_count", {{"operation", "commit"}})
                .value_or(0);
        };
        QVERIFY(statements(after) > statements(before) + 20);
        QVERIFY(commits(after) >= commits(before) + 2); // the two uploads at least

        // From the store: the kiosk seen 90 s ago with 7 events waiting, 12 held.
        const QMap<QString, QString> kiosk = {{"kiosk", m_kioskId}, {"site", "信息楼考点"}, {"room", "01"}};
        QCOMPARE(after.value("kaodian_kiosk_last_seen_age_seconds", kiosk).value_or(-1), 90.0);
        QCOMPARE(after.value("kaodian_kiosk_events_waiting", kiosk).value_or(-1), 7.0);
        QCOMPARE(after.value("kaodian_kiosk_events_stored", kiosk).value_or(-1), 12.0);
        QCOMPARE(after.value("kaodian_events_stored").value_or(-1), 12.0);
        QCOMPARE(after.value("kaodian_kiosks_never_seen").value_or(-1), 1.0);
        QCOMPARE(after.all("kaodian_kiosk_last_seen_age_seconds").size(), qsizetype(1));

        // A revoked kiosk leaves the per-kiosk gauges and is counted as revoked.
        {
            auto store = m_pool->acquire();
            QVERIFY(store.ok());
            QVERIFY((*store)->kiosks().revoke(m_kioskId, "test").ok());
        }
        const Exposition revoked = scrape();
        QVERIFY2(revoked.error.isEmpty(), qPrintable(revoked.error));
        QCOMPARE(revoked.value("kaodian_kiosks", {{"state", "revoked"}}).value_or(-1), 1.0);
        QVERIFY(!revoked.value("kaodian_kiosk_last_seen_age_seconds", kiosk));
        QCOMPARE(revoked.value("kaodian_events_stored").value_or(-1), 12.0); // what it sent stays held
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
