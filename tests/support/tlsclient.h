#pragma once

// A test-only HTTPS client: plain OpenSSL over a non-blocking TCP socket to
// 127.0.0.1, every wait under a deadline, so a server that hangs fails the
// test instead of hanging it. Not thread-safe: one client per thread.
// OpenSSL's socket BIO writes with write(2): tests that use it should ignore
// SIGPIPE (std::signal(SIGPIPE, SIG_IGN)).

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QList>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <optional>
#include <utility>

namespace kaodian::testing {

inline constexpr int kDeadlineMs = 5000; // any single wait, unless a client is told otherwise

using SslCtxPtr = std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)>;
using SslPtr = std::unique_ptr<SSL, decltype(&SSL_free)>;
using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;

// An HTTP response as the client parsed it.
struct Reply
{
    int status = 0;
    QHash<QByteArray, QByteArray> headers; // lower-case names; the last of a repeated header
    QList<std::pair<QByteArray, QByteArray>> headerList; // every header line in order, lower-case names
    QByteArray body;

    // Every value of a header that may repeat (set-cookie).
    [[nodiscard]] QList<QByteArray> values(const QByteArray &lowerCaseName) const
    {
        QList<QByteArray> out;
        for (const auto &[name, value] : headerList)
            if (name == lowerCaseName)
                out.append(value);
        return out;
    }
    // The value of the cookie `name` among the Set-Cookie headers; empty if none.
    [[nodiscard]] QByteArray cookie(const QByteArray &name) const
    {
        for (const QByteArray &setCookie : values("set-cookie")) {
            const QByteArray pair = setCookie.left(setCookie.indexOf(';')).trimmed();
            if (pair.startsWith(name + '='))
                return pair.mid(name.size() + 1);
        }
        return {};
    }
};

// A TCP socket to 127.0.0.1:port, non-blocking, closed on destruction.
class RawSocket
{
public:
    explicit RawSocket(quint16 port, int connectTimeoutMs = kDeadlineMs)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (m_fd < 0)
            return;
        const int one = 1;
        ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in addr {};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(m_fd, reinterpret_cast<const sockaddr *>(&addr), sizeof addr) == 0)
            return;
        if (errno != EINPROGRESS || !waitFor(POLLOUT, connectTimeoutMs)) {
            close();
            return;
        }
        int error = 0;
        socklen_t len = sizeof error;
        if (::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0 || error != 0)
            close();
    }
    ~RawSocket() { close(); }
    RawSocket(const RawSocket &) = delete;
    RawSocket &operator=(const RawSocket &) = delete;

    bool connected() const { return m_fd >= 0; }
    int fd() const { return m_fd; }
    void close()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }
    bool waitFor(short events, int timeoutMs) const
    {
        pollfd p {m_fd, events, 0};
        for (;;) {
            const int r = ::poll(&p, 1, std::max(0, timeoutMs));
            if (r < 0 && errno == EINTR)
                continue;
            return r > 0;
        }
    }
    // Without TLS: true once the server has closed (EOF or reset) within timeoutMs.
    bool waitClosedPlain(int timeoutMs)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            if (!waitFor(POLLIN, timeoutMs - static_cast<int>(t.elapsed())))
                return false;
            char buf[256];
            const ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
                return true;
        }
        return false;
    }

private:
    int m_fd = -1;
};

// What the test client offers.
struct ClientOptions
{
    int minVersion = TLS1_2_VERSION;
    int maxVersion = 0; // highest the library knows
    const char *ciphers = nullptr; // TLS 1.2 and below
    bool anySecurityLevel = false; // let the client offer what OpenSSL 3 would refuse itself
    int deadlineMs = kDeadlineMs; // connect, handshake, each send, each reply
};

