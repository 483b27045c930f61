// Qt Quick Test runner for the first-run screen against a real server
// (tst_firstrun.qml): the EnrolTest singleton serves Kaodian over TLS on
// loopback in this process (enrolmentserver.h) and gives the kiosk an empty
// data folder. Every QML warning fails the run, as in tests/qml.

#include "enrolmentserver.h"
#include "kioskservices.h"
#include "qmlwarnings.h"
#include "scangap.h"

#include <QDir>
#include <QFont>
#include <QGuiApplication>
#include <QQmlEngine>
#include <QQmlExtensionPlugin>
#include <QQuickStyle>
#include <QTemporaryDir>
#include <QtQuickTest>

#include <memory>

Q_IMPORT_QML_PLUGIN(Kaodian_KioskPlugin)

using namespace kaodian;
using namespace kaodian::kiosk;

// What tst_firstrun.qml needs: a kiosk with no data and the office's codes.
class EnrolTest : public QObject
{
    Q_OBJECT

public:
    EnrolTest()
    {
        if (const QString why = m_server.start(m_dir.path()); !why.isEmpty())
            qFatal("server: %s", qPrintable(why));
        m_services = std::make_unique<KioskServices>(KioskPaths{m_dir.filePath(QStringLiteral("kiosk"))});
        m_services->setKdfIterations(kMinKdfIterations);
        KioskServices::setInstance(m_services.get());
    }

    // A kiosk with no data yet (the first-run screen shows).
    Q_INVOKABLE void reset()
    {
        m_services->lock();
        QDir(m_services->paths().dir).removeRecursively();
    }
    // A new kiosk enrolled by the office: the code its QR carries.
    // Every ScanInput under root takes a scan typed by a stalled test (tests/support/scangap.h).
    Q_INVOKABLE int tolerateSlowMachine(QObject *root) { return testing::setScanGap(root, testing::kTolerantScanGapMs); }
    Q_INVOKABLE QString freshCode() { return m_server.enrolKiosk(); }
    // The same, but another installation has presented the code already.
    Q_INVOKABLE QString usedCode()
    {
        const QString code = m_server.enrolKiosk();
        if (!m_server.claimElsewhere(code.section(QLatin1Char('|'), 2, 2).section(QLatin1Char('.'), 0, 0)))
            qFatal("cannot claim the code elsewhere");
        return code;
    }

private:
    QTemporaryDir m_dir;
    testing::EnrolmentServer m_server;
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
        m_fixture = std::make_unique<EnrolTest>();
        qmlRegisterSingletonInstance("Kaodian.Kiosk.EnrolTest", 1, 0, "EnrolTest", m_fixture.get());
    }

    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
        m_warnings.watch(engine);
    }

    void cleanupTestCase()
    {
        // While the application still exists: the enrolled kiosk's sync
        // client and its network threads go with it (LeakSanitizer).
        m_fixture.reset();
        m_warnings.check();
    }

private:
    std::unique_ptr<EnrolTest> m_fixture;
    testing::QmlWarningsFail m_warnings;
};

QUICK_TEST_MAIN_WITH_SETUP(kiosk_firstrun, Setup)

#include "firstrunmain.moc"
