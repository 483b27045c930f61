// libFuzzer target: HTTP request handling. Raw bytes go through the
// transport's parser (Beast, with the server's limits; several requests may
// be pipelined) and each complete request through the server's handler — the
// API and the pages — over a real embedded store. The tokens KDCOOKIE,
// KDCSRF and KDKIOSK in the input become the office's session cookie, its
// CSRF token and a kiosk's credential, so the fuzzer reaches past the
// login into every endpoint.
#include "serverfixture.h"

using namespace kaodian;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    auto &f = fuzzing::ServerFixture::instance();
    QByteArray raw(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    raw.replace("KDCOOKIE", f.cookie).replace("KDCSRF", f.csrf).replace("KDKIOSK", f.credential);
    // Small limits so the fuzzer meets them; the real ones only differ in size.
    server::HttpLimits limits;
    limits.maxBodyBytes = 64 * 1024;
    limits.maxHeaderBytes = 4096;
    const auto parsed = server::parseRequests(raw, limits);
    if (parsed.refusal != 0 && parsed.refusal != 400 && parsed.refusal != 413 && parsed.refusal != 431)
        std::abort();
    for (const auto &request : parsed.requests) {
        if (request.body.size() > limits.maxBodyBytes)
            std::abort(); // the body limit held
        if (request.target.contains("/logout"))
            continue; // would end the session the rest of the run needs
        fuzzing::checkResponse(request, f.handler(request));
    }
    return 0;
}
