#pragma once

// SqlConnection over PostgreSQL 15 through libpq. One thread at a time;
// statements are prepared once per connection and cached by their text.

#include "store/sqlconnection.h"

#include <QHash>

struct pg_conn;

namespace kaodian::server {

// A PostgreSQL connection, chosen by a URL such as
// postgresql://user@/db?host=/run/postgresql.
class PgConnection final : public SqlConnection
{
public:
    static Result<std::unique_ptr<PgConnection>, StoreError> connect(const QString &url);
    ~PgConnection() override;

    [[nodiscard]] Dialect dialect() const override { return Dialect::Postgres; }
    Result<SqlRows, StoreError> query(const QString &sql, const QVariantList &params) override;
    Result<qint64, StoreError> insertReturningId(const QString &sql, const QVariantList &params) override;
    Status<StoreError> execScript(const QString &sql) override;
    Status<StoreError> begin() override;
    Status<StoreError> commit() override;
    void rollback() override;

private:
    explicit PgConnection(pg_conn *conn);
    Result<SqlRows, StoreError> run(const QString &sql, const QVariantList &params);
    Status<StoreError> exec(const QString &sql); // untimed: callers time it as what it is

    pg_conn *m_conn = nullptr;
    QHash<QString, QByteArray> m_prepared; // sql -> statement name
};

// The connection string PgConnection::connect uses for url: unchanged when
// it names an sslmode (or PGSSLMODE is set) or reaches the server only by
// Unix socket; otherwise, a TCP connection, with sslmode=verify-full added
// — TLS, the certificate checked against a trusted root (sslrootcert, or
// ~/.postgresql/root.crt) and the host name — so that a URL without
// sslmode is never sent in clear or to an impostor. Empty, with *error
// set, when url is not a connection string libpq can read.
QString pgConnectionString(const QString &url, QString *error = nullptr);

// '?' placeholders to $1, $2, … (outside quoted literals).
QString numberPlaceholders(const QString &sql);

} // namespace kaodian::server
