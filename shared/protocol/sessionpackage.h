#pragma once

// The session package a kiosk is provisioned with: the roster of its site,
// room and day (no more of a candidate than the door needs: name, masked ID
// number, ticket number, room, seat), its sessions, the ticket public keys
// and the revocations — signed by the server's ticket key (Ed25519) so a
// kiosk can trust a file carried on a USB stick. Format: docs/session-package.md.
// Thread-safety: plain values and pure functions; safe from any thread.

#include "core/domain.h"
#include "core/ed25519.h"
#include "core/result.h"
#include "protocol/checkinconflict.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QList>
#include <QString>

namespace kaodian::protocol {

// A candidate as the kiosk knows them.
struct RosterCandidate
{
    Id registrationId = 0;
    Id sessionId = 0;
    QString ticketNumber;
    QString name;
    QString maskedIdNumber; // 3501**********1234: the full number never reaches a kiosk
    QString room;
    QString seat;
    int ticketSerial = 1;
    // Excused in advance by the office (请假): the reason; empty when not.
    // "excused_reason" in the body, absent when empty.
    QString excusedReason;
    // The SHA-256 (lower-case hex) of the candidate's photo, a JPEG
    // (docs/photos.md); "photo" in the body, absent when they have none.
    QString photoSha256;
};

// A session held in the kiosk's room.
struct PackageSession
{
    Id id = 0;
    QString title; // e.g. "Web前端开发（中级）"
    QString site;
    QDate examDate;
    QTime startTime;
    QTime endTime;
    std::optional<int> publishedCount;
    int checkInOpensMinutes = 60;
    int lateAfterMinutes = 15;
    // The whole session, across every room of the site (the package may
    // carry one room's roster only): how many are registered and in how
    // many rooms. Absent in packages made before they were added.
    std::optional<int> registeredCount;
    std::optional<int> roomCount;
};

// A ticket serial replaced by a re-issue, or withdrawn with its
// registration (退考: "withdrawn": true in the body; replacedAt is then when).
struct Revocation
{
    QString ticketNumber;
    int serial = 0;
    QDateTime replacedAt;
    bool withdrawn = false;
};

// A proctor the office assigned to a session's room (named proctors): what
// the kiosk needs to list them and check their PIN — never their phone.
// pinHash is core/pinhash.h's slow hash, empty until a PIN is set (by the
// office, or at a kiosk on first use and synced up). "proctors" in the body,
// absent when there are none.
struct PackageProctor
{
    Id sessionId = 0;
    QString room;
    QString staffNumber; // 工号
    QString name;
    QByteArray pinHash;
    friend bool operator==(const PackageProctor &, const PackageProctor &) = default;
};

// Where a package stands among the packages of its server, so that a kiosk
// never goes back to an older one (a copy made before a ticket was
// re-issued would bring its revoked serial back). Ordered by the exam day
// the package was made for, then by the number the server gave it
// (server/store/packageversions.h): a number that grows whenever a
// package's content changes, never with the server's clock alone, so a
// clock set back cannot make a new package look old nor an old one new.
// The day comes first so that a package made days ahead for a later day
// (a USB stick prepared on Monday for Wednesday) still follows one made
// later for an earlier day. A package made before versions existed has
// none (number 0) and is older than every package that has one.
struct PackageVersion
{
    QDate day;
    qint64 number = 0;

    [[nodiscard]] bool isSet() const { return number > 0 && day.isValid(); }
    // Would a kiosk holding `held` go backwards by taking this one? An
    // equal version is the same package delivered again, not older.
    [[nodiscard]] bool isOlderThan(const PackageVersion &held) const
    {
        if (!held.isSet())
            return false;
        if (!isSet())
            return true;
        if (day != held.day)
            return day < held.day;
        return number < held.number;
    }
    friend bool operator==(const PackageVersion &, const PackageVersion &) = default;
};

struct SessionPackage
{
    int format = 1;
    QDateTime generatedAt;
    PackageVersion version; // "day" and "version" in the body; unset in packages made before them
    QString site;
    QString room; // empty: every room of the site
    QList<PackageSession> sessions;
    QList<RosterCandidate> roster;
    QList<QByteArray> ticketKeys; // raw 32-byte Ed25519 public keys
    QList<Revocation> revocations;
    QList<CheckInConflict> conflicts; // optional in the body: absent in older packages
    QList<PackageProctor> proctors;   // optional in the body: absent when none are assigned
    // The photos the file carries, JPEG bytes by SHA-256 (hex). Outside the
    // signed body: the body names each candidate's photo by its hash, and a
    // photo is taken only when its bytes have that hash, so the signature
    // covers them all the same. A file may carry fewer photos than the
    // roster names (the kiosk already holds the others, or fetches them:
    // POST /api/v1/kiosk/photos); none that the roster does not name.
    QHash<QString, QByteArray> photos;
};

// The photos a roster names (each once), in roster order.
QStringList rosterPhotoHashes(const QList<RosterCandidate> &roster);
// Is jpeg the photo named sha256 (hex)?
bool photoMatches(const QString &sha256, const QByteArray &jpeg);

// Serialises and signs (JSON body + detached signature, see the doc).
// *contentTag, when given, receives sessionPackageContentTag(package).
QByteArray encodeSessionPackage(const SessionPackage &package, const SigningKey &key, QByteArray *contentTag = nullptr);
// A tag of the body without its generation time and version number: the
// same day, sessions, roster, keys, revocations and conflicts give the same
// tag (the server's ETag for the package, and how it knows that a
// package's content changed and needs a new version number).
QByteArray sessionPackageContentTag(const SessionPackage &package);
// Checks the signature against trustedKey and parses; a message on failure.
Result<SessionPackage, QString> decodeSessionPackage(const QByteArray &bytes, const VerifyKey &trustedKey);
// The key a package claims to be signed with (to show its fingerprint
// before trusting it); empty when the file is not a package.
std::optional<VerifyKey> packageSigner(const QByteArray &bytes);

} // namespace kaodian::protocol
