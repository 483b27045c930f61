#pragma once

// The metrics token: what a Prometheus scraper presents for GET
// /api/v1/metrics instead of a person's session. There is at most one; the
// store keeps only its hash (a copy of the database lets nobody scrape),
// and every change of it is audited in the same transaction.
//
// Thread-safety: as its SqlConnection (one thread at a time).

#include "store/auditlog.h"

namespace kaodian::server {

class MetricsTokenStore
{
public:
    MetricsTokenStore(SqlConnection &sql, AuditLog &audit, const Clock &clock)
        : m_sql(sql), m_audit(audit), m_clock(clock)
    { }

    // Makes tokenHash the one token; true when it replaced an earlier one
    // (which stops working at once).
    Result<bool, StoreError> replace(const QString &tokenHash, const QString &actor);
    // Removes the token; false when there was none.
    Result<bool, StoreError> remove(const QString &actor);
    // Is tokenHash the token's hash?
    Result<bool, StoreError> matches(const QString &tokenHash);

private:
    SqlConnection &m_sql;
    AuditLog &m_audit;
    const Clock &m_clock;
};

} // namespace kaodian::server
