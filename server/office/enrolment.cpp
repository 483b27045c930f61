#include "office/enrolment.h"

#include "auth/password.h"
#include "qr/qrcodec.h"

namespace kaodian::server::office {

OfficeResult<KioskEnrolment> enrolKiosk(ServerStore &store, const KioskEnrolmentRequest &request, const QString &actor)
{
    auto bad = [](const QString &message) { return OfficeError::badInput(message); };
    auto failed = [](const StoreError &e) { return OfficeError::fromStore(e); };
    const QString name = request.name.trimmed();
    if (request.siteName.trimmed().isEmpty() || name.isEmpty())
        return bad(QStringLiteral("须填写考点和终端名称"));
    if (name.size() > 100)
        return bad(QStringLiteral("终端名称最多 100 个字"));
    auto site = store.rosters().siteIdByName(request.siteName.trimmed());
    if (!site)
        return failed(site.error());
    if (!site->has_value())
        return bad(QStringLiteral("没有名为「%1」的考点（请先导入名单）").arg(request.siteName));
    KioskRecord k;
    k.id = QStringLiteral("K") + randomToken(6).replace(QLatin1Char('-'), QLatin1Char('x')).replace(QLatin1Char('_'), QLatin1Char('y'));
    k.name = name;
    k.siteId = **site;
    if (!request.room.trimmed().isEmpty()) {
        auto room = store.rosters().roomId(k.siteId, request.room.trimmed());
        if (!room)
            return failed(room.error());
        if (!room->has_value())
            return bad(QStringLiteral("考点「%1」没有考场 %2").arg(request.siteName, request.room));
        k.roomId = **room;
    }
    const QString secret = randomToken(32);
    k.credentialHash = sha256Hex(secret.toLatin1());
    if (auto s = store.kiosks().enrol(k, actor); !s)
        return failed(s.error());
    KioskEnrolment e;
    e.credential = k.id + QLatin1Char('.') + secret;
    e.code = QStringLiteral("KDENROL1|%1|%2|%3|%4")
                 .arg(request.serverUrl, e.credential, request.tlsCertificateSha256, request.ticketKeySha256);
    e.kiosk = std::move(k);
    return e;
}

QImage enrolmentQr(const QString &code, int scale)
{
    return qr::renderText(code.toUtf8(), scale);
}

} // namespace kaodian::server::office
