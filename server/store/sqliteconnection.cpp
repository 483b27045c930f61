#include "store/sqliteconnection.h"

#include "store/querytimes.h"

#include <map>

namespace kaodian::server {

SqliteConnection::SqliteConnection(Database db) : m_db(std::move(db)) {}

Result<Statement *, StoreError> SqliteConnection::prepared(const QString &sql)
{
    return m_db.cached(applyDialect(sql, Dialect::Sqlite));
}

namespace {

void bindAll(Statement &st, const QVariantList &params)
{
    for (int i = 0; i < params.size(); ++i) {
        const QVariant &v = params[i];
        const int idx = i + 1;
        if (v.isNull()) {
            st.bindNull(idx);
            continue;
        }
        switch (v.typeId()) {
        case QMetaType::Int:
        case QMetaType::LongLong:
        case QMetaType::Long:
        case QMetaType::UInt:
        case QMetaType::ULongLong:
        case QMetaType::Bool:
            st.bind(idx, v.toLongLong());
            break;
        case QMetaType::QByteArray:
            st.bind(idx, v.toByteArray());
            break;
        default: {
            // A null QString inside a QVariant is text, not SQL NULL
            // (as in the PostgreSQL backend); NULL is an empty QVariant.
            const QString text = v.toString();
            st.bind(idx, text.isNull() ? QStringLiteral("") : text);
            break;
        }
        }
    }
}

} // namespace

Result<SqlRows, StoreError> SqliteConnection::query(const QString &sql, const QVariantList &params)
{
    const QueryTimer timer(StoreOperation::Statement);
    auto st = prepared(sql);
    if (!st)
        return st.error();
    Statement &s = **st;
    bindAll(s, params);
    SqlRows out;
    for (;;) {
        auto row = s.step();
        if (!row) {
            s.reset();
            return row.error();
        }
        if (!*row)
            break;
        out.rows.push_back(s.rowValues());
    }
    s.reset();
    out.affected = m_db.changes();
    return out;
}

Result<qint64, StoreError> SqliteConnection::insertReturningId(const QString &sql, const QVariantList &params)
{
    auto r = query(sql, params);
    if (!r)
        return r.error();
    return m_db.lastInsertId();
}

Status<StoreError> SqliteConnection::execScript(const QString &sql)
{
    const QueryTimer timer(StoreOperation::Statement);
    return m_db.exec(applyDialect(sql, Dialect::Sqlite));
}

namespace {

// One mutex per database file, for the connections of this process.
std::mutex &writeMutexFor(const QString &path)
{
    static std::mutex guard;
    static std::map<QString, std::unique_ptr<std::mutex>> mutexes;
    std::lock_guard lock(guard);
    auto &m = mutexes[path];
    if (!m)
        m = std::make_unique<std::mutex>();
    return *m;
}

} // namespace

Status<StoreError> SqliteConnection::begin()
{
    m_writeLock = std::unique_lock(writeMutexFor(m_db.path()));
    auto s = m_db.exec(QStringLiteral("BEGIN IMMEDIATE"));
    if (!s)
        m_writeLock.unlock();
    return s;
}

Status<StoreError> SqliteConnection::commit()
{
    const QueryTimer timer(StoreOperation::Commit);
    auto s = m_db.exec(QStringLiteral("COMMIT"));
    if (!s)
        m_db.exec(QStringLiteral("ROLLBACK"));
    if (m_writeLock.owns_lock())
        m_writeLock.unlock();
    return s;
}

void SqliteConnection::rollback()
{
    m_db.exec(QStringLiteral("ROLLBACK"));
    if (m_writeLock.owns_lock())
        m_writeLock.unlock();
}

QString applyDialect(QString sql, Dialect dialect)
{
    const bool pg = dialect == Dialect::Postgres;
    sql.replace(QLatin1String("{INSERT_IGNORE}"), pg ? QLatin1String("INSERT") : QLatin1String("INSERT OR IGNORE"));
    sql.replace(QLatin1String("{ON_CONFLICT_IGNORE}"), pg ? QLatin1String("ON CONFLICT DO NOTHING") : QLatin1String(""));
    return sql;
}

} // namespace kaodian::server
