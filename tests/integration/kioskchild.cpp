// A kiosk as a separate process, for the fault tests (tst_syncfaults): it
// appends events to a real kiosk store (SQLCipher file), printing "ok ID"
// once each append has returned, and optionally relays its outbox to a
// server with the real SyncClient. The test kills it mid-write (SIGKILL) or
// runs it under libfaketime with its clock hours off.
//
//   [KAODIAN_ENROLMENT_CODE=KDENROL1|…] kioskchild DIR REGS COUNT
//
// DIR: the kiosk's data folder (created on first run, reopened after);
// REGS: a file of "session_id registration_id" lines the events are for;
// COUNT: events to append (0: until killed); with an enrolment code in the
// environment (as kaodian-kiosk takes it: never on the command line), then
// syncs until the outbox is empty, prints "drained" and exits 0 (2 when it
// does not drain within 60 s). Device time is this process's clock.

#include "kiosk/sync/enrolmentinput.h"
#include "kiosk/sync/syncclient.h"

#include <QCoreApplication>
#include <QFile>
#include <QTimer>

#include <cstdio>

using namespace kaodian;
using namespace kaodian::kiosk;

namespace {

// The events of a day at the door, in a repeating cycle over the candidates.
KioskEvent nextEvent(qint64 n, const QList<std::pair<Id, Id>> &regs)
{
    const auto [session, registration] = regs[static_cast<qsizetype>(n % regs.size())];
    KioskEvent e;
    e.sessionId = session;
    e.registrationId = registration;
    e.deviceTime = QDateTime::currentDateTimeUtc();
    switch ((n / regs.size()) % 4) {
    case 0:
        e.kind = EventKind::CheckIn;
        e.late = n % 7 == 0;
        break;
    case 1:
        e.kind = EventKind::Incident;
        e.incident = IncidentCategory::Other;
        e.reason = QStringLiteral("记录 %1").arg(n);
        break;
    case 2:
        e.kind = EventKind::Result;
        e.outcome = n % 3 == 0 ? Outcome::Fail : Outcome::Pass;
        e.score = int(n % 101);
        break;
    default:
        e.kind = n % 5 == 0 ? EventKind::MarkAbsent : EventKind::MarkLate;
        break;
    }
    return e;
}

int fail(const QString &why)
{
    std::fprintf(stderr, "kioskchild: %s\n", qPrintable(why));
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    const QString enrolmentText = takeSecretFromEnvironment(kEnrolmentCodeVariable);
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 4)
        return fail(QStringLiteral("usage: [KAODIAN_ENROLMENT_CODE=KDENROL1|…] kioskchild DIR REGS COUNT"));
    const KioskPaths paths {args[1]};
    const QString passphrase = QStringLiteral("考点口令");
    QList<std::pair<Id, Id>> regs;
    {
        QFile f(args[2]);
        if (!f.open(QIODevice::ReadOnly))
            return fail(QStringLiteral("cannot read %1").arg(args[2]));
        for (const QByteArray &line : f.readAll().split('\n')) {
            const QList<QByteArray> parts = line.trimmed().split(' ');
            if (parts.size() == 2)
                regs.push_back({parts[0].toLongLong(), parts[1].toLongLong()});
        }
    }
    if (regs.isEmpty())
        return fail(QStringLiteral("no registrations"));
    const qint64 count = args[3].toLongLong();
    std::optional<EnrolmentCode> enrolment;
    if (!enrolmentText.isEmpty()) {
        enrolment = EnrolmentCode::parse(enrolmentText);
        if (!enrolment)
            return fail(QStringLiteral("bad enrolment code"));
    }

    const bool exists = QFile::exists(paths.database());
    auto opened = exists ? KioskStore::open(paths, passphrase)
                         : KioskStore::create(paths, passphrase, kMinKdfIterations);
    if (!opened)
        return fail(opened.error().message);
    KioskStore store = std::move(opened).value();
    if (!exists || store.identity().kioskId.isEmpty()) {
        const QString id = enrolment ? enrolment->kioskId() : QStringLiteral("KCHILD");
        if (auto s = store.setIdentity({id, QString(), QString(), QByteArray()}); !s)
            return fail(s.error().message);
    }
    std::printf("ready %lld\n", static_cast<long long>(store.events().size()));
    std::fflush(stdout);

    for (qint64 i = 0; count == 0 || i < count; ++i) {
        auto e = store.appendEvent(nextEvent(qint64(store.events().size()), regs));
        if (!e)
            return fail(e.error().message);
        std::printf("ok %lld\n", static_cast<long long>(e->eventId));
        std::fflush(stdout);
    }
    if (!enrolment)
        return 0;

    CheckInService service(store, [] { return QDateTime::currentDateTime(); });
    SyncConfig config;
    config.enrolment = *enrolment;
    config.intervalMs = 50;
    config.minBackoffMs = 50;
    config.maxBackoffMs = 500;
    SyncClient sync(service, config);
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, [&] {
        if (store.outboxSize() == 0) {
            std::printf("drained\n");
            std::fflush(stdout);
            app.exit(0);
        }
    });
    poll.start(50);
    QTimer::singleShot(60000, [&] { app.exit(2); });
    sync.start();
    return app.exec();
}
