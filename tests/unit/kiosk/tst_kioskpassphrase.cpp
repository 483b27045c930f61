// Issue #17, finding 4: the site passphrase. One rule for a new passphrase
// (kiosk/core/passphraserule.h) wherever it is set; wrong passphrases in a
// row make the next attempt wait, longer each time, kept in a side file so a
// restart does not reset it (kiosk/core/unlockthrottle.h), and tampering
// with that file buys no more than the wait; the proctor changes the
// passphrase with the current one, under the same waits. A real encrypted
// store throughout (kioskfixture.h).

#include "changepassphraseviewmodel.h"
#include "firstrunviewmodel.h"
#include "kioskfixture.h"

#include "kiosk/core/passphraserule.h"
#include "kiosk/core/unlockthrottle.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace kaodian;
using namespace kaodian::kiosk;
using namespace kaodian::kiosk::test;

namespace {

const QString kWrong = QStringLiteral("not-the-passphrase");
const QString kNewPassphrase = QStringLiteral("Exam-room-2026");

// A well-formed enrolment code of a server nobody answers for.
QString unreachableCode()
{
    return QStringLiteral("KDENROL1|https://127.0.0.1:9|KTEST01.c2VjcmV0|%1|%2")
        .arg(QString(64, QLatin1Char('a')), QString(64, QLatin1Char('b')));
}

void writeAttempts(const KioskPaths &paths, const QByteArray &bytes)
{
    QFile file(paths.unlockAttempts());
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(bytes), bytes.size());
}

QJsonObject readAttempts(const KioskPaths &paths)
{
    QFile file(paths.unlockAttempts());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

} // namespace

