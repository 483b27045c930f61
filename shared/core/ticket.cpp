#include "core/ticket.h"

#include "core/base32.h"

#include <QtEndian>

namespace kaodian {

namespace {

// version(1) keyId(4) session(4) serial(2) validFrom(4) validUntil(4) len(1)
constexpr qsizetype kFixedHeader = 1 + 4 + 4 + 2 + 4 + 4 + 1;
constexpr qsizetype kSignatureSize = 64;

bool validTicketNumber(QByteArrayView number)
{
    if (number.isEmpty() || number.size() > kTicketNumberMaxLength)
        return false;
    for (const char c : number) {
        const bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

template <typename T>
void appendBigEndian(QByteArray &out, T value)
{
    char buf[sizeof(T)];
    qToBigEndian(value, buf);
    out.append(buf, sizeof(T));
}

template <typename T>
T readBigEndian(const char *p)
{
    return qFromBigEndian<T>(p);
}

std::optional<std::uint32_t> toUnixSeconds(const QDateTime &t)
{
    if (!t.isValid())
        return std::nullopt;
    const qint64 s = t.toSecsSinceEpoch();
    if (s < 0 || s > 0xffffffffLL)
        return std::nullopt;
    return static_cast<std::uint32_t>(s);
}

} // namespace

QString ticketErrorCode(TicketError error)
{
    switch (error) {
    case TicketError::Empty: return QStringLiteral("empty");
    case TicketError::TooLong: return QStringLiteral("too_long");
    case TicketError::NotATicket: return QStringLiteral("not_a_ticket");
    case TicketError::UnsupportedVersion: return QStringLiteral("unsupported_version");
    case TicketError::BadEncoding: return QStringLiteral("bad_encoding");
    case TicketError::Truncated: return QStringLiteral("truncated");
    case TicketError::Malformed: return QStringLiteral("malformed");
    case TicketError::UnknownKey: return QStringLiteral("unknown_key");
    case TicketError::BadSignature: return QStringLiteral("bad_signature");
    case TicketError::NotYetValid: return QStringLiteral("not_yet_valid");
    case TicketError::Expired: return QStringLiteral("expired");
    }
    return QStringLiteral("unknown");
}

QByteArray encodeTicketPayload(const TicketClaims &claims, const QByteArray &keyId)
{
    const QByteArray number = claims.ticketNumber.toLatin1();
    const auto from = toUnixSeconds(claims.validFrom);
    const auto until = toUnixSeconds(claims.validUntil);
    if (keyId.size() != 4 || !validTicketNumber(number) || claims.ticketNumber.size() != number.size()
        || !from || !until || *until <= *from)
        return {};
    QByteArray out;
    out.reserve(kFixedHeader + number.size());
    out.append(static_cast<char>(kTicketVersion));
    out.append(keyId);
    appendBigEndian<std::uint32_t>(out, claims.sessionId);
    appendBigEndian<std::uint16_t>(out, claims.serial);
    appendBigEndian<std::uint32_t>(out, *from);
    appendBigEndian<std::uint32_t>(out, *until);
    out.append(static_cast<char>(number.size()));
    out.append(number);
    return out;
}

Result<QByteArray, QString> issueTicket(const TicketClaims &claims, const SigningKey &key)
{
    const QByteArray keyId = key.verifyKey().keyId();
    const QByteArray payload = encodeTicketPayload(claims, keyId);
    if (payload.isEmpty()) {
        return QStringLiteral("准考证号须为 1–%1 位数字、大写字母或连字符，有效期须在 1970–2106 年间且结束晚于开始")
            .arg(kTicketNumberMaxLength);
    }
    const QByteArray signature = key.sign(payload);
    if (signature.size() != kSignatureSize)
        return QStringLiteral("签名失败");
    return QByteArray(kTicketPrefix) + base32Encode(payload + signature);
}

void TicketVerifier::addKey(const VerifyKey &key)
{
    m_keys.insert(key.keyId(), key);
}

Result<TicketClaims, TicketError> TicketVerifier::verify(QByteArrayView text) const
{
    if (text.isEmpty())
        return TicketError::Empty;
    if (text.size() > kTicketTextMaxLength)
        return TicketError::TooLong;
    const QByteArrayView prefix(kTicketPrefix);
    if (!text.startsWith(prefix)) {
        // "KD<digits>." is a ticket of another format version.
        if (text.startsWith("KD") && text.size() > 2 && text[2] >= '0' && text[2] <= '9') {
            qsizetype i = 2;
            while (i < text.size() && text[i] >= '0' && text[i] <= '9')
                ++i;
            if (i < text.size() && text[i] == '.')
                return TicketError::UnsupportedVersion;
        }
        return TicketError::NotATicket;
    }
    const auto decoded = base32Decode(text.sliced(prefix.size()));
    if (!decoded)
        return TicketError::BadEncoding;
    const QByteArray &bytes = *decoded;
    if (bytes.size() < kFixedHeader + 1 + kSignatureSize)
        return TicketError::Truncated;
    const char *p = bytes.constData();
    if (static_cast<unsigned char>(p[0]) != kTicketVersion)
        return TicketError::UnsupportedVersion;
    const auto numberLength = static_cast<unsigned char>(p[kFixedHeader - 1]);
    const qsizetype expected = kFixedHeader + numberLength + kSignatureSize;
    if (bytes.size() < expected)
        return TicketError::Truncated;
    if (bytes.size() > expected || numberLength == 0 || numberLength > kTicketNumberMaxLength)
        return TicketError::Malformed;

    const QByteArray keyId = bytes.mid(1, 4);
    const auto key = m_keys.constFind(keyId);
    if (key == m_keys.constEnd())
        return TicketError::UnknownKey;
    const qsizetype payloadSize = kFixedHeader + numberLength;
    if (!key->verify(QByteArrayView(bytes).first(payloadSize),
                     QByteArrayView(bytes).sliced(payloadSize, kSignatureSize)))
        return TicketError::BadSignature;

    TicketClaims claims;
    claims.keyId = keyId;
    claims.sessionId = readBigEndian<std::uint32_t>(p + 5);
    claims.serial = readBigEndian<std::uint16_t>(p + 9);
    const auto from = readBigEndian<std::uint32_t>(p + 11);
    const auto until = readBigEndian<std::uint32_t>(p + 15);
    const QByteArrayView number(p + kFixedHeader, numberLength);
    if (until <= from || !validTicketNumber(number))
        return TicketError::Malformed;
    claims.validFrom = QDateTime::fromSecsSinceEpoch(from, Qt::UTC);
    claims.validUntil = QDateTime::fromSecsSinceEpoch(until, Qt::UTC);
    claims.ticketNumber = QString::fromLatin1(number);
    return claims;
}

Result<TicketClaims, TicketError> TicketVerifier::verifyAt(QByteArrayView text,
                                                           const QDateTime &now) const
{
    auto result = verify(text);
    if (!result)
        return result;
    if (now < result->validFrom)
        return TicketError::NotYetValid;
    if (now > result->validUntil)
        return TicketError::Expired;
    return result;
}

} // namespace kaodian
