// A writer for the store fault tests (tst_storefaults), run as a child
// process, usually under fiu-run: it writes through the same code the kiosk
// and the server use (KioskStore::appendEvent, EventLog::ingest) and
// prints, flushed, one line per attempt: "ACK <event id>" once the store said
// the write is done, or "ERR <event id> <message>" when it said it is not.
//
// SQLite writes its pages with pwrite64, which fiu's POSIX preload library
// does not wrap; this helper routes SQLite's pwrite64 through the fiu point
// posix/io/rw/pwrite itself (failinfo = the errno, e.g. 28 ENOSPC), so
// `fiu-run -x -c 'enable_random name=posix/io/rw/pwrite,probability=0.1,failinfo=28'`
// fills the disk under SQLite; posix/io/sync/fdatasync is fiu's own.
//
// kiosk-create DIR PASSPHRASE
// kiosk-write DIR PASSPHRASE COUNT [crash]   crash: _Exit without closing (the WAL stays unchecked-pointed)
// server-write DATA_DIR KIOSK_ID SESSION_ID REG,REG,... FIRST_EVENT_ID COUNT [crash]

#define FIU_ENABLE 1
#include <fiu.h>

#include "kiosk/core/kioskstore.h"
#include "store/serverstore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QStringList>

#include <sqlite3.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

using namespace kaodian;

namespace {

using Pwrite64 = ssize_t (*)(int, const void *, size_t, off_t);
Pwrite64 g_realPwrite64 = nullptr;

ssize_t faultyPwrite64(int fd, const void *buf, size_t count, off_t offset)
{
    if (fiu_fail("posix/io/rw/pwrite")) {
        const auto info = reinterpret_cast<std::intptr_t>(fiu_failinfo());
        errno = info ? static_cast<int>(info) : ENOSPC;
        return -1;
    }
    return g_realPwrite64(fd, buf, count, offset);
}

void routePwriteThroughFiu()
{
    sqlite3_vfs *vfs = sqlite3_vfs_find(nullptr);
    g_realPwrite64 = reinterpret_cast<Pwrite64>(vfs->xGetSystemCall(vfs, "pwrite64"));
    if (!g_realPwrite64 || vfs->xSetSystemCall(vfs, "pwrite64", reinterpret_cast<sqlite3_syscall_ptr>(&faultyPwrite64)) != SQLITE_OK) {
        std::fprintf(stderr, "cannot route pwrite64 through fiu\n");
        std::exit(3);
    }
}

void say(const QByteArray &line)
{
    std::fwrite(line.constData(), 1, static_cast<size_t>(line.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

QByteArray oneLine(const QString &s) { return s.simplified().toUtf8(); }

int kioskCreate(const QStringList &a)
{
    kiosk::KioskPaths paths {a.value(0)};
    auto store = kiosk::KioskStore::create(paths, a.value(1), kMinKdfIterations);
    if (!store) {
        say("ERR 0 " + oneLine(store.error().message));
        return 1;
    }
    kiosk::KioskIdentity identity;
    identity.kioskId = QStringLiteral("Kfault");
    identity.site = QStringLiteral("实训楼考点");
    identity.room = QStringLiteral("01");
    if (auto s = store->setIdentity(identity); !s) {
        say("ERR 0 " + oneLine(s.error().message));
        return 1;
    }
    return 0;
}

int kioskWrite(const QStringList &a)
{
    // Opening writes too (and may meet the full disk): say so and try again,
    // as a proctor would.
    auto store = kiosk::KioskStore::open(kiosk::KioskPaths {a.value(0)}, a.value(1));
    for (int attempt = 0; !store && attempt < 20; ++attempt) {
        say("OPENERR " + QByteArray::number(static_cast<int>(store.error().code)) + ' ' + oneLine(store.error().message));
        store = kiosk::KioskStore::open(kiosk::KioskPaths {a.value(0)}, a.value(1));
    }
    if (!store) {
        say("ERR 0 " + oneLine(store.error().message));
        return 1;
    }
    const int count = a.value(2).toInt();
    for (int i = 0; i < count; ++i) {
        KioskEvent e;
        e.kind = EventKind::CheckIn;
        e.sessionId = 1;
        e.registrationId = 1000 + i;
        e.deviceTime = QDateTime(QDate(2026, 6, 1), QTime(8, 0), Qt::UTC).addSecs(i);
        e.method = CheckInMethod::Manual;
        e.reason = QStringLiteral("attempt %1").arg(i);
        auto stored = store->appendEvent(e);
        if (stored)
            say("ACK " + QByteArray::number(stored->eventId) + ' ' + QByteArray::number(i));
        else
            say("ERR " + QByteArray::number(i) + ' ' + oneLine(stored.error().message));
    }
    if (a.value(3) == QLatin1String("crash"))
        std::_Exit(0);
    return 0;
}

int serverWrite(const QStringList &a)
{
    server::StoreLocation location {a.value(0), QString()};
    auto store = server::ServerStore::open(location);
    for (int attempt = 0; !store && attempt < 20; ++attempt) {
        say("OPENERR " + QByteArray::number(static_cast<int>(store.error().code)) + ' ' + oneLine(store.error().message));
        store = server::ServerStore::open(location);
    }
    if (!store) {
        say("ERR 0 " + oneLine(store.error().message));
        return 1;
    }
    const QString kioskId = a.value(1);
    const Id session = a.value(2).toLongLong();
    QList<Id> registrations;
    for (const QString &r : a.value(3).split(QLatin1Char(',')))
        registrations.append(r.toLongLong());
    const qint64 first = a.value(4).toLongLong();
    const int count = a.value(5).toInt();
    for (int i = 0; i < count; ++i) {
        KioskEvent e;
        e.kioskId = kioskId;
        e.eventId = first + i;
        e.kind = EventKind::CheckIn;
        e.sessionId = session;
        e.registrationId = registrations[i % registrations.size()];
        e.deviceTime = QDateTime(QDate(2026, 6, 1), QTime(8, 0), Qt::UTC).addSecs(i);
        auto outcome = (*store)->events().ingest(kioskId, {e}, QDateTime::currentDateTimeUtc());
        if (outcome && outcome->acknowledged.contains(e.eventId))
            say("ACK " + QByteArray::number(e.eventId));
        else
            say("ERR " + QByteArray::number(e.eventId) + ' '
                + (outcome ? QByteArray("not acknowledged") : oneLine(outcome.error().message)));
    }
    if (a.value(6) == QLatin1String("crash"))
        std::_Exit(0);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    fiu_init(0);
    routePwriteThroughFiu();
    QStringList args = app.arguments().mid(1);
    const QString mode = args.value(0);
    args.removeFirst();
    if (mode == QLatin1String("kiosk-create"))
        return kioskCreate(args);
    if (mode == QLatin1String("kiosk-write"))
        return kioskWrite(args);
    if (mode == QLatin1String("server-write"))
        return serverWrite(args);
    std::fprintf(stderr, "usage: see the comment at the top of storefault_helper.cpp\n");
    return 2;
}
