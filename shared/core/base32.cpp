#include "core/base32.h"

namespace kaodian {

namespace {
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int symbolValue(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= '2' && c <= '7')
        return c - '2' + 26;
    return -1;
}
} // namespace

QByteArray base32Encode(const QByteArray &bytes)
{
    QByteArray out;
    out.reserve((bytes.size() * 8 + 4) / 5);
    unsigned buffer = 0;
    int bits = 0;
    for (const char ch : bytes) {
        buffer = (buffer << 8) | static_cast<unsigned char>(ch);
        bits += 8;
        while (bits >= 5) {
            out.append(kAlphabet[(buffer >> (bits - 5)) & 0x1f]);
            bits -= 5;
        }
    }
    if (bits > 0)
        out.append(kAlphabet[(buffer << (5 - bits)) & 0x1f]);
    return out;
}

std::optional<QByteArray> base32Decode(QByteArrayView text)
{
    // Lengths whose last symbol would carry no whole byte never come from
    // the encoder (1, 3 and 6 symbols mod 8).
    const auto rem = text.size() % 8;
    if (rem == 1 || rem == 3 || rem == 6)
        return std::nullopt;
    QByteArray out;
    out.reserve(text.size() * 5 / 8);
    unsigned buffer = 0;
    int bits = 0;
    for (const char c : text) {
        const int v = symbolValue(c);
        if (v < 0)
            return std::nullopt;
        buffer = ((buffer << 5) | static_cast<unsigned>(v)) & 0xfff;
        bits += 5;
        if (bits >= 8) {
            out.append(static_cast<char>((buffer >> (bits - 8)) & 0xff));
            bits -= 8;
        }
    }
    // Canonical form: the unused low bits of the last symbol must be zero.
    if (bits > 0 && (buffer & ((1u << bits) - 1)) != 0)
        return std::nullopt;
    return out;
}

} // namespace kaodian
