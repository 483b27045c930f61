#pragma once

// How a kiosk speaks to the server, for the sync client and the first
// contact at enrolment alike: the request carries the kiosk's credential
// and this installation's id, and the reply is accepted only from the
// server whose certificate the enrolment code pins, whatever a CA or the
// host name say.
//
// Threads: the GUI thread (Qt Network); the functions keep no state.

#include "kiosk/sync/syncclient.h"

#include <QNetworkRequest>

#include <functional>

class QNetworkReply;

namespace kaodian::kiosk {

// The header that carries the installation id (docs/api.md, "Kiosks").
inline constexpr char kInstallationHeader[] = "X-Kaodian-Installation";
// The header that carries the public half of the kiosk's Ed25519 device key
// (base64 of the raw 32 bytes): the server registers it with the first
// installation claim, and checks the kiosk's export file against it.
inline constexpr char kDeviceKeyHeader[] = "X-Kaodian-Device-Key";

// A new random installation id: 32 bytes from the system's generator, hex.
QByteArray newInstallationId();

// A request for `path` (with its query) on the code's server: TLS 1.2 or
// later, the bearer credential, the installation id and the device key's
// public half (raw) when not empty, JSON.
QNetworkRequest kioskRequest(const EnrolmentCode &code, const QByteArray &installationId,
                             const QByteArray &devicePublicKey, const QString &path, int timeoutMs);

// Accepts the reply's TLS peer only if its certificate's SHA-256 (hex,
// lower case) is `certSha256`: a self-signed certificate that matches is
// taken, any other certificate ends the reply (a CA-signed one too). Calls
// onMismatch, at most once, when that happens.
void pinServerCertificate(QNetworkReply *reply, const QByteArray &certSha256, std::function<void()> onMismatch = {});

} // namespace kaodian::kiosk
