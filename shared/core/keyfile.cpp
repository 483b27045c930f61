#include "core/keyfile.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <memory>

namespace kaodian {

namespace {

constexpr char kFormat[] = "kaodian-key/1";
constexpr char kPbkdf2[] = "pbkdf2-hmac-sha256";
constexpr char kNone[] = "none";
constexpr int kTagSize = 16;
constexpr char kKeyPlaceholder[] = "@@kaodian-key@@";

// Overwrites a buffer this code alone holds (never one shared with another
// QByteArray: the bytes are wiped in place, not detached first).
void wipe(QByteArray &bytes)
{
    if (!bytes.isEmpty())
        OPENSSL_cleanse(const_cast<char *>(bytes.constData()), static_cast<size_t>(bytes.size()));
    bytes.clear();
}

using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

StoreError error(StoreError::Code code, const QString &message, const QString &path)
{
    return StoreError{code, message, path};
}

QByteArray associatedData(const KeyFileContents &c)
{
    return QByteArray(kFormat) + '|' + c.kdf.toLatin1() + '|' + QByteArray::number(c.iterations);
}

bool deriveWrappingKey(const QString &passphrase, const KeyFileContents &c, SecretKey &out)
{
    const QByteArray pass = passphrase.toUtf8();
    const int rc = PKCS5_PBKDF2_HMAC(pass.constData(), static_cast<int>(pass.size()),
                                     reinterpret_cast<const unsigned char *>(c.salt.constData()),
                                     static_cast<int>(c.salt.size()), c.iterations, EVP_sha256(),
                                     static_cast<int>(SecretKey::size()), out.data());
    return rc == 1;
}

// What a raw key file keeps beside the key to tell a changed key from a damaged database.
QByteArray keyCheckOf(const SecretKey &key)
{
    static const QByteArray label = "kaodian key check";
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(SecretKey::size()),
              reinterpret_cast<const unsigned char *>(label.constData()), static_cast<size_t>(label.size()), mac, &length))
        return {};
    return QByteArray(reinterpret_cast<const char *>(mac), 16);
}

Status<StoreError> writeContents(const QString &path, const KeyFileContents &c)
{
    QJsonObject o{
        {QStringLiteral("format"), QString::fromLatin1(kFormat)},
        {QStringLiteral("kdf"), c.kdf},
        {QStringLiteral("iterations"), c.iterations},
        {QStringLiteral("salt"), QString::fromLatin1(c.salt.toBase64())},
        {QStringLiteral("nonce"), QString::fromLatin1(c.nonce.toBase64())},
        // The key's place: its text is put into the output bytes below, so
        // no Qt container that is freed without wiping ever holds it.
        {QStringLiteral("key"), QString::fromLatin1(kKeyPlaceholder)},
    };
    if (!c.databaseSalt.isEmpty())
        o.insert(QStringLiteral("database_salt"), QString::fromLatin1(c.databaseSalt.toHex()));
    if (!c.keyCheck.isEmpty())
        o.insert(QStringLiteral("key_check"), QString::fromLatin1(c.keyCheck.toHex()));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return error(StoreError::Code::Io,
                     QStringLiteral("无法写入密钥文件 %1：%2").arg(path, file.errorString()), path);
    if (!file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return error(StoreError::Code::Io,
                     QStringLiteral("无法设置密钥文件 %1 的权限：%2").arg(path, file.errorString()), path);
    QByteArray text = QJsonDocument(o).toJson(QJsonDocument::Indented);
    QByteArray key = c.wrapped.toBase64();
    const qsizetype at = text.indexOf(kKeyPlaceholder);
    text.replace(at, qsizetype(sizeof kKeyPlaceholder) - 1, key);
    const bool written = file.write(text) == text.size();
    wipe(text);
    wipe(key);
    if (!written || !file.commit())
        return error(StoreError::Code::Io,
                     QStringLiteral("无法写入密钥文件 %1：%2").arg(path, file.errorString()), path);
    return {};
}

std::optional<KeyFileContents> wrap(const SecretKey &key, const QString &passphrase, int iterations,
                                    const QByteArray &databaseSalt)
{
    KeyFileContents c;
    c.kdf = QString::fromLatin1(kPbkdf2);
    c.iterations = iterations;
    c.salt = QByteArray(16, '\0');
    c.nonce = QByteArray(12, '\0');
    c.databaseSalt = databaseSalt;
    if (RAND_bytes(reinterpret_cast<unsigned char *>(c.salt.data()), 16) != 1
        || RAND_bytes(reinterpret_cast<unsigned char *>(c.nonce.data()), 12) != 1)
        return std::nullopt;
    SecretKey kek;
    if (!deriveWrappingKey(passphrase, c, kek))
        return std::nullopt;

    CipherCtxPtr ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    const QByteArray aad = associatedData(c);
    QByteArray out(static_cast<qsizetype>(SecretKey::size()) + kTagSize, '\0');
    auto *o = reinterpret_cast<unsigned char *>(out.data());
    int len = 0;
    if (!ctx
        || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, kek.data(),
                              reinterpret_cast<const unsigned char *>(c.nonce.constData()))
               != 1
        || EVP_EncryptUpdate(ctx.get(), nullptr, &len,
                             reinterpret_cast<const unsigned char *>(aad.constData()),
                             static_cast<int>(aad.size()))
               != 1
        || EVP_EncryptUpdate(ctx.get(), o, &len, key.data(), static_cast<int>(SecretKey::size())) != 1
        || EVP_EncryptFinal_ex(ctx.get(), o + len, &len) != 1
        || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize, o + SecretKey::size()) != 1)
        return std::nullopt;
    c.wrapped = out;
    return c;
}

} // namespace

