// Registration changes reaching a kiosk over sync (issue #16, item 4): the
// office withdraws, moves, replaces and excuses in advance on a real server
// over TLS; the kiosk's real sync client takes the next package into its
// encrypted store, and its check-in service then refuses the withdrawn
// ticket as 已退考, the moved one's old serial as 已作废 (the new one checks
// in), checks in the replacement, and shows the excused candidate as
// excused. A retry of each change changes nothing, and the server's
// statistics count the withdrawn registrations nowhere.

#include "api/api.h"
#include "auth/password.h"
#include "http/tlscert.h"
#include "kiosk/sync/syncclient.h"
#include "office/registrations.h"
#include "sample/sampleroster.h"
#include "store/rosterapply.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace kaodian;
using namespace kaodian::kiosk;
using namespace kaodian::server;

namespace {

const QTimeZone kCst(8 * 3600);

} // namespace

class TestRegistrationSync : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QDateTime m_now = QDateTime(QDate(2026, 6, 1), QTime(8, 45), kCst);
    SigningKey m_ticketKey = *SigningKey::fromRaw(QByteArray(32, '\x0c'));
    std::unique_ptr<StorePool> m_pool;
    std::unique_ptr<Api> m_api;
    std::unique_ptr<HttpsServer> m_server;
    QByteArray m_certSha256;
    QString m_credential;
    std::optional<KioskStore> m_kiosk;
    std::unique_ptr<CheckInService> m_service;

    SyncConfig fastConfig()
    {
        SyncConfig c;
        c.enrolment.server = QUrl(QStringLiteral("https://127.0.0.1:%1").arg(m_server->port()));
        c.enrolment.credential = m_credential;
        c.enrolment.certSha256 = m_certSha256;
        c.enrolment.ticketKeySha256 = m_ticketKey.verifyKey().fingerprint().toLatin1();
        c.intervalMs = 50;
        c.minBackoffMs = 50;
        c.maxBackoffMs = 400;
        c.requestTimeoutMs = 3000;
        return c;
    }

    // One sync round that brings a package with a new version, and the outbox drained.
    void syncNewPackage()
    {
        const qint64 before = m_kiosk->package().version.number;
        SyncClient sync(*m_service, fastConfig());
        QSignalSpy packages(&sync, &SyncClient::packageUpdated);
        sync.start();
        QTRY_VERIFY2_WITH_TIMEOUT(!packages.isEmpty() && m_kiosk->package().version.number > before,
                                  qPrintable(sync.lastError()), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_kiosk->outboxSize(), 0, 10000);
        sync.stop();
    }

    QByteArray ticket(const QString &number, Id sessionId, int serial)
    {
        TicketClaims claims;
        claims.ticketNumber = number;
        claims.sessionId = static_cast<std::uint32_t>(sessionId);
        claims.serial = static_cast<std::uint16_t>(serial);
        claims.validFrom = m_now.addDays(-1).toUTC();
        claims.validUntil = m_now.addDays(1).toUTC();
        return *issueTicket(claims, m_ticketKey);
    }

    std::optional<RosterCandidate> kioskCandidate(Id registrationId)
    {
        for (const auto &c : m_kiosk->package().roster)
            if (c.registrationId == registrationId)
                return c;
        return std::nullopt;
    }

    std::optional<RosterEntry> serverEntry(Id sessionId, const QString &ticketNumber)
    {
        auto store = m_pool->acquire();
        auto roster = (*store)->rosters().roster(sessionId);
        for (const auto &e : *roster)
            if (e.ticketNumber == ticketNumber)
                return e;
        return std::nullopt;
    }

    SessionTally serverTally(Id sessionId)
    {
        auto store = m_pool->acquire();
        auto report = (*store)->statistics().report();
        for (const auto &s : report->sessions)
            if (s.tally.sessionId == sessionId)
                return s.tally;
        return {};
    }

