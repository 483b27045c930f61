#pragma once

// What every kaodian-server command shares: its output streams, the data
// folder's files, the store location (embedded, --postgres, the environment
// or the folder's server.json), opening the store and the ticket key with a
// message on failure.
//
// Thread-safety: the commands run on the main thread only.

#include "store/serverstore.h"

#include "core/ed25519.h"

#include <QCommandLineParser>
#include <QDir>
#include <QJsonObject>
#include <QTextStream>

#include <memory>
#include <optional>

namespace kaodian::server::cli {

QTextStream &out();
QTextStream &err();
// Says why on stderr and answers exit code 1.
int fail(const QString &message);

// The data folder and the files init writes there.
struct DataDir
{
    QString path;
    [[nodiscard]] QString file(const QString &name) const { return QDir(path).filePath(name); }
    [[nodiscard]] QString config() const { return file(QStringLiteral("server.json")); }
    [[nodiscard]] QString ticketKey() const { return file(QStringLiteral("ticket-signing.pem")); }
    [[nodiscard]] QString tlsCert() const { return file(QStringLiteral("tls-cert.pem")); }
    [[nodiscard]] QString tlsKey() const { return file(QStringLiteral("tls-key.pem")); }
};

QJsonObject readConfig(const DataDir &dir);
StoreLocation locationFor(const DataDir &dir, const QString &postgresOption);
// Written whole (or not at all), readable by the owner only.
bool writePrivateFile(const QString &path, const QByteArray &bytes);
// nullptr after saying why; *code is then the exit code.
std::unique_ptr<ServerStore> openStoreOrFail(const StoreLocation &location, int *code);
// The store of the command's --data folder (or --postgres URL).
std::unique_ptr<ServerStore> openStoreOrFail(const QCommandLineParser &p, int *code);
// The data folder's ticket-signing key, or nullopt after saying why.
std::optional<SigningKey> readTicketKey(const DataDir &dir, int *code);

} // namespace kaodian::server::cli
