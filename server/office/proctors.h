#pragma once

// Use cases on named proctors (docs/proctors.md): import the office's
// proctor file (监考安排) and set a proctor's PIN. Both front doors (API and
// CLI) call these; each is audited, a refused file too.
//
// Thread-safety: as the ServerStore it is given (one thread at a time).

#include "office/officeerror.h"
#include "store/serverstore.h"

namespace kaodian::server::office {

// Refused: Kind::Refused, code "invalid_file", every problem with its line and column.
OfficeResult<ProctorImportSummary> importProctors(ServerStore &store, const QByteArray &bytes, const QString &fileName,
                                                  const QString &actor);

// The office sets a proctor's PIN (core/pinhash.h's rule: 4–12 digits);
// only its slow hash is stored and sent to kiosks. BadInput for a PIN
// that breaks the rule, NotFound for an unknown 工号.
Status<OfficeError> setProctorPin(ServerStore &store, const QString &staffNumber, const QString &pin,
                                  const QString &actor);

} // namespace kaodian::server::office
