#include "store/auditlog.h"

#include "store/storeutil.h"

namespace kaodian::server {

Status<StoreError> AuditLog::append(const QString &actor, const QString &action, const QString &detail)
{
    auto r = m_sql.query(
        QStringLiteral("INSERT INTO audit_log (occurred_at, actor, action, detail) VALUES (?, ?, ?, ?)"),
        {storeTime(m_clock()), actor, action, detail});
    if (!r)
        return r.error();
    return {};
}

Result<QList<AuditEntry>, StoreError> AuditLog::entries(int limit, int offset)
{
    auto r = m_sql.query(QStringLiteral("SELECT id, occurred_at, actor, action, detail FROM audit_log"
                                        " ORDER BY id DESC LIMIT ? OFFSET ?"),
                         {limit, offset});
    if (!r)
        return r.error();
    QList<AuditEntry> out;
    for (const auto &row : r->rows)
        out.push_back({row[0].toLongLong(), parseStoreTime(row[1].toString()), row[2].toString(),
                       row[3].toString(), row[4].toString()});
    return out;
}

} // namespace kaodian::server
