// The only translation unit that includes Boost: Beast and Asio stay here.

#include "http/httpsserver.h"

#include <cstring>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

Q_LOGGING_CATEGORY(lcHttp, "kaodian.http")

namespace kaodian::server {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using boost::system::error_code;

class Connection;

// What the listener and every connection share; connections hold it by
// shared_ptr, so it outlives the last of them whatever the order of teardown.
struct ServerState
{
    HttpLimits limits;
    HttpHandler handler;
    std::atomic<bool> stopping {false};
    std::atomic<int> active {0};
    std::atomic<qint64> bodyBytes {0}; // reserved by connections for request bodies

    std::mutex mutex; // guards connections; with drained for stop()'s wait
    std::condition_variable drained;
    std::unordered_map<const Connection *, std::weak_ptr<Connection>> connections;
};

QByteArray errorJson(const char *code, const QString &message)
{
    // code and message are ours, never the client's or an exception's.
    QByteArray out = R"({"error":{"code":")";
    out += code;
    out += R"(","message":")";
    out += message.toUtf8().replace('\\', "\\\\").replace('"', "\\\"");
    out += R"("}})";
    return out;
}

HttpResponse errorResponse(int status, const char *code, const QString &message)
{
    HttpResponse r;
    r.status = status;
    r.body = errorJson(code, message);
    return r;
}

HttpResponse payloadTooLarge()
{
    return errorResponse(413, "payload_too_large", QStringLiteral("请求内容超过服务器允许的大小"));
}

HttpResponse serverBusy()
{
    HttpResponse r = errorResponse(503, "busy", QStringLiteral("服务器正忙，请稍后重试"));
    r.headers.push_back({"Retry-After", "5"});
    return r;
}

HttpResponse headerTooLarge()
{
    return errorResponse(431, "header_too_large", QStringLiteral("请求头过大"));
}

HttpResponse badRequest()
{
    return errorResponse(400, "bad_request", QStringLiteral("请求格式无效"));
}

HttpResponse internalError()
{
    return errorResponse(500, "internal_error", QStringLiteral("服务器内部错误，请稍后重试"));
}

bool isToken(QByteArrayView name)
{
    if (name.isEmpty())
        return false;
    static constexpr std::string_view extra = "!#$%&'*+-.^_`|~";
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || extra.find(c) != std::string_view::npos;
    });
}

