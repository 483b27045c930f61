// kaodian-kiosk: the touch kiosk at the exam-room door. Takes its secrets
// out of the environment (never from the command line), builds the services
// (data folder, store, check-in service), enrols, provisions or prepares
// demo data when asked, and loads the QML; everything else is in
// kaodian_kiosk_ui (a kiosk with no data enrols on its first-run screen).

#include "kioskservices.h"
#include "passphrasetext.h"
#include "kiosk/demo/samplepackage.h"
#include "touchkeyboard.h"

#include "kiosk/sync/enrolmentinput.h"
#include "kiosk/sync/syncclient.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFont>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQmlExtensionPlugin>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QStandardPaths>
#include <QTimer>
#include <QTranslator>

#include <cstdio>

Q_IMPORT_QML_PLUGIN(Kaodian_KioskPlugin)

using namespace kaodian;
using namespace kaodian::kiosk;

namespace {

int fail(const QString &message)
{
    std::fprintf(stderr, "kaodian-kiosk: %s\n", qPrintable(message));
    return 1;
}

// --provision: the store opened (or created) and filled from a signed
// package file. Empty on success, else why not.
QString provisionFrom(KioskServices &services, const QString &packagePath, const QString &trustKey,
                      const QString &kioskId, const QString &room, const QString &passphrase, const QString &pin)
{
    if (passphrase.isEmpty())
        return QStringLiteral("--provision needs the site passphrase in %1").arg(QLatin1String(kPassphraseVariable));
    QFile file(packagePath);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot read %1").arg(file.fileName());
    const QByteArray package = file.readAll();
    // Check the signer first: a wrong file must not leave an empty store behind.
    if (!trustKey.isEmpty() && !KioskServices::signedBy(package, trustKey))
        return QStringLiteral("%1 is not signed by the key %2").arg(file.fileName(), trustKey);
    if (trustKey.isEmpty() && !services.storeExists())
        return QStringLiteral("the first provisioning needs --trust-key FINGERPRINT");
    if (!services.storeExists()) {
        if (const auto problem = passphraseProblem(passphrase))
            return passphraseProblemText(*problem);
    }
    auto store = services.storeExists() ? KioskStore::open(services.paths(), passphrase)
                                        : KioskStore::create(services.paths(), passphrase);
    if (!store)
        return store.error().message;
    services.adopt(std::move(store).value());
    if (auto s = services.provision(package, trustKey, kioskId, room); !s)
        return s.error();
    if (!pin.isEmpty()) {
        if (auto s = services.store()->setProctorPin(pin); !s)
            return s.error().message;
    } else if (!services.store()->hasProctorPin()) {
        return QStringLiteral("the first provisioning needs a proctor PIN in %1").arg(QLatin1String(kProctorPinVariable));
    }
    services.lock(); // the kiosk starts locked all the same
    return {};
}

// --enrol-file or KAODIAN_ENROLMENT_CODE: the store opened (or created)
// with the enrolment code the office issued; the kiosk downloads its
// package once a proctor unlocks it. Empty on success, else why not.
QString enrolWith(KioskServices &services, const QString &codeText, const QString &passphrase, const QString &pin)
{
    const auto code = EnrolmentCode::parse(codeText);
    if (!code)
        return QStringLiteral("not an enrolment code (KDENROL1|https://…|ID.SECRET|…|…)");
    if (passphrase.isEmpty())
        return QStringLiteral("enrolling needs the site passphrase in %1").arg(QLatin1String(kPassphraseVariable));
    if (pin.isEmpty() && !services.storeExists())
        return QStringLiteral("enrolling needs a proctor PIN in %1").arg(QLatin1String(kProctorPinVariable));
    if (auto s = services.enrol({*code, passphrase, pin, {}, {}}); !s)
        return s.error();
    services.lock(); // unlocked with the site passphrase, like every start
    std::fprintf(stderr, "kaodian-kiosk: enrolled as %s with %s; unlock with the site passphrase to start\n",
                 qPrintable(code->kioskId()), qPrintable(code->server.toString()));
    return {};
}

// The enrolment code from --enrol-file or the environment; empty when
// neither gives one. Sets `why` when it cannot be had.
QString enrolmentCodeFrom(const QString &file, bool fileGiven, const QString &fromEnvironment, QString *why)
{
    if (!fileGiven)
        return fromEnvironment;
    if (!fromEnvironment.isEmpty()) {
        *why = QStringLiteral("the enrolment code is given twice (--enrol-file and %1): give it once")
                   .arg(QLatin1String(kEnrolmentCodeVariable));
        return {};
    }
    auto code = readEnrolmentCode(file);
    if (!code) {
        *why = code.error().message;
        return {};
    }
    if (file != QLatin1String("-") && readableByOthers(file))
        std::fprintf(stderr, "kaodian-kiosk: warning: %s can be read by other users; the enrolment code in it "
                             "carries a secret (chmod 600)\n", qPrintable(file));
    return *code;
}

} // namespace

