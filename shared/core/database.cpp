#include "core/database.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QScopeGuard>

#include <sqlite3.h>

#include <algorithm>
#include <array>

#include <openssl/crypto.h>

namespace kaodian {

Q_LOGGING_CATEGORY(lcStore, "kaodian.store")

namespace {

StoreError makeError(StoreError::Code code, const QString &message, const QString &path = {})
{
    return StoreError{code, message, path};
}

// Moves a damaged database (and its WAL, shared memory and a copy of its key
// file) aside, so nothing is lost and nothing replaces it silently.
QString moveAside(const QString &dbPath, const QString &keyPath)
{
    const QString stamp = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMddTHHmmsszzz"));
    const QString target = dbPath + QStringLiteral(".damaged-") + stamp;
    QFile::rename(dbPath, target);
    for (const char *suffix : {"-wal", "-shm"}) {
        const QString side = dbPath + QLatin1String(suffix);
        if (QFile::exists(side))
            QFile::rename(side, target + QLatin1String(suffix));
    }
    if (QFile::exists(keyPath))
        QFile::copy(keyPath, target + QStringLiteral(".key"));
    qCWarning(lcStore) << "damaged database moved aside to" << target;
    return target;
}

// PRAGMA application_id of a store whose write-ahead log is persistent
// ("KDWL"): from its first open by this version on, its -wal file always
// exists beside it, so a missing one means writes were lost, not that the
// store was closed cleanly.
constexpr int kPersistentWalId = 0x4B44574C;

bool isDamageCode(int rc)
{
    const int primary = rc & 0xff;
    return primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT;
}

// Gives a fresh connection the raw key and the page size every store uses.
int applyKey(sqlite3 *db, const SecretKey &key)
{
    // The hex digits are written straight into the one buffer that is wiped:
    // no temporary (the raw bytes as a QByteArray, their toHex()) holds the
    // key after this returns.
    static constexpr char kDigits[] = "0123456789abcdef";
    constexpr char kHead[] = "PRAGMA key = \"x'";
    constexpr char kTail[] = "'\";";
    std::array<char, sizeof kHead - 1 + 2 * SecretKey::size() + sizeof kTail> pragma{};
    char *out = std::copy_n(kHead, sizeof kHead - 1, pragma.begin());
    for (std::size_t i = 0; i < SecretKey::size(); ++i) {
        *out++ = kDigits[key.data()[i] >> 4];
        *out++ = kDigits[key.data()[i] & 0x0f];
    }
    std::copy_n(kTail, sizeof kTail, out); // with its terminating NUL
    const int rc = sqlite3_exec(db, pragma.data(), nullptr, nullptr, nullptr);
    OPENSSL_cleanse(pragma.data(), pragma.size());
    return rc;
}

} // namespace

QByteArray readDatabaseSalt(const QString &dbPath)
{
    QFile f(dbPath);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.read(16);
}

// ---------------------------------------------------------------- Statement

Statement::Statement(sqlite3 *db, sqlite3_stmt *stmt) : m_db(db), m_stmt(stmt, &sqlite3_finalize) {}

void Statement::keepBindError(int rc, int index)
{
    if (rc == SQLITE_OK || m_bindError)
        return;
    m_bindError = makeError(StoreError::Code::Sql, QStringLiteral("数据库错误：无法绑定第 %1 个参数（%2）")
                                                       .arg(index)
                                                       .arg(QString::fromUtf8(sqlite3_errstr(rc))));
}

Statement &Statement::bindInt64(int index, std::int64_t value)
{
    keepBindError(sqlite3_bind_int64(m_stmt.get(), index, value), index);
    return *this;
}

Statement &Statement::bind(int index, const QString &value)
{
    if (value.isNull())
        return bindNull(index);
    const QByteArray utf8 = value.toUtf8();
    keepBindError(sqlite3_bind_text(m_stmt.get(), index, utf8.constData(), static_cast<int>(utf8.size()),
                                    SQLITE_TRANSIENT),
                  index);
    return *this;
}

Statement &Statement::bind(int index, const QByteArray &value)
{
    if (value.isNull())
        return bindNull(index);
    keepBindError(sqlite3_bind_blob(m_stmt.get(), index, value.constData(), static_cast<int>(value.size()),
                                    SQLITE_TRANSIENT),
                  index);
    return *this;
}

Statement &Statement::bindNull(int index)
{
    keepBindError(sqlite3_bind_null(m_stmt.get(), index), index);
    return *this;
}

Result<bool, StoreError> Statement::step()
{
    if (m_bindError)
        return *m_bindError;
    const int rc = sqlite3_step(m_stmt.get());
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    const auto code = isDamageCode(rc) ? StoreError::Code::Damaged : StoreError::Code::Sql;
    return makeError(code, QStringLiteral("%1：%2").arg(code == StoreError::Code::Damaged ? QStringLiteral("数据库文件已损坏")
                                                                                      : QStringLiteral("数据库错误"),
                                                    QString::fromUtf8(sqlite3_errmsg(m_db))));
}

Status<StoreError> Statement::run()
{
    for (;;) {
        auto r = step();
        if (!r)
            return r.error();
        if (!*r)
            return {};
    }
}

void Statement::reset()
{
    m_bindError.reset();
    sqlite3_reset(m_stmt.get());
}

std::int64_t Statement::int64(int column) const
{
    return sqlite3_column_int64(m_stmt.get(), column);
}

QString Statement::text(int column) const
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt.get(), column));
    if (!p)
        return {};
    return QString::fromUtf8(p, sqlite3_column_bytes(m_stmt.get(), column));
}

