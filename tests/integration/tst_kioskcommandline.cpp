// The real kaodian-kiosk (offscreen, --screenshot to end it) takes its
// enrolment code from a file, standard input or KAODIAN_ENROLMENT_CODE,
// removes the variable (and the passphrase and PIN) from what its own
// /proc/PID/environ shows, and refuses a code or a secret on its command
// line, where any user's `ps` reads it. `--demo` refuses a real kiosk's
// data folder, changing nothing in it, and reuses a demo folder.

#include "kiosk/core/kioskstore.h"
#include "kiosk/sync/syncclient.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

using namespace kaodian;
using namespace kaodian::kiosk;

namespace {

const QString kKiosk = QStringLiteral(KAODIAN_KIOSK_BINARY);
const QString kSecret = QStringLiteral("dGhlLXNlY3JldC1vZi1rOWUx");
const QString kCode = QStringLiteral("KDENROL1|https://192.0.2.7:8443|K9E1.%1|%2|%3")
                          .arg(kSecret, QString(64, QLatin1Char('a')), QString(64, QLatin1Char('b')));
const QString kPassphrase = QStringLiteral("site-passphrase-2026");
const QString kPin = QStringLiteral("246810");

struct Run
{
    int exitCode = -1;
    QString err;
};

} // namespace

class TestKioskCommandLine : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_runs = 0;

    QString freshDataDir() { return m_dir.filePath(QStringLiteral("kiosk%1").arg(++m_runs)); }

    QProcessEnvironment environment(bool secrets = true)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("QT_QPA_PLATFORM", "offscreen");
        env.insert("KAODIAN_TOUCH_KEYBOARD", "off");
        env.remove("KAODIAN_ENROLMENT_CODE");
        if (secrets) {
            env.insert("KAODIAN_KIOSK_PASSPHRASE", kPassphrase);
            env.insert("KAODIAN_PROCTOR_PIN", kPin);
        }
        return env;
    }

    Run run(const QStringList &args, const QProcessEnvironment &env, const QByteArray &input = {})
    {
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(kKiosk, args);
        if (!p.waitForStarted())
            qFatal("cannot start %s", qPrintable(kKiosk));
        if (!input.isNull())
            p.write(input);
        p.closeWriteChannel();
        if (!p.waitForFinished(60000))
            p.kill();
        p.waitForFinished();
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardError())};
    }

    QStringList shotArgs(const QString &data) { return {"--data", data, "--screenshot", data + ".png"}; }

    // The store in `data` opens with the passphrase and holds the code and a PIN.
    void verifyEnrolled(const QString &data)
    {
        auto store = KioskStore::open({data}, kPassphrase);
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message));
        QCOMPARE(store->enrolment(), kCode);
        QCOMPARE(store->identity().kioskId, QStringLiteral("K9E1"));
        QVERIFY(store->hasProctorPin());
    }

    // Every file in a folder with a hash of its bytes and its mode.
    static QMap<QString, QByteArray> snapshot(const QString &dir)
    {
        QMap<QString, QByteArray> out;
        QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile f(path);
            if (!f.open(QIODevice::ReadOnly))
                qFatal("cannot read %s", qPrintable(path));
            out.insert(QDir(dir).relativeFilePath(path),
                QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex() + ' '
                    + QByteArray::number(int(f.permissions()), 8));
        }
        return out;
    }

    // A kiosk provisioned for real (as by --provision): its roster, the
    // server key it trusts, a PIN; its session is on another day, so a demo
    // would find no session today in it.
    QString realKioskFolder(const SigningKey &serverKey, bool enrolled)
    {
        const QString data = freshDataDir();
        auto store = KioskStore::create({data}, kPassphrase, kMinKdfIterations);
        if (!store)
            qFatal("store: %s", qPrintable(store.error().message));
        SessionPackage p;
        p.generatedAt = QDateTime::currentDateTimeUtc();
        p.site = QStringLiteral("实训楼考点");
        p.room = QStringLiteral("01");
        PackageSession s;
        s.id = 7;
        s.title = QStringLiteral("Web前端开发（中级）");
        s.site = p.site;
        s.examDate = QDate::currentDate().addDays(-3);
        s.startTime = QTime(9, 0);
        s.endTime = QTime(11, 0);
        p.sessions = {s};
        p.roster = {RosterCandidate{701, 7, QStringLiteral("2026070101"), QStringLiteral("林晓燕"),
            QStringLiteral("3501**********2466"), QStringLiteral("01"), QStringLiteral("01"), 1, {}}};
        p.ticketKeys = {serverKey.verifyKey().raw()};
        if (!store->setIdentity({QStringLiteral("K9E1"), p.site, p.room, serverKey.verifyKey().raw()})
            || !store->provision(p) || !store->setProctorPin(kPin)
            || (enrolled && !store->setEnrolment(kCode)))
            qFatal("provisioning the real kiosk failed");
        return data;
    }

    QString writeCode(const QString &name, QFileDevice::Permissions permissions)
    {
        QFile f(m_dir.filePath(name));
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(f.fileName()));
        f.write(kCode.toUtf8() + "\n");
        f.close();
        f.setPermissions(permissions);
        return f.fileName();
    }