int main(int argc, char **argv)
{
    // Secrets first, before any thread exists: out of the environment (and
    // out of what /proc shows of it), and never from the command line.
    const QString codeFromEnvironment = takeSecretFromEnvironment(kEnrolmentCodeVariable);
    const QString passphraseFromEnvironment = takeSecretFromEnvironment(kPassphraseVariable);
    const QString pinFromEnvironment = takeSecretFromEnvironment(kProctorPinVariable);
    {
        QStringList arguments;
        for (int i = 0; i < argc; ++i)
            arguments << QString::fromLocal8Bit(argv[i]);
        if (const QString why = secretOnCommandLine(arguments); !why.isEmpty())
            return fail(why);
    }

    // The on-screen keyboard is an input-method plugin: chosen before the app exists.
    const bool touchKeyboard = useTouchKeyboard(keyboardModeFromArguments(argc, argv));
    if (touchKeyboard)
        qputenv("QT_IM_MODULE", "qtvirtualkeyboard");
    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName(QStringLiteral("kaodian-kiosk"));
    QGuiApplication::setOrganizationName(QStringLiteral("kaodian"));
    QGuiApplication::setApplicationVersion(QStringLiteral(PROJECT_VERSION_STRING));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Kaodian exam-room kiosk. Secrets never go on the command line: the site passphrase for\n"
        "enrolling, --provision and --demo comes from KAODIAN_KIOSK_PASSPHRASE (demo default:\n"
        "kaodian-demo), the proctor PIN from KAODIAN_PROCTOR_PIN (demo default: 123456), the\n"
        "enrolment code from --enrol-file or KAODIAN_ENROLMENT_CODE; each variable is removed from\n"
        "the kiosk's environment once read. A kiosk with no data yet and none of these shows its\n"
        "first-run screen, which scans the enrolment QR and asks for the passphrase and PIN."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dataOpt(QStringLiteral("data"), QStringLiteral("Data folder of this kiosk."),
                                     QStringLiteral("DIR"));
    const QCommandLineOption provisionOpt(QStringLiteral("provision"),
                                          QStringLiteral("Provision the store with a signed session package, then start locked."),
                                          QStringLiteral("PACKAGE"));
    const QCommandLineOption trustOpt(QStringLiteral("trust-key"),
                                      QStringLiteral("SHA-256 fingerprint of the server key the package must be signed with."),
                                      QStringLiteral("FINGERPRINT"));
    const QCommandLineOption kioskOpt(QStringLiteral("kiosk-id"), QStringLiteral("This kiosk's enrolled id."),
                                      QStringLiteral("ID"));
    const QCommandLineOption roomOpt(QStringLiteral("room"), QStringLiteral("The room this kiosk stands at (e.g. 01)."),
                                     QStringLiteral("ROOM"));
    const QCommandLineOption demoOpt(QStringLiteral("demo"),
                                     QStringLiteral("Create demo data (300 candidates, sample tickets) in DIR, or refresh an earlier\n"
                                                    "demo's; a real kiosk's DIR (provisioned or enrolled) is refused, left untouched."));
    const QCommandLineOption langOpt(QStringLiteral("lang"), QStringLiteral("zh (default) or en."), QStringLiteral("LANG"));
    const QCommandLineOption windowedOpt(QStringLiteral("windowed"), QStringLiteral("A 1920x1080 window, not full screen."));
    const QCommandLineOption screenshotOpt(QStringLiteral("screenshot"),
                                           QStringLiteral("Save the window as PNG once shown, then quit."), QStringLiteral("PATH"));
    const QCommandLineOption enrolFileOpt(
        QStringLiteral("enrol-file"),
        QStringLiteral("Enrol with the server: FILE holds the code `kaodian-server kiosk enrol` prints (KDENROL1|…); "
                       "- reads it from standard input. Or put the code in KAODIAN_ENROLMENT_CODE. The kiosk then "
                       "downloads its package and uploads its events once unlocked."),
        QStringLiteral("FILE"));
    const QCommandLineOption keyboardOpt(
        QStringLiteral("keyboard"),
        QStringLiteral("On-screen keyboard (Qt Virtual Keyboard) for the kiosk's text fields: auto (default: only when no keyboard\n"
                       "is attached; a USB wedge scanner counts as one), on or off. Also KAODIAN_TOUCH_KEYBOARD."),
        QStringLiteral("MODE"));
    const QCommandLineOption idleOpt(
        QStringLiteral("proctor-idle"),
        QStringLiteral("Seconds without a touch before proctor mode locks itself, back to check-in (default 120)."),
        QStringLiteral("SECONDS"));
    for (const auto &o : {dataOpt, provisionOpt, trustOpt, kioskOpt, roomOpt, demoOpt, langOpt, windowedOpt, screenshotOpt,
                          enrolFileOpt, keyboardOpt, idleOpt})
        parser.addOption(o);
    parser.process(app);

    const QString dir = parser.isSet(dataOpt)
                            ? QDir(parser.value(dataOpt)).absolutePath()
                            : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    const bool demo = parser.isSet(demoOpt);

    if (demo) {
        const QString passphrase = passphraseFromEnvironment.isEmpty() ? QStringLiteral("kaodian-demo") : passphraseFromEnvironment;
        const QString pin = pinFromEnvironment.isEmpty() ? QStringLiteral("123456") : pinFromEnvironment;
        if (auto s = prepareDemo(dir, passphrase, pin, QDateTime::currentDateTimeUtc(), kDefaultKdfIterations); !s)
            return fail(s.error());
        std::fprintf(stderr, "kaodian-kiosk: demo data in %s (sample tickets: %s)\n", qPrintable(dir),
                     qPrintable(QDir(dir).filePath(QStringLiteral("sample-tickets.txt"))));
    }

    KioskServices services(KioskPaths{dir});
    KioskServices::setInstance(&services);
    services.setDemoMode(demo);
    services.setTouchKeyboard(touchKeyboard);
    if (parser.isSet(idleOpt)) {
        bool ok = false;
        const int idle = parser.value(idleOpt).toInt(&ok);
        if (!ok || idle < 10 || idle > 3600)
            return fail(QStringLiteral("--proctor-idle takes 10 to 3600 seconds"));
        services.setProctorIdleSeconds(idle);
    }
    const bool english = parser.value(langOpt) == QLatin1String("en");
    services.setLanguage(english ? QStringLiteral("en") : QStringLiteral("zh"));

    if (parser.isSet(provisionOpt)) {
        if (const QString why = provisionFrom(services, parser.value(provisionOpt), parser.value(trustOpt),
                                              parser.value(kioskOpt), parser.value(roomOpt), passphraseFromEnvironment,
                                              pinFromEnvironment);
            !why.isEmpty())
            return fail(why);
    }
    QString why;
    const QString enrolmentCode =
        enrolmentCodeFrom(parser.value(enrolFileOpt), parser.isSet(enrolFileOpt), codeFromEnvironment, &why);
    if (!why.isEmpty())
        return fail(why);
    if (!enrolmentCode.isEmpty()) {
        if (const QString failed = enrolWith(services, enrolmentCode, passphraseFromEnvironment, pinFromEnvironment);
            !failed.isEmpty())
            return fail(failed);
    }

    QTranslator translator;
    if (english) {
        if (translator.load(QStringLiteral(":/i18n/kaodian_kiosk_en.qm")))
            QGuiApplication::installTranslator(&translator);
        else
            std::fprintf(stderr, "kaodian-kiosk: no English translation built in\n");
    }

    QFont font = QGuiApplication::font();
    font.setFamilies({QStringLiteral("Noto Sans CJK SC"), QStringLiteral("Source Han Sans SC"),
                      QStringLiteral("WenQuanYi Micro Hei")});
    QGuiApplication::setFont(font);
    QQuickStyle::setStyle(QStringLiteral("Basic"));
    services.setSoundEnabled(true);

    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    QObject::connect(
        &engine, &QQmlApplicationEngine::objectCreationFailed, &app, [] { QCoreApplication::exit(1); },
        Qt::QueuedConnection);
    engine.setInitialProperties({{QStringLiteral("fullScreen"), !parser.isSet(windowedOpt) && !parser.isSet(screenshotOpt)}});
    engine.load(QUrl(QStringLiteral("qrc:/qt/qml/Kaodian/Kiosk/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 1;

    if (parser.isSet(screenshotOpt)) {
        auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
        const QString path = parser.value(screenshotOpt);
        QTimer::singleShot(1500, &app, [window, path] {
            const bool saved = window && window->grabWindow().save(path);
            std::fprintf(stderr, "kaodian-kiosk: screenshot %s %s\n", qPrintable(path), saved ? "saved" : "FAILED");
            QCoreApplication::exit(saved ? 0 : 1);
        });
    }
    return QGuiApplication::exec();
}
