// Issue #17, finding 4: the site passphrase. One rule for a new passphrase
// (kiosk/core/passphraserule.h) wherever it is set.

#include "firstrunviewmodel.h"
#include "kioskfixture.h"

#include "kiosk/core/passphraserule.h"

#include <QDir>
#include <QTest>

using namespace kaodian;
using namespace kaodian::kiosk;
using namespace kaodian::kiosk::test;

namespace {

// A well-formed enrolment code of a server nobody answers for.
QString unreachableCode()
{
    return QStringLiteral("KDENROL1|https://127.0.0.1:9|KTEST01.c2VjcmV0|%1|%2")
        .arg(QString(64, QLatin1Char('a')), QString(64, QLatin1Char('b')));
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
        QTest::newRow("mixed") << QStringLiteral("Exam-room-2026") << none;
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
};

QTEST_GUILESS_MAIN(TestKioskPassphrase)
#include "tst_kioskpassphrase.moc"
