// The real kaodian-server binary end to end, over real TLS on 127.0.0.1:
// init, a sample roster imported (and a broken one refused whole), a kiosk
// enrolled, `serve` with certificate pinning, login, statistics, kiosk
// uploads, CSRF and college scope, SIGTERM, the exports; with PostgreSQL,
// two servers over one database answering as one; and a server killed with
// SIGKILL mid-upload, then restarted. Runs once per store
// (KAODIAN_TEST_STORE); the steps build on each other, in order.
// Every wait is bounded; a server child is killed when the test function
// that started it ends, pass or fail, and every child dies with the test
// process (PR_SET_PDEATHSIG).

#include "serverchild.h"
#include "testpg.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <sys/prctl.h>
#include <sys/stat.h>

#include <csignal>
#include <future>
#include <memory>
#include <optional>

using namespace kaodian::testing;

namespace {

constexpr int kRequestMs = kServerRequestMs;
constexpr int kStopMs = 5000; // SIGTERM to exit

const QString kServerBinary = serverBinary();
const QString kSite = QStringLiteral("实训楼考点");
const QByteArray kAdminPassword = "e2e-Admin-Passw0rd";
const QByteArray kViewerPassword = "e2e-Viewer-Passw0rd";
constexpr int kCandidates = 120;
constexpr int kSessions = 6; // the sample roster: six pilots, one session each

// A kiosk event as the API takes it.
QJsonObject checkIn(qint64 eventId, qint64 session, qint64 registration, bool late = false)
{
    return {{"event_id", eventId}, {"kind", "check_in"}, {"session_id", session},
        {"registration_id", registration}, {"device_time", "2026-06-01T08:41:07.123Z"}, {"late", late},
        {"method", "scan"}};
}

QJsonObject markAbsent(qint64 eventId, qint64 session, qint64 registration)
{
    return {{"event_id", eventId}, {"kind", "mark_absent"}, {"session_id", session},
        {"registration_id", registration}, {"device_time", "2026-06-01T09:30:00.000Z"}};
}

QJsonObject result(qint64 eventId, qint64 session, qint64 registration, bool pass)
{
    return {{"event_id", eventId}, {"kind", "result"}, {"session_id", session},
        {"registration_id", registration}, {"device_time", "2026-06-01T11:30:00.000Z"},
        {"outcome", pass ? "pass" : "fail"}, {"score", pass ? 86 : 41}};
}

QJsonObject sessionById(const QJsonObject &statistics, qint64 id)
{
    for (const auto &s : statistics.value("sessions").toArray())
        if (s.toObject().value("id").toInteger() == id)
            return s.toObject();
    return {};
}

// What an upload answered; status 0 if nothing came back.
struct UploadOutcome
{
    int status = 0;
    qint64 stored = -1;
    qint64 duplicates = -1;
    qint64 highWaterMark = -1;
    QByteArray body;
};

UploadOutcome upload(quint16 port, const QByteArray &credential, const QJsonArray &events)
{
    const auto reply = call(port, "POST", "/api/v1/kiosk/events",
        "Authorization: Bearer " + credential + "\r\nContent-Type: application/json\r\n",
        jsonBytes({{"events", events}}));
    UploadOutcome o;
    if (!reply)
        return o;
    o.status = reply->status;
    o.body = reply->body;
    const QJsonObject body = jsonObject(reply);
    o.stored = body.value("stored").toInteger(-1);
    o.duplicates = body.value("duplicates").toInteger(-1);
    o.highWaterMark = body.value("high_water_mark").toInteger(-1);
    return o;
}

mode_t fileMode(const QString &path)
{
    struct stat st
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return 0;
    return st.st_mode & 07777;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

// Names, sizes, modes and contents of the files in a folder.
QMap<QString, QByteArray> snapshot(const QString &dir)
{
    QMap<QString, QByteArray> files;
    for (const QFileInfo &info : QDir(dir).entryInfoList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot))
        files.insert(info.fileName(),
            QByteArray::number(fileMode(info.filePath()), 8) + ' ' + readFile(info.filePath()));
    return files;
}

} // namespace

class ServerProcessTest : public QObject
{
    Q_OBJECT

private:
    bool m_postgres = false;
    std::unique_ptr<TestPgDatabase> m_pg;
    QTemporaryDir m_tmp;
    QString m_data; // the server's data folder
    QString m_roster; // the sample roster file
    QByteArray m_fingerprint; // as `init` printed it
    QByteArray m_kioskCredential;
    QString m_kioskId;
    QJsonObject m_statisticsAtStop; // the API's answer just before SIGTERM

    // From the data folder: the state that the tests before built.
    qint64 m_sessionS = 0; // checked in: the first 15 of its roster
    qint64 m_collegeS = 0;
    qint64 m_otherCollegeSession = 0;
    qint64 m_nextEventId = 1;

    QString path(const QString &name) const { return QDir(m_tmp.path()).filePath(name); }

    // Statistics from `stats --format json`, parsed; empty if the command failed.
    QJsonObject cliStatistics(QByteArray *why)
    {
        const auto r = runServerCommand({QStringLiteral("stats"), QStringLiteral("--data"), m_data});
        QJsonParseError error {};
        const auto doc = QJsonDocument::fromJson(r.out, &error);
        if (r.exitCode != 0 || error.error != QJsonParseError::NoError || !doc.isObject()) {
            *why = r.describe();
            return {};
        }
        return doc.object();
    }

    static qint64 registeredTotal(const QJsonObject &statistics)
    {
        qint64 total = 0;
        for (const auto &s : statistics.value("sessions").toArray())
            total += s.toObject().value("registered").toInteger();
        return total;
    }

