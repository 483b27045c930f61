#include "kiosk/sync/syncclient.h"

#include "kiosk/sync/kioskrequest.h"

#include "protocol/eventjson.h"

#include "core/examzone.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>

#include <algorithm>

namespace kaodian::kiosk {

Q_LOGGING_CATEGORY(lcSync, "kaodian.kiosk.sync")

std::optional<EnrolmentCode> EnrolmentCode::parse(const QString &text)
{
    const QStringList parts = text.trimmed().split(QLatin1Char('|'));
    if (parts.size() != 5 || parts[0] != QLatin1String("KDENROL1"))
        return std::nullopt;
    EnrolmentCode c;
    c.server = QUrl(parts[1]);
    c.credential = parts[2];
    c.certSha256 = parts[3].toLatin1().toLower();
    c.ticketKeySha256 = parts[4].toLatin1().toLower();
    if (c.server.scheme() != QLatin1String("https") || c.server.host().isEmpty() || !c.credential.contains(QLatin1Char('.'))
        || c.certSha256.size() != 64 || c.ticketKeySha256.size() != 64)
        return std::nullopt;
    return c;
}

QString EnrolmentCode::toString() const
{
    return QStringLiteral("KDENROL1|%1|%2|%3|%4")
        .arg(server.toString(QUrl::StripTrailingSlash), credential, QString::fromLatin1(certSha256),
             QString::fromLatin1(ticketKeySha256));
}

SyncClient::SyncClient(CheckInService &service, SyncConfig config, QObject *parent)
    : QObject(parent), m_service(service), m_config(std::move(config)), m_network(new QNetworkAccessManager(this))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &SyncClient::tick);
    // The server binds the enrolment code to the first installation that
    // presents it: a kiosk enrolled before installation ids were kept gets one now.
    KioskStore &store = m_service.store();
    m_installationId = store.installationId();
    if (m_installationId.isEmpty()) {
        m_installationId = newInstallationId();
        if (auto s = store.setInstallationId(m_installationId); !s)
            qCWarning(lcSync) << "cannot keep the installation id:" << s.error().message;
    }
    // The device key's public half goes with it; the server registers it at
    // that first claim only. A kiosk enrolled without one (by file, or before
    // device keys) makes one now: registered if its code is not claimed yet,
    // else its export is treated as unsigned (docs/api.md).
    auto deviceKey = store.deviceKey();
    if (!deviceKey) {
        deviceKey = SigningKey::generate();
        if (!deviceKey)
            qCWarning(lcSync) << "cannot make a device key";
        else if (auto s = store.setDeviceKey(*deviceKey); !s) {
            qCWarning(lcSync) << "cannot keep the device key:" << s.error().message;
            deviceKey.reset();
        }
    }
    if (deviceKey)
        m_devicePublicKey = deviceKey->verifyKey().raw();
    refreshWaiting();
}

SyncClient::~SyncClient()
{
    stop();
}

void SyncClient::start()
{
    m_timer.start(0);
}

void SyncClient::stop()
{
    m_timer.stop();
    if (m_inFlight) {
        m_inFlight->abort();
        m_inFlight = nullptr;
    }
}

void SyncClient::syncNow()
{
    refreshWaiting();
    if (!m_inFlight && m_backoffMs == 0 && !m_revoked)
        m_timer.start(0);
}

void SyncClient::refreshWaiting()
{
    const int w = m_service.store().outboxSize();
    if (w != m_waiting) {
        m_waiting = w;
        emit statusChanged();
    }
}

QNetworkReply *SyncClient::send(const QByteArray &method, const QString &path, const QByteArray &body,
                                 const QByteArray &ifNoneMatch)
{
    QNetworkRequest request
        = kioskRequest(m_config.enrolment, m_installationId, m_devicePublicKey, path, m_config.requestTimeoutMs);
    if (!ifNoneMatch.isEmpty())
        request.setRawHeader("If-None-Match", ifNoneMatch);
    QNetworkReply *reply = m_network->sendCustomRequest(request, method, body);
    // Only the pinned certificate is accepted, whatever the CA or host name say.
    pinServerCertificate(reply, m_config.enrolment.certSha256);
    return reply;
}

void SyncClient::tick()
{
    if (m_inFlight || m_revoked)
        return;
    refreshWaiting();
    // Events first: a package that cannot be had (or checked) must never
    // hold back uploads. Then the package when due, or right after a drain
    // that followed a failure, so proctors see the conflicts the server
    // found in what was just sent.
    if (m_waiting > 0) {
        sendBatch();
        return;
    }
    if (!m_lastPackage.isValid() || m_packageAfterDrain
        || m_lastPackage.msecsTo(QDateTime::currentDateTimeUtc()) > m_config.packageRefreshMs) {
        fetchPackage();
        return;
    }
    // The photos the roster names and the kiosk lacks (after a package,
    // and once at start): only those travel, never one it holds.
    if (m_photosDue) {
        const QStringList missing = m_service.store().missingPhotos();
        if (!missing.isEmpty()) {
            fetchPhotos(missing.mid(0, kPhotosPerRequest));
            return;
        }
        m_photosDue = false;
    }
    emit roundFinished(true);
    m_timer.start(m_config.intervalMs);
}

