#pragma once

// Backing up the embedded store while the server serves and kiosks upload,
// and restoring a backup into a data folder (docs/operations.md). A backup
// is one file:
//
//   KAODIAN-BACKUP/1\n
//   {"format": "kaodian-backup/1", "created_at", "schema_version",
//    "database_bytes", "database_sha256", "key_check", "files"}\n
//   the database: database_bytes bytes of SQLCipher file
//
// The database is the store at one moment (Database::backupTo), encrypted
// under the store's own key — the one in server.key — and it also holds,
// in its table kaodian_backup_file, the data folder's other files a working
// server needs: the ticket-signing key (printed tickets and kiosk packages
// are signed with it), the TLS certificate and key (kiosks pin the
// certificate) and server.json when there is one. So everything secret in
// a backup is encrypted, and one file restores a whole server.
//
// The backup does not carry the key: restoring needs a copy of server.key,
// kept apart from the backups (a stolen backup alone reveals nothing). The
// header is in clear and holds no secret: its size and SHA-256 tell a
// truncated or damaged file, and key_check (HMAC-SHA256 of a fixed text
// under the key, as server.key keeps one) a wrong key, before anything is
// opened or written.
//
// PostgreSQL stores are backed up with pg_dump instead (docs/operations.md).
//
// Thread-safety: free functions; each opens its own connections, so a
// backup may run beside a serving process or other threads' stores.

#include "core/result.h"
#include "core/storeerror.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

namespace kaodian::server {

// What a backup file says of itself.
struct BackupSummary
{
    QDateTime createdAt;
    qint64 schemaVersion = 0;
    qint64 databaseBytes = 0;
    QStringList files; // data-folder files carried beside the store
};

// Backs up the embedded store in dataDir into outPath (refused if it
// exists), carrying those of folderFiles (names in dataDir) that exist.
// The file is written whole or not at all, readable by its owner only.
Result<BackupSummary, StoreError> backupEmbeddedStore(
    const QString &dataDir, const QStringList &folderFiles, const QString &outPath, const QDateTime &now);

// Checks that a backup file is whole (format, size, SHA-256) and says what
// it holds; needs no key and changes nothing.
Result<BackupSummary, StoreError> inspectBackup(const QString &backupPath);

struct RestoreRequest
{
    QString backupPath;
    QString dataDir;
    QString keyFile; // the server.key the backup was made under (a copy of it)
    bool force = false; // restore into a folder that is not empty (see below)
};

struct RestoreSummary
{
    BackupSummary backup;
    QString movedAsideTo; // force: where the folder's earlier files now are
};

// Restores a backup into dataDir, which must be empty or absent unless
// force: then its entries are first moved, untouched, into
// dataDir/before-restore-<time>/ (nothing is deleted). Refused, with the
// folder left as it was, when the file is truncated or damaged, the key is
// not the backup's, or the backup is from a newer schema. The restored
// store is opened (and, if the backup is older, migrated) before this
// answers.
Result<RestoreSummary, StoreError> restoreEmbeddedStore(const RestoreRequest &request, const QDateTime &now);

} // namespace kaodian::server
