#pragma once

// The HTTPS transport of kaodian-server: HTTP/1.1 over TLS 1.2+ (Boost.Beast
// over OpenSSL, all of it behind a pimpl in httpsserver.cpp), with the
// request size, header size, idle time and connection count bounded as
// DESIGN.md's security model asks.
//
// Threads: limits.ioThreads threads run the accept loop and all socket I/O;
// the handler runs on a separate pool of limits.workerThreads threads, so a
// slow handler never holds up accepting or other connections. The handler is
// called concurrently and must be thread-safe; its response is written back
// by the connection's I/O strand.
//
// Ownership and thread-safety: HttpsServer owns its threads, sockets and TLS
// context. listen(), stop() and the destructor are meant to be called from
// the thread that owns the server (not from inside the handler); port() and
// activeConnections() may be called from any thread. stop() closes the
// listening socket and every connection, waits for handlers still running to
// return (a handler that never returns keeps stop() waiting), joins all
// threads and then returns; the destructor calls stop().

#include "core/result.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QPair>
#include <QString>

#include <functional>
#include <memory>

namespace kaodian::server {

// One request as the handler sees it.
struct HttpRequest
{
    QByteArray method; // "GET", "POST", ...
    QByteArray target; // request-target as sent: path and query
    QHash<QByteArray, QByteArray>
        headers; // names lower-case; repeated fields joined with ", " ("; " for cookie)
    QByteArray body;
    QString peerAddress; // the client's IP address
};

// The handler's answer. The server adds the security headers (HSTS, nosniff,
// frame denial, no referrer, Cache-Control: no-store and a CSP unless set here).
struct HttpResponse
{
    int status = 200;
    QByteArray contentType = "application/json; charset=utf-8";
    QList<QPair<QByteArray, QByteArray>> headers; // may repeat a name (Set-Cookie)
    QByteArray body;
};

// Called on worker threads, concurrently. An exception becomes a 500 whose
// body says nothing of it.
using HttpHandler = std::function<HttpResponse(const HttpRequest &)>;

// The bounds of the transport. Values below 1 (1024 for maxHeaderBytes, 0
// for maxBodyBytes, maxBodyBytes for maxBufferedBodyBytes) are raised to that.
struct HttpLimits
{
    qint64 maxBodyBytes = qint64(16) * 1024 * 1024; // larger: 413 right after the headers, body never read
    int maxHeaderBytes = 16 * 1024; // larger: 431
    int idleTimeoutMs = 30000; // deadline for a whole request head, for a body, for a write
    int handshakeTimeoutMs = 10000;
    int maxConnections = 256; // beyond: the new connection is closed before the handshake
    // All request bodies being received or handled at once (a declared
    // Content-Length counts in full from the headers on, a chunked body as
    // maxBodyBytes): beyond, 503 `busy` right after the headers. Without it
    // maxConnections bodies of maxBodyBytes could be held at once (4 GiB).
    qint64 maxBufferedBodyBytes = qint64(64) * 1024 * 1024;
    int workerThreads = 4;
    int ioThreads = 2;
};

// PEM files: the server certificate followed by any intermediates, and its key.
struct TlsFiles
{
    QString certificateChain;
    QString privateKey;
};

// An HTTPS/1.1 server that passes each request to one handler.
class HttpsServer
{
public:
    HttpsServer(TlsFiles tls, HttpLimits limits, HttpHandler handler);
    ~HttpsServer();
    HttpsServer(const HttpsServer &) = delete;
    HttpsServer &operator=(const HttpsServer &) = delete;

    // Loads the certificate and key, binds address:port (port 0: an ephemeral
    // port, see port()) and starts serving. An error says what to fix.
    kaodian::Status<QString> listen(const QString &address, quint16 port);
    // The bound port; 0 when not listening.
    quint16 port() const;
    // Closes everything and joins the threads; idempotent. See above.
    void stop();
    // Connections accepted and not yet closed (for tests and monitoring).
    int activeConnections() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

// Raw bytes parsed as a connection parses them (the same Beast parser, the
// same limits, the same conversion to HttpRequest): the complete requests in
// order, and the status a connection would refuse the first bad one with
// (400, 413 or 431; 0 when none was refused). An incomplete last request is
// left out. For the fuzzer and tests of the transport's parsing.
struct ParsedRequests
{
    QList<HttpRequest> requests;
    int refusal = 0;
};
ParsedRequests parseRequests(const QByteArray &raw, const HttpLimits &limits = {});

} // namespace kaodian::server
