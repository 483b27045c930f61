#pragma once

// Candidate photos as the store keeps them (migration 14): one a candidate,
// sealed (office/photos.h seals and opens; this store never sees a face in
// clear), named by the SHA-256 of the plain JPEG. A photo import is applied
// here in one transaction with its audit entry: all of a file or nothing.
//
// Thread-safety: as its SqlConnection (one thread at a time).

#include "store/auditlog.h"

#include "core/domain.h"

#include <QHash>
#include <QStringList>

namespace kaodian::server {

// One photo to keep for a candidate.
struct PhotoToStore
{
    Id candidateId = 0;
    QString sha256; // of the plain JPEG, lower-case hex
    QString sealed; // base64 of nonce | ciphertext | tag
};

// A registration's candidate's photo.
struct StoredPhoto
{
    QString sha256;
    QString sealed; // empty when only the hash was asked for
};

struct PhotoApplySummary
{
    int added = 0;     // candidates who had no photo
    int replaced = 0;  // a different photo than before
    int unchanged = 0; // the same photo again
};

class PhotoStore
{
public:
    PhotoStore(SqlConnection &sql, AuditLog &audit, const Clock &clock) : m_sql(sql), m_audit(audit), m_clock(clock) {}

    // The candidate each name stands for: an ID-card number (身份证号) or a
    // ticket number (准考证号) of one of their registrations; names that
    // stand for nobody are left out. Names compare upper-cased.
    Result<QHash<QString, Id>, StoreError> candidatesByName(const QStringList &names);
    // Keeps the photos (replacing a candidate's earlier one) and audits the
    // import as `photos.imported`, in one transaction.
    Result<PhotoApplySummary, StoreError> apply(const QList<PhotoToStore> &photos, const QString &fileName,
                                                const QString &actor);
    // The photos of these registrations' candidates (those that have one),
    // by registration id; withContent false reads the hashes only.
    Result<QHash<Id, StoredPhoto>, StoreError> ofRegistrations(const QList<Id> &registrationIds, bool withContent);
    // How many candidates have a photo (the dashboard's count).
    Result<qint64, StoreError> count();

private:
    SqlConnection &m_sql;
    AuditLog &m_audit;
    const Clock &m_clock;
};

} // namespace kaodian::server
