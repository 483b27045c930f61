#pragma once

// SqlConnection over the embedded SQLCipher store (kaodian::Database).
// One thread at a time; prepared statements are cached (Database::cached).

#include "store/sqlconnection.h"

#include "core/database.h"

#include <QHash>

#include <mutex>

namespace kaodian::server {

// The embedded store's connection.
class SqliteConnection final : public SqlConnection
{
public:
    explicit SqliteConnection(Database db);

    [[nodiscard]] Dialect dialect() const override { return Dialect::Sqlite; }
    Result<SqlRows, StoreError> query(const QString &sql, const QVariantList &params) override;
    Result<qint64, StoreError> insertReturningId(const QString &sql, const QVariantList &params) override;
    Status<StoreError> execScript(const QString &sql) override;
    Status<StoreError> begin() override;
    Status<StoreError> commit() override;
    void rollback() override;

    Database &database() { return m_db; }

private:
    Result<Statement *, StoreError> prepared(const QString &sql);

    Database m_db;
    // Writers to one file queue here rather than in SQLite's busy handler,
    // which sleeps in steps of up to 100 ms.
    std::unique_lock<std::mutex> m_writeLock;
};

} // namespace kaodian::server
