#include "import/ziparchive.h"

#include <QStringDecoder>

#include <unzip.h>

#include <algorithm>
#include <cstring>
#include <type_traits>

namespace kaodian::server {

namespace {

using ZipMemoryFile = ZipArchive::MemoryFile;
static_assert(std::is_same_v<ZPOS64_T, unsigned long long>);

// minizip reads the archive through these callbacks straight from memory.

voidpf ZCALLBACK memoryOpen(voidpf opaque, const void * /*name*/, int mode)
{
    if ((mode & ZLIB_FILEFUNC_MODE_WRITE) != 0)
        return nullptr;
    auto *file = static_cast<ZipMemoryFile *>(opaque);
    file->pos = 0;
    return file;
}

uLong ZCALLBACK memoryRead(voidpf /*opaque*/, voidpf stream, void *buf, uLong size)
{
    auto *file = static_cast<ZipMemoryFile *>(stream);
    const auto total = static_cast<ZPOS64_T>(file->data.size());
    const ZPOS64_T n = std::min<ZPOS64_T>(size, total - std::min(file->pos, total));
    if (n > 0)
        std::memcpy(buf, file->data.data() + file->pos, static_cast<std::size_t>(n));
    file->pos += n;
    return static_cast<uLong>(n);
}

uLong ZCALLBACK memoryWrite(voidpf, voidpf, const void *, uLong)
{
    return 0;
}

ZPOS64_T ZCALLBACK memoryTell(voidpf /*opaque*/, voidpf stream)
{
    return static_cast<ZipMemoryFile *>(stream)->pos;
}

long ZCALLBACK memorySeek(voidpf /*opaque*/, voidpf stream, ZPOS64_T offset, int origin)
{
    auto *file = static_cast<ZipMemoryFile *>(stream);
    const auto total = static_cast<ZPOS64_T>(file->data.size());
    ZPOS64_T base = 0;
    switch (origin) {
    case ZLIB_FILEFUNC_SEEK_SET:
        base = 0;
        break;
    case ZLIB_FILEFUNC_SEEK_CUR:
        base = file->pos;
        break;
    case ZLIB_FILEFUNC_SEEK_END:
        base = total;
        break;
    default:
        return -1;
    }
    if (offset > total || base > total - offset)
        return -1;
    file->pos = base + offset;
    return 0;
}

int ZCALLBACK memoryClose(voidpf, voidpf)
{
    return 0;
}

int ZCALLBACK memoryError(voidpf, voidpf)
{
    return 0;
}

} // namespace

ZipArchive::ZipArchive(QByteArrayView data) : m_file {data, 0}, m_zip {nullptr, &unzClose}
{
    zlib_filefunc64_def funcs {};
    funcs.zopen64_file = memoryOpen;
    funcs.zread_file = memoryRead;
    funcs.zwrite_file = memoryWrite;
    funcs.ztell64_file = memoryTell;
    funcs.zseek64_file = memorySeek;
    funcs.zclose_file = memoryClose;
    funcs.zerror_file = memoryError;
    funcs.opaque = &m_file;
    m_zip.reset(unzOpen2_64("memory", &funcs));
}

ZipArchive::~ZipArchive() = default;

bool ZipArchive::contains(const QString &name) const
{
    return unzLocateFile(m_zip.get(), name.toUtf8().constData(), 2) == UNZ_OK;
}

std::optional<QList<ZipArchive::Entry>> ZipArchive::entries() const
{
    QList<Entry> out;
    unzFile zip = m_zip.get();
    if (zip == nullptr)
        return std::nullopt;
    int status = unzGoToFirstFile(zip);
    while (status == UNZ_OK) {
        unz_file_info64 info {};
        char name[1024];
        if (unzGetCurrentFileInfo64(zip, &info, name, sizeof name, nullptr, 0, nullptr, 0) != UNZ_OK)
            return std::nullopt;
        // Bit 11: the name is UTF-8; else it is in the archiver's code page
        // (GBK from the Windows "send to compressed folder" in China).
        const QByteArray raw(name, qsizetype(std::min<uLong>(info.size_filename, sizeof name - 1)));
        Entry e;
        e.name = QString::fromUtf8(raw);
        if ((info.flag & (1U << 11)) == 0) {
            // Not marked UTF-8: valid UTF-8 reads as such (macOS, 7-Zip),
            // anything else is taken as GB18030.
            if (e.name.toUtf8() != raw) {
                QStringDecoder gb18030("GB18030");
                if (gb18030.isValid())
                    e.name = gb18030.decode(raw);
            }
        }
        e.uncompressedSize = qint64(info.uncompressed_size);
        e.isDirectory = e.name.endsWith(QLatin1Char('/'));
        out.push_back(e);
        status = unzGoToNextFile(zip);
    }
    if (status != UNZ_END_OF_LIST_OF_FILE)
        return std::nullopt;
    return out;
}

QByteArray ZipArchive::read(const QString &name, ReadError *error, qint64 maxBytes) const
{
    *error = ReadError::None;
    unzFile zip = m_zip.get();
    if (zip == nullptr || unzLocateFile(zip, name.toUtf8().constData(), 2) != UNZ_OK) {
        *error = ReadError::Missing;
        return {};
    }
    unz_file_info64 info {};
    if (unzGetCurrentFileInfo64(zip, &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK
        || (info.flag & 1U) != 0) { // bit 0: encrypted
        *error = ReadError::Damaged;
        return {};
    }
    if (info.uncompressed_size > static_cast<ZPOS64_T>(maxBytes)) {
        *error = ReadError::TooLarge;
        return {};
    }
    if (unzOpenCurrentFile(zip) != UNZ_OK) {
        *error = ReadError::Damaged;
        return {};
    }
    QByteArray out;
    out.reserve(static_cast<qsizetype>(info.uncompressed_size));
    char buffer[64 * 1024];
    for (;;) {
        const int n = unzReadCurrentFile(zip, buffer, sizeof buffer);
        if (n < 0) {
            *error = ReadError::Damaged;
            break;
        }
        if (n == 0)
            break;
        // The size in the header may lie; the cap holds regardless.
        if (out.size() + n > maxBytes) {
            *error = ReadError::TooLarge;
            break;
        }
        out.append(buffer, n);
    }
    // Closing checks the CRC once the entry was read whole.
    const int closed = unzCloseCurrentFile(zip);
    if (*error == ReadError::None && closed != UNZ_OK)
        *error = ReadError::Damaged;
    return *error == ReadError::None ? out : QByteArray();
}

} // namespace kaodian::server
