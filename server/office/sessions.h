#pragma once

// Use cases on exam sessions and people: the published candidate count
// (公布考试人数) and adding a user (the results-final mark: office/results.h).
// Each audited.
//
// Thread-safety: as the ServerStore it is given (one thread at a time).

#include "office/officeerror.h"
#include "store/serverstore.h"

namespace kaodian::server::office {

// count empty: not published. BadInput for a negative count; NotFound for
// an unknown session.
Status<OfficeError> setPublishedCount(ServerStore &store, Id sessionId, std::optional<int> count,
                                      const QString &actor);

// A new account; the password must pass the password rules (BadInput says
// which), a college viewer needs its college. Conflict for a taken name.
OfficeResult<Id> addUser(ServerStore &store, const QString &username, const QString &password, Role role,
                         std::optional<Id> collegeId, const QString &actor);

} // namespace kaodian::server::office
