#include "store/backup.h"

#include "store/schema.h"
#include "store/serverstore.h"
#include "store/storeutil.h"

#include "core/database.h"
#include "core/keyfile.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTemporaryDir>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstring>

namespace kaodian::server {

namespace {

constexpr char kMagic[] = "KAODIAN-BACKUP/1\n";
constexpr char kFormat[] = "kaodian-backup/1";
constexpr qint64 kMaxHeaderBytes = 64 * 1024;
constexpr qint64 kMaxFolderFileBytes = 1024 * 1024;
constexpr qint64 kChunkBytes = 1024 * 1024;

StoreError error(StoreError::Code code, const QString &message, const QString &path = {})
{
    return StoreError {code, message, path};
}

// HMAC-SHA256 of a fixed text under the key, first 16 bytes in hex: tells
// whether a key is the backup's without trying it on the database.
QString keyCheckOf(const SecretKey &key)
{
    static const QByteArray label = "kaodian backup key check";
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(SecretKey::size()),
            reinterpret_cast<const unsigned char *>(label.constData()), static_cast<size_t>(label.size()),
            mac, &length))
        return {};
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(mac), 16).toHex());
}

// The raw key a server's key file holds.
Result<SecretKey, StoreError> readServerKey(const QString &path)
{
    auto contents = readKeyFile(path);
    if (!contents)
        return contents.error();
    if (contents->kdf != QLatin1String("none"))
        return error(StoreError::Code::KeyFileDamaged,
            QStringLiteral("%1 不是服务器的密钥文件（server.key 保存原始密钥，不用口令）").arg(path), path);
    return unwrapKey(*contents, QString());
}

// A name a backup may carry: a plain file of the data folder, not the store's own.
bool carriableName(const QString &name)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$"));
    return plain.match(name).hasMatch() && name != QLatin1String("server.key")
        && !name.startsWith(QLatin1String("server.db"));
}

// Unix permission bits and Qt's, for the owner, group and others.
int unixMode(QFileDevice::Permissions p)
{
    int mode = 0;
    mode |= p.testFlag(QFileDevice::ReadOwner) ? 0400 : 0;
    mode |= p.testFlag(QFileDevice::WriteOwner) ? 0200 : 0;
    mode |= p.testFlag(QFileDevice::ReadGroup) ? 0040 : 0;
    mode |= p.testFlag(QFileDevice::WriteGroup) ? 0020 : 0;
    mode |= p.testFlag(QFileDevice::ReadOther) ? 0004 : 0;
    mode |= p.testFlag(QFileDevice::WriteOther) ? 0002 : 0;
    return mode;
}

QFileDevice::Permissions qtPermissions(int mode)
{
    QFileDevice::Permissions p = QFileDevice::ReadOwner | QFileDevice::WriteOwner; // always the owner's
    if (mode & 0040)
        p |= QFileDevice::ReadGroup;
    if (mode & 0020)
        p |= QFileDevice::WriteGroup;
    if (mode & 0004)
        p |= QFileDevice::ReadOther;
    if (mode & 0002)
        p |= QFileDevice::WriteOther;
    return p;
}

// Copies bytes from one device to another in chunks, hashing them; false
// when either side fails or the source ends early.
bool copyBytes(QIODevice &from, qint64 bytes, QIODevice *to, QCryptographicHash &hash)
{
    QByteArray buffer;
    while (bytes > 0) {
        buffer = from.read(std::min(bytes, kChunkBytes));
        if (buffer.isEmpty())
            return false;
        hash.addData(buffer);
        if (to && to->write(buffer) != buffer.size())
            return false;
        bytes -= buffer.size();
    }
    return true;
}

// A backup file's header, checked against the bytes that follow it.
struct BackupFile
{
    BackupSummary summary;
    QString keyCheck;
    QByteArray databaseSha256; // hex
    qint64 databaseOffset = 0;
};

