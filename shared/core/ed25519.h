#pragma once

// Ed25519 keys over OpenSSL 3. A key object owns its EVP_PKEY; it is
// immutable after construction, so one key may sign or verify from several
// threads at once (each call makes its own EVP_MD_CTX).

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>

struct evp_pkey_st;

namespace kaodian {

// An Ed25519 public key that checks signatures.
class VerifyKey
{
public:
    static std::optional<VerifyKey> fromRaw(const QByteArray &raw32);
    static std::optional<VerifyKey> fromPem(const QByteArray &pem);

    [[nodiscard]] QByteArray raw() const;   // 32 bytes
    [[nodiscard]] QByteArray toPem() const; // SubjectPublicKeyInfo
    // First 4 bytes of SHA-256 over the raw key: names the key inside tickets.
    [[nodiscard]] QByteArray keyId() const;
    // SHA-256 over the raw key, hex: shown to people comparing keys.
    [[nodiscard]] QString fingerprint() const;
    [[nodiscard]] bool verify(QByteArrayView message, QByteArrayView signature) const;

private:
    explicit VerifyKey(std::shared_ptr<evp_pkey_st> key);
    std::shared_ptr<evp_pkey_st> m_key;
};

// An Ed25519 private key that signs.
class SigningKey
{
public:
    static std::optional<SigningKey> generate();
    static std::optional<SigningKey> fromRaw(const QByteArray &seed32);
    static std::optional<SigningKey> fromPem(const QByteArray &pem);

    [[nodiscard]] QByteArray rawSeed() const; // 32 bytes: keep secret
    [[nodiscard]] QByteArray toPem() const;   // PKCS#8, unencrypted: keep secret
    [[nodiscard]] VerifyKey verifyKey() const;
    [[nodiscard]] QByteArray sign(QByteArrayView message) const; // 64 bytes, empty on failure

private:
    explicit SigningKey(std::shared_ptr<evp_pkey_st> key);
    std::shared_ptr<evp_pkey_st> m_key;
};

} // namespace kaodian
