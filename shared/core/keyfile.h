#pragma once

// The store's key file. The database is encrypted with a random 256-bit raw
// key; the key file keeps that key wrapped (AES-256-GCM) by a key derived
// from a passphrase with PBKDF2-HMAC-SHA256, so the passphrase can change
// without re-encrypting the data. A server, which starts unattended, may
// keep the raw key instead ("none" KDF) in a file of mode 0600.
// Thread-safe: free functions over files; callers serialise writes to one file.

#include "core/result.h"
#include "core/storeerror.h"

#include <QByteArray>
#include <QString>

#include <array>
#include <cstdint>

namespace kaodian {

inline constexpr int kMinKdfIterations = 200'000;
inline constexpr int kDefaultKdfIterations = 600'000;

// 32 secret bytes, wiped from memory when destroyed.
class SecretKey
{
public:
    SecretKey();
    ~SecretKey();
    SecretKey(const SecretKey &other);
    SecretKey &operator=(const SecretKey &other);

    static std::optional<SecretKey> random();
    static std::optional<SecretKey> fromBytes(QByteArrayView bytes);

    [[nodiscard]] const std::uint8_t *data() const { return m_bytes.data(); }
    [[nodiscard]] std::uint8_t *data() { return m_bytes.data(); }
    static constexpr std::size_t size() { return 32; }

private:
    std::array<std::uint8_t, 32> m_bytes{};
};

// The contents of a key file.
struct KeyFileContents
{
    QString kdf;          // "pbkdf2-hmac-sha256" or "none"
    int iterations = 0;
    QByteArray salt;      // 16 bytes
    QByteArray nonce;     // 12 bytes
    QByteArray wrapped;   // ciphertext + 16-byte tag, or the raw key for "none"
    QByteArray databaseSalt; // first 16 bytes of the database file, once it exists
    QByteArray keyCheck;     // "none": 16 bytes of HMAC-SHA256(key, "kaodian key check"), so a
                             // changed key is told from a damaged database (absent in older files)
};

// Writes a new key file holding key wrapped under passphrase (atomically, mode 0600).
Status<StoreError> writeWrappedKeyFile(const QString &path, const SecretKey &key,
                                       const QString &passphrase,
                                       int iterations = kDefaultKdfIterations,
                                       const QByteArray &databaseSalt = {});
// Writes a key file holding the raw key (for unattended servers), mode 0600.
Status<StoreError> writeRawKeyFile(const QString &path, const SecretKey &key,
                                   const QByteArray &databaseSalt = {});

Result<KeyFileContents, StoreError> readKeyFile(const QString &path);
// Unwraps the key; WrongPassphrase when the passphrase does not fit.
Result<SecretKey, StoreError> unwrapKey(const KeyFileContents &contents, const QString &passphrase);
// Records which database the key file belongs to (atomically).
Status<StoreError> bindKeyFileToDatabase(const QString &path, const QByteArray &databaseSalt);
// Re-wraps the same key under a new passphrase; the database is not touched.
Status<StoreError> changePassphrase(const QString &path, const QString &oldPassphrase,
                                    const QString &newPassphrase,
                                    int iterations = kDefaultKdfIterations);

} // namespace kaodian
