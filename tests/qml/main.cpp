// Qt Quick Test runner for the kiosk screens. Every QML warning of an engine
// fails the test that caused it (and the run), as in AusweisApp. The
// KioskTest singleton gives the tests a real encrypted store with a sample
// package and a fixed clock; KAODIAN_SCREENSHOT_DIR, when set, is where the
// screen tests save their screenshots.

#include "kioskservices.h"
#include "kiosk/demo/samplepackage.h"
#include "core/pinhash.h"
#include "qmlwarnings.h"
#include "scangap.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QDir>
#include <QPainter>
#include <QFont>
#include <QGuiApplication>
#include <QQmlEngine>
#include <QQmlExtensionPlugin>
#include <QQuickStyle>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTranslator>
#include <QTest>
#include <QtQuickTest>

#include <memory>

Q_IMPORT_QML_PLUGIN(Kaodian_KioskPlugin)

using namespace kaodian;
using namespace kaodian::kiosk;
using namespace kaodian::protocol;


// What the QML tests need to set a scene: a fresh store, unlock, tickets.
class KioskTest : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString passphrase READ passphrase CONSTANT)
    Q_PROPERTY(QString pin READ pin CONSTANT)
    Q_PROPERTY(QString screenshotDir READ screenshotDir CONSTANT)

