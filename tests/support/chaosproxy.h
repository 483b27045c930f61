#pragma once

// A TCP proxy for fault injection on loopback: forwards to a target port,
// and on demand cuts each connection after a random number of bytes in
// either direction (chaos), or refuses all traffic (down: the cable is out).
// The target can move, as a restarted server's port does. Runs on the
// thread's event loop.

#include <QHostAddress>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>

namespace kaodian::testing {

class ChaosProxy : public QObject
{
public:
    ChaosProxy(quint16 target, quint32 seed) : m_target(target), m_rng(seed)
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = m_server.nextPendingConnection()) {
                if (m_down) {
                    ++m_cuts;
                    client->abort();
                    client->deleteLater();
                    continue;
                }
                auto *upstream = new QTcpSocket(client);
                upstream->connectToHost(QHostAddress::LocalHost, m_target);
                const qint64 budget = m_chaos ? qint64(m_rng.bounded(50, 6000)) : -1;
                auto *left = new qint64(budget);
                connect(client, &QObject::destroyed, [left] { delete left; });
                auto pump = [this, left, client](QTcpSocket *from, QTcpSocket *to) {
                    QByteArray data = from->readAll();
                    if (*left < 0 && m_chaos) // a kept-alive connection meets the chaos too
                        *left = qint64(m_rng.bounded(50, 6000));
                    if (m_down || (*left >= 0 && data.size() >= *left)) {
                        if (!m_down)
                            to->write(data.left(*left));
                        ++m_cuts;
                        client->abort();
                        client->deleteLater();
                        return;
                    }
                    if (*left >= 0)
                        *left -= data.size();
                    to->write(data);
                };
                connect(client, &QTcpSocket::readyRead, upstream, [=] { pump(client, upstream); });
                connect(upstream, &QTcpSocket::readyRead, client, [=] { pump(upstream, client); });
                connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
                connect(upstream, &QTcpSocket::disconnected, client, [client] { client->disconnectFromHost(); });
                connect(upstream, &QTcpSocket::errorOccurred, client, [client] { client->abort(); client->deleteLater(); });
            }
        });
    }
    [[nodiscard]] quint16 port() const { return m_server.serverPort(); }
    void setTarget(quint16 target) { m_target = target; }
    void setChaos(bool on) { m_chaos = on; }
    void setDown(bool down) { m_down = down; }
    [[nodiscard]] int cuts() const { return m_cuts; }

private:
    QTcpServer m_server;
    quint16 m_target;
    QRandomGenerator m_rng;
    bool m_chaos = false;
    bool m_down = false;
    int m_cuts = 0;
};

} // namespace kaodian::testing
