// Server benchmarks, each beside its floor from the same run:
//   stats:  statistics for 1,000,000 registrations in 10,000 sessions;
//           floor: the store's own GROUP BY over the registrations alone.
//   ingest: check-in events over HTTPS on loopback in batches of 100, durable;
//           floor: the same batches through EventLog::ingest in-process.
//           PostgreSQL also: the database's own raw batch-insert rate for the
//           same rows (one multi-row INSERT of 100 rows a transaction into
//           kiosk_event, same cluster and durability, as many connections as
//           clients and also one), and the ingest as a ratio to it.
// Embedded store always; PostgreSQL too when --postgres URL (a database the
// bench may fill) is given.
//
// Usage: bench_server [--postgres URL] [--registrations N] [--sessions N] [--events N] [--clients N]
//                     [--ingest-only]

#include "api/api.h"
#include "http/httpsserver.h"
#include "http/tlscert.h"
#include "store/serverstore.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <atomic>
#include <cstdio>
#include <thread>

using namespace kaodian;
using namespace kaodian::server;

namespace {

[[noreturn]] void die(const QString &message)
{
    std::fprintf(stderr, "bench_server: %s\n", qPrintable(message));
    std::exit(1);
}

template <typename T>
T must(Result<T, StoreError> r, const char *what)
{
    if (!r)
        die(QStringLiteral("%1: %2").arg(QLatin1String(what), r.error().message));
    return std::move(r).value();
}

void mustOk(const Status<StoreError> &s, const char *what)
{
    if (!s)
        die(QStringLiteral("%1: %2").arg(QLatin1String(what), s.error().message));
}

// Fills the store with sessions and registrations whose state is already
// derived, in SQL so 1,000,000 rows take seconds, not minutes.
void fillForStats(ServerStore &store, int sessions, int registrations)
{
    auto &sql = store.sql();
    const bool pg = store.dialect() == Dialect::Postgres;
    mustOk(sql.execScript(QStringLiteral(
               "INSERT INTO college (name) VALUES ('学院A'), ('学院B'), ('学院C');"
               "INSERT INTO major (college_id, name) SELECT id, name || '专业' FROM college;"
               "INSERT INTO certificate (name) VALUES ('证书1'), ('证书2'), ('证书3'), ('证书4');"
               "INSERT INTO pilot (college_id, certificate_id, level) SELECT c.id, ce.id, 1 FROM college c, certificate ce;"
               "INSERT INTO site (name) VALUES ('实训楼考点');"
               "INSERT INTO room (site_id, code) SELECT id, '01' FROM site;")),
           "seed");
    const QString series = pg ? QStringLiteral("generate_series(1, %1) AS g(i)")
                              : QStringLiteral("(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %1)"
                                               " SELECT i FROM n) AS g");
    const QString date = pg ? QStringLiteral("(DATE '2026-01-01' + (g.i / 12))::text")
                            : QStringLiteral("date('2026-01-01', '+' || (g.i / 12) || ' days')");
    mustOk(sql.execScript(QStringLiteral(
               "INSERT INTO exam_session (pilot_id, site_id, exam_date, start_time, published_count, results_final)"
               " SELECT 1 + (g.i %% 12), 1, %2, '09:00', 100 + g.i %% 50, 1 FROM %1;")
                              .arg(series.arg(sessions), date)
                              .replace(QLatin1String("%%"), QLatin1String("%"))),
           "sessions");
    mustOk(sql.execScript(QStringLiteral("INSERT INTO candidate (id_number, name, student_number, major_id)"
                                         " SELECT 'ID' || g.i, '考生' || g.i, 'S' || g.i, 1 FROM %1;")
                              .arg(series.arg(registrations))),
           "candidates");
    mustOk(sql.execScript(QStringLiteral(
               "INSERT INTO registration (session_id, candidate_id, ticket_number, room_id, seat, attendance, outcome)"
               " SELECT 1 + (g.i %% %2), g.i, 'T' || g.i, 1, 'S' || g.i, (g.i * 7) %% 4,"
               " CASE WHEN (g.i * 7) %% 4 = 1 THEN (CASE WHEN g.i %% 3 = 0 THEN 2 ELSE 1 END) ELSE NULL END FROM %1;")
                              .arg(series.arg(registrations))
                              .arg(sessions)
                              .replace(QLatin1String("%%"), QLatin1String("%"))),
           "registrations");
    if (pg)
        mustOk(sql.execScript(QStringLiteral("ANALYZE")), "analyze");
}

double medianMs(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

void benchStats(const StoreLocation &location, const char *label, int sessions, int registrations)
{
    auto store = must(ServerStore::open(location), "open");
    QElapsedTimer fillTimer;
    fillTimer.start();
    fillForStats(*store, sessions, registrations);
    const double fillS = double(fillTimer.elapsed()) / 1000.0;
    std::vector<double> floorMs, fullMs;
    qint64 sat = 0;
    for (int run = 0; run < 5; ++run) {
        QElapsedTimer t;
        t.start();
        auto r = store->sql().query(QStringLiteral("SELECT session_id, attendance, coalesce(outcome, 0), count(*)"
                                                   " FROM registration WHERE withdrawn_at IS NULL"
                                                   " GROUP BY session_id, attendance, coalesce(outcome, 0)"));
        floorMs.push_back(double(t.nsecsElapsed()) / 1e6);
        if (!r)
            die(r.error().message);
        t.start();
        auto report = must(store->statistics().report(), "statistics");
        fullMs.push_back(double(t.nsecsElapsed()) / 1e6);
        sat = 0;
        for (const auto &s : report.sessions)
            sat += s.tally.sat;
        if (report.sessions.size() != sessions)
            die(QStringLiteral("expected %1 sessions, got %2").arg(sessions).arg(report.sessions.size()));
    }
    std::printf("| statistics, %s, %d registrations / %d sessions (median of 5) | %.0f ms | floor (GROUP BY alone) %.0f ms | sat %lld; fill took %.1f s |\n",
                label, registrations, sessions, medianMs(fullMs), medianMs(floorMs), static_cast<long long>(sat), fillS);
}

// --------------------------------------------------------------- ingest

// A keep-alive HTTPS client on a blocking socket, just enough for POSTs.
class Client
{
public:
    Client(SSL_CTX *ctx, quint16 port)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(m_fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0)
            die(QStringLiteral("connect failed"));
        int one = 1;
        setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        m_ssl = SSL_new(ctx);
        SSL_set_fd(m_ssl, m_fd);
        if (SSL_connect(m_ssl) != 1)
            die(QStringLiteral("TLS handshake failed"));
    }
    ~Client()
    {
        SSL_shutdown(m_ssl);
        SSL_free(m_ssl);
        ::close(m_fd);
    }
    // Returns the status; body in *body.
    int post(const QByteArray &target, const QByteArray &auth, const QByteArray &json, QByteArray *body)
    {
        const QByteArray req = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + auth
                               + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(json.size())
                               + "\r\n\r\n" + json;
        if (SSL_write(m_ssl, req.constData(), static_cast<int>(req.size())) != req.size())
            die(QStringLiteral("write failed"));
        QByteArray buf;
        char chunk[16384];
        qsizetype headerEnd = -1;
        qsizetype length = 0;
        for (;;) {
            const int n = SSL_read(m_ssl, chunk, sizeof chunk);
            if (n <= 0)
                die(QStringLiteral("read failed"));
            buf.append(chunk, n);
            if (headerEnd < 0 && (headerEnd = buf.indexOf("\r\n\r\n")) >= 0) {
                const QByteArray head = buf.left(headerEnd).toLower();
                const qsizetype cl = head.indexOf("content-length:");
                length = head.mid(cl + 15, head.indexOf("\r\n", cl) - cl - 15).trimmed().toLongLong();
            }
            if (headerEnd >= 0 && buf.size() >= headerEnd + 4 + length)
                break;
        }
        *body = buf.mid(headerEnd + 4, length);
        return buf.mid(9, 3).toInt();
    }

private:
    int m_fd = -1;
    SSL *m_ssl = nullptr;
};

QList<Id> fillForIngest(ServerStore &store, int registrations)
{
    auto &sql = store.sql();
    const bool pg = store.dialect() == Dialect::Postgres;
    const QString series = pg ? QStringLiteral("generate_series(1, %1) AS g(i)")
                              : QStringLiteral("(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %1)"
                                               " SELECT i FROM n) AS g");
    mustOk(sql.execScript(QStringLiteral(
               "INSERT INTO college (name) VALUES ('学院A');"
               "INSERT INTO major (college_id, name) VALUES (1, '专业');"
               "INSERT INTO certificate (name) VALUES ('证书');"
               "INSERT INTO pilot (college_id, certificate_id, level) VALUES (1, 1, 1);"
               "INSERT INTO site (name) VALUES ('实训楼考点');"
               "INSERT INTO room (site_id, code) VALUES (1, '01');"
               "INSERT INTO exam_session (pilot_id, site_id, exam_date, start_time) VALUES (1, 1, '2026-06-01', '09:00');"
               "INSERT INTO candidate (id_number, name, student_number, major_id) SELECT 'ID' || g.i, 'N', 'S', 1 FROM %1;"
               "INSERT INTO registration (session_id, candidate_id, ticket_number, room_id, seat)"
               " SELECT 1, g.i, 'T' || g.i, 1, 'S' || g.i FROM %1;")
                              .arg(series.arg(registrations))),
           "seed ingest");
    // As after a real roster import: autovacuum has analysed it long before
    // exam day (the statistics fill does the same).
    if (pg)
        mustOk(sql.execScript(QStringLiteral("ANALYZE")), "analyze");
    auto rows = must(sql.query(QStringLiteral("SELECT id FROM registration ORDER BY id")), "ids");
    QList<Id> ids;
    for (const auto &r : rows.rows)
        ids.push_back(r[0].toLongLong());
    return ids;
}

QJsonArray batchJson(const QList<Id> &registrations, qsizetype from, qint64 firstEventId)
{
    QJsonArray a;
    for (qsizetype i = 0; i < 100; ++i) {
        a.append(QJsonObject{{"event_id", firstEventId + i},
                             {"kind", "check_in"},
                             {"session_id", 1},
                             {"registration_id", registrations[(from + i) % registrations.size()]},
                             {"device_time", "2026-06-01T08:30:00.000Z"}});
    }
    return a;
}

// PostgreSQL's own rate for the same rows: each batch of 100 is one
// multi-row INSERT (the ingest's columns, ON CONFLICT DO NOTHING) in its own
// transaction, into the store's kiosk_event table (same unique key and
// index) of a fresh schema, on the same cluster with the same durability
// (synchronous commit, fsync). `connections` connections run at once, each
// its share of the batches, as the HTTPS clients do. No state is derived:
// this is the floor no ingest can beat.
double rawBatchInsertRate(const StoreLocation &location, int events, int connections)
{
    const int batches = events / 100;
    {
        auto store = must(ServerStore::open(location), "open raw");
        fillForIngest(*store, events);
    }
    QString sql = QStringLiteral("INSERT INTO kiosk_event (kiosk_id, event_id, kind, session_id, registration_id,"
                                 " device_time, received_at, target_kiosk_id, target_event_id, late, method, incident,"
                                 " outcome, score, reason) VALUES ");
    for (int i = 0; i < 100; ++i)
        sql += (i ? QStringLiteral(", ") : QString()) + QStringLiteral("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    sql += QStringLiteral(" ON CONFLICT DO NOTHING");
    std::vector<std::unique_ptr<ServerStore>> stores;
    for (int c = 0; c < connections; ++c) {
        stores.push_back(must(ServerStore::open(location), "open raw"));
        // PostgreSQL's own default: its cached generic plan for the one
        // statement, not the store's per-execution planning (PgConnection).
        mustOk(stores.back()->sql().execScript(QStringLiteral("SET plan_cache_mode = auto")), "plan cache mode");
    }
    const QString deviceTime = storeTime(QDateTime(QDate(2026, 6, 1), QTime(8, 30), Qt::UTC));
    // Parameters prepared before the clock starts, as the HTTPS bodies are.
    std::vector<std::vector<QVariantList>> params(static_cast<std::size_t>(connections));
    for (int b = 0; b < batches; ++b) {
        const int c = b % connections;
        QVariantList p;
        p.reserve(1500);
        for (int i = 0; i < 100; ++i) {
            p << QStringLiteral("R%1").arg(c) << QVariant::fromValue<qint64>(qint64(b / connections) * 100 + i + 1)
              << QStringLiteral("check_in") << 1 << QVariant::fromValue<qint64>(qint64(b) * 100 + i + 1) << deviceTime
              << deviceTime << QString() << 0 << 0 << 1 << QVariant() << QVariant() << QVariant() << QString();
        }
        params[static_cast<std::size_t>(c)].push_back(std::move(p));
    }
    std::atomic<int> failures{0};
    QElapsedTimer t;
    t.start();
    std::vector<std::thread> threads;
    for (int c = 0; c < connections; ++c) {
        threads.emplace_back([&, c] {
            auto &conn = stores[static_cast<std::size_t>(c)]->sql();
            for (const auto &p : params[static_cast<std::size_t>(c)]) {
                if (!conn.begin() || !conn.query(sql, p) || !conn.commit())
                    ++failures;
            }
        });
    }
    for (auto &th : threads)
        th.join();
    const double rate = events / (double(t.nsecsElapsed()) / 1e9);
    const qint64 stored =
        must(stores.front()->sql().query(QStringLiteral("SELECT count(*) FROM kiosk_event")), "count").first().first().toLongLong();
    if (failures > 0 || stored != events)
        die(QStringLiteral("raw insert: %1 failures, %2 of %3 rows").arg(failures.load()).arg(stored).arg(events));
    return rate;
}

void benchIngest(const StoreLocation &location, const StoreLocation &floorLocation, const char *label, int events,
                 int clients, const std::function<void()> &betweenRuns = {}, bool rawFloor = false)
{
    const int batches = events / 100;
    // Floor: the store's own rate for the same batches, in-process.
    double floorRate = 0;
    {
        auto store = must(ServerStore::open(floorLocation), "open floor");
        const QList<Id> regs = fillForIngest(*store, events);
        QElapsedTimer t;
        t.start();
        for (int b = 0; b < batches; ++b) {
            QList<KioskEvent> batch;
            for (int i = 0; i < 100; ++i) {
                KioskEvent e;
                e.kioskId = QStringLiteral("KF");
                e.eventId = b * 100 + i + 1;
                e.sessionId = 1;
                e.registrationId = regs[b * 100 + i];
                e.deviceTime = QDateTime(QDate(2026, 6, 1), QTime(8, 30), Qt::UTC);
                batch.push_back(e);
            }
            must(store->events().ingest(QStringLiteral("KF"), batch, QDateTime::currentDateTimeUtc()), "ingest");
        }
        floorRate = events / (double(t.nsecsElapsed()) / 1e9);
    }
    if (betweenRuns)
        betweenRuns();
    // The database's own batch-insert rate, each in a fresh schema: one
    // connection, then as many as clients.
    double raw1 = 0, rawN = 0;
    if (rawFloor) {
        raw1 = rawBatchInsertRate(location, events, 1);
        if (betweenRuns)
            betweenRuns();
        rawN = rawBatchInsertRate(location, events, clients);
        if (betweenRuns)
            betweenRuns();
    }

    QTemporaryDir tls;
    if (auto s = writeSelfSignedCertificate(tls.filePath("c.pem"), tls.filePath("k.pem"), {}, 30); !s)
        die(s.error());
    QList<Id> regs;
    QList<QByteArray> credentials;
    {
        auto store = must(ServerStore::open(location), "open");
        regs = fillForIngest(*store, events);
        for (int c = 0; c < clients; ++c) {
            KioskRecord k;
            k.id = QStringLiteral("K%1").arg(c);
            k.name = k.id;
            k.siteId = 1;
            k.credentialHash = QString::fromLatin1(QCryptographicHash::hash("secret", QCryptographicHash::Sha256).toHex());
            mustOk(store->kiosks().enrol(k, QStringLiteral("bench")), "enrol");
            credentials.push_back(k.id.toLatin1() + ".secret");
        }
    }
    StorePool pool(location);
    Api api(pool);
    HttpsServer server(TlsFiles{tls.filePath("c.pem"), tls.filePath("k.pem")}, HttpLimits{},
                       [&api](const HttpRequest &r) { return api.handle(r); });
    if (auto s = server.listen(QStringLiteral("127.0.0.1"), 0); !s)
        die(s.error());
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    // Bodies prepared before the clock starts: the bench measures the server.
    std::vector<std::vector<QByteArray>> bodies(static_cast<std::size_t>(clients));
    for (int b = 0; b < batches; ++b)
        bodies[static_cast<std::size_t>(b % clients)].push_back(
            QJsonDocument(QJsonObject{{"events", batchJson(regs, qsizetype(b) * 100, qint64(b / clients) * 100 + 1)}})
                .toJson(QJsonDocument::Compact));
    std::atomic<int> failures{0};
    QElapsedTimer t;
    t.start();
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
        threads.emplace_back([&, c] {
            Client client(ctx, server.port());
            QByteArray body;
            for (const auto &json : bodies[static_cast<std::size_t>(c)]) {
                if (client.post("/api/v1/kiosk/events", credentials[c], json, &body) != 200)
                    ++failures;
            }
        });
    }
    for (auto &th : threads)
        th.join();
    const double seconds = double(t.nsecsElapsed()) / 1e9;
    SSL_CTX_free(ctx);
    server.stop();
    auto store = must(ServerStore::open(location), "reopen");
    const qint64 stored = must(store->sql().query(QStringLiteral("SELECT count(*) FROM kiosk_event")), "count").first().first().toLongLong();
    if (failures > 0 || stored != events)
        die(QStringLiteral("ingest: %1 failures, %2 of %3 events stored").arg(failures.load()).arg(stored).arg(events));
    const double rate = events / seconds;
    std::printf("| ingest over HTTPS, %s, %d events in batches of 100, %d clients | %.0f events/s | floor (in-process store ingest, one thread) %.0f events/s | all %lld stored once |\n",
                label, events, clients, rate, floorRate, static_cast<long long>(stored));
    if (rawFloor)
        std::printf("| same, as a ratio to %s's raw batch insert (multi-row INSERT of 100 a transaction, same rows) | %.2fx | raw insert %.0f rows/s with %d connections (%.0f rows/s with one: ratio %.2fx) | target 0.5x |\n",
                    label, rate / rawN, rawN, clients, raw1, rate / raw1);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QString postgres;
    int registrations = 1000000, sessions = 10000, events = 20000, clients = 4;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == "--postgres")
            postgres = args[i + 1];
        else if (args[i] == "--registrations")
            registrations = args[i + 1].toInt();
        else if (args[i] == "--sessions")
            sessions = args[i + 1].toInt();
        else if (args[i] == "--events")
            events = args[i + 1].toInt();
        else if (args[i] == "--clients")
            clients = args[i + 1].toInt();
    }
    const bool stats = !args.contains(QStringLiteral("--ingest-only"));
    std::printf("| measure | figure | floor, same run | notes |\n|---|---:|---:|---|\n");
    auto embedded = [](const char *name, QTemporaryDir &dir) {
        const QString path = dir.filePath(QLatin1String(name));
        if (auto s = ServerStore::createEmbedded(path); !s)
            die(s.error().message);
        return StoreLocation{path, QString()};
    };
    QTemporaryDir dir(QDir::currentPath() + "/bench-XXXXXX");
    if (stats)
        benchStats(embedded("stats", dir), "embedded", sessions, registrations);
    benchIngest(embedded("ingest", dir), embedded("ingest-floor", dir), "embedded", events, clients);
    if (!postgres.isEmpty()) {
        // The bench's database gets three schemas' worth of tables: one per measurement.
        auto reset = [&] {
            auto s = must(ServerStore::open({QString(), postgres}), "open pg");
            mustOk(s->sql().execScript(QStringLiteral("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")), "reset");
        };
        reset();
        if (stats) {
            benchStats({QString(), postgres}, "PostgreSQL", sessions, registrations);
            reset();
        }
        // The floor runs first in its own fresh schema, then the server's.
        benchIngest({QString(), postgres}, {QString(), postgres}, "PostgreSQL", events, clients, reset, true);
    }
    return 0;
}
