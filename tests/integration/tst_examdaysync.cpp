// Named proctors, sign-off and room incidents over a real sync (issue #15,
// items 2-4): the office assigns proctors on a real server over TLS (one
// PIN set by the office); the kiosk's real sync client brings them with the
// package; at the kiosk one proctor sets a PIN on first use, a room incident
// is recorded, the room is signed off (a check-in is then refused), reopened
// for a reason and signed again, each naming who; the outbox drains and the
// server holds every event once (a retried batch doubles nothing), the
// kiosk's PIN becomes the proctor's, and the next package carries it back.

#include "api/api.h"
#include "auth/password.h"
#include "http/tlscert.h"
#include "kiosk/sync/syncclient.h"
#include "office/proctors.h"
#include "sample/sampleroster.h"
#include "store/rosterapply.h"

#include "core/pinhash.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace kaodian;
using namespace kaodian::kiosk;
using namespace kaodian::server;

class TestExamDaySync : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QDateTime m_now = QDateTime(QDate(2026, 6, 1), QTime(8, 45), QTimeZone(8 * 3600));
    SigningKey m_ticketKey = *SigningKey::fromRaw(QByteArray(32, '\x0d'));
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

    QByteArray ticket(const RosterCandidate &c)
    {
        TicketClaims claims;
        claims.ticketNumber = c.ticketNumber;
        claims.sessionId = static_cast<std::uint32_t>(c.sessionId);
        claims.serial = static_cast<std::uint16_t>(c.ticketSerial);
        claims.validFrom = m_now.addDays(-1).toUTC();
        claims.validUntil = m_now.addDays(1).toUTC();
        return *issueTicket(claims, m_ticketKey);
    }

    QByteArray packageHash(const QString &staff)
    {
        for (const auto &p : m_kiosk->package().proctors)
            if (p.staffNumber == staff)
                return p.pinHash;
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
            auto parsed = parseRosterFile(sampleRosterCsv({.candidates = 60, .seed = 5}), "r.csv");
            QVERIFY(parsed.ok());
            QVERIFY((*store)->rosters().applyRoster(*parsed, "r.csv", "test").ok());
            const QString secret = randomToken();
            KioskRecord k;
            k.id = QStringLiteral("KDOOR9");
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
        QVERIFY(m_kiosk->setIdentity({QStringLiteral("KDOOR9"), QStringLiteral("实训楼考点"), QStringLiteral("01"),
                                      m_ticketKey.verifyKey().raw()})
                    .ok());
        m_service = std::make_unique<CheckInService>(*m_kiosk, [this] { return m_now; });
    }

    void signOffReachesTheServer()
    {
        syncNewPackage(); // the roster first: the session to assign proctors to
        const auto session = m_service->currentSession();
        QVERIFY(session.has_value());
        {
            auto store = m_pool->acquire();
            const QByteArray file = QStringLiteral("场次编号,考场,工号,姓名,手机号\n%1,01,T001,王老师,13812345678\n"
                                                   "%1,01,T002,李老师,\n")
                                        .arg(session->id)
                                        .toUtf8();
            auto imported = office::importProctors(**store, file, QStringLiteral("监考.csv"), QStringLiteral("office"));
            QVERIFY2(imported.ok(), imported.ok() ? "" : qPrintable(imported.error().message));
            QVERIFY(office::setProctorPin(**store, QStringLiteral("T001"), QStringLiteral("2468"), QStringLiteral("office"))
                        .ok());
        }
        syncNewPackage();
        QCOMPARE(m_service->proctorsHere().size(), 2);
        QCOMPARE(m_kiosk->checkNamedProctorPin(QStringLiteral("T001"), QStringLiteral("2468"), m_now.toUTC()).value(),
                 KioskStore::PinCheck::Ok);
        QVERIFY(packageHash(QStringLiteral("T002")).isEmpty());
        // 李老师's first use: a PIN set here.
        QVERIFY(m_kiosk->setProctorPinAtFirstUse(QStringLiteral("T002"), session->id, QStringLiteral("1357"), m_now.toUTC()).ok());
        const QByteArray kioskHash = m_kiosk->proctorPinHash(QStringLiteral("T002"));

        const auto roster = m_service->roster(session->id);
        QVERIFY(roster.size() >= 3);
        QVERIFY(m_service->scan(ticket(roster[0])).success());
        m_service->setActingProctor(QStringLiteral("T001"));
        QVERIFY(m_service->markAbsent(roster[2].registrationId).ok());
        QVERIFY(m_service->recordRoomIncident(session->id, IncidentCategory::EquipmentFailure, QString()).ok());
        const SessionCounts before = m_service->counts(session->id);
        QVERIFY(m_service
                    ->signOff(session->id, {{QStringLiteral("T001"), QStringLiteral("王老师")},
                                            {QStringLiteral("T002"), QStringLiteral("李老师")}})
                    .ok());
        // Closed at the door: refused, and the counts stay those signed.
        QCOMPARE(m_service->scan(ticket(roster[1])).result, ScanResult::SessionClosed);
        QCOMPARE(m_service->markLate(roster[0].registrationId).error().refusal, ActionRefusal::SessionAlreadyClosed);
        m_service->setActingProctor(QStringLiteral("T002"));
        QCOMPARE(m_service->reopen(session->id, QString()).error().refusal, ActionRefusal::ReopenReasonRequired);
        QVERIFY(m_service->reopen(session->id, QStringLiteral("签字过早，考生仍在入场")).ok());
        m_now = m_now.addSecs(120);
        QVERIFY(m_service->scan(ticket(roster[1])).success());
        QVERIFY(m_service->signOff(session->id, {{QStringLiteral("T002"), QStringLiteral("李老师")}}).ok());
        const SessionCounts signedCounts = m_service->counts(session->id);
        QCOMPARE(signedCounts.checkedIn, before.checkedIn + 1);
        QCOMPARE(signedCounts.absent, 1);

        syncNewPackage(); // drains the outbox; T002's PIN makes a new package
        auto store = m_pool->acquire();
        auto signOffs = (*store)->events().signOffs(session->id);
        QVERIFY(signOffs.ok());
        QCOMPARE(signOffs->size(), 3);
        QCOMPARE(signOffs->at(0).room, QStringLiteral("01"));
        QCOMPARE(signOffs->at(0).proctor, QStringLiteral("T001"));
        QCOMPARE(signOffs->at(0).facts.sat, before.checkedIn);
        QCOMPARE(signOffs->at(0).facts.signers.size(), 2);
        QVERIFY(signOffs->at(1).reopen);
        QCOMPARE(signOffs->at(1).proctor, QStringLiteral("T002"));
        QCOMPARE(signOffs->at(2).facts.sat, signedCounts.checkedIn);
        QCOMPARE(signOffs->at(2).facts.expected, signedCounts.expected);
        QCOMPARE(signOffs->at(2).facts.absent, 1);
        QCOMPARE(signOffs->at(2).deviceTime, m_now.toUTC());
        auto incidents = (*store)->events().roomIncidents(session->id, QStringLiteral("01"));
        QCOMPARE(incidents->size(), 1);
        QCOMPARE(incidents->at(0).proctorName, QStringLiteral("王老师"));
        // Who marked the absence is on the server too.
        auto who = (*store)->sql().query(QStringLiteral("SELECT proctor FROM kiosk_event WHERE kind = 'mark_absent'"));
        QCOMPARE(who->first()[0].toString(), QStringLiteral("T001"));
        // The kiosk's PIN is the proctor's now, and came back in the package.
        auto pin = (*store)->sql().query(QStringLiteral("SELECT pin_hash FROM proctor WHERE staff_number = 'T002'"));
        QCOMPARE(pin->first()[0].toString().toLatin1(), kioskHash);
        QCOMPARE(packageHash(QStringLiteral("T002")), kioskHash);

        // Every event sent again (a lost acknowledgement): nothing doubles.
        QList<KioskEvent> all(m_kiosk->events().begin(), m_kiosk->events().end());
        auto again = (*store)->events().ingest(QStringLiteral("KDOOR9"), all, m_now.toUTC());
        QVERIFY(again.ok());
        QCOMPARE(again->stored, 0);
        QCOMPARE((*store)->events().signOffs(session->id)->size(), 3);
    }
};

QTEST_GUILESS_MAIN(TestExamDaySync)
#include "tst_examdaysync.moc"
