#pragma once

// Use case: import a roster file (CSV in UTF-8 / GB18030, or XLSX). Parsed
// and applied all or nothing; a refused file is audited with its problem
// count, whichever door it came through.
//
// Thread-safety: as the ServerStore it is given (one thread at a time).

#include "office/officeerror.h"
#include "store/serverstore.h"

namespace kaodian::server::office {

// Refused: Kind::Refused, code "invalid_file", every problem with its line
// and column. A file that would change or withdraw stored registrations is
// refused (Kind::Refused, code "needs_confirmation") unless mode is
// Confirm and confirmSha256 is the file's SHA-256 as its preview gave it
// (else code "preview_mismatch"); Preview answers the difference and
// writes nothing (docs/roster-import.md, "Changing registrations").
OfficeResult<ImportSummary> importRoster(ServerStore &store, const QByteArray &bytes, const QString &fileName,
                                         const QString &actor, ImportMode mode = ImportMode::Apply,
                                         const QString &confirmSha256 = {});

} // namespace kaodian::server::office
