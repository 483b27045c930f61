#pragma once

// Use cases on registrations after import (issue #16, docs/api.md
// "Registrations"): withdraw (退考, with reason and date), move to another
// room or seat (the ticket re-issued, the old serial revoked), replace the
// candidate (the new one gets a new ticket, the old registration is
// withdrawn) and excuse in advance (请假, with reason). Both front doors call
// these; each change is audited in the store's transaction and reaches the
// kiosks with their next session package (its content changes). A retry of
// a change already made answers as the change did, with changed = false.
//
// Thread-safety: as the ServerStore it is given (one thread at a time).

#include "office/officeerror.h"
#include "store/serverstore.h"

namespace kaodian::server::office {

// Longest reason kept (characters).
constexpr int kMaxChangeReason = 200;

// `on` null: today in China Standard Time.
OfficeResult<RegistrationChange> withdrawRegistration(ServerStore &store, const QString &ticketNumber,
                                                      const QDate &on, const QString &reason, const QString &actor);
OfficeResult<RegistrationChange> moveRegistration(ServerStore &store, const QString &ticketNumber,
                                                  const QString &room, const QString &seat, const QString &actor);
OfficeResult<RegistrationChange> replaceCandidate(ServerStore &store, const QString &ticketNumber,
                                                  const ReplacementCandidate &newcomer, const QString &reason,
                                                  const QString &actor);
OfficeResult<RegistrationChange> excuseRegistration(ServerStore &store, const QString &ticketNumber,
                                                    const QString &reason, const QString &actor);

} // namespace kaodian::server::office
