#include "kiosk/core/eventjson.h"

namespace kaodian::kiosk {

QJsonObject eventToJson(const KioskEvent &e, const QString &ownKioskId)
{
    QJsonObject o{{"event_id", e.eventId},
                  {"kind", eventKindKey(e.kind)},
                  {"session_id", e.sessionId},
                  {"registration_id", e.registrationId},
                  {"device_time", e.deviceTime.toUTC().toString(Qt::ISODateWithMs)},
                  {"late", e.late},
                  {"method", e.method == CheckInMethod::Manual ? "manual" : "scan"},
                  {"reason", e.reason}};
    if (e.kind == EventKind::Annul) {
        o.insert("target_kiosk_id", e.targetKioskId.isEmpty() ? ownKioskId : e.targetKioskId);
        o.insert("target_event_id", e.targetEventId);
    }
    if (e.incident)
        o.insert("incident", static_cast<int>(*e.incident));
    if (e.outcome)
        o.insert("outcome", *e.outcome == Outcome::Pass ? "pass" : "fail");
    if (e.score)
        o.insert("score", *e.score);
    return o;
}

} // namespace kaodian::kiosk
