#pragma once

// The real kaodian-server binary as a child of a test: CLI commands run to
// completion, and `serve` on 127.0.0.1 with its port read from the line it
// prints. Every wait is bounded; every child dies with the test process
// (PR_SET_PDEATHSIG) and a ServerProcess kills its child when destroyed.
// Needs KAODIAN_SERVER_BINARY defined to the binary's path.
// Not thread-safe: drive one ServerProcess from one thread.

#include "tlsclient.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>

#include <sys/prctl.h>

#include <csignal>
#include <memory>
#include <optional>

namespace kaodian::testing {

inline constexpr int kServerCommandMs = 60000; // one CLI command to finish
inline constexpr int kServerRequestMs = 30000; // one HTTPS request to be answered

inline QString serverBinary() { return QStringLiteral(KAODIAN_SERVER_BINARY); }

// A child's environment: nothing of ours that would change what it does.
inline QProcessEnvironment serverChildEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"KAODIAN_POSTGRES_URL", "KAODIAN_ADMIN_PASSWORD", "KAODIAN_USER_PASSWORD"})
        env.remove(QString::fromLatin1(name));
    return env;
}

inline void dieWithParent(QProcess &process)
{
    process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
}

// One finished command.
struct CommandResult
{
    bool finished = false; // exited normally within the deadline
    int exitCode = -1;
    QByteArray out;
    QByteArray err;

    [[nodiscard]] QByteArray describe() const
    {
        return "exit " + QByteArray::number(exitCode) + (finished ? "" : " (did not finish)")
            + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
};

inline CommandResult runCommand(const QString &program, const QStringList &args,
    const QProcessEnvironment &env = serverChildEnvironment(), int timeoutMs = kServerCommandMs)
{
    QProcess process;
    dieWithParent(process);
    process.setProcessEnvironment(env);
    process.start(program, args);
    CommandResult r;
    if (!process.waitForStarted(kDeadlineMs))
        return r;
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(kDeadlineMs);
    } else {
        r.finished = process.exitStatus() == QProcess::NormalExit;
        r.exitCode = r.finished ? process.exitCode() : -1;
    }
    r.out = process.readAllStandardOutput();
    r.err = process.readAllStandardError();
    return r;
}

inline CommandResult runServerCommand(const QStringList &args, const QProcessEnvironment &env = serverChildEnvironment())
{
    return runCommand(serverBinary(), args, env);
}

// A `kaodian-server serve` child on 127.0.0.1.
class ServerProcess
{
public:
    ServerProcess() = default;
    ~ServerProcess() { kill(); }
    ServerProcess(const ServerProcess &) = delete;
    ServerProcess &operator=(const ServerProcess &) = delete;

