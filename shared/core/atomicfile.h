#pragma once

// Writing a file whole or not at all, at a mode fixed from its first byte:
// the bytes go to a temporary file beside it, created with that mode
// (whatever the umask) and synced, which is then renamed over the path. No
// reader ever sees a partial file, or a file more open than `mode` — not
// even for the moment a QSaveFile's temporary has the default mode.
//
// Thread-safety: a free function; two threads writing one path at once
// race for the temporary's name, and one of them fails.

#include "core/result.h"

#include <QByteArray>
#include <QString>

#include <sys/types.h>

namespace kaodian {

// A message naming the path and the system's reason on failure; the
// temporary file is then removed.
Status<QString> writeFileAtomically(const QString &path, const QByteArray &bytes, mode_t mode);

} // namespace kaodian
