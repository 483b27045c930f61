// Kiosk benchmarks, each beside its floor from the same run:
//   scan:   scanned text -> verified -> durable check-in -> state updated,
//           p50/p99 over N scans; floor: one Ed25519 verify + one synced insert.
//   start:  cold start to ready with a 10,000-candidate roster (store open
//           apart from key derivation, package loaded, service built) and
//           resident memory; floor: the key derivation alone, reported apart.
//   camera: a 1280x720 frame with one ticket QR -> decoded, median;
//           floor: the same decoder on a frame with no QR.
//
// Usage: bench_kiosk [--scans N] [--candidates N]

#include "kioskbench.h"
#include "kiosk/core/checkinservice.h"
#include "qr/qrcodec.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTimeZone>

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>

using namespace kaodian;
using namespace kaodian::kiosk;
using namespace kaodian::bench;

namespace {

[[noreturn]] void die(const QString &m)
{
    std::fprintf(stderr, "bench_kiosk: %s\n", qPrintable(m));
    std::exit(1);
}

qint64 residentKiB()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    return -1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const qint64 rssAtStart = residentKiB();
    int scans = 10000, candidates = 10000;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--scans"))
            scans = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--candidates"))
            candidates = args[i + 1].toInt();
    }
    scans = std::min(scans, candidates);
    QTemporaryDir dir(QDir::currentPath() + "/bench-kiosk-XXXXXX");
    const SigningKey key = *SigningKey::generate();
    const KioskPaths paths{dir.filePath("kiosk")};
    {
        auto store = KioskStore::create(paths, QStringLiteral("口令"));
        if (!store)
            die(store.error().message);
        store->setIdentity({QStringLiteral("K1"), QStringLiteral("实训楼考点"), QStringLiteral("01"), key.verifyKey().raw()});
        if (!store->provision(bigPackage(candidates, key)))
            die(QStringLiteral("provision"));
    }
    std::printf("| measure | figure | floor, same run | target |\n|---|---:|---:|---|\n");

    // Cold start: key derivation apart (it is the passphrase's cost, by
    // design). Each is the best of three, so the difference is fair.
    QElapsedTimer t;
    double kdfMs = 1e9, totalMs = 1e9;
    const QDateTime now(QDate(2026, 6, 1), QTime(8, 30), QTimeZone(8 * 3600));
    for (int round = 0; round < 3; ++round) {
        t.start();
        auto contents = readKeyFile(paths.keyFile());
        if (!contents || !unwrapKey(*contents, QStringLiteral("口令")))
            die(QStringLiteral("unwrap"));
        kdfMs = std::min(kdfMs, double(t.nsecsElapsed()) / 1e6);
        t.start();
        auto trial = KioskStore::open(paths, QStringLiteral("口令"));
        if (!trial)
            die(trial.error().message);
        CheckInService ready(*trial, [now] { return now; });
        if (!ready.currentSession())
            die(QStringLiteral("not ready"));
        totalMs = std::min(totalMs, double(t.nsecsElapsed()) / 1e6);
    }
    const double startMs = totalMs - kdfMs;
    auto opened = KioskStore::open(paths, QStringLiteral("口令"));
    if (!opened)
        die(opened.error().message);
    KioskStore store = std::move(opened).value();
    CheckInService service(store, [now] { return now; });
    std::printf("| cold start to ready, %d-candidate roster (key derivation apart; best of 3) | %.0f ms | key derivation alone %.0f ms (open with it: %.0f ms) | under 1 s |\n",
                candidates, startMs, kdfMs, totalMs);
    std::printf("| resident memory when ready (whole process; the bench also built the store first) | %.1f MB | %.1f MB at process start | under 150 MB |\n",
                double(residentKiB()) / 1024.0, double(rssAtStart) / 1024.0);

    // Scan path beside its floor.
    const auto roster = service.roster(1);
    std::vector<QByteArray> texts;
    texts.reserve(static_cast<std::size_t>(scans));
    for (int i = 0; i < scans; ++i)
        texts.push_back(ticketFor(roster[i], key));
    std::vector<double> scanUs, floorUs;
    // Floor and path alternate, scan by scan, so both see the same disk.
    TicketVerifier verifier;
    verifier.addKey(key.verifyKey());
    auto floorDb = Database::create(dir.filePath("floor.db"), dir.filePath("floor.key"), QStringLiteral("x"),
                                    StoreOptions{{{1, "CREATE TABLE e (id INTEGER PRIMARY KEY, t TEXT NOT NULL);"}}, false},
                                    kMinKdfIterations);
    if (!floorDb)
        die(floorDb.error().message);
    auto insert = floorDb->prepare(QStringLiteral("INSERT INTO e (t) VALUES (?)"));
    for (int i = 0; i < scans; ++i) {
        t.start();
        auto claims = verifier.verify(texts[static_cast<std::size_t>(i)]);
        insert->reset();
        insert->bind(1, claims->ticketNumber);
        if (!insert->run())
            die(QStringLiteral("floor insert"));
        floorUs.push_back(double(t.nsecsElapsed()) / 1e3);

        t.start();
        const auto outcome = service.scan(texts[static_cast<std::size_t>(i)]);
        scanUs.push_back(double(t.nsecsElapsed()) / 1e3);
        if (!outcome.success())
            die(QStringLiteral("scan %1 refused: %2").arg(i).arg(scanResultCode(outcome.result)));
    }
    const auto [s50, s99] = p50p99(scanUs);
    const auto [f50, f99] = p50p99(floorUs);
    std::printf("| scan -> verified -> durable check-in -> state updated, %d scans | p50 %.0f µs, p99 %.0f µs | verify + synced insert: p50 %.0f µs, p99 %.0f µs (p99 ratio %.2f) | p99 under 10 ms and under 1.5x the floor |\n",
                scans, s50, s99, f50, f99, s99 / f99);

    // Camera path.
    const QImage code = qr::renderText(texts.front(), 4);
    QImage frame(1280, 720, QImage::Format_Grayscale8);
    QImage empty(1280, 720, QImage::Format_Grayscale8);
    QRandomGenerator rng(7);
    for (int y = 0; y < 720; ++y) {
        uchar *a = frame.scanLine(y);
        uchar *b = empty.scanLine(y);
        for (int x = 0; x < 1280; ++x)
            a[x] = b[x] = static_cast<uchar>(110 + rng.bounded(40));
    }
    {
        QPainter p(&frame);
        p.drawImage(QPoint(700, 180), code);
    }
    std::vector<double> decodeMs, emptyMs;
    for (int i = 0; i < 30; ++i) {
        t.start();
        const auto texts2 = qr::decodeGray(frame.constBits(), frame.width(), frame.height(), int(frame.bytesPerLine()));
        decodeMs.push_back(double(t.nsecsElapsed()) / 1e6);
        if (texts2.size() != 1 || texts2.front() != texts.front())
            die(QStringLiteral("camera frame not decoded"));
        t.start();
        (void)qr::decodeGray(empty.constBits(), empty.width(), empty.height(), int(empty.bytesPerLine()));
        emptyMs.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    std::printf("| camera frame 1280x720 with one ticket QR -> decoded (median of 30) | %.1f ms | same decoder, frame without a QR: %.1f ms | median under 15 ms |\n",
                p50p99(decodeMs).first, p50p99(emptyMs).first);
    return 0;
}
