#pragma once

// A small RAII layer over SQLCipher 3.4.1 (SQLite 3.15.2): an encrypted file
// in WAL mode with synchronous=FULL, numbered schema migrations, prepared
// statements and transactions.
//
// Ownership and threads: a Database owns one sqlite3 connection and is used
// from one thread at a time (it is movable, not copyable). Statements borrow
// the connection and must not outlive their Database. Open one Database per
// thread for concurrent readers.

#include "core/keyfile.h"
#include "core/result.h"
#include "core/storeerror.h"

#include <QByteArray>
#include <QString>
#include <QVariant>

#include <concepts>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace kaodian {

// One numbered step of a schema; applied once, in order, in a transaction.
struct Migration
{
    int version;
    const char *sql;
};

// How a store is opened.
struct StoreOptions
{
    std::vector<Migration> migrations;
    // Read every page at open (PRAGMA quick_check), so damage is found now
    // rather than mid-exam. Costs a full read of the file.
    bool checkIntegrityOnOpen = true;
};

class Database;

// A prepared statement. Bind 1-based parameters, step, read 0-based columns.
// A bind that SQLite refuses (an index out of range, a value over its size
// limit, no memory) is kept and returned by the next step() or run(), which
// then do not run the statement: binds chain, and their failure still
// reaches the caller. reset() forgets it, ready for new binds.
class Statement
{
public:
    Statement() = default;

    template <std::integral T>
    Statement &bind(int index, T value)
    {
        return bindInt64(index, static_cast<std::int64_t>(value));
    }
    Statement &bindInt64(int index, std::int64_t value);
    // The value, or NULL when empty.
    template <typename T>
    Statement &bind(int index, const std::optional<T> &value)
    {
        return value ? bind(index, *value) : bindNull(index);
    }
    Statement &bind(int index, const QString &value);
    Statement &bind(int index, const QByteArray &value); // as a blob
    Statement &bindNull(int index);

    // Steps once: true with a row, false when done. Errors are values,
    // including a refused bind since the last reset().
    Result<bool, StoreError> step();
    // Steps to completion, for statements without rows.
    Status<StoreError> run();
    void reset(); // keeps bindings until rebound; forgets a refused bind
    // Steps through every row, calling fn(*this) on each.
    template <typename Fn>
    Status<StoreError> forEachRow(Fn &&fn)
    {
        for (;;) {
            auto row = step();
            if (!row)
                return row.error();
            if (!*row)
                return {};
            fn(*this);
        }
    }

    [[nodiscard]] std::int64_t int64(int column) const;
    [[nodiscard]] QString text(int column) const;
    [[nodiscard]] QByteArray blob(int column) const;
    [[nodiscard]] bool isNull(int column) const;
    [[nodiscard]] int columnCount() const;
    // The column as null, qint64, double, QString or QByteArray (blob).
    [[nodiscard]] QVariant value(int column) const;
    [[nodiscard]] QVariantList rowValues() const;

private:
    friend class Database;
    Statement(sqlite3 *db, sqlite3_stmt *stmt);
    void keepBindError(int rc, int index);
    sqlite3 *m_db = nullptr;
    std::optional<StoreError> m_bindError; // the first bind SQLite refused since the last reset()
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt *)> m_stmt{nullptr, nullptr};
};

// An encrypted SQLCipher database file.
class Database
{
public:
    Database(Database &&) noexcept;
    Database &operator=(Database &&) noexcept;
    ~Database();

    // Creates a new database at dbPath with a fresh random key, wrapped under
    // passphrase in keyPath. Refuses if dbPath exists.
    static Result<Database, StoreError> create(const QString &dbPath, const QString &keyPath,
                                               const QString &passphrase, const StoreOptions &options,
                                               int kdfIterations = kDefaultKdfIterations);
    // Creates a new database whose raw key is kept in keyPath (mode 0600).
    static Result<Database, StoreError> createWithRawKeyFile(const QString &dbPath,
                                                             const QString &keyPath,
                                                             const StoreOptions &options);
    // Opens an existing database; a wrong passphrase leaves every file as it was.
    static Result<Database, StoreError> open(const QString &dbPath, const QString &keyPath,
                                             const QString &passphrase, const StoreOptions &options);

    Result<Statement, StoreError> prepare(const QString &sql);
    // A statement prepared once per connection and kept, reset and ready to
    // bind: for the statements a hot path runs again and again. Valid until
    // this Database is destroyed.
    Result<Statement *, StoreError> cached(const QString &sql);
    Status<StoreError> exec(const QString &sql); // one or more statements, no rows
    [[nodiscard]] std::int64_t lastInsertId() const;
    [[nodiscard]] int changes() const;
    [[nodiscard]] int schemaVersion() const;
    [[nodiscard]] QString path() const { return m_path; }

    // Writes the WAL back into the main file (PRAGMA wal_checkpoint(TRUNCATE)).
    Status<StoreError> checkpoint();

    // Copies this database, as it stands at one moment, into a new file at
    // path encrypted with key, which must be the key this database was
    // opened with (the copy is read back with it and refused otherwise).
    // Writers on other connections carry on meanwhile (WAL: the copy holds
    // a read transaction, never a lock writers wait for). Before the copy is
    // closed, addToCopy may write to it. The copy is one self-contained
    // file: no write-ahead log, and not marked as needing one (the next
    // open() in WAL mode marks it again). Refuses if path exists.
    Status<StoreError> backupTo(const QString &path, const SecretKey &key,
                                const std::function<Status<StoreError>(Database &)> &addToCopy = {});

private:
    Database(sqlite3 *db, QString path);
    static Result<Database, StoreError> openKeyed(const QString &dbPath, const QString &keyPath,
                                                  const SecretKey &key, const QByteArray &expectedSalt,
                                                  bool create, const StoreOptions &options);
    Status<StoreError> migrate(const std::vector<Migration> &migrations);
    StoreError sqlError(const QString &what) const;

    sqlite3 *m_db = nullptr;
    QString m_path;
    std::unordered_map<QString, std::unique_ptr<Statement>> m_cache; // finalised before the close
};

// A transaction (BEGIN IMMEDIATE) that rolls back unless committed.
class Transaction
{
public:
    explicit Transaction(Database &db);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    [[nodiscard]] bool begun() const { return m_begun.ok(); }
    [[nodiscard]] const Status<StoreError> &beginStatus() const { return m_begun; }
    Status<StoreError> commit();

private:
    Database &m_db;
    Status<StoreError> m_begun;
    bool m_done = false;
};

// First 16 bytes of a SQLCipher file: the random salt, stored in clear.
QByteArray readDatabaseSalt(const QString &dbPath);

} // namespace kaodian
