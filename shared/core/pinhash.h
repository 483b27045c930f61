#pragma once

// A proctor's PIN as it is kept and travels: only its slow hash,
// "pbkdf2$<rounds>$<salt base64>$<PBKDF2-HMAC-SHA256 base64>" (OpenSSL,
// 200,000 rounds, a random 16-byte salt). The kiosk checks a PIN against
// it; the server stores and forwards it and never sees a PIN set at a
// kiosk. Thread-safety: pure functions; safe from any thread.

#include <QByteArray>
#include <QString>

#include <optional>

namespace kaodian {

inline constexpr int kPinIterations = 200'000;

// Why a PIN cannot be used (4–12 digits), or nothing when it can.
std::optional<QString> pinProblem(const QString &pin);

// The PIN's hash, or nothing when OpenSSL refuses (no randomness, no memory).
std::optional<QByteArray> hashPin(const QString &pin, int iterations = kPinIterations);

// Does the text have the hash's shape (rounds 1,000–10,000,000, a salt, 32 bytes)?
bool isPinHash(const QByteArray &hash);

// Does pin match the hash? Nothing when the hash is not one, or the PIN
// could not be computed: never a "no" standing for "could not tell".
std::optional<bool> pinMatches(const QString &pin, const QByteArray &hash);

} // namespace kaodian
