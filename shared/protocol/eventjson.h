#pragma once

// Kiosk events as the JSON of the upload API (docs/api.md) and of the
// export file a revoked kiosk writes (`kaodian-kiosk-events/1`, read back
// by the server's import).
//
// Thread-safety: pure functions; safe from any thread.

#include "core/domain.h"
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

} // namespace kaodian::protocol
