// verify ticket + durable insert, beside its floors from the same run:
// one Ed25519 verify alone, and one synced SQLCipher insert alone.
//
// Usage: bench_checkin [--iterations N] [--dir PATH]
// Prints a Markdown table and a JSON line (for bench/run).

#include "core/database.h"
#include "core/ticket.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace kaodian;

namespace {

struct Stats
{
    double p50 = 0, p99 = 0, mean = 0;
};

Stats summarise(std::vector<double> us)
{
    std::sort(us.begin(), us.end());
    Stats s;
    s.p50 = us[us.size() / 2];
    s.p99 = us[std::min(us.size() - 1, us.size() * 99 / 100)];
    double total = 0;
    for (double v : us)
        total += v;
    s.mean = total / static_cast<double>(us.size());
    return s;
}

StoreOptions benchSchema()
{
    return StoreOptions{{{1, "CREATE TABLE checkin (id INTEGER PRIMARY KEY, kiosk TEXT NOT NULL,"
                             " event_id INTEGER NOT NULL, ticket TEXT NOT NULL, device_time INTEGER NOT NULL,"
                             " UNIQUE (kiosk, event_id));"}},
                        false};
}

[[noreturn]] void die(const QString &message)
{
    std::fprintf(stderr, "bench_checkin: %s\n", qPrintable(message));
    std::exit(1);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int iterations = 2000;
    QString dir;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--iterations"))
            iterations = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--dir"))
            dir = args[i + 1];
    }
    QTemporaryDir tmp(dir.isEmpty() ? QDir::tempPath() + "/kaodian-bench-XXXXXX" : dir + "/kaodian-bench-XXXXXX");

    const auto key = SigningKey::generate();
    TicketVerifier verifier;
    verifier.addKey(key->verifyKey());
    std::vector<QByteArray> tickets;
    for (int i = 0; i < iterations; ++i) {
        TicketClaims c;
        c.ticketNumber = QStringLiteral("2026112800%1").arg(i, 5, 10, QLatin1Char('0'));
        c.sessionId = 7;
        c.validFrom = QDateTime(QDate(2026, 11, 28), QTime(0, 0), Qt::UTC);
        c.validUntil = c.validFrom.addDays(1);
        tickets.push_back(*issueTicket(c, *key));
    }

    auto open = [&](const QString &name) {
        auto db = Database::create(tmp.filePath(name + ".db"), tmp.filePath(name + ".key"),
                                   QStringLiteral("bench"), benchSchema(), kMinKdfIterations);
        if (!db)
            die(db.error().message);
        return std::move(db).value();
    };

    QElapsedTimer timer;
    // Floor 1: Ed25519 verify alone.
    std::vector<double> verifyUs;
    for (const auto &t : tickets) {
        timer.start();
        auto r = verifier.verify(t);
        verifyUs.push_back(static_cast<double>(timer.nsecsElapsed()) / 1000.0);
        if (!r)
            die(QStringLiteral("verify failed"));
    }

    // Floor 2: one synced insert alone (autocommit, WAL, synchronous=FULL).
    Database floorDb = open(QStringLiteral("floor"));
    auto floorInsert = floorDb.prepare(
        QStringLiteral("INSERT INTO checkin (kiosk, event_id, ticket, device_time) VALUES ('K', ?, ?, ?)"));
    std::vector<double> insertUs;
    for (int i = 0; i < iterations; ++i) {
        timer.start();
        floorInsert->reset();
        floorInsert->bind(1, i + 1).bind(2, QStringLiteral("T")).bind(3, std::int64_t(i));
        auto s = floorInsert->run();
        insertUs.push_back(static_cast<double>(timer.nsecsElapsed()) / 1000.0);
        if (!s)
            die(s.error().message);
    }

    // The path: scanned text -> verified -> durable check-in.
    Database db = open(QStringLiteral("path"));
    auto insert = db.prepare(
        QStringLiteral("INSERT INTO checkin (kiosk, event_id, ticket, device_time) VALUES ('K', ?, ?, ?)"));
    std::vector<double> pathUs;
    for (int i = 0; i < iterations; ++i) {
        timer.start();
        auto claims = verifier.verify(tickets[static_cast<std::size_t>(i)]);
        if (!claims)
            die(QStringLiteral("verify failed"));
        insert->reset();
        insert->bind(1, i + 1).bind(2, claims->ticketNumber).bind(3, QDateTime::currentSecsSinceEpoch());
        auto s = insert->run();
        pathUs.push_back(static_cast<double>(timer.nsecsElapsed()) / 1000.0);
        if (!s)
            die(s.error().message);
    }

    const Stats v = summarise(verifyUs), ins = summarise(insertUs), path = summarise(pathUs);
    const double floorP99 = v.p99 + ins.p99;
    std::printf("| measure (%d iterations) | p50 µs | p99 µs | mean µs |\n|---|---:|---:|---:|\n", iterations);
    std::printf("| floor: Ed25519 verify alone | %.1f | %.1f | %.1f |\n", v.p50, v.p99, v.mean);
    std::printf("| floor: one synced SQLCipher insert alone | %.1f | %.1f | %.1f |\n", ins.p50, ins.p99, ins.mean);
    std::printf("| verify ticket + durable insert | %.1f | %.1f | %.1f |\n", path.p50, path.p99, path.mean);
    std::printf("\nratio p99 path / (p99 verify + p99 insert) = %.2f (target < 1.5); p99 path = %.2f ms (target < 10 ms)\n",
                path.p99 / floorP99, path.p99 / 1000.0);
    const QJsonObject json{{"bench", "checkin"},
                           {"iterations", iterations},
                           {"verify_p99_us", v.p99},
                           {"insert_p99_us", ins.p99},
                           {"path_p50_us", path.p50},
                           {"path_p99_us", path.p99},
                           {"ratio_to_floor", path.p99 / floorP99}};
    std::printf("JSON %s\n", QJsonDocument(json).toJson(QJsonDocument::Compact).constData());
    return 0;
}
