// The server store's suite, run once against the embedded SQLCipher store
// and once against PostgreSQL (KAODIAN_TEST_STORE=embedded|postgres).

#include "store/serverstore.h"

#include "testpg.h"

#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <map>
#include <set>

using namespace kaodian;
using namespace kaodian::server;

namespace {

// A term of generated data and the truth the test knows about it.
struct Term
{
    struct Session
    {
        Id id;
        Id pilot;
        Id college;
        QDate date;
        QTime start;
        std::optional<int> published;
        bool final;
        int registered = 0, sat = 0, absent = 0, excused = 0, passed = 0, failed = 0;
    };
    std::vector<Session> sessions;
    std::map<Id, Id> registrationSession;
    std::vector<KioskEvent> events;
};

qint64 insertId(ServerStore &s, const QString &sql, const QVariantList &params)
{
    auto r = s.sql().insertReturningId(sql, params);
    if (!r)
        qFatal("seed failed: %s", qPrintable(r.error().message));
    return *r;
}

// Fills the store with colleges, pilots, sessions and registrations, and
// makes the kiosk events that realise each candidate's fate.
Term seedTerm(ServerStore &store, quint32 seed)
{
    QRandomGenerator rng(seed);
    Term term;
    SqlTransaction tx(store.sql());
    const Id site = insertId(store, "INSERT INTO site (name) VALUES (?)", {QStringLiteral("信息楼考点")});
    const Id room = insertId(store, "INSERT INTO room (site_id, code) VALUES (?, ?)", {site, QStringLiteral("01")});
    std::vector<std::pair<Id, Id>> pilots; // pilot, college
    for (int c = 0; c < 3; ++c) {
        const Id college = insertId(store, "INSERT INTO college (name) VALUES (?)", {QStringLiteral("第%1学院").arg(c + 1)});
        const Id major = insertId(store, "INSERT INTO major (college_id, name) VALUES (?, ?)",
                                  {college, QStringLiteral("专业%1").arg(c)});
        Q_UNUSED(major);
        for (int k = 0; k < 2; ++k) {
            const Id cert = insertId(store, "INSERT INTO certificate (name) VALUES (?)",
                                     {QStringLiteral("证书%1-%2").arg(c).arg(k)});
            pilots.emplace_back(insertId(store, "INSERT INTO pilot (college_id, certificate_id, level) VALUES (?, ?, ?)",
                                         {college, cert, 1 + k}),
                                college);
        }
    }
    Id candidateSeq = 0;
    std::int64_t eventSeq = 0;
    const QDateTime base(QDate(2026, 3, 1), QTime(8, 0), Qt::UTC);
    for (int i = 0; i < 36; ++i) {
        const auto [pilot, college] = pilots[static_cast<std::size_t>(i) % pilots.size()];
        Term::Session s;
        s.pilot = pilot;
        s.college = college;
        // Each pilot sits twice on some days (09:00 and 14:00): same-date order matters.
        s.date = QDate(2026, 3, 1).addDays((i / 12) * 3);
        s.start = QTime((i / 6) % 2 ? 14 : 9, 0);
        s.final = rng.bounded(5) != 0;
        const int registered = static_cast<int>(rng.bounded(5, 60));
        const int choice = static_cast<int>(rng.bounded(6));
        s.published = choice == 0 ? std::nullopt : std::optional<int>(registered + static_cast<int>(rng.bounded(0, 40)));
        s.id = insertId(store,
                        "INSERT INTO exam_session (pilot_id, site_id, exam_date, start_time, published_count,"
                        " results_final) VALUES (?, ?, ?, ?, ?, ?)",
                        {pilot, site, s.date.toString(Qt::ISODate), s.start.toString("HH:mm"),
                         s.published ? QVariant(*s.published) : QVariant(), s.final ? 1 : 0});
        const int passPercent = static_cast<int>(rng.bounded(0, 100));
        for (int r = 0; r < registered; ++r) {
            const Id cand = insertId(store,
                                     "INSERT INTO candidate (id_number, name, student_number, major_id)"
                                     " VALUES (?, ?, ?, (SELECT min(id) FROM major))",
                                     {QStringLiteral("ID%1").arg(++candidateSeq), QStringLiteral("考生%1").arg(candidateSeq),
                                      QStringLiteral("S%1").arg(candidateSeq)});
            const Id reg = insertId(store,
                                    "INSERT INTO registration (session_id, candidate_id, ticket_number, room_id, seat)"
                                    " VALUES (?, ?, ?, ?, ?)",
                                    {s.id, cand, QStringLiteral("T%1").arg(cand), room, QStringLiteral("%1-%2").arg(s.id).arg(r)});
            term.registrationSession[reg] = s.id;
            ++s.registered;
            const QString kiosk = rng.bounded(2) ? QStringLiteral("K1") : QStringLiteral("K2");
            auto ev = [&](EventKind kind, int minute) {
                KioskEvent e;
                e.kioskId = kiosk;
                e.eventId = ++eventSeq;
                e.kind = kind;
                e.sessionId = s.id;
                e.registrationId = reg;
                e.deviceTime = base.addDays(i).addSecs(minute * 60);
                return e;
            };
            const int fate = static_cast<int>(rng.bounded(10));
            if (fate == 0) { // never came
                continue;
            } else if (fate == 1) { // absent at roll call
                term.events.push_back(ev(EventKind::MarkAbsent, 30));
                ++s.absent;
                continue;
            } else if (fate == 2) { // excused
                term.events.push_back(ev(EventKind::MarkExcused, 5));
                ++s.excused;
                continue;
            } else if (fate == 3) { // mistaken check-in, undone
                auto c = ev(EventKind::CheckIn, 10);
                auto a = ev(EventKind::Annul, 11);
                a.targetKioskId = c.kioskId;
                a.targetEventId = c.eventId;
                term.events.push_back(c);
                term.events.push_back(a);
                continue;
            }
            term.events.push_back(ev(EventKind::CheckIn, 10 + r));
            ++s.sat;
            if (fate == 4)
                term.events.push_back(ev(EventKind::MarkLate, 40));
            if (rng.bounded(100) < 90) {
                auto res = ev(EventKind::Result, 300);
                const bool pass = static_cast<int>(rng.bounded(100)) < passPercent;
                res.outcome = pass ? Outcome::Pass : Outcome::Fail;
                res.score = pass ? 80 : 40;
                term.events.push_back(res);
                ++(pass ? s.passed : s.failed);
            }
        }
        term.sessions.push_back(s);
    }
    if (!tx.commit())
        qFatal("seed commit failed");
    return term;
}

// The rules recomputed naively from the test's own truth.
std::set<std::pair<int, QList<Id>>> expectedFlags(const Term &term)
{
    std::set<std::pair<int, QList<Id>>> flags;
    for (const auto &s : term.sessions) {
        if (!s.published || *s.published <= 0)
            flags.insert({int(FlagKind::MissingPublishedCount), {s.id}});
        else if (s.sat * 100 < *s.published * 30)
            flags.insert({int(FlagKind::LowParticipation), {s.id}});
    }
    std::map<Id, std::vector<const Term::Session *>> byPilot;
    for (const auto &s : term.sessions)
        if (s.final && s.sat > 0)
            byPilot[s.pilot].push_back(&s);
    for (auto &[pilot, list] : byPilot) {
        std::sort(list.begin(), list.end(), [](auto *a, auto *b) {
            if (a->date != b->date)
                return a->date < b->date;
            if (a->start != b->start)
                return a->start < b->start;
            return a->id < b->id;
        });
        for (std::size_t i = 1; i < list.size(); ++i) {
            auto low = [](const Term::Session *s) { return s->passed * 100 < s->sat * 30; };
            if (low(list[i - 1]) && low(list[i]))
                flags.insert({int(FlagKind::ConsecutiveLowPassRate), {list[i - 1]->id, list[i]->id}});
        }
    }
    return flags;
}

} // namespace

