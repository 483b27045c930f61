#include "store/metricstokenstore.h"

#include "store/storeutil.h"

namespace kaodian::server {

Result<bool, StoreError> MetricsTokenStore::replace(const QString &tokenHash, const QString &actor)
{
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status().error();
    auto removed = m_sql.query(QStringLiteral("DELETE FROM metrics_token"));
    if (!removed)
        return removed.error();
    auto added = m_sql.query(
        QStringLiteral("INSERT INTO metrics_token (token_hash, created_at, created_by) VALUES (?, ?, ?)"),
        {tokenHash, storeTime(m_clock()), actor});
    if (!added)
        return added.error();
    const bool replaced = removed->affected > 0;
    if (auto s = m_audit.append(actor, QStringLiteral("metrics.token"),
            replaced ? QStringLiteral("新的指标令牌，旧令牌作废") : QStringLiteral("新的指标令牌"));
        !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return replaced;
}

Result<bool, StoreError> MetricsTokenStore::remove(const QString &actor)
{
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status().error();
    auto removed = m_sql.query(QStringLiteral("DELETE FROM metrics_token"));
    if (!removed)
        return removed.error();
    if (removed->affected == 0)
        return false;
    if (auto s
        = m_audit.append(actor, QStringLiteral("metrics.token_revoked"), QStringLiteral("指标令牌作废"));
        !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return true;
}

Result<bool, StoreError> MetricsTokenStore::matches(const QString &tokenHash)
{
    auto r = m_sql.query(QStringLiteral("SELECT 1 FROM metrics_token WHERE token_hash = ?"), {tokenHash});
    if (!r)
        return r.error();
    return !r->isEmpty();
}

} // namespace kaodian::server
