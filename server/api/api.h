#pragma once

// The JSON API under /api/v1 (docs/api.md): people log in with a password
// and get an HttpOnly, Secure, SameSite=Strict session cookie plus a CSRF
// token that every change must echo; kiosks authenticate with their
// enrolment credential. Requests are dispatched by the route table
// (routes.h), which declares the role and scope of every route; handlers
// only translate a request into an office use case (server/office) and its
// answer into JSON. Errors are JSON {"error": {"code", "message"}} and
// never carry internals.
//
// Thread-safety: handle() is called concurrently from the HTTP worker
// threads; each call borrows its own store connection from the pool.

#include "api/apisupport.h"
#include "api/metrics.h"
#include "api/routes.h"
#include "api/storepool.h"
#include "http/httpsserver.h"

#include "core/caselife.h"
#include "core/ed25519.h"

#include <QDateTime>
#include <QHash>
#include <QMutex>
#include <QUrl>
#include <QUrlQuery>

namespace kaodian::server {

// Knobs of the API, with the values the server runs with. The clock is the
// pool's (StorePool), so the API and the stores read one time.
struct ApiConfig
{
    // Wrong passwords: per account (then locked) and per address (then 429),
    // counted in the store, so every process over it shares them.
    LoginLimits login;
    int sessionHours = 8;
    int maxEventsPerBatch = 1000;
    // Signs admission tickets and the session packages kiosks download;
    // none: those endpoints answer 503.
    std::optional<SigningKey> ticketKey;
    // The SHA-256 of the server's TLS certificate, which enrolment codes
    // ask kiosks to pin (POST /kiosks answers 503 without it).
    QString tlsCertificateSha256;
};

// Who is calling: a person with a web session, a kiosk, or nobody.
struct ApiCaller
{
    std::optional<UserRecord> user;
    QString sessionTokenHash;
    QString csrfToken;
    std::optional<KioskRecord> kiosk;
    bool metricsScraper = false; // presented the metrics token

    [[nodiscard]] bool isAdmin() const { return user && user->role == Role::Admin; }
    // The office and 教务处 read every college.
    [[nodiscard]] bool seesEveryCollege() const
    {
        return user && (user->role == Role::Admin || user->role == Role::Academic);
    }
    [[nodiscard]] QString actor() const;
    // May this caller see the college's data?
    [[nodiscard]] bool canSeeCollege(Id collegeId) const
    {
        return seesEveryCollege()
            || (user && user->role == Role::CollegeViewer && user->collegeId && *user->collegeId == collegeId);
    }
};

// One request on its way through a handler.
struct ApiContext
{
    const HttpRequest &request;
    ServerStore &store;
    QUrlQuery query;
    QHash<QString, QString> params; // the route's captures
    ApiCaller caller;
    Id sessionId = 0;                // Scope::SessionCollege: the {session}
    std::optional<Id> collegeScope;  // Scope::OwnCollege: empty for the office
};

class Api
{
public:
    Api(StorePool &pool, ApiConfig config = {});
    HttpResponse handle(const HttpRequest &request);

    // Every route, for dispatch and for the table test.
    static const QList<Route> &routes();

private:
    // The request's path and the route it names, found before any store is touched.
    struct RouteMatch
    {
        QUrl url;
        QByteArray method; // HEAD is matched as GET
        QStringList parts; // path segments after /api/v1/
        const Route *route = nullptr;
        bool pathKnown = false; // some route has this path, perhaps with another method
        QHash<QString, QString> params;
    };
    static RouteMatch matchRequest(const HttpRequest &request);
    HttpResponse dispatch(const HttpRequest &request, ServerStore &store, RouteMatch &match);
    // Fills ctx.caller from the request's credential; an answer when the
    // credential itself is refused.
    std::optional<HttpResponse> identify(ApiContext &ctx);
    // A kiosk's enrolment code is bound to the first installation that presents it.
    std::optional<HttpResponse> claimEnrolment(ApiContext &ctx, KioskRecord &kiosk);
    std::optional<HttpResponse> checkScope(const Route &route, ApiContext &ctx);
    QDateTime now() const { return m_pool.clock()(); }