    // The registration ids of a session's roster, in roster order.
    static QList<qint64> registrations(quint16 port, const Login &login, qint64 session, QByteArray *why)
    {
        const auto reply = call(port, "GET", "/api/v1/sessions/" + QByteArray::number(session), login.read());
        QList<qint64> ids;
        if (!reply || reply->status != 200) {
            *why = describe(reply);
            return ids;
        }
        for (const auto &entry : jsonObject(reply).value("roster").toArray())
            ids.append(entry.toObject().value("registration_id").toInteger());
        return ids;
    }

    // For a failure message: the registrations of a session whose derived
    // state (attendance, outcome) is not what their uploaded events say.
    static QString disagreements(
        quint16 port, const Login &login, qint64 session, const QHash<qint64, QString> &uploaded)
    {
        const auto reply = call(port, "GET", "/api/v1/sessions/" + QByteArray::number(session), login.read());
        QStringList wrong;
        for (const auto &entry : jsonObject(reply).value("roster").toArray()) {
            const QJsonObject e = entry.toObject();
            const qint64 id = e.value("registration_id").toInteger();
            const QString held = e.value("attendance").toString() + QLatin1Char('/')
                + (e.value("outcome").isNull() ? QStringLiteral("-") : e.value("outcome").toString());
            const QString want = uploaded.value(id, QStringLiteral("not_checked_in/-"));
            if (held != want)
                wrong
                    << QStringLiteral("registration %1 is %2 but its events say %3").arg(id).arg(held, want);
        }
        return wrong.isEmpty() ? QStringLiteral("every registration as uploaded")
                               : wrong.join(QStringLiteral("; "));
    }

    // The statistics from the server on `port`, checked against a second
    // server over the same store (byte for byte) or, with none, against
    // `stats` on the command line (as JSON); empty on failure.
    QJsonObject agreedStatistics(quint16 port, ServerProcess *other, const Login &admin)
    {
        const auto mine = call(port, "GET", "/api/v1/statistics", admin.read());
        [&] { QVERIFY2(mine && mine->status == 200, describe(mine).constData()); }();
        if (QTest::currentTestFailed())
            return {};
        if (other) {
            const auto theirs = call(other->port(), "GET", "/api/v1/statistics", admin.read());
            [&] {
                QVERIFY2(theirs && theirs->status == 200, describe(theirs).constData());
                QCOMPARE(mine->body, theirs->body);
            }();
        } else {
            QByteArray why;
            const QJsonObject cli = cliStatistics(&why);
            [&] {
                QVERIFY2(!cli.isEmpty(), why.constData());
                QCOMPARE(jsonObject(mine), cli);
            }();
        }
        return QTest::currentTestFailed() ? QJsonObject() : jsonObject(mine);
    }

    // Results for S in batches of two to A, SIGKILL with one batch in
    // flight, A restarted on the same port: the same answers as before
    // (and as B); the kiosk's retry completes everything exactly once.
    void killMidUploadAndRestart(ServerProcess &a, ServerProcess *b, const Login &admin)
    {
        QByteArray why;
        const QList<qint64> regsS = registrations(a.port(), admin, m_sessionS, &why);
        QVERIFY2(regsS.size() >= 15, why.constData());
        QList<QJsonArray> batches;
        for (int i = 0; i < 15; i += 2) {
            QJsonArray batch;
            for (int j = i; j < std::min(15, i + 2); ++j)
                batch.append(result(m_nextEventId++, m_sessionS, regsS[j], j < 10));
            batches.append(batch);
        }
        const int acknowledgedBeforeKill = 3;
        for (int i = 0; i < acknowledgedBeforeKill; ++i) {
            const auto o = upload(a.port(), m_kioskCredential, batches[i]);
            QVERIFY2(o.status == 200 && o.stored == batches[i].size(), o.body.constData());
        }
        {
            TlsClient inFlight(a.port());
            QVERIFY(inFlight.handshake());
            const QByteArray body = jsonBytes({{"events", batches[acknowledgedBeforeKill]}});
            QVERIFY(inFlight.send(
                "POST /api/v1/kiosk/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + m_kioskCredential + "\r\nContent-Type: application/json\r\nContent-Length: "
                + QByteArray::number(body.size()) + "\r\n\r\n" + body));
            a.kill();
            QVERIFY(!a.running());
        }
        if (b) {
            const auto whileDown = call(b->port(), "GET", "/api/v1/statistics", admin.read());
            QVERIFY2(whileDown && whileDown->status == 200, describe(whileDown).constData()); // B carries on
        }

        const quint16 oldPort = a.port();
        QVERIFY2(a.start(m_data, oldPort), a.error().constData()); // the same address again
        QCOMPARE(a.port(), oldPort);
        { // the same certificate, and the login outlived the process
            TlsClient client(a.port());
            QVERIFY(client.handshake());
            QCOMPARE(client.peerCertificateSha256(), m_fingerprint);
        }
        QJsonObject statistics = agreedStatistics(a.port(), b, admin);
        QVERIFY(!statistics.isEmpty());
        const QJsonObject afterKill = sessionById(statistics, m_sessionS);
        const int resultsHeld = afterKill.value("passed").toInt() + afterKill.value("failed").toInt();
        QVERIFY2(resultsHeld == 2 * acknowledgedBeforeKill || resultsHeld == 2 * (acknowledgedBeforeKill + 1),
            qPrintable(QStringLiteral("%1 results held after the kill").arg(resultsHeld)));

        // The kiosk retries everything it has no acknowledgement for: each batch is whole or absent.
        for (int i = acknowledgedBeforeKill; i < batches.size(); ++i) {
            const auto o = upload(a.port(), m_kioskCredential, batches[i]);
            QVERIFY2(o.status == 200, o.body.constData());
            QVERIFY2((o.stored == batches[i].size() && o.duplicates == 0)
                    || (o.stored == 0 && o.duplicates == batches[i].size()),
                o.body.constData());
            QCOMPARE(o.stored == 0,
                i == acknowledgedBeforeKill && resultsHeld == 2 * (acknowledgedBeforeKill + 1));
        }
        statistics = agreedStatistics(a.port(), b, admin);
        QVERIFY(!statistics.isEmpty());
        const QJsonObject s = sessionById(statistics, m_sessionS);
        QCOMPARE(s.value("sat").toInt(), 15);
        QCOMPARE(s.value("passed").toInt(), 10);
        QCOMPARE(s.value("failed").toInt(), 5);
        QCOMPARE(s.value("pending").toInt(), 0);
    }

private Q_SLOTS:
    void initTestCase()
    {
        std::signal(SIGPIPE, SIG_IGN); // OpenSSL's socket BIO writes with write(2)
        QVERIFY2(QFile::exists(kServerBinary), qPrintable(kServerBinary));
        QVERIFY(m_tmp.isValid());
        m_data = path(QStringLiteral("data"));
        m_roster = path(QStringLiteral("roster.csv"));
        const QByteArray store = qgetenv("KAODIAN_TEST_STORE");
        m_postgres = store == "postgres";
        QVERIFY2(m_postgres || store == "embedded" || store.isEmpty(), store.constData());
        if (m_postgres) {
            m_pg = std::make_unique<TestPgDatabase>();
            QVERIFY2(m_pg->ok(), qPrintable(m_pg->error()));
        }
    }

