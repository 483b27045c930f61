#pragma once

// The kiosk's encrypted local store (SQLCipher through kaodian::Database):
// the provisioned package, an append-only event log, and an outbox written
// in the same transaction as each event, so no check-in is lost or doubled
// by a crash. Its key is wrapped by the site passphrase (keyfile.h).
//
// Ownership and threads: a KioskStore owns its connection; one thread.

#include "protocol/roomevents.h"
#include "protocol/sessionpackage.h"

#include "core/database.h"

#include <QHash>
#include <QSet>
#include <QString>

#include <functional>
#include <vector>

namespace kaodian::kiosk {

// The package's types are the protocol's (shared/protocol); the kiosk names them as its own.
using protocol::CheckInConflict;
using protocol::PackageProctor;
using protocol::PackageSession;
using protocol::Revocation;
using protocol::RosterCandidate;
using protocol::SessionPackage;

// The folder a kiosk keeps its data in.
struct KioskPaths
{
    QString dir;
    [[nodiscard]] QString database() const;
    [[nodiscard]] QString keyFile() const;
    // Failed passphrase attempts (unlockthrottle.h), readable while the store is locked.
    [[nodiscard]] QString unlockAttempts() const;
};

// Settings a proctor or provisioning sets.
struct KioskIdentity
{
    QString kioskId;    // as enrolled on the server
    QString site;
    QString room;
    QByteArray trustedKeyRaw; // the server ticket key this kiosk trusts
};

// A closed session's sign-off as stored: who signed and when (UTC), and
// the counts as signed (protocol/roomevents.h; empty for a sign-off made
// before sign-offs were events).
struct SessionSignOff
{
    Id sessionId = 0;
    QString signedBy;
    QDateTime closedAt;
    std::optional<protocol::SignOffFacts> facts;
};

class KioskStore
{
public:
    static Result<KioskStore, StoreError> create(const KioskPaths &paths, const QString &passphrase,
                                                 int kdfIterations = kDefaultKdfIterations);
    // Opens the store with the site passphrase. Wrong passphrases in a row
    // make the next attempt wait (unlockthrottle.h): TooManyAttempts until then.
    static Result<KioskStore, StoreError> open(const KioskPaths &paths, const QString &passphrase,
                                               const QDateTime &now = QDateTime::currentDateTimeUtc());
    // Seconds before the next passphrase may be tried at open() (0: now).
    [[nodiscard]] static int unlockWait(const KioskPaths &paths, const QDateTime &now);

    KioskStore(KioskStore &&) noexcept = default;
    KioskStore &operator=(KioskStore &&) noexcept = default;

    // Identity and trust.
    Status<StoreError> setIdentity(const KioskIdentity &identity);
    [[nodiscard]] KioskIdentity identity() const { return m_identity; }

    // The enrolment code this kiosk syncs with (kiosk/sync), kept encrypted here.
    Status<StoreError> setEnrolment(const QString &code);
    [[nodiscard]] QString enrolment() const;

    // This installation's random id (hex), sent with every request to the
    // server: the first installation that presents an enrolment code claims
    // it, and the server refuses the code from any other (docs/api.md).
    // Empty until set; the sync client sets one when there is none.
    Status<StoreError> setInstallationId(const QByteArray &id);
    [[nodiscard]] QByteArray installationId() const;

    // This kiosk's Ed25519 device key: made on the kiosk at enrolment and
    // kept only here (encrypted); its public half goes to the server with
    // the installation id, which registers it at the first claim and never
    // replaces it (docs/api.md, "Kiosks"). It signs the export file.
    // Empty for a kiosk enrolled before device keys.
    Status<StoreError> setDeviceKey(const SigningKey &key);
    [[nodiscard]] std::optional<SigningKey> deviceKey() const;

    // Replaces the roster, sessions, keys and revocations with the package's.
    // A package older than the one held (PackageVersion::isOlderThan) is
    // refused (StoreError::Code::Refused) and the held one stays.
    Status<StoreError> provision(const SessionPackage &package);
    [[nodiscard]] const SessionPackage &package() const { return m_package; }
    // Candidates' photos (docs/photos.md): provision() keeps the photos its
    // package carries and drops those its roster no longer names; these add
    // the ones fetched later (each checked against its hash, and only if the
    // roster names it) and read one back. The package's `photos` stays
    // empty in memory: a photo is read from the store when shown.
    Status<StoreError> addPhotos(const QHash<QString, QByteArray> &photos);
    [[nodiscard]] QStringList missingPhotos() const; // named by the roster, not held
    [[nodiscard]] QByteArray photo(const QString &sha256) const; // empty: not held

