#pragma once

// The audit log: who did what, when. Append only: nothing here edits or
// deletes an entry. Stores call append() inside their own transaction, so a
// change and its entry are kept or lost together.
//
// Thread-safety: as its SqlConnection (one thread at a time).

#include "store/sqlconnection.h"

#include "core/clock.h"
#include "core/domain.h"

namespace kaodian::server {

struct AuditEntry
{
    Id id = 0;
    QDateTime at;
    QString actor;
    QString action;
    QString detail;
};

class AuditLog
{
public:
    AuditLog(SqlConnection &sql, const Clock &clock) : m_sql(sql), m_clock(clock) {}

    Status<StoreError> append(const QString &actor, const QString &action, const QString &detail);
    // Newest first.
    Result<QList<AuditEntry>, StoreError> entries(int limit, int offset = 0);

private:
    SqlConnection &m_sql;
    const Clock &m_clock;
};

} // namespace kaodian::server
