// UnlockViewModel: the site passphrase opens the store; a wrong one, a
// missing or a damaged store say so in the store's words; nothing of the
// roster is reachable before.

#include "checkinviewmodel.h"
#include "kioskfixture.h"
#include "proctorviewmodel.h"
#include "storeerrortext.h"
#include "unlockviewmodel.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTest>

using namespace kaodian;
using namespace kaodian::kiosk;
using namespace kaodian::kiosk::test;

class TestUnlockViewModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void unlocksWithThePassphrase()
    {
        KioskFixture f;
        f.services->lock();
        UnlockViewModel vm(f.services.get());
        QVERIFY(vm.storeExists());
        QVERIFY(!vm.isUnlocked());
        QSignalSpy unlocked(&vm, &UnlockViewModel::unlockedChanged);
        QVERIFY(vm.unlock(kPassphrase));
        QVERIFY(vm.isUnlocked());
        QVERIFY(vm.errorMessage().isEmpty());
        QCOMPARE(unlocked.count(), 1);
        QCOMPARE(f.services->store()->package().roster.size(), 7);
    }

    // Said from the error's code in the kiosk's language (storeErrorText), not
    // in the core's log message.
    void wrongPassphraseSaysSo()
    {
        KioskFixture f;
        f.services->lock();
        const auto direct = KioskStore::open(f.paths(), QStringLiteral("wrong"));
        QVERIFY(!direct);
        QCOMPARE(direct.error().code, StoreError::Code::WrongPassphrase);

        UnlockViewModel vm(f.services.get());
        QSignalSpy error(&vm, &UnlockViewModel::errorMessageChanged);
        QVERIFY(!vm.unlock(QStringLiteral("wrong")));
        QVERIFY(!vm.isUnlocked());
        QCOMPARE(vm.errorMessage(), storeErrorText(direct.error()));
        QCOMPARE(vm.errorMessage(), QStringLiteral("考点口令不正确"));
        QCOMPARE(error.count(), 1);
        // Then the right one clears the message.
        QVERIFY(vm.unlock(kPassphrase));
        QVERIFY(vm.errorMessage().isEmpty());
    }

    void emptyPassphrase()
    {
        KioskFixture f;
        f.services->lock();
        UnlockViewModel vm(f.services.get());
        QVERIFY(!vm.unlock(QString()));
        QCOMPARE(vm.errorMessage(), QStringLiteral("请输入考点口令"));
    }

    void noStoreYet()
    {
        QTemporaryDir dir;
        KioskServices services(KioskPaths{dir.path()});
        UnlockViewModel vm(&services);
        QVERIFY(!vm.storeExists());
        QVERIFY(!vm.unlock(QStringLiteral("anything")));
        QVERIFY2(vm.errorMessage().contains(QStringLiteral("--provision")), qPrintable(vm.errorMessage()));
        QVERIFY(QDir(dir.path()).entryList(QDir::Files).isEmpty()); // nothing created
    }

    void damagedStoreIsKeptAside()
    {
        KioskFixture f;
        f.services->lock();
        {
            QFile db(f.paths().database());
            QVERIFY(db.open(QIODevice::ReadWrite));
            db.seek(4096);
            db.write(QByteArray(8192, '\x5a'));
        }
        UnlockViewModel vm(f.services.get());
        QVERIFY(!vm.unlock(kPassphrase));
        QVERIFY(!vm.isUnlocked());
        QVERIFY(!vm.errorMessage().isEmpty());
        // Never silently replaced by an empty store.
        QVERIFY(!f.services->store());
    }

    // Issue #17, finding 4: after wrong passphrases in a row the screen
    // counts the wait down, refuses to try until it is over, and a restart
    // (a new view model over new services) still shows it.
    void theWaitCountsDown()
    {
        KioskFixture f;
        f.services->lock();
        UnlockViewModel vm(f.services.get());
        QCOMPARE(vm.waitSeconds(), 0);
        QVERIFY(vm.waitText().isEmpty());
        QSignalSpy wait(&vm, &UnlockViewModel::waitChanged);
        for (int i = 0; i < 3; ++i) {
            QVERIFY(!vm.unlock(QStringLiteral("wrong")));
            QCOMPARE(vm.waitSeconds(), 0);
        }
        QVERIFY(!vm.unlock(QStringLiteral("wrong")));
        QCOMPARE(vm.errorMessage(), QStringLiteral("考点口令不正确"));
        QCOMPARE(vm.waitSeconds(), 30);
        QCOMPARE(vm.waitText(), QStringLiteral("考点口令连续输错，请 30 秒后再试"));
        QCOMPARE(wait.count(), 1);

        // The right passphrase, too soon: not tried.
        QVERIFY(!vm.unlock(kPassphrase));
        QVERIFY(!vm.isUnlocked());
        QCOMPARE(vm.errorMessage(), QStringLiteral("考点口令连续输错，请 30 秒后再试"));

        f.now = f.now.addSecs(12);
        vm.refreshWait(); // what the countdown does each second
        QCOMPARE(vm.waitSeconds(), 18);
        QCOMPARE(vm.errorMessage(), QStringLiteral("考点口令连续输错，请 18 秒后再试"));

        // Switched off and on: the wait is still there.
        f.services->lock();
        KioskServices restarted(f.paths(), [&f] { return f.now; });
        UnlockViewModel afterRestart(&restarted);
        QCOMPARE(afterRestart.waitSeconds(), 18);
        QVERIFY(!afterRestart.unlock(kPassphrase));

        f.now = f.now.addSecs(18);
        vm.refreshWait();
        QCOMPARE(vm.waitSeconds(), 0);
        QVERIFY(vm.errorMessage().isEmpty()); // the wait's message goes with it
        QVERIFY(vm.unlock(kPassphrase));
    }

    void nothingOfTheRosterBeforeUnlock()
    {
        KioskFixture f;
        f.services->lock();
        CheckInViewModel checkIn(f.services.get());
        ProctorViewModel proctor(f.services.get());
        QVERIFY(!f.services->store());
        QVERIFY(!f.services->checkIn());
        QCOMPARE(proctor.roster()->rowCount(), 0);
        QVERIFY(proctor.sessions().isEmpty());
        QVERIFY(!proctor.enterPin(kPin));
        QVERIFY(!proctor.isAuthenticated());
        QVERIFY(!checkIn.hasSession());
        QCOMPARE(checkIn.expectedCount(), 0);
        QVERIFY(f.services->kioskId().isEmpty());

        UnlockViewModel vm(f.services.get());
        QVERIFY(vm.unlock(kPassphrase));
        QCOMPARE(proctor.roster()->rowCount(), 4);
        QVERIFY(checkIn.hasSession());
        QCOMPARE(checkIn.expectedCount(), 4);
        QCOMPARE(f.services->kioskId(), QStringLiteral("KIOSK-T1"));
    }
};

QTEST_GUILESS_MAIN(TestUnlockViewModel)
#include "tst_unlockviewmodel.moc"
