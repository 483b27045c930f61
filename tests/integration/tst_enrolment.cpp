// Enrolling a kiosk at its own screen against a real server over TLS on
// loopback: the first contact (EnrolmentClient) answers the package or says
// exactly what is wrong — unreachable, another certificate, a code the
// server does not know, a revoked kiosk, a code another installation
// already used, another ticket key — and the first-run view model turns a
// scanned code, the passphrase and the PIN into an enrolled, unlocked kiosk
// that then syncs as the installation that claimed the code.

#include "enrolmentserver.h"

#include "firstrunviewmodel.h"
#include "kioskservices.h"
#include "kiosk/sync/enrolmentclient.h"
#include "kiosk/sync/kioskrequest.h"

#include "auth/password.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace kaodian;
using namespace kaodian::kiosk;
using kaodian::testing::EnrolmentServer;

Q_DECLARE_METATYPE(kaodian::kiosk::EnrolmentFailure)

class TestEnrolment : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    EnrolmentServer m_server;

    // The first contact's answer, waited for.
    Result<QByteArray, EnrolmentError> contact(const EnrolmentCode &code, const QByteArray &installation,
                                               const QByteArray &devicePublicKey = {})
    {
        EnrolmentClient client;
        client.setTimeout(10000);
        std::optional<Result<QByteArray, EnrolmentError>> answer;
        client.check(code, installation, devicePublicKey, [&](const Result<QByteArray, EnrolmentError> &r) { answer.emplace(r); });
        (void)QTest::qWaitFor([&] { return answer.has_value(); }, 20000); // no answer: BadAnswer below
        return answer.value_or(EnrolmentError{EnrolmentFailure::BadAnswer, QStringLiteral("no answer")});
    }

    EnrolmentCode freshCode()
    {
        const auto code = EnrolmentCode::parse(m_server.enrolKiosk());
        if (!code)
            qFatal("the office's code does not parse");
        return *code;
    }

    std::unique_ptr<KioskServices> kioskIn(const QString &name)
    {
        auto services = std::make_unique<KioskServices>(KioskPaths{m_dir.filePath(name)});
        services->setKdfIterations(kMinKdfIterations);
        return services;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString why = m_server.start(m_dir.path());
        QVERIFY2(why.isEmpty(), qPrintable(why));
    }

    void firstContactBringsThePackageAndClaimsTheCode()
    {
        const EnrolmentCode code = freshCode();
        const QByteArray installation = newInstallationId();
        const QByteArray deviceKey = SigningKey::generate()->verifyKey().raw();
        const auto r = contact(code, installation, deviceKey);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().detail));
        QVERIFY(protocol::decodeSessionPackage(*r, *VerifyKey::fromRaw(protocol::packageSigner(*r)->raw())).ok());
        const auto held = m_server.kiosk(code.kioskId());
        QVERIFY(held.has_value());
        QCOMPARE(held->installationHash, server::sha256Hex(installation));
        QVERIFY(held->installedAt.isValid());
        QCOMPARE(held->deviceKey, deviceKey); // registered with the claim (issue #17, finding 5)

        // The same installation again (a retry): welcome.
        QVERIFY(contact(code, installation).ok());
        // Another installation: the code is used, and its key is not registered.
        const auto other = contact(code, newInstallationId(), SigningKey::generate()->verifyKey().raw());
        QVERIFY(!other.ok());
        QCOMPARE(other.error().kind, EnrolmentFailure::AlreadyUsed);
        QVERIFY(other.error().detail.contains(QStringLiteral("另一台")));
        // Nor without an installation id at all (a client that sends none).
        QCOMPARE(contact(code, QByteArray()).error().kind, EnrolmentFailure::AlreadyUsed);
        QCOMPARE(m_server.kiosk(code.kioskId())->deviceKey, deviceKey);
    }

    void failuresSayWhich_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<EnrolmentFailure>("kind");
        QTest::newRow("a secret the server does not know") << "secret" << EnrolmentFailure::UnknownCode;
        QTest::newRow("a kiosk the server does not know") << "kiosk" << EnrolmentFailure::UnknownCode;
        QTest::newRow("revoked") << "revoked" << EnrolmentFailure::Revoked;
        QTest::newRow("another certificate pinned") << "certificate" << EnrolmentFailure::CertificateMismatch;
        QTest::newRow("another ticket key named") << "ticket key" << EnrolmentFailure::TicketKeyMismatch;
        QTest::newRow("nothing listening") << "port" << EnrolmentFailure::Unreachable;
    }

    void failuresSayWhich()
    {
        QFETCH(QString, change);
        QFETCH(EnrolmentFailure, kind);
        EnrolmentCode code = freshCode();
        if (change == QLatin1String("secret"))
            code.credential = code.kioskId() + QStringLiteral(".not-the-secret");
        else if (change == QLatin1String("kiosk"))
            code.credential = QStringLiteral("KNOSUCH.") + code.credential.section(QLatin1Char('.'), 1);
        else if (change == QLatin1String("revoked"))
            QVERIFY(m_server.revoke(code.kioskId()));
        else if (change == QLatin1String("certificate"))
            code.certSha256 = QByteArray(64, 'e');
        else if (change == QLatin1String("ticket key"))
            code.ticketKeySha256 = QByteArray(64, 'f');
        else if (change == QLatin1String("port")) {
            QTcpServer closed;
            QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
            code.server.setPort(closed.serverPort());
            closed.close();
        }
        const auto r = contact(code, newInstallationId());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, kind);
        if (kind == EnrolmentFailure::CertificateMismatch || kind == EnrolmentFailure::UnknownCode) {
            // Refused before anything was claimed: the real code still enrols.
            QVERIFY(!m_server.kiosk(code.kioskId()).value_or(server::KioskRecord{}).installedAt.isValid());
        }
    }

    void firstRunScreenEnrolsAndTheKioskSyncsAsThatInstallation()
    {
        const QString codeText = m_server.enrolKiosk();
        auto services = kioskIn(QStringLiteral("kiosk-a"));
        FirstRunViewModel vm(services.get());
        vm.setTimeout(10000);
        QSignalSpy enrolled(&vm, &FirstRunViewModel::enrolled);

        vm.submitScan(QStringLiteral("KD1.ABCDEFGH")); // an admission ticket, not the code
        QCOMPARE(vm.step(), FirstRunViewModel::Scan);
        QVERIFY(vm.messageIsError());
        QVERIFY(vm.message().contains(QStringLiteral("准考证")));

        vm.submitScan(codeText + QStringLiteral("\n"));
        QCOMPARE(vm.step(), FirstRunViewModel::Secrets);
        QVERIFY(vm.codeSummary().contains(QStringLiteral("127.0.0.1")));
        QVERIFY(!vm.enrol(QStringLiteral("short"), QStringLiteral("short"), QStringLiteral("246810"), QStringLiteral("246810")));
        QVERIFY(!vm.enrol(QStringLiteral("passphrase-1"), QStringLiteral("passphrase-2"), QStringLiteral("246810"),
                          QStringLiteral("246810")));
        QVERIFY(vm.message().contains(QStringLiteral("不一致")));
        QVERIFY(!vm.enrol(QStringLiteral("passphrase-1"), QStringLiteral("passphrase-1"), QStringLiteral("12ab56"),
                          QStringLiteral("12ab56")));
        QVERIFY(!services->storeExists());

        QVERIFY(vm.enrol(QStringLiteral("passphrase-1"), QStringLiteral("passphrase-1"), QStringLiteral("246810"),
                         QStringLiteral("246810")));
        QCOMPARE(vm.step(), FirstRunViewModel::Enrolling);
        QTRY_COMPARE_WITH_TIMEOUT(enrolled.count(), 1, 20000);
        QVERIFY(services->isUnlocked());
        QVERIFY(services->storeExists());
        const auto code = *EnrolmentCode::parse(codeText);
        QCOMPARE(services->kioskId(), code.kioskId());
        QCOMPARE(services->site(), EnrolmentServer::kSite);
        QCOMPARE(services->room(), QStringLiteral("01"));
        QVERIFY(!services->store()->package().roster.isEmpty()); // the package came with the first contact
        QCOMPARE(services->store()->enrolment(), code.toString());
        QCOMPARE(server::sha256Hex(services->store()->installationId()), m_server.kiosk(code.kioskId())->installationHash);
        // The sync that follows speaks as the same installation: the server takes it.
        QTRY_VERIFY_WITH_TIMEOUT(services->online(), 20000);

        // The passphrase set here is the one that unlocks it from now on; the PIN too.
        services->lock();
        QVERIFY(!services->unlock(QStringLiteral("passphrase-2")).ok());
        QVERIFY(services->unlock(QStringLiteral("passphrase-1")).ok());
        QCOMPARE(services->store()->checkProctorPin(QStringLiteral("246810"), QDateTime::currentDateTimeUtc()).value(),
                 KioskStore::PinCheck::Ok);

        // The same code at another kiosk: refused, nothing created there, scan another.
        auto second = kioskIn(QStringLiteral("kiosk-b"));
        FirstRunViewModel other(second.get());
        other.submitScan(codeText);
        QVERIFY(other.enrol(QStringLiteral("passphrase-1"), QStringLiteral("passphrase-1"), QStringLiteral("246810"),
                            QStringLiteral("246810")));
        QTRY_COMPARE_WITH_TIMEOUT(other.step(), FirstRunViewModel::Scan, 20000);
        QVERIFY(other.messageIsError());
        QVERIFY2(other.message().contains(QStringLiteral("已在另一台")), qPrintable(other.message()));
        QVERIFY(!second->storeExists());
    }

    void unreachableServerCanBeRetried()
    {
        auto code = *EnrolmentCode::parse(m_server.enrolKiosk());
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        code.server.setPort(closed.serverPort());
        closed.close();
        auto services = kioskIn(QStringLiteral("kiosk-c"));
        FirstRunViewModel vm(services.get());
        vm.submitScan(code.toString());
        QVERIFY(vm.enrol(QStringLiteral("passphrase-1"), QStringLiteral("passphrase-1"), QStringLiteral("246810"),
                         QStringLiteral("246810")));
        QTRY_COMPARE_WITH_TIMEOUT(vm.step(), FirstRunViewModel::Secrets, 20000);
        QVERIFY2(vm.message().contains(QStringLiteral("无法连接服务器")), qPrintable(vm.message()));
        QVERIFY(!services->storeExists());
        QVERIFY(vm.enrol(QStringLiteral("passphrase-1"), QStringLiteral("passphrase-1"), QStringLiteral("246810"),
                         QStringLiteral("246810"))); // the same code, once more
    }
};

QTEST_GUILESS_MAIN(TestEnrolment)
#include "tst_enrolment.moc"
