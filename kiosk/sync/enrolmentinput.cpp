#include "kiosk/sync/enrolmentinput.h"

#include <QFile>
#include <QFileInfo>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace kaodian::kiosk {

namespace {

const QLatin1String kCodePrefix("KDENROL1|");

QString codeIn(const QByteArray &bytes)
{
    const QString text = QString::fromUtf8(bytes);
    const qsizetype at = text.indexOf(kCodePrefix, 0, Qt::CaseInsensitive);
    if (at < 0)
        return text.trimmed();
    const qsizetype end = text.indexOf(QLatin1Char('\n'), at);
    return text.mid(at, end < 0 ? -1 : end - at).trimmed();
}

bool isOption(const QString &arg, QLatin1String name)
{
    // --name, --name=VALUE, and the single-dash spelling QCommandLineParser also reads.
    for (const QString &dashes : {QStringLiteral("--"), QStringLiteral("-")}) {
        const QString option = dashes + name;
        if (arg == option || arg.startsWith(option + QLatin1Char('=')))
            return true;
    }
    return false;
}

} // namespace

QString takeSecretFromEnvironment(const char *name)
{
    char *value = std::getenv(name); // NOLINT(concurrency-mt-unsafe): before any thread, as the header says
    if (value == nullptr)
        return {};
    const QString text = QString::fromLocal8Bit(value);
    std::memset(value, 0, std::strlen(value));
    qunsetenv(name);
    return text;
}

Result<QString, SecretInputError> readEnrolmentCode(const QString &path, QIODevice *standardInput)
{
    QByteArray bytes;
    if (path == QLatin1String("-")) {
        QFile in;
        QIODevice *device = standardInput;
        if (device == nullptr) {
            if (!in.open(stdin, QIODevice::ReadOnly))
                return SecretInputError{QStringLiteral("cannot read the enrolment code from standard input")};
            device = &in;
        }
        bytes = device->read(kMaxEnrolmentFileBytes + 1);
    } else {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return SecretInputError{QStringLiteral("cannot read the enrolment code from %1: %2").arg(path, file.errorString())};
        bytes = file.read(kMaxEnrolmentFileBytes + 1);
    }
    const QString where = path == QLatin1String("-") ? QStringLiteral("standard input") : path;
    if (bytes.size() > kMaxEnrolmentFileBytes)
        return SecretInputError{QStringLiteral("%1 is too long for an enrolment code").arg(where)};
    QString code = codeIn(bytes);
    if (code.isEmpty())
        return SecretInputError{QStringLiteral("no enrolment code in %1").arg(where)};
    return code;
}

bool readableByOthers(const QString &path)
{
    const QFileInfo info(path);
    return info.exists() && (info.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther));
}

QString secretOnCommandLine(const QStringList &arguments)
{
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &arg = arguments[i];
        if (isOption(arg, QLatin1String("enrol")) || isOption(arg, QLatin1String("enroll")))
            return QStringLiteral("--enrol CODE is refused: a code on the command line is visible to every user "
                                  "of this machine (ps). Give the code in a file with --enrol-file FILE "
                                  "(- for standard input) or in the environment variable %1.")
                .arg(QLatin1String(kEnrolmentCodeVariable));
        if (isOption(arg, QLatin1String("passphrase")))
            return QStringLiteral("%1 is refused: the site passphrase goes in the environment variable %2, "
                                  "not on the command line, where every user of this machine can read it (ps).")
                .arg(arg.section(QLatin1Char('='), 0, 0), QLatin1String(kPassphraseVariable));
        if (isOption(arg, QLatin1String("pin")))
            return QStringLiteral("%1 is refused: the proctor PIN goes in the environment variable %2, "
                                  "not on the command line, where every user of this machine can read it (ps).")
                .arg(arg.section(QLatin1Char('='), 0, 0), QLatin1String(kProctorPinVariable));
        if (arg.contains(kCodePrefix, Qt::CaseInsensitive))
            return QStringLiteral("an enrolment code on the command line is refused: every user of this machine "
                                  "can read it (ps). Give it in a file with --enrol-file FILE (- for standard "
                                  "input) or in the environment variable %1.")
                .arg(QLatin1String(kEnrolmentCodeVariable));
    }
    return {};
}

} // namespace kaodian::kiosk
