// The operations commands through the real kaodian-server binary over real
// TLS, once per store (KAODIAN_TEST_STORE); the steps build on each other.
// Embedded: `backup` while a kiosk uploads to the serving binary, `restore`
// into a new folder, the restored binary serving with the same certificate,
// password and kiosk credential and holding a whole prefix of the uploads;
// the refusals as an operator meets them (exit code and message).
// PostgreSQL: `backup` points at pg_dump; pg_dump and pg_restore of the
// served database, and a server over the restored one answering as the
// first did and taking uploads. Both: `metrics-token` and GET
// /api/v1/metrics (valid text, 401/403, the numbers move, a replaced token
// refused, the token audited); with PostgreSQL, two servers over one
// database giving the same store gauges.

#include "exposition.h"
#include "serverchild.h"
#include "testpg.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <csignal>
#include <memory>
#include <thread>

using namespace kaodian::testing;

namespace {

const QString kSite = QStringLiteral("实训楼考点");
const QByteArray kAdminPassword = "ops-Admin-Passw0rd";
const QByteArray kViewerPassword = "ops-Viewer-Passw0rd";
constexpr int kCandidates = 120;
constexpr int kBatch = 3; // check-ins a batch

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size()
        && f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

QStringList entries(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
}

// The newest PostgreSQL client tool of that name, as pgcluster.sh finds the server.
QString pgTool(const QString &name)
{
    QStringList versions
        = QDir(QStringLiteral("/usr/lib/postgresql")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(versions.begin(), versions.end(),
        [](const QString &a, const QString &b) { return a.toInt() < b.toInt(); });
    return versions.isEmpty() ? name
                              : QStringLiteral("/usr/lib/postgresql/%1/bin/%2").arg(versions.last(), name);
}

int upload(quint16 port, const QByteArray &credential, const QJsonArray &events, QByteArray *body = nullptr)
{
    const auto reply = call(port, "POST", "/api/v1/kiosk/events",
        "Authorization: Bearer " + credential + "\r\nContent-Type: application/json\r\n",
        jsonBytes({{"events", events}}));
    if (body)
        *body = reply ? reply->body : QByteArray();
    return reply ? reply->status : 0;
}

std::optional<Reply> scrape(quint16 port, const QByteArray &authorization)
{
    return call(port, "GET", "/api/v1/metrics",
        authorization.isEmpty() ? QByteArray() : "Authorization: " + authorization + "\r\n");
}

} // namespace

class OpsCommandsTest : public QObject
{
    Q_OBJECT

    bool m_postgres = false;
    std::unique_ptr<TestPgDatabase> m_pg;
    std::unique_ptr<TestPgDatabase> m_restoredPg;
    QTemporaryDir m_tmp;
    QString m_data;
    QByteArray m_fingerprint;
    QByteArray m_kioskCredential;
    QList<std::pair<qint64, qint64>> m_registrations; // (session, registration), the roster in order
    qint64 m_nextEventId = 1;
    QString m_backup; // embedded: the backup taken during the uploads
    QString m_keyCopy; // embedded: server.key, kept apart
    QString m_restored; // embedded: the folder it was restored into

    QString path(const QString &name) const { return QDir(m_tmp.path()).filePath(name); }

    // Check-ins of the next n registrations (wrapping round with new event ids).
    QJsonArray checkIns(int n)
    {
        QJsonArray events;
        for (int i = 0; i < n; ++i) {
            const qint64 id = m_nextEventId++;
            const auto &[session, registration] = m_registrations[(id - 1) % m_registrations.size()];
            events.append(QJsonObject {{"event_id", id}, {"kind", "check_in"}, {"session_id", session},
                {"registration_id", registration}, {"device_time", "2026-06-01T08:41:07.123Z"},
                {"method", "scan"}});
        }
        return events;
    }

    // Registrations checked in, as the server on port says.
    static QSet<qint64> checkedIn(quint16 port, const Login &admin, const QList<qint64> &sessions)
    {
        QSet<qint64> held;
        for (qint64 session : sessions)
            for (const auto &entry :
                jsonObject(call(port, "GET", "/api/v1/sessions/" + QByteArray::number(session), admin.read()))
                    .value("roster")
                    .toArray())
                if (entry.toObject().value("attendance").toString() == QLatin1String("checked_in"))
                    held.insert(entry.toObject().value("registration_id").toInteger());
        return held;
    }

