// Fault injection for kiosk ↔ server sync, over real TLS with real stores,
// every wait bounded:
//  - the real kaodian-server binary killed with SIGKILL and restarted,
//    again and again, while a kiosk relays thousands of events;
//  - a kiosk process (tests/integration/kioskchild) appending events to
//    its SQLCipher store, killed with SIGKILL mid-write, reopened;
//  - the same batch sent twice and by several connections at once;
//  - a kiosk process whose clock is hours off (libfaketime).
// After each, the server holds exactly the kiosk's events — none missing,
// none doubled, device time as the kiosk said — and its statistics equal a
// recount from the kiosks' logs.

#include "api/api.h"
#include "auth/password.h"
#include "http/tlscert.h"
#include "protocol/eventjson.h"
#include "kiosk/sync/syncclient.h"
#include "sample/sampleroster.h"
#include "store/rosterapply.h"

#include "tlsclient.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sys/prctl.h>

#include <csignal>
#include <map>
#include <thread>

using namespace kaodian;
using namespace kaodian::kiosk;
using namespace kaodian::protocol;
using namespace kaodian::server;

namespace {

const QString kServerBinary = QStringLiteral(KAODIAN_SERVER_BINARY);
const QString kChildBinary = QStringLiteral(KAODIAN_KIOSK_CHILD);
const QString kFaketime = QStringLiteral("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1");
const QString kChildPassphrase = QStringLiteral("考点口令"); // as kioskchild.cpp
const QString kSite = QStringLiteral("实训楼考点");

void dieWithParent(QProcess &process)
{
    process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
}

QByteArray runServerCommand(const QStringList &args, int *exitCode,
    const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    dieWithParent(p);
    p.setProcessEnvironment(env);
    p.start(kServerBinary, args);
    p.closeWriteChannel();
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
        *exitCode = -1;
    } else {
        *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }
    return p.readAllStandardOutput() + p.readAllStandardError();
}

// `kaodian-server serve` on 127.0.0.1, killed on destruction.
class ServerProcess
{
public:
    ~ServerProcess() { kill(); }
    bool start(const QString &data, quint16 port)
    {
        m_process = std::make_unique<QProcess>();
        dieWithParent(*m_process);
        m_process->start(
            kServerBinary, {"serve", "--data", data, "--listen", QStringLiteral("127.0.0.1:%1").arg(port)});
        m_process->closeWriteChannel();
        static const QRegularExpression serving(QStringLiteral(R"(serving https://127\.0\.0\.1:(\d+)/)"));
        QByteArray out;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 30000) {
            out += m_process->readAllStandardOutput();
            const auto m = serving.match(QString::fromUtf8(out));
            if (m.hasMatch()) {
                m_port = static_cast<quint16>(m.captured(1).toUInt());
                return true;
            }
            if (m_process->state() == QProcess::NotRunning) {
                qWarning().noquote() << "server exited:" << out << m_process->readAllStandardError();
                return false;
            }
            QCoreApplication::processEvents();
            m_process->waitForReadyRead(20);
        }
        return false;
    }
    void kill()
    {
        if (m_process && m_process->state() != QProcess::NotRunning) {
            m_process->kill(); // SIGKILL
            m_process->waitForFinished(5000);
        }
    }
    int terminate()
    {
        m_process->terminate();
        return m_process->waitForFinished(10000) && m_process->exitStatus() == QProcess::NormalExit
            ? m_process->exitCode()
            : -1;
    }
    [[nodiscard]] quint16 port() const { return m_port; }

private:
    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
};

// The registrations of room 01 at the site, as "session registration" lines.
QList<std::pair<Id, Id>> roomRegistrations(ServerStore &store)
{
    auto r = store.sql().query(
        QStringLiteral("SELECT r.session_id, r.id FROM registration r JOIN room ro ON ro.id = r.room_id"
                       " JOIN site s ON s.id = ro.site_id WHERE s.name = ? AND ro.code = '01' ORDER BY r.id"),
        {kSite});
    QList<std::pair<Id, Id>> out;
    if (r)
        for (const auto &row : r->rows)
            out.push_back({row[0].toLongLong(), row[1].toLongLong()});
    return out;
}

