#pragma once

// Kiosk events as the JSON of the upload API (docs/api.md) and of the
// export file a revoked kiosk writes (`kaodian-kiosk-events/1`, signed with
// the kiosk's device key inside `kaodian-kiosk-events/2`; read back by the
// server's import).
//
// Thread-safety: pure functions; safe from any thread.

#include "core/domain.h"
#include "core/ed25519.h"
#include "core/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>

#include <optional>

namespace kaodian::protocol {

// ownKioskId fills an Annul's target kiosk when the event names none.
QJsonObject eventToJson(const KioskEvent &event, const QString &ownKioskId);

// The inverse, for the event of kioskId; on refusal empty, with why set to
// a message for the person (Chinese) naming the field.
std::optional<KioskEvent> eventFromJson(const QJsonObject &o, const QString &kioskId, QString *why);

// A revoked kiosk's export file.
inline constexpr char kKioskEventsFormat[] = "kaodian-kiosk-events/1";
struct KioskEventsFile
{
    QString kioskId;
    QDateTime exportedAt;
    QList<KioskEvent> events;
};
// Parses the whole file; any malformed event refuses it whole, naming it.
Result<KioskEventsFile, QString> parseKioskEventsFile(const QByteArray &bytes);
// The inverse: the file's bytes (kaodian-kiosk-events/1, unsigned).
QByteArray encodeKioskEventsFile(const KioskEventsFile &file);

// The signed export file (docs/api.md): the /1 file's bytes, exactly, with
// the Ed25519 signature of the kiosk's device key over them —
// {"format": "kaodian-kiosk-events/2", "body": base64, "signature": base64,
// "public_key": base64 of the raw key}.
inline constexpr char kSignedKioskEventsFormat[] = "kaodian-kiosk-events/2";
QByteArray signKioskEventsFile(const QByteArray &body, const SigningKey &deviceKey);

// An export file taken apart, nothing checked yet but its shape.
struct KioskEventsEnvelope
{
    QByteArray body;      // the /1 file's bytes: inside a /2 file, or a /1 file whole
    QByteArray signature; // 64 bytes; empty for a /1 file (unsigned)
    QByteArray publicKey; // the raw key a /2 file names as its signer (unchecked); empty for /1
    [[nodiscard]] bool isSigned() const { return !signature.isEmpty(); }
};
// A /2 file split into its parts, or a /1 file taken as unsigned; the
// caller verifies the signature against the key it trusts for the kiosk
// (never against publicKey alone) and parses the body.
Result<KioskEventsEnvelope, QString> openKioskEventsFile(const QByteArray &bytes);

} // namespace kaodian::protocol
