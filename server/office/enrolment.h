#pragma once

// Enrolling a kiosk: a new kiosk id and secret (only its hash is stored),
// and the enrolment code a proctor scans or types at the kiosk:
//   KDENROL1|<server URL>|<kiosk id>.<secret>|<TLS cert SHA-256>|<ticket key SHA-256>
// Used by `kaodian-server kiosk enrol` and by POST /api/v1/kiosks.
//
// Thread-safety: as the ServerStore it is given (one thread at a time).

#include "office/officeerror.h"
#include "store/serverstore.h"

#include <QImage>
#include <QString>

#include <optional>

namespace kaodian::server::office {

struct KioskEnrolmentRequest
{
    QString siteName;
    QString room;         // empty: the kiosk serves the whole site
    QString name;         // shown in the kiosk list
    QString serverUrl;    // as the kiosk reaches the server
    QString tlsCertificateSha256;
    QString ticketKeySha256;
};

struct KioskEnrolment
{
    KioskRecord kiosk;
    QString credential; // "<id>.<secret>", shown once
    QString code;       // the KDENROL1 text
};


// BadInput for a missing name or an unknown site or room. Audited.
OfficeResult<KioskEnrolment> enrolKiosk(ServerStore &store, const KioskEnrolmentRequest &request, const QString &actor);

// The enrolment code as a QR image, module size `scale` pixels.
QImage enrolmentQr(const QString &code, int scale = 6);

} // namespace kaodian::server::office
