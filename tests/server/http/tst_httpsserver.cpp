// The HTTPS transport over real TLS on 127.0.0.1: requests reach the handler
// intact, the bounds hold (protocol version, body, header, idle time,
// connection count), a slow handler blocks nobody else, and the self-signed
// certificate is what it claims. The client is plain OpenSSL on a
// non-blocking socket, every wait under a deadline.

#include "http/httpsserver.h"
#include "http/tlscert.h"

#include "tlsclient.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <future>
#include <memory>
#include <mutex>
#include <optional>

using namespace kaodian::server;
using namespace kaodian::testing;

namespace {

using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, decltype(&GENERAL_NAMES_free)>;
using BasicConstraintsPtr = std::unique_ptr<BASIC_CONSTRAINTS, decltype(&BASIC_CONSTRAINTS_free)>;

QByteArray get(const QByteArray &target, const QByteArray &extra = {})
{
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "\r\n";
}

qint64 residentKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

// Runs a program with stdin closed; its exit code and merged output.
std::pair<int, QByteArray> run(const QString &program, const QStringList &args)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, args);
    if (!process.waitForStarted(kDeadlineMs))
        return {-1, {}};
    process.closeWriteChannel();
    if (!process.waitForFinished(15000)) {
        process.kill();
        process.waitForFinished(kDeadlineMs);
        return {-1, process.readAll()};
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, process.readAll()};
}

// Requests the handler saw, for the test to inspect.
struct Recorder
{
    std::mutex mutex;
    QList<HttpRequest> requests;
    std::atomic<int> calls {0};

    HttpHandler handler()
    {
        return [this](const HttpRequest &request) {
            {
                std::lock_guard lock(mutex);
                requests.append(request);
            }
            calls.fetch_add(1);
            HttpResponse response;
            if (request.target == "/cached") {
                response.headers.push_back({"Cache-Control", "max-age=60"});
                response.headers.push_back({"Content-Security-Policy", "default-src 'none'"});
            }
            if (request.target == "/inject")
                response.headers.push_back({"X-Evil", "a\r\nSet-Cookie: stolen=1"});
            response.headers.push_back({"X-Handler", "yes"});
            response.body = R"({"ok":true,"target":")" + request.target + "\"}";
            return response;
        };
    }
    HttpRequest last()
    {
        std::lock_guard lock(mutex);
        return requests.value(requests.size() - 1);
    }
};

// Resolves a promise on destruction, so a failing test never leaves a handler blocked.
struct Latch
{
    std::promise<void> promise;
    std::shared_future<void> future = promise.get_future().share();
    bool released = false;
    void release()
    {
        if (!released)
            promise.set_value();
        released = true;
    }
    ~Latch() { release(); }
};

} // namespace

class HttpsServerTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_cert;
    QString m_key;

    std::unique_ptr<HttpsServer> start(HttpLimits limits, HttpHandler handler)
    {
        auto server = std::make_unique<HttpsServer>(TlsFiles {m_cert, m_key}, limits, std::move(handler));
        const auto status = server->listen(QStringLiteral("127.0.0.1"), 0);
        if (!status) {
            qWarning() << "listen failed:" << status.error();
            return nullptr;
        }
        return server;
    }