bool isSafeValue(QByteArrayView value)
{
    return std::none_of(
        value.begin(), value.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

// Framing is the server's business, not the handler's.
bool isFramingField(QByteArrayView name)
{
    return name.compare("content-length", Qt::CaseInsensitive) == 0
        || name.compare("transfer-encoding", Qt::CaseInsensitive) == 0
        || name.compare("connection", Qt::CaseInsensitive) == 0
        || name.compare("keep-alive", Qt::CaseInsensitive) == 0
        || name.compare("upgrade", Qt::CaseInsensitive) == 0;
}

std::string_view view(const QByteArray &bytes)
{
    return {bytes.constData(), static_cast<std::size_t>(bytes.size())};
}

QByteArray bytes(beast::string_view s)
{
    return {s.data(), static_cast<qsizetype>(s.size())};
}

// The handler's view of a parsed request; the body is moved out of req.
HttpRequest takeRequest(http::request<http::string_body> &req, const QString &peer)
{
    HttpRequest request;
    request.method = bytes(req.method_string());
    request.target = bytes(req.target());
    for (const auto &field : req) {
        const QByteArray name = bytes(field.name_string()).toLower();
        const QByteArray value = bytes(field.value());
        auto it = request.headers.find(name);
        if (it == request.headers.end())
            request.headers.insert(name, value);
        else
            *it += (name == "cookie" ? "; " : ", ") + value;
    }
    std::string &body = req.body();
    request.body = QByteArray(body.data(), static_cast<qsizetype>(body.size()));
    std::string().swap(body);
    request.peerAddress = peer;
    return request;
}

QString peerString(const tcp::endpoint &endpoint)
{
    auto address = endpoint.address();
    if (address.is_v6() && address.to_v6().is_v4_mapped())
        address = net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6());
    return QString::fromStdString(address.to_string());
}

// The beast response for an HttpResponse, with our framing and security headers.
http::response<http::string_body> toBeast(const HttpResponse &in, unsigned version, bool keepAlive, bool head)
{
    http::response<http::string_body> res;
    res.version(version);
    int status = in.status;
    if (status < 200 || status > 599) {
        qCWarning(lcHttp) << "handler returned status" << status << "- sending 500";
        status = 500;
    }
    res.result(static_cast<unsigned>(status));
    res.set(http::field::server, "kaodian");
    bool cacheControl = false;
    bool csp = false;
    for (const auto &[name, value] : in.headers) {
        if (!isToken(name) || !isSafeValue(value) || isFramingField(name)) {
            qCWarning(lcHttp) << "handler header dropped:" << name;
            continue;
        }
        cacheControl = cacheControl || name.compare("cache-control", Qt::CaseInsensitive) == 0;
        csp = csp || name.compare("content-security-policy", Qt::CaseInsensitive) == 0;
        res.insert(view(name), view(value));
    }
    if (!in.contentType.isEmpty() && isSafeValue(in.contentType))
        res.set(http::field::content_type, view(in.contentType));
    res.set(http::field::strict_transport_security, "max-age=31536000");
    res.set("X-Content-Type-Options", "nosniff");
    res.set("X-Frame-Options", "DENY");
    res.set("Referrer-Policy", "no-referrer");
    if (!cacheControl)
        res.set(http::field::cache_control, "no-store");
    if (!csp)
        res.set("Content-Security-Policy", "default-src 'self'");
    res.keep_alive(keepAlive);

    const bool noBody = status == 204 || status == 304;
    if (head || noBody) {
        if (!noBody)
            res.content_length(static_cast<std::uint64_t>(in.body.size()));
        return res;
    }
    res.body().assign(in.body.constData(), static_cast<std::size_t>(in.body.size()));
    res.prepare_payload();
    return res;
}

// One TLS connection: handshake, then requests one after another (keep-alive),
// each read under a deadline and handed to the worker pool. All its I/O runs
// on its strand; the handler's result is posted back to that strand.
class Connection : public std::enable_shared_from_this<Connection>
{
public:
    Connection(tcp::socket &&socket, ssl::context &tls, std::shared_ptr<ServerState> state,
        net::thread_pool::executor_type workers, QString peer)
        : m_state(std::move(state)), m_workers(std::move(workers)), m_stream(std::move(socket), tls),
          m_executor(m_stream.get_executor()), m_peer(std::move(peer))
    {
        m_state->active.fetch_add(1);
    }

    ~Connection()
    {
        releaseBody();
        std::lock_guard lock(m_state->mutex);
        m_state->connections.erase(this);
        m_state->active.fetch_sub(1);
        m_state->drained.notify_all();
    }

    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    void start()
    {
        {
            std::lock_guard lock(m_state->mutex);
            if (m_state->stopping)
                return; // destroyed with the last reference: socket closed
            m_state->connections.emplace(this, weak_from_this());
        }
        net::dispatch(m_executor, [self = shared_from_this()] { self->handshake(); });
    }

    // From stop(), on the strand: cancel everything, close the socket.
    void abort()
    {
        m_aborted = true;
        error_code ignored;
        beast::get_lowest_layer(m_stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
        beast::get_lowest_layer(m_stream).close();
    }

    const net::any_io_executor &executor() const { return m_executor; }

private:
    const HttpLimits &limits() const { return m_state->limits; }

    void expireAfterMs(int ms)
    {
        beast::get_lowest_layer(m_stream).expires_after(std::chrono::milliseconds(ms));
    }

    void handshake()
    {
        expireAfterMs(limits().handshakeTimeoutMs);
        m_stream.async_handshake(
            ssl::stream_base::server, [self = shared_from_this()](error_code ec) { self->onHandshake(ec); });
    }

    void onHandshake(error_code ec)
    {
        if (ec) {
            qCDebug(lcHttp) << "handshake with" << m_peer << "failed:" << ec.message().c_str();
            return;
        }
        readHeader();
    }

    // Acknowledge what arrives at once. Once this connection has answered a
    // request, Linux delays its ACKs (expecting to piggyback them on the next
    // answer); a client that does not set TCP_NODELAY (Qt's HTTP client does
    // not) and sends a request in two writes (a body over 16 KB: two TLS
    // records) then holds the second back (Nagle) until that delayed ACK,
    // 40 ms later. bench_sync measured it: an upload's transport took 3 ms
    // under 16 KB and 28–32 ms above. TCP_QUICKACK is not sticky, so it is set
    // before every read.
    void ackAtOnce()
    {
        using QuickAck = boost::asio::detail::socket_option::boolean<IPPROTO_TCP, TCP_QUICKACK>;
        error_code ignored;
        beast::get_lowest_layer(m_stream).socket().set_option(QuickAck(true), ignored);
    }

    void readHeader()
    {
        if (m_aborted || m_state->stopping)
            return;
        ackAtOnce();
        m_parser.emplace();
        m_parser->header_limit(static_cast<std::uint32_t>(limits().maxHeaderBytes));
        m_parser->body_limit(static_cast<std::uint64_t>(limits().maxBodyBytes));
        expireAfterMs(limits().idleTimeoutMs);
        http::async_read_header(m_stream, m_buffer, *m_parser,
            [self = shared_from_this()](error_code ec, std::size_t) { self->onHeader(ec); });
    }

    // Takes bytes from the server-wide body budget for this request; false if
    // they are not there. Released by releaseBody() once the body is gone.
    bool reserveBody(qint64 bytes)
    {
        qint64 used = m_state->bodyBytes.load();
        const qint64 budget = std::max(limits().maxBufferedBodyBytes, limits().maxBodyBytes);
        do {
            if (used + bytes > budget)
                return false;
        } while (!m_state->bodyBytes.compare_exchange_weak(used, used + bytes));
        m_bodyReserved = bytes;
        return true;
    }

    // Idempotent. Called on the strand, or on the worker that holds the
    // request (the strand does not touch the reservation meanwhile).
    void releaseBody()
    {
        const qint64 bytes = std::exchange(m_bodyReserved, 0);
        if (bytes > 0)
            m_state->bodyBytes.fetch_sub(bytes);
    }

    // true when ec ended the request (and a response or the close is under way).
    bool handleReadError(error_code ec)
    {
        if (!ec)
            return false;
        if (m_parser)
            m_version = m_parser->get().version() == 10 ? 10 : 11;
        m_parser.reset(); // whatever of the body was read
        m_head = false;
        releaseBody();
        if (ec == http::error::body_limit) {
            respondAndClose(payloadTooLarge());
        } else if (ec == http::error::header_limit) {
            respondAndClose(headerTooLarge());
        } else if (ec == http::error::end_of_stream) {
            closeGracefully(); // the client closed between requests
        } else if (ec == beast::error::timeout) {
            qCDebug(lcHttp) << "idle connection from" << m_peer << "closed";
        } else if (ec.category() == http::make_error_code(http::error::bad_method).category()
            && ec != http::error::partial_message && ec != http::error::need_more
            && ec != http::error::buffer_overflow) {
            qCDebug(lcHttp) << "malformed request from" << m_peer << ":" << ec.message().c_str();
            respondAndClose(badRequest());
        } else {
            qCDebug(lcHttp) << "connection from" << m_peer << "ended:" << ec.message().c_str();
        }
        return true;
    }

    void onHeader(error_code ec)
    {
        if (handleReadError(ec))
            return;
        const auto length = m_parser->content_length();
        if (length && *length > static_cast<std::uint64_t>(limits().maxBodyBytes)) {
            respondAndClose(payloadTooLarge()); // never read the body
            return;
        }
        if (m_parser->is_done()) {
            dispatch();
            return;
        }
        if (!reserveBody(length ? static_cast<qint64>(*length) : limits().maxBodyBytes)) {
            qCWarning(lcHttp) << "request body from" << m_peer << "refused: the body budget is in use";
            respondAndClose(serverBusy()); // never read the body
            return;
        }
        const auto &head = m_parser->get();
        if (beast::iequals(head[http::field::expect], "100-continue")) {
            m_continue.emplace(http::status::continue_, head.version());
            expireAfterMs(limits().idleTimeoutMs);
            http::async_write(m_stream, *m_continue, [self = shared_from_this()](error_code ec, std::size_t) {
                self->m_continue.reset();
                if (!ec)
                    self->readBody();
            });
            return;
        }
        readBody();
    }

    void readBody()
    {
        if (m_aborted || m_state->stopping)
            return;
        ackAtOnce();
        expireAfterMs(limits().idleTimeoutMs);
        http::async_read(m_stream, m_buffer, *m_parser,
            [self = shared_from_this()](error_code ec, std::size_t) { self->onBody(ec); });
    }

    void onBody(error_code ec)
    {
        if (handleReadError(ec))
            return;
        dispatch();
    }

    // Hands the request to the worker pool; the answer comes back on the strand.
    void dispatch()
    {
        if (m_aborted || m_state->stopping)
            return;
        auto &req = m_parser->get();
        HttpRequest request = takeRequest(req, m_peer);

        m_version = req.version();
        m_keepAlive = req.keep_alive();
        m_head = req.method() == http::verb::head;
        m_parser.reset();

        net::post(m_workers, [self = shared_from_this(), request = std::move(request)]() mutable {
            HttpResponse response = self->runHandler(request);
            request = {}; // free the body before queueing the answer
            self->releaseBody();
            auto executor = self->m_executor;
            net::post(executor, [self = std::move(self), response = std::move(response)]() mutable {
                self->write(response, false);
            });
        });
    }

    // On a worker thread.
    HttpResponse runHandler(const HttpRequest &request) const
    {
        try {
            return m_state->handler(request);
        } catch (const std::exception &e) {
            qCWarning(lcHttp) << "handler failed on" << request.method << request.target << ":" << e.what();
        } catch (...) {
            qCWarning(lcHttp) << "handler failed on" << request.method << request.target;
        }
        return internalError();
    }

    void respondAndClose(const HttpResponse &response)
    {
        if (m_parser) {
            m_version = m_parser->get().version() == 10 ? 10 : 11;
            m_head = false;
        }
        m_parser.reset();
        write(response, true);
    }

    void write(const HttpResponse &response, bool close)
    {
        if (m_aborted)
            return;
        const bool keepAlive = !close && m_keepAlive && !m_state->stopping;
        try {
            m_response.emplace(toBeast(response, m_version, keepAlive, m_head));
        } catch (const std::exception &e) {
            qCWarning(lcHttp) << "response could not be built:" << e.what();
            m_response.emplace(toBeast(internalError(), m_version, false, false));
        }
        expireAfterMs(limits().idleTimeoutMs);
        http::async_write(
            m_stream, *m_response, [self = shared_from_this(), keepAlive](error_code ec, std::size_t) {
                self->m_response.reset();
                if (ec) {
                    qCDebug(lcHttp) << "write to" << self->m_peer << "failed:" << ec.message().c_str();
                    return;
                }
                if (keepAlive)
                    self->readHeader();
                else
                    self->closeGracefully();
            });
    }

    // TLS close_notify, then wait (briefly) for the peer's, discarding what it
    // still sends, so the response is not lost to a TCP reset.
    void closeGracefully()
    {
        if (m_aborted)
            return;
        expireAfterMs(std::min(limits().idleTimeoutMs, 2000));
        m_stream.async_shutdown([self = shared_from_this()](error_code) {
            error_code ignored;
            beast::get_lowest_layer(self->m_stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
            beast::get_lowest_layer(self->m_stream).close();
        });
    }

    std::shared_ptr<ServerState> m_state;
    net::thread_pool::executor_type m_workers;
    beast::ssl_stream<beast::tcp_stream> m_stream;
    const net::any_io_executor m_executor;
    const QString m_peer;
    beast::flat_buffer m_buffer;
    std::optional<http::request_parser<http::string_body>> m_parser;
    std::optional<http::response<http::empty_body>> m_continue;
    std::optional<http::response<http::string_body>> m_response;
    unsigned m_version = 11;
    bool m_keepAlive = false;
    bool m_head = false;
    bool m_aborted = false;
    qint64 m_bodyReserved = 0; // of m_state->bodyBytes, for the request being read or handled
};

int passwordRefused(char *, int, int, void *)
{
    return 0; // an encrypted key is an error, never a prompt on the terminal
}

QString opensslReason()
{
    QString reasons;
    while (const unsigned long e = ERR_get_error()) {
        char buffer[256];
        ERR_error_string_n(e, buffer, sizeof buffer);
        if (!reasons.isEmpty())
            reasons += QStringLiteral("; ");
        reasons += QString::fromLatin1(buffer);
    }
    return reasons.isEmpty() ? QStringLiteral("未知错误") : reasons;
}

// A server context: TLS 1.2+, ECDHE with AEAD ciphers, no compression, no
// renegotiation, certificate chain and key from PEM files.
kaodian::Result<std::shared_ptr<ssl::context>, QString> makeTlsContext(const TlsFiles &files)
{
    for (const auto &[path, what] : {std::pair {files.certificateChain, QStringLiteral("证书链文件")},
             std::pair {files.privateKey, QStringLiteral("私钥文件")}}) {
        const QFileInfo info(path);
        if (path.isEmpty() || !info.exists())
            return QStringLiteral("%1不存在：%2").arg(what, path);
        if (!info.isFile() || !info.isReadable())
            return QStringLiteral("%1不可读：%2").arg(what, path);
    }

    auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
    SSL_CTX *ctx = context->native_handle();
    ERR_clear_error();
    SSL_CTX_set_options(ctx,
        SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1
            | SSL_OP_NO_TLSv1_1);
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
    if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1)
        return QStringLiteral("无法设定 TLS 最低版本：%1").arg(opensslReason());
    static constexpr const char *tls12Ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                                                "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                                                "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
    if (SSL_CTX_set_cipher_list(ctx, tls12Ciphers) != 1)
        return QStringLiteral("无法设定加密套件：%1").arg(opensslReason());
    if (SSL_CTX_set1_groups_list(ctx, "X25519:P-256:P-384") != 1)
        return QStringLiteral("无法设定密钥交换曲线：%1").arg(opensslReason());
    SSL_CTX_set_default_passwd_cb(ctx, &passwordRefused);

    const QByteArray chainPath = QFile::encodeName(files.certificateChain);
    if (SSL_CTX_use_certificate_chain_file(ctx, chainPath.constData()) != 1)
        return QStringLiteral("无法读取证书链 %1（须为 PEM：服务器证书在前，中间证书随后）：%2")
            .arg(files.certificateChain, opensslReason());
    const QByteArray keyPath = QFile::encodeName(files.privateKey);
    if (SSL_CTX_use_PrivateKey_file(ctx, keyPath.constData(), SSL_FILETYPE_PEM) != 1) {
        const unsigned long e = ERR_peek_last_error();
        if (ERR_GET_LIB(e) == ERR_LIB_X509
            && (ERR_GET_REASON(e) == X509_R_KEY_VALUES_MISMATCH
                || ERR_GET_REASON(e) == X509_R_KEY_TYPE_MISMATCH))
            return QStringLiteral("私钥 %1 与证书 %2 不匹配").arg(files.privateKey, files.certificateChain);
        return QStringLiteral("无法读取私钥 %1（须为未加密的 PEM）：%2")
            .arg(files.privateKey, opensslReason());
    }
    if (SSL_CTX_check_private_key(ctx) != 1)
        return QStringLiteral("私钥 %1 与证书 %2 不匹配：%3")
            .arg(files.privateKey, files.certificateChain, opensslReason());
    return context;
}

HttpLimits sane(HttpLimits l)
{
    l.maxBodyBytes = std::max<qint64>(0, l.maxBodyBytes);
    l.maxBufferedBodyBytes = std::max(l.maxBufferedBodyBytes, l.maxBodyBytes);
    l.maxHeaderBytes = std::max(1024, l.maxHeaderBytes);
    l.idleTimeoutMs = std::max(1, l.idleTimeoutMs);
    l.handshakeTimeoutMs = std::max(1, l.handshakeTimeoutMs);
    l.maxConnections = std::max(1, l.maxConnections);
    l.workerThreads = std::max(1, l.workerThreads);
    l.ioThreads = std::max(1, l.ioThreads);
    return l;
}

} // namespace

struct HttpsServer::Impl
{
    TlsFiles tls;
    HttpLimits limits;
    HttpHandler handler;
    std::mutex lifecycle; // serialises listen() and stop()
    std::atomic<quint16> port {0};

    // While listening. Destroyed in this order by stop(): workers, acceptor, io, tls.
    std::shared_ptr<ServerState> state;
    std::shared_ptr<ssl::context> tlsContext;
    std::unique_ptr<net::io_context> io;
    std::optional<net::executor_work_guard<net::io_context::executor_type>> guard;
    std::unique_ptr<tcp::acceptor> acceptor;
    std::unique_ptr<net::steady_timer> acceptRetry;
    std::unique_ptr<net::thread_pool> workers;
    std::vector<std::thread> ioThreads;

    void accept();
    void onAccept(error_code ec, tcp::socket socket);
    void teardown();
};

void HttpsServer::Impl::accept()
{
    acceptor->async_accept(net::make_strand(*io),
        [this](error_code ec, tcp::socket socket) { onAccept(ec, std::move(socket)); });
}

void HttpsServer::Impl::onAccept(error_code ec, tcp::socket socket)
{
    if (state->stopping || ec == net::error::operation_aborted)
        return;
    if (ec) {
        // e.g. out of file descriptors: back off instead of spinning
        qCWarning(lcHttp) << "accept failed:" << ec.message().c_str();
        acceptRetry->expires_after(std::chrono::milliseconds(100));
        acceptRetry->async_wait([this](error_code waitEc) {
            if (!waitEc && !state->stopping)
                accept();
        });
        return;
    }
    error_code endpointEc;
    const auto remote = socket.remote_endpoint(endpointEc);
    if (endpointEc) {
        accept(); // gone already
        return;
    }
    if (state->active.load() >= limits.maxConnections) {
        qCDebug(lcHttp) << "connection cap reached; refusing" << peerString(remote);
        error_code ignored;
        socket.shutdown(tcp::socket::shutdown_both, ignored);
        socket.close(ignored);
        accept();
        return;
    }
    error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    try {
        std::make_shared<Connection>(
            std::move(socket), *tlsContext, state, workers->get_executor(), peerString(remote))
            ->start();
    } catch (const std::exception &e) { // out of memory, SSL_new failed: drop this one, keep accepting
        qCWarning(lcHttp) << "connection not set up:" << e.what();
    }
    accept();
}

HttpsServer::HttpsServer(TlsFiles tls, HttpLimits limits, HttpHandler handler) : d(std::make_unique<Impl>())
{
    d->tls = std::move(tls);
    d->limits = sane(limits);
    d->handler = std::move(handler);
}

HttpsServer::~HttpsServer()
{
    stop();
}

kaodian::Status<QString> HttpsServer::listen(const QString &address, quint16 port)
{
    std::lock_guard lifecycle(d->lifecycle);
    if (d->io)
        return QStringLiteral("服务器已在监听端口 %1").arg(d->port.load());
    if (!d->handler)
        return QStringLiteral("未设置请求处理函数");

    error_code ec;
    const auto ip = net::ip::make_address(address.toStdString(), ec);
    if (ec)
        return QStringLiteral("监听地址无效：%1（须为 IP 地址，如 0.0.0.0、127.0.0.1 或 ::）").arg(address);

    auto tlsContext = makeTlsContext(d->tls);
    if (!tlsContext)
        return tlsContext.error();

    auto io = std::make_unique<net::io_context>(d->limits.ioThreads);
    auto acceptor = std::make_unique<tcp::acceptor>(net::make_strand(*io));
    const tcp::endpoint endpoint(ip, port);
    const QString where = QStringLiteral("%1:%2").arg(address).arg(port);
    acceptor->open(endpoint.protocol(), ec);
    if (ec)
        return QStringLiteral("无法打开监听套接字 %1：%2").arg(where, QString::fromStdString(ec.message()));
    acceptor->set_option(net::socket_base::reuse_address(true), ec);
    acceptor->bind(endpoint, ec);
    if (ec)
        return QStringLiteral("无法绑定 %1：%2").arg(where, QString::fromStdString(ec.message()));
    acceptor->listen(net::socket_base::max_listen_connections, ec);
    if (ec)
        return QStringLiteral("无法在 %1 上监听：%2").arg(where, QString::fromStdString(ec.message()));
    const auto bound = acceptor->local_endpoint(ec);
    if (ec)
        return QStringLiteral("无法取得监听端口：%1").arg(QString::fromStdString(ec.message()));

    d->state = std::make_shared<ServerState>();
    d->state->limits = d->limits;
    d->state->handler = d->handler;
    d->tlsContext = std::move(*tlsContext);
    d->acceptRetry = std::make_unique<net::steady_timer>(acceptor->get_executor());
    d->acceptor = std::move(acceptor);
    d->io = std::move(io);
    d->guard.emplace(d->io->get_executor());
    d->workers = std::make_unique<net::thread_pool>(static_cast<std::size_t>(d->limits.workerThreads));
    d->port = bound.port();

    net::post(d->acceptor->get_executor(), [impl = d.get()] { impl->accept(); });
    for (int i = 0; i < d->limits.ioThreads; ++i) {
        d->ioThreads.emplace_back([io = d->io.get()] {
            for (;;) {
                try {
                    io->run();
                    return;
                } catch (const std::exception &e) {
                    qCCritical(lcHttp) << "I/O thread caught:" << e.what();
                }
            }
        });
    }
    qCInfo(lcHttp) << "listening on" << QStringLiteral("%1:%2").arg(address).arg(bound.port());
    return {};
}

quint16 HttpsServer::port() const
{
    return d->port.load();
}

int HttpsServer::activeConnections() const
{
    std::lock_guard lifecycle(d->lifecycle);
    return d->state ? d->state->active.load() : 0;
}

void HttpsServer::stop()
{
    std::lock_guard lifecycle(d->lifecycle);
    if (!d->io)
        return;
    d->teardown();
}

void HttpsServer::Impl::teardown()
{
    std::vector<std::shared_ptr<Connection>> open;
    {
        std::lock_guard lock(state->mutex);
        state->stopping = true;
        for (const auto &[key, weak] : state->connections)
            if (auto connection = weak.lock())
                open.push_back(std::move(connection));
    }
    net::post(acceptor->get_executor(), [this] {
        error_code ignored;
        acceptor->close(ignored);
        acceptRetry->cancel();
    });
    for (auto &connection : open) {
        auto executor = connection->executor();
        net::post(executor, [connection = std::move(connection)] { connection->abort(); });
    }
    open.clear();

    workers->join(); // handlers still running finish; their answers find closed sockets
    guard.reset();
    {
        // Every connection's socket is closed; give their handlers a moment to
        // unwind, then stop the loop regardless.
        std::unique_lock lock(state->mutex);
        state->drained.wait_for(lock, std::chrono::seconds(5), [this] { return state->active.load() == 0; });
    }
    io->stop();
    for (auto &thread : ioThreads)
        thread.join();
    ioThreads.clear();

    workers.reset(); // destroys any work posted after the join
    acceptRetry.reset();
    acceptor.reset();
    io.reset(); // destroys pending handlers and with them the last connections
    tlsContext.reset();
    state.reset();
    port = 0;
    qCInfo(lcHttp) << "stopped";
}

ParsedRequests parseRequests(const QByteArray &raw, const HttpLimits &limits)
{
    ParsedRequests out;
    if (raw.isEmpty())
        return out;
    beast::flat_buffer buffer;
    {
        auto space = buffer.prepare(static_cast<std::size_t>(raw.size()));
        std::memcpy(space.data(), raw.constData(), static_cast<std::size_t>(raw.size()));
        buffer.commit(static_cast<std::size_t>(raw.size()));
    }
    const qint64 maxBody = std::max<qint64>(0, limits.maxBodyBytes);
    const int maxHeader = std::max(1024, limits.maxHeaderBytes);
    while (buffer.size() > 0) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(maxHeader));
        parser.body_limit(static_cast<std::uint64_t>(maxBody));
        error_code ec;
        bool headerChecked = false;
        while (!parser.is_done()) {
            const std::size_t used = parser.put(buffer.data(), ec);
            buffer.consume(used);
            if (ec == http::error::need_more && buffer.size() > 0 && used > 0)
                continue;
            if (!ec && !headerChecked && parser.is_header_done()) {
                headerChecked = true;
                const auto length = parser.content_length();
                if (length && *length > static_cast<std::uint64_t>(maxBody)) {
                    out.refusal = 413;
                    return out;
                }
            }
            if (ec || used == 0)
                break;
        }
        if (ec == http::error::body_limit) {
            out.refusal = 413;
            return out;
        }
        if (ec == http::error::header_limit) {
            out.refusal = 431;
            return out;
        }
        if (ec == http::error::need_more || (!ec && !parser.is_done()))
            return out; // incomplete: a connection would wait for more
        if (ec) {
            out.refusal = 400;
            return out;
        }
        out.requests.push_back(takeRequest(parser.get(), QStringLiteral("127.0.0.1")));
    }
    return out;
}

} // namespace kaodian::server
