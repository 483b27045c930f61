#pragma once

// The API's route table: each route says its method, its path pattern
// (segments; "{name}" captures one), who may call it and over what scope,
// and its handler. Role and scope live in the table, not in the handlers,
// so a new endpoint cannot forget its check: tst_routes walks the table and
// fails on any route that leaves either unset or pairs them wrongly.
//
// Thread-safety: the table is built once and only read.

#include "http/httpsserver.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace kaodian::server {

// Who may call a route.
enum class Access : std::uint8_t {
    Unset,  // never valid: the table test fails on it
    Public, // anyone (health, login)
    Kiosk,  // an enrolled, unrevoked kiosk by its credential
    Person, // any logged-in person (admin or college viewer)
    Office, // the exam office (admin)
    Metrics, // the exam office, or a scraper with the metrics token (GET /metrics)
};

// What part of the data a route reaches.
enum class Scope : std::uint8_t {
    Unset,          // never valid
    None,           // no data (health, login, logout, me)
    OwnSite,        // the calling kiosk's own site and room
    OwnCollege,     // a college viewer sees its own college, the office all
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
