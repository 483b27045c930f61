#include "core/ed25519.h"

#include <QCryptographicHash>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

namespace kaodian {

namespace {

std::shared_ptr<EVP_PKEY> adopt(EVP_PKEY *key)
{
    if (!key)
        return {};
    return {key, &EVP_PKEY_free};
}

using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

QByteArray bioContents(BIO *bio)
{
    char *data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    return {data, static_cast<qsizetype>(len)};
}

BioPtr memoryBio(const QByteArray &bytes)
{
    return {BIO_new_mem_buf(bytes.constData(), static_cast<int>(bytes.size())), &BIO_free};
}

bool isEd25519(const EVP_PKEY *key)
{
    return key && EVP_PKEY_get_id(key) == EVP_PKEY_ED25519;
}

} // namespace

VerifyKey::VerifyKey(std::shared_ptr<evp_pkey_st> key) : m_key(std::move(key)) {}

std::optional<VerifyKey> VerifyKey::fromRaw(const QByteArray &raw32)
{
    if (raw32.size() != 32)
        return std::nullopt;
    auto key = adopt(EVP_PKEY_new_raw_public_key(
        EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char *>(raw32.constData()), 32));
    if (!key)
        return std::nullopt;
    return VerifyKey(std::move(key));
}

std::optional<VerifyKey> VerifyKey::fromPem(const QByteArray &pem)
{
    auto bio = memoryBio(pem);
    auto key = adopt(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
    if (!isEd25519(key.get()))
        return std::nullopt;
    return VerifyKey(std::move(key));
}

QByteArray VerifyKey::raw() const
{
    QByteArray out(32, '\0');
    size_t len = 32;
    if (EVP_PKEY_get_raw_public_key(m_key.get(), reinterpret_cast<unsigned char *>(out.data()), &len) != 1)
        return {};
    return out;
}

QByteArray VerifyKey::toPem() const
{
    BioPtr bio(BIO_new(BIO_s_mem()), &BIO_free);
    if (PEM_write_bio_PUBKEY(bio.get(), m_key.get()) != 1)
        return {};
    return bioContents(bio.get());
}

QByteArray VerifyKey::keyId() const
{
    return QCryptographicHash::hash(raw(), QCryptographicHash::Sha256).left(4);
}

QString VerifyKey::fingerprint() const
{
    return QString::fromLatin1(QCryptographicHash::hash(raw(), QCryptographicHash::Sha256).toHex());
}

bool VerifyKey::verify(QByteArrayView message, QByteArrayView signature) const
{
    if (signature.size() != 64)
        return false;
    MdCtxPtr ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, m_key.get()) != 1)
        return false;
    return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char *>(signature.data()),
                            static_cast<size_t>(signature.size()),
                            reinterpret_cast<const unsigned char *>(message.data()),
                            static_cast<size_t>(message.size()))
           == 1;
}

SigningKey::SigningKey(std::shared_ptr<evp_pkey_st> key) : m_key(std::move(key)) {}

std::optional<SigningKey> SigningKey::generate()
{
    auto key = adopt(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
    if (!key)
        return std::nullopt;
    return SigningKey(std::move(key));
}

std::optional<SigningKey> SigningKey::fromRaw(const QByteArray &seed32)
{
    if (seed32.size() != 32)
        return std::nullopt;
    auto key = adopt(EVP_PKEY_new_raw_private_key(
        EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char *>(seed32.constData()), 32));
    if (!key)
        return std::nullopt;
    return SigningKey(std::move(key));
}

std::optional<SigningKey> SigningKey::fromPem(const QByteArray &pem)
{
    auto bio = memoryBio(pem);
    auto key = adopt(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!isEd25519(key.get()))
        return std::nullopt;
    return SigningKey(std::move(key));
}

QByteArray SigningKey::rawSeed() const
{
    QByteArray out(32, '\0');
    size_t len = 32;
    if (EVP_PKEY_get_raw_private_key(m_key.get(), reinterpret_cast<unsigned char *>(out.data()), &len) != 1)
        return {};
    return out;
}

QByteArray SigningKey::toPem() const
{
    BioPtr bio(BIO_new(BIO_s_mem()), &BIO_free);
    if (PEM_write_bio_PrivateKey(bio.get(), m_key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return {};
    return bioContents(bio.get());
}

VerifyKey SigningKey::verifyKey() const
{
    QByteArray pub(32, '\0');
    size_t len = 32;
    // A SigningKey holds an Ed25519 key (every constructor checks), so
    // neither can fail; if one does, nothing may be signed or trusted on a
    // made-up key: stop.
    const bool read = EVP_PKEY_get_raw_public_key(m_key.get(), reinterpret_cast<unsigned char *>(pub.data()), &len) == 1
                      && len == 32;
    auto key = read ? VerifyKey::fromRaw(pub) : std::nullopt;
    if (!key)
        qFatal("kaodian: the public half of an Ed25519 signing key could not be read");
    return *key;
}

QByteArray SigningKey::sign(QByteArrayView message) const
{
    MdCtxPtr ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, m_key.get()) != 1)
        return {};
    QByteArray sig(64, '\0');
    size_t len = 64;
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(sig.data()), &len,
                       reinterpret_cast<const unsigned char *>(message.data()),
                       static_cast<size_t>(message.size()))
            != 1
        || len != 64)
        return {};
    return sig;
}

} // namespace kaodian
