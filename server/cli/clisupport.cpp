#include "cli/clisupport.h"

#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>

#include <openssl/crypto.h>

namespace kaodian::server::cli {

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

QTextStream &err()
{
    static QTextStream s(stderr);
    return s;
}

int fail(const QString &message)
{
    err() << "kaodian-server: " << message << Qt::endl;
    return 1;
}

QJsonObject readConfig(const DataDir &dir)
{
    QFile f(dir.config());
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

StoreLocation locationFor(const DataDir &dir, const QString &postgresOption)
{
    QString url = postgresOption;
    if (url.isEmpty())
        url = qEnvironmentVariable("KAODIAN_POSTGRES_URL");
    if (url.isEmpty())
        url = readConfig(dir).value("postgres_url").toString();
    return StoreLocation{dir.path, url};
}

bool writePrivateFile(const QString &path, const QByteArray &bytes)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    if (!f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) || f.write(bytes) != bytes.size()) {
        f.cancelWriting();
        return false;
    }
    return f.commit();
}

std::unique_ptr<ServerStore> openStoreOrFail(const StoreLocation &location, int *code)
{
    auto store = ServerStore::open(location);
    if (!store) {
        *code = fail(store.error().message);
        return nullptr;
    }
    return std::move(store).value();
}

std::unique_ptr<ServerStore> openStoreOrFail(const QCommandLineParser &p, int *code)
{
    return openStoreOrFail(locationFor(DataDir{p.value(QStringLiteral("data"))}, p.value(QStringLiteral("postgres"))), code);
}

std::optional<SigningKey> readTicketKey(const DataDir &dir, int *code)
{
    QFile keyFile(dir.ticketKey());
    if (!keyFile.open(QIODevice::ReadOnly)) {
        *code = fail(QStringLiteral("cannot read the ticket-signing key %1").arg(dir.ticketKey()));
        return std::nullopt;
    }
    QByteArray pem = keyFile.readAll();
    auto key = SigningKey::fromPem(pem);
    OPENSSL_cleanse(pem.data(), static_cast<size_t>(pem.size())); // the private key, in PEM
    if (!key)
        *code = fail(QStringLiteral("%1 is not an Ed25519 private key").arg(dir.ticketKey()));
    return key;
}

} // namespace kaodian::server::cli
