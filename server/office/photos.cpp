#include "office/photos.h"

#include "import/ziparchive.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QLoggingCategory>
#include <QPainter>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#include <memory>

namespace kaodian::server::office {

Q_LOGGING_CATEGORY(lcPhotos, "kaodian.office.photos")

namespace {

constexpr int kNonceBytes = 12;
constexpr int kTagBytes = 16;

// The photo key: HKDF-SHA256 over the ticket key's seed, its own label.
QByteArray photoKey(const SigningKey &ticketKey)
{
    std::unique_ptr<EVP_KDF, decltype(&EVP_KDF_free)> kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr), &EVP_KDF_free);
    if (!kdf)
        return {};
    std::unique_ptr<EVP_KDF_CTX, decltype(&EVP_KDF_CTX_free)> ctx(EVP_KDF_CTX_new(kdf.get()), &EVP_KDF_CTX_free);
    if (!ctx)
        return {};
    QByteArray seed = ticketKey.rawSeed();
    QByteArray info("kaodian candidate photo seal v1");
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, seed.data(), size_t(seed.size())),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info.data(), size_t(info.size())),
        OSSL_PARAM_construct_end(),
    };
    QByteArray key(32, '\0');
    const bool ok = EVP_KDF_derive(ctx.get(), reinterpret_cast<unsigned char *>(key.data()), size_t(key.size()), params) == 1;
    OPENSSL_cleanse(seed.data(), size_t(seed.size()));
    return ok ? key : QByteArray();
}

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

// The ZIP's entries a photo import looks at: files, not folders, nor the
// resource forks and hidden files macOS and Windows add.
bool isPhotoEntry(const ZipArchive::Entry &e)
{
    if (e.isDirectory || e.name.startsWith(QLatin1String("__MACOSX/")))
        return false;
    const QString base = e.name.section(QLatin1Char('/'), -1);
    return !base.isEmpty() && !base.startsWith(QLatin1Char('.')) && base.compare(QLatin1String("Thumbs.db"), Qt::CaseInsensitive) != 0;
}

// "photos/3501…1234.JPG" -> "3501…1234" (upper-cased: an X ends some ID numbers).
QString candidateNameOf(const QString &entry)
{
    const QString base = entry.section(QLatin1Char('/'), -1);
    const qsizetype dot = base.lastIndexOf(QLatin1Char('.'));
    return (dot > 0 ? base.left(dot) : base).trimmed().toUpper();
}

} // namespace

QByteArray normalizePhoto(const QByteArray &bytes, PhotoProblem *problem, QSize *sourceSize)
{
    *problem = PhotoProblem::None;
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    // The format from the content only: a .jpg that is a PNG reads as PNG,
    // a text file named .jpg is no image.
    const QByteArray format = QImageReader::imageFormat(&buffer);
    if (format != "jpeg" && format != "png") {
        *problem = PhotoProblem::NotAnImage;
        return {};
    }
    buffer.seek(0);
    QImageReader reader(&buffer, format);
    reader.setAutoTransform(true); // a phone's portrait photo is stored landscape with an EXIF turn
    QImage image = reader.read();
    if (image.isNull()) {
        *problem = PhotoProblem::NotAnImage;
        return {};
    }
    if (sourceSize)
        *sourceSize = image.size();
    if (image.width() < kPhotoMinSourceWidth || image.height() < kPhotoMinSourceHeight) {
        *problem = PhotoProblem::TooSmall;
        return {};
    }
    // Cropped to 3:4 around the centre, then scaled; transparency on white.
    QRect crop = image.rect();
    if (qint64(image.width()) * kPhotoHeight > qint64(image.height()) * kPhotoWidth) {
        const int w = int(qint64(image.height()) * kPhotoWidth / kPhotoHeight);
        crop = QRect((image.width() - w) / 2, 0, w, image.height());
    } else {
        const int h = int(qint64(image.width()) * kPhotoHeight / kPhotoWidth);
        crop = QRect(0, (image.height() - h) / 2, image.width(), h);
    }
    QImage flat(kPhotoWidth, kPhotoHeight, QImage::Format_RGB32);
    flat.fill(Qt::white);
    {
        const QImage scaled = image.copy(crop).scaled(kPhotoWidth, kPhotoHeight, Qt::IgnoreAspectRatio,
                                                      Qt::SmoothTransformation);
        QPainter painter(&flat);
        painter.drawImage(0, 0, scaled);
    }
    QByteArray jpeg;
    for (int quality = kPhotoQuality; quality >= 30; quality -= 10) {
        jpeg.clear();
        QBuffer out(&jpeg);
        out.open(QIODevice::WriteOnly);
        if (!flat.save(&out, "JPEG", quality)) {
            *problem = PhotoProblem::NotAnImage;
            return {};
        }
        if (jpeg.size() <= kPhotoMaxBytes)
            break;
    }
    return jpeg;
}