SecretKey::SecretKey() = default;
SecretKey::~SecretKey() { OPENSSL_cleanse(m_bytes.data(), m_bytes.size()); }
SecretKey::SecretKey(const SecretKey &other) = default;
SecretKey &SecretKey::operator=(const SecretKey &other) = default;

std::optional<SecretKey> SecretKey::random()
{
    SecretKey k;
    if (RAND_priv_bytes(k.data(), static_cast<int>(size())) != 1)
        return std::nullopt;
    return k;
}

std::optional<SecretKey> SecretKey::fromBytes(QByteArrayView bytes)
{
    if (static_cast<std::size_t>(bytes.size()) != size())
        return std::nullopt;
    SecretKey k;
    std::copy(bytes.begin(), bytes.end(), reinterpret_cast<char *>(k.data()));
    return k;
}

Status<StoreError> writeWrappedKeyFile(const QString &path, const SecretKey &key,
                                       const QString &passphrase, int iterations,
                                       const QByteArray &databaseSalt)
{
    if (iterations < kMinKdfIterations)
        return error(StoreError::Code::WeakKdf,
                     QStringLiteral("密钥派生迭代次数不得少于 %1").arg(kMinKdfIterations), path);
    if (passphrase.isEmpty())
        return error(StoreError::Code::WrongPassphrase, QStringLiteral("口令不能为空"), path);
    const auto c = wrap(key, passphrase, iterations, databaseSalt);
    if (!c)
        return error(StoreError::Code::Io, QStringLiteral("无法生成密钥文件（加密库错误）"), path);
    return writeContents(path, *c);
}

Status<StoreError> writeRawKeyFile(const QString &path, const SecretKey &key,
                                   const QByteArray &databaseSalt)
{
    KeyFileContents c;
    c.kdf = QString::fromLatin1(kNone);
    c.wrapped = QByteArray(reinterpret_cast<const char *>(key.data()),
                           static_cast<qsizetype>(SecretKey::size()));
    c.databaseSalt = databaseSalt;
    c.keyCheck = keyCheckOf(key);
    auto status = writeContents(path, c);
    OPENSSL_cleanse(c.wrapped.data(), static_cast<size_t>(c.wrapped.size()));
    return status;
}

