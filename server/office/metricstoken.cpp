#include "office/metricstoken.h"

#include "auth/password.h"

namespace kaodian::server::office {

OfficeResult<MetricsTokenIssue> issueMetricsToken(ServerStore &store, const QString &actor)
{
    MetricsTokenIssue issue;
    issue.token = QLatin1String(kMetricsTokenPrefix) + randomToken(32);
    auto replaced = store.metricsTokens().replace(sha256Hex(issue.token.toLatin1()), actor);
    if (!replaced)
        return OfficeError::fromStore(replaced.error());
    issue.replaced = *replaced;
    return issue;
}

OfficeResult<bool> revokeMetricsToken(ServerStore &store, const QString &actor)
{
    auto removed = store.metricsTokens().remove(actor);
    if (!removed)
        return OfficeError::fromStore(removed.error());
    return *removed;
}

} // namespace kaodian::server::office