QByteArray Statement::blob(int column) const
{
    const auto *p = static_cast<const char *>(sqlite3_column_blob(m_stmt.get(), column));
    return {p, sqlite3_column_bytes(m_stmt.get(), column)};
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt.get(), column) == SQLITE_NULL;
}

int Statement::columnCount() const
{
    return sqlite3_column_count(m_stmt.get());
}

QVariant Statement::value(int column) const
{
    switch (sqlite3_column_type(m_stmt.get(), column)) {
    case SQLITE_NULL: return {};
    case SQLITE_INTEGER: return QVariant::fromValue<qint64>(int64(column));
    case SQLITE_FLOAT: return sqlite3_column_double(m_stmt.get(), column);
    case SQLITE_BLOB: return blob(column);
    default: return text(column);
    }
}

QVariantList Statement::rowValues() const
{
    QVariantList row;
    const int n = columnCount();
    row.reserve(n);
    for (int i = 0; i < n; ++i)
        row.push_back(value(i));
    return row;
}

// ---------------------------------------------------------------- Database

Database::Database(sqlite3 *db, QString path) : m_db(db), m_path(std::move(path)) {}

Database::Database(Database &&other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_path(std::move(other.m_path)), m_cache(std::move(other.m_cache))
{
}

Database &Database::operator=(Database &&other) noexcept
{
    if (this != &other) {
        m_cache.clear();
        if (m_db)
            sqlite3_close_v2(m_db);
        m_db = std::exchange(other.m_db, nullptr);
        m_path = std::move(other.m_path);
        m_cache = std::move(other.m_cache);
    }
    return *this;
}

Database::~Database()
{
    m_cache.clear();
    if (m_db)
        sqlite3_close_v2(m_db);
}

StoreError Database::sqlError(const QString &what) const
{
    const int rc = sqlite3_extended_errcode(m_db);
    const QString message = QStringLiteral("%1：%2").arg(what, QString::fromUtf8(sqlite3_errmsg(m_db)));
    if (isDamageCode(rc))
        return makeError(StoreError::Code::Damaged, QStringLiteral("数据库文件已损坏（%1）").arg(message), m_path);
    return makeError(StoreError::Code::Sql, message, m_path);
}

Result<Database, StoreError> Database::create(const QString &dbPath, const QString &keyPath,
                                              const QString &passphrase, const StoreOptions &options,
                                              int kdfIterations)
{
    if (QFileInfo::exists(dbPath))
        return makeError(StoreError::Code::AlreadyExists,
                         QStringLiteral("数据库 %1 已存在，不会覆盖").arg(dbPath), dbPath);
    const auto key = SecretKey::random();
    if (!key)
        return makeError(StoreError::Code::Io, QStringLiteral("无法生成随机密钥"));
    if (auto s = writeWrappedKeyFile(keyPath, *key, passphrase, kdfIterations); !s)
        return s.error();
    return openKeyed(dbPath, keyPath, *key, {}, true, options);
}

Result<Database, StoreError> Database::createWithRawKeyFile(const QString &dbPath,
                                                            const QString &keyPath,
                                                            const StoreOptions &options)
{
    if (QFileInfo::exists(dbPath))
        return makeError(StoreError::Code::AlreadyExists,
                         QStringLiteral("数据库 %1 已存在，不会覆盖").arg(dbPath), dbPath);
    const auto key = SecretKey::random();
    if (!key)
        return makeError(StoreError::Code::Io, QStringLiteral("无法生成随机密钥"));
    if (auto s = writeRawKeyFile(keyPath, *key); !s)
        return s.error();
    return openKeyed(dbPath, keyPath, *key, {}, true, options);
}

Result<Database, StoreError> Database::open(const QString &dbPath, const QString &keyPath,
                                            const QString &passphrase, const StoreOptions &options)
{
    auto contents = readKeyFile(keyPath);
    if (!contents)
        return contents.error();
    // The passphrase is checked against the key file alone: a wrong one
    // never reaches the database file.
    auto key = unwrapKey(*contents, passphrase);
    if (!key)
        return key.error();
    if (!QFileInfo::exists(dbPath))
        return makeError(StoreError::Code::DatabaseMissing,
                         QStringLiteral("找不到数据库 %1").arg(dbPath), dbPath);
    return openKeyed(dbPath, keyPath, *key, contents->databaseSalt, false, options);
}

Result<Database, StoreError> Database::openKeyed(const QString &dbPath, const QString &keyPath,
                                                 const SecretKey &key, const QByteArray &expectedSalt,
                                                 bool create, const StoreOptions &options)
{
    if (!create && !expectedSalt.isEmpty()) {
        const QByteArray salt = readDatabaseSalt(dbPath);
        if (salt.size() < 16) {
            const QString aside = moveAside(dbPath, keyPath);
            return makeError(StoreError::Code::Damaged,
                             QStringLiteral("数据库文件已截断，已移至 %1 保留").arg(aside), aside);
        }
        if (salt != expectedSalt)
            return makeError(StoreError::Code::KeyMismatch,
                             QStringLiteral("密钥文件 %1 不属于数据库 %2（文件未改动）").arg(keyPath, dbPath),
                             dbPath);
    }

    // Before SQLite opens it and makes a new, empty one.
    const bool hadWal = QFileInfo::exists(dbPath + QStringLiteral("-wal"));
    const bool hadShm = QFileInfo::exists(dbPath + QStringLiteral("-shm"));

    sqlite3 *raw = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    const QByteArray nativePath = QFile::encodeName(dbPath);
    const int rc = sqlite3_open_v2(nativePath.constData(), &raw, flags, nullptr);
    Database db(raw, dbPath);
    if (rc != SQLITE_OK)
        return db.sqlError(QStringLiteral("无法打开数据库 %1").arg(dbPath));
    // Before anything can open the log: a connection that fails part way
    // through this function must not delete it on close either.
    int persistent = 1;
    sqlite3_file_control(db.m_db, "main", SQLITE_FCNTL_PERSIST_WAL, &persistent);
    if (create && !QFile::setPermissions(dbPath, QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return StoreError {StoreError::Code::Io, QStringLiteral("无法把数据库文件设为仅本用户可读写：%1").arg(dbPath), dbPath};

    if (applyKey(db.m_db, key) != SQLITE_OK)
        return db.sqlError(QStringLiteral("无法设置数据库密钥"));

    auto damaged = [&](QString detail) -> StoreError {
        static const QString prefix = QStringLiteral("数据库文件已损坏（");
        if (detail.startsWith(prefix) && detail.endsWith(QStringLiteral("）")))
            detail = detail.mid(prefix.size()).chopped(1);
        db = Database(nullptr, {});
        const QString aside = moveAside(dbPath, keyPath);
        return makeError(StoreError::Code::Damaged,
                         QStringLiteral("数据库已损坏（%1），已移至 %2 保留，未用空库替代").arg(detail, aside),
                         aside);
    };

    if (auto s = db.exec(QStringLiteral("PRAGMA cipher_page_size = 4096;")); !s)
        return s.error();
    {
        auto probe = db.prepare(QStringLiteral("SELECT count(*) FROM sqlite_master"));
        if (!probe) {
            if (!create && probe.error().code == StoreError::Code::Damaged)
                return damaged(probe.error().message);
            return probe.error();
        }
        auto row = probe->step();
        if (!row) {
            if (!create && row.error().code == StoreError::Code::Damaged)
                return damaged(row.error().message);
            return row.error();
        }
    }
    if (!create && options.checkIntegrityOnOpen) {
        auto check = db.prepare(QStringLiteral("PRAGMA quick_check"));
        if (!check)
            return damaged(check.error().message);
        auto row = check->step();
        if (!row)
            return damaged(row.error().message);
        if (!*row || check->text(0) != QLatin1String("ok"))
            return damaged(*row ? check->text(0) : QStringLiteral("quick_check"));
    }

    // Committed transactions live in the -wal file until a checkpoint copies
    // them into the main file (synchronous=FULL makes each durable there, and
    // SQLite replays them after a crash). If that file is deleted, SQLite
    // opens the main file as it was at the last checkpoint and says nothing.
    // So the log is kept on close (emptied, not deleted): a store marked so
    // and found without its log is refused, untouched, with the reason.
    std::int64_t applicationId = 0;
    {
        auto id = db.prepare(QStringLiteral("PRAGMA application_id"));
        if (!id)
            return id.error();
        auto row = id->step();
        if (!row)
            return row.error();
        applicationId = *row ? id->int64(0) : 0;
    }
    if (!create && applicationId == kPersistentWalId && !hadWal) {
        {
            db = Database(nullptr, {});
            // Opening made an empty log; it holds nothing: leave the files as found.
            QFile::remove(dbPath + QStringLiteral("-wal"));
            if (!hadShm)
                QFile::remove(dbPath + QStringLiteral("-shm"));
            return makeError(StoreError::Code::LogMissing,
                             QStringLiteral("数据库 %1 的预写日志 %1-wal 不见了：最近确认的写入可能随它丢失。"
                                            "数据库未改动；请找回该文件后再打开，或联系技术支持")
                                 .arg(dbPath),
                             dbPath);
        }
    }
    {
        auto mode = db.prepare(QStringLiteral("PRAGMA journal_mode = WAL"));
        if (!mode)
            return mode.error();
        auto row = mode->step();
        if (!row)
            return row.error();
        if (!*row || mode->text(0).toLower() != QLatin1String("wal"))
            return makeError(StoreError::Code::Sql, QStringLiteral("无法启用 WAL 日志模式"), dbPath);
    }
    if (auto s = db.exec(QStringLiteral("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
                                        "PRAGMA busy_timeout = 5000; PRAGMA journal_size_limit = 4194304;"));
        !s)
        return s.error();
    if (applicationId != kPersistentWalId) {
        if (auto s = db.exec(QStringLiteral("PRAGMA application_id = %1").arg(kPersistentWalId)); !s)
            return s.error();
    }

    if (db.schemaVersion() > (options.migrations.empty() ? 0 : options.migrations.back().version))
        return makeError(StoreError::Code::NewerSchema,
                         QStringLiteral("数据库 %1 由较新版本写入（结构版本 %2），本程序不会改动它")
                             .arg(dbPath)
                             .arg(db.schemaVersion()),
                         dbPath);
    if (auto s = db.migrate(options.migrations); !s)
        return s.error();

    if (create) {
        // The file has its first page now: bind the key file to it.
        const QByteArray salt = readDatabaseSalt(dbPath);
        if (salt.size() == 16) {
            if (auto s = bindKeyFileToDatabase(keyPath, salt); !s)
                return s.error();
        }
    }
    return db;
}

Status<StoreError> Database::migrate(const std::vector<Migration> &migrations)
{
    int current = schemaVersion();
    for (const auto &m : migrations) {
        if (m.version <= current)
            continue;
        Transaction tx(*this);
        if (!tx.begun())
            return tx.beginStatus();
        if (auto s = exec(QString::fromUtf8(m.sql)); !s)
            return makeError(s.error().code,
                             QStringLiteral("结构迁移 %1 失败：%2").arg(m.version).arg(s.error().message), m_path);
        if (auto s = exec(QStringLiteral("PRAGMA user_version = %1").arg(m.version)); !s)
            return s.error();
        if (auto s = tx.commit(); !s)
            return s;
        current = m.version;
    }
    return {};
}

Result<Statement, StoreError> Database::prepare(const QString &sql)
{
    const QByteArray utf8 = sql.toUtf8();
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v2(m_db, utf8.constData(), static_cast<int>(utf8.size()), &stmt, nullptr)
        != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return sqlError(QStringLiteral("SQL 准备失败"));
    }
    return Statement(m_db, stmt);
}

Result<Statement *, StoreError> Database::cached(const QString &sql)
{
    auto it = m_cache.find(sql);
    if (it == m_cache.end()) {
        auto st = prepare(sql);
        if (!st)
            return st.error();
        it = m_cache.emplace(sql, std::make_unique<Statement>(std::move(st).value())).first;
    }
    it->second->reset();
    return it->second.get();
}

Status<StoreError> Database::exec(const QString &sql)
{
    char *message = nullptr;
    const int rc = sqlite3_exec(m_db, sql.toUtf8().constData(), nullptr, nullptr, &message);
    if (rc == SQLITE_OK)
        return {};
    const QString text = QString::fromUtf8(message ? message : sqlite3_errmsg(m_db));
    sqlite3_free(message);
    return makeError(isDamageCode(rc) ? StoreError::Code::Damaged : StoreError::Code::Sql,
                     QStringLiteral("%1：%2").arg(isDamageCode(rc) ? QStringLiteral("数据库文件已损坏")
                                                                   : QStringLiteral("数据库错误"),
                                                  text),
                     m_path);
}

std::int64_t Database::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int Database::changes() const
{
    return sqlite3_changes(m_db);
}

int Database::schemaVersion() const
{
    sqlite3_stmt *stmt = nullptr;
    int version = 0;
    if (sqlite3_prepare_v2(m_db, "PRAGMA user_version", -1, &stmt, nullptr) == SQLITE_OK
        && sqlite3_step(stmt) == SQLITE_ROW)
        version = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return version;
}

Status<StoreError> Database::checkpoint()
{
    return exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
}

Status<StoreError> Database::backupTo(const QString &path, const SecretKey &key,
                                      const std::function<Status<StoreError>(Database &)> &addToCopy)
{
    if (QFileInfo::exists(path))
        return makeError(StoreError::Code::AlreadyExists, QStringLiteral("备份文件 %1 已存在，不会覆盖").arg(path), path);
    const QByteArray nativePath = QFile::encodeName(path);
    // A copy that is not whole and checked is no copy: removed on any failure.
    bool kept = false;
    const auto removeUnlessKept = qScopeGuard([&] {
        if (!kept) {
            QFile::remove(path);
            QFile::remove(path + QStringLiteral("-journal"));
        }
    });
    const auto open = [&](bool create) {
        sqlite3 *raw = nullptr;
        const int rc = sqlite3_open_v2(nativePath.constData(), &raw,
                                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0),
                                       nullptr);
        Database db(raw, path);
        if (rc == SQLITE_OK && applyKey(raw, key) == SQLITE_OK && db.exec(QStringLiteral("PRAGMA cipher_page_size = 4096;")).ok())
            return Result<Database, StoreError>(std::move(db));
        return Result<Database, StoreError>(db.sqlError(QStringLiteral("无法打开备份文件 %1").arg(path)));
    };
    {
        auto copy = open(true);
        if (!copy)
            return copy.error();
        if (!QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner))
            return StoreError {StoreError::Code::Io, QStringLiteral("无法把备份文件设为仅本用户可读写：%1").arg(path), path};
        // SQLite's online backup API, in one step (-1): it holds one read
        // transaction on this database for the whole copy, so the copy is
        // the database at one moment, and in WAL mode writers on other
        // connections carry on meanwhile. SQLCipher 3.4.1 copies pages
        // between two encrypted databases only under the same key: under
        // another it reports success and writes a file that opens with
        // neither (tried), hence the read-back below. The alternative,
        // ATTACH … KEY and sqlcipher_export() inside a read transaction, is
        // as consistent but leaves the header's application_id and
        // user_version at 0; the backup API copies the database exactly.
        std::unique_ptr<sqlite3_backup, int (*)(sqlite3_backup *)> backup(
            sqlite3_backup_init(copy->m_db, "main", m_db, "main"), &sqlite3_backup_finish);
        if (!backup)
            return copy->sqlError(QStringLiteral("无法开始备份"));
        const int stepRc = sqlite3_backup_step(backup.get(), -1);
        const int finishRc = sqlite3_backup_finish(backup.release());
        if (stepRc != SQLITE_DONE || finishRc != SQLITE_OK)
            return makeError(isDamageCode(stepRc) ? StoreError::Code::Damaged : StoreError::Code::Io,
                             QStringLiteral("备份未完成：%1").arg(QString::fromUtf8(sqlite3_errstr(stepRc != SQLITE_DONE ? stepRc : finishRc))),
                             path);
        // One self-contained file: the rollback journal, and no mark that
        // says a write-ahead log must exist beside it.
        auto mode = copy->prepare(QStringLiteral("PRAGMA journal_mode = DELETE"));
        if (!mode)
            return mode.error();
        if (auto row = mode->step(); !row || !*row || mode->text(0).toLower() != QLatin1String("delete"))
            return makeError(StoreError::Code::Io, QStringLiteral("备份无法改为单一文件（journal_mode）"), path);
        mode = Statement();
        if (auto s = copy->exec(QStringLiteral("PRAGMA application_id = 0")); !s)
            return s;
        if (addToCopy) {
            if (auto s = addToCopy(*copy); !s)
                return s;
        }
    }
    {
        auto check = open(false);
        if (!check)
            return check.error();
        auto quick = check->prepare(QStringLiteral("PRAGMA quick_check"));
        auto row = quick ? quick->step() : Result<bool, StoreError>(quick.error());
        if (!row || !*row || quick->text(0) != QLatin1String("ok"))
            return makeError(StoreError::Code::KeyMismatch,
                             QStringLiteral("备份写成后用密钥读不回（%1），已删除：所给密钥不是此数据库的密钥？")
                                 .arg(!row ? row.error().message : quick->text(0)),
                             path);
    }
    kept = true;
    return {};
}

// ---------------------------------------------------------------- Transaction

Transaction::Transaction(Database &db) : m_db(db), m_begun(db.exec(QStringLiteral("BEGIN IMMEDIATE"))) {}

Transaction::~Transaction()
{
    if (m_begun.ok() && !m_done)
        m_db.exec(QStringLiteral("ROLLBACK"));
}

Status<StoreError> Transaction::commit()
{
    if (!m_begun.ok())
        return m_begun;
    auto s = m_db.exec(QStringLiteral("COMMIT"));
    m_done = true;
    if (!s)
        m_db.exec(QStringLiteral("ROLLBACK"));
    return s;
}

} // namespace kaodian
