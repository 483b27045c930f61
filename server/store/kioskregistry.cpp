#include "store/kioskregistry.h"

#include "store/storeutil.h"

#include <QCryptographicHash>

namespace kaodian::server {

namespace {

KioskRecord kioskFromRow(const QVariantList &row)
{
    KioskRecord k;
    k.id = row[0].toString();
    k.name = row[1].toString();
    k.siteId = row[2].toLongLong();
    if (!row[3].isNull())
        k.roomId = row[3].toLongLong();
    k.credentialHash = row[4].toString();
    k.enrolledAt = parseStoreTime(row[5].toString());
    if (!row[6].isNull())
        k.revokedAt = parseStoreTime(row[6].toString());
    if (!row[7].isNull())
        k.lastSeenAt = parseStoreTime(row[7].toString());
    k.eventsReceived = row[8].toLongLong();
    if (!row[9].isNull())
        k.eventsWaiting = row[9].toLongLong();
    k.siteName = row[10].toString();
    k.roomCode = row[11].toString();
    k.installationHash = row[12].toString();
    if (!row[13].isNull())
        k.installedAt = parseStoreTime(row[13].toString());
    k.deviceKey = QByteArray::fromBase64(row[14].toString().toLatin1());
    return k;
}

// The kiosk's columns, then its event count (a placeholder where), then
// where it stands by name; kioskFromRow reads them in this order.
QString kioskSelect(const QString &eventCount)
{
    return QStringLiteral("SELECT k.id, k.name, k.site_id, k.room_id, k.credential_hash, k.enrolled_at, k.revoked_at,"
                          " k.last_seen_at, %1, k.events_waiting, s.name, COALESCE(ro.code, ''), COALESCE(k.installation_hash, ''),"
                          " k.installed_at, COALESCE(dk.public_key, '') FROM kiosk k"
                          " JOIN site s ON s.id = k.site_id LEFT JOIN room ro ON ro.id = k.room_id"
                          " LEFT JOIN kiosk_device_key dk ON dk.kiosk_id = k.id")
        .arg(eventCount);
}

} // namespace

Status<StoreError> KioskRegistry::enrol(const KioskRecord &k, const QString &actor)
{
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status();
    auto existing = m_sql.query(QStringLiteral("SELECT id FROM kiosk WHERE id = ?"), {k.id});
    if (!existing)
        return existing.error();
    if (!existing->isEmpty())
        return storeError(StoreError::Code::AlreadyExists, QStringLiteral("考场终端 %1 已登记").arg(k.id));
    auto r = m_sql.query(QStringLiteral("INSERT INTO kiosk (id, name, site_id, room_id, credential_hash, enrolled_at)"
                                         " VALUES (?, ?, ?, ?, ?, ?)"),
                          {k.id, k.name, k.siteId, k.roomId ? QVariant(*k.roomId) : QVariant(), k.credentialHash,
                           storeTime(m_clock())});
    if (!r)
        return r.error();
    if (auto s = m_audit.append(actor, QStringLiteral("kiosk.enrol"), QStringLiteral("%1 (%2)").arg(k.id, k.name)); !s)
        return s;
    return tx.commit();
}

Status<StoreError> KioskRegistry::revoke(const QString &kioskId, const QString &actor)
{
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status();
    auto r = m_sql.query(QStringLiteral("UPDATE kiosk SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"),
                          {storeTime(m_clock()), kioskId});
    if (!r)
        return r.error();
    if (r->affected == 0)
        return storeError(StoreError::Code::DatabaseMissing,
                          QStringLiteral("没有在用的考场终端 %1").arg(kioskId));
    if (auto s = m_audit.append(actor, QStringLiteral("kiosk.revoke"), kioskId); !s)
        return s;
    return tx.commit();
}

Result<KioskClaim, StoreError> KioskRegistry::claim(const QString &kioskId, const QString &installationHash,
                                                    const QByteArray &deviceKey, const QString &actor)
{
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status().error();
    auto r = m_sql.query(QStringLiteral("UPDATE kiosk SET installation_hash = ?, installed_at = ?"
                                         " WHERE id = ? AND installation_hash IS NULL"),
                          {installationHash, storeTime(m_clock()), kioskId});
    if (!r)
        return r.error();
    if (r->affected == 0) {
        // Claimed already (perhaps a moment ago, by a request in parallel): by whom?
        auto held = m_sql.query(QStringLiteral("SELECT installation_hash FROM kiosk WHERE id = ?"), {kioskId});
        if (!held)
            return held.error();
        if (held->isEmpty())
            return storeError(StoreError::Code::DatabaseMissing, QStringLiteral("没有考场终端 %1").arg(kioskId));
        return held->first()[0].toString() == installationHash ? KioskClaim::AlreadyThis : KioskClaim::OtherInstalled;
    }
    // Only the claim that took the code registers a key: the row is written
    // here or never.
    QString detail = kioskId;
    if (!deviceKey.isEmpty()) {
        auto key = m_sql.query(
            QStringLiteral("INSERT INTO kiosk_device_key (kiosk_id, public_key, registered_at) VALUES (?, ?, ?)"),
            {kioskId, QString::fromLatin1(deviceKey.toBase64()), storeTime(m_clock())});
        if (!key)
            return key.error();
        detail += QStringLiteral("，设备密钥 SHA-256 %1")
                      .arg(QString::fromLatin1(QCryptographicHash::hash(deviceKey, QCryptographicHash::Sha256).toHex()));
    }
    if (auto s = m_audit.append(actor, QStringLiteral("kiosk.install"), detail); !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return KioskClaim::Claimed;
}

Result<std::optional<KioskRecord>, StoreError> KioskRegistry::kiosk(const QString &kioskId)
{
    // Asked on every kiosk request: no event count here (all() has it).
    auto r = m_sql.query(kioskSelect(QStringLiteral("0")) + QStringLiteral(" WHERE k.id = ?"), {kioskId});
    if (!r)
        return r.error();
    if (r->isEmpty())
        return std::optional<KioskRecord>();
    return std::optional<KioskRecord>(kioskFromRow(r->first()));
}

Result<QList<KioskRecord>, StoreError> KioskRegistry::all()
{
    auto r = m_sql.query(kioskSelect(QStringLiteral("(SELECT count(*) FROM kiosk_event e WHERE e.kiosk_id = k.id)"))
                          + QStringLiteral(" ORDER BY k.id"));
    if (!r)
        return r.error();
    QList<KioskRecord> out;
    for (const auto &row : r->rows)
        out.push_back(kioskFromRow(row));
    return out;
}

} // namespace kaodian::server