    static QList<qint64> sessionIds(const QJsonObject &statistics)
    {
        QList<qint64> ids;
        for (const auto &s : statistics.value("sessions").toArray())
            ids.append(s.toObject().value("id").toInteger());
        return ids;
    }

    std::optional<Login> admin(quint16 port)
    {
        QByteArray why;
        auto login = logIn(port, QStringLiteral("admin"), QString::fromUtf8(kAdminPassword), &why);
        if (!login)
            qWarning() << "admin login:" << why;
        return login;
    }

    // A new metrics token from the command; empty on failure.
    QByteArray newMetricsToken(QByteArray *output)
    {
        const auto r = runServerCommand({QStringLiteral("metrics-token"), QStringLiteral("--data"), m_data});
        *output = r.describe();
        const auto match = QRegularExpression(
            QStringLiteral(R"(shown once; only its hash is kept\): (kdm_[A-Za-z0-9_-]{40,})\n)"))
                               .match(QString::fromUtf8(r.out));
        return r.exitCode == 0 && match.hasMatch() ? match.captured(1).toLatin1() : QByteArray();
    }

private Q_SLOTS:
    void initTestCase()
    {
        std::signal(SIGPIPE, SIG_IGN); // OpenSSL's socket BIO writes with write(2)
        QVERIFY2(QFile::exists(serverBinary()), qPrintable(serverBinary()));
        QVERIFY(m_tmp.isValid());
        m_postgres = qgetenv("KAODIAN_TEST_STORE") == "postgres";
        m_data = path(QStringLiteral("data"));
        QStringList args {QStringLiteral("init"), QStringLiteral("--data"), m_data};
        if (m_postgres) {
            m_pg = std::make_unique<TestPgDatabase>();
            QVERIFY2(m_pg->ok(), qPrintable(m_pg->error()));
            args << QStringLiteral("--postgres") << m_pg->url();
        }
        QProcessEnvironment env = serverChildEnvironment();
        env.insert(QStringLiteral("KAODIAN_ADMIN_PASSWORD"), QString::fromUtf8(kAdminPassword));
        auto r = runServerCommand(args, env);
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        const auto fingerprint = QRegularExpression(QStringLiteral("TLS certificate SHA-256: ([0-9a-f]{64})"))
                                     .match(QString::fromUtf8(r.out));
        QVERIFY(fingerprint.hasMatch());
        m_fingerprint = fingerprint.captured(1).toLatin1();

        const QString roster = path(QStringLiteral("roster.csv"));
        r = runServerCommand({QStringLiteral("sample-roster"), QStringLiteral("--out"), roster,
            QStringLiteral("--candidates"), QString::number(kCandidates)});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        r = runServerCommand({QStringLiteral("import"), QStringLiteral("--data"), m_data, roster});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        r = runServerCommand({QStringLiteral("kiosk"), QStringLiteral("enrol"), QStringLiteral("--data"),
            m_data, QStringLiteral("--site"), kSite, QStringLiteral("--room"), QStringLiteral("01"),
            QStringLiteral("--name"), QStringLiteral("门口")});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        const auto credential = QRegularExpression(QStringLiteral(R"(credential \(shown once\): (K\S+))"))
                                    .match(QString::fromUtf8(r.out));
        QVERIFY(credential.hasMatch());
        m_kioskCredential = credential.captured(1).toLatin1();

        // The roster's registrations, and a college viewer, through a server.
        ServerProcess server;
        QVERIFY2(server.start(m_data), server.error().constData());
        const auto office = admin(server.port());
        QVERIFY(office);
        const QJsonObject statistics
            = jsonObject(call(server.port(), "GET", "/api/v1/statistics", office->read()));
        for (qint64 session : sessionIds(statistics))
            for (const auto &entry :
                jsonObject(call(server.port(), "GET", "/api/v1/sessions/" + QByteArray::number(session),
                               office->read()))
                    .value("roster")
                    .toArray())
                m_registrations.append({session, entry.toObject().value("registration_id").toInteger()});
        QCOMPARE(m_registrations.size(), qsizetype(kCandidates));
        const qint64 college = statistics.value("sessions")
                                   .toArray()
                                   .first()
                                   .toObject()
                                   .value("college")
                                   .toObject()
                                   .value("id")
                                   .toInteger();
        const auto viewer = call(server.port(), "POST", "/api/v1/users", office->change(),
            jsonBytes({{"username", "viewer"}, {"password", QString::fromUtf8(kViewerPassword)},
                {"role", "college"}, {"college_id", college}}));
        QVERIFY2(viewer && viewer->status == 201, describe(viewer).constData());
    }