private slots:
    void initTestCase()
    {
        const QString data = m_dir.filePath("server");
        QVERIFY(ServerStore::createEmbedded(data).ok());
        m_pool = std::make_unique<StorePool>(StoreLocation{data, QString()}, [this] { return m_now.toUTC(); });
        {
            auto store = m_pool->acquire();
            auto parsed = parseRosterFile(sampleRosterCsv({.candidates = 300, .seed = 5}), "r.csv");
            QVERIFY(parsed.ok());
            QVERIFY((*store)->rosters().applyRoster(*parsed, "r.csv", "test").ok());
            const QString secret = randomToken();
            KioskRecord k;
            k.id = QStringLiteral("KDOOR7");
            k.name = QStringLiteral("01 门口");
            k.siteId = (*store)->rosters().siteIdByName(QStringLiteral("实训楼考点"))->value();
            k.roomId = (*store)->rosters().roomId(k.siteId, QStringLiteral("01"))->value();
            k.credentialHash = sha256Hex(secret.toLatin1());
            QVERIFY((*store)->kiosks().enrol(k, "test").ok());
            m_credential = k.id + QLatin1Char('.') + secret;
        }
        ApiConfig config;
        config.ticketKey = m_ticketKey;
        m_api = std::make_unique<Api>(*m_pool, config);
        QVERIFY(writeSelfSignedCertificate(m_dir.filePath("c.pem"), m_dir.filePath("k.pem"), {}, 30).ok());
        m_certSha256 = certificateFingerprintSha256(m_dir.filePath("c.pem")).toLatin1();
        m_server = std::make_unique<HttpsServer>(TlsFiles{m_dir.filePath("c.pem"), m_dir.filePath("k.pem")},
                                                 HttpLimits{}, [this](const HttpRequest &r) { return m_api->handle(r); });
        QVERIFY(m_server->listen(QStringLiteral("127.0.0.1"), 0).ok());
        auto kiosk = KioskStore::create({m_dir.filePath("kiosk")}, QStringLiteral("口令"), kMinKdfIterations);
        QVERIFY(kiosk.ok());
        m_kiosk.emplace(std::move(kiosk).value());
        QVERIFY(m_kiosk->setIdentity({QStringLiteral("KDOOR7"), QStringLiteral("实训楼考点"), QStringLiteral("01"),
                                      m_ticketKey.verifyKey().raw()})
                    .ok());
        m_service = std::make_unique<CheckInService>(*m_kiosk, [this] { return m_now; });
    }

    void eachChangeReachesTheKiosk()
    {
        syncNewPackage();
        const auto session = m_service->currentSession();
        QVERIFY(session.has_value());
        const auto roster = m_service->roster(session->id);
        QVERIFY(roster.size() >= 6);
        const RosterCandidate withdrawn = roster[0], moved = roster[1], replaced = roster[2], excused = roster[3],
                              elsewhere = roster[4], excusedComes = roster[5];
        const SessionTally before = serverTally(session->id);
        QCOMPARE(before.registered, m_service->counts(session->id).sessionRegistered.value_or(-1));

        {
            auto store = m_pool->acquire();
            ServerStore &s = **store;
            const QString office = QStringLiteral("office:王老师");
            auto w = office::withdrawRegistration(s, withdrawn.ticketNumber, QDate(2026, 5, 28),
                                                  QStringLiteral("个人原因，本人申请退考"), office);
            QVERIFY2(w.ok(), qPrintable(w.ok() ? QString() : w.error().message));
            QVERIFY(w->changed);
            QCOMPARE(w->revokedSerial, std::optional<int>(1));
            auto m = office::moveRegistration(s, moved.ticketNumber, QStringLiteral("01"), QStringLiteral("45"), office);
            QVERIFY2(m.ok(), qPrintable(m.ok() ? QString() : m.error().message));
            QCOMPARE(m->serial, 2);
            auto r = office::replaceCandidate(s, replaced.ticketNumber,
                                              {QStringLiteral("350102200001010011"), QStringLiteral("李𪚥"),
                                               QStringLiteral("2024990001"), QStringLiteral("软件2401"),
                                               QStringLiteral("R2026060199")},
                                              QStringLiteral("原考生转专业，由同班同学补报"), office);
            QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
            QCOMPARE(r->replacementTicket, QStringLiteral("R2026060199"));
            auto e = office::excuseRegistration(s, excused.ticketNumber, QStringLiteral("住院（附医院证明）"), office);
            QVERIFY2(e.ok(), qPrintable(e.ok() ? QString() : e.error().message));
            auto e2 = office::excuseRegistration(s, excusedComes.ticketNumber, QStringLiteral("原定出差"), office);
            QVERIFY(e2.ok());
            auto away = office::moveRegistration(s, elsewhere.ticketNumber, QStringLiteral("02"), QStringLiteral("41"),
                                                 office);
            QVERIFY2(away.ok(), qPrintable(away.ok() ? QString() : away.error().message));

            // Retried, each is the one change it was: no second ticket, no second withdrawal.
            auto w2 = office::withdrawRegistration(s, withdrawn.ticketNumber, {}, QStringLiteral("重复提交"), office);
            QVERIFY(w2.ok());
            QVERIFY(!w2->changed);
            auto m2 = office::moveRegistration(s, moved.ticketNumber, QStringLiteral("01"), QStringLiteral("45"), office);
            QVERIFY(m2.ok());
            QVERIFY(!m2->changed);
            QCOMPARE(m2->serial, 2);
            auto r2 = office::replaceCandidate(s, replaced.ticketNumber,
                                               {QStringLiteral("350102200001010011"), QStringLiteral("李𪚥"),
                                                QStringLiteral("2024990001"), QStringLiteral("软件2401"),
                                                QStringLiteral("R2026060199")},
                                               QStringLiteral("原考生转专业，由同班同学补报"), office);
            QVERIFY2(r2.ok(), qPrintable(r2.ok() ? QString() : r2.error().message));
            QVERIFY(!r2->changed);
            auto revocations = s.sql().query(QStringLiteral("SELECT count(*) FROM ticket_revocation"));
            QCOMPARE(revocations->first().first().toLongLong(), 4); // withdrawn, moved, replaced, elsewhere
            auto audit = s.sql().query(QStringLiteral("SELECT count(*) FROM audit_log WHERE action LIKE 'registration.%'"
                                                      " AND actor = ?"),
                                       {office});
            QCOMPARE(audit->first().first().toLongLong(), 6);
            // A withdrawn registration cannot be moved or excused: said in Chinese.
            auto refused = office::moveRegistration(s, withdrawn.ticketNumber, QStringLiteral("01"),
                                                    QStringLiteral("46"), office);
            QVERIFY(!refused.ok());
            QVERIFY2(refused.error().message.contains(QStringLiteral("已退考")), qPrintable(refused.error().message));
        }

        // The server counts the withdrawn nowhere, the excused as excused.
        SessionTally after = serverTally(session->id);
        QCOMPARE(after.registered, before.registered - 1); // two withdrawn, one new (the replacement)
        QCOMPARE(after.excused, before.excused + 2);

        syncNewPackage();

        // Withdrawn: refused as 已退考, not as merely revoked; gone from the roster.
        auto out = m_service->scan(ticket(withdrawn.ticketNumber, withdrawn.sessionId, 1));
        QCOMPARE(out.result, ScanResult::Withdrawn);
        QCOMPARE(scanResultCode(out.result), QStringLiteral("withdrawn"));
        QVERIFY(out.replacedAt.isValid());
        QVERIFY(!kioskCandidate(withdrawn.registrationId));

        // Moved: the old serial refused as replaced, the new one checks in at the new seat.
        out = m_service->scan(ticket(moved.ticketNumber, moved.sessionId, 1));
        QCOMPARE(out.result, ScanResult::Revoked);
        out = m_service->scan(ticket(moved.ticketNumber, moved.sessionId, 2));
        QVERIFY2(out.success(), qPrintable(scanResultCode(out.result)));
        QCOMPARE(out.candidate->seat, QStringLiteral("45"));

        // Moved to another room: no longer at this door.
        out = m_service->scan(ticket(elsewhere.ticketNumber, elsewhere.sessionId, 1));
        QCOMPARE(out.result, ScanResult::Revoked);
        out = m_service->scan(ticket(elsewhere.ticketNumber, elsewhere.sessionId, 2));
        QCOMPARE(out.result, ScanResult::NotOnRoster);

        // Replaced: the old ticket is 已退考; the new candidate checks in on the same seat.
        out = m_service->scan(ticket(replaced.ticketNumber, replaced.sessionId, 1));
        QCOMPARE(out.result, ScanResult::Withdrawn);
        out = m_service->scan(ticket(QStringLiteral("R2026060199"), replaced.sessionId, 1));
        QVERIFY2(out.success(), qPrintable(scanResultCode(out.result)));
        QCOMPARE(out.candidate->name, QStringLiteral("李𪚥"));
        QCOMPARE(out.candidate->seat, replaced.seat);

        // Excused in advance: the proctor sees it excused with its reason.
        QCOMPARE(m_service->state(excused.registrationId).attendance, Attendance::Excused);
        QCOMPARE(kioskCandidate(excused.registrationId)->excusedReason, QStringLiteral("住院（附医院证明）"));
        const SessionCounts counts = m_service->counts(session->id);
        QCOMPARE(counts.excused, 2);
        QCOMPARE(counts.sessionRegistered, std::optional<int>(after.registered));
        // …and one who was excused but came after all: the check-in counts, they sat.
        out = m_service->scan(ticket(excusedComes.ticketNumber, excusedComes.sessionId, 1));
        QVERIFY2(out.success(), qPrintable(scanResultCode(out.result)));
        QVERIFY(m_service->state(excusedComes.registrationId).sat());
        QCOMPARE(m_service->counts(session->id).excused, 1);

        // Uploaded: the server agrees.
        {
            SyncClient sync(*m_service, fastConfig());
            sync.start();
            QTRY_COMPARE_WITH_TIMEOUT(m_kiosk->outboxSize(), 0, 10000);
            sync.stop();
        }
        const SessionTally synced = serverTally(session->id);
        QCOMPARE(synced.sat, before.sat + 3);
        QCOMPARE(synced.excused, before.excused + 1);
        QCOMPARE(synced.registered, after.registered);
        const auto entry = serverEntry(session->id, withdrawn.ticketNumber);
        QVERIFY(entry && entry->withdrawn);
        QCOMPARE(entry->withdrawnOn, QDate(2026, 5, 28));
        QCOMPARE(entry->seat, withdrawn.seat);
        const auto old = serverEntry(session->id, replaced.ticketNumber);
        QVERIFY(old && old->withdrawn);
        QCOMPARE(old->replacedByTicket, QStringLiteral("R2026060199"));
        QCOMPARE(serverEntry(session->id, excused.ticketNumber)->attendance, Attendance::Excused);
        QCOMPARE(serverEntry(session->id, excusedComes.ticketNumber)->attendance, Attendance::CheckedIn);
    }
};

QTEST_GUILESS_MAIN(TestRegistrationSync)
#include "tst_registrationsync.moc"