    // Proctor PIN (scrypt-free: PBKDF2 from keyfile.h's OpenSSL, 200,000 rounds).
    Status<StoreError> setProctorPin(const QString &pin);
    [[nodiscard]] bool hasProctorPin() const;
    // Checks the PIN; counts failures; after 5 the PIN is locked for 5 minutes.
    // An error when the attempt cannot be counted or the PIN cannot be
    // computed: never Ok or Wrong without the count written.
    enum class PinCheck : std::uint8_t { Ok, Wrong, Locked };
    Result<PinCheck, StoreError> checkProctorPin(const QString &pin, const QDateTime &now);
    [[nodiscard]] QDateTime pinLockedUntil() const;

    // Named proctors (the package's proctors): a proctor's PIN hash — the
    // package's when it has one, else the one set at this kiosk — empty
    // when none is set yet.
    [[nodiscard]] QByteArray proctorPinHash(const QString &staffNumber) const;
    // Checks a named proctor's PIN, counted and locked as the shared one,
    // per proctor. Refused when the proctor has no PIN yet.
    Result<PinCheck, StoreError> checkNamedProctorPin(const QString &staffNumber, const QString &pin,
                                                      const QDateTime &now);
    [[nodiscard]] QDateTime proctorPinLockedUntil(const QString &staffNumber) const;
    // A proctor with no PIN sets one on first use (core/pinhash.h's rule):
    // its hash is kept here and a proctor_pin event carrying the hash goes
    // to the outbox, in one transaction (Refused when a PIN is set).
    Result<KioskEvent, StoreError> setProctorPinAtFirstUse(const QString &staffNumber, Id sessionId, const QString &pin,
                                                           const QDateTime &now);

    // Appends an event (its event id is assigned here, 1, 2, …) with its
    // outbox entry in one transaction, with alsoInTransaction's writes when
    // given; returns it as stored. A sign_off closes its session, a reopen
    // opens it again (isSessionClosed, signOff).
    Result<KioskEvent, StoreError> appendEvent(KioskEvent event,
                                               const std::function<Status<StoreError>()> &alsoInTransaction = {});
    [[nodiscard]] const std::vector<KioskEvent> &events() const { return m_events; }

    // Outbox: events not yet acknowledged by the server.
    [[nodiscard]] int outboxSize() const;
    QList<KioskEvent> outboxBatch(int limit) const;
    Status<StoreError> acknowledge(const QList<qint64> &eventIds);

    // Revocation by the server: the unsent events are written to a file
    // the office can import, signed with the device key
    // (`kaodian-kiosk-events/2`, docs/api.md; unsigned `/1` when the kiosk
    // has none) and readable by this user only (mode 0600 from its first
    // byte, then renamed into place); only once that file is safely on disk
    // is the roster — the personal data — erased.
    // The event log stays (it holds registration ids, no names).
    Status<StoreError> exportOutbox(const QString &path) const;
    Status<StoreError> eraseRoster();
    [[nodiscard]] bool isRevoked() const;
    Status<StoreError> markRevoked(const QString &reason, const QDateTime &at);

    // Session close and sign-off: the last sign_off or reopen event of the
    // session says (and a sign-off made before they were events).
    [[nodiscard]] bool isSessionClosed(Id sessionId) const;
    // Read back from the store at open, so a restart shows the same sign-off.
    [[nodiscard]] std::optional<SessionSignOff> signOff(Id sessionId) const;

    // Re-wraps the store's key under a new site passphrase, which must meet
    // passphraserule.h (Refused otherwise). The current passphrase is
    // checked with the same wait between wrong attempts as open().
    Status<StoreError> changePassphrase(const QString &current, const QString &next, const QDateTime &now,
                                        int kdfIterations = kDefaultKdfIterations);

    Database &database() { return m_db; }

private:
    KioskStore(Database db, KioskPaths paths);
    Status<StoreError> load();
    Status<StoreError> insertPhotos(const QHash<QString, QByteArray> &photos);
    void noteRoomEvent(const KioskEvent &event);
    Result<PinCheck, StoreError> checkPinWithCount(const QByteArray &hash, const QString &failuresKey,
                                                   const QString &lockedKey, const QString &pin, const QDateTime &now);

    Database m_db;
    KioskPaths m_paths;
    KioskIdentity m_identity;
    SessionPackage m_package;
    std::vector<KioskEvent> m_events;
    QSet<Id> m_closedSessions;
    QHash<Id, SessionSignOff> m_signOffs;
    QHash<QString, QByteArray> m_localPins; // staff number -> PIN hash set here at first use
};

} // namespace kaodian::kiosk