    // backup while a kiosk uploads; restore; the restored binary serves the same server.
    void backupWhileAKioskUploads()
    {
        if (m_postgres)
            QSKIP("a PostgreSQL folder is backed up with pg_dump (postgresDumpAndRestore)");
        ServerProcess a;
        QVERIFY2(a.start(m_data), a.error().constData());
        const auto office = admin(a.port());
        QVERIFY(office);
        QList<QJsonArray> batches;
        for (int i = 0; i < kCandidates / kBatch; ++i)
            batches.append(checkIns(kBatch));

        std::atomic<int> acknowledged {0};
        std::atomic<bool> failed {false};
        QByteArray failure;
        std::thread kiosk([&] {
            for (const QJsonArray &batch : batches) {
                QByteArray body;
                if (upload(a.port(), m_kioskCredential, batch, &body) != 200) {
                    failure = body;
                    failed = true;
                    return;
                }
                acknowledged.fetch_add(1);
                std::this_thread::sleep_for(std::chrono::milliseconds(15));
            }
        });
        QElapsedTimer waited;
        waited.start();
        while (acknowledged.load() < 3 && !failed.load() && waited.elapsed() < 60000)
            QThread::msleep(2);
        m_backup = path(QStringLiteral("during.kdbackup"));
        const int before = acknowledged.load();
        const auto backup = runServerCommand(
            {QStringLiteral("backup"), QStringLiteral("--data"), m_data, QStringLiteral("--out"), m_backup});
        const int after = acknowledged.load();
        kiosk.join();
        QVERIFY2(!failed.load(), failure.constData());
        QVERIFY2(backup.exitCode == 0, backup.describe().constData());
        QVERIFY2(backup.out.contains("carried: ticket-signing.pem, tls-cert.pem, tls-key.pem"),
            backup.out.constData());
        QVERIFY2(backup.out.contains("server.key"), backup.out.constData()); // says the key is needed apart
        QVERIFY2(before >= 3 && after < batches.size(),
            qPrintable(QStringLiteral("%1 and %2 of %3 batches").arg(before).arg(after).arg(batches.size())));
        const QJsonObject statisticsA
            = jsonObject(call(a.port(), "GET", "/api/v1/statistics", office->read()));
        QVERIFY(!statisticsA.isEmpty());

        // Restored into a new folder with a copy of the key.
        m_keyCopy = path(QStringLiteral("server.key.copy"));
        QVERIFY(QFile::copy(QDir(m_data).filePath(QStringLiteral("server.key")), m_keyCopy));
        m_restored = path(QStringLiteral("restored"));
        const auto restore = runServerCommand({QStringLiteral("restore"), QStringLiteral("--data"),
            m_restored, QStringLiteral("--key"), m_keyCopy, m_backup});
        QVERIFY2(restore.exitCode == 0, restore.describe().constData());
        QVERIFY2(restore.out.contains("restored the backup"), restore.out.constData());

        ServerProcess r;
        QVERIFY2(r.start(m_restored), r.error().constData());
        QCOMPARE(r.announcedFingerprint(), m_fingerprint); // kiosks' pinned certificate
        const auto restoredOffice = admin(r.port()); // the same password
        QVERIFY(restoredOffice);

        // A whole prefix of the batches, between what was acknowledged as the backup began and ended.
        const QSet<qint64> held = checkedIn(r.port(), *restoredOffice, sessionIds(statisticsA));
        int prefix = 0;
        QSet<qint64> expected;
        for (; prefix < batches.size(); ++prefix) {
            bool whole = true;
            for (const auto &e : batches[prefix])
                whole = whole && held.contains(e.toObject().value("registration_id").toInteger());
            if (!whole)
                break;
            for (const auto &e : batches[prefix])
                expected.insert(e.toObject().value("registration_id").toInteger());
        }
        qInfo("the restored server holds %d of %lld batches; %d were acknowledged as the backup began, %d as "
              "it ended",
            prefix, static_cast<long long>(batches.size()), before, after);
        QCOMPARE(held, expected);
        QVERIFY2(prefix >= before && prefix <= after,
            qPrintable(QStringLiteral("%1 batches held; %2 acknowledged as the backup began, %3 as it ended")
                           .arg(prefix)
                           .arg(before)
                           .arg(after)));

        // The same kiosk credential: what the restored server holds is recognised, the rest stored.
        int stored = 0, duplicates = 0;
        for (const QJsonArray &batch : batches) {
            QByteArray body;
            QCOMPARE(upload(r.port(), m_kioskCredential, batch, &body), 200);
            const QJsonObject o = QJsonDocument::fromJson(body).object();
            stored += o.value("stored").toInt();
            duplicates += o.value("duplicates").toInt();
        }
        QCOMPARE(duplicates, prefix * kBatch);
        QCOMPARE(stored, int(batches.size() - prefix) * kBatch);
        // And it answers as the original.
        const auto statisticsR = call(r.port(), "GET", "/api/v1/statistics", restoredOffice->read());
        QVERIFY2(statisticsR && statisticsR->status == 200, describe(statisticsR).constData());
        QCOMPARE(jsonObject(statisticsR), statisticsA);
        QCOMPARE(r.terminate(), 0);
        QCOMPARE(a.terminate(), 0);
    }

