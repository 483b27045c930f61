// Session packages never go backwards (issue #17, finding 2): a kiosk holding
// a package refuses an older one — a copy made before a ticket was
// re-issued, from a USB stick or a server whose clock or store went back —
// with the proctor's reason, and keeps its own, so a revoked ticket stays
// refused. The same package again, a newer one, and a later day's are taken.

#include "kioskfixture.h"

#include "protocol/sessionpackage.h"

#include <QTest>

using namespace kaodian;
using namespace kaodian::kiosk;
using namespace kaodian::protocol;
using namespace kaodian::kiosk::test;

namespace {

// The fixture's package as the server made it after 1004's re-issue:
// exam day, version 2000.
void versioned(SessionPackage &p)
{
    p.version = {kExamDay, 2000};
}

// The same day's package as it was before the re-issue: 1004 on serial 1,
// no revocation, an earlier version.
SessionPackage beforeReissue(const KioskFixture &f, qint64 number)
{
    SessionPackage p = f.makePackage();
    for (auto &c : p.roster)
        if (c.registrationId == 1004)
            c.ticketSerial = 1;
    p.revocations.clear();
    p.generatedAt = examTime(15, 0, -1);
    p.version = {kExamDay, number};
    return p;
}

} // namespace

class TestPackageVersion : public QObject
{
    Q_OBJECT

private slots:
    void versionsOrderByDayThenNumber()
    {
        const PackageVersion held{kExamDay, 2000};
        QVERIFY(PackageVersion({kExamDay, 1999}).isOlderThan(held));
        QVERIFY(!PackageVersion({kExamDay, 2000}).isOlderThan(held)); // the same, delivered again
        QVERIFY(!PackageVersion({kExamDay, 2001}).isOlderThan(held));
        QVERIFY(!PackageVersion({kExamDay.addDays(1), 5}).isOlderThan(held));   // a later day, made earlier
        QVERIFY(PackageVersion({kExamDay.addDays(-1), 9000}).isOlderThan(held)); // an earlier day, made later
        QVERIFY(PackageVersion().isOlderThan(held)); // no version: made before versions
        QVERIFY(!PackageVersion().isOlderThan(PackageVersion())); // a kiosk that never had one takes any
        QVERIFY(!held.isOlderThan(PackageVersion()));
    }

    void theVersionTravelsSignedAndIsKept()
    {
        KioskFixture f(versioned);
        QCOMPARE(f.services->store()->package().version, (PackageVersion{kExamDay, 2000}));
        const QByteArray bytes = encodeSessionPackage(f.package, f.key);
        auto decoded = decodeSessionPackage(bytes, f.key.verifyKey());
        QVERIFY(decoded.ok());
        QCOMPARE(decoded->version, (PackageVersion{kExamDay, 2000}));
        // Its content tag leaves the number out (the server's ETag), not the day.
        SessionPackage renumbered = f.package;
        renumbered.version.number = 2500;
        QCOMPARE(sessionPackageContentTag(renumbered), sessionPackageContentTag(f.package));
        renumbered.version.day = kExamDay.addDays(1);
        QVERIFY(sessionPackageContentTag(renumbered) != sessionPackageContentTag(f.package));
        // Kept in the encrypted store.
        auto reopened = KioskStore::open(f.paths(), kPassphrase);
        QVERIFY(reopened.ok());
        QCOMPARE(reopened->package().version, (PackageVersion{kExamDay, 2000}));
    }

    // The attack: the package from before 1004's re-issue, validly signed,
    // brought back by file. Refused with a reason; serial 1 stays revoked.
    void anOlderPackageIsRefusedAndTheRevokedTicketStaysRefused()
    {
        KioskFixture f(versioned);
        const QByteArray revoked = f.ticket(QStringLiteral("2026100104"), 10, 1);
        QCOMPARE(f.services->checkIn()->scan(revoked).result, ScanResult::Revoked);

        const SessionPackage stale = beforeReissue(f, 1500);
        auto refused = f.services->provision(encodeSessionPackage(stale, f.key), QString(), QString(), QString());
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().contains(QStringLiteral("比本机现有的旧")), qPrintable(refused.error()));
        QVERIFY2(refused.error().contains(QStringLiteral("已拒绝")), qPrintable(refused.error()));
        QCOMPARE(f.services->store()->package().version, (PackageVersion{kExamDay, 2000}));
        QCOMPARE(f.services->store()->package().revocations.size(), 1);
        QCOMPARE(f.services->checkIn()->scan(revoked).result, ScanResult::Revoked);

        // The store itself refuses it, with a code (whoever calls it).
        auto direct = f.services->store()->provision(stale);
        QVERIFY(!direct.ok());
        QCOMPARE(direct.error().code, StoreError::Code::Refused);
        // An earlier day's package, however new its number; one with no version.
        SessionPackage yesterday = beforeReissue(f, 9000);
        yesterday.version.day = kExamDay.addDays(-1);
        QVERIFY(!f.services->provision(encodeSessionPackage(yesterday, f.key), QString(), QString(), QString()).ok());
        SessionPackage unversioned = beforeReissue(f, 0);
        unversioned.version = {};
        auto old = f.services->provision(encodeSessionPackage(unversioned, f.key), QString(), QString(), QString());
        QVERIFY(!old.ok());
        QVERIFY2(old.error().contains(QStringLiteral("没有版本号")), qPrintable(old.error()));

        // After a restart, the same.
        f.services->lock();
        QVERIFY(f.services->unlock(kPassphrase).ok());
        QVERIFY(!f.services->provision(encodeSessionPackage(stale, f.key), QString(), QString(), QString()).ok());
        QCOMPARE(f.services->checkIn()->scan(revoked).result, ScanResult::Revoked);
    }

    void theSamePackageAgainANewerOneAndALaterDayAreTaken()
    {
        KioskFixture f(versioned);
        QVERIFY(f.services->provision(encodeSessionPackage(f.package, f.key), QString(), QString(), QString()).ok());
        SessionPackage newer = f.package;
        newer.version.number = 2001;
        newer.revocations.push_back({QStringLiteral("2026100101"), 1, examTime(8, 0)});
        QVERIFY(f.services->provision(encodeSessionPackage(newer, f.key), QString(), QString(), QString()).ok());
        QCOMPARE(f.services->store()->package().version.number, 2001);
        QCOMPARE(f.services->checkIn()->scan(f.ticket(QStringLiteral("2026100101"), 10)).result, ScanResult::Revoked);
        SessionPackage tomorrow = f.package;
        tomorrow.version = {kExamDay.addDays(1), 5}; // made days ahead, before today's
        QVERIFY(f.services->provision(encodeSessionPackage(tomorrow, f.key), QString(), QString(), QString()).ok());
        QCOMPARE(f.services->store()->package().version, (PackageVersion{kExamDay.addDays(1), 5}));
    }
};

QTEST_GUILESS_MAIN(TestPackageVersion)
#include "tst_packageversion.moc"