Result<BackupFile, StoreError> readBackup(const QString &path)
{
    QFile f(path);
    if (!f.exists())
        return error(StoreError::Code::DatabaseMissing, QStringLiteral("找不到备份文件 %1").arg(path), path);
    if (!f.open(QIODevice::ReadOnly))
        return error(
            StoreError::Code::Io, QStringLiteral("无法读取备份文件 %1：%2").arg(path, f.errorString()), path);
    const auto magicSize = static_cast<qint64>(std::strlen(kMagic));
    if (f.read(magicSize) != QByteArray(kMagic))
        return error(
            StoreError::Code::Damaged, QStringLiteral("%1 不是考点备份文件（文件开头不对）").arg(path), path);
    const QByteArray headerLine = f.readLine(kMaxHeaderBytes);
    if (!headerLine.endsWith('\n'))
        return error(StoreError::Code::Damaged,
            QStringLiteral("备份文件 %1 的文件头不完整：文件被截断或已损坏").arg(path), path);
    const auto damagedHeader
        = error(StoreError::Code::Damaged, QStringLiteral("备份文件 %1 的文件头已损坏").arg(path), path);
    const QJsonDocument doc = QJsonDocument::fromJson(headerLine);
    if (!doc.isObject())
        return damagedHeader;
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("format")).toString() != QLatin1String(kFormat))
        return damagedHeader;
    static const QRegularExpression sha256(QStringLiteral("^[0-9a-f]{64}$"));
    static const QRegularExpression check(QStringLiteral("^[0-9a-f]{32}$"));
    BackupFile b;
    b.summary.createdAt = parseStoreTime(o.value(QStringLiteral("created_at")).toString());
    b.summary.schemaVersion = o.value(QStringLiteral("schema_version")).toInteger(-1);
    b.summary.databaseBytes = o.value(QStringLiteral("database_bytes")).toInteger(-1);
    b.databaseSha256 = o.value(QStringLiteral("database_sha256")).toString().toLatin1();
    b.keyCheck = o.value(QStringLiteral("key_check")).toString();
    for (const auto &name : o.value(QStringLiteral("files")).toArray()) {
        if (!carriableName(name.toString()))
            return damagedHeader;
        b.summary.files.push_back(name.toString());
    }
    if (!b.summary.createdAt.isValid() || b.summary.schemaVersion < 1 || b.summary.databaseBytes < 1
        || !sha256.match(QString::fromLatin1(b.databaseSha256)).hasMatch()
        || !check.match(b.keyCheck).hasMatch())
        return damagedHeader;
    b.databaseOffset = f.pos();

    const qint64 present = f.size() - b.databaseOffset;
    if (present < b.summary.databaseBytes)
        return error(StoreError::Code::Damaged,
            QStringLiteral(
                "备份文件 %1 不完整：数据库应有 %2 字节，只有 %3 字节（文件被截断，例如复制未完成）")
                .arg(path)
                .arg(b.summary.databaseBytes)
                .arg(present),
            path);
    if (present > b.summary.databaseBytes)
        return error(StoreError::Code::Damaged,
            QStringLiteral("备份文件 %1 已损坏：数据库之后多出 %2 字节")
                .arg(path)
                .arg(present - b.summary.databaseBytes),
            path);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!copyBytes(f, b.summary.databaseBytes, nullptr, hash))
        return error(
            StoreError::Code::Io, QStringLiteral("无法读取备份文件 %1：%2").arg(path, f.errorString()), path);
    if (hash.result().toHex() != b.databaseSha256)
        return error(StoreError::Code::Damaged,
            QStringLiteral("备份文件 %1 已损坏：数据库的 SHA-256 与文件头记录的不符").arg(path), path);
    return b;
}

// A data-folder file as the backup carries it.
struct FolderFile
{
    QString name;
    int mode = 0600;
    QByteArray content;
};

Result<QList<FolderFile>, StoreError> readFolderFiles(const QString &dataDir, const QStringList &names)
{
    QList<FolderFile> files;
    for (const QString &name : names) {
        if (!carriableName(name))
            return error(StoreError::Code::Refused, QStringLiteral("备份不携带文件 %1").arg(name));
        QFile f(QDir(dataDir).filePath(name));
        if (!f.exists())
            continue;
        if (f.size() > kMaxFolderFileBytes || !f.open(QIODevice::ReadOnly))
            return error(StoreError::Code::Io, QStringLiteral("无法读取数据目录中的 %1").arg(f.fileName()),
                f.fileName());
        files.push_back({name, unixMode(f.permissions()), f.readAll()});
    }
    return files;
}