class TestServerStore : public QObject
{
    Q_OBJECT

    bool m_postgres = qgetenv("KAODIAN_TEST_STORE") == "postgres";
    std::unique_ptr<testing::TestPgDatabase> m_pg;
    std::unique_ptr<QTemporaryDir> m_dir;
    StoreLocation m_location;

    std::unique_ptr<ServerStore> openStore()
    {
        auto s = ServerStore::open(m_location);
        if (!s)
            qWarning() << s.error().message;
        return s ? std::move(s).value() : nullptr;
    }

private slots:
    void init()
    {
        if (m_postgres) {
            m_pg = std::make_unique<testing::TestPgDatabase>();
            QVERIFY2(m_pg->ok(), qPrintable(m_pg->error()));
            m_location = {QString(), m_pg->url()};
        } else {
            m_dir = std::make_unique<QTemporaryDir>();
            m_location = {m_dir->filePath("data"), QString()};
            auto created = ServerStore::createEmbedded(m_location.dataDir);
            QVERIFY2(created.ok(), created.ok() ? "" : qPrintable(created.error().message));
        }
    }
    void cleanup()
    {
        m_pg.reset();
        m_dir.reset();
    }

    void opensTwiceAndMigratesOnce()
    {
        auto a = openStore();
        QVERIFY(a);
        auto b = openStore();
        QVERIFY(b);
        auto r = b->sql().query("SELECT count(*) FROM schema_migration");
        QVERIFY(r.ok());
        QCOMPARE(r->first().first().toLongLong(), 1);
        QCOMPARE(a->dialect(), m_postgres ? Dialect::Postgres : Dialect::Sqlite);
    }