    // init: exit 0, the fingerprint printed, files made and private; a second init changes nothing.
    void initDataFolder()
    {
        QStringList args {QStringLiteral("init"), QStringLiteral("--data"), m_data};
        if (m_postgres)
            args << QStringLiteral("--postgres") << m_pg->url();
        QProcessEnvironment env = serverChildEnvironment();
        env.insert(QStringLiteral("KAODIAN_ADMIN_PASSWORD"), QString::fromUtf8(kAdminPassword));
        const auto r = runServerCommand(args, env);
        QVERIFY2(r.finished && r.exitCode == 0, r.describe().constData());
        const auto match = QRegularExpression(QStringLiteral("TLS certificate SHA-256: ([0-9a-f]{64})\\b"))
                               .match(QString::fromUtf8(r.out));
        QVERIFY2(match.hasMatch(), r.out.constData());
        m_fingerprint = match.captured(1).toLatin1();
        QVERIFY2(!r.out.contains(kAdminPassword), "init repeated the password it was given");
        QVERIFY(!r.out.contains("admin password"));

        // The files, and the private ones readable by the owner alone.
        QStringList privateFiles {QStringLiteral("ticket-signing.pem"), QStringLiteral("tls-key.pem")};
        if (m_postgres) {
            privateFiles << QStringLiteral("server.json"); // holds the database URL
            QVERIFY(!QFile::exists(QDir(m_data).filePath(QStringLiteral("server.db"))));
            QVERIFY(readFile(QDir(m_data).filePath(QStringLiteral("server.json"))).contains("postgres_url"));
        } else {
            privateFiles << QStringLiteral("server.key");
            QVERIFY(QFileInfo(QDir(m_data).filePath(QStringLiteral("server.db"))).size() > 0);
        }
        for (const QString &name : privateFiles) {
            const QString file = QDir(m_data).filePath(name);
            QVERIFY2(QFileInfo(file).size() > 0, qPrintable(name));
            QVERIFY2(fileMode(file) == 0600,
                qPrintable(QStringLiteral("%1 has mode %2").arg(name).arg(fileMode(file), 0, 8)));
        }
        QVERIFY(readFile(QDir(m_data).filePath(QStringLiteral("tls-cert.pem")))
                    .startsWith("-----BEGIN CERTIFICATE"));
        QCOMPARE(fileMode(m_data) & 0077, mode_t(0));

        // Again: refused, and nothing changes, in the folder or in the store.
        const auto usersBefore = runServerCommand(
            {QStringLiteral("user"), QStringLiteral("list"), QStringLiteral("--data"), m_data});
        QVERIFY2(usersBefore.exitCode == 0 && usersBefore.out.contains("admin"),
            usersBefore.describe().constData());
        const auto before = snapshot(m_data);
        env.insert(QStringLiteral("KAODIAN_ADMIN_PASSWORD"), QStringLiteral("another-password-entirely"));
        const auto again = runServerCommand(args, env);
        QVERIFY2(again.finished && again.exitCode != 0, again.describe().constData());
        QVERIFY2(again.err.contains("already initialised"), again.describe().constData());
        QCOMPARE(snapshot(m_data), before);
        const auto usersAfter = runServerCommand(
            {QStringLiteral("user"), QStringLiteral("list"), QStringLiteral("--data"), m_data});
        QCOMPARE(usersAfter.out, usersBefore.out);
    }

