// Exam day, simulated end to end. A server (HTTPS, embedded store) and four
// kiosks — three serving the whole site, one the door of room 01 — driven
// headless through the same C++ core the QML kiosk uses (CheckInService,
// KioskStore, SyncClient), over real TLS through a proxy that cuts and
// drops connections. 2,000 candidates sit 12 sessions on 6 exam days; they
// arrive over the hour before each start, some late, some never; forged and
// damaged tickets, tickets replaced by a re-issue, wrong doors, repeated
// scans and the same candidate at two doors while the network is out are
// mixed in; the network goes down for a stretch and the server is restarted
// mid-traffic. Half the sessions' results are recorded at the door; the
// other half come after the day in the 培训评价组织's results file (GB18030,
// as Excel on Chinese Windows saves it), imported by the office, which cannot
// mark those sessions final before. At the end the server's statistics and 第七条 flags must equal
// the truth the test kept itself, computed here without the shared rules,
// and the server must hold exactly the kiosks' events, none missing, none
// doubled.

#include "api/api.h"
#include "auth/password.h"
#include "office/results.h"
#include "http/tlscert.h"
#include "kiosk/sync/syncclient.h"
#include "sample/sampleroster.h"
#include "store/rosterapply.h"
#include "tickets/ticketsigning.h"

#include "chaosproxy.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QStringEncoder>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <map>
#include <set>

using namespace kaodian;
using namespace kaodian::kiosk;
using namespace kaodian::server;
using kaodian::testing::ChaosProxy;

namespace {

const QTimeZone kCst(8 * 3600);
const QString kSite = QStringLiteral("实训楼考点");

struct Door
{
    QString id;
    QString room; // empty: the whole site
    QString credential;
    std::optional<KioskStore> store;
    std::unique_ptr<CheckInService> service;
    std::unique_ptr<SyncClient> sync;
};

// What really happened to one candidate, as the test saw it.
struct Fate
{
    bool sat = false;
    bool absent = false;
    std::optional<Outcome> outcome;
    int score = 0;
    int firstDoor = -1; // where the first successful check-in was
};

} // namespace

class TestExamDay : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QDateTime m_now;
    SigningKey m_ticketKey = *SigningKey::fromRaw(QByteArray(32, '\x2d'));
    SigningKey m_forger = *SigningKey::fromRaw(QByteArray(32, '\x66'));
    QString m_data;
    QString m_cert, m_key;
    QByteArray m_certSha256;
    std::unique_ptr<StorePool> m_pool;
    std::unique_ptr<Api> m_api;
    std::unique_ptr<HttpsServer> m_server;
    std::unique_ptr<ChaosProxy> m_proxy;
    std::vector<std::unique_ptr<Door>> m_doors;
    QRandomGenerator m_rng{20261127};

    // The truth.
    std::map<Id, Fate> m_fates;                // by registration
    std::map<Id, QList<RosterEntry>> m_roster; // by session
    std::map<Id, int> m_published;             // sessions with a published count
    std::set<Id> m_resultsByFile;              // sessions whose results come in the results file
    std::map<QString, int> m_refusals;         // by kind, to show the mix happened
    int m_conflicts = 0;
    int m_restarts = 0;

    void startServer()
    {
        m_pool = std::make_unique<StorePool>(StoreLocation{m_data, QString()}, [this] { return m_now.toUTC(); });
        ApiConfig config;
        config.ticketKey = m_ticketKey;
        m_api = std::make_unique<Api>(*m_pool, config);
        m_server = std::make_unique<HttpsServer>(TlsFiles{m_cert, m_key}, HttpLimits{},
                                                 [this](const HttpRequest &r) { return m_api->handle(r); });
        QVERIFY(m_server->listen(QStringLiteral("127.0.0.1"), 0).ok());
        if (m_proxy)
            m_proxy->setTarget(m_server->port());
    }

    void restartServer()
    {
        m_server->stop(); // mid-traffic: uploads in flight are cut
        m_server.reset();
        m_api.reset();
        m_pool.reset();
        startServer();
        ++m_restarts;
    }

    SyncConfig syncConfig(const Door &door) const
    {
        SyncConfig c;
        c.enrolment.server = QUrl(QStringLiteral("https://127.0.0.1:%1").arg(m_proxy->port()));
        c.enrolment.credential = door.credential;
        c.enrolment.certSha256 = m_certSha256;
        c.enrolment.ticketKeySha256 = m_ticketKey.verifyKey().fingerprint().toLatin1();
        c.batchSize = 10;
        c.intervalMs = 30;
        c.minBackoffMs = 30;
        c.maxBackoffMs = 300;
        c.requestTimeoutMs = 3000;
        return c;
    }

    // A new day: each door fetches the day's package before the first scan.
    void openDay(bool network)
    {
        for (auto &door : m_doors) {
            door->sync.reset();
            door->sync = std::make_unique<SyncClient>(*door->service, syncConfig(*door));
            if (network) {
                QSignalSpy packages(door->sync.get(), &SyncClient::packageUpdated);
                door->sync->start();
                QVERIFY2(packages.wait(10000), qPrintable(door->id));
            } else {
                door->sync->start();
            }
        }
    }

    void pump(int ms = 0)
    {
        QCoreApplication::processEvents();
        if (ms > 0)
            QTest::qWait(ms);
    }

    QByteArray ticket(const RosterEntry &r, Id session, int serial, const QDate &day)
    {
        return *signAdmissionTicket(r.ticketNumber, session, serial, day, m_ticketKey);
    }

    ScanOutcome scanAt(int door, const QByteArray &text)
    {
        const auto out = m_doors[door]->service->scan(text);
        if (!out.success())
            ++m_refusals[QString::number(int(out.result))];
        return out;
    }

