#pragma once

// The one rule a new site passphrase must meet, wherever it is set (first
// run, --provision, the proctor's change screen): at least 10 characters,
// at least two kinds of character (lower-case letters, capitals, digits,
// anything else), and not a short piece repeated ("abab12abab12") or a
// handful of characters shuffled (fewer than 5 different ones). The kiosk
// speaks the problem as a code; the screens put it in words.
// Thread-safety: pure functions.

#include <QString>

#include <cstdint>
#include <optional>

namespace kaodian::kiosk {

inline constexpr int kMinPassphraseLength = 10;
inline constexpr int kMinPassphraseKinds = 2;
inline constexpr int kMinPassphraseDistinct = 5;

enum class PassphraseProblem : std::uint8_t {
    TooShort,    // fewer than kMinPassphraseLength characters
    OneKind,     // letters only, digits only, …
    Repetitive,  // a shorter piece repeated, or fewer than kMinPassphraseDistinct different characters
};

// Nothing when the passphrase may be set; else what is wrong with it.
[[nodiscard]] std::optional<PassphraseProblem> passphraseProblem(const QString &passphrase);

} // namespace kaodian::kiosk