private slots:
    void enrolOnTheCommandLineIsRefused_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("--enrol CODE") << QStringList{"--enrol", kCode};
        QTest::newRow("--enrol=CODE") << QStringList{"--enrol=" + kCode};
        QTest::newRow("code as an argument") << QStringList{kCode};
        QTest::newRow("--passphrase") << QStringList{"--passphrase", kPassphrase};
    }

    void enrolOnTheCommandLineIsRefused()
    {
        QFETCH(QStringList, args);
        const QString data = freshDataDir();
        const Run r = run(shotArgs(data) + args, environment());
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("refused")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("KAODIAN_")), qPrintable(r.err));
        QVERIFY2(!r.err.contains(kSecret), "the refusal repeats the secret");
        QVERIFY(!QFile::exists(data + "/kiosk.db")); // nothing was created
    }

    void codeFromAFile()
    {
        const QString data = freshDataDir();
        const QString file = writeCode("code-file", QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        const Run r = run(shotArgs(data) + QStringList{"--enrol-file", file}, environment());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("enrolled as K9E1")), qPrintable(r.err));
        QVERIFY2(!r.err.contains(QLatin1String("warning")), qPrintable(r.err));
        verifyEnrolled(data);
    }

    void codeFileReadableByOthersIsWarnedOf()
    {
        const QString data = freshDataDir();
        const QString file = writeCode("open-file", QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther);
        const Run r = run(shotArgs(data) + QStringList{"--enrol-file", file}, environment());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("warning")) && r.err.contains(QLatin1String("chmod 600")), qPrintable(r.err));
        verifyEnrolled(data);
    }

    void codeFromStandardInput()
    {
        const QString data = freshDataDir();
        const Run r = run(shotArgs(data) + QStringList{"--enrol-file", "-"}, environment(), kCode.toUtf8() + "\n");
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        verifyEnrolled(data);
    }

    void codeFromTheEnvironmentWhichIsThenCleared()
    {
        const QString data = freshDataDir();
        QProcessEnvironment env = environment();
        env.insert("KAODIAN_ENROLMENT_CODE", kCode);
        QProcess p;
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::SeparateChannels);
        p.start(kKiosk, shotArgs(data));
        QVERIFY(p.waitForStarted());
        // Once it says it enrolled, it has long taken the secrets out: what
        // the kernel shows of its environment no longer holds them.
        QByteArray err;
        QTRY_VERIFY_WITH_TIMEOUT((err += p.readAllStandardError()).contains("enrolled as K9E1"), 30000);
        QFile environ(QStringLiteral("/proc/%1/environ").arg(p.processId()));
        QVERIFY(environ.open(QIODevice::ReadOnly));
        const QByteArray shown = environ.readAll();
        QVERIFY(shown.contains("QT_QPA_PLATFORM=offscreen")); // it is the right file
        QVERIFY2(!shown.contains(kSecret.toUtf8()), "the enrolment code is still in /proc/PID/environ");
        QVERIFY(!shown.contains("KDENROL1"));
        QVERIFY(!shown.contains(kPassphrase.toUtf8()));
        QVERIFY(!shown.contains("KAODIAN_PROCTOR_PIN=" + kPin.toUtf8()));
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        verifyEnrolled(data);
    }

    void codeGivenTwiceOrBadIsRefused()
    {
        QProcessEnvironment env = environment();
        env.insert("KAODIAN_ENROLMENT_CODE", kCode);
        const QString file = writeCode("twice", QFileDevice::ReadOwner);
        Run r = run(shotArgs(freshDataDir()) + QStringList{"--enrol-file", file}, env);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("give it once")), qPrintable(r.err));

        env.insert("KAODIAN_ENROLMENT_CODE", "KDENROL1|http://plain|x");
        r = run(shotArgs(freshDataDir()), env);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("not an enrolment code")), qPrintable(r.err));

        r = run(shotArgs(freshDataDir()) + QStringList{"--enrol-file", m_dir.filePath("missing")}, environment());
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("cannot read")), qPrintable(r.err));
    }

    // --demo on a real kiosk's folder would replace its roster and the key
    // it trusts with the demo's (issue #17, finding 6): refused on stderr,
    // non-zero exit, nothing in the folder changed, with the site passphrase
    // or the demo's.
    void demoRefusesARealKiosksFolder_data()
    {
        QTest::addColumn<bool>("enrolled");
        QTest::addColumn<bool>("sitePassphrase");
        QTest::newRow("provisioned, site passphrase") << false << true;
        QTest::newRow("enrolled, site passphrase") << true << true;
        QTest::newRow("provisioned, demo passphrase") << false << false;
    }

    void demoRefusesARealKiosksFolder()
    {
        QFETCH(bool, enrolled);
        QFETCH(bool, sitePassphrase);
        const SigningKey serverKey = *SigningKey::generate();
        const QString data = realKioskFolder(serverKey, enrolled);
        const auto before = snapshot(data);
        QVERIFY(before.contains(QStringLiteral("kiosk.db")));
        const Run r = run(shotArgs(data) + QStringList{"--demo"}, environment(sitePassphrase));
        QVERIFY2(r.exitCode != 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("--demo")) && r.err.contains(QStringLiteral("已拒绝")), qPrintable(r.err));
        QCOMPARE(snapshot(data), before);
        QVERIFY(!QFile::exists(data + "/demo-ticket-key.pem"));
        auto store = KioskStore::open({data}, kPassphrase);
        QVERIFY(store.ok());
        QCOMPARE(store->identity().trustedKeyRaw, serverKey.verifyKey().raw());
        QCOMPARE(store->package().roster.size(), 1);
    }

    // A demo folder is the demo's again and again (demo passphrase and PIN by default).
    void demoReusesADemoFolder()
    {
        const QString data = freshDataDir();
        Run r = run(shotArgs(data) + QStringList{"--demo"}, environment(false));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(QFile::exists(data + "/demo-ticket-key.pem"));
        r = run(shotArgs(data) + QStringList{"--demo"}, environment(false));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("demo data in")), qPrintable(r.err));
    }

    void enrollingNeedsThePassphraseAndPin()
    {
        QProcessEnvironment env = environment(false);
        env.insert("KAODIAN_ENROLMENT_CODE", kCode);
        const QString data = freshDataDir();
        Run r = run(shotArgs(data), env);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("KAODIAN_KIOSK_PASSPHRASE")), qPrintable(r.err));
        env.insert("KAODIAN_KIOSK_PASSPHRASE", kPassphrase);
        r = run(shotArgs(data), env);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("KAODIAN_PROCTOR_PIN")), qPrintable(r.err));
        QVERIFY(!QFile::exists(data + "/kiosk.db"));
    }
};

QTEST_GUILESS_MAIN(TestKioskCommandLine)
#include "tst_kioskcommandline.moc"
