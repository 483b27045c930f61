// 10,000 queued kiosk events drained after reconnecting (target: under 5 s),
// beside the server's raw ingest rate from the same run (EventLog::ingest
// in-process, same batches). Real TLS on loopback, certificate pinned.
//
// Usage: bench_sync [--events N]

#include "api/api.h"
#include "auth/password.h"
#include "http/tlscert.h"
#include "kiosk/sync/syncclient.h"
#include "sample/sampleroster.h"
#include "store/rosterapply.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTimeZone>

#include <atomic>
#include <cstdio>

using namespace kaodian;
using namespace kaodian::kiosk;
using namespace kaodian::server;

namespace {

[[noreturn]] void die(const QString &message)
{
    std::fprintf(stderr, "bench_sync: %s\n", qPrintable(message));
    std::exit(1);
}

// A server data folder with a sample roster and an enrolled kiosk for the whole site.
QString prepareServer(const QString &dir, QString *credential)
{
    if (auto s = ServerStore::createEmbedded(dir); !s)
        die(s.error().message);
    auto store = ServerStore::open({dir, QString()});
    if (!store)
        die(store.error().message);
    auto parsed = parseRosterFile(sampleRosterCsv({.candidates = 6000, .seed = 8}), QStringLiteral("r.csv"));
    if (!parsed)
        die(QStringLiteral("roster"));
    if (!(*store)->rosters().applyRoster(*parsed, QStringLiteral("r.csv"), QStringLiteral("bench")))
        die(QStringLiteral("import"));
    const QString secret = randomToken();
    KioskRecord k;
    k.id = QStringLiteral("KBENCH");
    k.name = k.id;
    k.siteId = (*store)->rosters().siteIdByName(QStringLiteral("实训楼考点"))->value();
    k.credentialHash = sha256Hex(secret.toLatin1());
    if (auto s = (*store)->kiosks().enrol(k, QStringLiteral("bench")); !s)
        die(s.error().message);
    *credential = k.id + QLatin1Char('.') + secret;
    return dir;
}

// The events a busy day leaves: check-in, then late marks and results.
QList<KioskEvent> dayOfEvents(const QList<RosterCandidate> &roster, int count, const QDateTime &at)
{
    QList<KioskEvent> out;
    const EventKind kinds[] = {EventKind::CheckIn, EventKind::Result, EventKind::Incident};
    for (int i = 0; out.size() < count; ++i) {
        const auto &c = roster[i % roster.size()];
        KioskEvent e;
        e.kind = kinds[(i / roster.size()) % 3];
        e.sessionId = c.sessionId;
        e.registrationId = c.registrationId;
        e.deviceTime = at.addSecs(i);
        if (e.kind == EventKind::Result)
            e.outcome = i % 3 ? Outcome::Pass : Outcome::Fail;
        if (e.kind == EventKind::Incident) {
            e.incident = IncidentCategory::EquipmentFailure;
            e.reason = QStringLiteral("bench");
        }
        out.push_back(e);
    }
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int events = 10000;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i)
        if (args[i] == QLatin1String("--events"))
            events = args[i + 1].toInt();
    QTemporaryDir dir(QDir::currentPath() + "/bench-sync-XXXXXX");
    const QDateTime now(QDate(2026, 6, 1), QTime(9, 30), QTimeZone(8 * 3600));
    const SigningKey ticketKey = *SigningKey::generate();

    QString credential;
    const QString serverDir = prepareServer(dir.filePath("server"), &credential);
    QString floorCredential;
    const QString floorDir = prepareServer(dir.filePath("floor"), &floorCredential);

    StorePool pool({serverDir, QString()}, [now] { return now.toUTC(); });
    ApiConfig config;
    config.ticketKey = ticketKey;
    Api api(pool, config);
    if (!writeSelfSignedCertificate(dir.filePath("c.pem"), dir.filePath("k.pem"), {}, 30))
        die(QStringLiteral("certificate"));
    // The server's own work on each upload, to tell it from the transport's.
    std::atomic<qint64> serverNs{0};
    std::atomic<int> uploads{0};
    HttpsServer server(TlsFiles{dir.filePath("c.pem"), dir.filePath("k.pem")}, HttpLimits{},
                       [&](const HttpRequest &r) {
                           QElapsedTimer handled;
                           handled.start();
                           HttpResponse response = api.handle(r);
                           if (r.target == "/api/v1/kiosk/events") {
                               serverNs += handled.nsecsElapsed();
                               ++uploads;
                           }
                           return response;
                       });
    if (!server.listen(QStringLiteral("127.0.0.1"), 0))
        die(QStringLiteral("listen"));

