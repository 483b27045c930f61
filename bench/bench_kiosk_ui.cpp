// The kiosk's whole UI path beside its floors, measured in the same run:
//   path:  scanned text -> CheckInViewModel::submitScan -> verified ->
//          durable check-in -> the view model's card and counts updated
//          (cardChanged and statusChanged observed), as the check-in
//          screen sees it;
//   core:  the same scan through CheckInService alone (no view model), on a
//          second store with the same roster;
//   floor: one Ed25519 verify + one synced SQLCipher insert (DESIGN.md's).
// The three alternate scan by scan so they see the same disk. p50 and p99
// over N scans with an N-candidate roster (10,000 by default).
//
// Usage: bench_kiosk_ui [--scans N] [--candidates N]

#include "kioskbench.h"
#include "checkinviewmodel.h"
#include "kioskservices.h"

#include "kiosk/core/checkinservice.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTimeZone>

#include <algorithm>
#include <cstdio>

using namespace kaodian;
using namespace kaodian::kiosk;
using namespace kaodian::bench;

namespace {

[[noreturn]] void die(const QString &m)
{
    std::fprintf(stderr, "bench_kiosk_ui: %s\n", qPrintable(m));
    std::exit(1);
}

KioskStore makeStore(const KioskPaths &paths, const SessionPackage &package, const SigningKey &key)
{
    auto store = KioskStore::create(paths, QStringLiteral("口令"), kMinKdfIterations);
    if (!store)
        die(store.error().message);
    if (!store->setIdentity(
            {QStringLiteral("K1"), QStringLiteral("实训楼考点"), QStringLiteral("01"), key.verifyKey().raw()})
        || !store->provision(package))
        die(QStringLiteral("provision"));
    return std::move(store).value();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int scans = 10000, candidates = 10000;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--scans"))
            scans = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--candidates"))
            candidates = args[i + 1].toInt();
    }
    scans = std::min(scans, candidates);
    QTemporaryDir dir(QDir::currentPath() + "/bench-kiosk-ui-XXXXXX");
    const SigningKey key = *SigningKey::generate();
    const SessionPackage package = bigPackage(candidates, key);
    const QDateTime now(QDate(2026, 6, 1), QTime(8, 30), QTimeZone(8 * 3600));

    // The UI path: the services and the check-in screen's view model.
    KioskServices services(KioskPaths {dir.filePath("ui")}, [now] { return now; });
    services.adopt(makeStore(services.paths(), package, key));
    CheckInViewModel vm(&services);
    int cards = 0, statuses = 0;
    QObject::connect(&vm, &CheckInViewModel::cardChanged, [&cards] { ++cards; });
    QObject::connect(&vm, &CheckInViewModel::statusChanged, [&statuses] { ++statuses; });

    // The bare core path on its own store.
    KioskStore coreStore = makeStore(KioskPaths {dir.filePath("core")}, package, key);
    CheckInService core(coreStore, [now] { return now; });

    // The floor: verify + one synced insert.
    TicketVerifier verifier;
    verifier.addKey(key.verifyKey());
    auto floorDb = Database::create(dir.filePath("floor.db"), dir.filePath("floor.key"), QStringLiteral("x"),
        StoreOptions {{{1, "CREATE TABLE e (id INTEGER PRIMARY KEY, t TEXT NOT NULL);"}}, false},
        kMinKdfIterations);
    if (!floorDb)
        die(floorDb.error().message);
    auto insert = floorDb->prepare(QStringLiteral("INSERT INTO e (t) VALUES (?)"));

    std::vector<QString> texts;
    texts.reserve(static_cast<std::size_t>(scans));
    for (int i = 0; i < scans; ++i)
        texts.push_back(QString::fromUtf8(ticketFor(package.roster[i], key)));

    std::vector<double> uiUs, coreUs, floorUs;
    QElapsedTimer t;
    for (int i = 0; i < scans; ++i) {
        const QString &text = texts[static_cast<std::size_t>(i)];
        t.start();
        auto claims = verifier.verify(text.toUtf8());
        insert->reset();
        insert->bind(1, claims->ticketNumber);
        if (!insert->run())
            die(QStringLiteral("floor insert"));
        floorUs.push_back(double(t.nsecsElapsed()) / 1e3);

        t.start();
        const auto outcome = core.scan(text.toUtf8());
        coreUs.push_back(double(t.nsecsElapsed()) / 1e3);
        if (!outcome.success())
            die(QStringLiteral("core scan %1 refused: %2").arg(i).arg(scanResultCode(outcome.result)));

        const int cardsBefore = cards, statusesBefore = statuses;
        t.start();
        vm.submitScan(text);
        const bool updated = cards > cardsBefore && statuses > statusesBefore; // both seen, synchronously
        uiUs.push_back(double(t.nsecsElapsed()) / 1e3);
        if (!updated || vm.resultCode() != QLatin1String("checked_in") || vm.checkedInCount() != i + 1)
            die(QStringLiteral("ui scan %1: %2, %3 checked in")
                    .arg(i)
                    .arg(vm.resultCode())
                    .arg(vm.checkedInCount()));
    }
    if (services.store()->events().size() != std::size_t(scans)
        || coreStore.events().size() != std::size_t(scans))
        die(QStringLiteral("events lost or doubled"));

    const auto [u50, u99] = p50p99(uiUs);
    const auto [c50, c99] = p50p99(coreUs);
    const auto [f50, f99] = p50p99(floorUs);
    std::printf("| measure | p50 µs | p99 µs | p99 ratio to the floor |\n|---|---:|---:|---:|\n");
    std::printf("| floor: Ed25519 verify + one synced insert | %.0f | %.0f | 1.00 |\n", f50, f99);
    std::printf(
        "| core path: CheckInService::scan, no view model | %.0f | %.0f | %.2f |\n", c50, c99, c99 / f99);
    std::printf("| UI path: scanned text -> CheckInViewModel updated (card and counts signals seen), %d "
                "scans, %d-candidate roster | %.0f | %.0f | %.2f |\n",
        scans, candidates, u50, u99, u99 / f99);
    return 0;
}