public:
    KioskTest()
        : m_key(*SigningKey::generate()),
          m_start(QDateTime(QDate(2026, 6, 13), QTime(8, 40), QTimeZone(8 * 3600)).toUTC()), m_now(m_start)
    {
        m_data = makeSampleData(m_key, m_now);
        reset();
    }

    QString passphrase() const { return QStringLiteral("kiosk-test-passphrase"); }
    QString pin() const { return QStringLiteral("135790"); }
    QString screenshotDir() const { return qEnvironmentVariable("KAODIAN_SCREENSHOT_DIR"); }
    KioskServices *services()
    {
        if (!m_services) {
            m_services = std::make_unique<KioskServices>(KioskPaths{m_dir.path()}, [this] { return m_now; });
            m_services->setKdfIterations(kMinKdfIterations);
            KioskServices::setInstance(m_services.get());
        }
        return m_services.get();
    }

    // A new store, provisioned and locked, in the services' folder; the clock as at the start.
    Q_INVOKABLE void reset()
    {
        m_now = m_start;
        provision(m_data.package);
    }
    // The kiosk's clock moves on (the waits after wrong passphrases).
    Q_INVOKABLE void advanceClock(int seconds) { m_now = m_now.addSecs(seconds); }

    // The wedge gap of every ScanInput under root (tests/support/scangap.h):
    // the number of scanners set.
    Q_INVOKABLE int setScanGap(QObject *root, int ms) { return testing::setScanGap(root, ms); }
    Q_INVOKABLE int tolerateSlowMachine(QObject *root) { return testing::setScanGap(root, testing::kTolerantScanGapMs); }

    // No data at all: a kiosk before its first run.
    Q_INVOKABLE void resetUnenrolled()
    {
        services(); // made if need be
        m_services->lock();
        m_services->setDemoMode(false);
        QDir dir(m_dir.path());
        for (const QString &file : dir.entryList(QDir::Files | QDir::Hidden))
            dir.remove(file);
    }
    // A well-formed enrolment code of a server nobody answers for (a port
    // just closed on this machine): enrolling with it fails as unreachable.
    Q_INVOKABLE QString unreachableCode() const
    {
        QTcpServer closed;
        if (!closed.listen(QHostAddress::LocalHost, 0))
            qFatal("no free port");
        return QStringLiteral("KDENROL1|https://127.0.0.1:%1|KQMLTEST.c2VjcmV0|%2|%3")
            .arg(closed.serverPort())
            .arg(QString(64, QLatin1Char('a')), QString(64, QLatin1Char('b')));
    }
    // The check-in screen's demo paste box (read when a screen is made).
    Q_INVOKABLE void setDemoMode(bool on) { m_services->setDemoMode(on); }

    // The same, but the first session is split over two rooms (seats 31–60
    // in room 02) and the package is room 01's as the server makes it: that
    // room's roster, with the session's totals across rooms.
    Q_INVOKABLE void resetSplitSession()
    {
        SessionPackage p = m_data.package;
        const Id first = p.sessions.front().id;
        int registered = 0;
        for (auto &c : p.roster)
            if (c.sessionId == first && ++registered > 30)
                c.room = QStringLiteral("02");
        p.room = QStringLiteral("01");
        p.roster.removeIf([](const RosterCandidate &c) { return c.room != QLatin1String("01"); });
        p.sessions.front().registeredCount = registered;
        p.sessions.front().roomCount = 2;
        provision(p);
    }

    void provision(const SessionPackage &package)
    {
        services();
        m_services->lock();
        m_services->setDemoMode(false);
        QDir dir(m_dir.path());
        for (const QString &file : dir.entryList(QDir::Files | QDir::Hidden))
            dir.remove(file);
        auto store = KioskStore::create(m_services->paths(), passphrase(), kMinKdfIterations);
        if (!store)
            qFatal("store: %s", qPrintable(store.error().message));
        if (!store->setIdentity({QStringLiteral("KIOSK-QML-01"), m_latin ? package.site : m_data.package.site, QStringLiteral("01"),
                                 m_key.verifyKey().raw()})
            || !store->provision(package) || !store->setProctorPin(pin()))
            qFatal("provisioning the test store failed");
    }
    // English (--lang en): the translation the kiosk ships, and a package
    // whose data (names, titles, site) has no Chinese, so that any Han
    // character on screen is the interface's own.
    Q_INVOKABLE bool useEnglish()
    {
        if (!m_translator.load(QStringLiteral(":/i18n/kaodian_kiosk_en.qm")))
            return false;
        QCoreApplication::installTranslator(&m_translator);
        services()->setLanguage(QStringLiteral("en"));
        if (m_engine)
            m_engine->retranslate();
        return true;
    }
    Q_INVOKABLE void resetLatin()
    {
        SessionPackage p = m_data.package;
        p.site = QStringLiteral("Qishan Campus Site");
        int n = 0;
        for (auto &c : p.roster)
            c.name = QStringLiteral("Candidate %1").arg(++n);
        for (auto &s : p.sessions) {
            s.title = QStringLiteral("Web Front-End Development, session %1").arg(s.id);
            s.site = p.site;
        }
        m_latin = true;
        m_store_latin = p;
        provision(p);
        m_latin = false;
    }
    // The Latin package as the office's registration changes leave it: the
    // first candidate withdrawn (退考: off the roster, the ticket revoked as a
    // withdrawal), the second excused in advance (请假) with a reason in
    // English. Returns the withdrawn candidate's ticket.
    Q_INVOKABLE QString resetLatinWithChanges()
    {
        resetLatin();
        SessionPackage p = m_store_latin;
        const RosterCandidate gone = p.roster.takeFirst();
        p.revocations.push_back({gone.ticketNumber, gone.ticketSerial, m_now.addSecs(-3600), true});
        p.roster.first().excusedReason = QStringLiteral("in hospital");
        m_latin = true;
        provision(p);
        m_latin = false;
        return ticket(0);
    }
    void setEngine(QQmlEngine *engine) { m_engine = engine; }
    Q_INVOKABLE bool unlock() { return m_services->unlock(passphrase()).ok(); }
    Q_INVOKABLE bool unlockWith(const QString &passphrase) { return m_services->unlock(passphrase).ok(); }
    Q_INVOKABLE void lock() { m_services->lock(); }
    Q_INVOKABLE int ticketCount() const { return int(m_data.tickets.size()); }
    Q_INVOKABLE QString ticket(int index) const { return QString::fromUtf8(m_data.tickets.value(index).text); }
    Q_INVOKABLE QString ticketLabel(int index) const { return m_data.tickets.value(index).label; }
    Q_INVOKABLE QString candidateName(int index) const { return m_data.package.roster.value(index).name; }
    // The sample package with candidate index (ticket index, 0–4) renamed,
    // provisioned afresh (nothing checked in): a real name in any script.
    Q_INVOKABLE void resetRenamed(int index, const QString &name)
    {
        SessionPackage p = m_data.package;
        p.roster[index].name = name;
        provision(p);
    }
    // The sample package with a photo for every candidate but the one at
    // `without` (ticket index; -1: none left out), as the server's package
    // carries them (docs/photos.md): a 300x400 JPEG named by its SHA-256.
    Q_INVOKABLE void resetWithPhotos(int without)
    {
        SessionPackage p = m_data.package;
        for (qsizetype i = 0; i < p.roster.size(); ++i) {
            if (i == without)
                continue;
            QImage image(300, 400, QImage::Format_RGB32);
            image.fill(QColor::fromHsv(int(i * 37 % 360), 90, 220));
            QPainter painter(&image);
            painter.setBrush(QColor(235, 200, 170));
            painter.setPen(Qt::NoPen);
            painter.drawEllipse(QRectF(80, 70, 140, 190));
            painter.setBrush(QColor(60, 60, 80));
            painter.drawRect(QRectF(50, 280, 200, 120));
            painter.end();
            QByteArray jpeg;
            QBuffer buffer(&jpeg);
            buffer.open(QIODevice::WriteOnly);
            image.save(&buffer, "JPEG", 80);
            const QString sha = QString::fromLatin1(QCryptographicHash::hash(jpeg, QCryptographicHash::Sha256).toHex());
            p.roster[i].photoSha256 = sha;
            p.photos.insert(sha, jpeg);
        }
        provision(p);
    }
    // The package again, as the next sync brings it: one candidate of the
    // session checked in at this kiosk and at another while offline. Returns the name.
    // The sample package with two named proctors in room 01 for every
    // session (docs/proctors.md): 王老师 (T001) whose PIN the office set
    // to 2468, and 李老师 (T002) with none yet (set on first use).
    Q_INVOKABLE void resetWithProctors()
    {
        SessionPackage p = m_data.package;
        const auto hash = hashPin(QStringLiteral("2468"), 1000);
        if (!hash)
            qFatal("no PIN hash");
        for (const auto &s : p.sessions) {
            p.proctors.push_back({s.id, QStringLiteral("01"), QStringLiteral("T001"), QStringLiteral("王老师"), *hash});
            p.proctors.push_back({s.id, QStringLiteral("01"), QStringLiteral("T002"), QStringLiteral("李老师"), {}});
        }
        provision(p);
    }
    // The kiosk's events as "kind:proctor" (the room's events and who acted), oldest first.
    Q_INVOKABLE QStringList eventSummaries() const
    {
        QStringList out;
        if (m_services && m_services->store())
            for (const auto &e : m_services->store()->events())
                out << eventKindKey(e.kind) + QLatin1Char(':') + e.proctor;
        return out;
    }
    // Check-in at the door with ticket index (true when checked in).
    Q_INVOKABLE QString scanCode(int index)
    {
        if (!m_services || !m_services->checkIn())
            return {};
        return scanResultCode(m_services->checkIn()->scan(m_data.tickets.value(index).text).result);
    }
    Q_INVOKABLE QString provisionWithConflict(qint64 sessionId)
    {
        SessionPackage package = m_data.package;
        for (const auto &c : package.roster) {
            if (c.sessionId != sessionId || c.room != QLatin1String("01"))
                continue;
            CheckInConflict conflict{sessionId, c.registrationId, c.ticketNumber, c.name, {}};
            conflict.checkIns = {ConflictCheckIn{QStringLiteral("KIOSK-QML-02"), QStringLiteral("02 考场门口"), m_now.addSecs(-300), true, 0, QDateTime()},
                                 ConflictCheckIn{QStringLiteral("KIOSK-QML-01"), QStringLiteral("01 考场门口"), m_now.addSecs(-120), false, 0, QDateTime()}};
            package.conflicts = {conflict};
            if (!m_services->provision(encodeSessionPackage(package, m_key), QString(), QString(), QString()))
                return {};
            return c.name;
        }
        return {};
    }

