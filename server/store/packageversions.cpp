#include "store/packageversions.h"

#include "store/storeutil.h"

#include <algorithm>

namespace kaodian::server {

Result<std::optional<qint64>, StoreError> PackageVersions::unchanged(Id siteId, const QString &room,
                                                                     const QDate &day, const QByteArray &contentTag)
{
    auto row = m_sql.query(QStringLiteral("SELECT content_tag, version FROM package_version"
                                          " WHERE site_id = ? AND room = ? AND exam_date = ?"),
                           {siteId, room, day.toString(Qt::ISODate)});
    if (!row)
        return row.error();
    if (!row->isEmpty() && row->first().at(0).toString() == QString::fromLatin1(contentTag))
        return std::optional<qint64>(row->first().at(1).toLongLong());
    return std::optional<qint64>();
}

Result<qint64, StoreError> PackageVersions::versionFor(Id siteId, const QString &room, const QDate &day,
                                                       const QByteArray &contentTag)
{
    // Most requests: nothing changed since the last package (no write).
    auto known = unchanged(siteId, room, day, contentTag);
    if (!known)
        return known.error();
    if (*known)
        return **known;

    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status().error();
    // The counter row first: another server allocating waits here until this
    // transaction ends, then sees its number.
    auto bumped = m_sql.query(QStringLiteral("UPDATE package_counter SET last_version = last_version + 1 WHERE id = 1"));
    if (!bumped)
        return bumped.error();
    if (bumped->affected != 1)
        return storeError(StoreError::Code::Sql, QStringLiteral("数据包版本计数缺失"));
    // Another server may have given this content its number meanwhile.
    known = unchanged(siteId, room, day, contentTag);
    if (!known)
        return known.error();
    if (*known)
        return **known; // the counter's increment is rolled back with the transaction
    auto last = m_sql.query(QStringLiteral("SELECT last_version FROM package_counter WHERE id = 1"));
    if (!last)
        return last.error();
    const qint64 version = std::max(last->first().at(0).toLongLong(), m_clock().toMSecsSinceEpoch());
    if (auto s = m_sql.query(QStringLiteral("UPDATE package_counter SET last_version = ? WHERE id = 1"), {version}); !s)
        return s.error();
    const QVariantList key{siteId, room, day.toString(Qt::ISODate)};
    auto updated = m_sql.query(QStringLiteral("UPDATE package_version SET content_tag = ?, version = ?, made_at = ?"
                                              " WHERE site_id = ? AND room = ? AND exam_date = ?"),
                               QVariantList{QString::fromLatin1(contentTag), version, storeTime(m_clock())} + key);
    if (!updated)
        return updated.error();
    if (updated->affected == 0) {
        auto inserted = m_sql.query(
            QStringLiteral("INSERT INTO package_version (site_id, room, exam_date, content_tag, version, made_at)"
                           " VALUES (?, ?, ?, ?, ?, ?)"),
            key + QVariantList{QString::fromLatin1(contentTag), version, storeTime(m_clock())});
        if (!inserted)
            return inserted.error();
    }
    if (auto s = tx.commit(); !s)
        return s.error();
    return version;
}

} // namespace kaodian::server