bool writeRegs(const QString &path, const QList<std::pair<Id, Id>> &regs)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    for (const auto &[s, r] : regs)
        f.write(QByteArray::number(s) + ' ' + QByteArray::number(r) + '\n');
    return true;
}

// The kiosk's events as the server should hold them: id, kind, registration, device time.
using EventRow = std::tuple<qint64, QString, Id, QString>;

QList<EventRow> kioskRows(const std::vector<KioskEvent> &events)
{
    QList<EventRow> out;
    for (const auto &e : events)
        out.push_back({e.eventId, eventKindKey(e.kind), e.registrationId, storeTime(e.deviceTime)});
    return out;
}

QList<EventRow> serverRows(ServerStore &store, const QString &kioskId)
{
    auto r = store.sql().query(
        QStringLiteral("SELECT event_id, kind, registration_id, device_time FROM kiosk_event"
                       " WHERE kiosk_id = ? ORDER BY event_id, id"),
        {kioskId});
    QList<EventRow> out;
    if (r)
        for (const auto &row : r->rows)
            out.push_back({row[0].toLongLong(), row[1].toString(), row[2].toLongLong(), row[3].toString()});
    return out;
}

// Per session: sat, passed, failed — from the server and recounted from logs.
using Counts = std::map<Id, std::tuple<int, int, int>>;

Counts serverCounts(ServerStore &store)
{
    Counts out;
    const auto report = store.statistics().report();
    if (report)
        for (const auto &s : report->sessions)
            if (s.tally.sat || s.tally.passed || s.tally.failed)
                out[s.tally.sessionId] = {s.tally.sat, s.tally.passed, s.tally.failed};
    return out;
}

Counts recount(const std::vector<KioskEvent> &allKiosksEvents)
{
    Counts out;
    std::map<Id, Id> sessionOf;
    for (const auto &e : allKiosksEvents)
        sessionOf[e.registrationId] = e.sessionId;
    for (const auto &st : deriveStates(allKiosksEvents)) {
        if (!st.sat())
            continue;
        auto &[sat, passed, failed] = out[sessionOf[st.registrationId]];
        ++sat;
        passed += st.outcome == Outcome::Pass ? 1 : 0;
        failed += st.outcome == Outcome::Fail ? 1 : 0;
    }
    return out;
}

} // namespace

class TestSyncFaults : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    // The in-process server (tests b–d): real TLS, embedded store.
    std::unique_ptr<StorePool> m_pool;
    std::unique_ptr<Api> m_api;
    std::unique_ptr<HttpsServer> m_server;
    SigningKey m_ticketKey = *SigningKey::fromRaw(QByteArray(32, '\x0c'));
    QByteArray m_certSha256;
    QList<std::pair<Id, Id>> m_regs;
    QString m_regsFile;
    std::vector<KioskEvent> m_allEvents; // every kiosk's log that reached this server

    EnrolmentCode enrol(const QString &kioskId)
    {
        auto store = m_pool->acquire();
        const QString secret = randomToken();
        KioskRecord k;
        k.id = kioskId;
        k.name = kioskId;
        k.siteId = (*store)->rosters().siteIdByName(kSite)->value();
        k.roomId = (*store)->rosters().roomId(k.siteId, QStringLiteral("01"))->value();
        k.credentialHash = sha256Hex(secret.toLatin1());
        if (!(*store)->kiosks().enrol(k, "test").ok())
            qFatal("enrol failed");
        EnrolmentCode c;
        c.server = QUrl(QStringLiteral("https://127.0.0.1:%1").arg(m_server->port()));
        c.credential = kioskId + QLatin1Char('.') + secret;
        c.certSha256 = m_certSha256;
        c.ticketKeySha256 = m_ticketKey.verifyKey().fingerprint().toLatin1();
        return c;
    }

    // The server holds exactly these events of the kiosk, and its
    // statistics equal a recount of every kiosk's log.
    void verifyServerHolds(const QString &kioskId, const std::vector<KioskEvent> &events)
    {
        auto store = m_pool->acquire();
        QVERIFY(store.ok());
        const auto held = serverRows(**store, kioskId);
        const auto want = kioskRows(events);
        QCOMPARE(held.size(), want.size());
        QCOMPARE(held, want);
        m_allEvents.insert(m_allEvents.end(), events.begin(), events.end());
        QCOMPARE(serverCounts(**store), recount(m_allEvents));
    }

    // Reads "ok N" lines of a child; the highest N seen.
    static qint64 highestAck(const QByteArray &out)
    {
        qint64 high = 0;
        for (const QByteArray &line : out.split('\n'))
            if (line.startsWith("ok "))
                high = std::max(high, line.mid(3).toLongLong());
        return high;
    }