Result<KeyFileContents, StoreError> readKeyFile(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return error(StoreError::Code::KeyFileMissing, QStringLiteral("找不到密钥文件 %1").arg(path), path);
    // Unbuffered: no copy of the bytes is left in QIODevice's buffer.
    if (!file.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        return error(StoreError::Code::Io,
                     QStringLiteral("无法读取密钥文件 %1：%2").arg(path, file.errorString()), path);
    QByteArray raw = file.read(64 * 1024);
    // The key's text is taken out of the file's bytes and blanked there
    // before the JSON is parsed, so no Qt container that is freed without
    // wiping holds it; the bytes are wiped when read.
    QByteArray keyText;
    if (const qsizetype field = raw.indexOf("\"key\""); field >= 0) {
        qsizetype i = field + 5;
        auto skipSpace = [&] {
            while (i < raw.size() && (raw[i] == ' ' || raw[i] == '\n' || raw[i] == '\r' || raw[i] == '\t'))
                ++i;
        };
        skipSpace();
        if (i < raw.size() && raw[i] == ':') {
            ++i;
            skipSpace();
            if (i < raw.size() && raw[i] == '"') {
                const qsizetype start = ++i;
                while (i < raw.size() && raw[i] != '"')
                    ++i;
                keyText = raw.mid(start, i - start);
                for (qsizetype j = start; j < i; ++j)
                    raw[j] = 'A';
            }
        }
    }
    QByteArray wrapped = QByteArray::fromBase64(keyText);
    wipe(keyText);
    QJsonParseError parseError{};
    const auto doc = QJsonDocument::fromJson(raw, &parseError);
    wipe(raw);
    const auto damaged = error(StoreError::Code::KeyFileDamaged,
                               QStringLiteral("密钥文件 %1 已损坏或不是考点密钥文件").arg(path), path);
    if (!doc.isObject())
        return damaged;
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("format")).toString() != QLatin1String(kFormat))
        return damaged;
    KeyFileContents c;
    c.kdf = o.value(QStringLiteral("kdf")).toString();
    c.iterations = o.value(QStringLiteral("iterations")).toInt();
    c.salt = QByteArray::fromBase64(o.value(QStringLiteral("salt")).toString().toLatin1());
    c.nonce = QByteArray::fromBase64(o.value(QStringLiteral("nonce")).toString().toLatin1());
    c.wrapped = QByteArray(wrapped.constData(), wrapped.size());
    wipe(wrapped);
    c.databaseSalt = QByteArray::fromHex(o.value(QStringLiteral("database_salt")).toString().toLatin1());
    c.keyCheck = QByteArray::fromHex(o.value(QStringLiteral("key_check")).toString().toLatin1());
    if (c.kdf == QLatin1String(kNone)) {
        if (c.wrapped.size() != static_cast<qsizetype>(SecretKey::size()))
            return damaged;
    } else if (c.kdf == QLatin1String(kPbkdf2)) {
        if (c.salt.size() != 16 || c.nonce.size() != 12
            || c.wrapped.size() != static_cast<qsizetype>(SecretKey::size()) + kTagSize)
            return damaged;
        if (c.iterations < kMinKdfIterations)
            return error(StoreError::Code::WeakKdf,
                         QStringLiteral("密钥文件 %1 的派生迭代次数过低，拒绝使用").arg(path), path);
    } else {
        return damaged;
    }
    return c;
}

Result<SecretKey, StoreError> unwrapKey(const KeyFileContents &c, const QString &passphrase)
{
    if (c.kdf == QLatin1String(kNone)) {
        auto key = SecretKey::fromBytes(c.wrapped);
        if (!key
            || (!c.keyCheck.isEmpty()
                && (c.keyCheck.size() != 16
                    || CRYPTO_memcmp(keyCheckOf(*key).constData(), c.keyCheck.constData(), 16) != 0)))
            return error(StoreError::Code::KeyFileDamaged,
                         QStringLiteral("密钥文件中的密钥与其校验值不符：密钥文件已损坏或被改动（数据库未改动）"), {});
        return *key;
    }
    SecretKey kek;
    if (!deriveWrappingKey(passphrase, c, kek))
        return error(StoreError::Code::Io, QStringLiteral("密钥派生失败（加密库错误）"), {});
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    const QByteArray aad = associatedData(c);
    SecretKey key;
    int len = 0;
    const auto *in = reinterpret_cast<const unsigned char *>(c.wrapped.constData());
    QByteArray tag = c.wrapped.right(kTagSize);
    const bool ok = ctx
        && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, kek.data(),
                              reinterpret_cast<const unsigned char *>(c.nonce.constData()))
               == 1
        && EVP_DecryptUpdate(ctx.get(), nullptr, &len,
                             reinterpret_cast<const unsigned char *>(aad.constData()),
                             static_cast<int>(aad.size()))
               == 1
        && EVP_DecryptUpdate(ctx.get(), key.data(), &len, in, static_cast<int>(SecretKey::size())) == 1
        && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, tag.data()) == 1
        && EVP_DecryptFinal_ex(ctx.get(), key.data() + len, &len) == 1;
    if (!ok)
        return error(StoreError::Code::WrongPassphrase, QStringLiteral("口令错误"), {});
    return key;
}

Status<StoreError> bindKeyFileToDatabase(const QString &path, const QByteArray &databaseSalt)
{
    auto c = readKeyFile(path);
    if (!c)
        return c.error();
    c->databaseSalt = databaseSalt;
    return writeContents(path, *c);
}

Status<StoreError> changePassphrase(const QString &path, const QString &oldPassphrase,
                                    const QString &newPassphrase, int iterations)
{
    auto c = readKeyFile(path);
    if (!c)
        return c.error();
    if (c->kdf == QLatin1String(kNone))
        return error(StoreError::Code::KeyFileDamaged,
                     QStringLiteral("此密钥文件不使用口令"), path);
    auto key = unwrapKey(*c, oldPassphrase);
    if (!key)
        return key.error();
    return writeWrappedKeyFile(path, *key, newPassphrase, iterations, c->databaseSalt);
}

} // namespace kaodian
