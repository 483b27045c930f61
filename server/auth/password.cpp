#include "auth/password.h"

#include <QCryptographicHash>
#include <QStringList>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace kaodian::server {

namespace {

constexpr int kHashBytes = 32;

QByteArray scrypt(const QByteArray &password, const QByteArray &salt, int log2N, int r, int p)
{
    QByteArray out(kHashBytes, '\0');
    const std::uint64_t n = std::uint64_t(1) << log2N;
    const std::uint64_t maxMem = 128ull * r * n + 64ull * 1024 * 1024;
    if (EVP_PBE_scrypt(password.constData(), static_cast<size_t>(password.size()),
                       reinterpret_cast<const unsigned char *>(salt.constData()),
                       static_cast<size_t>(salt.size()), n, static_cast<std::uint64_t>(r),
                       static_cast<std::uint64_t>(p), maxMem,
                       reinterpret_cast<unsigned char *>(out.data()), kHashBytes)
        != 1)
        return {};
    return out;
}

} // namespace

QString hashPassword(const QString &password, ScryptCost cost)
{
    QByteArray salt(16, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char *>(salt.data()), 16) != 1)
        return {};
    const QByteArray hash = scrypt(password.toUtf8(), salt, cost.log2N, cost.r, cost.p);
    if (hash.isEmpty())
        return {};
    return QStringLiteral("scrypt$%1$%2$%3$%4$%5")
        .arg(cost.log2N)
        .arg(cost.r)
        .arg(cost.p)
        .arg(QString::fromLatin1(salt.toBase64()), QString::fromLatin1(hash.toBase64()));
}

bool verifyPassword(const QString &password, const QString &stored)
{
    const QStringList parts = stored.split(QLatin1Char('$'));
    if (parts.size() != 6 || parts[0] != QLatin1String("scrypt"))
        return false;
    bool ok1 = false, ok2 = false, ok3 = false;
    const int log2N = parts[1].toInt(&ok1);
    const int r = parts[2].toInt(&ok2);
    const int p = parts[3].toInt(&ok3);
    if (!ok1 || !ok2 || !ok3 || log2N < 10 || log2N > 22 || r < 1 || r > 32 || p < 1 || p > 16)
        return false;
    const QByteArray salt = QByteArray::fromBase64(parts[4].toLatin1());
    const QByteArray expected = QByteArray::fromBase64(parts[5].toLatin1());
    if (salt.isEmpty() || expected.size() != kHashBytes)
        return false;
    const QByteArray actual = scrypt(password.toUtf8(), salt, log2N, r, p);
    return actual.size() == kHashBytes && CRYPTO_memcmp(actual.constData(), expected.constData(), kHashBytes) == 0;
}

QString randomToken(int bytes)
{
    QByteArray raw(bytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char *>(raw.data()), bytes) != 1)
        qFatal("RAND_bytes failed");
    return QString::fromLatin1(raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString sha256Hex(const QByteArray &text)
{
    return QString::fromLatin1(QCryptographicHash::hash(text, QCryptographicHash::Sha256).toHex());
}

bool passwordAcceptable(const QString &password, QString *why)
{
    if (password.size() < 10) {
        if (why)
            *why = QStringLiteral("密码至少 10 个字符");
        return false;
    }
    return true;
}

} // namespace kaodian::server
