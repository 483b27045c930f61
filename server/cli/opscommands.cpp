#include "cli/opscommands.h"

#include "cli/clisupport.h"
#include "office/metricstoken.h"
#include "store/backup.h"

#include <QFileInfo>

namespace kaodian::server::cli {

namespace {

// The data folder's files a working server needs besides its store: the
// ticket-signing key (printed tickets and kiosk packages are signed with
// it), the TLS certificate and key (kiosks pin the certificate), and
// server.json (a PostgreSQL folder's database URL) where there is one.
QStringList carriedFiles(const DataDir &dir)
{
    return {QFileInfo(dir.ticketKey()).fileName(), QFileInfo(dir.tlsCert()).fileName(),
        QFileInfo(dir.tlsKey()).fileName(), QFileInfo(dir.config()).fileName()};
}

} // namespace

int cmdBackup(const QCommandLineParser &p)
{
    const DataDir dir {p.value("data")};
    const QString outPath = p.value("out");
    if (dir.path.isEmpty() || outPath.isEmpty())
        return fail(QStringLiteral("backup --data DIR --out FILE"));
    if (!QFile::exists(dir.ticketKey()))
        return fail(QStringLiteral("--data DIR must be a folder made by `kaodian-server init`"));
    if (!locationFor(dir, p.value("postgres")).postgresUrl.isEmpty())
        return fail(QStringLiteral("the store is PostgreSQL: back it up with pg_dump --format=custom "
                                   "(docs/operations.md), and keep a copy "
                                   "of the data folder (ticket-signing.pem, tls-cert.pem, tls-key.pem, "
                                   "server.json) with it; this command "
                                   "backs up the embedded store"));
    auto summary = backupEmbeddedStore(dir.path, carriedFiles(dir), outPath, QDateTime::currentDateTimeUtc());
    if (!summary)
        return fail(summary.error().message);
    out() << "kaodian-server: backed up " << QDir(dir.path).absolutePath() << " to " << outPath << Qt::endl
          << "  store:   schema version " << summary->schemaVersion << ", " << summary->databaseBytes
          << " bytes, encrypted with the key in server.key" << Qt::endl
          << "  carried: " << summary->files.join(QStringLiteral(", ")) << Qt::endl
          << "  To restore it you need this file and a copy of "
          << QDir(dir.path).filePath(QStringLiteral("server.key"))
          << " (the backup does not hold the key): keep that copy apart from the backups." << Qt::endl;
    return 0;
}

int cmdRestore(const QCommandLineParser &p)
{
    const QStringList rest = p.positionalArguments().mid(1);
    const DataDir dir {p.value("data")};
    if (dir.path.isEmpty() || rest.size() != 1)
        return fail(QStringLiteral("restore --data DIR [--key FILE] [--force] FILE"));
    RestoreRequest request;
    request.backupPath = rest.first();
    request.dataDir = dir.path;
    request.force = p.isSet("force");
    request.keyFile = p.value("key");
    if (request.keyFile.isEmpty()) {
        // Restoring over a folder that still has its key (--force): that key.
        const QString own = QDir(dir.path).filePath(QStringLiteral("server.key"));
        if (!QFile::exists(own))
            return fail(QStringLiteral(
                "--key FILE is required: the server.key of the server the backup was made "
                "on (a copy of it); the backup is encrypted with that key and does not hold it"));
        request.keyFile = own;
    }
    auto restored = restoreEmbeddedStore(request, QDateTime::currentDateTimeUtc());
    if (!restored) {
        if (restored.error().code == StoreError::Code::AlreadyExists)
            return fail(restored.error().message
                + QStringLiteral(
                    " — with --force its files are first moved, untouched, into %1/before-restore-<time>/")
                      .arg(dir.path));
        return fail(restored.error().message);
    }
    const BackupSummary &b = restored->backup;
    out() << "kaodian-server: restored the backup of " << b.createdAt.toString(Qt::ISODate)
          << " (schema version " << b.schemaVersion << ") into " << QDir(dir.path).absolutePath() << Qt::endl
          << "  files:   server.db, server.key, " << b.files.join(QStringLiteral(", ")) << Qt::endl;
    if (!restored->movedAsideTo.isEmpty())
        out() << "  the folder's earlier files are in " << restored->movedAsideTo << Qt::endl;
    out()
        << "  Serve it with `kaodian-server serve --data " << dir.path
        << "`: the same TLS certificate and ticket key, so enrolled kiosks and printed tickets keep working."
        << Qt::endl;
    return 0;
}

int cmdMetricsToken(const QCommandLineParser &p)
{
    int code = 0;
    auto store = openStoreOrFail(p, &code);
    if (!store)
        return code;
    if (p.isSet("revoke")) {
        auto revoked = office::revokeMetricsToken(*store, QStringLiteral("cli"));
        if (!revoked)
            return fail(revoked.error().message);
        out() << (*revoked ? "metrics token revoked" : "there was no metrics token") << Qt::endl;
        return 0;
    }
    auto issued = office::issueMetricsToken(*store, QStringLiteral("cli"));
    if (!issued)
        return fail(issued.error().message);
    out() << "metrics token (shown once; only its hash is kept): " << issued->token << Qt::endl;
    if (issued->replaced)
        out() << "  it replaces the earlier token, which no longer works" << Qt::endl;
    out() << "  scrape GET /api/v1/metrics with the header `Authorization: Bearer <token>` (docs/api.md)"
          << Qt::endl;
    return 0;
}

} // namespace kaodian::server::cli