void SyncClient::sendBatch()
{
    QElapsedTimer clock;
    clock.start();
    const QList<KioskEvent> batch = m_service.store().outboxBatch(m_config.batchSize);
    QJsonArray events;
    QList<qint64> sent;
    for (const auto &e : batch) {
        events.append(protocol::eventToJson(e, m_config.enrolment.kioskId()));
        sent.push_back(e.eventId);
    }
    // What will still wait once this batch is held: the dashboard shows it.
    const int waitingAfter = std::max(0, m_service.store().outboxSize() - int(sent.size()));
    m_inFlight = send("POST", QStringLiteral("/api/v1/kiosk/events"),
                      QJsonDocument(QJsonObject{{"events", events}, {"waiting", waitingAfter}})
                          .toJson(QJsonDocument::Compact));
    QNetworkReply *reply = m_inFlight;
    UploadTiming timing;
    timing.events = static_cast<int>(sent.size());
    timing.prepareNs = clock.nsecsElapsed();
    clock.restart();
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, sent, timing, clock] { onUploadFinished(reply, sent, timing, clock); });
}

void SyncClient::onUploadFinished(QNetworkReply *reply, QList<qint64> sent, UploadTiming timing, QElapsedTimer sentAt)
{
    timing.requestNs = sentAt.nsecsElapsed();
    reply->deleteLater();
    if (m_inFlight != reply)
        return;
    m_inFlight = nullptr;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QJsonObject body = QJsonDocument::fromJson(reply->isOpen() ? reply->readAll() : QByteArray()).object();
    if (status == 403 && noteRevoked(body))
        return;
    if (status != 200) {
        // The server's own words when it answered (a code used elsewhere, a bad event), else the network's.
        const QString message = body.value("error").toObject().value("message").toString();
        fail(message.isEmpty() ? reply->errorString() : message);
        return;
    }
    // Only what the server says it holds leaves the outbox.
    QList<qint64> acknowledged;
    for (const auto &v : body.value("acknowledged").toArray())
        if (sent.contains(v.toInteger()))
            acknowledged.push_back(v.toInteger());
    QElapsedTimer acknowledging;
    acknowledging.start();
    if (auto s = m_service.store().acknowledge(acknowledged); !s) {
        fail(s.error().message);
        return;
    }
    timing.acknowledgeNs = acknowledging.nsecsElapsed();
    qCDebug(lcSync) << "uploaded" << timing.events << "events: prepared in" << timing.prepareNs / 1000 << "µs, request"
                    << timing.requestNs / 1000 << "µs, acknowledged in" << timing.acknowledgeNs / 1000 << "µs";
    emit uploadTimed(timing);
    succeed();
    refreshWaiting();
    m_timer.start(0); // more to send, or idle next tick
}

void SyncClient::fetchPackage()
{
    // Only a package the kiosk still holds may be answered "unchanged".
    const bool holding = !m_service.store().package().sessions.isEmpty();
    m_inFlight = send("GET", QStringLiteral("/api/v1/kiosk/package"), {}, holding ? m_packageVersion : QByteArray());
    QNetworkReply *reply = m_inFlight;
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onPackageFinished(reply); });
}

void SyncClient::fetchPhotos(const QStringList &hashes)
{
    QJsonArray wanted;
    for (const QString &h : hashes)
        wanted.append(h);
    m_inFlight = send("POST", QStringLiteral("/api/v1/kiosk/photos"),
                      QJsonDocument(QJsonObject{{"sha256", wanted}}).toJson(QJsonDocument::Compact));
    QNetworkReply *reply = m_inFlight;
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onPhotosFinished(reply); });
}

void SyncClient::onPhotosFinished(QNetworkReply *reply)
{
    reply->deleteLater();
    if (m_inFlight != reply)
        return;
    m_inFlight = nullptr;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QJsonObject body = QJsonDocument::fromJson(reply->isOpen() ? reply->readAll() : QByteArray()).object();
    if (status == 403 && noteRevoked(body))
        return;
    if (status != 200) {
        const QString message = body.value("error").toObject().value("message").toString();
        fail(message.isEmpty() ? reply->errorString() : message);
        return;
    }
    QHash<QString, QByteArray> photos;
    const QJsonObject given = body.value("photos").toObject();
    for (auto it = given.constBegin(); it != given.constEnd(); ++it)
        photos.insert(it.key(), QByteArray::fromBase64(it.value().toString().toLatin1()));
    const qsizetype before = m_service.store().missingPhotos().size();
    if (auto s = m_service.store().addPhotos(photos); !s) {
        fail(s.error().message);
        return;
    }
    // Nothing new (the server has none of the rest, e.g. a photo removed
    // since the package): not asked again until the next package.
    if (m_service.store().missingPhotos().size() >= before)
        m_photosDue = false;
    emit photosUpdated();
    succeed();
    m_timer.start(0);
}