private Q_SLOTS:
    void initTestCase()
    {
        std::signal(SIGPIPE, SIG_IGN); // OpenSSL's socket BIO writes with write(2)
        QVERIFY(m_dir.isValid());
        m_cert = m_dir.filePath(QStringLiteral("server.crt"));
        m_key = m_dir.filePath(QStringLiteral("server.key"));
        const auto status = writeSelfSignedCertificate(m_cert, m_key, {}, 2);
        QVERIFY2(status.ok(), qPrintable(status.ok() ? QString() : status.error()));
    }

    // 1. Requests reach the handler intact; responses carry the security headers; keep-alive.
    void requestsReachHandlerAndKeepAlive()
    {
        Recorder recorder;
        auto server = start({}, recorder.handler());
        QVERIFY(server);
        QVERIFY(server->port() != 0);

        TlsClient client(server->port());
        QVERIFY(client.handshake());
        QVERIFY(client.send(get("/hello?x=1&y=%E4%B8%AD", "X-Test: abc\r\nAccept: a\r\nAccept: b\r\n")));
        auto reply = client.readReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
        QCOMPARE(reply->body, QByteArray(R"({"ok":true,"target":"/hello?x=1&y=%E4%B8%AD"})"));
        QCOMPARE(reply->headers.value("content-type"), QByteArray("application/json; charset=utf-8"));
        QCOMPARE(reply->headers.value("x-handler"), QByteArray("yes"));
        QCOMPARE(reply->headers.value("server"), QByteArray("kaodian"));
        QCOMPARE(reply->headers.value("strict-transport-security"), QByteArray("max-age=31536000"));
        QCOMPARE(reply->headers.value("x-content-type-options"), QByteArray("nosniff"));
        QCOMPARE(reply->headers.value("x-frame-options"), QByteArray("DENY"));
        QCOMPARE(reply->headers.value("referrer-policy"), QByteArray("no-referrer"));
        QCOMPARE(reply->headers.value("cache-control"), QByteArray("no-store"));
        QCOMPARE(reply->headers.value("content-security-policy"), QByteArray("default-src 'self'"));

        HttpRequest seen = recorder.last();
        QCOMPARE(seen.method, QByteArray("GET"));
        QCOMPARE(seen.target, QByteArray("/hello?x=1&y=%E4%B8%AD"));
        QCOMPARE(seen.headers.value("x-test"), QByteArray("abc"));
        QCOMPARE(seen.headers.value("host"), QByteArray("127.0.0.1"));
        QCOMPARE(seen.headers.value("accept"), QByteArray("a, b"));
        QVERIFY(!seen.headers.contains("X-Test"));
        QVERIFY(seen.body.isEmpty());
        QCOMPARE(seen.peerAddress, QStringLiteral("127.0.0.1"));

        // Second request on the same connection: a POST with a body (binary included).
        const QByteArray body
            = QByteArray("{\"name\":\"张三\",\"bytes\":\"") + QByteArray("\0\x01\xff", 3) + "\"}";
        QVERIFY(client.send(
            "POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            "Content-Length: "
            + QByteArray::number(body.size()) + "\r\n\r\n" + body));
        reply = client.readReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
        seen = recorder.last();
        QCOMPARE(seen.method, QByteArray("POST"));
        QCOMPARE(seen.target, QByteArray("/api/v1/events"));
        QCOMPARE(seen.headers.value("content-type"), QByteArray("application/json"));
        QCOMPARE(seen.body, body);
        QCOMPARE(recorder.calls.load(), 2);

        // Handler's own Cache-Control and CSP are kept; a header with CR/LF is dropped.
        QVERIFY(client.send(get("/cached")));
        reply = client.readReply();
        QVERIFY(reply);
        QCOMPARE(reply->headers.value("cache-control"), QByteArray("max-age=60"));
        QCOMPARE(reply->headers.value("content-security-policy"), QByteArray("default-src 'none'"));
        QVERIFY(client.send(get("/inject")));
        reply = client.readReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
        QVERIFY(!reply->headers.contains("x-evil"));
        QVERIFY(!reply->headers.contains("set-cookie"));

        // A chunked body is assembled before the handler sees it.
        QVERIFY(client.send("POST /chunked HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                            "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"));
        reply = client.readReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
        QCOMPARE(recorder.last().body, QByteArray("hello world"));

        // Expect: 100-continue gets the interim answer before the body is sent.
        QVERIFY(client.send("PUT /continue HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n"
                            "Content-Length: 5\r\n\r\n"));
        reply = client.readReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 100);
        QVERIFY(client.send("12345"));
        reply = client.readReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
        QCOMPARE(recorder.last().method, QByteArray("PUT"));
        QCOMPARE(recorder.last().body, QByteArray("12345"));

        // HEAD: the length of the body that GET would send, and no body.
        QVERIFY(client.send("HEAD /head HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
        reply = client.readReply(kDeadlineMs, true);
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
        QCOMPARE(reply->headers.value("content-length"),
            QByteArray::number(QByteArray(R"({"ok":true,"target":"/head"})").size()));
        QVERIFY(client.send(get("/after-head")));
        reply = client.readReply();
        QVERIFY(reply);
        QCOMPARE(reply->body, QByteArray(R"({"ok":true,"target":"/after-head"})"));

        // Connection: close is honoured.
        QVERIFY(client.send(get("/bye", "Connection: close\r\n")));
        reply = client.readReply();
        QVERIFY(reply);
        QCOMPARE(reply->headers.value("connection"), QByteArray("close"));
        QVERIFY(client.waitClosed());
        QTRY_COMPARE(server->activeConnections(), 0);
    }

    // 2. Only TLS 1.2 and 1.3, with ECDHE and AEAD ciphers.
    void oldProtocolsRefused()
    {
        Recorder recorder;
        auto server = start({}, recorder.handler());
        QVERIFY(server);

        // The clients below would use TLS 1.0/1.1 (security level 0), so only
        // the server can be what refuses.
        for (const int version : {TLS1_VERSION, TLS1_1_VERSION}) {
            TlsClient old(server->port(), {version, version, "ALL:@SECLEVEL=0", true});
            QVERIFY(old.socket().connected());
            QVERIFY2(!old.handshake(), "TLS below 1.2 was accepted");
            // refused for its version, not merely for want of a shared cipher
            QCOMPARE(old.handshakeError(), SSL_R_TLSV1_ALERT_PROTOCOL_VERSION);
        }
        for (const char *cbc :
            {"ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA384"}) {
            // usable with the server's ECDSA key, and OpenSSL's defaults would take them
            TlsClient client(server->port(), {TLS1_2_VERSION, TLS1_2_VERSION, cbc, true});
            QVERIFY2(!client.handshake(), cbc);
        }
        {
            TlsClient tls12(server->port(), {TLS1_2_VERSION, TLS1_2_VERSION, nullptr, true});
            QVERIFY(tls12.handshake());
            QCOMPARE(tls12.protocol(), QByteArray("TLSv1.2"));
            QVERIFY2(tls12.cipher().startsWith("ECDHE-ECDSA-")
                    && (tls12.cipher().contains("GCM") || tls12.cipher().contains("CHACHA20")),
                tls12.cipher().constData());
            QVERIFY(tls12.send(get("/")));
            QVERIFY(tls12.readReply());
        }
        {
            TlsClient tls13(server->port());
            QVERIFY(tls13.handshake());
            QCOMPARE(tls13.protocol(), QByteArray("TLSv1.3"));
        }

        const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
        if (openssl.isEmpty())
            QSKIP("openssl CLI not installed");
        const QString connect = QStringLiteral("127.0.0.1:%1").arg(server->port());
        for (const QString &flag : {QStringLiteral("-tls1"), QStringLiteral("-tls1_1")}) {
            const auto [code, output] = run(openssl,
                {QStringLiteral("s_client"), QStringLiteral("-connect"), connect, flag,
                    QStringLiteral("-cipher"), QStringLiteral("DEFAULT:@SECLEVEL=0"),
                    QStringLiteral("-brief")});
            QVERIFY2(code != 0, output.constData());
            QVERIFY2(output.contains("alert protocol version"), output.constData());
            QVERIFY2(!output.contains("Protocol version: TLSv1.1")
                    && !output.contains("Protocol version: TLSv1\n"),
                output.constData());
        }
        const auto [code, output] = run(openssl,
            {QStringLiteral("s_client"), QStringLiteral("-connect"), connect, QStringLiteral("-tls1_2"),
                QStringLiteral("-brief")});
        QVERIFY2(code == 0, output.constData());
        QVERIFY2(output.contains("Protocol version: TLSv1.2"), output.constData());
    }

    // 3. A declared body above the limit: 413 straight after the headers, nothing buffered.
    void hugeContentLengthRejectedWithoutReading()
    {
        Recorder recorder;
        HttpLimits limits;
        limits.maxBodyBytes = qint64(1024) * 1024;
        auto server = start(limits, recorder.handler());
        QVERIFY(server);
        const QByteArray junk(qsizetype(4) * 1024 * 1024, 'x'); // allocated before the first reading

        { // warm up: threads, TLS, allocator
            TlsClient warm(server->port());
            QVERIFY(warm.handshake());
            QVERIFY(warm.send(get("/")));
            QVERIFY(warm.readReply());
        }
        recorder.calls = 0;
        const qint64 before = residentKiB();
        QVERIFY(before > 0);

        TlsClient client(server->port());
        QVERIFY(client.handshake());
        QElapsedTimer t;
        t.start();
        QVERIFY(client.send(
            "POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
            "Content-Length: 1073741824\r\n\r\n"));
        auto reply = client.readReply(); // not one byte of the body sent
        QVERIFY2(reply, "no answer before the body");
        QCOMPARE(reply->status, 413);
        QVERIFY(reply->body.contains(R"("code":"payload_too_large")"));
        QCOMPARE(reply->headers.value("connection"), QByteArray("close"));
        QCOMPARE(reply->headers.value("x-content-type-options"), QByteArray("nosniff"));
        qInfo() << "413 after" << t.elapsed() << "ms";
        for (int i = 0; i < 4; ++i)
            if (!client.send(junk)) // the server may already be gone
                break;
        QVERIFY(client.waitClosed());
        const qint64 after = residentKiB();
        qInfo() << "VmRSS before" << before << "KiB, after" << after << "KiB";
        QVERIFY2(after - before < qint64(6) * 1024,
            qPrintable(QStringLiteral("grew by %1 KiB").arg(after - before)));
        QCOMPARE(recorder.calls.load(), 0);

        // A chunked body that grows past the limit is cut off with 413 too.
        TlsClient chunked(server->port());
        QVERIFY(chunked.handshake());
        QByteArray request = "POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n";
        const QByteArray chunk(qsizetype(256) * 1024, 'y');
        for (int i = 0; i < 5; ++i) // 1.25 MiB
            request += QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n";
        request += "0\r\n\r\n";
        chunked.send(request); // may fail part way: the server stops reading at the limit
        reply = chunked.readReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 413);
        QCOMPARE(recorder.calls.load(), 0);

        // A body exactly at the limit is fine.
        TlsClient exact(server->port());
        QVERIFY(exact.handshake());
        QVERIFY(exact.send("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
            + QByteArray::number(limits.maxBodyBytes) + "\r\n\r\n" + QByteArray(limits.maxBodyBytes, 'z')));
        reply = exact.readReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
        QCOMPARE(recorder.last().body.size(), limits.maxBodyBytes);
        exact.closeNotify();
        QTRY_COMPARE(server->activeConnections(), 0);
    }

    // Bodies being received at once are bounded server-wide, not only one by
    // one: with a budget of two bodies, a third client whose body would not
    // fit gets 503 `busy` right after its headers; once a body is handled,
    // its room is free again. (Found by tst_abuse: connections x bodies of
    // the limit could be held at once, 256 x 16 MiB.)
    void bodyBudgetSharedByConnections()
    {
        Recorder recorder;
        HttpLimits limits;
        limits.maxBodyBytes = qint64(1024) * 1024;
        limits.maxBufferedBodyBytes = 2 * limits.maxBodyBytes;
        auto server = start(limits, recorder.handler());
        QVERIFY(server);
        const QByteArray head = "POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
            + QByteArray::number(limits.maxBodyBytes) + "\r\n\r\n";
        // Two clients announce a body of the limit and send half of it.
        TlsClient first(server->port());
        TlsClient second(server->port());
        for (TlsClient *c : {&first, &second}) {
            QVERIFY(c->handshake());
            QVERIFY(c->send(head + QByteArray(limits.maxBodyBytes / 2, 'a')));
        }
        QTest::qWait(200);
        // A third, even a small one, does not fit; nor does a chunked one.
        TlsClient third(server->port());
        QVERIFY(third.handshake());
        QVERIFY(third.send("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n"));
        auto reply = third.readReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 503);
        QVERIFY(reply->body.contains(R"("code":"busy")"));
        QCOMPARE(reply->headers.value("retry-after"), QByteArray("5"));
        QVERIFY(third.waitClosed());
        // Requests without a body are not held up.
        TlsClient plain(server->port());
        reply = plain.request("GET", "/plain");
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
        // The first finishes: its room is free for the next.
        QVERIFY(first.send(QByteArray(limits.maxBodyBytes / 2, 'a')));
        reply = first.readReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
        TlsClient fourth(server->port());
        reply = fourth.request("POST", "/upload", {}, QByteArray(1000, 'c'));
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
        // The second finishes too.
        QVERIFY(second.send(QByteArray(limits.maxBodyBytes / 2, 'a')));
        reply = second.readReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
        for (int i = 0; i < 3; ++i) { // the whole budget is free again: two at the limit in turn, and more
            TlsClient again(server->port());
            reply = again.request("POST", "/upload", {}, QByteArray(limits.maxBodyBytes, 'd'));
            QVERIFY(reply);
            QCOMPARE(reply->status, 200);
        }
    }

    // 4. Header too large: 431. Garbage: 400 (or closed). Nothing internal leaks.
    void oversizedHeaderAndGarbage()
    {
        Recorder recorder;
        HttpLimits limits;
        limits.maxHeaderBytes = 4096;
        auto server = start(limits, recorder.handler());
        QVERIFY(server);

        {
            TlsClient client(server->port());
            QVERIFY(client.handshake());
            QVERIFY(client.send(get("/", "X-Big: " + QByteArray(8000, 'a') + "\r\n")));
            const auto reply = client.readReply();
            QVERIFY(reply);
            QCOMPARE(reply->status, 431);
            QVERIFY(reply->body.contains(R"("code":"header_too_large")"));
            QVERIFY(client.waitClosed());
        }
        {
            TlsClient client(server->port()); // just under the limit is served
            QVERIFY(client.handshake());
            QVERIFY(client.send(get("/", "X-Big: " + QByteArray(3000, 'a') + "\r\n")));
            const auto reply = client.readReply();
            QVERIFY(reply);
            QCOMPARE(reply->status, 200);
        }
        const QList<QByteArray> garbage {
            QByteArray("\x01\x02\x03\xff garbage\r\n\r\n", 15),
            "GET / HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n", // no colon
            "GET / HTTP/1.1\r\nContent-Length: -5\r\n\r\n", // bad length
            "GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        };
        for (const QByteArray &bytes : garbage) {
            TlsClient client(server->port());
            QVERIFY(client.handshake());
            QVERIFY(client.send(bytes));
            const auto reply = client.readReply();
            if (reply) {
                QCOMPARE(reply->status, 400);
                QCOMPARE(reply->body,
                    QByteArray("{\"error\":{\"code\":\"bad_request\",\"message\":\"")
                        + QStringLiteral("请求格式无效").toUtf8() + "\"}}");
            }
            QVERIFY2(client.waitClosed(), bytes.constData());
        }
        QCOMPARE(recorder.calls.load(), 1);
        QTRY_COMPARE(server->activeConnections(), 0);
    }

    // 5. Idle and slow clients are closed; a normal client is served meanwhile.
    void idleAndSlowConnectionsClosed()
    {
        Recorder recorder;
        HttpLimits limits;
        limits.idleTimeoutMs = 300;
        limits.handshakeTimeoutMs = 300;
        auto server = start(limits, recorder.handler());
        QVERIFY(server);

        RawSocket noHandshake(server->port());
        QVERIFY(noHandshake.connected());
        TlsClient silent(server->port());
        QVERIFY(silent.handshake());
        TlsClient slow(server->port());
        QVERIFY(slow.handshake());
        QVERIFY(slow.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "));

        TlsClient normal(server->port());
        QVERIFY(normal.handshake());
        QVERIFY(normal.send(get("/")));
        auto reply = normal.readReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);

        QElapsedTimer t;
        t.start();
        bool slowClosed = false;
        while (t.elapsed() < 2500) { // one more header byte every 50 ms
            if (!slow.send("a") || slow.waitClosed(50)) {
                slowClosed = true;
                break;
            }
        }
        QVERIFY2(slowClosed, "a header trickling in was not cut off");
        QVERIFY2(silent.waitClosed(2000), "a silent connection stayed open");
        QVERIFY2(noHandshake.waitClosedPlain(2000), "a connection without handshake stayed open");
        qInfo() << "idle connections closed within" << t.elapsed() << "ms";

        // The normal client, having made its request, is idle now too; a new one is served.
        TlsClient later(server->port());
        QVERIFY(later.handshake());
        QVERIFY(later.send(get("/again")));
        reply = later.readReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);
        QCOMPARE(recorder.calls.load(), 2);
        QTRY_COMPARE(server->activeConnections(), 0);
    }

    // 6. Beyond maxConnections a connection is refused; closing one frees a slot.
    void connectionCap()
    {
        Recorder recorder;
        HttpLimits limits;
        limits.maxConnections = 3;
        auto server = start(limits, recorder.handler());
        QVERIFY(server);

        std::vector<std::unique_ptr<TlsClient>> held;
        for (int i = 0; i < 3; ++i) {
            held.push_back(std::make_unique<TlsClient>(server->port()));
            QVERIFY(held.back()->handshake()); // accepted and counted
        }
        QCOMPARE(server->activeConnections(), 3);

        {
            TlsClient fourth(server->port());
            const bool served = fourth.handshake() && fourth.send(get("/")) && fourth.readReply().has_value();
            QVERIFY2(!served, "a fourth connection was served");
        }
        QCOMPARE(server->activeConnections(), 3);
        QCOMPARE(recorder.calls.load(), 0);

        held.front()->closeNotify();
        held.erase(held.begin());
        QTRY_COMPARE(server->activeConnections(), 2);

        TlsClient fifth(server->port());
        QVERIFY(fifth.handshake());
        QVERIFY(fifth.send(get("/")));
        const auto reply = fifth.readReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 200);

        // Every close path gives its slot back: reset without close_notify too.
        for (auto &client : held)
            client->socket().close();
        held.clear();
        fifth.closeNotify();
        QTRY_COMPARE(server->activeConnections(), 0);
    }

    // 7. A blocked handler does not block another request; a throwing one gives a bare 500.
    void slowHandlerDoesNotBlockOthers()
    {
        Latch latch;
        std::promise<void> enteredPromise;
        auto entered = enteredPromise.get_future();
        std::atomic<bool> enteredOnce {false};
        HttpLimits limits;
        limits.ioThreads = 1; // were the handler on the I/O thread, nothing else could be served
        limits.workerThreads = 2;
        auto future = latch.future;
        auto server = start(limits, [&, future](const HttpRequest &request) -> HttpResponse {
            if (request.target == "/block") {
                if (!enteredOnce.exchange(true))
                    enteredPromise.set_value();
                future.wait_for(std::chrono::seconds(60)); // released by the test (or its end)
                return {200, "text/plain; charset=utf-8", {}, "unblocked"};
            }
            if (request.target == "/throw")
                throw std::runtime_error("secret-internal-detail at /srv/kaodian/db");
            return {200, "text/plain; charset=utf-8", {}, "quick"};
        });
        QVERIFY(server);
        struct Release // declared after the server: runs first, so stop() never waits on the latch
        {
            Latch &latch;
            ~Release() { latch.release(); }
        } release {latch};

        TlsClient blocked(server->port());
        QVERIFY(blocked.handshake());
        QVERIFY(blocked.send(get("/block")));
        QVERIFY(entered.wait_for(std::chrono::milliseconds(kDeadlineMs)) == std::future_status::ready);

        // The handler is now stuck on the latch: another request must still be answered.
        TlsClient quick(server->port());
        QVERIFY(quick.handshake());
        QVERIFY(quick.send(get("/quick")));
        auto reply = quick.readReply();
        QVERIFY2(reply, "a blocked handler held up another connection");
        QCOMPARE(reply->body, QByteArray("quick"));

        QVERIFY(quick.send(get("/throw")));
        reply = quick.readReply();
        QVERIFY(reply);
        QCOMPARE(reply->status, 500);
        QVERIFY(reply->body.contains(R"("code":"internal_error")"));
        QVERIFY(!reply->body.contains("secret"));
        QVERIFY(!reply->body.contains("/srv"));
        QCOMPARE(reply->headers.value("content-type"), QByteArray("application/json; charset=utf-8"));
        QVERIFY(quick.send(get("/quick"))); // the connection survives a failed handler
        QVERIFY(quick.readReply());

        latch.release();
        reply = blocked.readReply();
        QVERIFY(reply);
        QCOMPARE(reply->body, QByteArray("unblocked"));
    }

    // stop() closes the listener and open connections, and the server can listen again.
    void stopClosesEverything()
    {
        Recorder recorder;
        auto server = start({}, recorder.handler());
        QVERIFY(server);
        const quint16 port = server->port();
        TlsClient open(port);
        QVERIFY(open.handshake());
        QTRY_COMPARE(server->activeConnections(), 1);
        server->stop();
        QCOMPARE(server->port(), quint16(0));
        QCOMPARE(server->activeConnections(), 0);
        QVERIFY(open.waitClosed());
        TlsClient refused(port);
        QVERIFY(!refused.handshake());
        server->stop(); // idempotent

        const auto again = server->listen(QStringLiteral("127.0.0.1"), 0);
        QVERIFY(again.ok());
        TlsClient client(server->port());
        QVERIFY(client.handshake());
        QVERIFY(client.send(get("/")));
        QVERIFY(client.readReply());
        QVERIFY(!server->listen(QStringLiteral("127.0.0.1"), 0).ok()); // already listening
    }

    // listen() explains what is wrong with its files and address.
    void listenErrors()
    {
        const auto handler = [](const HttpRequest &) { return HttpResponse {}; };
        const QString missing = m_dir.filePath(QStringLiteral("nope.crt"));
        HttpsServer noCert({missing, m_key}, {}, handler);
        auto status = noCert.listen(QStringLiteral("127.0.0.1"), 0);
        QVERIFY(!status.ok());
        QVERIFY2(status.error().contains(missing), qPrintable(status.error()));

        const QString garbage = m_dir.filePath(QStringLiteral("garbage.pem"));
        QFile file(garbage);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("not a certificate\n");
        file.close();
        HttpsServer badCert({garbage, m_key}, {}, handler);
        status = badCert.listen(QStringLiteral("127.0.0.1"), 0);
        QVERIFY(!status.ok());
        QVERIFY2(status.error().contains(QStringLiteral("证书链")), qPrintable(status.error()));

        const QString otherCert = m_dir.filePath(QStringLiteral("other.crt"));
        const QString otherKey = m_dir.filePath(QStringLiteral("other.key"));
        QVERIFY(writeSelfSignedCertificate(otherCert, otherKey, {}, 1).ok());
        HttpsServer mismatch({m_cert, otherKey}, {}, handler);
        status = mismatch.listen(QStringLiteral("127.0.0.1"), 0);
        QVERIFY(!status.ok());
        QVERIFY2(status.error().contains(QStringLiteral("不匹配")), qPrintable(status.error()));

        HttpsServer badAddress({m_cert, m_key}, {}, handler);
        status = badAddress.listen(QStringLiteral("not-an-ip"), 0);
        QVERIFY(!status.ok());
        QVERIFY2(status.error().contains(QStringLiteral("not-an-ip")), qPrintable(status.error()));

        HttpsServer first({m_cert, m_key}, {}, handler);
        QVERIFY(first.listen(QStringLiteral("127.0.0.1"), 0).ok());
        HttpsServer second({m_cert, m_key}, {}, handler);
        status = second.listen(QStringLiteral("127.0.0.1"), first.port());
        QVERIFY(!status.ok());
        QVERIFY2(status.error().contains(QString::number(first.port())), qPrintable(status.error()));
    }

    // 8. The self-signed certificate: loads, SANs, constraints, key mode, fingerprint.
    void selfSignedCertificate()
    {
        const QString cert = m_dir.filePath(QStringLiteral("named.crt"));
        const QString key = m_dir.filePath(QStringLiteral("named.key"));
        const auto status = writeSelfSignedCertificate(cert, key,
            {QStringLiteral("kaodian.example.edu.cn"), QStringLiteral("192.168.1.10"),
                QStringLiteral("fe80::1"), QStringLiteral("localhost")},
            30);
        QVERIFY2(status.ok(), qPrintable(status.ok() ? QString() : status.error()));

        struct stat st
        {
        };
        QCOMPARE(::stat(QFile::encodeName(key).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, mode_t(0600));

        BioPtr certBio(BIO_new_file(QFile::encodeName(cert).constData(), "r"), &BIO_free);
        QVERIFY(certBio);
        X509Ptr x509(PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr), &X509_free);
        QVERIFY(x509);
        BioPtr keyBio(BIO_new_file(QFile::encodeName(key).constData(), "r"), &BIO_free);
        QVERIFY(keyBio);
        PkeyPtr pkey(PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
        QVERIFY(pkey);
        QVERIFY(EVP_PKEY_is_a(pkey.get(), "EC"));
        char group[64] = {};
        size_t groupLen = 0;
        QCOMPARE(EVP_PKEY_get_group_name(pkey.get(), group, sizeof group, &groupLen), 1);
        QCOMPARE(QByteArray(group), QByteArray("prime256v1"));
        QCOMPARE(X509_check_private_key(x509.get(), pkey.get()), 1);
        QCOMPARE(X509_get_version(x509.get()), long(X509_VERSION_3));
        QCOMPARE(X509_verify(x509.get(), pkey.get()), 1); // self-signed by that key

        GeneralNamesPtr names(static_cast<GENERAL_NAMES *>(
                                  X509_get_ext_d2i(x509.get(), NID_subject_alt_name, nullptr, nullptr)),
            &GENERAL_NAMES_free);
        QVERIFY(names);
        QStringList dns;
        QList<QByteArray> ips;
        for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
            const GENERAL_NAME *name = sk_GENERAL_NAME_value(names.get(), i);
            if (name->type == GEN_DNS)
                dns << QString::fromLatin1(
                    reinterpret_cast<const char *>(ASN1_STRING_get0_data(name->d.dNSName)),
                    ASN1_STRING_length(name->d.dNSName));
            else if (name->type == GEN_IPADD)
                ips << QByteArray(reinterpret_cast<const char *>(ASN1_STRING_get0_data(name->d.iPAddress)),
                    ASN1_STRING_length(name->d.iPAddress));
        }
        QCOMPARE(dns, (QStringList {QStringLiteral("localhost"), QStringLiteral("kaodian.example.edu.cn")}));
        QCOMPARE(ips.size(), 4);
        QCOMPARE(ips[0], QByteArray("\x7f\x00\x00\x01", 4));
        QCOMPARE(ips[1], QByteArray(15, '\0') + '\x01');
        QCOMPARE(ips[2], QByteArray("\xc0\xa8\x01\x0a", 4));
        QCOMPARE(ips[3], QByteArray("\xfe\x80", 2) + QByteArray(13, '\0') + '\x01');

        BasicConstraintsPtr constraints(static_cast<BASIC_CONSTRAINTS *>(X509_get_ext_d2i(
                                            x509.get(), NID_basic_constraints, nullptr, nullptr)),
            &BASIC_CONSTRAINTS_free);
        QVERIFY(constraints);
        QCOMPARE(constraints->ca, 0);
        QVERIFY(X509_get_extension_flags(x509.get()) & EXFLAG_XKUSAGE);
        QVERIFY(X509_get_extended_key_usage(x509.get()) & XKU_SSL_SERVER);
        QCOMPARE(X509_check_purpose(x509.get(), X509_PURPOSE_SSL_SERVER, 0), 1);
        QCOMPARE(X509_check_host(x509.get(), "kaodian.example.edu.cn", 0, 0, nullptr), 1);
        QCOMPARE(X509_check_ip_asc(x509.get(), "::1", 0), 1);
        QCOMPARE(X509_cmp_current_time(X509_get0_notBefore(x509.get())), -1);
        QCOMPARE(X509_cmp_current_time(X509_get0_notAfter(x509.get())), 1);

        // A second certificate gets another serial.
        const QString cert2 = m_dir.filePath(QStringLiteral("named2.crt"));
        QVERIFY(writeSelfSignedCertificate(cert2, m_dir.filePath(QStringLiteral("named2.key")), {}, 1).ok());
        BioPtr cert2Bio(BIO_new_file(QFile::encodeName(cert2).constData(), "r"), &BIO_free);
        X509Ptr x509b(PEM_read_bio_X509(cert2Bio.get(), nullptr, nullptr, nullptr), &X509_free);
        QVERIFY(x509b);
        QVERIFY(
            ASN1_INTEGER_cmp(X509_get0_serialNumber(x509.get()), X509_get0_serialNumber(x509b.get())) != 0);

        // Fingerprint as the openssl CLI computes it.
        const QString fingerprint = certificateFingerprintSha256(cert);
        QCOMPARE(fingerprint.size(), 64);
        QCOMPARE(fingerprint, fingerprint.toLower());
        QVERIFY(certificateFingerprintSha256(m_dir.filePath(QStringLiteral("missing.crt"))).isEmpty());
        QVERIFY(certificateFingerprintSha256(key).isEmpty());

        // Bad input is an error, not a certificate.
        QVERIFY(!writeSelfSignedCertificate(m_dir.filePath(QStringLiteral("x.crt")),
            m_dir.filePath(QStringLiteral("x.key")), {QStringLiteral("bad name!")}, 1)
                     .ok());
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("x.key"))));
        QVERIFY(!writeSelfSignedCertificate(
            m_dir.filePath(QStringLiteral("y.crt")), m_dir.filePath(QStringLiteral("y.key")), {}, 0)
                     .ok());

        const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
        if (openssl.isEmpty())
            QSKIP("openssl CLI not installed");
        auto [code, output] = run(openssl,
            {QStringLiteral("x509"), QStringLiteral("-noout"), QStringLiteral("-fingerprint"),
                QStringLiteral("-sha256"), QStringLiteral("-in"), cert});
        QCOMPARE(code, 0);
        const QByteArray cli = output.mid(output.indexOf('=') + 1).trimmed().replace(":", "").toLower();
        QCOMPARE(fingerprint.toLatin1(), cli);

        std::tie(code, output) = run(openssl,
            {QStringLiteral("x509"), QStringLiteral("-noout"), QStringLiteral("-text"), QStringLiteral("-in"),
                cert});
        QCOMPARE(code, 0);
        for (const char *expected : {"DNS:localhost", "DNS:kaodian.example.edu.cn", "IP Address:127.0.0.1",
                 "IP Address:0:0:0:0:0:0:0:1", "IP Address:192.168.1.10", "IP Address:FE80:0:0:0:0:0:0:1",
                 "CA:FALSE", "TLS Web Server Authentication", "ASN1 OID: prime256v1", "Version: 3 (0x2)"})
            QVERIFY2(output.contains(expected), expected);
    }
};

QTEST_GUILESS_MAIN(HttpsServerTest)
#include "tst_httpsserver.moc"
