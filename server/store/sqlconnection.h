#pragma once

// One SQL interface over the server's two stores: the embedded SQLCipher
// file (default) and PostgreSQL 15 through libpq. Statements are written
// once, with '?' placeholders and a few dialect tokens:
//   {INSERT_IGNORE}   "INSERT OR IGNORE" (SQLite) / "INSERT" (PostgreSQL)
//   {ON_CONFLICT_IGNORE}  "" (SQLite) / "ON CONFLICT DO NOTHING" (PostgreSQL)
// Thread-safety: a connection is used by one thread at a time; each worker
// thread of the server opens its own.

#include "core/result.h"
#include "core/storeerror.h"

#include <QList>
#include <QString>
#include <QVariant>

#include <memory>

namespace kaodian::server {

enum class Dialect : std::uint8_t { Sqlite, Postgres };

// Rows of a query, each a list of column values (null, qint64, double or QString).
struct SqlRows
{
    QList<QVariantList> rows;
    qint64 affected = 0;
    [[nodiscard]] bool isEmpty() const { return rows.isEmpty(); }
    [[nodiscard]] const QVariantList &first() const { return rows.first(); }
};

// A connection to one of the stores.
class SqlConnection
{
public:
    virtual ~SqlConnection() = default;

    [[nodiscard]] virtual Dialect dialect() const = 0;
    virtual Result<SqlRows, StoreError> query(const QString &sql, const QVariantList &params = {}) = 0;
    // Inserts one row and returns its new "id" column.
    virtual Result<qint64, StoreError> insertReturningId(const QString &sql, const QVariantList &params) = 0;
    virtual Status<StoreError> execScript(const QString &sql) = 0; // several statements, no params

    virtual Status<StoreError> begin() = 0; // write transaction
    virtual Status<StoreError> commit() = 0;
    virtual void rollback() = 0;
};

// Replaces the dialect tokens for the given dialect (placeholders are the
// backend's business).
QString applyDialect(QString sql, Dialect dialect);

// A transaction on a SqlConnection that rolls back unless committed.
class SqlTransaction
{
public:
    explicit SqlTransaction(SqlConnection &c) : m_c(c), m_begun(c.begin()) {}
    ~SqlTransaction()
    {
        if (m_begun.ok() && !m_done)
            m_c.rollback();
    }
    SqlTransaction(const SqlTransaction &) = delete;
    SqlTransaction &operator=(const SqlTransaction &) = delete;

    [[nodiscard]] const Status<StoreError> &status() const { return m_begun; }
    Status<StoreError> commit()
    {
        m_done = true;
        return m_c.commit();
    }

private:
    SqlConnection &m_c;
    Status<StoreError> m_begun;
    bool m_done = false;
};

} // namespace kaodian::server