QString photoSha256(const QByteArray &jpeg)
{
    return QString::fromLatin1(QCryptographicHash::hash(jpeg, QCryptographicHash::Sha256).toHex());
}

QString sealPhoto(const QByteArray &jpeg, const SigningKey &ticketKey)
{
    const QByteArray key = photoKey(ticketKey);
    QByteArray nonce(kNonceBytes, '\0');
    if (key.isEmpty() || RAND_bytes(reinterpret_cast<unsigned char *>(nonce.data()), kNonceBytes) != 1)
        return {};
    CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    QByteArray out = nonce;
    out.resize(kNonceBytes + jpeg.size() + kTagBytes);
    auto *ct = reinterpret_cast<unsigned char *>(out.data()) + kNonceBytes;
    int n = 0;
    int tail = 0;
    if (!ctx
        || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, reinterpret_cast<const unsigned char *>(key.constData()),
                              reinterpret_cast<const unsigned char *>(nonce.constData()))
               != 1
        || EVP_EncryptUpdate(ctx.get(), ct, &n, reinterpret_cast<const unsigned char *>(jpeg.constData()), int(jpeg.size())) != 1
        || EVP_EncryptFinal_ex(ctx.get(), ct + n, &tail) != 1
        || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, ct + n + tail) != 1)
        return {};
    return QString::fromLatin1(out.toBase64());
}

std::optional<QByteArray> openPhoto(const QString &sealed, const SigningKey &ticketKey)
{
    const QByteArray raw = QByteArray::fromBase64(sealed.toLatin1());
    const QByteArray key = photoKey(ticketKey);
    if (key.isEmpty() || raw.size() < kNonceBytes + kTagBytes)
        return std::nullopt;
    const qsizetype length = raw.size() - kNonceBytes - kTagBytes;
    const auto *bytes = reinterpret_cast<const unsigned char *>(raw.constData());
    QByteArray plain(length, '\0');
    CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    int n = 0;
    int tail = 0;
    QByteArray tag = raw.right(kTagBytes);
    if (!ctx
        || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, reinterpret_cast<const unsigned char *>(key.constData()),
                              bytes)
               != 1
        || EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char *>(plain.data()), &n, bytes + kNonceBytes,
                             int(length))
               != 1
        || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) != 1
        || EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char *>(plain.data()) + n, &tail) != 1)
        return std::nullopt;
    return plain;
}

