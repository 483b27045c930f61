#pragma once

// A ZIP archive read from memory through minizip: the Excel workbook reader
// (xlsxreader.h) and the photo import (office/photos.h) both unpack with it.
// Every entry read is capped (the size its header claims may lie); an
// encrypted entry reads as damaged. Nothing touches the disk.
//
// Ownership and threads: a ZipArchive reads the bytes it was given (they
// must outlive it) and is used by one thread; minizip keeps a pointer to its
// memory file, so it is neither copied nor moved.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <cstdint>
#include <memory>
#include <optional>

namespace kaodian::server {

class ZipArchive
{
public:
    enum class ReadError : std::uint8_t { None, Missing, TooLarge, Damaged };

    // One entry as the central directory lists it.
    struct Entry
    {
        QString name;          // the path inside the archive ('/' separated)
        qint64 uncompressedSize = 0;
        bool isDirectory = false;
    };

    explicit ZipArchive(QByteArrayView data);
    ~ZipArchive();
    ZipArchive(const ZipArchive &) = delete;
    ZipArchive &operator=(const ZipArchive &) = delete;

    [[nodiscard]] bool isOpen() const { return m_zip != nullptr; }
    // Names compare without case (OPC says so for workbooks).
    [[nodiscard]] bool contains(const QString &name) const;
    // Every entry in the order of the central directory; nullopt when the
    // directory cannot be read (a damaged archive).
    [[nodiscard]] std::optional<QList<Entry>> entries() const;
    // The unpacked bytes of one entry, at most maxBytes.
    QByteArray read(const QString &name, ReadError *error, qint64 maxBytes) const;

    // The bytes minizip reads through its callbacks (an implementation detail).
    struct MemoryFile
    {
        QByteArrayView data;
        unsigned long long pos = 0; // minizip's ZPOS64_T
    };

private:
    MemoryFile m_file;
    std::unique_ptr<void, int (*)(void *)> m_zip;
};

} // namespace kaodian::server
