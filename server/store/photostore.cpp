#include "store/photostore.h"

#include "store/storeutil.h"

namespace kaodian::server {

namespace {

// Lists bound as parameters, this many at a time (SQLite's limit is 999).
constexpr qsizetype kChunk = 400;

QString placeholders(qsizetype n)
{
    QStringList marks(n, QStringLiteral("?"));
    return marks.join(QLatin1Char(','));
}

} // namespace

Result<QHash<QString, Id>, StoreError> PhotoStore::candidatesByName(const QStringList &names)
{
    QHash<QString, Id> found;
    for (qsizetype at = 0; at < names.size(); at += kChunk) {
        QVariantList params;
        for (const QString &n : names.mid(at, kChunk))
            params.push_back(n.toUpper());
        const QString in = placeholders(params.size());
        auto byId = m_sql.query(QStringLiteral("SELECT upper(id_number), id FROM candidate WHERE upper(id_number) IN (%1)").arg(in),
                                params);
        if (!byId)
            return byId.error();
        for (const auto &row : byId->rows)
            found.insert(row[0].toString(), row[1].toLongLong());
        auto byTicket = m_sql.query(
            QStringLiteral("SELECT upper(ticket_number), candidate_id FROM registration WHERE upper(ticket_number) IN (%1)").arg(in),
            params);
        if (!byTicket)
            return byTicket.error();
        for (const auto &row : byTicket->rows)
            found.insert(row[0].toString(), row[1].toLongLong());
    }
    return found;
}

Result<PhotoApplySummary, StoreError> PhotoStore::apply(const QList<PhotoToStore> &photos, const QString &fileName,
                                                        const QString &actor)
{
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status().error();
    PhotoApplySummary summary;
    const QString now = storeTime(m_clock());
    for (const auto &p : photos) {
        auto held = m_sql.query(QStringLiteral("SELECT sha256 FROM candidate_photo WHERE candidate_id = ?"), {p.candidateId});
        if (!held)
            return held.error();
        if (!held->isEmpty() && held->first().first().toString() == p.sha256) {
            ++summary.unchanged;
            continue;
        }
        if (!held->isEmpty()) {
            if (auto r = m_sql.query(QStringLiteral("DELETE FROM candidate_photo WHERE candidate_id = ?"), {p.candidateId}); !r)
                return r.error();
            ++summary.replaced;
        } else {
            ++summary.added;
        }
        if (auto r = m_sql.query(QStringLiteral("INSERT INTO candidate_photo (candidate_id, sha256, sealed, imported_at, "
                                                "imported_by) VALUES (?, ?, ?, ?, ?)"),
                                 {p.candidateId, p.sha256, p.sealed, now, actor});
            !r)
            return r.error();
    }
    if (auto s = m_audit.append(actor, QStringLiteral("photos.imported"),
                                QStringLiteral("%1：%2 张照片（新增 %3，替换 %4，未变 %5）")
                                    .arg(fileName)
                                    .arg(photos.size())
                                    .arg(summary.added)
                                    .arg(summary.replaced)
                                    .arg(summary.unchanged));
        !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return summary;
}

Result<QHash<Id, StoredPhoto>, StoreError> PhotoStore::ofRegistrations(const QList<Id> &registrationIds,
                                                                       bool withContent)
{
    QHash<Id, StoredPhoto> out;
    for (qsizetype at = 0; at < registrationIds.size(); at += kChunk) {
        QVariantList params;
        for (Id id : registrationIds.mid(at, kChunk))
            params.push_back(id);
        auto rows = m_sql.query(QStringLiteral("SELECT r.id, p.sha256, %1 FROM registration r JOIN candidate_photo p"
                                               " ON p.candidate_id = r.candidate_id WHERE r.id IN (%2)")
                                    .arg(withContent ? QStringLiteral("p.sealed") : QStringLiteral("''"),
                                         placeholders(params.size())),
                                params);
        if (!rows)
            return rows.error();
        for (const auto &row : rows->rows)
            out.insert(row[0].toLongLong(), {row[1].toString(), row[2].toString()});
    }
    return out;
}

Result<qint64, StoreError> PhotoStore::count()
{
    auto r = m_sql.query(QStringLiteral("SELECT count(*) FROM candidate_photo"));
    if (!r)
        return r.error();
    return r->first().first().toLongLong();
}

} // namespace kaodian::server
