#pragma once

// Candidates' photos (考生照片): the import of a ZIP of JPEG or PNG files
// named by 身份证号 or 准考证号, the photo's one format, and its sealing in
// the store (docs/photos.md).
//
// Every photo is normalised at import to kPhotoWidth x kPhotoHeight (3:4,
// cropped to the centre, EXIF orientation applied), JPEG at quality
// kPhotoQuality, lowered in steps while it is larger than kPhotoMaxBytes:
// a 60-seat room's photos stay under 3 MB in its session package whatever
// the camera made.
//
// Sealing: the JPEG is kept sealed with AES-256-GCM under a key derived
// (HKDF-SHA256) from the server's ticket-signing key, on both stores. The
// embedded store is SQLCipher already; on PostgreSQL, whose files and dumps
// the server does not encrypt, this is what keeps a face out of a dump or a
// replica: only a holder of the data folder's ticket key opens it.
//
// Thread-safety: the pure functions run on any thread; the use cases as the
// ServerStore they are given (one thread at a time).

#include "office/officeerror.h"
#include "store/serverstore.h"

#include "core/ed25519.h"

namespace kaodian::server::office {

inline constexpr int kPhotoWidth = 300;
inline constexpr int kPhotoHeight = 400;
inline constexpr int kPhotoQuality = 80;
inline constexpr qsizetype kPhotoMaxBytes = qsizetype(32) * 1024;
// A photo smaller than this (either side) is refused as too small.
inline constexpr int kPhotoMinSourceWidth = 150;
inline constexpr int kPhotoMinSourceHeight = 200;
// One file in the ZIP, unpacked, and the ZIP itself.
inline constexpr qsizetype kPhotoMaxEntryBytes = qsizetype(15) * 1024 * 1024;
inline constexpr qsizetype kPhotosMaxFileBytes = qsizetype(200) * 1024 * 1024;

// Why one file of a photo ZIP is refused.
enum class PhotoProblem : std::uint8_t { None, NotAnImage, TooSmall };

// The normalised JPEG of an image given as JPEG or PNG bytes (judged by the
// content, not a name); *problem says why when empty. *sourceSize, when
// given, receives the image's size as read.
QByteArray normalizePhoto(const QByteArray &bytes, PhotoProblem *problem, QSize *sourceSize = nullptr);

// SHA-256 of the plain JPEG, lower-case hex: how the package names a photo.
QString photoSha256(const QByteArray &jpeg);

// Seals and opens a photo for the store (base64 of nonce | ciphertext | tag).
QString sealPhoto(const QByteArray &jpeg, const SigningKey &ticketKey);
std::optional<QByteArray> openPhoto(const QString &sealed, const SigningKey &ticketKey);

struct PhotoImportSummary
{
    int photos = 0;
    PhotoApplySummary applied;
};

// The ZIP's photos, all or nothing: refused (Kind::Refused, code
// "invalid_file") with every problem, each file named in the problem's
// column (unknown name, not an image, too small, two photos of one
// candidate, a damaged archive, no photo at all). Audited either way.
OfficeResult<PhotoImportSummary> importPhotos(ServerStore &store, const SigningKey &ticketKey, const QByteArray &zip,
                                              const QString &fileName, const QString &actor);

// A registration's photo, opened.
struct CandidatePhoto
{
    QString sha256;
    QByteArray jpeg;
};
// The photos of these registrations' candidates (those that have one).
// A photo that does not open (sealed under another ticket key) is left out
// and logged: a ticket or sheet then prints "无照片", as for no photo.
OfficeResult<QHash<Id, CandidatePhoto>> photosOf(ServerStore &store, const SigningKey &ticketKey,
                                                 const QList<Id> &registrationIds);

} // namespace kaodian::server::office