private:
    SigningKey m_key;
    QDateTime m_start;
    QDateTime m_now;
    SampleData m_data;
    QTemporaryDir m_dir;
    QTranslator m_translator;
    QQmlEngine *m_engine = nullptr;
    bool m_latin = false;
    SessionPackage m_store_latin; // the last Latin package (resetLatin)
    std::unique_ptr<KioskServices> m_services;
};

class Setup : public QObject
{
    Q_OBJECT

public Q_SLOTS:
    void applicationAvailable()
    {
        QQuickStyle::setStyle(QStringLiteral("Basic"));
        QFont font = QGuiApplication::font();
        font.setFamilies({QStringLiteral("Noto Sans CJK SC")});
        QGuiApplication::setFont(font);
        m_fixture = std::make_unique<KioskTest>();
        qmlRegisterSingletonInstance("Kaodian.Kiosk.Test", 1, 0, "KioskTest", m_fixture.get());
    }

    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
        m_fixture->setEngine(engine);
        m_warnings.watch(engine);
    }

    void cleanupTestCase() { m_warnings.check(); }

private:
    std::unique_ptr<KioskTest> m_fixture;
    kaodian::testing::QmlWarningsFail m_warnings;
};

QUICK_TEST_MAIN_WITH_SETUP(kiosk_qml, Setup)

#include "main.moc"