private slots:
    void initTestCase()
    {
        std::signal(SIGPIPE, SIG_IGN);
        QVERIFY(QFile::exists(kServerBinary));
        QVERIFY(QFile::exists(kChildBinary));
        const QString data = m_dir.filePath("server");
        QVERIFY(ServerStore::createEmbedded(data).ok());
        m_pool = std::make_unique<StorePool>(StoreLocation {data, QString()});
        {
            auto store = m_pool->acquire();
            auto parsed = parseRosterFile(sampleRosterCsv({.candidates = 200, .seed = 5}), "r.csv");
            QVERIFY(parsed.ok());
            QVERIFY((*store)->rosters().applyRoster(*parsed, "r.csv", "test").ok());
            m_regs = roomRegistrations(**store);
            QVERIFY(m_regs.size() >= 10);
        }
        m_regsFile = m_dir.filePath("regs.txt");
        QVERIFY(writeRegs(m_regsFile, m_regs));
        ApiConfig config;
        config.ticketKey = m_ticketKey;
        m_api = std::make_unique<Api>(*m_pool, config);
        QVERIFY(writeSelfSignedCertificate(m_dir.filePath("c.pem"), m_dir.filePath("k.pem"), {}, 30).ok());
        m_certSha256 = certificateFingerprintSha256(m_dir.filePath("c.pem")).toLatin1();
        m_server = std::make_unique<HttpsServer>(TlsFiles {m_dir.filePath("c.pem"), m_dir.filePath("k.pem")},
            HttpLimits {}, [this](const HttpRequest &r) { return m_api->handle(r); });
        QVERIFY(m_server->listen(QStringLiteral("127.0.0.1"), 0).ok());
    }

    // (b) A kiosk process killed with SIGKILL while appending: every event
    // the store call returned is there after reopening, ids without gaps,
    // the outbox holds exactly the unsent events; then all reach the server.
    void kioskKilledMidWriteLosesNothing()
    {
        const QString dir = m_dir.filePath("crashing-kiosk");
        QRandomGenerator rng(20261127);
        qint64 acknowledgedByStore = 0;
        for (int round = 0; round < 4; ++round) {
            QProcess child;
            dieWithParent(child);
            child.start(kChildBinary, {dir, m_regsFile, "0"});
            QVERIFY(child.waitForStarted(5000));
            QByteArray out;
            // Wait until it writes, then kill it at a random moment.
            QElapsedTimer t;
            t.start();
            while (!out.contains("ok ") && t.elapsed() < 30000 && child.state() == QProcess::Running) {
                child.waitForReadyRead(50);
                out += child.readAllStandardOutput();
            }
            QVERIFY2(out.contains("ok "), (out + child.readAllStandardError()).constData());
            QTest::qWait(int(rng.bounded(100, 500)));
            ::kill(static_cast<pid_t>(child.processId()), SIGKILL);
            QVERIFY(child.waitForFinished(5000));
            out += child.readAllStandardOutput();
            QCOMPARE(child.exitStatus(), QProcess::CrashExit);
            acknowledgedByStore = std::max(acknowledgedByStore, highestAck(out));

            auto store = KioskStore::open({dir}, kChildPassphrase);
            QVERIFY2(store.ok(), store.ok() ? "" : qPrintable(store.error().message));
            const auto &events = store->events();
            QVERIFY2(qint64(events.size()) >= acknowledgedByStore,
                qPrintable(QStringLiteral("round %1: %2 events held, %3 acknowledged")
                               .arg(round)
                               .arg(events.size())
                               .arg(acknowledgedByStore)));
            QVERIFY(qint64(events.size()) <= acknowledgedByStore + 1); // at most the one being written
            for (std::size_t i = 0; i < events.size(); ++i) {
                QCOMPARE(events[i].eventId, qint64(i + 1));
                QVERIFY(events[i].registrationId > 0 && events[i].deviceTime.isValid());
            }
            QCOMPARE(store->outboxSize(), int(events.size())); // nothing half-written, nothing sent yet
            qInfo("round %d: killed after %lld acknowledged appends; %zu events held", round,
                static_cast<long long>(acknowledgedByStore), events.size());
            auto integrity = store->database().prepare(QStringLiteral("PRAGMA integrity_check"));
            QVERIFY(integrity.ok());
            QVERIFY(*integrity->step());
            QCOMPARE(integrity->text(0), QStringLiteral("ok"));
        }
        QVERIFY(acknowledgedByStore > 20);

        auto store = KioskStore::open({dir}, kChildPassphrase);
        QVERIFY(store.ok());
        QVERIFY(
            store->setIdentity({QStringLiteral("KCRASH"), kSite, QStringLiteral("01"), QByteArray()}).ok());
        CheckInService service(*store, [] { return QDateTime::currentDateTime(); });
        SyncConfig config;
        config.enrolment = enrol(QStringLiteral("KCRASH"));
        config.intervalMs = 50;
        config.minBackoffMs = 50;
        SyncClient sync(service, config);
        sync.start();
        QTRY_COMPARE_WITH_TIMEOUT(store->outboxSize(), 0, 30000);
        sync.stop();
        verifyServerHolds(QStringLiteral("KCRASH"), store->events());
    }

    // (c) One batch sent twice in a row, then by four connections at once.
    void sameBatchTwiceAndInParallel()
    {
        const auto code = enrol(QStringLiteral("KPAR"));
        QTemporaryDir dir;
        auto store = KioskStore::create({dir.path()}, QStringLiteral("口令"), kMinKdfIterations);
        QVERIFY(store.ok());
        QVERIFY(store->setIdentity({QStringLiteral("KPAR"), kSite, QStringLiteral("01"), QByteArray()}).ok());
        for (int i = 0; i < 600; ++i) {
            const auto [session, reg] = m_regs[i % m_regs.size()];
            KioskEvent e;
            e.kind = i < int(m_regs.size()) ? EventKind::CheckIn : EventKind::Incident;
            if (e.kind == EventKind::Incident)
                e.incident = IncidentCategory::Other;
            e.sessionId = session;
            e.registrationId = reg;
            e.deviceTime = QDateTime::currentDateTimeUtc().addSecs(-600 + i);
            QVERIFY(store->appendEvent(e).ok());
        }
        QJsonArray events;
        for (const auto &e : store->outboxBatch(500))
            events.append(eventToJson(e, QStringLiteral("KPAR")));
        const QByteArray body = QJsonDocument(
            QJsonObject {{"events", events},
                {"waiting", 100}}).toJson(QJsonDocument::Compact);
        const QByteArray headers = "Authorization: Bearer " + code.credential.toLatin1()
            + "\r\nContent-Type: application/json\r\n";
        auto post = [&] {
            testing::ClientOptions options;
            options.deadlineMs = 30000;
            testing::TlsClient client(m_server->port(), options);
            auto reply = client.request("POST", "/api/v1/kiosk/events", headers, body);
            return reply ? QJsonDocument::fromJson(reply->body).object()
                         : QJsonObject {{"status", "no reply"}};
        };
        const QJsonObject first = post();
        QCOMPARE(first["stored"].toInt(), 500);
        const QJsonObject second = post();
        QCOMPARE(second["stored"].toInt(), 0);
        QCOMPARE(second["duplicates"].toInt(), 500);
        // The rest of the outbox, by four connections at once.
        events = {};
        for (const auto &e : store->outboxBatch(600).mid(500))
            events.append(eventToJson(e, QStringLiteral("KPAR")));
        const QByteArray rest
            = QJsonDocument(QJsonObject {{"events", events}, {"waiting", 0}}).toJson(QJsonDocument::Compact);
        std::atomic<int> stored {0}, answered {0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&] {
                testing::ClientOptions options;
                options.deadlineMs = 30000;
                testing::TlsClient client(m_server->port(), options);
                auto reply = client.request("POST", "/api/v1/kiosk/events", headers, rest);
                if (reply && reply->status == 200) {
                    ++answered;
                    stored += QJsonDocument::fromJson(reply->body).object()["stored"].toInt();
                }
            });
        for (auto &t : threads)
            t.join();
        QCOMPARE(answered.load(), 4);
        QCOMPARE(stored.load(), 100); // one of them stored the batch, the others found it held
        QList<qint64> all;
        for (const auto &e : store->events())
            all.push_back(e.eventId);
        QVERIFY(store->acknowledge(all).ok());
        verifyServerHolds(QStringLiteral("KPAR"), store->events());
    }

    // (d) A kiosk whose clock is 7 hours behind (libfaketime): its events
    // keep the device time it gave, the server stamps its own receipt time.
    void skewedKioskClockIsKeptAsSaid()
    {
        if (!QFile::exists(kFaketime))
            QFAIL(qPrintable(
                QStringLiteral("%1 is missing: scripts/deps test installs libfaketime").arg(kFaketime)));
        const auto code = enrol(QStringLiteral("KSKEW"));
        const QString dir = m_dir.filePath("skewed-kiosk");
        const QDateTime before = QDateTime::currentDateTimeUtc();
        QProcess child;
        dieWithParent(child);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("LD_PRELOAD", kFaketime);
        // Under AddressSanitizer the preloaded libfaketime comes before the
        // ASan runtime; tell ASan that is intended (no effect otherwise).
        env.insert("ASAN_OPTIONS", env.value("ASAN_OPTIONS") + QStringLiteral(":verify_asan_link_order=0"));
        env.insert("FAKETIME", "-7h");
        env.insert("FAKETIME_DONT_FAKE_MONOTONIC", "1");
        env.insert("FAKETIME_DONT_RESET", "1");
        // The code carries the kiosk's secret: in the environment, never on the command line.
        env.insert("KAODIAN_ENROLMENT_CODE", code.toString());
        child.setProcessEnvironment(env);
        child.start(kChildBinary, {dir, m_regsFile, "400"});
        QVERIFY(child.waitForStarted(5000));
        // The server answers on this thread's behalf from its own threads; wait without blocking them.
        QTRY_VERIFY_WITH_TIMEOUT(child.state() == QProcess::NotRunning, 90000);
        const QByteArray out = child.readAllStandardOutput();
        QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0,
            (out.right(500) + child.readAllStandardError()).constData());
        QVERIFY(out.contains("drained"));
        const QDateTime after = QDateTime::currentDateTimeUtc();

        auto kiosk = KioskStore::open({dir}, kChildPassphrase);
        QVERIFY(kiosk.ok());
        QCOMPARE(int(kiosk->events().size()), 400);
        QCOMPARE(kiosk->outboxSize(), 0);
        // The child's clock really was 7 hours behind when it stamped them.
        for (const auto &e : kiosk->events()) {
            const qint64 skew = e.deviceTime.secsTo(before);
            QVERIFY2(skew > 7 * 3600 - 300 && skew < 7 * 3600 + 300,
                qPrintable(e.deviceTime.toString(Qt::ISODate)));
        }
        verifyServerHolds(QStringLiteral("KSKEW"), kiosk->events()); // device time exactly as said
        auto store = m_pool->acquire();
        auto received = (*store)->sql().query(
            QStringLiteral("SELECT received_at FROM kiosk_event WHERE kiosk_id = 'KSKEW'"));
        QCOMPARE(received->rows.size(), 400);
        for (const auto &row : received->rows) {
            const QDateTime at = parseStoreTime(row[0].toString());
            QVERIFY2(at >= before.addSecs(-1) && at <= after.addSecs(1), qPrintable(row[0].toString()));
        }
        QCOMPARE((*store)->kiosks().kiosk(QStringLiteral("KSKEW"))->value().eventsWaiting, std::optional<qint64>(0));
    }

    // (a) The real server binary killed with SIGKILL mid-batch, three times,
    // and restarted on the same port, while a kiosk relays thousands of events.
    void serverKilledMidBatchAndRestarted()
    {
        const QString data = m_dir.filePath("killed-server");
        int rc = 0;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove("KAODIAN_POSTGRES_URL");
        env.insert("KAODIAN_ADMIN_PASSWORD", "faults-Admin-Passw0rd");
        QByteArray out = runServerCommand({"init", "--data", data}, &rc, env);
        QVERIFY2(rc == 0, out.constData());
        const QString roster = m_dir.filePath("killed-roster.csv");
        out = runServerCommand({"sample-roster", "--out", roster, "--candidates", "200"}, &rc);
        QVERIFY2(rc == 0, out.constData());
        out = runServerCommand({"import", "--data", data, roster}, &rc);
        QVERIFY2(rc == 0, out.constData());
        out = runServerCommand(
            {"kiosk", "enrol", "--data", data, "--site", kSite, "--room", "01", "--name", "门口"}, &rc);
        QVERIFY2(rc == 0, out.constData());
        const auto match
            = QRegularExpression(QStringLiteral("enrolment code: (\\S+)")).match(QString::fromUtf8(out));
        QVERIFY2(match.hasMatch(), out.constData());
        auto code = EnrolmentCode::parse(match.captured(1));
        QVERIFY(code);
        QList<std::pair<Id, Id>> regs;
        {
            auto store = ServerStore::open({data, QString()});
            QVERIFY(store.ok());
            regs = roomRegistrations(**store);
        }
        QVERIFY(regs.size() >= 10);

        ServerProcess server;
        QVERIFY(server.start(data, 0));
        const quint16 port = server.port();
        code->server = QUrl(QStringLiteral("https://127.0.0.1:%1").arg(port));

        QTemporaryDir dir;
        auto kiosk = KioskStore::create({dir.path()}, QStringLiteral("口令"), kMinKdfIterations);
        QVERIFY(kiosk.ok());
        QVERIFY(kiosk->setIdentity({code->kioskId(), QString(), QString(), QByteArray()}).ok());
        const int total = 3000;
        auto append = [&](int n) {
            for (int i = 0; i < n; ++i) {
                const qint64 k = qint64(kiosk->events().size());
                const auto [session, reg] = regs[k % regs.size()];
                KioskEvent e;
                e.kind = k < qint64(regs.size()) ? EventKind::CheckIn
                    : (k / regs.size()) % 3 == 1 ? EventKind::Result
                                                 : EventKind::Incident;
                if (e.kind == EventKind::Result)
                    e.outcome = k % 4 == 0 ? Outcome::Fail : Outcome::Pass;
                if (e.kind == EventKind::Incident)
                    e.incident = IncidentCategory::PowerOrNetwork;
                e.sessionId = session;
                e.registrationId = reg;
                e.deviceTime = QDateTime::currentDateTimeUtc();
                if (!kiosk->appendEvent(e))
                    return false;
            }
            return true;
        };
        QVERIFY(append(total - 3 * 200));
        CheckInService service(*kiosk, [] { return QDateTime::currentDateTime(); });
        SyncConfig config;
        config.enrolment = *code;
        config.intervalMs = 50;
        config.minBackoffMs = 50;
        config.maxBackoffMs = 400;
        config.requestTimeoutMs = 5000;
        config.batchSize = 250;
        SyncClient sync(service, config);
        sync.start();
        QRandomGenerator rng(7);
        int kills = 0;
        for (int round = 0; round < 3; ++round) {
            // Let batches flow, then kill while one is in flight.
            // (A batch was acknowledged; the relay sends the next at once.)
            const int waitingBefore = kiosk->outboxSize();
            QElapsedTimer progress;
            progress.start();
            while (kiosk->outboxSize() >= waitingBefore && progress.elapsed() < 30000)
                QTest::qWait(2);
            QTest::qWait(int(rng.bounded(2, 25)));
            const int unsent = kiosk->outboxSize();
            QVERIFY2(unsent > 0, "the relay finished before the server could be killed mid-batch");
            server.kill();
            qInfo("round %d: server killed with %d events unsent", round, unsent);
            ++kills;
            QVERIFY(append(200)); // the door does not wait for the server
            QTest::qWait(int(rng.bounded(100, 400)));
            QVERIFY(server.start(data, port));
        }
        QCOMPARE(int(kiosk->events().size()), total);
        QTRY_COMPARE_WITH_TIMEOUT(kiosk->outboxSize(), 0, 60000);
        sync.stop();
        QCOMPARE(server.terminate(), 0);
        QCOMPARE(kills, 3);

        {
            auto store = ServerStore::open({data, QString()});
            QVERIFY(store.ok());
            const auto held = serverRows(**store, code->kioskId());
            QCOMPARE(held.size(), qsizetype(total));
            QCOMPARE(held, kioskRows(kiosk->events()));
            QCOMPARE(serverCounts(**store), recount(kiosk->events()));
            QVERIFY(!serverCounts(**store).empty());
        }

        // Then the office revokes the kiosk; it exports what it had not sent
        // and the office imports the file with the CLI — twice, to be sure.
        out = runServerCommand({"kiosk", "revoke", "--data", data, code->kioskId()}, &rc);
        QVERIFY2(rc == 0, out.constData());
        QVERIFY(append(25));
        const QString file = dir.filePath("revoked-events.json");
        QVERIFY(kiosk->exportOutbox(file).ok());
        out = runServerCommand({"import-events", "--data", data, file}, &rc);
        QVERIFY2(rc == 0 && out.contains("25 events; 25 stored, 0 already held"), out.constData());
        out = runServerCommand({"import-events", "--data", data, file}, &rc);
        QVERIFY2(rc == 0 && out.contains("25 events; 0 stored, 25 already held"), out.constData());
        // The file is signed with the device key the sync client registered
        // at its first claim: one changed byte, or no signature, and the
        // CLI refuses it (issue #17, finding 5), reason or not.
        QFile original(file);
        QVERIFY(original.open(QIODevice::ReadOnly));
        QJsonObject forged = QJsonDocument::fromJson(original.readAll()).object();
        QCOMPARE(forged["format"].toString(), QStringLiteral("kaodian-kiosk-events/2"));
        const QByteArray signedBody = QByteArray::fromBase64(forged["body"].toString().toLatin1());
        QByteArray body = signedBody;
        const qsizetype at = body.indexOf("\"event_id\": ") + 12;
        body[at] = body[at] == '9' ? '8' : char(body[at] + 1);
        forged["body"] = QString::fromLatin1(body.toBase64());
        const QString forgedFile = dir.filePath("forged.json");
        QFile f(forgedFile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument(forged).toJson());
        f.close();
        out = runServerCommand({"import-events", "--data", data, forgedFile}, &rc);
        QVERIFY2(rc == 3 && out.contains("refused, nothing imported") && out.contains("改动"), out.constData());
        const QString unsignedFile = dir.filePath("unsigned.json");
        QFile u(unsignedFile);
        QVERIFY(u.open(QIODevice::WriteOnly));
        u.write(signedBody); // the same events as kaodian-kiosk-events/1, no signature
        u.close();
        out = runServerCommand({"import-events", "--data", data, "--unsigned-ok", "trust me", unsignedFile}, &rc);
        QVERIFY2(rc == 3 && out.contains("refused, nothing imported") && out.contains("没有签名"), out.constData());
        auto store = ServerStore::open({data, QString()});
        QVERIFY(store.ok());
        QCOMPARE(serverRows(**store, code->kioskId()), kioskRows(kiosk->events()));
        QCOMPARE(serverCounts(**store), recount(kiosk->events()));
        const auto log = (*store)->audit().entries(5);
        QVERIFY(log.ok() && log->size() >= 3);
        // Newest first: the two refusals, each with its reason, then the import.
        QCOMPARE(log->at(0).action, QStringLiteral("kiosk.events_import_refused"));
        QVERIFY(log->at(0).detail.contains(QStringLiteral("没有签名")));
        QCOMPARE(log->at(1).action, QStringLiteral("kiosk.events_import_refused"));
        QVERIFY(log->at(1).detail.contains(QStringLiteral("改动")));
        QCOMPARE(log->at(2).action, QStringLiteral("kiosk.events_import"));
    }
};

QTEST_GUILESS_MAIN(TestSyncFaults)
#include "tst_syncfaults.moc"