    void embeddedStoreRefusesSecondCreate()
    {
        if (m_postgres)
            QSKIP("embedded only");
        auto again = ServerStore::createEmbedded(m_location.dataDir);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code, StoreError::Code::AlreadyExists);
        QVERIFY(openStore());
    }

    void usersAndAudit()
    {
        auto store = openStore();
        QVERIFY(store);
        auto id = store->addUser("office", "hash", Role::Admin, std::nullopt, "setup");
        QVERIFY(id.ok());
        auto dup = store->addUser("office", "hash2", Role::Admin, std::nullopt, "setup");
        QVERIFY(!dup.ok());
        QCOMPARE(dup.error().code, StoreError::Code::AlreadyExists);
        auto u = store->userByName("office");
        QVERIFY(u.ok() && u->has_value());
        QCOMPARE((*u)->role, Role::Admin);
        QCOMPARE((*u)->passwordHash, QStringLiteral("hash"));
        QVERIFY(store->recordLoginFailure(*id, 3, QDateTime::currentDateTimeUtc().addSecs(60)).ok());
        u = store->userByName("office");
        QCOMPARE((*u)->failedLogins, 3);
        QVERIFY((*u)->lockedUntil > QDateTime::currentDateTimeUtc());
        QVERIFY(store->recordLoginSuccess(*id).ok());
        QCOMPARE((*store->userByName("office"))->failedLogins, 0);
        QVERIFY(!store->userByName("nobody")->has_value());
        // SQL injection in a text field is stored as text.
        const QString evil = QStringLiteral("x'); DROP TABLE app_user; --");
        QVERIFY(store->addUser(evil, "h", Role::CollegeViewer, std::nullopt, "setup").ok());
        QCOMPARE((*store->userByName(evil))->username, evil);
        auto log = store->auditLog(10);
        QVERIFY(log.ok());
        QCOMPARE(log->size(), 2); // the refused duplicate left no entry
        QCOMPARE(log->at(1).action, QStringLiteral("user.create"));
        QVERIFY(log->at(1).detail.contains("office"));
    }

    void eventsAreStoredExactlyOnce()
    {
        auto store = openStore();
        QVERIFY(store);
        Term term = seedTerm(*store, 7);
        QList<KioskEvent> k1;
        for (const auto &e : term.events)
            if (e.kioskId == "K1" && k1.size() < 50)
                k1.push_back(e);
        // Renumber so K1's ids are 1..n for the high-water mark.
        for (int i = 0; i < k1.size(); ++i)
            k1[i].eventId = i + 1;
        const auto now = QDateTime::currentDateTimeUtc();
        auto first = store->ingestEvents("K1", k1.mid(0, 30), now);
        QVERIFY2(first.ok(), first.ok() ? "" : qPrintable(first.error().message));
        QCOMPARE(first->stored, 30);
        QCOMPARE(first->highWaterMark, 30);
        // A retry overlapping the first batch, with a gap after it.
        QList<KioskEvent> retry = k1.mid(20, 15);
        retry.push_back(k1[45]);
        auto second = store->ingestEvents("K1", retry, now);
        QVERIFY(second.ok());
        QCOMPARE(second->stored, 6);
        QCOMPARE(second->duplicates, 10);
        QCOMPARE(second->highWaterMark, 35);
        QCOMPARE(second->acknowledged.size(), 16);
        auto count = store->sql().query("SELECT count(*) FROM kiosk_event");
        QCOMPARE(count->first().first().toLongLong(), 36);
        // The same event id from another kiosk is another event.
        auto other = store->ingestEvents("K9", k1.mid(0, 1), now);
        QCOMPARE(other->stored, 1);
    }

    void parallelUploadsOfOneBatchStoreItOnce()
    {
        auto store = openStore();
        QVERIFY(store);
        Term term = seedTerm(*store, 11);
        QList<KioskEvent> batch;
        for (int i = 0; i < 100; ++i) {
            auto e = term.events[static_cast<std::size_t>(i)];
            e.kioskId = "KP";
            e.eventId = i + 1;
            batch.push_back(e);
        }
        std::atomic<int> stored{0}, failures{0};
        std::vector<QThread *> threads;
        for (int t = 0; t < 4; ++t) {
            threads.push_back(QThread::create([&] {
                auto s = ServerStore::open(m_location);
                if (!s) {
                    ++failures;
                    return;
                }
                auto r = (*s)->ingestEvents("KP", batch, QDateTime::currentDateTimeUtc());
                if (r)
                    stored += r->stored;
                else
                    ++failures; // a serialisation failure is retried by the kiosk
            }));
            threads.back()->start();
        }
        for (auto *t : threads) {
            t->wait();
            delete t;
        }
        auto count = store->sql().query("SELECT count(*) FROM kiosk_event WHERE kiosk_id = 'KP'");
        if (failures > 0) {
            // Whatever failed, a retry completes the set without doubling.
            auto r = store->ingestEvents("KP", batch, QDateTime::currentDateTimeUtc());
            QVERIFY(r.ok());
            stored += r->stored;
        }
        count = store->sql().query("SELECT count(*) FROM kiosk_event WHERE kiosk_id = 'KP'");
        QCOMPARE(count->first().first().toLongLong(), 100);
        QCOMPARE(stored.load(), 100);
    }

    void statisticsMatchAnIndependentCount()
    {
        auto store = openStore();
        QVERIFY(store);
        Term term = seedTerm(*store, 20261127);
        // Upload per kiosk in batches of 100, in shuffled order, one batch twice.
        std::map<QString, QList<KioskEvent>> byKiosk;
        for (const auto &e : term.events)
            byKiosk[e.kioskId].push_back(e);
        for (auto &[kiosk, list] : byKiosk) {
            for (qsizetype i = 0; i < list.size(); i += 100) {
                auto r = store->ingestEvents(kiosk, list.mid(i, 100), QDateTime::currentDateTimeUtc());
                QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
            }
            QVERIFY(store->ingestEvents(kiosk, list.mid(0, 100), QDateTime::currentDateTimeUtc())->stored == 0);
        }
        auto report = store->statistics();
        QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(report.error().message));
        QCOMPARE(report->sessions.size(), qsizetype(term.sessions.size()));
        std::map<Id, const Term::Session *> truth;
        for (const auto &s : term.sessions)
            truth[s.id] = &s;
        for (const auto &s : report->sessions) {
            const auto *t = truth.at(s.tally.sessionId);
            QCOMPARE(s.tally.registered, t->registered);
            QCOMPARE(s.tally.sat, t->sat);
            QCOMPARE(s.tally.absent, t->absent);
            QCOMPARE(s.tally.excused, t->excused);
            QCOMPARE(s.tally.passed, t->passed);
            QCOMPARE(s.tally.failed, t->failed);
            QCOMPARE(s.tally.publishedCount, t->published);
        }
        std::set<std::pair<int, QList<Id>>> got;
        for (const auto &f : report->flags) {
            QList<Id> ids;
            for (const auto &fs : f.sessions)
                ids << fs.sessionId;
            got.insert({int(f.kind), ids});
            QVERIFY(!f.message.isEmpty());
        }
        const auto expected = expectedFlags(term);
        QVERIFY(!expected.empty());
        QCOMPARE(got, expected);

        // Group totals add up to the sessions.
        std::int64_t sat = 0;
        for (const auto &c : report->colleges)
            sat += c.sat;
        std::int64_t truthSat = 0;
        for (const auto &s : term.sessions)
            truthSat += s.sat;
        QCOMPARE(sat, truthSat);
        QCOMPARE(report->colleges.size(), 3);
        QCOMPARE(report->pilots.size(), 6);

        // A college's scope holds only its sessions.
        const Id college = term.sessions.front().college;
        auto scoped = store->statistics(college);
        QVERIFY(scoped.ok());
        QVERIFY(!scoped->sessions.isEmpty());
        for (const auto &s : scoped->sessions)
            QCOMPARE(s.collegeId, college);
        QCOMPARE(scoped->colleges.size(), 1);
    }

    void publishedCountChangesAreAudited()
    {
        auto store = openStore();
        QVERIFY(store);
        Term term = seedTerm(*store, 3);
        const Id id = term.sessions.front().id;
        QVERIFY(store->setPublishedCount(id, 120, "office").ok());
        auto report = store->statistics();
        QCOMPARE(report->sessions.size(), qsizetype(term.sessions.size()));
        auto missing = store->setPublishedCount(999999, 5, "office");
        QVERIFY(!missing.ok());
        QVERIFY(!store->setPublishedCount(id, -1, "office").ok());
        auto log = store->auditLog(5);
        QCOMPARE(log->size(), 1);
        QCOMPARE(log->front().actor, QStringLiteral("office"));
        QVERIFY(log->front().detail.contains("120"));
        QCOMPARE(*store->collegeOfSession(id), std::optional<Id>(term.sessions.front().college));
    }
};

QTEST_GUILESS_MAIN(TestServerStore)
#include "tst_serverstore.moc"
