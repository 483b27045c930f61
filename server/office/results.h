#pragma once

// Use cases on results (docs/results-import.md): import the 培训评价组织's
// results file, correct one result, and mark a session's results final or
// re-open them. Both front doors (API and CLI) call these; each is audited,
// a refused file too.
//
// Thread-safety: as the ServerStore it is given (one thread at a time).

#include "office/officeerror.h"
#include "store/serverstore.h"

namespace kaodian::server::office {

// Longest reason kept with a replacement, correction or re-opening.
inline constexpr qsizetype kMaxReasonLength = 500;

// Refused: Kind::Refused, code "invalid_file", every problem with its line
// and column. replace without a reason: BadInput.
OfficeResult<ResultsSummary> importResults(ServerStore &store, const QByteArray &bytes, const QString &fileName,
                                           bool replace, const QString &reason, const QString &actor);

// true when recorded, false when equal to the stored result. A reason is
// required (BadInput); a final session or an outcome the kiosks' attendance
// contradicts is Conflict (code "result_refused"); NotFound for a registration not in the session.
OfficeResult<bool> correctResult(ServerStore &store, Id sessionId, Id registrationId, const ResultValue &value,
                                 const QString &reason, const QString &actor);

// final: refused (Kind::Conflict, code "results_pending") while anyone who
// sat has no result, each named in `problems` (column: ticket number). Not
// final (re-open): a reason is required (BadInput).
Status<OfficeError> setResultsFinal(ServerStore &store, Id sessionId, bool final, const QString &reason,
                                    const QString &actor);

} // namespace kaodian::server::office
