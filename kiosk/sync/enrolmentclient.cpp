#include "kiosk/sync/enrolmentclient.h"

#include "kiosk/sync/kioskrequest.h"
#include "protocol/sessionpackage.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace kaodian::kiosk {

Q_LOGGING_CATEGORY(lcEnrolment, "kaodian.kiosk.enrolment")

EnrolmentClient::EnrolmentClient(QObject *parent) : QObject(parent), m_network(new QNetworkAccessManager(this)) {}

EnrolmentClient::~EnrolmentClient()
{
    cancel();
}

bool EnrolmentClient::busy() const
{
    return !m_reply.isNull();
}

void EnrolmentClient::check(const EnrolmentCode &code, const QByteArray &installationId,
                            const QByteArray &devicePublicKey, Done done)
{
    cancel();
    m_done = std::move(done);
    m_certificateMismatch = false;
    // A fresh connection each time: a retry after a certificate mismatch must shake hands again.
    m_network->clearConnectionCache();
    QNetworkReply *reply = m_network->get(
        kioskRequest(code, installationId, devicePublicKey, QStringLiteral("/api/v1/kiosk/package"), m_timeoutMs));
    m_reply = reply;
    pinServerCertificate(reply, code.certSha256, [this] { m_certificateMismatch = true; });
    connect(reply, &QNetworkReply::finished, this, [this, reply, code] { finished(reply, code); });
}

void EnrolmentClient::cancel()
{
    m_done = {};
    if (QNetworkReply *reply = m_reply) {
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

void EnrolmentClient::finished(QNetworkReply *reply, const EnrolmentCode &code)
{
    reply->deleteLater();
    if (m_reply != reply)
        return;
    m_reply = nullptr;
    Done done = std::move(m_done);
    m_done = {};
    auto answer = [&](Result<QByteArray, EnrolmentError> result) {
        if (!result)
            qCInfo(lcEnrolment) << "enrolment with" << code.server.toString() << "failed:" << int(result.error().kind)
                                << result.error().detail;
        if (done)
            done(result);
    };

    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray bytes = reply->readAll();
    if (m_certificateMismatch)
        return answer(EnrolmentError{EnrolmentFailure::CertificateMismatch, reply->errorString()});
    if (status == 0)
        return answer(EnrolmentError{EnrolmentFailure::Unreachable, reply->errorString()});
    const QJsonObject error = QJsonDocument::fromJson(bytes).object().value("error").toObject();
    const QString errorCode = error.value("code").toString();
    const QString message = error.value("message").toString();
    if (status == 401)
        return answer(EnrolmentError{EnrolmentFailure::UnknownCode, message});
    if (status == 403 && errorCode == QLatin1String("kiosk_revoked"))
        return answer(EnrolmentError{EnrolmentFailure::Revoked, message});
    if (status == 409 && errorCode == QLatin1String("enrolment_used"))
        return answer(EnrolmentError{EnrolmentFailure::AlreadyUsed, message});
    if (status != 200)
        return answer(EnrolmentError{EnrolmentFailure::BadAnswer,
                                     QStringLiteral("HTTP %1 %2").arg(status).arg(message.isEmpty() ? reply->errorString() : message)});

    // The package: signed by the key the code names, and well formed.
    const auto signer = protocol::packageSigner(bytes);
    if (!signer || signer->fingerprint().toLatin1() != code.ticketKeySha256)
        return answer(EnrolmentError{EnrolmentFailure::TicketKeyMismatch,
                                     signer ? signer->fingerprint() : QStringLiteral("no signature")});
    if (auto package = protocol::decodeSessionPackage(bytes, *signer); !package)
        return answer(EnrolmentError{EnrolmentFailure::BadAnswer, package.error()});
    return answer(bytes);
}

} // namespace kaodian::kiosk
