#pragma once

// Kiosk events as the JSON of the upload API (docs/api.md) and of the
// export file a revoked kiosk writes. Thread-safe: pure functions.

#include "core/domain.h"

#include <QJsonObject>

namespace kaodian::kiosk {

// ownKioskId fills an Annul's target kiosk when the event names none.
QJsonObject eventToJson(const KioskEvent &event, const QString &ownKioskId);

} // namespace kaodian::kiosk
