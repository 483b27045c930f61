#pragma once

// The metrics token a Prometheus scraper presents for GET /api/v1/metrics
// (Authorization: Bearer kdm_…): issued by `kaodian-server metrics-token`,
// shown once, only its hash stored. There is one at a time: issuing again
// replaces it (the old one stops working at once), so a lost or leaked
// token is fixed by issuing a new one. Issuing and revoking are audited.
//
// Thread-safety: as the ServerStore it is given (one thread at a time).

#include "office/officeerror.h"
#include "store/serverstore.h"

namespace kaodian::server::office {

// Every metrics token starts so: the API tells it from a kiosk credential
// ("<kiosk id>.<secret>") by it.
inline constexpr char kMetricsTokenPrefix[] = "kdm_";

struct MetricsTokenIssue
{
    QString token; // shown once
    bool replaced = false; // an earlier token existed and no longer works
};

OfficeResult<MetricsTokenIssue> issueMetricsToken(ServerStore &store, const QString &actor);
// False when there was no token.
OfficeResult<bool> revokeMetricsToken(ServerStore &store, const QString &actor);

} // namespace kaodian::server::office
