#include "kiosk/sync/kioskrequest.h"

#include <QCryptographicHash>
#include <QLoggingCategory>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QSslConfiguration>

#include <array>
#include <memory>

namespace kaodian::kiosk {

Q_LOGGING_CATEGORY(lcKioskTls, "kaodian.kiosk.tls")

QByteArray newInstallationId()
{
    std::array<quint32, 8> words{};
    QRandomGenerator::system()->fillRange(words.data(), words.size());
    return QByteArray(reinterpret_cast<const char *>(words.data()), qsizetype(sizeof(words))).toHex();
}

QNetworkRequest kioskRequest(const EnrolmentCode &code, const QByteArray &installationId,
                             const QByteArray &devicePublicKey, const QString &path, int timeoutMs)
{
    QUrl url = code.server;
    url.setPath(path.section(QLatin1Char('?'), 0, 0));
    url.setQuery(path.section(QLatin1Char('?'), 1));
    QNetworkRequest request(url);
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    request.setSslConfiguration(tls);
    request.setRawHeader("Authorization", "Bearer " + code.credential.toLatin1());
    if (!installationId.isEmpty())
        request.setRawHeader(kInstallationHeader, installationId);
    if (!devicePublicKey.isEmpty())
        request.setRawHeader(kDeviceKeyHeader, devicePublicKey.toBase64());
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setTransferTimeout(timeoutMs);
    return request;
}

void pinServerCertificate(QNetworkReply *reply, const QByteArray &certSha256, std::function<void()> onMismatch)
{
    auto matches = [reply, certSha256] {
        return reply->sslConfiguration().peerCertificate().digest(QCryptographicHash::Sha256).toHex() == certSha256;
    };
    auto refuse = [reply, mismatch = std::make_shared<std::function<void()>>(std::move(onMismatch))] {
        qCWarning(lcKioskTls) << "server certificate"
                              << reply->sslConfiguration().peerCertificate().digest(QCryptographicHash::Sha256).toHex()
                              << "is not the pinned one; refusing";
        if (*mismatch) {
            (*mismatch)();
            *mismatch = {}; // once
        }
    };
    // A self-signed (or otherwise unverifiable) certificate: taken only if pinned.
    QObject::connect(reply, &QNetworkReply::sslErrors, reply, [reply, matches, refuse](const QList<QSslError> &errors) {
        if (matches())
            reply->ignoreSslErrors(errors);
        else
            refuse(); // not ignored: the handshake fails
    });
    // A certificate the system trusts raises no errors: it must still be the pinned one.
    QObject::connect(reply, &QNetworkReply::encrypted, reply, [reply, matches, refuse] {
        if (!matches()) {
            refuse();
            reply->abort();
        }
    });
}

} // namespace kaodian::kiosk