class TestKioskPassphrase : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theRule_data()
    {
        QTest::addColumn<QString>("passphrase");
        QTest::addColumn<int>("problem"); // -1: none
        const int none = -1;
        QTest::newRow("demo") << QStringLiteral("kaodian-demo") << none;
        QTest::newRow("mixed") << kNewPassphrase << none;
        QTest::newRow("letters and digits") << QStringLiteral("room01exam") << none;
        QTest::newRow("Chinese and digits") << QStringLiteral("考点口令第二考场2026") << none;
        QTest::newRow("empty") << QString() << int(PassphraseProblem::TooShort);
        QTest::newRow("9 characters") << QStringLiteral("考点口令-2026") << int(PassphraseProblem::TooShort);
        QTest::newRow("8, the old minimum") << QStringLiteral("abcd1234") << int(PassphraseProblem::TooShort);
        QTest::newRow("lower case only") << QStringLiteral("abcdefghijkl") << int(PassphraseProblem::OneKind);
        QTest::newRow("digits only") << QStringLiteral("1234567890") << int(PassphraseProblem::OneKind);
        QTest::newRow("capitals only") << QStringLiteral("KAODIANEXAM") << int(PassphraseProblem::OneKind);
        QTest::newRow("one character") << QStringLiteral("aaaaaaaaaaaa") << int(PassphraseProblem::OneKind);
        QTest::newRow("few characters") << QStringLiteral("aaaaaaaaa1") << int(PassphraseProblem::Repetitive);
        QTest::newRow("ab12 repeated") << QStringLiteral("ab12ab12ab12") << int(PassphraseProblem::Repetitive);
        QTest::newRow("a piece twice") << QStringLiteral("exam1exam1") << int(PassphraseProblem::Repetitive);
        // Characters, not UTF-16 units: 𪚥 (U+2A6A5) counts once.
        QTest::newRow("astral") << QStringLiteral("𪚥𪚥𪚥𪚥1") << int(PassphraseProblem::TooShort);
    }
    void theRule()
    {
        QFETCH(QString, passphrase);
        QFETCH(int, problem);
        const auto found = passphraseProblem(passphrase);
        QCOMPARE(found ? int(*found) : -1, problem);
    }

    void theWaitGrows()
    {
        const QList<int> waits {0, 0, 0, 0, 30, 60, 120, 240, 480, 600, 600, 600};
        for (int failures = 0; failures < waits.size(); ++failures)
            QCOMPARE(UnlockThrottle::waitAfter(failures), waits[failures]);
        QCOMPARE(UnlockThrottle::waitAfter(1'000'000), 600);
    }

    // Three slips are free; the fourth wrong passphrase in a row makes even
    // the right one wait 30 s, then it opens and the count starts again.
    void wrongPassphrasesMakeTheNextAttemptWait()
    {
        KioskFixture f;
        f.services->lock();
        for (int i = 0; i < 4; ++i) {
            const auto s = f.services->unlock(kWrong);
            QVERIFY(!s.ok());
            QCOMPARE(s.error().code, StoreError::Code::WrongPassphrase);
        }
        auto refused = f.services->unlock(kPassphrase);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, StoreError::Code::TooManyAttempts);
        QVERIFY2(refused.error().message.contains(QStringLiteral("请 30 秒后再试")), qPrintable(refused.error().message));
        QVERIFY(!f.services->isUnlocked());
        // Refused attempts while waiting are not tried, and do not count.
        QCOMPARE(UnlockThrottle(f.paths().unlockAttempts()).failures(), 4);

        f.now = f.now.addSecs(29);
        QCOMPARE(f.services->unlockWait(), 1);
        QVERIFY(!f.services->unlock(kPassphrase).ok());
        f.now = f.now.addSecs(1);
        QCOMPARE(f.services->unlockWait(), 0);
        QVERIFY(f.services->unlock(kPassphrase).ok());
        QCOMPARE(UnlockThrottle(f.paths().unlockAttempts()).failures(), 0);

        // The fifth wrong one after that is a slip again.
        f.services->lock();
        QCOMPARE(f.services->unlock(kWrong).error().code, StoreError::Code::WrongPassphrase);
        QCOMPARE(f.services->unlockWait(), 0);
    }

    void longerEachTime()
    {
        KioskFixture f;
        f.services->lock();
        for (int i = 0; i < 4; ++i)
            QVERIFY(!f.services->unlock(kWrong).ok());
        QCOMPARE(f.services->unlockWait(), 30);
        f.now = f.now.addSecs(30);
        QCOMPARE(f.services->unlock(kWrong).error().code, StoreError::Code::WrongPassphrase);
        QCOMPARE(f.services->unlockWait(), 60);
        f.now = f.now.addSecs(60);
        QVERIFY(!f.services->unlock(kWrong).ok());
        QCOMPARE(f.services->unlockWait(), 120);
    }

    // The kiosk switched off and on: the wait is still there.
    void theWaitSurvivesARestart()
    {
        KioskFixture f;
        f.services->lock();
        for (int i = 0; i < 4; ++i)
            QVERIFY(!f.services->unlock(kWrong).ok());
        f.now = f.now.addSecs(10);
        f.services.reset();
        KioskServices restarted(f.paths(), [&f] { return f.now; });
        QCOMPARE(restarted.unlockWait(), 20);
        const auto s = restarted.unlock(kPassphrase);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, StoreError::Code::TooManyAttempts);
        f.now = f.now.addSecs(20);
        QVERIFY(restarted.unlock(kPassphrase).ok());
    }

    // The count is written before the passphrase is tried (atomically, mode
    // 0600), so switching the kiosk off mid-attempt saves no guess.
    void countedBeforeTheTry()
    {
        KioskFixture f;
        f.services->lock();
        QVERIFY(!f.services->unlock(kWrong).ok());
        const QJsonObject o = readAttempts(f.paths());
        QCOMPARE(o.value(QStringLiteral("format")).toString(), QStringLiteral("kaodian-unlock/1"));
        QCOMPARE(o.value(QStringLiteral("failures")).toInt(), 1);
        const QFileDevice::Permissions mode = QFile::permissions(f.paths().unlockAttempts());
        QVERIFY(mode.testFlag(QFileDevice::ReadOwner) && mode.testFlag(QFileDevice::WriteOwner));
        QVERIFY(!(mode & (QFileDevice::ExeOwner | QFileDevice::ReadGroup | QFileDevice::WriteGroup
                          | QFileDevice::ReadOther | QFileDevice::WriteOther)));
        // No temporary files of QSaveFile left beside it.
        QCOMPARE(QDir(f.dir.path()).entryList({QStringLiteral("kiosk.unlock*")}, QDir::Files | QDir::Hidden).size(), 1);

        UnlockThrottle throttle(f.paths().unlockAttempts());
        QVERIFY(throttle.countAttempt(f.now).ok()); // as if switched off after counting, before the answer
        QCOMPARE(throttle.failures(), 2);
    }

    // An attempt that cannot be counted is not made.
    void anAttemptThatCannotBeCountedIsRefused()
    {
        KioskFixture f;
        f.services->lock();
        // A folder where the count goes: the file cannot be written.
        QVERIFY(QDir(f.dir.path()).mkdir(QStringLiteral("kiosk.unlock")));
        f.now = QDateTime::currentDateTimeUtc().addSecs(3600); // past the longest wait a damaged file gives
        const auto s = f.services->unlock(kPassphrase);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, StoreError::Code::Io);
        QVERIFY2(s.error().message.contains(QStringLiteral("无法记录口令尝试次数")), qPrintable(s.error().message));
        QVERIFY(!f.services->isUnlocked());
    }

    // Whoever can edit the file can copy kiosk.key and guess offline; so
    // editing it buys at most what deleting it does, and never locks the
    // proctor out for longer than the longest wait.
    void tamperingBuysNoMoreThanTheWait()
    {
        KioskFixture f;
        f.services->lock();
        f.now = QDateTime::currentDateTimeUtc();
        const KioskPaths paths = f.paths();

        // Damaged: the longest wait, from its last change.
        writeAttempts(paths, "not the attempts file");
        QVERIFY(f.services->unlockWait() > 590);
        QVERIFY(f.services->unlockWait() <= 600);
        QCOMPARE(f.services->unlock(kPassphrase).error().code, StoreError::Code::TooManyAttempts);
        f.now = f.now.addSecs(601);
        QVERIFY(f.services->unlock(kPassphrase).ok());
        f.services->lock();

        // A negative count is damage too.
        f.now = QDateTime::currentDateTimeUtc();
        writeAttempts(paths, R"({"format":"kaodian-unlock/1","failures":-5,"last_failure":"2020-01-01T00:00:00.000Z"})");
        QVERIFY(f.services->unlockWait() > 590);

        // A huge count waits the longest step, no more.
        const QString now = f.now.toString(Qt::ISODateWithMs);
        writeAttempts(paths, QStringLiteral(R"({"format":"kaodian-unlock/1","failures":1e12,"last_failure":"%1"})")
                                 .arg(now).toUtf8());
        QCOMPARE(f.services->unlockWait(), 600);

        // A failure recorded after now (the clock set back, or an edit) ends the wait.
        writeAttempts(paths, QStringLiteral(R"({"format":"kaodian-unlock/1","failures":8,"last_failure":"%1"})")
                                 .arg(f.now.addYears(5).toString(Qt::ISODateWithMs)).toUtf8());
        QCOMPARE(f.services->unlockWait(), 0);

        // Deleted: no wait (as copying kiosk.key would give anyway); counting starts again.
        QVERIFY(QFile::remove(paths.unlockAttempts()));
        QCOMPARE(f.services->unlockWait(), 0);
        QVERIFY(!f.services->unlock(kWrong).ok());
        QCOMPARE(UnlockThrottle(paths.unlockAttempts()).failures(), 1);
    }

    // No store yet: nothing to guess at, nothing written.
    void noStoreNoCount()
    {
        QTemporaryDir dir;
        KioskServices services(KioskPaths{dir.path()});
        QVERIFY(!services.unlock(kWrong).ok());
        QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
    }

    // Setting up a kiosk: a weak passphrase is refused, in words, before
    // anything is created or any server contacted.
    void weakPassphraseRefusedAtSetup()
    {
        QTemporaryDir dir;
        KioskServices services(KioskPaths{dir.path()});
        const auto code = EnrolmentCode::parse(unreachableCode());
        QVERIFY(code);
        const auto refused = services.enrol({*code, QStringLiteral("abcd1234"), QStringLiteral("246810"), {}, {}});
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().contains(QStringLiteral("至少 10 个字符")), qPrintable(refused.error()));
        QVERIFY(!services.storeExists());

        FirstRunViewModel vm(&services);
        vm.submitScan(unreachableCode());
        QCOMPARE(vm.step(), FirstRunViewModel::Secrets);
        QVERIFY(!vm.enrol(QStringLiteral("abcdefghijkl"), QStringLiteral("abcdefghijkl"), QStringLiteral("246810"),
                          QStringLiteral("246810")));
        QCOMPARE(vm.step(), FirstRunViewModel::Secrets);
        QVERIFY2(vm.message().contains(QStringLiteral("只用了一类字符")), qPrintable(vm.message()));
        QVERIFY(!vm.enrol(QStringLiteral("ab12ab12ab12"), QStringLiteral("ab12ab12ab12"), QStringLiteral("246810"),
                          QStringLiteral("246810")));
        QVERIFY2(vm.message().contains(QStringLiteral("重复")), qPrintable(vm.message()));
        QVERIFY(vm.passphraseRule().contains(QStringLiteral("至少 10 个字符")));
        QVERIFY(!services.storeExists());
    }

    // The proctor changes it: the current one, then the new one twice.
    void changeThePassphrase()
    {
        KioskFixture f;
        f.services->setKdfIterations(kMinKdfIterations);
        ChangePassphraseViewModel vm(f.services.get());
        QVERIFY(vm.rule().contains(QStringLiteral("至少 10 个字符")));

        QVERIFY(!vm.change(kPassphrase, QStringLiteral("short1"), QStringLiteral("short1")));
        QVERIFY2(vm.message().contains(QStringLiteral("太短")), qPrintable(vm.message()));
        QVERIFY(vm.messageIsError());
        QVERIFY(!vm.change(kPassphrase, kNewPassphrase, kNewPassphrase + QLatin1Char('x')));
        QVERIFY2(vm.message().contains(QStringLiteral("不一致")), qPrintable(vm.message()));
        QVERIFY(!vm.change(kWrong, kNewPassphrase, kNewPassphrase));
        QCOMPARE(vm.message(), QStringLiteral("当前的考点口令不正确，口令未更改"));
        // None of these changed anything, and only the wrong current one counted.
        QCOMPARE(UnlockThrottle(f.paths().unlockAttempts()).failures(), 1);

        QVERIFY(vm.change(kPassphrase, kNewPassphrase, kNewPassphrase));
        QVERIFY(!vm.messageIsError());
        QCOMPARE(UnlockThrottle(f.paths().unlockAttempts()).failures(), 0);
        // The data stays open and as it was; the next unlock takes the new one only.
        QCOMPARE(f.services->store()->package().roster.size(), 7);
        f.services->lock();
        QCOMPARE(f.services->unlock(kPassphrase).error().code, StoreError::Code::WrongPassphrase);
        QVERIFY(f.services->unlock(kNewPassphrase).ok());
        QCOMPARE(f.services->store()->package().roster.size(), 7);
    }

    // The change screen is no way round the unlock screen's waits: wrong
    // current passphrases count the same, and wait the same.
    void changingWaitsLikeUnlocking()
    {
        KioskFixture f;
        f.services->setKdfIterations(kMinKdfIterations);
        ChangePassphraseViewModel vm(f.services.get());
        for (int i = 0; i < 4; ++i)
            QVERIFY(!vm.change(kWrong, kNewPassphrase, kNewPassphrase));
        QCOMPARE(vm.waitSeconds(), 30);
        QVERIFY(!vm.change(kPassphrase, kNewPassphrase, kNewPassphrase));
        QCOMPARE(vm.message(), QStringLiteral("考点口令连续输错，请 30 秒后再试"));
        // And the unlock screen waits too.
        f.services->lock();
        QCOMPARE(f.services->unlock(kPassphrase).error().code, StoreError::Code::TooManyAttempts);
        f.now = f.now.addSecs(30);
        QVERIFY(f.services->unlock(kPassphrase).ok());
        vm.refreshWait();
        QCOMPARE(vm.waitSeconds(), 0);
        QVERIFY(vm.change(kPassphrase, kNewPassphrase, kNewPassphrase));
    }

    // The store itself refuses a weak new passphrase, whoever calls it.
    void theStoreRefusesAWeakNewPassphrase()
    {
        KioskFixture f;
        const auto s = f.services->store()->changePassphrase(kPassphrase, QStringLiteral("1234567890"), f.now,
                                                             kMinKdfIterations);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, StoreError::Code::Refused);
        f.services->lock();
        QVERIFY(f.services->unlock(kPassphrase).ok());
    }
};

QTEST_GUILESS_MAIN(TestKioskPassphrase)
#include "tst_kioskpassphrase.moc"
