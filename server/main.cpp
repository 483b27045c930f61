// kaodian-server: the exam office's central server. One binary with
// subcommands; see `kaodian-server --help` and the README.

#include "api/api.h"
#include "auth/password.h"
#include "cli/commands.h"

#include <QGuiApplication>

int main(int argc, char **argv)
{
    // Our options, read before Qt sees any: QGuiApplication would take
    // `--session ID` (session management) and others as its own.
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args.push_back(QString::fromLocal8Bit(argv[i]));
    // A QGuiApplication for its font database (the admission-ticket PDF);
    // a server has no display, so the offscreen platform unless told otherwise.
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // Without a login session there is no XDG_RUNTIME_DIR; Qt then uses a
    // private folder of its own and says so on every start. Not news here.
    static QtMessageHandler previous = nullptr;
    previous = qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &context, const QString &message) {
        if (type == QtWarningMsg && message.startsWith(QLatin1String("QStandardPaths: XDG_RUNTIME_DIR not set")))
            return;
        previous(type, context, message);
    });
    int qtArgc = 1;
    QGuiApplication app(qtArgc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("kaodian-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(KAODIAN_VERSION));
    return kaodian::server::runCommand(args);
}