// A blocking-style TLS client over a non-blocking socket: every call has a
// deadline. The server's certificate is not verified; tests that pin it
// compare peerCertificateSha256() with the fingerprint they expect.
class TlsClient
{
public:
    explicit TlsClient(quint16 port, const ClientOptions &options = {})
        : m_socket(port, options.deadlineMs), m_ctx(SSL_CTX_new(TLS_client_method()), &SSL_CTX_free),
          m_ssl(nullptr, &SSL_free), m_port(port), m_deadlineMs(options.deadlineMs)
    {
        if (!m_ctx || !m_socket.connected())
            return;
        SSL_CTX_set_verify(m_ctx.get(), SSL_VERIFY_NONE, nullptr);
        SSL_CTX_clear_mode(m_ctx.get(), SSL_MODE_AUTO_RETRY);
        if (options.anySecurityLevel)
            SSL_CTX_set_security_level(m_ctx.get(), 0);
        SSL_CTX_set_min_proto_version(m_ctx.get(), options.minVersion);
        SSL_CTX_set_max_proto_version(m_ctx.get(), options.maxVersion);
        if (options.ciphers)
            SSL_CTX_set_cipher_list(m_ctx.get(), options.ciphers);
        m_ssl.reset(SSL_new(m_ctx.get()));
        SSL_set_fd(m_ssl.get(), m_socket.fd());
    }

    bool handshake()
    {
        if (!m_ssl)
            return false;
        ERR_clear_error();
        const bool ok = retry([this] { return SSL_connect(m_ssl.get()); }, m_deadlineMs);
        m_handshakeError = static_cast<int>(ERR_GET_REASON(ERR_peek_last_error()));
        ERR_clear_error();
        m_handshaken = ok;
        return ok;
    }
    // OpenSSL's reason code for the last failed handshake (SSL_R_...).
    int handshakeError() const { return m_handshakeError; }

    QByteArray protocol() const { return m_ssl ? QByteArray(SSL_get_version(m_ssl.get())) : QByteArray(); }
    QByteArray cipher() const { return m_ssl ? QByteArray(SSL_get_cipher_name(m_ssl.get())) : QByteArray(); }

    // SHA-256 over the DER of the certificate the server presented, lower-case
    // hex without colons (as `openssl x509 -fingerprint -sha256`, less the
    // colons); empty before a handshake.
    QByteArray peerCertificateSha256() const
    {
        if (!m_ssl || !m_handshaken)
            return {};
        X509Ptr cert(SSL_get1_peer_certificate(m_ssl.get()), &X509_free);
        if (!cert)
            return {};
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int length = 0;
        if (X509_digest(cert.get(), EVP_sha256(), digest, &length) != 1)
            return {};
        return QByteArray(reinterpret_cast<const char *>(digest), static_cast<qsizetype>(length)).toHex();
    }

    bool send(const QByteArray &data)
    {
        if (!m_ssl)
            return false;
        qsizetype sent = 0;
        while (sent < data.size()) {
            int written = 0;
            const bool ok = retry(
                [&] {
                    written = SSL_write(
                        m_ssl.get(), data.constData() + sent, static_cast<int>(data.size() - sent));
                    return written;
                },
                m_deadlineMs);
            if (!ok)
                return false;
            sent += written;
        }
        return true;
    }

