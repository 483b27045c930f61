#pragma once

// The API's route table: each route says its method, its path pattern
// (segments; "{name}" captures one), who may call it and over what scope,
// and its handler. Role and scope live in the table, not in the handlers,
// so a new endpoint cannot forget its check: tst_routes walks the table and
// fails on any route that leaves either unset or pairs them wrongly.
//
// Thread-safety: the table is built once and only read.

#include "http/httpsserver.h"
#include "store/accountstore.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace kaodian::server {

// Who may call a route.
enum class Access : std::uint8_t {
    Unset,  // never valid: the table test fails on it
    Public, // anyone (health, login)
    Kiosk,  // an enrolled, unrevoked kiosk by its credential
    Person, // any logged-in person (the office, 教务处 and a college viewer read; 人事处 has no college)
    Office, // the exam office (admin)
    Metrics, // the exam office, or a scraper with the metrics token (GET /metrics)
    OfficeOrAcademic, // the office or 教务处 (academic): majors, pilots, sites, certificates, cases
    OfficeOrHr,       // the office or 人事处 (hr): teachers and qualifications
    Staff,            // the office, 教务处 or 人事处 (no college viewer): reads both keep
    College,          // a college's own user only (二级学院): what the college itself sends
};

// Whether a person of this role may call a route of this access (Person:
// anyone logged in; the scope then decides what they see).
bool roleMayCall(Access access, Role role);

// What part of the data a route reaches.
enum class Scope : std::uint8_t {
    Unset,          // never valid
    None,           // no data (health, login, logout, me)
    OwnSite,        // the calling kiosk's own site and room
    OwnCollege,     // a college viewer sees its own college, the office and 教务处 all, 人事处 none
    SessionCollege, // the {session} in the path: another college's answers 404
    All,            // the office's: every college
};

class Api;
struct ApiContext;
using RouteHandler = HttpResponse (Api::*)(ApiContext &);

struct Route
{
    QByteArray method;   // GET, POST, PUT
    QStringList pattern; // path segments after /api/v1/, "{name}" captures
    Access access = Access::Unset;
    Scope scope = Scope::Unset;
    RouteHandler handler = nullptr;
};

// Does path (segments) match pattern? Fills captures by name.
bool matchRoute(const QStringList &pattern, const QStringList &path, QHash<QString, QString> *captures);

// Why a route's access and scope do not fit together; empty when they do.
QString routeProblem(const Route &route);

} // namespace kaodian::server
