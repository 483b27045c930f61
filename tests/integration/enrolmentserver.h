#pragma once

// A Kaodian server in the test's own process, over real TLS on loopback,
// for the tests of enrolling a kiosk at its screen: a sample roster whose
// first exam day is today (China Standard Time) and kiosks enrolled through
// the office's own use case, so the codes are exactly what
// `kaodian-server kiosk enrol` prints and the dashboard shows.
// The server answers from its own threads; the test's thread stays free for
// the kiosk's Qt Network.

#include "api/api.h"
#include "auth/password.h"
#include "http/httpsserver.h"
#include "http/tlscert.h"
#include "office/enrolment.h"
#include "office/kiosks.h"
#include "sample/sampleroster.h"
#include "store/rosterapply.h"

#include <QDir>
#include <QTimeZone>

#include <memory>

namespace kaodian::testing {

class EnrolmentServer
{
public:
    static inline const QString kSite = QStringLiteral("实训楼考点");

    // Creates the store in `dir` and serves on an ephemeral port; empty on success.
    QString start(const QString &dir)
    {
        using namespace kaodian::server;
        const QString data = QDir(dir).filePath(QStringLiteral("server"));
        if (auto s = ServerStore::createEmbedded(data); !s)
            return s.error().message;
        m_pool = std::make_unique<StorePool>(StoreLocation{data, QString()},
                                             [] { return QDateTime::currentDateTimeUtc(); });
        {
            auto store = m_pool->acquire();
            if (!store)
                return store.error().message;
            const QDate today = QDateTime::currentDateTimeUtc().toTimeZone(QTimeZone(8 * 3600)).date();
            auto parsed = parseRosterFile(sampleRosterCsv({.candidates = 60, .seed = 5, .firstExamDate = today}), "r.csv");
            if (!parsed)
                return QStringLiteral("sample roster refused");
            if (!(*store)->rosters().applyRoster(*parsed, "r.csv", "test"))
                return QStringLiteral("sample roster not applied");
        }
        const QString cert = QDir(dir).filePath(QStringLiteral("cert.pem"));
        const QString key = QDir(dir).filePath(QStringLiteral("key.pem"));
        if (auto s = writeSelfSignedCertificate(cert, key, {}, 30); !s)
            return s.error();
        m_certSha256 = certificateFingerprintSha256(cert);
        ApiConfig config;
        config.ticketKey = m_ticketKey;
        config.tlsCertificateSha256 = m_certSha256;
        m_api = std::make_unique<Api>(*m_pool, config);
        m_server = std::make_unique<HttpsServer>(TlsFiles{cert, key}, HttpLimits{},
                                                 [this](const HttpRequest &r) { return m_api->handle(r); });
        if (auto s = m_server->listen(QStringLiteral("127.0.0.1"), 0); !s)
            return s.error();
        return {};
    }

    void stop()
    {
        if (m_server)
            m_server->stop();
    }

    [[nodiscard]] quint16 port() const { return m_server ? m_server->port() : 0; }
    [[nodiscard]] QString certSha256() const { return m_certSha256; }
    [[nodiscard]] QString ticketKeySha256() const { return m_ticketKey.verifyKey().fingerprint(); }

    // A new kiosk of room 01 as the office enrols it: its KDENROL1 code (empty on failure).
    QString enrolKiosk(const QString &name = QStringLiteral("01 考场门口"))
    {
        auto store = m_pool->acquire();
        if (!store)
            return {};
        server::office::KioskEnrolmentRequest request;
        request.siteName = kSite;
        request.room = QStringLiteral("01");
        request.name = name;
        request.serverUrl = QStringLiteral("https://127.0.0.1:%1").arg(port());
        request.tlsCertificateSha256 = m_certSha256;
        request.ticketKeySha256 = ticketKeySha256();
        auto enrolment = server::office::enrolKiosk(**store, request, QStringLiteral("test"));
        return enrolment ? enrolment->code : QString();
    }

    bool revoke(const QString &kioskId)
    {
        auto store = m_pool->acquire();
        return store && server::office::revokeKiosk(**store, kioskId, QStringLiteral("test")).ok();
    }

    // Another installation presents the kiosk's code first (as a kiosk elsewhere would).
    bool claimElsewhere(const QString &kioskId)
    {
        auto store = m_pool->acquire();
        if (!store)
            return false;
        auto claim = (*store)->kiosks().claim(kioskId, server::sha256Hex(QByteArrayLiteral("another installation")), QByteArray(),
                                               QStringLiteral("kiosk:") + kioskId);
        return claim && *claim == server::KioskClaim::Claimed;
    }

    // What the server holds of a kiosk (installed_at and the installation's hash).
    std::optional<server::KioskRecord> kiosk(const QString &kioskId)
    {
        auto store = m_pool->acquire();
        if (!store)
            return std::nullopt;
        auto k = (*store)->kiosks().kiosk(kioskId);
        return k ? *k : std::nullopt;
    }

private:
    std::unique_ptr<server::StorePool> m_pool;
    std::unique_ptr<server::Api> m_api;
    std::unique_ptr<server::HttpsServer> m_server;
    SigningKey m_ticketKey = *SigningKey::generate();
    QString m_certSha256;
};

} // namespace kaodian::testing