    // What an operator sees when a restore cannot go ahead.
    void restoreRefusals()
    {
        if (m_postgres)
            QSKIP("a PostgreSQL folder is backed up with pg_dump (postgresDumpAndRestore)");
        QVERIFY2(!m_backup.isEmpty() && !m_restored.isEmpty(), "needs the test before");
        const auto restore = [](const QStringList &args) {
            return runServerCommand(QStringList {QStringLiteral("restore")} + args);
        };

        // Over a folder in use: refused, nothing touched; with --force, moved aside.
        const QStringList inRestored = entries(m_restored);
        auto r
            = restore({QStringLiteral("--data"), m_restored, QStringLiteral("--key"), m_keyCopy, m_backup});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("不是空的").toUtf8()) && r.err.contains("--force"),
            r.describe().constData());
        QCOMPARE(entries(m_restored), inRestored);
        r = restore({QStringLiteral("--data"), m_restored, QStringLiteral("--force"),
            m_backup}); // its own server.key
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QVERIFY2(r.out.contains("earlier files are in"), r.out.constData());
        QVERIFY(entries(m_restored).contains(QStringLiteral("server.db")));

        // A truncated copy, another server's key, no key at all: refused, the folder left empty.
        const QByteArray bytes = readFile(m_backup);
        const QString truncated = path(QStringLiteral("truncated.kdbackup"));
        QVERIFY(writeFile(truncated, bytes.left(bytes.size() - 10000)));
        QProcessEnvironment env = serverChildEnvironment();
        env.insert(QStringLiteral("KAODIAN_ADMIN_PASSWORD"), QStringLiteral("another-Passw0rd-x"));
        const QString other = path(QStringLiteral("other"));
        QVERIFY(
            runServerCommand({QStringLiteral("init"), QStringLiteral("--data"), other}, env).exitCode == 0);
        struct Case
        {
            QStringList args;
            const char *says;
        };
        const QList<Case> cases = {
            {{QStringLiteral("--key"), m_keyCopy, truncated}, "截断"},
            {{QStringLiteral("--key"), QDir(other).filePath(QStringLiteral("server.key")), m_backup},
                "不是这份备份的密钥"},
            {{m_backup}, "--key FILE is required"},
        };
        int n = 0;
        for (const Case &c : cases) {
            const QString target = path(QStringLiteral("refused-%1").arg(++n));
            r = restore(QStringList {QStringLiteral("--data"), target} + c.args);
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains(QByteArray(c.says)) || r.err.contains(QString::fromUtf8(c.says).toUtf8()),
                r.describe().constData());
            QVERIFY2(entries(target).isEmpty(), qPrintable(target));
        }
        // A backup never replaces a file.
        const auto again = runServerCommand(
            {QStringLiteral("backup"), QStringLiteral("--data"), m_data, QStringLiteral("--out"), m_backup});
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.err.contains(QStringLiteral("已存在").toUtf8()), again.describe().constData());
        QCOMPARE(readFile(m_backup), bytes);
    }

    // PostgreSQL: pg_dump of the served database, pg_restore, a server over the copy.
    void postgresDumpAndRestore()
    {
        if (!m_postgres)
            QSKIP("PostgreSQL's own tools");
        const auto refused = runServerCommand({QStringLiteral("backup"), QStringLiteral("--data"), m_data,
            QStringLiteral("--out"), path(QStringLiteral("never"))});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("pg_dump"), refused.describe().constData());
        QVERIFY(!QFile::exists(path(QStringLiteral("never"))));

        ServerProcess a;
        QVERIFY2(a.start(m_data), a.error().constData());
        const auto office = admin(a.port());
        QVERIFY(office);
        for (int i = 0; i < 5; ++i)
            QCOMPARE(upload(a.port(), m_kioskCredential, checkIns(kBatch)), 200);

        const QString dump = path(QStringLiteral("kaodian.pgdump"));
        QProcess pgDump;
        pgDump.start(pgTool(QStringLiteral("pg_dump")),
            {QStringLiteral("--format=custom"), QStringLiteral("--file=") + dump,
                QStringLiteral("--dbname=") + m_pg->url()});
        QVERIFY(pgDump.waitForFinished(120000));
        QVERIFY2(pgDump.exitCode() == 0, pgDump.readAllStandardError().constData());
        m_restoredPg = std::make_unique<TestPgDatabase>();
        QVERIFY2(m_restoredPg->ok(), qPrintable(m_restoredPg->error()));
        QProcess pgRestore;
        pgRestore.start(pgTool(QStringLiteral("pg_restore")),
            {QStringLiteral("--no-owner"), QStringLiteral("--no-privileges"),
                QStringLiteral("--exit-on-error"), QStringLiteral("--dbname=") + m_restoredPg->url(), dump});
        QVERIFY(pgRestore.waitForFinished(120000));
        QVERIFY2(pgRestore.exitCode() == 0, pgRestore.readAllStandardError().constData());

        // The data folder's files copied, server.json naming the restored database.
        const QString copy = path(QStringLiteral("pg-restored"));
        QVERIFY(QDir().mkpath(copy));
        for (const char *name : {"ticket-signing.pem", "tls-cert.pem", "tls-key.pem"})
            QVERIFY(QFile::copy(QDir(m_data).filePath(QString::fromLatin1(name)),
                QDir(copy).filePath(QString::fromLatin1(name))));
        QVERIFY(writeFile(QDir(copy).filePath(QStringLiteral("server.json")),
            QJsonDocument(QJsonObject {{"postgres_url", m_restoredPg->url()}}).toJson()));

        ServerProcess b;
        QVERIFY2(b.start(copy), b.error().constData());
        QCOMPARE(b.announcedFingerprint(), m_fingerprint);
        const auto restoredOffice = admin(b.port());
        QVERIFY(restoredOffice);
        for (const char *target : {"/api/v1/statistics", "/api/v1/kiosks", "/api/v1/sites"}) {
            const auto mine = call(a.port(), "GET", target, office->read());
            const auto theirs = call(b.port(), "GET", target, restoredOffice->read());
            QVERIFY2(mine && theirs && mine->status == 200, target);
            QCOMPARE(theirs->body, mine->body);
        }
        // Its identity sequences came back: new rows go in, on the copy only.
        QCOMPARE(upload(b.port(), m_kioskCredential, checkIns(kBatch)), 200);
        const auto users = call(b.port(), "POST", "/api/v1/users", restoredOffice->change(),
            jsonBytes({{"username", "after-restore"}, {"password", "after-Restore-1"}, {"role", "admin"}}));
        QVERIFY2(users && users->status == 201, describe(users).constData());
        QVERIFY(call(a.port(), "GET", "/api/v1/statistics", office->read())->body
            != call(b.port(), "GET", "/api/v1/statistics", restoredOffice->read())->body);
    }

    // metrics-token, and GET /api/v1/metrics over TLS.
    void metricsOverTls()
    {
        ServerProcess a;
        QVERIFY2(a.start(m_data), a.error().constData());
        QByteArray output;
        const QByteArray token = newMetricsToken(&output);
        QVERIFY2(!token.isEmpty(), output.constData());
        const QByteArray bearer = "Bearer " + token;

        auto reply = scrape(a.port(), bearer);
        QVERIFY2(reply && reply->status == 200, describe(reply).constData());
        QCOMPARE(
            reply->headers.value("content-type"), QByteArray("text/plain; version=0.0.4; charset=utf-8"));
        const Exposition before = parseExposition(reply->body);
        QVERIFY2(before.error.isEmpty(), qPrintable(before.error));

        // Who may read it.
        reply = scrape(a.port(), {});
        QVERIFY2(reply && reply->status == 401, describe(reply).constData());
        reply = scrape(a.port(), "Bearer kdm_" + QByteArray(43, 'A'));
        QVERIFY2(reply && reply->status == 401, describe(reply).constData());
        reply = scrape(a.port(), "Bearer " + m_kioskCredential);
        QVERIFY2(reply && reply->status == 401, describe(reply).constData());
        QByteArray why;
        const auto viewer
            = logIn(a.port(), QStringLiteral("viewer"), QString::fromUtf8(kViewerPassword), &why);
        QVERIFY2(viewer, why.constData());
        reply = call(a.port(), "GET", "/api/v1/metrics", viewer->read());
        QVERIFY2(reply && reply->status == 403, describe(reply).constData());
        const auto office = admin(a.port());
        QVERIFY(office);
        reply = call(a.port(), "GET", "/api/v1/metrics", office->read());
        QVERIFY2(reply && reply->status == 200, describe(reply).constData());
        reply = call(a.port(), "GET", "/api/v1/statistics", "Authorization: " + bearer + "\r\n");
        QVERIFY2(reply && reply->status == 401, describe(reply).constData()); // the token opens nothing else

        // An upload moves the counters and the store's gauges.
        QCOMPARE(upload(a.port(), m_kioskCredential, checkIns(kBatch)), 200);
        reply = scrape(a.port(), bearer);
        QVERIFY2(reply && reply->status == 200, describe(reply).constData());
        const Exposition after = parseExposition(reply->body);
        QVERIFY2(after.error.isEmpty(), qPrintable(after.error));
        const auto stored = [](const Exposition &e) {
            return e.value("kaodian_events_ingested_total", {{"result", "stored"}}).value_or(-1);
        };
        QCOMPARE(stored(after) - stored(before), double(kBatch));
        const QMap<QString, QString> uploads
            = {{"method", "POST"}, {"route", "/api/v1/kiosk/events"}, {"status", "200"}};
        QCOMPARE(after.value("kaodian_http_requests_total", uploads).value_or(0)
                - before.value("kaodian_http_requests_total", uploads).value_or(0),
            1.0);
        QCOMPARE(after
                     .value("kaodian_http_requests_total",
                         {{"method", "GET"}, {"route", "/api/v1/metrics"}, {"status", "403"}})
                     .value_or(0),
            1.0);
        QVERIFY(after.value("kaodian_events_stored").value_or(-1)
            > before.value("kaodian_events_stored").value_or(-1));
        QCOMPARE(after.all("kaodian_kiosk_last_seen_age_seconds").size(), qsizetype(1));
        QVERIFY(
            after.value("kaodian_store_query_duration_seconds_count", {{"operation", "commit"}}).value_or(0)
            > before.value("kaodian_store_query_duration_seconds_count", {{"operation", "commit"}})
                  .value_or(0));

        // Another serve process over the same store: its own counters, the same gauges.
        if (m_postgres) {
            ServerProcess b;
            QVERIFY2(b.start(m_data), b.error().constData());
            const auto theirs = scrape(b.port(), bearer);
            QVERIFY2(theirs && theirs->status == 200, describe(theirs).constData());
            const Exposition other = parseExposition(theirs->body);
            QVERIFY2(other.error.isEmpty(), qPrintable(other.error));
            const auto mine = parseExposition(scrape(a.port(), bearer)->body);
            for (const char *gauge : {"kaodian_events_stored", "kaodian_kiosks_never_seen"})
                QCOMPARE(other.value(gauge).value_or(-1), mine.value(gauge).value_or(-2));
            QCOMPARE(other.all("kaodian_kiosk_events_stored").first().value,
                mine.all("kaodian_kiosk_events_stored").first().value);
            QVERIFY(!other.value("kaodian_http_requests_total", uploads)); // b answered no upload
        }

        // Again: a new token; the old one stops at once; both audited.
        const QByteArray second = newMetricsToken(&output);
        QVERIFY2(!second.isEmpty() && second != token, output.constData());
        QVERIFY2(output.contains("replaces the earlier token"), output.constData());
        reply = scrape(a.port(), bearer);
        QVERIFY2(reply && reply->status == 401, describe(reply).constData());
        reply = scrape(a.port(), "Bearer " + second);
        QVERIFY2(reply && reply->status == 200, describe(reply).constData());
        int audited = 0;
        for (const auto &e : jsonObject(call(a.port(), "GET", "/api/v1/audit?limit=500", office->read()))
                                 .value("entries")
                                 .toArray())
            audited += e.toObject().value("action").toString() == QLatin1String("metrics.token")
                && e.toObject().value("actor").toString() == QLatin1String("cli");
        QCOMPARE(audited, 2);
        QCOMPARE(a.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(OpsCommandsTest)
#include "tst_opscommands.moc"