    // sample-roster and import: counts; the same file again changes nothing; a broken file is refused whole.
    void importRoster()
    {
        auto r = runServerCommand({QStringLiteral("sample-roster"), QStringLiteral("--out"), m_roster,
            QStringLiteral("--candidates"), QString::number(kCandidates)});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QVERIFY2(r.out.contains("wrote 120 sample candidates"), r.out.constData());

        r = runServerCommand({QStringLiteral("import"), QStringLiteral("--data"), m_data, m_roster});
        QVERIFY2(r.finished && r.exitCode == 0, r.describe().constData());
        const auto counts = QRegularExpression(
            QStringLiteral(
                R"((\d+) rows; (\d+) new candidates, (\d+) new registrations, (\d+) unchanged, (\d+) new sessions)"))
                                .match(QString::fromUtf8(r.out));
        QVERIFY2(counts.hasMatch(), r.out.constData());
        QCOMPARE(counts.captured(1).toInt(), kCandidates);
        QCOMPARE(counts.captured(2).toInt(), kCandidates);
        QCOMPARE(counts.captured(3).toInt(), kCandidates);
        QCOMPARE(counts.captured(4).toInt(), 0);
        QCOMPARE(counts.captured(5).toInt(), kSessions);

        r = runServerCommand({QStringLiteral("import"), QStringLiteral("--data"), m_data, m_roster});
        QVERIFY2(r.finished && r.exitCode == 0, r.describe().constData());
        QVERIFY2(r.out.contains("imported before; nothing changed"), r.out.constData());

        QByteArray why;
        const QJsonObject before = cliStatistics(&why);
        QVERIFY2(!before.isEmpty(), why.constData());
        QCOMPARE(before.value("sessions").toArray().size(), kSessions);
        QCOMPARE(registeredTotal(before), qint64(kCandidates));

        // A longer roster (the same 120 and 30 more) with two broken rows:
        // were anything of it applied, the registered count would grow.
        const QString longer = path(QStringLiteral("longer.csv"));
        r = runServerCommand({QStringLiteral("sample-roster"), QStringLiteral("--out"), longer,
            QStringLiteral("--candidates"), QStringLiteral("150")});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QList<QByteArray> lines = readFile(longer).split('\n');
        QVERIFY(lines.size() > 150);
        const QList<QByteArray> header = lines[0].trimmed().split(',');
        const qsizetype idColumn = header.indexOf(QStringLiteral("身份证号").toUtf8());
        const qsizetype nameColumn = header.indexOf(QStringLiteral("姓名").toUtf8());
        QVERIFY(idColumn > 0 && nameColumn > 0);
        QList<QByteArray> line5 = lines[4].split(',');
        QByteArray &id = line5[idColumn];
        QCOMPARE(id.size(), 18);
        const QByteArray checkCharacters = "0123456789X";
        id[17] = checkCharacters[(checkCharacters.indexOf(id[17]) + 1) % checkCharacters.size()]; // now wrong
        lines[4] = line5.join(',');
        QList<QByteArray> line9 = lines[8].split(',');
        line9[nameColumn].clear();
        lines[8] = line9.join(',');
        const QString broken = path(QStringLiteral("broken.csv"));
        QVERIFY(writeFile(broken, lines.join('\n')));

        r = runServerCommand({QStringLiteral("import"), QStringLiteral("--data"), m_data, broken});
        QVERIFY2(r.finished && r.exitCode == 3, r.describe().constData());
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.contains(QStringLiteral("refused, nothing imported (2 problems)")), r.err.constData());
        QVERIFY2(err.contains(QStringLiteral("第 5 行「身份证号」")), r.err.constData());
        QVERIFY2(err.contains(QStringLiteral("第 9 行「姓名」")), r.err.constData());
        QVERIFY2(!r.err.contains(id), "the ID number was repeated in the message");
        QVERIFY(r.out.isEmpty());

