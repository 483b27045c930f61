#pragma once

// The words for the site passphrase rule (kiosk/core/passphraserule.h) on
// every screen that sets a passphrase, and for the wait after wrong ones.
// Thread-safety: pure functions (translations are read-only once loaded).

#include "kiosk/core/passphraserule.h"

#include <QString>

namespace kaodian::kiosk {

// The rule, said once under every field where a new passphrase is typed.
[[nodiscard]] QString passphraseRuleText();
// Why this passphrase may not be set, and what to do.
[[nodiscard]] QString passphraseProblemText(PassphraseProblem problem);
// The wait before the next passphrase may be tried.
[[nodiscard]] QString passphraseWaitText(int seconds);

} // namespace kaodian::kiosk
