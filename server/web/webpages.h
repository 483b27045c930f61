#pragma once

// The exam office's dashboard: plain HTML, CSS and ES modules (web/static)
// and Apache ECharts (from npm, web/package-lock.json), compiled into the
// binary as Qt resources, so the pages need nothing from outside the server.
// The pages are one application shell that reads its data from /api/v1;
// every path of the application (/, /login, /sessions/12, /admin/kiosks …)
// answers with the shell and the script draws the page. Scope checks are
// the API's: the shell itself holds no data.
//
// Thread-safe: the resources are read-only; the ETag table is built once.

#include "http/httpsserver.h"

namespace kaodian::server {

class Api;

class WebPages
{
public:
    WebPages();
    HttpResponse handle(const HttpRequest &request) const;

private:
    HttpResponse font(const HttpRequest &request, const QString &name) const;

    struct Asset
    {
        QByteArray body;
        QByteArray contentType;
        QByteArray etag;
    };
    QHash<QString, Asset> m_assets; // by path under /static/
    // The fallback fonts for rare characters in names (李𪚥, CJK Extension
    // B and beyond; print/ticketfont.h): files on disk, served as
    // /static/fonts/<name> and read when asked for. A browser asks only when
    // a page shows a character its own fonts lack (style.css's unicode-range).
    QHash<QString, QString> m_fonts; // file name → path
};

// The server's whole handler: /api/ to the API, the rest to the pages.
HttpHandler serverHandler(Api &api, const WebPages &pages);

} // namespace kaodian::server