// Writes the folder files into the backup copy, and reads its schema version.
Status<StoreError> addFolderFiles(Database &copy, const QList<FolderFile> &files, qint64 *schemaVersion)
{
    Transaction tx(copy);
    if (!tx.begun())
        return tx.beginStatus();
    if (auto s = copy.exec(QStringLiteral("CREATE TABLE kaodian_backup_file (name TEXT PRIMARY KEY, mode "
                                          "INTEGER NOT NULL, content BLOB NOT NULL)"));
        !s)
        return s;
    for (const FolderFile &file : files) {
        auto insert = copy.prepare(
            QStringLiteral("INSERT INTO kaodian_backup_file (name, mode, content) VALUES (?, ?, ?)"));
        if (!insert)
            return insert.error();
        insert->bind(1, file.name).bind(2, file.mode).bind(3, file.content);
        if (auto s = insert->run(); !s)
            return s;
    }
    auto version = copy.prepare(QStringLiteral("SELECT coalesce(max(version), 0) FROM schema_migration"));
    if (!version)
        return version.error();
    auto row = version->step();
    if (!row)
        return row.error();
    *schemaVersion = *row ? version->int64(0) : 0;
    version = Statement();
    return tx.commit();
}

// Reads the folder files out of a restored copy and removes their table.
Result<QList<FolderFile>, StoreError> takeFolderFiles(Database &db, const BackupFile &backup)
{
    QList<FolderFile> files;
    {
        auto select
            = db.prepare(QStringLiteral("SELECT name, mode, content FROM kaodian_backup_file ORDER BY name"));
        if (!select)
            return error(StoreError::Code::Damaged,
                QStringLiteral("备份不完整：没有数据目录文件表（%1）").arg(select.error().message));
        auto s = select->forEachRow([&](Statement &row) {
            files.push_back({row.text(0), static_cast<int>(row.int64(1)), row.blob(2)});
        });
        if (!s)
            return s.error();
    }
    QStringList names;
    for (const FolderFile &f : files) {
        if (!carriableName(f.name))
            return error(StoreError::Code::Damaged, QStringLiteral("备份中的文件名 %1 不允许").arg(f.name));
        names.push_back(f.name);
    }
    if (names != backup.summary.files)
        return error(StoreError::Code::Damaged, QStringLiteral("备份中的文件与文件头所列不符"));
    // The keys it held are overwritten, not left in free pages.
    if (auto s = db.exec(QStringLiteral("PRAGMA secure_delete = ON; DROP TABLE kaodian_backup_file;")); !s)
        return s.error();
    return files;
}

// Moves the entries of dir named into a new folder inside it; answers its path.
Result<QString, StoreError> moveAside(const QDir &dir, const QStringList &entries, const QDateTime &now)
{
    const QString aside = dir.filePath(
        QStringLiteral("before-restore-") + now.toUTC().toString(QStringLiteral("yyyyMMddTHHmmss")));
    if (QFileInfo::exists(aside) || !QDir().mkpath(aside))
        return error(StoreError::Code::Io, QStringLiteral("无法建立 %1 存放原有文件").arg(aside), aside);
    for (const QString &name : entries)
        if (!QDir().rename(dir.filePath(name), QDir(aside).filePath(name)))
            return error(StoreError::Code::Io,
                QStringLiteral("无法把 %1 移入 %2（已移动的文件在那里，其余未动）")
                    .arg(dir.filePath(name), aside),
                aside);
    return aside;
}

} // namespace

