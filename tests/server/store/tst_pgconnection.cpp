// PostgreSQL over TCP is TLS with the certificate and host checked unless
// the URL says otherwise (issue #17, finding 11): a URL without sslmode used
// libpq's default, `prefer`, which talks in clear to a server that declines
// TLS — or to anyone posing as one — and hands it the password.

#include "store/pgconnection.h"

#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

using namespace kaodian::server;

class TestPgConnection : public QObject
{
    Q_OBJECT

private slots:
    void init() { qunsetenv("PGSSLMODE"); qunsetenv("PGHOST"); }

    void tcpUrlsGetVerifyFull_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("expected");
        const QString add = QStringLiteral("sslmode=verify-full");
        QTest::newRow("uri host") << "postgresql://k@db.example.edu.cn/kaodian"
                                  << "postgresql://k@db.example.edu.cn/kaodian?" + add;
        QTest::newRow("uri with query") << "postgresql://k@10.0.0.5:5433/kaodian?connect_timeout=5"
                                        << "postgresql://k@10.0.0.5:5433/kaodian?connect_timeout=5&" + add;
        QTest::newRow("localhost is tcp") << "postgres://k@localhost/kaodian" << "postgres://k@localhost/kaodian?" + add;
        QTest::newRow("keywords") << "host=db.example.edu.cn dbname=kaodian" << "host=db.example.edu.cn dbname=kaodian " + add;
        QTest::newRow("hostaddr") << "hostaddr=10.0.0.5 dbname=kaodian" << "hostaddr=10.0.0.5 dbname=kaodian " + add;
        QTest::newRow("socket and tcp") << "postgresql://k@/kaodian?host=/run/postgresql,db2"
                                        << "postgresql://k@/kaodian?host=/run/postgresql,db2&" + add;
        QTest::newRow("socket") << "postgresql://k@/kaodian?host=/run/postgresql" << "postgresql://k@/kaodian?host=/run/postgresql";
        QTest::newRow("default socket") << "postgresql:///kaodian" << "postgresql:///kaodian";
        QTest::newRow("socket keywords") << "host=/tmp/pg dbname=kaodian" << "host=/tmp/pg dbname=kaodian";
        QTest::newRow("explicit disable kept") << "postgresql://k@localhost/kaodian?sslmode=disable"
                                               << "postgresql://k@localhost/kaodian?sslmode=disable";
        QTest::newRow("explicit require kept") << "host=db sslmode=require" << "host=db sslmode=require";
    }
    void tcpUrlsGetVerifyFull()
    {
        QFETCH(QString, url);
        QFETCH(QString, expected);
        QCOMPARE(pgConnectionString(url), expected);
    }

    void environmentCounts()
    {
        qputenv("PGHOST", "db.example.edu.cn");
        QCOMPARE(pgConnectionString(QStringLiteral("dbname=kaodian")), QStringLiteral("dbname=kaodian sslmode=verify-full"));
        qputenv("PGSSLMODE", "disable");
        QCOMPARE(pgConnectionString(QStringLiteral("dbname=kaodian")), QStringLiteral("dbname=kaodian"));
    }

    void unreadableUrlIsAnError()
    {
        QString error;
        QVERIFY(pgConnectionString(QStringLiteral("postgresql://k@h/db?nosuchoption=1"), &error).isEmpty());
        QVERIFY2(error.contains(QLatin1String("nosuchoption")), qPrintable(error));
        auto c = PgConnection::connect(QStringLiteral("postgresql://k@h/db?nosuchoption=1"));
        QVERIFY(!c.ok());
    }

    // A server on TCP that declines TLS, as PostgreSQL without ssl=on does
    // (or a machine posing as the database): the connection must fail
    // before a word goes in clear — the startup message names the user and
    // the database, and the password follows it.
    void noCleartextToAServerThatDeclinesTls()
    {
        const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
        QVERIFY(listener >= 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        QCOMPARE(::bind(listener, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
        QCOMPARE(::listen(listener, 4), 0);
        socklen_t len = sizeof addr;
        QCOMPARE(::getsockname(listener, reinterpret_cast<sockaddr *>(&addr), &len), 0);
        const int port = ntohs(addr.sin_port);

        std::atomic<int> sslRequests{0};
        std::atomic<int> cleartextMessages{0};
        std::thread fake([&] {
            for (int attempt = 0; attempt < 4; ++attempt) {
                const int c = ::accept(listener, nullptr, nullptr);
                if (c < 0)
                    return;
                timeval tv{2, 0};
                ::setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
                unsigned char head[8];
                if (::recv(c, head, sizeof head, MSG_WAITALL) == 8) {
                    const quint32 code = (quint32(head[4]) << 24) | (quint32(head[5]) << 16) | (quint32(head[6]) << 8) | head[7];
                    if (code == 80877103) { // SSLRequest: decline
                        ++sslRequests;
                        ::send(c, "N", 1, MSG_NOSIGNAL);
                        unsigned char next[8];
                        if (::recv(c, next, sizeof next, MSG_WAITALL) > 0)
                            ++cleartextMessages;
                    } else {
                        ++cleartextMessages; // a startup message, unasked for TLS
                    }
                }
                ::close(c);
            }
        });
        const QString url = QStringLiteral("postgresql://kaodian:secret@127.0.0.1:%1/kaodian?connect_timeout=5").arg(port);
        auto c = PgConnection::connect(url);
        ::shutdown(listener, SHUT_RDWR);
        ::close(listener);
        fake.join();
        QVERIFY(!c.ok());
        QVERIFY2(c.error().message.contains(QLatin1String("SSL")), qPrintable(c.error().message));
        QVERIFY(sslRequests > 0);
        QCOMPARE(cleartextMessages.load(), 0);
    }
};

QTEST_GUILESS_MAIN(TestPgConnection)
#include "tst_pgconnection.moc"
