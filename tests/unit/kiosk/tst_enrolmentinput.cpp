// Where the kiosk's secrets come from (kiosk/sync/enrolmentinput.h): the
// enrolment code from a file, standard input or the environment, the
// environment variable removed once read, and nothing secret accepted on
// the command line. tests/integration/tst_kioskcommandline runs the real
// kaodian-kiosk the same ways.

#include "kiosk/sync/enrolmentinput.h"
#include "kiosk/sync/syncclient.h"

#include <QBuffer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace kaodian::kiosk;

namespace {

const QString kCode = QStringLiteral("KDENROL1|https://192.0.2.7:8443|K7F3A.c2VjcmV0LXNlY3JldC1zZWNyZXQ|%1|%2")
                          .arg(QString(64, QLatin1Char('a')), QString(64, QLatin1Char('b')));

} // namespace

class TestEnrolmentInput : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString writeFile(const QString &name, const QByteArray &bytes, QFileDevice::Permissions permissions)
    {
        QFile f(m_dir.filePath(name));
        if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
            qFatal("cannot write %s", qPrintable(f.fileName()));
        f.close();
        f.setPermissions(permissions);
        return f.fileName();
    }

private slots:
    void codeFromAFile()
    {
        const QString path = writeFile("code", kCode.toUtf8() + "\n", QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        const auto code = readEnrolmentCode(path);
        QVERIFY(code.ok());
        QCOMPARE(*code, kCode);
        QVERIFY(EnrolmentCode::parse(*code).has_value());
        QVERIFY(!readableByOthers(path));
    }

    void codeFromTheServersWholeOutput()
    {
        // `kaodian-server kiosk enrol … > file` keeps its other lines too.
        const QByteArray output = "kiosk: K7F3A (01 考场门口)\nenrolment code: " + kCode.toUtf8()
                                  + "\nQR code: enrol.png\n";
        const auto code = readEnrolmentCode(writeFile("output", output, QFileDevice::ReadOwner));
        QVERIFY(code.ok());
        QCOMPARE(*code, kCode);
    }

    void codeFromStandardInput()
    {
        QByteArray bytes = "  " + kCode.toUtf8() + "\r\n";
        QBuffer in(&bytes);
        QVERIFY(in.open(QIODevice::ReadOnly));
        const auto code = readEnrolmentCode(QStringLiteral("-"), &in);
        QVERIFY(code.ok());
        QCOMPARE(*code, kCode);
    }

    void unreadableEmptyOrHugeInputSaysSo()
    {
        const auto missing = readEnrolmentCode(m_dir.filePath("none"));
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().message.contains(m_dir.filePath("none")));

        QByteArray empty = "\n\n";
        QBuffer in(&empty);
        QVERIFY(in.open(QIODevice::ReadOnly));
        const auto nothing = readEnrolmentCode(QStringLiteral("-"), &in);
        QVERIFY(!nothing.ok());
        QVERIFY(nothing.error().message.contains(QLatin1String("standard input")));

        const auto huge = readEnrolmentCode(writeFile("huge", QByteArray(kMaxEnrolmentFileBytes + 1, 'x'), QFileDevice::ReadOwner));
        QVERIFY(!huge.ok());
        QVERIFY(huge.error().message.contains(QLatin1String("too long")));
    }

    void fileReadableByOthersIsNoticed()
    {
        const QString path = writeFile("open", kCode.toUtf8(), QFileDevice::ReadOwner | QFileDevice::ReadOther);
        QVERIFY(readableByOthers(path));
        QVERIFY(readEnrolmentCode(path).ok()); // read all the same; kaodian-kiosk warns
    }

    void environmentVariableIsTakenAndCleared()
    {
        qputenv(kEnrolmentCodeVariable, kCode.toUtf8());
        QCOMPARE(takeSecretFromEnvironment(kEnrolmentCodeVariable), kCode);
        QVERIFY(!qEnvironmentVariableIsSet(kEnrolmentCodeVariable));
        QCOMPARE(takeSecretFromEnvironment(kEnrolmentCodeVariable), QString());
        QCOMPARE(takeSecretFromEnvironment("KAODIAN_NEVER_SET_IN_THIS_TEST"), QString());
    }

    void secretsOnTheCommandLineAreRefused_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("pointsTo");
        const QString kiosk = QStringLiteral("kaodian-kiosk");
        QTest::newRow("--enrol CODE") << QStringList{kiosk, "--enrol", kCode} << "--enrol-file";
        QTest::newRow("--enrol=CODE") << QStringList{kiosk, "--enrol=" + kCode} << "KAODIAN_ENROLMENT_CODE";
        QTest::newRow("-enrol CODE") << QStringList{kiosk, "-enrol", kCode} << "--enrol-file";
        QTest::newRow("--enrol with no code") << QStringList{kiosk, "--data", "d", "--enrol"} << "--enrol-file";
        QTest::newRow("a code anywhere") << QStringList{kiosk, "--data", "d", kCode} << "--enrol-file";
        QTest::newRow("a code as another option's value") << QStringList{kiosk, "--room", kCode.toLower()} << "--enrol-file";
        QTest::newRow("--passphrase") << QStringList{kiosk, "--passphrase", "x"} << "KAODIAN_KIOSK_PASSPHRASE";
        QTest::newRow("--pin=") << QStringList{kiosk, "--pin=123456"} << "KAODIAN_PROCTOR_PIN";
    }

    void secretsOnTheCommandLineAreRefused()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, pointsTo);
        const QString why = secretOnCommandLine(arguments);
        QVERIFY(!why.isEmpty());
        QVERIFY2(why.contains(pointsTo), qPrintable(why));
        QVERIFY2(!why.contains(QLatin1String("c2VjcmV0")), "the refusal must not repeat the secret");
    }

    void ordinaryArgumentsPass()
    {
        QCOMPARE(secretOnCommandLine({"kaodian-kiosk", "--data", "/var/lib/k", "--enrol-file", "-", "--lang", "en",
                                      "--keyboard=on", "--provision", "p.json", "--trust-key", "ab:cd"}),
                 QString());
        // The program's own name is not an argument.
        QCOMPARE(secretOnCommandLine({"/opt/--enrol/kaodian-kiosk"}), QString());
    }
};

QTEST_GUILESS_MAIN(TestEnrolmentInput)
#include "tst_enrolmentinput.moc"