        const QJsonObject after = cliStatistics(&why);
        QVERIFY2(!after.isEmpty(), why.constData());
        QCOMPARE(registeredTotal(after), qint64(kCandidates));
        QCOMPARE(after, before);
    }

    // kiosk enrol: the credential, once.
    void enrolKiosk()
    {
        const auto r = runServerCommand({QStringLiteral("kiosk"), QStringLiteral("enrol"),
            QStringLiteral("--data"), m_data, QStringLiteral("--site"), kSite, QStringLiteral("--room"),
            QStringLiteral("01"), QStringLiteral("--name"), QStringLiteral("门口")});
        QVERIFY2(r.finished && r.exitCode == 0, r.describe().constData());
        const auto match
            = QRegularExpression(QStringLiteral(R"(credential \(shown once\): ((K[A-Za-z0-9]+)\.(\S+)))"))
                  .match(QString::fromUtf8(r.out));
        QVERIFY2(match.hasMatch(), r.out.constData());
        m_kioskCredential = match.captured(1).toLatin1();
        m_kioskId = match.captured(2);
        QVERIFY(match.captured(3).size() >= 32);

        const auto list = runServerCommand(
            {QStringLiteral("kiosk"), QStringLiteral("list"), QStringLiteral("--data"), m_data});
        QVERIFY2(list.exitCode == 0, list.describe().constData());
        QVERIFY2(
            list.out.contains(m_kioskId.toLatin1()) && list.out.contains("active"), list.out.constData());
        QVERIFY2(!list.out.contains(match.captured(3).toLatin1()), "the secret is listed");

        // A site that does not exist is an error, not a kiosk.
        const auto nowhere = runServerCommand({QStringLiteral("kiosk"), QStringLiteral("enrol"),
            QStringLiteral("--data"), m_data, QStringLiteral("--site"), QStringLiteral("不存在考点"),
            QStringLiteral("--name"), QStringLiteral("x")});
        QVERIFY2(nowhere.finished && nowhere.exitCode != 0, nowhere.describe().constData());
    }

    // serve: pinning, login, statistics, kiosk uploads, CSRF, college scope, SIGTERM.
    void serveOverTls()
    {
        QVERIFY2(!m_kioskCredential.isEmpty(), "needs the tests before");
        ServerProcess server;
        QVERIFY2(server.start(m_data), server.error().constData());
        const quint16 port = server.port();
        QVERIFY(port != 0);

        // The certificate served is the one init printed.
        {
            TlsClient client(port);
            QVERIFY(client.handshake());
            QCOMPARE(client.peerCertificateSha256(), m_fingerprint);
            QCOMPARE(client.protocol(), QByteArray("TLSv1.3"));
            const auto health = client.request("GET", "/api/v1/health");
            QVERIFY2(health && health->status == 200, describe(health).constData());
            QCOMPARE(jsonObject(health).value("status").toString(), QStringLiteral("ok"));
            // keep-alive: a second request on the same connection
            const auto anonymous = client.request("GET", "/api/v1/statistics");
            QVERIFY2(anonymous && anonymous->status == 401, describe(anonymous).constData());
        }
        QCOMPARE(server.announcedFingerprint(), m_fingerprint);

        // A second server on the same address says so and exits.
        const auto taken = runServerCommand({QStringLiteral("serve"), QStringLiteral("--data"), m_data,
            QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(port)});
        QVERIFY2(taken.finished && taken.exitCode == 1, taken.describe().constData());
        QVERIFY2(taken.err.contains("127.0.0.1:" + QByteArray::number(port)), taken.describe().constData());

        // Login.
        auto wrong = call(port, "POST", "/api/v1/login", "Content-Type: application/json\r\n",
            R"({"username":"admin","password":"not-the-password"})");
        QVERIFY2(wrong && wrong->status == 401, describe(wrong).constData());
        QVERIFY(wrong->values("set-cookie").isEmpty());
        const auto loginReply = call(port, "POST", "/api/v1/login", "Content-Type: application/json\r\n",
            jsonBytes({{"username", "admin"}, {"password", QString::fromUtf8(kAdminPassword)}}));
        QVERIFY2(loginReply && loginReply->status == 200, describe(loginReply).constData());
        const QList<QByteArray> setCookies = loginReply->values("set-cookie");
        QCOMPARE(setCookies.size(), 1);
        for (const char *attribute : {"HttpOnly", "Secure", "SameSite=Strict", "Path=/"})
            QVERIFY2(setCookies.first().contains(attribute), setCookies.first().constData());
        QByteArray why;
        const auto admin = logIn(port, "admin", kAdminPassword, &why);
        QVERIFY2(admin, why.constData());
        QCOMPARE(admin->body.value("role").toString(), QStringLiteral("admin"));

        // Statistics: the sessions of the roster, 120 registered.
        auto stats = call(port, "GET", "/api/v1/statistics", admin->read());
        QVERIFY2(stats && stats->status == 200, describe(stats).constData());
        QJsonObject statistics = jsonObject(stats);
        const QJsonArray sessions = statistics.value("sessions").toArray();
        QCOMPARE(sessions.size(), kSessions);
        QCOMPARE(registeredTotal(statistics), qint64(kCandidates));
        for (const auto &s : sessions) {
            QCOMPARE(s.toObject().value("site").toString(), kSite);
            QCOMPARE(s.toObject().value("participation").toString(), QStringLiteral("no_published_count"));
            QCOMPARE(s.toObject().value("sat").toInt(), 0);
        }
        const QJsonObject first = sessions.first().toObject();
        m_sessionS = first.value("id").toInteger();
        m_collegeS = first.value("college").toObject().value("id").toInteger();
        for (const auto &s : sessions)
            if (s.toObject().value("college").toObject().value("id").toInteger() != m_collegeS)
                m_otherCollegeSession = s.toObject().value("id").toInteger();
        QVERIFY(m_sessionS > 0 && m_collegeS > 0 && m_otherCollegeSession > 0);

        // The roster of one session: registration ids, ID numbers masked.
        const auto sessionReply
            = call(port, "GET", "/api/v1/sessions/" + QByteArray::number(m_sessionS), admin->read());
        QVERIFY2(sessionReply && sessionReply->status == 200, describe(sessionReply).constData());
        const QJsonArray roster = jsonObject(sessionReply).value("roster").toArray();
        QCOMPARE(roster.size(), first.value("registered").toInt());
        QVERIFY(roster.size() >= 15);
        static const QRegularExpression masked(QStringLiteral(R"(^\d{4}\*{10}[\dX]{4}$)"));
        for (const auto &entry : roster)
            QVERIFY2(masked.match(entry.toObject().value("id_number").toString()).hasMatch(),
                qPrintable(entry.toObject().value("id_number").toString()));
        QVERIFY(!QRegularExpression(QStringLiteral(R"(\d{17}[\dX])"))
                     .match(QString::fromUtf8(sessionReply->body))
                     .hasMatch());

        // Kiosk uploads over TLS with the Bearer credential.
        QJsonArray batch;
        for (int i = 0; i < 15; ++i)
            batch.append(checkIn(m_nextEventId + i, m_sessionS,
                roster[i].toObject().value("registration_id").toInteger(), i == 14));
        auto outcome = upload(port, m_kioskCredential, batch);
        QVERIFY2(outcome.status == 200, outcome.body.constData());
        QCOMPARE(outcome.stored, qint64(15));
        QCOMPARE(outcome.duplicates, qint64(0));
        QCOMPARE(outcome.highWaterMark, qint64(15));
        outcome = upload(port, m_kioskCredential, batch); // a retry: nothing new
        QVERIFY2(outcome.status == 200, outcome.body.constData());
        QCOMPARE(outcome.stored, qint64(0));
        QCOMPARE(outcome.duplicates, qint64(15));
        QCOMPARE(outcome.highWaterMark, qint64(15));
        m_nextEventId += 15;

        // Without the credential, or with a wrong secret: refused.
        QCOMPARE(upload(port, m_kioskId.toLatin1() + ".wrong-secret", batch).status, 401);
        const auto noCredential = call(port, "POST", "/api/v1/kiosk/events",
            "Content-Type: application/json\r\n", jsonBytes({{"events", batch}}));
        QVERIFY2(noCredential && noCredential->status == 401, describe(noCredential).constData());
        // Another site's registration (none exists) or a session mismatch: refused whole.
        QJsonArray mismatched {checkIn(m_nextEventId, m_otherCollegeSession,
            roster[15].toObject().value("registration_id").toInteger())};
        QCOMPARE(upload(port, m_kioskCredential, mismatched).status, 403);

        stats = call(port, "GET", "/api/v1/statistics", admin->read());
        QVERIFY2(stats && stats->status == 200, describe(stats).constData());
        QJsonObject s = sessionById(jsonObject(stats), m_sessionS);
        QCOMPARE(s.value("sat").toInt(), 15);
        QCOMPARE(s.value("registered").toInt(), roster.size());
        QCOMPARE(s.value("pending").toInt(), 15);

        // Published count: CSRF token required.
        const QByteArray publishTarget
            = "/api/v1/sessions/" + QByteArray::number(m_sessionS) + "/published-count";
        auto put = call(port, "PUT", publishTarget, admin->read() + "Content-Type: application/json\r\n",
            R"({"published_count":20})");
        QVERIFY2(put && put->status == 403, describe(put).constData());
        QCOMPARE(jsonObject(put).value("error").toObject().value("code").toString(), QStringLiteral("csrf"));
        put = call(port, "PUT", publishTarget, admin->change(), R"({"published_count":20})");
        QVERIFY2(put && put->status == 200, describe(put).constData());
        // Another session published at 100 with nobody sat: below 30%, flagged by 第七条(五).
        put = call(port, "PUT",
            "/api/v1/sessions/" + QByteArray::number(m_otherCollegeSession) + "/published-count",
            admin->change(), R"({"published_count":100})");
        QVERIFY2(put && put->status == 200, describe(put).constData());

        stats = call(port, "GET", "/api/v1/statistics", admin->read());
        QVERIFY2(stats && stats->status == 200, describe(stats).constData());
        statistics = jsonObject(stats);
        s = sessionById(statistics, m_sessionS);
        QCOMPARE(s.value("published").toInt(), 20);
        QCOMPARE(s.value("participation").toString(), QStringLiteral("ok"));
        QCOMPARE(s.value("participation_rate").toString(), QStringLiteral("75.0%"));
        const QJsonObject other = sessionById(statistics, m_otherCollegeSession);
        QCOMPARE(other.value("participation").toString(), QStringLiteral("low"));
        bool flagged = false;
        for (const auto &f : statistics.value("flags").toArray()) {
            const QJsonObject flag = f.toObject();
            if (flag.value("kind").toString() != QLatin1String("low_participation"))
                continue;
            const QJsonObject fs = flag.value("sessions").toArray().first().toObject();
            QCOMPARE(flag.value("rule").toString(), QStringLiteral("第七条(五)"));
            QCOMPARE(fs.value("session_id").toInteger(), m_otherCollegeSession);
            QCOMPARE(fs.value("numerator").toInt(), 0);
            QCOMPARE(fs.value("denominator").toInt(), 100);
            flagged = true;
        }
        QVERIFY2(flagged, stats->body.constData());

        // A college viewer sees its own college only; another college's session is "not found".
        const auto created = call(port, "POST", "/api/v1/users", admin->change(),
            jsonBytes({{"username", "viewer"}, {"password", QString::fromUtf8(kViewerPassword)},
                {"role", "college"}, {"college_id", m_collegeS}}));
        QVERIFY2(created && created->status == 201, describe(created).constData());
        const auto viewer = logIn(port, "viewer", kViewerPassword, &why);
        QVERIFY2(viewer, why.constData());
        QCOMPARE(viewer->body.value("role").toString(), QStringLiteral("college"));
        stats = call(port, "GET", "/api/v1/statistics", viewer->read());
        QVERIFY2(stats && stats->status == 200, describe(stats).constData());
        const QJsonArray own = jsonObject(stats).value("sessions").toArray();
        QVERIFY(!own.isEmpty());
        QVERIFY(own.size() < kSessions);
        for (const auto &o : own)
            QCOMPARE(o.toObject().value("college").toObject().value("id").toInteger(), m_collegeS);
        QCOMPARE(sessionById(jsonObject(stats), m_sessionS).value("sat").toInt(), 15);
        auto mine = call(port, "GET", "/api/v1/sessions/" + QByteArray::number(m_sessionS), viewer->read());
        QVERIFY2(mine && mine->status == 200, describe(mine).constData());
        const auto theirs = call(
            port, "GET", "/api/v1/sessions/" + QByteArray::number(m_otherCollegeSession), viewer->read());
        QVERIFY2(theirs && theirs->status == 404, describe(theirs).constData());
        const auto none = call(port, "GET", "/api/v1/sessions/999999", viewer->read());
        QVERIFY2(none && none->status == 404, describe(none).constData());
        QCOMPARE(theirs->body, none->body); // nothing tells an existing id from a missing one
        put = call(port, "PUT", publishTarget, viewer->change(), R"({"published_count":1})");
        QVERIFY2(put && put->status == 403, describe(put).constData());
        const auto users = call(port, "GET", "/api/v1/users", viewer->read());
        QVERIFY2(users && users->status == 403, describe(users).constData());

        stats = call(port, "GET", "/api/v1/statistics", admin->read());
        QVERIFY2(stats && stats->status == 200, describe(stats).constData());
        m_statisticsAtStop = jsonObject(stats);

        // SIGTERM: exits 0 promptly, though a browser holds a keep-alive
        // connection open and another client has not finished its headers;
        // the connections and the port are closed.
        TlsClient keepAlive(port);
        const auto me = keepAlive.request("GET", "/api/v1/me", admin->read());
        QVERIFY2(me && me->status == 200, describe(me).constData());
        TlsClient halfway(port);
        QVERIFY(halfway.handshake());
        QVERIFY(halfway.send("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
        qint64 took = 0;
        const int code = server.terminate(kStopMs, &took);
        QVERIFY2(code == 0, server.diagnostics().constData());
        qInfo() << "stopped" << took << "ms after SIGTERM";
        QVERIFY(keepAlive.waitClosed(1000));
        QVERIFY(halfway.waitClosed(1000));
        TlsClient after(port);
        QVERIFY(!after.handshake());
    }

    // stats exports: CSV (BOM, header, a row per session), XLSX (a zip), JSON (as the API says).
    void statsExports()
    {
        QVERIFY2(!m_statisticsAtStop.isEmpty(), "needs serveOverTls");
        const QString csvFile = path(QStringLiteral("stats.csv"));
        auto r = runServerCommand({QStringLiteral("stats"), QStringLiteral("--data"), m_data,
            QStringLiteral("--format"), QStringLiteral("csv"), QStringLiteral("--out"), csvFile});
        QVERIFY2(r.finished && r.exitCode == 0, r.describe().constData());
        const QByteArray csv = readFile(csvFile);
        QVERIFY(csv.startsWith("\xEF\xBB\xBF"));
        QList<QByteArray> lines = csv.mid(3).split('\n');
        while (!lines.isEmpty() && lines.last().trimmed().isEmpty())
            lines.removeLast();
        QCOMPARE(lines.size(), 1 + kSessions);
        const QStringList header
            = QString::fromUtf8(lines.first().trimmed()).remove(QLatin1Char('"')).split(QLatin1Char(','));
        const qsizetype satColumn = header.indexOf(QStringLiteral("参加考试人数"));
        QVERIFY2(satColumn >= 0, lines.first().constData());
        bool found = false;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QStringList row
                = QString::fromUtf8(lines[i].trimmed()).remove(QLatin1Char('"')).split(QLatin1Char(','));
            QCOMPARE(row.size(), header.size());
            if (row.first().toLongLong() == m_sessionS) {
                QCOMPARE(row[satColumn], QStringLiteral("15"));
                found = true;
            }
        }
        QVERIFY(found);

        const QString xlsxFile = path(QStringLiteral("stats.xlsx"));
        r = runServerCommand({QStringLiteral("stats"), QStringLiteral("--data"), m_data,
            QStringLiteral("--format"), QStringLiteral("xlsx"), QStringLiteral("--out"), xlsxFile});
        QVERIFY2(r.finished && r.exitCode == 0, r.describe().constData());
        const QByteArray xlsx = readFile(xlsxFile);
        QVERIFY(xlsx.startsWith("PK\x03\x04"));
        QVERIFY(xlsx.contains("xl/worksheets/"));

        const QString jsonFile = path(QStringLiteral("stats.json"));
        r = runServerCommand({QStringLiteral("stats"), QStringLiteral("--data"), m_data,
            QStringLiteral("--format"), QStringLiteral("json"), QStringLiteral("--out"), jsonFile});
        QVERIFY2(r.finished && r.exitCode == 0, r.describe().constData());
        QJsonParseError error {};
        const auto doc = QJsonDocument::fromJson(readFile(jsonFile), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(doc.object(), m_statisticsAtStop); // the command line and the API agree

        // The printable summary: a PDF whose text poppler reads back.
        const QString pdfFile = path(QStringLiteral("stats.pdf"));
        r = runServerCommand({QStringLiteral("stats"), QStringLiteral("--data"), m_data,
            QStringLiteral("--format"), QStringLiteral("pdf"), QStringLiteral("--out"), pdfFile});
        QVERIFY2(r.finished && r.exitCode == 0, r.describe().constData());
        QVERIFY(readFile(pdfFile).startsWith("%PDF-"));
        QProcess text;
        text.start(QStringLiteral("pdftotext"), {pdfFile, QStringLiteral("-")});
        QVERIFY(text.waitForFinished(30000));
        const QString words = QString::fromUtf8(text.readAllStandardOutput());
        QVERIFY2(words.contains(QStringLiteral("统计报告")), qPrintable(words.left(300)));
        QVERIFY(words.contains(QStringLiteral("参考率")));

        r = runServerCommand({QStringLiteral("stats"), QStringLiteral("--data"), m_data,
            QStringLiteral("--format"), QStringLiteral("html")});
        QVERIFY2(r.finished && r.exitCode != 0, r.describe().constData());
    }

    // PostgreSQL: two servers over one database answer as one: a login on
    // one works on the other, uploads to both at once are each held exactly
    // once, and the statistics are the same to the byte.
    void twoServersOverOnePostgres()
    {
        if (!m_postgres)
            QSKIP("PostgreSQL only: the embedded store is one server's");
        QVERIFY2(m_sessionS > 0, "needs the tests before");
        ServerProcess a;
        ServerProcess b;
        QVERIFY2(a.start(m_data), a.error().constData());
        QVERIFY2(b.start(m_data), b.error().constData());
        QVERIFY(a.port() != b.port());
        {
            TlsClient client(b.port());
            QVERIFY(client.handshake());
            QCOMPARE(client.peerCertificateSha256(), m_fingerprint);
        }

        // A session made on A works on B, and ends on both.
        QByteArray why;
        auto admin = logIn(a.port(), "admin", kAdminPassword, &why);
        QVERIFY2(admin, why.constData());
        auto me = call(b.port(), "GET", "/api/v1/me", admin->read());
        QVERIFY2(me && me->status == 200, describe(me).constData());
        QCOMPARE(jsonObject(me).value("username").toString(), QStringLiteral("admin"));
        QCOMPARE(jsonObject(me).value("csrf_token").toString().toLatin1(), admin->csrf);
        auto logout = call(b.port(), "POST", "/api/v1/logout", admin->change());
        QVERIFY2(logout && logout->status == 200, describe(logout).constData());
        me = call(a.port(), "GET", "/api/v1/me", admin->read());
        QVERIFY2(me && me->status == 401, describe(me).constData());
        admin = logIn(a.port(), "admin", kAdminPassword, &why);
        QVERIFY2(admin, why.constData());

        // The events: for every session but S, 14 check-ins, 2 marked absent, 14 results.
        struct Expected
        {
            int sat = 0, absent = 0, passed = 0, failed = 0;
        };
        QHash<qint64, Expected> expected;
        QHash<qint64, QString> uploaded; // registration -> "attendance/outcome" its events make
        QJsonArray events;
        const QJsonArray sessions = m_statisticsAtStop.value("sessions").toArray();
        for (const auto &value : sessions) {
            const qint64 session = value.toObject().value("id").toInteger();
            if (session == m_sessionS)
                continue;
            const QList<qint64> regs = registrations(a.port(), *admin, session, &why);
            QVERIFY2(regs.size() >= 16, why.constData());
            Expected &e = expected[session];
            for (int i = 0; i < 14; ++i) {
                events.append(checkIn(m_nextEventId++, session, regs[i], i == 13));
                ++e.sat;
            }
            for (int i = 14; i < 16; ++i) {
                events.append(markAbsent(m_nextEventId++, session, regs[i]));
                uploaded.insert(regs[i], QStringLiteral("absent/-"));
                ++e.absent;
            }
            for (int i = 0; i < 14; ++i) {
                const bool pass = i % 3 != 0;
                events.append(result(m_nextEventId++, session, regs[i], pass));
                uploaded.insert(
                    regs[i], pass ? QStringLiteral("checked_in/pass") : QStringLiteral("checked_in/fail"));
                ++(pass ? e.passed : e.failed);
            }
        }
        QList<QJsonArray> batches;
        for (qsizetype i = 0; i < events.size(); i += 10) {
            QJsonArray batch;
            for (qsizetype j = i; j < std::min(events.size(), i + 10); ++j)
                batch.append(events[j]);
            batches.append(batch);
        }
        QVERIFY(batches.size() >= 10);

        // Half to A and half to B, from two threads at once; one batch to both at the same moment.
        const int shared = 5;
        std::promise<void> go;
        std::shared_future<void> start = go.get_future().share();
        auto uploader = [&](quint16 port, int parity) {
            start.wait();
            QList<UploadOutcome> outcomes;
            for (int i = 0; i < batches.size(); ++i)
                if (i == shared || i % 2 == parity)
                    outcomes.append(upload(port, m_kioskCredential, batches[i]));
            return outcomes;
        };
        auto toA = std::async(std::launch::async, uploader, a.port(), 0);
        auto toB = std::async(std::launch::async, uploader, b.port(), 1);
        go.set_value();
        QVERIFY(toA.wait_for(std::chrono::milliseconds(4 * kRequestMs)) == std::future_status::ready);
        QVERIFY(toB.wait_for(std::chrono::milliseconds(4 * kRequestMs)) == std::future_status::ready);
        const QList<UploadOutcome> fromA = toA.get();
        const QList<UploadOutcome> fromB = toB.get();
        qint64 sharedStored = 0;
        qint64 sharedDuplicates = 0;
        int indexA = 0;
        int indexB = 0;
        for (int i = 0; i < batches.size(); ++i) {
            QList<UploadOutcome> answers;
            if (i == shared || i % 2 == 0)
                answers.append(fromA[indexA++]);
            if (i == shared || i % 2 == 1)
                answers.append(fromB[indexB++]);
            for (const auto &o : answers) {
                QVERIFY2(o.status == 200,
                    qPrintable(QStringLiteral("batch %1: %2 %3")
                                   .arg(i)
                                   .arg(o.status)
                                   .arg(QString::fromUtf8(o.body))));
                if (i == shared) {
                    sharedStored += o.stored;
                    sharedDuplicates += o.duplicates;
                } else {
                    QCOMPARE(o.stored, qint64(batches[i].size()));
                    QCOMPARE(o.duplicates, qint64(0));
                }
            }
        }
        QCOMPARE(sharedStored, qint64(batches[shared].size())); // each event exactly once
        QCOMPARE(sharedDuplicates, qint64(batches[shared].size()));
        const auto last = upload(b.port(), m_kioskCredential, batches.last());
        QCOMPARE(last.stored, qint64(0));
        QCOMPARE(last.highWaterMark, m_nextEventId - 1); // everything held, no gap

        // B publishes with A's session and CSRF token.
        auto put
            = call(b.port(), "PUT", "/api/v1/sessions/" + QByteArray::number(m_sessionS) + "/published-count",
                admin->change(), R"({"published_count":18})");
        QVERIFY2(put && put->status == 200, describe(put).constData());

        // The same answer from both, to the byte.
        auto statsA = call(a.port(), "GET", "/api/v1/statistics", admin->read());
        auto statsB = call(b.port(), "GET", "/api/v1/statistics", admin->read());
        QVERIFY2(statsA && statsA->status == 200, describe(statsA).constData());
        QVERIFY2(statsB && statsB->status == 200, describe(statsB).constData());
        QCOMPARE(statsA->body, statsB->body);
        const QJsonObject statistics = jsonObject(statsA);
        for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
            const QJsonObject s = sessionById(statistics, it.key());
            const auto counts = [](int sat, int absent, int passed, int failed, int pending) {
                return QStringLiteral("sat %1, absent %2, passed %3, failed %4, pending %5")
                    .arg(sat)
                    .arg(absent)
                    .arg(passed)
                    .arg(failed)
                    .arg(pending);
            };
            const QString held = counts(s.value("sat").toInt(), s.value("absent").toInt(),
                s.value("passed").toInt(), s.value("failed").toInt(), s.value("pending").toInt());
            const QString want = counts(it->sat, it->absent, it->passed, it->failed, 0);
            QVERIFY2(held == want,
                qPrintable(QStringLiteral("session %1: %2; expected %3. %4")
                               .arg(it.key())
                               .arg(held, want, disagreements(a.port(), *admin, it.key(), uploaded))));
        }
        QCOMPARE(sessionById(statistics, m_sessionS).value("published").toInt(), 18);

        QCOMPARE(a.terminate(), 0);
        QCOMPARE(b.terminate(), 0);
    }

    // A server killed with SIGKILL mid-upload and restarted answers as
    // before (with PostgreSQL: as the other server, which carried on).
    void killedServerRestarts()
    {
        QVERIFY2(m_sessionS > 0, "needs the tests before");
        ServerProcess a;
        ServerProcess b;
        QVERIFY2(a.start(m_data), a.error().constData());
        if (m_postgres)
            QVERIFY2(b.start(m_data), b.error().constData());
        QByteArray why;
        const auto admin = logIn(a.port(), "admin", kAdminPassword, &why);
        QVERIFY2(admin, why.constData());
        killMidUploadAndRestart(a, m_postgres ? &b : nullptr, *admin);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(a.terminate(), 0);
        if (m_postgres)
            QCOMPARE(b.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(ServerProcessTest)
#include "tst_serverprocess.moc"
