// libFuzzer target: the sync batch parser. The input is the body of a
// kiosk's POST /api/v1/kiosk/events, sent with a real kiosk credential to
// the real handler over an embedded store holding the sample roster, so a
// batch that parses is also stored (exactly once per kiosk and event id).
// After each accepted batch the same body again must store nothing.
#include "serverfixture.h"

using namespace kaodian;

namespace {

server::HttpResponse upload(const QByteArray &body)
{
    auto &f = fuzzing::ServerFixture::instance();
    server::HttpRequest r;
    r.method = "POST";
    r.target = "/api/v1/kiosk/events";
    r.peerAddress = QStringLiteral("127.0.0.1");
    r.headers.insert("content-type", "application/json");
    r.headers.insert("authorization", "Bearer " + f.credential);
    r.body = body;
    auto response = f.handler(r);
    fuzzing::checkResponse(r, response);
    return response;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const auto first = upload(body);
    if (first.status == 200) {
        const auto again = QJsonDocument::fromJson(upload(body).body).object();
        if (again.value("stored").toInt(-1) != 0)
            std::abort(); // a replay stored something twice
    } else if (first.status != 400 && first.status != 403 && first.status != 413) {
        std::abort(); // anything else is a server fault
    }
    return 0;
}
