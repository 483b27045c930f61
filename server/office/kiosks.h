#pragma once

// Use cases on kiosks besides enrolment (enrolment.h) and their package
// (packagebuilder.h): a batch a kiosk uploads, the events file a revoked
// kiosk exported, and revocation.
//
// Thread-safety: as the ServerStore it is given (one thread at a time).

#include "office/officeerror.h"
#include "store/serverstore.h"

namespace kaodian::server::office {

// Forbidden (naming the first event) unless every event is for a
// registration of its session held at the kiosk's site.
Status<OfficeError> eventsAtSite(ServerStore &store, const KioskRecord &kiosk, const QList<KioskEvent> &events);

// A batch from a kiosk at its door: eventsAtSite, then stored once per
// (kiosk, event id).
OfficeResult<IngestOutcome> uploadEvents(ServerStore &store, const KioskRecord &kiosk, const QList<KioskEvent> &events,
                                         std::optional<qint64> waiting);

struct EventsFileImport
{
    QString kioskId;
    qsizetype events = 0;
    IngestOutcome outcome;
};

// A revoked kiosk's export file, as raw bytes: kaodian-kiosk-events/2,
// signed with the kiosk's device key (docs/api.md). expectedKioskId, when
// not empty, is the kiosk the office meant: a file of another kiosk is
// refused.
//
// The signature must verify against the key registered for the kiosk at its
// first claim — not against the key the file names. A kiosk with a
// registered key has every file checked, whatever unsignedReason says. A
// kiosk without one (enrolled before device keys, or whose first contact
// sent none) cannot have its file checked: it is refused unless the office
// gives unsignedReason, why it trusts the file (say, carried by hand from
// the kiosk), which is then audited with the import
// (kiosk.events_import_unsigned).
//
// Every refusal is audited with its reason (kiosk.events_import_refused);
// Refused with code "bad_request" for an unreadable file or the wrong
// kiosk, "bad_signature" for a file unsigned, signed by another key or
// changed after signing, "no_device_key" for a kiosk without a registered
// key and no reason given, "bad_event" for an event not at the kiosk's site.
// NotFound for a kiosk never enrolled.
OfficeResult<EventsFileImport> importEventsFile(ServerStore &store, const QByteArray &bytes, const QString &source,
                                                const QString &expectedKioskId, const QString &actor,
                                                const QString &unsignedReason = {});

// NotFound when no active kiosk has the id. Audited.
Status<OfficeError> revokeKiosk(ServerStore &store, const QString &kioskId, const QString &actor);

} // namespace kaodian::server::office
