#pragma once

// Where the kiosk's secrets come from: the enrolment code from a file,
// standard input or the environment, the site passphrase and the proctor
// PIN from the environment — never from the command line, which every user
// of the machine reads in `ps`. A secret taken from the environment is
// removed from it and its text overwritten where the kernel shows it
// (/proc/PID/environ), so child processes and later readers do not see it.
//
// Thread-safety: takeSecretFromEnvironment changes the process environment;
// call it before any other thread starts (first thing in main). The rest
// are pure functions or read one file.

#include "core/result.h"

#include <QString>
#include <QStringList>

class QIODevice;

namespace kaodian::kiosk {

inline constexpr char kEnrolmentCodeVariable[] = "KAODIAN_ENROLMENT_CODE";
inline constexpr char kPassphraseVariable[] = "KAODIAN_KIOSK_PASSPHRASE";
inline constexpr char kProctorPinVariable[] = "KAODIAN_PROCTOR_PIN";

// The longest enrolment file read (a code is about 220 characters).
inline constexpr qint64 kMaxEnrolmentFileBytes = 4096;

// The variable's value (empty when unset), after which the variable is
// gone from the process's environment and its text is overwritten in place.
QString takeSecretFromEnvironment(const char *name);

struct SecretInputError
{
    QString message; // for the operator, in English like the rest of the command line
};

// The enrolment code in the file at `path`, or on standard input when
// `path` is "-" (`standardInput`, or the process's own when null). The
// code is the text from "KDENROL1|" to the end of its line when the text
// holds one (so the whole output of `kaodian-server kiosk enrol` works too),
// else the trimmed text, which EnrolmentCode::parse then refuses.
Result<QString, SecretInputError> readEnrolmentCode(const QString &path, QIODevice *standardInput = nullptr);

// Whether users other than the file's owner may read it (group or others).
bool readableByOthers(const QString &path);

// Why these arguments (argv, the program first) are refused: an option that
// would carry a secret (--enrol, --passphrase, --pin) or an enrolment code
// anywhere. Empty when nothing secret is on the command line.
QString secretOnCommandLine(const QStringList &arguments);

} // namespace kaodian::kiosk
