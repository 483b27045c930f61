#pragma once

// The kiosk's link to the server, offline-first: an OutboxRelay that sends
// the outbox in batches (at least once; the server stores each event once),
// acknowledges what the server holds, backs off while the network is down,
// and refreshes the session package. The kiosk never waits on it to check
// anyone in. The server's TLS certificate is pinned by its SHA-256 from the
// enrolment code; nothing else is trusted.
//
// Threads: lives on the UI thread (Qt's network stack is asynchronous).

#include "kiosk/core/checkinservice.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <QUrl>

class QJsonObject;
class QNetworkAccessManager;
class QNetworkReply;

namespace kaodian::kiosk {

// What a proctor scans (or types) to enrol a kiosk:
// "KDENROL1|https://host:port|KIOSKID.SECRET|<cert sha256 hex>|<ticket key sha256 hex>"
struct EnrolmentCode
{
    QUrl server;
    QString credential;       // KIOSKID.SECRET
    QByteArray certSha256;    // hex, lower case
    QByteArray ticketKeySha256; // hex, lower case

    static std::optional<EnrolmentCode> parse(const QString &text);
    [[nodiscard]] QString toString() const;
    [[nodiscard]] QString kioskId() const { return credential.section(QLatin1Char('.'), 0, 0); }
};

struct SyncConfig
{
    EnrolmentCode enrolment;
    int batchSize = 500;       // the server takes up to 1,000
    int intervalMs = 2000;     // when idle and online
    int minBackoffMs = 1000;   // after a failure, doubling…
    int maxBackoffMs = 60000;  // …up to this
    int requestTimeoutMs = 15000;
    int packageRefreshMs = 300000;
};

// Where one upload's time went, on the kiosk's monotonic clock (for the
// benchmarks and the debug log): taking the batch from the outbox and
// writing its JSON; the request on the wire (sent → the whole answer read,
// the server's work included); the acknowledged events leaving the outbox
// (one synced SQLCipher transaction).
struct UploadTiming
{
    int events = 0;
    qint64 prepareNs = 0;
    qint64 requestNs = 0;
    qint64 acknowledgeNs = 0;
};

class SyncClient : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool online READ online NOTIFY statusChanged)
    Q_PROPERTY(int waiting READ waiting NOTIFY statusChanged)
    Q_PROPERTY(QDateTime lastSync READ lastSync NOTIFY statusChanged)
    Q_PROPERTY(bool revoked READ revoked NOTIFY statusChanged)
    Q_PROPERTY(QString lastError READ lastError NOTIFY statusChanged)

public:
    SyncClient(CheckInService &service, SyncConfig config, QObject *parent = nullptr);
    ~SyncClient() override;

    void start();
    void stop();
    // Sends now (e.g. after a check-in) unless backing off.
    Q_INVOKABLE void syncNow();

    [[nodiscard]] bool online() const { return m_online; }
    [[nodiscard]] int waiting() const { return m_waiting; }
    [[nodiscard]] QDateTime lastSync() const { return m_lastSync; }
    [[nodiscard]] bool revoked() const { return m_revoked; }
    [[nodiscard]] QString lastError() const { return m_lastError; }

    // Why a package older than the one held (KioskStore::provision refused
    // it) was not taken, in the proctor's words: for a download and for a
    // file alike.
    static QString olderPackageMessage(const SessionPackage &refused, const SessionPackage &held);

signals:
    void statusChanged();
    void packageUpdated();
    // Photos the roster names arrived (POST /api/v1/kiosk/photos).
    void photosUpdated();
    // The server refused this kiosk: stop checking in, export the outbox.
    void kioskRevoked(const QString &message);
    // A round (uploads until the outbox is empty, or a failure) ended.
    void roundFinished(bool ok);
    // An upload the server held and the outbox let go of.
    void uploadTimed(const kaodian::kiosk::UploadTiming &timing);

private:
    void tick();
    void sendBatch();
    void fetchPackage();
    void onUploadFinished(QNetworkReply *reply, QList<qint64> sent, UploadTiming timing, QElapsedTimer sentAt);
    void onPackageFinished(QNetworkReply *reply);
    void fetchPhotos(const QStringList &hashes);
    void onPhotosFinished(QNetworkReply *reply);
    // A 403 kiosk_revoked: stop for good and tell the app.
    bool noteRevoked(const QJsonObject &body);
    void fail(const QString &why);
    void succeed();
    QNetworkReply *send(const QByteArray &method, const QString &path, const QByteArray &body = {},
                        const QByteArray &ifNoneMatch = {});
    void refreshWaiting();

    CheckInService &m_service;
    SyncConfig m_config;
    QNetworkAccessManager *m_network;
    QTimer m_timer;
    QNetworkReply *m_inFlight = nullptr;
    bool m_online = false;
    bool m_revoked = false;
    int m_waiting = 0;
    int m_backoffMs = 0;
    QDateTime m_lastSync;
    QDateTime m_lastPackage;
    QByteArray m_packageVersion; // the server's ETag of the package held: unchanged ones are not downloaded again
    bool m_packageAfterDrain = false; // a failure happened: refresh the package once drained
    bool m_photosDue = true; // look for photos the roster names and the store lacks
    static constexpr int kPhotosPerRequest = 100; // at most 100 x 43 KB base64 in one answer
    QString m_lastError;
    QByteArray m_installationId; // kept in the store (KioskStore::installationId)
    QByteArray m_devicePublicKey; // raw; of the store's device key (KioskStore::deviceKey), empty without one
};

} // namespace kaodian::kiosk