Result<BackupSummary, StoreError> backupEmbeddedStore(
    const QString &dataDir, const QStringList &folderFiles, const QString &outPath, const QDateTime &now)
{
    if (QFileInfo::exists(outPath))
        return error(StoreError::Code::AlreadyExists,
            QStringLiteral("备份文件 %1 已存在，不会覆盖").arg(outPath), outPath);
    const QString keyPath = ServerStore::embeddedKeyPath(dataDir);
    auto key = readServerKey(keyPath);
    if (!key)
        return key.error();
    auto files = readFolderFiles(dataDir, folderFiles);
    if (!files)
        return files.error();
    StoreOptions options;
    options.checkIntegrityOnOpen = false; // the copy is checked instead
    auto source = Database::open(ServerStore::embeddedDatabasePath(dataDir), keyPath, QString(), options);
    if (!source)
        return source.error();

    // The copy is made beside the backup file, then framed into it.
    QTemporaryDir work(QFileInfo(outPath).absoluteDir().filePath(QStringLiteral(".kaodian-backup-XXXXXX")));
    if (!work.isValid())
        return error(StoreError::Code::Io,
            QStringLiteral("无法在 %1 建立临时目录：%2")
                .arg(QFileInfo(outPath).absolutePath(), work.errorString()));
    const QString copyPath = work.filePath(QStringLiteral("server.db"));
    BackupSummary summary;
    summary.createdAt = now.toUTC();
    for (const FolderFile &f : *files)
        summary.files.push_back(f.name);
    if (auto s = source->backupTo(copyPath, *key,
            [&](Database &copy) { return addFolderFiles(copy, *files, &summary.schemaVersion); });
        !s)
        return s.error();

    QFile copy(copyPath);
    if (!copy.open(QIODevice::ReadOnly))
        return error(StoreError::Code::Io, QStringLiteral("无法读取备份副本 %1").arg(copyPath), copyPath);
    summary.databaseBytes = copy.size();
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!copyBytes(copy, summary.databaseBytes, nullptr, hash))
        return error(StoreError::Code::Io, QStringLiteral("无法读取备份副本 %1").arg(copyPath), copyPath);
    QJsonObject header {
        {QStringLiteral("format"), QString::fromLatin1(kFormat)},
        {QStringLiteral("created_at"), storeTime(summary.createdAt)},
        {QStringLiteral("schema_version"), summary.schemaVersion},
        {QStringLiteral("database_bytes"), summary.databaseBytes},
        {QStringLiteral("database_sha256"), QString::fromLatin1(hash.result().toHex())},
        {QStringLiteral("key_check"), keyCheckOf(*key)},
        {QStringLiteral("files"), QJsonArray::fromStringList(summary.files)},
    };

    QSaveFile out(outPath);
    const auto cannotWrite = [&] {
        return error(StoreError::Code::Io,
            QStringLiteral("无法写入备份文件 %1：%2").arg(outPath, out.errorString()), outPath);
    };
    if (!out.open(QIODevice::WriteOnly))
        return cannotWrite();
    out.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    const QByteArray head = QByteArray(kMagic) + QJsonDocument(header).toJson(QJsonDocument::Compact) + '\n';
    QCryptographicHash again(QCryptographicHash::Sha256);
    if (out.write(head) != head.size() || !copy.seek(0)
        || !copyBytes(copy, summary.databaseBytes, &out, again) || again.result() != hash.result()
        || !out.commit())
        return cannotWrite();
    return summary;
}

Result<BackupSummary, StoreError> inspectBackup(const QString &backupPath)
{
    auto backup = readBackup(backupPath);
    if (!backup)
        return backup.error();
    return backup->summary;
}

