// libFuzzer target: the admission-ticket parser (what a scanner types in).
// Any input must give a verdict, never a crash; and no input other than the
// one genuine ticket may verify under the fixed key.
#include "core/base32.h"
#include "core/ticket.h"

#include <QByteArray>

#include <cstdlib>

using namespace kaodian;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static const SigningKey key = *SigningKey::fromRaw(QByteArray(32, '\x01'));
    static const TicketVerifier verifier = [] {
        TicketVerifier v;
        v.addKey(key.verifyKey());
        return v;
    }();
    const QByteArrayView input(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const auto result = verifier.verify(input);
    if (result.ok()) {
        // Only a text this key signed verifies: re-signing the claims must
        // reproduce the input exactly (canonical encoding, deterministic Ed25519).
        const auto again = issueTicket(*result, key);
        if (!again.ok() || *again != input.toByteArray())
            std::abort();
    }
    (void)ticketErrorCode(result.ok() ? TicketError::Empty : result.error());
    if (const auto decoded = base32Decode(input); decoded && base32Encode(*decoded) != input.toByteArray())
        std::abort(); // strict base32 round-trips
    return 0;
}
