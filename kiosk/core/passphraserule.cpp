#include "kiosk/core/passphraserule.h"

#include <QSet>

#include <algorithm>
#include <array>

namespace kaodian::kiosk {

std::optional<PassphraseProblem> passphraseProblem(const QString &passphrase)
{
    // Characters, not UTF-16 units: a character beyond the BMP counts once.
    const QList<uint> chars = passphrase.toUcs4();
    if (chars.size() < kMinPassphraseLength)
        return PassphraseProblem::TooShort;
    std::array<bool, 4> kinds {}; // lower, upper, digit, other
    for (const uint c : chars) {
        if (c >= 'a' && c <= 'z')
            kinds[0] = true;
        else if (c >= 'A' && c <= 'Z')
            kinds[1] = true;
        else if (c >= '0' && c <= '9')
            kinds[2] = true;
        else
            kinds[3] = true;
    }
    if (std::count(kinds.begin(), kinds.end(), true) < kMinPassphraseKinds)
        return PassphraseProblem::OneKind;
    if (QSet<uint>(chars.begin(), chars.end()).size() < kMinPassphraseDistinct)
        return PassphraseProblem::Repetitive;
    // A piece repeated to the end: "abc12abc12" is "abc12" twice.
    const qsizetype n = chars.size();
    for (qsizetype period = 1; period <= n / 2; ++period) {
        if (n % period != 0)
            continue;
        bool repeats = true;
        for (qsizetype i = period; i < n && repeats; ++i)
            repeats = chars[i] == chars[i - period];
        if (repeats)
            return PassphraseProblem::Repetitive;
    }
    return std::nullopt;
}

} // namespace kaodian::kiosk