Result<RestoreSummary, StoreError> restoreEmbeddedStore(const RestoreRequest &request, const QDateTime &now)
{
    auto backup = readBackup(request.backupPath);
    if (!backup)
        return backup.error();
    const qint64 newest = serverSchema().back().version;
    if (backup->summary.schemaVersion > newest)
        return error(StoreError::Code::NewerSchema,
            QStringLiteral("备份由较新版本制作（结构版本 %1，本程序最高 %2）：请用不低于制作备份时的版本恢复")
                .arg(backup->summary.schemaVersion)
                .arg(newest));
    auto key = readServerKey(request.keyFile);
    if (!key) {
        if (key.error().code == StoreError::Code::KeyFileMissing)
            return error(StoreError::Code::KeyFileMissing,
                QStringLiteral("找不到密钥文件 %1：恢复需要制作备份时服务器的 server.key（的副本）")
                    .arg(request.keyFile),
                request.keyFile);
        return key.error();
    }
    if (keyCheckOf(*key) != backup->keyCheck)
        return error(StoreError::Code::KeyMismatch,
            QStringLiteral("密钥文件 %1 不是这份备份的密钥：备份由制作时服务器的 server.key 加密，"
                           "请给出那份密钥（的副本）。数据目录未改动")
                .arg(request.keyFile),
            request.keyFile);

    const bool existed = QFileInfo::exists(request.dataDir);
    if (!QDir().mkpath(request.dataDir))
        return error(StoreError::Code::Io, QStringLiteral("无法创建数据目录 %1").arg(request.dataDir),
            request.dataDir);
    if (!existed)
        QFile::setPermissions(
            request.dataDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    const QDir dir(request.dataDir);
    const QStringList entries
        = dir.entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    if (!entries.isEmpty() && !request.force)
        return error(StoreError::Code::AlreadyExists,
            QStringLiteral("数据目录 %1 不是空的（%2 等 %3 项），恢复不会覆盖其中的文件")
                .arg(request.dataDir, entries.first())
                .arg(entries.size()),
            request.dataDir);

    // Everything is made in a folder inside the target and checked there;
    // only then is the target touched, by renames on one file system.
    QTemporaryDir work(dir.filePath(QStringLiteral(".restore-XXXXXX")));
    if (!work.isValid())
        return error(StoreError::Code::Io, QStringLiteral("无法在 %1 建立临时目录").arg(request.dataDir),
            request.dataDir);
    const QString dbPath = work.filePath(QStringLiteral("server.db"));
    const QString keyPath = work.filePath(QStringLiteral("server.key"));
    {
        QFile in(request.backupPath);
        QFile db(dbPath);
        QCryptographicHash hash(QCryptographicHash::Sha256);
        if (!in.open(QIODevice::ReadOnly) || !in.seek(backup->databaseOffset)
            || !db.open(QIODevice::WriteOnly)
            || !db.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
            || !copyBytes(in, backup->summary.databaseBytes, &db, hash) || !db.flush())
            return error(
                StoreError::Code::Io, QStringLiteral("无法把备份的数据库写到 %1").arg(dbPath), dbPath);
        if (hash.result().toHex() != backup->databaseSha256)
            return error(StoreError::Code::Damaged,
                QStringLiteral("备份文件 %1 在读取时变了（SHA-256 不符）").arg(request.backupPath),
                request.backupPath);
    }
    if (auto s = writeRawKeyFile(keyPath, *key, readDatabaseSalt(dbPath)); !s)
        return s.error();
    QList<FolderFile> files;
    {
        StoreOptions options; // checkIntegrityOnOpen: every page is read once here
        auto db = Database::open(dbPath, keyPath, QString(), options);
        if (!db) {
            if (db.error().code == StoreError::Code::Damaged)
                return error(StoreError::Code::Damaged,
                    QStringLiteral("备份 %1 中的数据库已损坏（页校验或完整性检查不过），未恢复任何内容")
                        .arg(request.backupPath),
                    request.backupPath);
            return db.error();
        }
        auto taken = takeFolderFiles(*db, *backup);
        if (!taken)
            return taken.error();
        files = std::move(taken).value();
        if (auto s = db->checkpoint(); !s)
            return s.error();
    }
    for (const FolderFile &f : files) {
        QSaveFile out(work.filePath(f.name));
        if (!out.open(QIODevice::WriteOnly) || !out.setPermissions(qtPermissions(f.mode))
            || out.write(f.content) != f.content.size() || !out.commit())
            return error(StoreError::Code::Io, QStringLiteral("无法写入 %1").arg(work.filePath(f.name)));
    }

    RestoreSummary summary;
    summary.backup = backup->summary;
    if (!entries.isEmpty()) {
        auto aside = moveAside(dir, entries, now);
        if (!aside)
            return aside.error();
        summary.movedAsideTo = *aside;
    }
    // The store's key last: a folder left half-way has no key beside a database.
    QStringList moves
        = {QStringLiteral("server.db"), QStringLiteral("server.db-wal"), QStringLiteral("server.db-shm")};
    for (const FolderFile &f : files)
        moves.push_back(f.name);
    moves.push_back(QStringLiteral("server.key"));
    for (const QString &name : moves) {
        if (!QFileInfo::exists(work.filePath(name)))
            continue;
        if (!QDir().rename(work.filePath(name), dir.filePath(name)))
            return error(StoreError::Code::Io,
                QStringLiteral("无法把 %1 放入数据目录 %2").arg(name, request.dataDir), request.dataDir);
    }
    // Open it as a server would (migrating an older backup) before saying it is done.
    auto store = ServerStore::open(StoreLocation {request.dataDir, QString()});
    if (!store)
        return error(store.error().code,
            QStringLiteral("恢复后的数据库无法打开：%1").arg(store.error().message), request.dataDir);
    return summary;
}

} // namespace kaodian::server
