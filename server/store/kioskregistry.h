#pragma once

// The kiosks the office has enrolled: where each stands (site, room), its
// credential's hash, whether it is revoked, when it was last seen and what
// it last said it still had to send.
//
// Thread-safety: as its SqlConnection (one thread at a time).

#include "store/auditlog.h"

#include <optional>

namespace kaodian::server {

// An enrolled kiosk.
struct KioskRecord
{
    QString id;
    QString name;
    Id siteId = 0;
    std::optional<Id> roomId;
    QString siteName; // read back with the record (enrol ignores it)
    QString roomCode; // empty: the whole site
    QString credentialHash;
    QDateTime enrolledAt;
    QDateTime revokedAt;  // null while active
    QDateTime lastSeenAt; // null until first upload
    qint64 eventsReceived = 0;
    std::optional<qint64> eventsWaiting; // unsent, as the kiosk last reported
    QString installationHash; // SHA-256 of the installation that claimed the code; empty until then
    QDateTime installedAt;    // when it did
    QByteArray deviceKey;     // raw Ed25519 public key registered with that claim; empty: none
};

// What became of an installation's claim on a kiosk's enrolment code.
enum class KioskClaim : std::uint8_t {
    Claimed,        // the code was free: it is this installation's now
    AlreadyThis,    // this installation claimed it before
    OtherInstalled, // another installation holds it
};

class KioskRegistry
{
public:
    KioskRegistry(SqlConnection &sql, AuditLog &audit, const Clock &clock) : m_sql(sql), m_audit(audit), m_clock(clock) {}

    Status<StoreError> enrol(const KioskRecord &kiosk, const QString &actor);
    Status<StoreError> revoke(const QString &kioskId, const QString &actor);
    // The first installation (by the hash of its id) to present the kiosk's
    // code claims it, and the device key it sent (raw public key; may be
    // empty) is registered with the claim; audited. Any later claim — this
    // installation's or another's — changes neither: a registered key is
    // never replaced.
    Result<KioskClaim, StoreError> claim(const QString &kioskId, const QString &installationHash,
                                         const QByteArray &deviceKey, const QString &actor);
    // One kiosk, without its event count (asked on every kiosk request).
    Result<std::optional<KioskRecord>, StoreError> kiosk(const QString &kioskId);
    // Every kiosk with its event count, by id.
    Result<QList<KioskRecord>, StoreError> all();

private:
    SqlConnection &m_sql;
    AuditLog &m_audit;
    const Clock &m_clock;
};

} // namespace kaodian::server