    // Handlers (apihandlers.cpp and api.cpp).
    HttpResponse health(ApiContext &ctx);
    HttpResponse login(ApiContext &ctx);
    HttpResponse logout(ApiContext &ctx);
    HttpResponse me(ApiContext &ctx);
    HttpResponse kioskEvents(ApiContext &ctx);
    HttpResponse kioskPackage(ApiContext &ctx);
    HttpResponse statistics(ApiContext &ctx);
    HttpResponse compliance(ApiContext &ctx);
    HttpResponse session(ApiContext &ctx);
    HttpResponse exportPeople(ApiContext &ctx);
    HttpResponse publishedCount(ApiContext &ctx);
    HttpResponse sessionTickets(ApiContext &ctx);
    HttpResponse resultsFinal(ApiContext &ctx); // resulthandlers.cpp
    HttpResponse importRoster(ApiContext &ctx);
    HttpResponse importResults(ApiContext &ctx);  // resulthandlers.cpp
    HttpResponse correctResult(ApiContext &ctx);  // resulthandlers.cpp
    HttpResponse importProctors(ApiContext &ctx); // proctorhandlers.cpp
    HttpResponse proctorPin(ApiContext &ctx);     // proctorhandlers.cpp
    HttpResponse ticketImage(ApiContext &ctx);
    HttpResponse reissue(ApiContext &ctx);
    HttpResponse withdrawRegistration(ApiContext &ctx);
    HttpResponse moveRegistration(ApiContext &ctx);
    HttpResponse replaceCandidate(ApiContext &ctx);
    HttpResponse excuseRegistration(ApiContext &ctx);
    HttpResponse auditLog(ApiContext &ctx);
    HttpResponse listUsers(ApiContext &ctx);
    HttpResponse addUser(ApiContext &ctx);
    HttpResponse sites(ApiContext &ctx); // basedatahandlers.cpp
    HttpResponse enrolKiosk(ApiContext &ctx);
    HttpResponse listKiosks(ApiContext &ctx);
    HttpResponse revokeKiosk(ApiContext &ctx);
    HttpResponse kioskEventsFile(ApiContext &ctx);
    HttpResponse metrics(ApiContext &ctx); // metrics.cpp
    // basedatahandlers.cpp: the rules' data.
    HttpResponse importBaseData(ApiContext &ctx, int kind);
    HttpResponse importMajors(ApiContext &ctx);
    HttpResponse importPilots(ApiContext &ctx);
    HttpResponse importTeachers(ApiContext &ctx);
    HttpResponse importSites(ApiContext &ctx);
    HttpResponse listMajors(ApiContext &ctx);
    HttpResponse listPilots(ApiContext &ctx);
    HttpResponse listTeachers(ApiContext &ctx);
    HttpResponse listCertificates(ApiContext &ctx);
    HttpResponse editMajor(ApiContext &ctx);
    HttpResponse editPilot(ApiContext &ctx);
    HttpResponse editSite(ApiContext &ctx);
    HttpResponse editTeacher(ApiContext &ctx);
    HttpResponse editQualification(ApiContext &ctx);
    HttpResponse cancelCertificate(ApiContext &ctx);
    HttpResponse importPhotos(ApiContext &ctx); // photohandlers.cpp
    HttpResponse kioskPhotos(ApiContext &ctx);  // photohandlers.cpp
    HttpResponse sitePaper(ApiContext &ctx);    // photohandlers.cpp
    // casehandlers.cpp: weekly reports and cases.
    HttpResponse submitReport(ApiContext &ctx);
    HttpResponse reports(ApiContext &ctx);
    HttpResponse reportAttachment(ApiContext &ctx);
    HttpResponse putReportExemption(ApiContext &ctx);
    HttpResponse deleteReportExemption(ApiContext &ctx);
    HttpResponse listCases(ApiContext &ctx);
    HttpResponse caseDetail(ApiContext &ctx);
    HttpResponse caseSubjects(ApiContext &ctx);
    HttpResponse recordFinding(ApiContext &ctx);
    HttpResponse moveCase(ApiContext &ctx);
    HttpResponse recordRectification(ApiContext &ctx);
    HttpResponse caseAttachment(ApiContext &ctx);
    HttpResponse caseMove(ApiContext &ctx, CaseActor kind);

    StorePool &m_pool;
    ApiConfig m_config;
    ApiMetrics m_metrics; // this process's counters
};

} // namespace kaodian::server
