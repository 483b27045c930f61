// Qt Quick Test runner for the kiosk screens. Every QML warning of an engine
// fails the test that caused it (and the run), as in AusweisApp. The
// KioskTest singleton gives the tests a real encrypted store with a sample
// package and a fixed clock; KAODIAN_SCREENSHOT_DIR, when set, is where the
// screen tests save their screenshots.

#include "kioskservices.h"
#include "kiosk/demo/samplepackage.h"

#include <QDir>
#include <QFont>
#include <QGuiApplication>
#include <QQmlEngine>
#include <QQmlExtensionPlugin>
#include <QQuickStyle>
#include <QTemporaryDir>
#include <QTest>
#include <QtQuickTest>

#include <memory>

Q_IMPORT_QML_PLUGIN(Kaodian_KioskPlugin)

using namespace kaodian;
using namespace kaodian::kiosk;
using namespace kaodian::protocol;

namespace {
int g_warnings = 0;
}

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
          m_now(QDateTime(QDate(2026, 6, 13), QTime(8, 40), QTimeZone(8 * 3600)).toUTC())
    {
        m_data = makeSampleData(m_key, m_now);
        reset();
    }

    QString passphrase() const { return QStringLiteral("kiosk-test-passphrase"); }
    QString pin() const { return QStringLiteral("135790"); }
    QString screenshotDir() const { return qEnvironmentVariable("KAODIAN_SCREENSHOT_DIR"); }
    KioskServices *services() { return m_services.get(); }

    // A new store, provisioned and locked, in the services' folder.
    Q_INVOKABLE void reset() { provision(m_data.package); }

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
        if (!m_services) {
            m_services = std::make_unique<KioskServices>(KioskPaths{m_dir.path()}, [this] { return m_now; });
            KioskServices::setInstance(m_services.get());
        }
        m_services->lock();
        QDir dir(m_dir.path());
        for (const QString &file : dir.entryList(QDir::Files | QDir::Hidden))
            dir.remove(file);
        auto store = KioskStore::create(m_services->paths(), passphrase(), kMinKdfIterations);
        if (!store)
            qFatal("store: %s", qPrintable(store.error().message));
        if (!store->setIdentity({QStringLiteral("KIOSK-QML-01"), m_data.package.site, QStringLiteral("01"),
                                 m_key.verifyKey().raw()})
            || !store->provision(package) || !store->setProctorPin(pin()))
            qFatal("provisioning the test store failed");
    }
    Q_INVOKABLE bool unlock() { return m_services->unlock(passphrase()).ok(); }
    Q_INVOKABLE void lock() { m_services->lock(); }
    Q_INVOKABLE int ticketCount() const { return int(m_data.tickets.size()); }
    Q_INVOKABLE QString ticket(int index) const { return QString::fromUtf8(m_data.tickets.value(index).text); }
    Q_INVOKABLE QString ticketLabel(int index) const { return m_data.tickets.value(index).label; }
    Q_INVOKABLE QString candidateName(int index) const { return m_data.package.roster.value(index).name; }
    // The package again, as the next sync brings it: one candidate of the
    // session checked in at this kiosk and at another while offline. Returns the name.
    Q_INVOKABLE QString provisionWithConflict(qint64 sessionId)
    {
        SessionPackage package = m_data.package;
        for (const auto &c : package.roster) {
            if (c.sessionId != sessionId || c.room != QLatin1String("01"))
                continue;
            CheckInConflict conflict{sessionId, c.registrationId, c.ticketNumber, c.name, {}};
            conflict.checkIns = {{QStringLiteral("KIOSK-QML-02"), QStringLiteral("02 考场门口"), m_now.addSecs(-300), true},
                                 {QStringLiteral("KIOSK-QML-01"), QStringLiteral("01 考场门口"), m_now.addSecs(-120), false}};
            package.conflicts = {conflict};
            if (!m_services->provision(encodeSessionPackage(package, m_key), QString(), QString(), QString()))
                return {};
            return c.name;
        }
        return {};
    }

private:
    SigningKey m_key;
    QDateTime m_now;
    SampleData m_data;
    QTemporaryDir m_dir;
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
        connect(engine, &QQmlEngine::warnings, this, [](const QList<QQmlError> &warnings) {
            for (const QQmlError &w : warnings) {
                ++g_warnings;
                QTest::qFail(qPrintable(QStringLiteral("QML warning: ") + w.toString()), __FILE__, __LINE__);
            }
        });
    }

    void cleanupTestCase()
    {
        if (g_warnings > 0)
            qFatal("%d QML warning(s): any warning fails the kiosk QML tests", g_warnings);
    }

private:
    std::unique_ptr<KioskTest> m_fixture;
};

QUICK_TEST_MAIN_WITH_SETUP(kiosk_qml, Setup)

#include "main.moc"