    // One response; nullopt on timeout or if the connection ended first. The
    // body is Content-Length bytes (none for HEAD, 1xx, 204 and 304), or the
    // decoded chunks of a chunked body.
    std::optional<Reply> readReply(int timeoutMs = -1, bool head = false)
    {
        if (!m_ssl)
            return std::nullopt;
        if (timeoutMs < 0)
            timeoutMs = m_deadlineMs;
        QElapsedTimer t;
        t.start();
        const auto left = [&] { return timeoutMs - static_cast<int>(t.elapsed()); };
        qsizetype headerEnd = -1;
        while ((headerEnd = m_in.indexOf("\r\n\r\n")) < 0)
            if (readSome(left()) <= 0)
                return std::nullopt;
        Reply reply;
        const QList<QByteArray> lines = m_in.left(headerEnd).split('\n');
        const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
        reply.status = statusLine.value(1).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0) {
                const QByteArray name = lines[i].left(colon).trimmed().toLower();
                const QByteArray value = lines[i].mid(colon + 1).trimmed();
                reply.headers.insert(name, value);
                reply.headerList.append({name, value});
            }
        }
        m_in.remove(0, headerEnd + 4);
        const bool noBody = head || (reply.status >= 100 && reply.status < 200) || reply.status == 204
            || reply.status == 304;
        if (!noBody && reply.headers.value("transfer-encoding").toLower().contains("chunked")) {
            for (;;) {
                qsizetype lineEnd = -1;
                while ((lineEnd = m_in.indexOf("\r\n")) < 0)
                    if (readSome(left()) <= 0)
                        return std::nullopt;
                bool ok = false;
                const qsizetype size = m_in.left(lineEnd).split(';').value(0).trimmed().toLongLong(&ok, 16);
                if (!ok || size < 0)
                    return std::nullopt;
                m_in.remove(0, lineEnd + 2);
                if (size == 0) { // trailers, then an empty line
                    while ((lineEnd = m_in.indexOf("\r\n")) != 0) {
                        if (lineEnd > 0) {
                            m_in.remove(0, lineEnd + 2);
                            continue;
                        }
                        if (readSome(left()) <= 0)
                            return std::nullopt;
                    }
                    m_in.remove(0, 2);
                    return reply;
                }
                while (m_in.size() < size + 2)
                    if (readSome(left()) <= 0)
                        return std::nullopt;
                reply.body += m_in.left(size);
                m_in.remove(0, size + 2);
            }
        }
        const qsizetype length = noBody ? 0 : reply.headers.value("content-length", "0").toLongLong();
        while (m_in.size() < length)
            if (readSome(left()) <= 0)
                return std::nullopt;
        reply.body = m_in.left(length);
        m_in.remove(0, length);
        return reply;
    }

    // One request and its response on this connection (handshaking first if
    // need be). Adds Host and, when there is a body or the method sends one,
    // Content-Length. extraHeaders: whole lines, each ending in "\r\n".
    std::optional<Reply> request(const QByteArray &method, const QByteArray &target,
        const QByteArray &extraHeaders = {}, const QByteArray &body = {})
    {
        if (!m_handshaken && !handshake())
            return std::nullopt;
        QByteArray bytes = method + ' ' + target
            + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_port) + "\r\n" + extraHeaders;
        if (!body.isEmpty() || method == "POST" || method == "PUT" || method == "PATCH")
            bytes += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
        bytes += "\r\n" + body;
        if (!send(bytes))
            return std::nullopt;
        return readReply(-1, method == "HEAD");
    }

    // True once the server has ended the connection (close_notify, EOF or
    // reset) within timeoutMs; data that arrives meanwhile is kept.
    bool waitClosed(int timeoutMs = kDeadlineMs)
    {
        QElapsedTimer t;
        t.start();
        for (;;) {
            const int left = timeoutMs - static_cast<int>(t.elapsed());
            const int r = readSome(left);
            if (r == 0)
                return true;
            if (r < 0)
                return false;
        }
    }

    void closeNotify()
    {
        if (m_ssl)
            SSL_shutdown(m_ssl.get());
        m_socket.close();
    }

    RawSocket &socket() { return m_socket; }
    quint16 port() const { return m_port; }

private:
    // > 0 bytes read, 0 closed, -1 timed out.
    int readSome(int timeoutMs)
    {
        QElapsedTimer t;
        t.start();
        for (;;) {
            char buf[16384];
            const int n = SSL_read(m_ssl.get(), buf, sizeof buf);
            if (n > 0) {
                m_in.append(buf, n);
                return n;
            }
            const int err = SSL_get_error(m_ssl.get(), n);
            ERR_clear_error();
            const int left = timeoutMs - static_cast<int>(t.elapsed());
            if (err == SSL_ERROR_WANT_READ) {
                if (left <= 0 || !m_socket.waitFor(POLLIN, left))
                    return -1;
            } else if (err == SSL_ERROR_WANT_WRITE) {
                if (left <= 0 || !m_socket.waitFor(POLLOUT, left))
                    return -1;
            } else {
                return 0;
            }
        }
    }

    template <typename Op> bool retry(Op op, int timeoutMs)
    {
        QElapsedTimer t;
        t.start();
        for (;;) {
            const int r = op();
            if (r > 0)
                return true;
            const int err = SSL_get_error(m_ssl.get(), r);
            const int left = timeoutMs - static_cast<int>(t.elapsed());
            if (left <= 0)
                return false;
            if (err == SSL_ERROR_WANT_READ) {
                if (!m_socket.waitFor(POLLIN, left))
                    return false;
            } else if (err == SSL_ERROR_WANT_WRITE) {
                if (!m_socket.waitFor(POLLOUT, left))
                    return false;
            } else {
                return false;
            }
        }
    }

    RawSocket m_socket;
    SslCtxPtr m_ctx;
    SslPtr m_ssl;
    QByteArray m_in;
    quint16 m_port = 0;
    int m_deadlineMs = kDeadlineMs;
    int m_handshakeError = 0;
    bool m_handshaken = false;
};

} // namespace kaodian::testing
