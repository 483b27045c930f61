#pragma once

// Builds the signed session package of a site (and room) for a day, as the
// `package` command writes it and GET /api/v1/kiosk/package serves it.

#include "store/serverstore.h"

#include "core/ed25519.h"

namespace kaodian::server {

Result<QByteArray, StoreError> buildSessionPackage(ServerStore &store, Id siteId, const QString &siteName,
                                                   const QString &room, const QDate &date, const SigningKey &key);

} // namespace kaodian::server
