#pragma once

// Builds the signed session package of a site (and room) for a day, as the
// `package` command writes it and the API serves it to kiosks (docs/api.md).
// The format is shared/protocol's.
//
// Thread-safety: as the ServerStore it is given (one thread at a time).

#include "store/serverstore.h"

#include "core/ed25519.h"

namespace kaodian::server::office {

// The package carries its version (protocol::PackageVersion): the day and
// a number from the store that grows whenever the content changes, so a
// kiosk refuses an older package than the one it holds.
// *version, when given, receives a tag of the package's content (everything
// but its generation time and version number): the same roster, keys,
// revocations and conflicts give the same tag, so a kiosk that holds it
// need not download the package again (ETag / If-None-Match, 304).
// The roster names each candidate's photo by its SHA-256 either way;
// Included puts the photos in the file too (a file carried to the kiosk on a
// USB stick), NamesOnly leaves them out (the API's package: the kiosk asks
// for the photos it lacks, POST /api/v1/kiosk/photos, so a photo it holds
// is never sent again).
enum class PackagePhotos : std::uint8_t { NamesOnly, Included };

Result<QByteArray, StoreError> buildSessionPackage(ServerStore &store, Id siteId, const QString &siteName,
                                                   const QString &room, const QDate &date, const SigningKey &key,
                                                   QByteArray *version = nullptr,
                                                   PackagePhotos photos = PackagePhotos::NamesOnly);

// The photos among `wanted` (SHA-256 hex) of the candidates on the package
// of this site, room and day, JPEG by hash; others (not on that roster, or
// unknown) are left out: a kiosk gets only its own day's photos.
Result<QHash<QString, QByteArray>, StoreError> kioskPhotos(ServerStore &store, Id siteId, const QString &room,
                                                           const QDate &date, const SigningKey &key,
                                                           const QStringList &wanted);

} // namespace kaodian::server::office