OfficeResult<PhotoImportSummary> importPhotos(ServerStore &store, const SigningKey &ticketKey, const QByteArray &zip,
                                              const QString &fileName, const QString &actor)
{
    ProblemCollector problems;
    const ZipArchive archive(zip);
    std::optional<QList<ZipArchive::Entry>> entries;
    if (archive.isOpen())
        entries = archive.entries();
    if (!entries) {
        problems.addForFile(QStringLiteral("不是可读的 ZIP 压缩包（已损坏，或不是 ZIP）。请把照片重新压缩为 .zip 后导入。"));
    } else {
        entries->removeIf([](const ZipArchive::Entry &e) { return !isPhotoEntry(e); });
        if (entries->isEmpty())
            problems.addForFile(QStringLiteral("压缩包里没有照片。"));
    }
    // The names first, all at once; then each file by content.
    QStringList names;
    if (entries)
        for (const auto &e : *entries)
            names.push_back(candidateNameOf(e.name));
    QHash<QString, Id> candidates;
    if (!names.isEmpty()) {
        auto found = store.photos().candidatesByName(names);
        if (!found)
            return OfficeError::fromStore(found.error());
        candidates = *found;
    }
    QList<PhotoToStore> photos;
    QHash<Id, QString> fileOfCandidate;
    for (qsizetype i = 0; entries && i < entries->size(); ++i) {
        const QString &entry = (*entries)[i].name;
        const auto candidate = candidates.find(names[i]);
        if (candidate == candidates.end()) {
            problems.add(0, entry, QStringLiteral("文件名「%1」不是任何考生的身份证号或准考证号").arg(names[i]));
            continue;
        }
        if (const auto other = fileOfCandidate.constFind(*candidate); other != fileOfCandidate.cend()) {
            problems.add(0, entry, QStringLiteral("与「%1」是同一考生的照片：每位考生只留一张").arg(*other));
            continue;
        }
        fileOfCandidate.insert(*candidate, entry);
        ZipArchive::ReadError error = ZipArchive::ReadError::None;
        const QByteArray bytes = archive.read(entry, &error, kPhotoMaxEntryBytes);
        if (error == ZipArchive::ReadError::TooLarge) {
            problems.add(0, entry, QStringLiteral("文件大于 %1 MB").arg(kPhotoMaxEntryBytes >> 20));
            continue;
        }
        if (error != ZipArchive::ReadError::None) {
            problems.add(0, entry, QStringLiteral("压缩包里的这个文件已损坏，无法解压"));
            continue;
        }
        PhotoProblem problem = PhotoProblem::None;
        QSize size;
        const QByteArray jpeg = normalizePhoto(bytes, &problem, &size);
        if (problem == PhotoProblem::NotAnImage) {
            problems.add(0, entry, QStringLiteral("不是 JPEG 或 PNG 图片（按文件内容判断，与扩展名无关）"));
            continue;
        }
        if (problem == PhotoProblem::TooSmall) {
            problems.add(0, entry, QStringLiteral("照片太小（%1×%2 像素），至少 %3×%4 像素")
                                       .arg(size.width())
                                       .arg(size.height())
                                       .arg(kPhotoMinSourceWidth)
                                       .arg(kPhotoMinSourceHeight));
            continue;
        }
        const QString sealed = sealPhoto(jpeg, ticketKey);
        if (sealed.isEmpty())
            return OfficeError::failed(QStringLiteral("seal_failed"), QStringLiteral("照片加密失败"));
        photos.push_back({*candidate, photoSha256(jpeg), sealed});
    }
    if (problems.isEmpty()) {
        auto applied = store.photos().apply(photos, fileName, actor);
        if (!applied)
            return OfficeError::fromStore(applied.error());
        return PhotoImportSummary{int(photos.size()), *applied};
    }
    const QList<ImportProblem> report = problems.report();
    if (auto s = store.audit().append(actor, QStringLiteral("photos.refused"),
                                      QStringLiteral("%1：%2 处问题").arg(fileName).arg(problems.total()));
        !s)
        return OfficeError::fromStore(s.error());
    return OfficeError{OfficeError::Kind::Refused, QStringLiteral("invalid_file"),
                       QStringLiteral("照片包有 %1 处问题，未导入任何照片").arg(problems.total()), report};
}

OfficeResult<QHash<Id, CandidatePhoto>> photosOf(ServerStore &store, const SigningKey &ticketKey,
                                                 const QList<Id> &registrationIds)
{
    auto stored = store.photos().ofRegistrations(registrationIds, true);
    if (!stored)
        return OfficeError::fromStore(stored.error());
    QHash<Id, CandidatePhoto> out;
    for (auto it = stored->cbegin(); it != stored->cend(); ++it) {
        auto jpeg = openPhoto(it->sealed, ticketKey);
        if (!jpeg) {
            qCWarning(lcPhotos) << "the photo of registration" << it.key() << "does not open with this ticket key";
            continue;
        }
        out.insert(it.key(), {it->sha256, *jpeg});
    }
    return out;
}

} // namespace kaodian::server::office
