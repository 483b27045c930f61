// The compliance board (DESIGN.md: under 0.3 s for 200 pilots, two years of
// weekly reports and 2,000 teachers), beside its floor from the same run:
// the time the board spends in its own queries (ComplianceTiming::readNs),
// so what the rules and the layout add is the difference.
// The store also holds 800 sessions with 40,000 registrations (the
// statistics the board reads for 第七条(五)(六)), 30 sites and a cancelled
// certificate, so every article has data.
// Embedded store always; PostgreSQL too when --postgres URL is given.
//
// Usage: bench_compliance [--postgres URL] [--pilots N] [--teachers N] [--weeks N]

#include "store/serverstore.h"

#include <QCoreApplication>
#include <QDir>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace kaodian;
using namespace kaodian::server;

namespace {

[[noreturn]] void die(const QString &message)
{
    std::fprintf(stderr, "bench_compliance: %s\n", qPrintable(message));
    std::exit(1);
}

void mustOk(const Status<StoreError> &s, const char *what)
{
    if (!s)
        die(QStringLiteral("%1: %2").arg(QLatin1String(what), s.error().message));
}

struct Sizes
{
    int pilots = 200;
    int teachers = 2000;
    int weeks = 104;
};

// Fills the store in SQL. Ten colleges, each with pilots/10 majors; pilot i
// of certificate i (one certificate cancelled); weekly reports for every
// pilot and week from two years ago, one in thirteen missing; two
// qualifications a teacher, some expired; 800 sessions of 50.
void fill(ServerStore &store, const Sizes &n)
{
    auto &sql = store.sql();
    const bool pg = store.dialect() == Dialect::Postgres;
    const auto series = [pg](int count) {
        return pg ? QStringLiteral("generate_series(1, %1) AS g(i)").arg(count)
                  : QStringLiteral("(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %1)"
                                   " SELECT i FROM n) AS g")
                        .arg(count);
    };
    const auto daysAfter = [pg](const char *date, const QString &days) {
        return pg ? QStringLiteral("(DATE '%1' + (%2))::text").arg(QLatin1String(date), days)
                  : QStringLiteral("date('%1', '+' || (%2) || ' days')").arg(QLatin1String(date), days);
    };
    const auto exec = [&](const QString &script, const char *what) {
        mustOk(sql.execScript(QString(script).replace(QLatin1String("%%"), QLatin1String("%"))), what);
    };
    exec(QStringLiteral("INSERT INTO college (name) SELECT '学院' || g.i FROM %1;").arg(series(10)), "colleges");
    exec(QStringLiteral("INSERT INTO major (college_id, name, code, active)"
                        " SELECT 1 + g.i %% 10, '专业' || g.i, 'M' || g.i, 1 FROM %1;")
             .arg(series(n.pilots)),
         "majors");
    exec(QStringLiteral("INSERT INTO certificate (name, cancelled_on, cancel_document)"
                        " SELECT '证书' || g.i, CASE WHEN g.i = 7 THEN '2026-01-01' END, '' FROM %1;")
             .arg(series(n.pilots)),
         "certificates");
    // Pilot i: college 1 + i % 10, certificate i, started two years ago.
    exec(QStringLiteral("INSERT INTO pilot (college_id, certificate_id, level, registered, active, start_date, approved_count)"
                        " SELECT 1 + g.i %% 10, g.i, 1 + g.i %% 3, 1, 1, '2024-12-02', 300 FROM %1;")
             .arg(series(n.pilots)),
         "pilots");
    exec(QStringLiteral("INSERT INTO pilot_major (pilot_id, major_id) SELECT g.i, g.i FROM %1;").arg(series(n.pilots)),
         "pilot majors");
    exec(QStringLiteral("INSERT INTO weekly_report (pilot_id, week_monday, body, submitted_at, submitted_by)"
                        " SELECT 1 + g.i %% %2, %3, '本周完成培训', %4 || 'T02:00:00.000Z', 'college'"
                        " FROM %1 WHERE g.i %% 13 <> 0;")
             .arg(series(n.pilots * n.weeks))
             .arg(n.pilots)
             .arg(daysAfter("2024-12-02", QStringLiteral("7 * (g.i / %1)").arg(n.pilots)),
                  daysAfter("2024-12-02", QStringLiteral("7 * (g.i / %1) + 7").arg(n.pilots))),
         "weekly reports");
    exec(QStringLiteral("INSERT INTO report_exemption (week_monday, reason, recorded_by, recorded_at)"
                        " VALUES ('2025-01-27', '寒假', 'office', '2025-01-01T00:00:00.000Z'),"
                        " ('2025-02-03', '寒假', 'office', '2025-01-01T00:00:00.000Z');"),
         "exemptions");
    exec(QStringLiteral("INSERT INTO teacher (staff_number, name, college_id, major_id)"
                        " SELECT 'T' || g.i, '教师' || g.i, 1 + (g.i %% %2) %% 10, 1 + g.i %% %2 FROM %1;")
             .arg(series(n.teachers))
             .arg(n.pilots),
         "teachers");
    exec(QStringLiteral("INSERT INTO qualification (teacher_id, kind, certificate_id, level, number, valid_from, valid_until)"
                        " SELECT g.i, 1, 1 + g.i %% %2, 1, 'Q' || g.i, '2024-01-01',"
                        " CASE WHEN g.i %% 5 = 0 THEN '2025-12-31' ELSE '2027-12-31' END FROM %1;"
                        "INSERT INTO qualification (teacher_id, kind, certificate_id, level, number, valid_from, valid_until)"
                        " SELECT g.i, 2, 1 + g.i %% %2, 1, 'A' || g.i, '2024-01-01', '2028-06-30' FROM %1 WHERE g.i %% 2 = 0;")
             .arg(series(n.teachers))
             .arg(n.pilots),
         "qualifications");
    exec(QStringLiteral("INSERT INTO site (name, agreement_number, agreement_expires)"
                        " SELECT '考点' || g.i, 'HZ' || g.i, CASE WHEN g.i %% 10 = 0 THEN '2026-06-30' ELSE '2028-06-30' END"
                        " FROM %1;"
                        "INSERT INTO room (site_id, code) SELECT id, '01' FROM site;")
             .arg(series(30)),
         "sites");
    exec(QStringLiteral("INSERT INTO exam_session (pilot_id, site_id, exam_date, start_time, published_count, results_final)"
                        " SELECT 1 + g.i %% %2, 1 + g.i %% 30, %3, '09:00', 60, 1 FROM %1;")
             .arg(series(800))
             .arg(n.pilots)
             .arg(daysAfter("2025-03-01", QStringLiteral("g.i / 2"))),
         "sessions");
    exec(QStringLiteral("INSERT INTO candidate (id_number, name, student_number, major_id)"
                        " SELECT 'ID' || g.i, '考生' || g.i, 'S' || g.i, 1 FROM %1;"
                        "INSERT INTO registration (session_id, candidate_id, ticket_number, room_id, seat, attendance, outcome)"
                        " SELECT 1 + g.i %% 800, g.i, 'T' || g.i, 1 + g.i %% 30, 'S' || g.i, 1 + (g.i %% 5 = 0),"
                        " CASE WHEN g.i %% 5 = 0 THEN NULL WHEN g.i %% 3 = 0 THEN 2 ELSE 1 END FROM %1;")
             .arg(series(40000)),
         "registrations");
    if (pg)
        mustOk(sql.execScript(QStringLiteral("ANALYZE")), "analyze");
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

void bench(const StoreLocation &location, const char *label, const Sizes &sizes)
{
    auto opened = ServerStore::open(location);
    if (!opened)
        die(opened.error().message);
    auto &store = **opened;
    fill(store, sizes);
    std::vector<double> totalMs, readMs;
    qsizetype flags = 0;
    qsizetype rows = 0;
    for (int run = 0; run < 7; ++run) {
        ComplianceTiming timing;
        auto board = store.compliance().board(std::nullopt, &timing);
        if (!board)
            die(board.error().message);
        totalMs.push_back(double(timing.totalNs) / 1e6);
        readMs.push_back(double(timing.readNs) / 1e6);
        flags = board->flags.size();
        rows = board->rows.size();
    }
    std::printf("| compliance board, %s, %d pilots, %d weeks of reports, %d teachers (median of 7) | %.0f ms |"
                " its own queries %.0f ms | %lld rows, %lld flags |\n",
                label, sizes.pilots, sizes.weeks, sizes.teachers, median(totalMs), median(readMs),
                static_cast<long long>(rows), static_cast<long long>(flags));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QString postgres;
    Sizes sizes;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--postgres"))
            postgres = args[i + 1];
        else if (args[i] == QLatin1String("--pilots"))
            sizes.pilots = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--teachers"))
            sizes.teachers = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--weeks"))
            sizes.weeks = args[i + 1].toInt();
    }
    std::printf("| measure | figure | floor, same run | notes |\n|---|---:|---:|---|\n");
    QTemporaryDir dir(QDir::currentPath() + QStringLiteral("/bench-XXXXXX"));
    const QString path = dir.filePath(QStringLiteral("compliance"));
    if (auto s = ServerStore::createEmbedded(path); !s)
        die(s.error().message);
    bench({path, QString()}, "embedded", sizes);
    if (!postgres.isEmpty()) {
        auto reset = ServerStore::open({QString(), postgres});
        if (!reset)
            die(reset.error().message);
        mustOk((*reset)->sql().execScript(QStringLiteral("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")), "reset");
        reset->reset();
        bench({QString(), postgres}, "PostgreSQL", sizes);
    }
    return 0;
}
