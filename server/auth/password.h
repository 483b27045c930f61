#pragma once

// Password hashing with scrypt (OpenSSL's EVP_PBE_scrypt), and the random
// tokens of sessions and kiosk credentials. Thread-safe: pure functions.

#include <QByteArray>
#include <QString>

namespace kaodian::server {

// Cost of new hashes: N = 2^15, r = 8, p = 1 (32 MiB, tens of ms).
struct ScryptCost
{
    int log2N = 15;
    int r = 8;
    int p = 1;
};

// "scrypt$15$8$1$<salt base64>$<hash base64>"; empty on failure.
QString hashPassword(const QString &password, ScryptCost cost = {});
// Constant-time check of password against a stored hash.
bool verifyPassword(const QString &password, const QString &stored);

// bytes of randomness, base64url without padding.
QString randomToken(int bytes = 32);
// SHA-256 hex of text, for storing tokens without storing them.
QString sha256Hex(const QByteArray &text);

// A password good enough for the exam office: at least 10 characters.
bool passwordAcceptable(const QString &password, QString *why);

} // namespace kaodian::server