    // True once it serves; otherwise why not in error().
    bool start(const QStringList &storeArgs, quint16 port = 0)
    {
        kill();
        m_output.clear();
        m_port = 0;
        m_process = std::make_unique<QProcess>();
        dieWithParent(*m_process);
        m_process->setProcessEnvironment(serverChildEnvironment());
        m_process->start(serverBinary(),
            QStringList {QStringLiteral("serve")} + storeArgs
                + QStringList {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(port)});
        if (!m_process->waitForStarted(kDeadlineMs)) {
            m_error = "did not start: " + m_process->errorString().toUtf8();
            return false;
        }
        m_process->closeWriteChannel();
        static const QRegularExpression serving(
            QStringLiteral(R"(serving https://127\.0\.0\.1:(\d+)/ .*TLS certificate SHA-256 ([0-9a-f]{64}))"));
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < kServerCommandMs) {
            m_output += m_process->readAllStandardOutput();
            const auto match = serving.match(QString::fromUtf8(m_output));
            if (match.hasMatch()) {
                m_port = static_cast<quint16>(match.captured(1).toUInt());
                m_announcedFingerprint = match.captured(2).toLatin1();
                return true;
            }
            if (m_process->state() == QProcess::NotRunning) {
                m_error = "exited before serving:\n" + diagnostics();
                return false;
            }
            m_process->waitForReadyRead(100);
        }
        m_error = "no `serving` line in time:\n" + diagnostics();
        return false;
    }

    // `serve --data DIR` (the store the folder names).
    bool start(const QString &dataDir, quint16 port = 0)
    {
        return start(QStringList {QStringLiteral("--data"), dataDir}, port);
    }

    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] QByteArray announcedFingerprint() const { return m_announcedFingerprint; }
    [[nodiscard]] qint64 pid() const { return m_process ? m_process->processId() : 0; }
    [[nodiscard]] QByteArray error() const { return m_error; }
    [[nodiscard]] bool running() const { return m_process && m_process->state() != QProcess::NotRunning; }

    // SIGTERM; the exit code if it exits normally within timeoutMs, else -1 (and it is killed).
    int terminate(int timeoutMs = 5000, qint64 *tookMs = nullptr)
    {
        if (!running())
            return -1;
        QElapsedTimer t;
        t.start();
        m_process->terminate();
        const bool finished = m_process->waitForFinished(timeoutMs);
        if (tookMs)
            *tookMs = t.elapsed();
        m_output += m_process->readAllStandardOutput();
        if (!finished) {
            kill();
            return -1;
        }
        return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
    }

    // SIGKILL, as a power cut or the OOM killer would.
    void kill()
    {
        if (!running())
            return;
        m_process->kill();
        m_process->waitForFinished(kDeadlineMs);
    }

    QByteArray diagnostics()
    {
        if (!m_process)
            return {};
        m_output += m_process->readAllStandardOutput();
        return "--- stdout\n" + m_output + "\n--- stderr\n" + m_process->readAllStandardError();
    }

private:
    std::unique_ptr<QProcess> m_process;
    QByteArray m_output;
    QByteArray m_error;
    QByteArray m_announcedFingerprint;
    quint16 m_port = 0;
};

// A process's resident memory in KiB (VmRSS in /proc/PID/status); -1 if unknown.
inline qint64 residentKiB(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

// One request on a fresh TLS connection.
inline std::optional<Reply> call(quint16 port, const QByteArray &method, const QByteArray &target,
    const QByteArray &headers = {}, const QByteArray &body = {})
{
    ClientOptions options;
    options.deadlineMs = kServerRequestMs;
    TlsClient client(port, options);
    return client.request(method, target, headers, body);
}

inline QByteArray jsonBytes(const QJsonObject &o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

inline QJsonObject jsonObject(const std::optional<Reply> &reply)
{
    return reply ? QJsonDocument::fromJson(reply->body).object() : QJsonObject();
}

inline QByteArray describe(const std::optional<Reply> &reply)
{
    if (!reply)
        return "no reply (timeout or connection closed)";
    return QByteArray::number(reply->status) + ' ' + reply->body.left(2000);
}

// A person logged in: the cookie and CSRF token as headers for later requests.
struct Login
{
    QByteArray cookie;
    QByteArray csrf;
    QJsonObject body;

    [[nodiscard]] QByteArray read() const { return "Cookie: kd_session=" + cookie + "\r\n"; }
    [[nodiscard]] QByteArray change() const
    {
        return read() + "X-CSRF-Token: " + csrf + "\r\nContent-Type: application/json\r\n";
    }
};

inline std::optional<Reply> loginRequest(quint16 port, const QString &username, const QString &password)
{
    return call(port, "POST", "/api/v1/login", "Content-Type: application/json\r\n",
        jsonBytes({{"username", username}, {"password", password}}));
}

inline std::optional<Login> logIn(quint16 port, const QString &username, const QString &password, QByteArray *why)
{
    const auto reply = loginRequest(port, username, password);
    if (!reply || reply->status != 200) {
        *why = describe(reply);
        return std::nullopt;
    }
    Login login;
    login.cookie = reply->cookie("kd_session");
    login.body = jsonObject(reply);
    login.csrf = login.body.value("csrf_token").toString().toLatin1();
    if (login.cookie.isEmpty() || login.csrf.isEmpty()) {
        *why = "no cookie or CSRF token: " + describe(reply);
        return std::nullopt;
    }
    return login;
}

} // namespace kaodian::testing