private slots:
    void initTestCase()
    {
        m_data = m_dir.filePath(QStringLiteral("server"));
        m_cert = m_dir.filePath(QStringLiteral("c.pem"));
        m_key = m_dir.filePath(QStringLiteral("k.pem"));
        QVERIFY(ServerStore::createEmbedded(m_data).ok());
        QVERIFY(writeSelfSignedCertificate(m_cert, m_key, {}, 30).ok());
        m_certSha256 = certificateFingerprintSha256(m_cert).toLatin1();
        m_now = QDateTime(QDate(2026, 5, 20), QTime(9, 0), kCst);
        startServer();
        m_proxy = std::make_unique<ChaosProxy>(m_server->port(), 7);

        // Two rosters a week apart: every pilot sits twice, so 第七条(六) can fire.
        auto store = m_pool->acquire();
        QVERIFY(store.ok());
        int n = 0;
        for (const auto &[count, seed, day] : {std::tuple{1200, 31u, QDate(2026, 6, 1)}, std::tuple{800, 32u, QDate(2026, 6, 8)}}) {
            SampleRosterOptions o;
            o.candidates = count;
            o.seed = seed;
            o.firstExamDate = day;
            o.site = kSite;
            auto parsed = parseRosterFile(sampleRosterCsv(o), QStringLiteral("r%1.csv").arg(++n));
            QVERIFY(parsed.ok());
            QVERIFY((*store)->rosters().applyRoster(*parsed, QStringLiteral("r%1.csv").arg(n), "office").ok());
        }
        auto report = (*store)->statistics().report();
        QVERIFY(report.ok());
        QCOMPARE(report->sessions.size(), 12);
        int candidates = 0;
        for (const auto &s : report->sessions) {
            auto roster = (*store)->rosters().roster(s.tally.sessionId);
            QVERIFY(roster.ok());
            m_roster[s.tally.sessionId] = *roster;
            candidates += int(roster->size());
            for (const auto &r : *roster)
                m_fates[r.registrationId] = {};
        }
        QCOMPARE(candidates, 2000);

        // Doors: three for the whole site, one for room 01.
        const Id site = (*store)->rosters().siteIdByName(kSite)->value();
        const QList<QPair<QString, QString>> doors{{"KGATE1", ""}, {"KGATE2", ""}, {"KGATE3", ""}, {"KROOM01", "01"}};
        for (const auto &[id, room] : doors) {
            auto door = std::make_unique<Door>();
            door->id = id;
            door->room = room;
            const QString secret = randomToken();
            KioskRecord k;
            k.id = id;
            k.name = id;
            k.siteId = site;
            if (!room.isEmpty())
                k.roomId = (*store)->rosters().roomId(site, room)->value();
            k.credentialHash = sha256Hex(secret.toLatin1());
            QVERIFY((*store)->kiosks().enrol(k, "office").ok());
            door->credential = id + QLatin1Char('.') + secret;
            auto ks = KioskStore::create({m_dir.filePath(id)}, QStringLiteral("口令"), kMinKdfIterations);
            QVERIFY(ks.ok());
            door->store.emplace(std::move(ks).value());
            QVERIFY(door->store->setIdentity({id, kSite, room, m_ticketKey.verifyKey().raw()}).ok());
            door->service = std::make_unique<CheckInService>(*door->store, [this] { return m_now; });
            m_doors.push_back(std::move(door));
        }
    }

    void examDays()
    {
        // Two weeks before: 30 candidates lose their tickets and get new ones.
        std::set<Id> reissued;
        {
            auto store = m_pool->acquire();
            for (const auto &[session, roster] : m_roster)
                for (int i = 5; i < int(roster.size()) && reissued.size() < 30; i += 40) {
                    QVERIFY((*store)->rosters().reissueTicket(roster[i].ticketNumber, "office").ok());
                    reissued.insert(roster[i].registrationId);
                }
        }

        // Sessions by day and start.
        std::map<QDateTime, Id> order;
        std::map<Id, QDateTime> startOf, endOf;
        {
            auto store = m_pool->acquire();
            auto r = (*store)->sql().query(QStringLiteral("SELECT id, exam_date, start_time, end_time FROM exam_session"));
            QVERIFY(r.ok());
            for (const auto &row : r->rows) {
                const QDate day = QDate::fromString(row[1].toString(), Qt::ISODate);
                const QDateTime start(day, QTime::fromString(row[2].toString(), "HH:mm"), kCst);
                order[start] = row[0].toLongLong();
                startOf[row[0].toLongLong()] = start;
                endOf[row[0].toLongLong()] = QDateTime(day, QTime::fromString(row[3].toString(), "HH:mm"), kCst);
            }
        }

        int sessionNo = 0;
        int cutsBeforeChaos = 0;
        QDate today;
        for (const auto &[start, session] : order) {
            ++sessionNo;
            const bool outage = sessionNo == 4; // the campus network fails this morning
            const bool restart = sessionNo == 7; // the server is restarted mid-session
            if (start.date() != today) {
                // Before the doors open each door holds the day's package.
                today = start.date();
                m_now = QDateTime(today, QTime(7, 0), kCst);
                m_proxy->setDown(false);
                m_proxy->setChaos(false);
                openDay(true);
            }
            // The last days' uploads cross a network that cuts connections at
            // random byte offsets.
            m_proxy->setChaos(sessionNo >= 9);
            if (sessionNo == 9)
                cutsBeforeChaos = m_proxy->cuts();
            m_now = start.addSecs(-55 * 60);
            if (outage)
                m_proxy->setDown(true);

            // Pilot 1's candidates do badly both weeks; the others do well.
            const QList<RosterEntry> &roster = m_roster[session];
            const bool weakPilot = roster.first().ticketNumber.mid(8, 2) == QLatin1String("01");
            // Arrival order: shuffled, spread over the hour before the start and a
            // little after it.
            QList<int> arrivals;
            for (int i = 0; i < int(roster.size()); ++i)
                arrivals.push_back(i);
            for (int i = int(arrivals.size()) - 1; i > 0; --i)
                arrivals.swapItemsAt(i, int(m_rng.bounded(i + 1)));
            const int total = int(arrivals.size());
            for (int k = 0; k < total; ++k) {
                const RosterEntry &c = roster[arrivals[k]];
                Fate &fate = m_fates[c.registrationId];
                // Minutes from the start: -55 … +25 (the last few arrive late).
                m_now = start.addSecs(qint64(-55 * 60 + (80 * 60) * k / total));
                const quint32 dice = m_rng.bounded(100);
                if (dice < 7) // 7% never come
                    continue;
                const int home = c.room == QLatin1String("01") ? 3 : int(m_rng.bounded(3));
                if (dice < 9 && home != 3) {
                    // At the wrong door first.
                    QVERIFY(!scanAt(3, ticket(c, session, reissued.count(c.registrationId) ? 2 : 1, today)).success());
                }
                if (reissued.count(c.registrationId)) {
                    // The old ticket is refused as replaced; the new one works.
                    QCOMPARE(scanAt(home, ticket(c, session, 1, today)).result, ScanResult::Revoked);
                }
                const int serial = reissued.count(c.registrationId) ? 2 : 1;
                const auto out = scanAt(home, ticket(c, session, serial, today));
                QVERIFY2(out.success(), qPrintable(c.ticketNumber + QLatin1Char(' ') + scanResultCode(out.result)));
                const bool late = m_now > start.addSecs(15 * 60);
                QCOMPARE(out.result == ScanResult::CheckedInLate, late);
                fate.sat = true;
                fate.firstDoor = home;
                if (dice >= 95) // scanned again at the same door
                    QCOMPARE(scanAt(home, ticket(c, session, serial, today)).result, ScanResult::AlreadyCheckedIn);
                if (outage && home != 3 && dice >= 90 && dice < 93) {
                    // Network out: the next door cannot know, and checks in again.
                    const int other = (home + 1) % 3;
                    m_now = m_now.addSecs(40);
                    const auto again = scanAt(other, ticket(c, session, serial, today));
                    QVERIFY(again.success() || again.result == ScanResult::AlreadyCheckedIn);
                    m_conflicts += again.success() ? 1 : 0;
                }
                if (k % 25 == 0) {
                    // A forged ticket, and a damaged one.
                    TicketClaims claims;
                    claims.ticketNumber = c.ticketNumber;
                    claims.sessionId = static_cast<std::uint32_t>(session);
                    claims.serial = 1;
                    claims.validFrom = m_now.addDays(-1).toUTC();
                    claims.validUntil = m_now.addDays(1).toUTC();
                    QCOMPARE(scanAt(home, *issueTicket(claims, m_forger)).result, ScanResult::BadTicket);
                    QByteArray damaged = ticket(c, session, serial, today);
                    damaged[damaged.size() / 2] = damaged[damaged.size() / 2] == 'A' ? 'B' : 'A';
                    QCOMPARE(scanAt(home, damaged).result, ScanResult::BadTicket);
                }
                if (restart && k == total / 2)
                    restartServer();
                if (k % 10 == 0)
                    pump(2); // the doors' relays work between arrivals
            }
            // The proctors: absences, results, then close.
            m_now = start.addSecs(30 * 60);
            for (const auto &c : roster) {
                Fate &fate = m_fates[c.registrationId];
                if (!fate.sat) {
                    const int door = c.room == QLatin1String("01") ? 3 : 0;
                    QVERIFY(m_doors[door]->service->markAbsent(c.registrationId).ok());
                    fate.absent = true;
                }
            }
            m_now = endOf[session].addSecs(10 * 60);
            for (const auto &c : roster) {
                Fate &fate = m_fates[c.registrationId];
                if (!fate.sat)
                    continue;
                const bool pass = m_rng.bounded(100u) < (weakPilot ? 20u : 75u);
                fate.outcome = pass ? Outcome::Pass : Outcome::Fail;
                fate.score = pass ? 60 + int(m_rng.bounded(41)) : int(m_rng.bounded(60));
                if (sessionNo % 2 == 0) {
                    m_resultsByFile.insert(session); // the organisation's file brings it
                    continue;
                }
                auto s = m_doors[fate.firstDoor]->service->recordResult(c.registrationId, *fate.outcome, fate.score);
                QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : QStringLiteral("refusal %1 %2").arg(int(s.error().refusal)).arg(s.error().storeMessage)));
            }
            for (auto &door : m_doors)
                (void)door->service->closeSession(session, QStringLiteral("监考员"));
            if (outage)
                m_proxy->setDown(false); // back after the session
            pump(100);
        }

        // Everything reaches the server in the end, through the cuts.
        for (auto &door : m_doors)
            door->sync->syncNow();
        for (auto &door : m_doors)
            QTRY_COMPARE_WITH_TIMEOUT(door->store->outboxSize(), 0, 90000);
        QVERIFY2(m_proxy->cuts() - cutsBeforeChaos >= 3, qPrintable(QString::number(m_proxy->cuts() - cutsBeforeChaos)));
        m_proxy->setChaos(false);
        for (auto &door : m_doors)
            door->sync->stop();

        QCOMPARE(m_restarts, 1);
        QVERIFY(m_conflicts > 0);
        QVERIFY(m_refusals.size() >= 4); // revoked, forged/damaged, wrong door, repeated
        qInfo().noquote() << "refusals by reason" << m_refusals << "conflicts" << m_conflicts << "proxy cuts" << m_proxy->cuts();
    }

    void serverHoldsExactlyTheKiosksEvents()
    {
        auto store = m_pool->acquire();
        QVERIFY(store.ok());
        for (const auto &door : m_doors) {
            std::set<qint64> kiosk;
            for (const auto &e : door->store->events())
                kiosk.insert(e.eventId);
            auto r = (*store)->sql().query(QStringLiteral("SELECT event_id FROM kiosk_event WHERE kiosk_id = ?"), {door->id});
            QVERIFY(r.ok());
            std::multiset<qint64> server;
            for (const auto &row : r->rows)
                server.insert(row[0].toLongLong());
            QCOMPARE(qsizetype(server.size()), qsizetype(kiosk.size())); // none doubled, none missing
            QVERIFY(std::equal(server.begin(), server.end(), kiosk.begin(), kiosk.end()));
        }
    }

    void statisticsAndFlagsEqualTheTruth()
    {
        // The office publishes counts and confirms results: one session low
        // (< 30%), one exactly at 30% (not low), one never published.
        int k = 0;
        auto store = m_pool->acquire();
        QVERIFY(store.ok());

        // After the days: the sessions whose results the kiosks did not
        // record cannot be final yet (everyone who sat is pending) …
        QVERIFY(m_resultsByFile.size() >= 4);
        {
            const Id first = *m_resultsByFile.begin();
            int sat = 0;
            for (const auto &c : m_roster[first])
                sat += m_fates[c.registrationId].sat ? 1 : 0;
            auto refused = office::setResultsFinal(**store, first, true, {}, "office");
            QVERIFY(!refused.ok());
            QCOMPARE(refused.error().code, QStringLiteral("results_pending"));
            QCOMPARE(int(refused.error().problems.size()), sat);
        }
        // … until the organisation's results file arrives: one file for all
        // of them, saved by Excel on Chinese Windows (GB18030, CRLF).
        QStringList lines{QStringLiteral("准考证号,姓名,考核结果,总成绩")};
        int rows = 0;
        for (const Id session : m_resultsByFile) {
            for (const auto &c : m_roster[session]) {
                const Fate &f = m_fates[c.registrationId];
                QVERIFY(f.sat || f.absent);
                const QString outcome = f.absent ? QStringLiteral("缺考")
                                      : f.outcome == Outcome::Pass ? QStringLiteral("通过") : QStringLiteral("不通过");
                lines << QStringLiteral("%1,%2,%3,%4").arg(c.ticketNumber, c.name, outcome,
                                                           f.absent ? QString() : QString::number(f.score));
                ++rows;
            }
        }
        const QByteArray file = QStringEncoder("GB18030").encode(lines.join(QStringLiteral("\r\n")) + QStringLiteral("\r\n"));
        auto imported = office::importResults(**store, file, QStringLiteral("成绩单.csv"), false, {}, "office");
        QVERIFY2(imported.ok(), qPrintable(imported.ok() ? QString()
                                                         : imported.error().message + (imported.error().problems.isEmpty() ? QString() : imported.error().problems.first().message)));
        QCOMPARE(imported->rows, rows);
        QCOMPARE(imported->recorded, rows);
        auto again = office::importResults(**store, file, QStringLiteral("成绩单.csv"), false, {}, "office");
        QVERIFY(again.ok() && again->alreadyImported);
        for (const auto &[session, roster] : m_roster) {
            int sat = 0;
            for (const auto &c : roster)
                sat += m_fates[c.registrationId].sat ? 1 : 0;
            ++k;
            std::optional<int> published;
            if (k == 2)
                published = sat * 4;           // 25%: low
            else if (k == 3)
                published = (sat / 3) * 10;    // sat * 10 >= published * 3: not low
            else if (k != 5)
                published = int(roster.size()); // everyone registered was published
            if (published)
                m_published[session] = *published;
            QVERIFY((*store)->rosters().setPublishedCount(session, published, "office").ok());
            auto final = office::setResultsFinal(**store, session, true, {}, "office");
            QVERIFY2(final.ok(), qPrintable(final.ok() ? QString() : final.error().message));
        }
        auto report = (*store)->statistics().report();
        QVERIFY(report.ok());

        // Per session, from the test's own record.
        std::map<Id, std::tuple<int, int, int, int>> truth; // sat, absent, passed, failed
        for (const auto &[session, roster] : m_roster) {
            auto &[sat, absent, passed, failed] = truth[session];
            for (const auto &c : roster) {
                const Fate &f = m_fates[c.registrationId];
                sat += f.sat;
                absent += f.absent;
                passed += f.outcome == Outcome::Pass;
                failed += f.outcome == Outcome::Fail;
            }
        }
        for (const auto &s : report->sessions) {
            const auto &[sat, absent, passed, failed] = truth[s.tally.sessionId];
            QCOMPARE(s.tally.registered, int(m_roster[s.tally.sessionId].size()));
            QCOMPARE(s.tally.sat, sat);
            QCOMPARE(s.tally.absent, absent);
            QCOMPARE(s.tally.passed, passed);
            QCOMPARE(s.tally.failed, failed);
        }

        // The flags, by the rule's words, computed here in plain integers.
        std::set<std::pair<QString, std::vector<Id>>> expected, actual;
        std::map<Id, std::vector<std::pair<QDateTime, Id>>> byPilot;
        for (const auto &s : report->sessions) {
            const Id id = s.tally.sessionId;
            const auto &[sat, absent, passed, failed] = truth[id];
            if (!m_published.count(id))
                expected.insert({QStringLiteral("missing"), {id}});
            else if (m_published[id] <= 0 || sat * 10 < m_published[id] * 3)
                expected.insert({QStringLiteral("low"), {id}});
            if (sat > 0)
                byPilot[s.tally.pilotId].push_back({QDateTime(s.tally.examDate, s.tally.startTime), id});
        }
        for (auto &[pilot, list] : byPilot) {
            std::sort(list.begin(), list.end());
            for (size_t i = 1; i < list.size(); ++i) {
                const auto &[sa, aa, pa, fa] = truth[list[i - 1].second];
                const auto &[sb, ab, pb, fb] = truth[list[i].second];
                if (pa * 10 < sa * 3 && pb * 10 < sb * 3)
                    expected.insert({QStringLiteral("streak"), {list[i - 1].second, list[i].second}});
            }
        }
        for (const auto &f : report->flags) {
            std::vector<Id> ids;
            for (const auto &fs : f.sessions)
                ids.push_back(fs.sessionId);
            const QString kind = f.kind == FlagKind::LowParticipation ? QStringLiteral("low")
                               : f.kind == FlagKind::MissingPublishedCount ? QStringLiteral("missing")
                                                                           : QStringLiteral("streak");
            actual.insert({kind, ids});
        }
        QVERIFY(expected.count({QStringLiteral("missing"), {}}) == 0);
        int streaks = 0;
        for (const auto &e : expected)
            streaks += e.first == QLatin1String("streak");
        QVERIFY2(streaks >= 1, "the weak pilot's two weeks give a 第七条(六) flag");
        if (expected != actual) {
            for (const auto &e : expected)
                qWarning() << "expected" << e.first << e.second;
            for (const auto &a : actual)
                qWarning() << "actual" << a.first << a.second;
        }
        QVERIFY(expected == actual);
    }
};

QTEST_GUILESS_MAIN(TestExamDay)
#include "tst_examday.moc"
