// The server store's suite, run once against the embedded SQLCipher store
// and once against PostgreSQL (KAODIAN_TEST_STORE=embedded|postgres).

#include "store/schema.h"
#include "store/serverstore.h"

#include "termfixture.h"
#include "freshstore.h"

#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <map>
#include <set>

using namespace kaodian;
using namespace kaodian::server;

using namespace kaodian::testing;

class TestServerStore : public QObject
{
    Q_OBJECT

    bool m_postgres = testing::FreshStore::isPostgres();
    std::unique_ptr<testing::FreshStore> m_fresh;
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
        m_fresh = std::make_unique<testing::FreshStore>();
        QVERIFY2(m_fresh->ok(), qPrintable(m_fresh->error()));
        m_location = m_fresh->location();
    }
    void cleanup() { m_fresh.reset(); }

    void opensTwiceAndMigratesOnce()
    {
        auto a = openStore();
        QVERIFY(a);
        auto b = openStore();
        QVERIFY(b);
        auto r = b->sql().query("SELECT count(*) FROM schema_migration");
        QVERIFY(r.ok());
        QCOMPARE(r->first().first().toLongLong(), qint64(serverSchema().size()));
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
        qint64 sat = 0;
        for (const auto &c : report->colleges)
            sat += c.sat;
        qint64 truthSat = 0;
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
