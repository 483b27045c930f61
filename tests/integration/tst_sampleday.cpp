// The demo works at any hour (issue #13): `scripts/start` imports a sample
// roster made with --open-now and prints the first candidate's ticket; that
// ticket, scanned at room 01's door, must check in on time whatever the time
// of day the system was first started. Driven through the real parts: the
// roster imported into an embedded server store, the session package built
// and signed by the server, the ticket's QR text as the server prints it, a
// kiosk store provisioned with the decoded package and the check-in core.

#include "kiosk/core/checkinservice.h"
#include "office/packagebuilder.h"
#include "office/rosters.h"
#include "office/tickets.h"
#include "sample/sampleroster.h"
#include "store/serverstore.h"

#include "core/examzone.h"
#include "protocol/sessionpackage.h"

#include <QTemporaryDir>
#include <QTest>

using namespace kaodian;
using namespace kaodian::kiosk;
using namespace kaodian::server;

namespace {

const QString kSite = QStringLiteral("实训楼考点");

QString firstTicketNumber(const QByteArray &csv)
{
    const QList<QByteArray> lines = csv.split('\n');
    return QString::fromUtf8(lines.value(1).split(',').value(0));
}

} // namespace

class TestSampleDay : public QObject
{
    Q_OBJECT

private slots:
    void sessionTimesStayOnTheDayAndOpen_data()
    {
        QTest::addColumn<int>("minute");
        for (int m = 0; m < 24 * 60; m += 7)
            QTest::addRow("%02d:%02d", m / 60, m % 60) << m;
        QTest::addRow("23:59") << 23 * 60 + 59;
    }
    void sessionTimesStayOnTheDayAndOpen()
    {
        QFETCH(int, minute);
        const QDateTime at = examTime(QDate(2026, 12, 2), QTime(minute / 60, minute % 60, 30));
        const OpenSessionTimes t = openSessionTimes(at.toUTC());
        QCOMPARE(t.date, QDate(2026, 12, 2));
        QVERIFY(t.start < t.end);
        const QDateTime start = examTime(t.date, t.start);
        QVERIFY2(at >= start.addSecs(-60 * 60), "check-in opens an hour before the start");
        QVERIFY2(at <= start.addSecs(15 * 60), "a scan now would be late");
    }

    // The whole path at hours a newcomer might first start the system.
    void firstTicketChecksInAtAnyHour_data()
    {
        QTest::addColumn<QTime>("clock");
        for (const QTime t : {QTime(0, 0, 5), QTime(3, 17), QTime(7, 53), QTime(12, 0), QTime(19, 42),
                              QTime(23, 31), QTime(23, 58, 40)})
            QTest::addRow("%s", qPrintable(t.toString(QStringLiteral("HH:mm:ss")))) << t;
    }
    void firstTicketChecksInAtAnyHour()
    {
        QFETCH(QTime, clock);
        const QDateTime now = examTime(QDate(2026, 12, 2), clock);
        QTemporaryDir dir;
        const StoreLocation location{dir.filePath(QStringLiteral("server")), QString()};
        QVERIFY(ServerStore::createEmbedded(location.dataDir).ok());
        auto opened = ServerStore::open(location, [now] { return now; });
        QVERIFY2(opened.ok(), opened.ok() ? "" : qPrintable(opened.error().message));
        ServerStore &store = **opened;

        SampleRosterOptions o;
        o.candidates = 60;
        o.openAt = now;
        o.firstExamDate = examDate(now);
        const QByteArray csv = sampleRosterCsv(o);
        auto imported = office::importRoster(store, csv, QStringLiteral("sample.csv"), QStringLiteral("test"));
        QVERIFY2(imported.ok(), imported.ok() ? "" : qPrintable(imported.error().message));

        const SigningKey key = *SigningKey::fromRaw(QByteArray(32, '\x2e'));
        auto site = store.rosters().siteIdByName(kSite);
        QVERIFY(site.ok() && site->has_value());
        auto packageFile = office::buildSessionPackage(store, **site, kSite, QStringLiteral("01"), examDate(now), key);
        QVERIFY2(packageFile.ok(), packageFile.ok() ? "" : qPrintable(packageFile.error().message));
        auto package = protocol::decodeSessionPackage(*packageFile, key.verifyKey());
        QVERIFY2(package.ok(), package.ok() ? "" : qPrintable(package.error()));
        QVERIFY2(!package->sessions.isEmpty(), "room 01 has no session on the day the system was started");

        const QString number = firstTicketNumber(csv);
        auto qr = office::ticketQrText(store, key, number);
        QVERIFY2(qr.ok(), qr.ok() ? "" : qPrintable(qr.error().message));

        const KioskPaths paths{dir.filePath(QStringLiteral("kiosk"))};
        auto created = KioskStore::create(paths, QStringLiteral("考点口令 demo"), kMinKdfIterations);
        QVERIFY2(created.ok(), created.ok() ? "" : qPrintable(created.error().message));
        KioskStore kiosk = std::move(created).value();
        QVERIFY(kiosk.setIdentity({QStringLiteral("K01"), kSite, QStringLiteral("01"), key.verifyKey().raw()}).ok());
        QVERIFY(kiosk.provision(*package).ok());
        CheckInService service(kiosk, [now] { return now; });
        const ScanOutcome outcome = service.scan(*qr);
        QCOMPARE(scanResultCode(outcome.result), scanResultCode(ScanResult::CheckedIn));
    }
};

QTEST_GUILESS_MAIN(TestSampleDay)
#include "tst_sampleday.moc"