void SyncClient::onPackageFinished(QNetworkReply *reply)
{
    reply->deleteLater();
    if (m_inFlight != reply)
        return;
    m_inFlight = nullptr;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray bytes = reply->isOpen() ? reply->readAll() : QByteArray();
    if (status == 403 && noteRevoked(QJsonDocument::fromJson(bytes).object()))
        return;
    if (status == 304) {
        m_lastPackage = QDateTime::currentDateTimeUtc();
        succeed();
        m_timer.start(0);
        return;
    }
    if (status != 200) {
        const QString message = QJsonDocument::fromJson(bytes).object().value("error").toObject().value("message").toString();
        fail(message.isEmpty() ? reply->errorString() : message);
        return;
    }
    auto trusted = VerifyKey::fromRaw(m_service.store().identity().trustedKeyRaw);
    if (!trusted) {
        // First contact: trust the signer only if it is the key the
        // enrolment code (scanned at the server's screen) names.
        const auto signer = protocol::packageSigner(bytes);
        if (!signer || signer->fingerprint().toLatin1() != m_config.enrolment.ticketKeySha256) {
            fail(QStringLiteral("数据包的签名密钥与登记码中的不符"));
            return;
        }
        KioskIdentity identity = m_service.store().identity();
        identity.trustedKeyRaw = signer->raw();
        if (identity.kioskId.isEmpty())
            identity.kioskId = m_config.enrolment.kioskId();
        if (auto s = m_service.store().setIdentity(identity); !s) {
            fail(s.error().message);
            return;
        }
        trusted = signer;
    }
    auto package = protocol::decodeSessionPackage(bytes, *trusted);
    if (!package) {
        // Keep working on the last good package.
        fail(package.error());
        return;
    }
    if (auto s = m_service.store().provision(*package); !s) {
        // Older than the package held (a server whose clock or store went
        // back): refused, and the kiosk keeps working on what it holds.
        fail(s.error().code == StoreError::Code::Refused
                ? olderPackageMessage(*package, m_service.store().package())
                : s.error().message);
        return;
    }
    if (m_service.store().identity().room.isEmpty() && !package->room.isEmpty()) {
        KioskIdentity identity = m_service.store().identity();
        identity.room = package->room;
        identity.site = package->site;
        m_service.store().setIdentity(identity);
    }
    m_service.reload();
    m_lastPackage = QDateTime::currentDateTimeUtc();
    m_packageVersion = reply->rawHeader("ETag");
    m_packageAfterDrain = false;
    m_photosDue = true;
    emit packageUpdated();
    succeed();
    m_timer.start(0);
}

QString SyncClient::olderPackageMessage(const SessionPackage &refused, const SessionPackage &held)
{
    const QString heldMade = examClock(held.generatedAt, tr("M月d日 HH:mm"));
    if (!refused.version.isSet())
        return tr("这份场次数据包没有版本号（旧版服务器制作），比本机现有的（%1 制作）旧：已拒绝，本机继续使用现有数据包。"
                  "请向考务办公室索取最新的数据包")
            .arg(heldMade);
    return tr("这份场次数据包比本机现有的旧（它是 %1 考试日、%2 制作的，本机现有的是 %3 考试日、%4 制作的），"
              "可能是过期的副本：已拒绝，本机继续使用现有数据包。请向考务办公室索取最新的数据包")
        .arg(refused.version.day.toString(tr("M月d日")),
            examClock(refused.generatedAt, tr("M月d日 HH:mm")),
            held.version.day.toString(tr("M月d日")), heldMade);
}

bool SyncClient::noteRevoked(const QJsonObject &body)
{
    const QJsonObject error = body.value("error").toObject();
    if (error.value("code").toString() != QLatin1String("kiosk_revoked"))
        return false;
    m_revoked = true;
    m_lastError = error.value("message").toString();
    emit statusChanged();
    emit kioskRevoked(m_lastError);
    return true;
}

void SyncClient::fail(const QString &why)
{
    qCInfo(lcSync) << "sync failed:" << why;
    m_lastError = why;
    m_backoffMs = m_backoffMs == 0 ? m_config.minBackoffMs : std::min(m_backoffMs * 2, m_config.maxBackoffMs);
    m_online = false;
    m_packageAfterDrain = true;
    emit statusChanged();
    emit roundFinished(false);
    m_timer.start(m_backoffMs);
}

void SyncClient::succeed()
{
    m_backoffMs = 0;
    m_online = true;
    m_lastError.clear();
    m_lastSync = QDateTime::currentDateTimeUtc();
    emit statusChanged();
}

} // namespace kaodian::kiosk
