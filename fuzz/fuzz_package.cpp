// libFuzzer target: the kiosk's readers of outside input — session packages
// (from a USB stick or the network) and enrolment codes (typed or scanned).
#include "protocol/sessionpackage.h"
#include "kiosk/sync/syncclient.h"

#include <cstdlib>

using namespace kaodian;
using namespace kaodian::kiosk;
using namespace kaodian::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static const SigningKey key = *SigningKey::fromRaw(QByteArray(32, '\x02'));
    const QByteArray bytes(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const auto package = decodeSessionPackage(bytes, key.verifyKey());
    if (package.ok()) {
        for (const auto &c : package->roster)
            if (!c.maskedIdNumber.isEmpty() && !c.maskedIdNumber.contains(QLatin1Char('*')))
                std::abort(); // a kiosk never keeps a full ID number
    }
    (void)packageSigner(bytes);
    (void)EnrolmentCode::parse(QString::fromUtf8(bytes));
    return 0;
}
