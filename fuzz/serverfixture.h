#pragma once

// A whole server in the fuzzer's process: an embedded store in a temporary
// folder with the sample roster, the office logged in, a kiosk enrolled, and
// the handler kaodian-server serve runs (API + pages). Made once, on first
// use; the fuzz input then goes through the same code as a real request.

#include "api/api.h"
#include "office/enrolment.h"
#include "auth/password.h"
#include "sample/sampleroster.h"
#include "store/rosterapply.h"
#include "web/webpages.h"

#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cstdlib>
#include <memory>

namespace kaodian::fuzzing {

struct ServerFixture
{
    std::unique_ptr<QGuiApplication> app; // the ticket and report PDFs need fonts
    QTemporaryDir dir;
    std::unique_ptr<server::StorePool> pool;
    std::unique_ptr<server::Api> api;
    std::unique_ptr<server::WebPages> pages;
    server::HttpHandler handler;
    QByteArray cookie;     // the office's session cookie value
    QByteArray csrf;       // and its CSRF token
    QByteArray credential; // the kiosk's "<id>.<secret>"

    [[noreturn]] static void fail(const char *what)
    {
        std::fprintf(stderr, "fuzz fixture: %s\n", what);
        std::abort();
    }

    static ServerFixture &instance()
    {
        static ServerFixture *f = [] {
            qputenv("QT_QPA_PLATFORM", "offscreen");
            auto *fx = new ServerFixture;
            fx->build();
            return fx;
        }();
        return *f;
    }

private:
    void build()
    {
        static int argc = 1;
        static char name[] = "fuzz";
        static char *argv[] = {name, nullptr};
        app = std::make_unique<QGuiApplication>(argc, argv);
        const server::StoreLocation location{dir.filePath(QStringLiteral("data")), QString()};
        if (!server::ServerStore::createEmbedded(location.dataDir).ok())
            fail("cannot create the store");
        pool = std::make_unique<server::StorePool>(location);
        auto store = pool->acquire();
        if (!store.ok())
            fail("cannot open the store");
        server::SampleRosterOptions options;
        options.candidates = 40;
        const auto roster = server::parseRosterFile(server::sampleRosterCsv(options), QStringLiteral("sample.csv"));
        if (!roster.ok() || !(*store)->rosters().applyRoster(*roster, QStringLiteral("sample.csv"), QStringLiteral("fuzz")).ok())
            fail("cannot import the sample roster");
        const QString password = QStringLiteral("fuzzing-password");
        if (!(*store)->accounts().addUser(QStringLiteral("office"), server::hashPassword(password), server::Role::Admin, std::nullopt,
                               QStringLiteral("fuzz")).ok())
            fail("cannot add the office");
        const auto site = (*store)->rosters().sites();
        if (!site.ok() || site->isEmpty())
            fail("no site");
        server::office::KioskEnrolmentRequest enrol;
        enrol.siteName = site->first().name;
        enrol.name = QStringLiteral("fuzz kiosk");
        enrol.serverUrl = QStringLiteral("https://127.0.0.1:8443");
        enrol.tlsCertificateSha256 = QString(64, QLatin1Char('a'));
        enrol.ticketKeySha256 = QString(64, QLatin1Char('b'));
        const auto kiosk = server::office::enrolKiosk(**store, enrol, QStringLiteral("fuzz"));
        if (!kiosk.ok())
            fail("cannot enrol the kiosk");
        credential = kiosk->credential.toLatin1();

        server::ApiConfig config;
        config.ticketKey = *SigningKey::fromRaw(QByteArray(32, '\x07'));
        config.tlsCertificateSha256 = QString(64, QLatin1Char('a'));
        config.login.failedLoginsPerAddressPerMinute = 1000000; // the fuzzer logs in wrong a lot
        api = std::make_unique<server::Api>(*pool, config);
        pages = std::make_unique<server::WebPages>();
        handler = server::serverHandler(*api, *pages);

        server::HttpRequest login;
        login.method = "POST";
        login.target = "/api/v1/login";
        login.peerAddress = QStringLiteral("127.0.0.1");
        login.headers.insert("content-type", "application/json");
        login.body = QJsonDocument(QJsonObject{{"username", "office"}, {"password", password}}).toJson();
        const auto r = handler(login);
        if (r.status != 200)
            fail("cannot log in");
        for (const auto &[k, v] : r.headers)
            if (k.compare("Set-Cookie", Qt::CaseInsensitive) == 0)
                cookie = v.split(';').first().mid(int(sizeof("kd_session=")) - 1);
        csrf = QJsonDocument::fromJson(r.body).object().value("csrf_token").toString().toLatin1();
        if (cookie.isEmpty() || csrf.isEmpty())
            fail("no session");
    }
};

// Every response the server gives must be a well-formed answer: a known
// status, and a JSON body that parses for the API's JSON answers.
inline void checkResponse(const server::HttpRequest &request, const server::HttpResponse &response)
{
    if (response.status < 200 || response.status > 599)
        std::abort();
    if (request.target.startsWith("/api/") && response.contentType.startsWith("application/json")) {
        QJsonParseError error{};
        QJsonDocument::fromJson(response.body, &error);
        if (error.error != QJsonParseError::NoError)
            std::abort();
    }
}

} // namespace kaodian::fuzzing
