// kaodian-server: the exam office's central server. One binary with
// subcommands; see `kaodian-server --help` and the README.

#include "api/api.h"
#include "auth/password.h"
#include "cli/commands.h"

#include <QCoreApplication>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("kaodian-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(KAODIAN_VERSION));
    return kaodian::server::runCommand(app.arguments());
}