    // The kiosk, provisioned, with a day's events queued while offline.
    auto kiosk = KioskStore::create({dir.filePath("kiosk")}, QStringLiteral("bench"), kMinKdfIterations);
    if (!kiosk)
        die(kiosk.error().message);
    kiosk->setIdentity({QStringLiteral("KBENCH"), QStringLiteral("实训楼考点"), QString(), ticketKey.verifyKey().raw()});
    CheckInService service(*kiosk, [now] { return now; });
    EnrolmentCode enrolment;
    enrolment.server = QUrl(QStringLiteral("https://127.0.0.1:%1").arg(server.port()));
    enrolment.credential = credential;
    enrolment.certSha256 = certificateFingerprintSha256(dir.filePath("c.pem")).toLatin1();
    enrolment.ticketKeySha256 = ticketKey.verifyKey().fingerprint().toLatin1();
    SyncConfig syncConfig;
    syncConfig.enrolment = enrolment;
    if (qEnvironmentVariableIsSet("BATCH"))
        syncConfig.batchSize = qEnvironmentVariableIntValue("BATCH");
    {
        SyncClient first(service, syncConfig);
        QEventLoop loop;
        QObject::connect(&first, &SyncClient::packageUpdated, &loop, &QEventLoop::quit);
        first.start();
        loop.exec();
    }
    const QList<KioskEvent> queued = dayOfEvents(kiosk->package().roster, events, now);
    for (const auto &e : queued)
        if (!kiosk->appendEvent(e))
            die(QStringLiteral("append"));

    // Floor: the server store's own ingest of the same events, batches of 100.
    double floorRate = 0;
    {
        auto store = ServerStore::open({floorDir, QString()});
        QList<KioskEvent> numbered = kiosk->outboxBatch(events);
        QElapsedTimer t;
        t.start();
        for (qsizetype i = 0; i < numbered.size(); i += 100)
            if (!(*store)->events().ingest(QStringLiteral("KBENCH"), numbered.mid(i, 100), QDateTime::currentDateTimeUtc()))
                die(QStringLiteral("floor ingest"));
        floorRate = events / (double(t.nsecsElapsed()) / 1e9);
    }

    // Reconnect: time until the outbox is empty.
    serverNs = 0;
    uploads = 0;
    SyncClient sync(service, syncConfig);
    qint64 prepareNs = 0, requestNs = 0, acknowledgeNs = 0;
    QObject::connect(&sync, &SyncClient::uploadTimed, [&](const UploadTiming &u) {
        prepareNs += u.prepareNs;
        requestNs += u.requestNs;
        acknowledgeNs += u.acknowledgeNs;
    });
    QElapsedTimer t;
    QEventLoop loop;
    QObject::connect(&sync, &SyncClient::roundFinished, &loop, [&](bool ok) {
        if (ok && kiosk->outboxSize() == 0)
            loop.quit();
    });
    t.start();
    sync.syncNow();
    sync.start();
    loop.exec();
    const double seconds = double(t.nsecsElapsed()) / 1e9;
    server.stop();
    auto check = ServerStore::open({serverDir, QString()});
    const qint64 held = (*check)->sql().query(QStringLiteral("SELECT count(*) FROM kiosk_event"))->first().first().toLongLong();
    if (held != events)
        die(QStringLiteral("server holds %1 of %2 events").arg(held).arg(events));
    const double n = uploads;
    std::fprintf(stderr,
                 "bench_sync: %d uploads; each: kiosk prepares %.1f ms, request %.1f ms (server's work %.1f ms, "
                 "transport %.1f ms), kiosk acknowledges %.1f ms; unaccounted %.1f ms\n",
                 int(uploads), prepareNs / 1e6 / n, requestNs / 1e6 / n, double(serverNs) / 1e6 / n,
                 (requestNs - double(serverNs)) / 1e6 / n, acknowledgeNs / 1e6 / n,
                 (seconds * 1e9 - prepareNs - requestNs - acknowledgeNs) / 1e6 / n);
    std::printf("| %d queued events drained after reconnecting (batches of %d, HTTPS, one kiosk) | %.2f s (%.0f events/s) | floor: server store ingest %.0f events/s | target under 5 s |\n",
                events, syncConfig.batchSize, seconds, events / seconds, floorRate);
    return 0;
}
