#pragma once

// RFC 4648 base32 (upper-case alphabet A-Z2-7, no padding), strict: decoding
// refuses lower case, padding, whitespace and non-zero unused trailing bits,
// so every text has exactly one decoding and every byte string one text.
// Thread-safe: pure functions.

#include <QByteArray>

#include <optional>

namespace kaodian {

QByteArray base32Encode(const QByteArray &bytes);
std::optional<QByteArray> base32Decode(QByteArrayView text);

} // namespace kaodian
