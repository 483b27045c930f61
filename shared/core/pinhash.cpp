#include "core/pinhash.h"

#include <QList>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace kaodian {

namespace {

// PBKDF2-HMAC-SHA256; nothing when OpenSSL refuses: never a buffer of zeros to compare.
std::optional<QByteArray> pbkdf2(const QString &pin, const QByteArray &salt, int iterations)
{
    QByteArray out(32, '\0');
    const QByteArray p = pin.toUtf8();
    if (PKCS5_PBKDF2_HMAC(p.constData(), static_cast<int>(p.size()),
                          reinterpret_cast<const unsigned char *>(salt.constData()), static_cast<int>(salt.size()),
                          iterations, EVP_sha256(), 32, reinterpret_cast<unsigned char *>(out.data()))
        != 1)
        return std::nullopt;
    return out;
}

struct Parts
{
    int iterations = 0;
    QByteArray salt;
    QByteArray derived;
};

// minIterations: a hash that travels must be slow (1,000 rounds at least);
// one checked here is taken as it is, and OpenSSL refuses what it cannot do.
std::optional<Parts> split(const QByteArray &hash, int minIterations)
{
    const QList<QByteArray> parts = hash.split('$');
    if (parts.size() != 4 || parts[0] != "pbkdf2")
        return std::nullopt;
    bool ok = false;
    const int iterations = parts[1].toInt(&ok);
    if (!ok || iterations < minIterations || iterations > 10'000'000)
        return std::nullopt;
    const auto salt = QByteArray::fromBase64Encoding(parts[2], QByteArray::AbortOnBase64DecodingErrors);
    const auto derived = QByteArray::fromBase64Encoding(parts[3], QByteArray::AbortOnBase64DecodingErrors);
    if (!salt || !derived || (*salt).size() < 8 || (*derived).size() != 32)
        return std::nullopt;
    return Parts{iterations, *salt, *derived};
}

} // namespace

std::optional<QString> pinProblem(const QString &pin)
{
    if (pin.size() < 4 || pin.size() > 12)
        return QStringLiteral("监考 PIN 须为 4–12 位数字");
    for (const QChar c : pin)
        if (c < u'0' || c > u'9')
            return QStringLiteral("监考 PIN 只能是数字");
    return std::nullopt;
}

std::optional<QByteArray> hashPin(const QString &pin, int iterations)
{
    QByteArray salt(16, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char *>(salt.data()), 16) != 1)
        return std::nullopt;
    const auto derived = pbkdf2(pin, salt, iterations);
    if (!derived)
        return std::nullopt;
    return "pbkdf2$" + QByteArray::number(iterations) + '$' + salt.toBase64() + '$' + derived->toBase64();
}

bool isPinHash(const QByteArray &hash)
{
    return split(hash, 1000).has_value();
}

std::optional<bool> pinMatches(const QString &pin, const QByteArray &hash)
{
    const auto parts = split(hash, 0);
    if (!parts)
        return std::nullopt;
    const auto actual = pbkdf2(pin, parts->salt, parts->iterations);
    if (!actual)
        return std::nullopt;
    return actual->size() == parts->derived.size()
        && CRYPTO_memcmp(actual->constData(), parts->derived.constData(), static_cast<size_t>(actual->size())) == 0;
}

} // namespace kaodian
