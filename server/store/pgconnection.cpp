#include "store/pgconnection.h"

#include "store/querytimes.h"

#include <libpq-fe.h>

#include <memory>
#include <vector>

namespace kaodian::server {

namespace {

using PgResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

// Type OIDs from pg_type.h (stable across PostgreSQL versions).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;
constexpr Oid kByteaOid = 17;

StoreError pgError(PGconn *conn, const QString &what)
{
    QString message = QString::fromUtf8(PQerrorMessage(conn)).trimmed();
    const bool connectionLost = PQstatus(conn) != CONNECTION_OK;
    return StoreError{connectionLost ? StoreError::Code::Io : StoreError::Code::Sql,
                      QStringLiteral("%1：%2").arg(what, message), {}};
}

StoreError resultError(const PGresult *res, const QString &what)
{
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    return StoreError{StoreError::Code::Sql,
                      QStringLiteral("%1：%2 (%3)")
                          .arg(what, QString::fromUtf8(PQresultErrorMessage(res)).trimmed(),
                               QString::fromLatin1(state ? state : "")),
                      {}};
}

QVariant cellValue(const PGresult *res, int row, int col)
{
    if (PQgetisnull(res, row, col))
        return {};
    const char *v = PQgetvalue(res, row, col);
    switch (PQftype(res, col)) {
    case kInt8Oid:
    case kInt4Oid:
    case kInt2Oid: return QVariant::fromValue<qint64>(QByteArray(v).toLongLong());
    case kBoolOid: return QVariant::fromValue<qint64>(v[0] == 't' ? 1 : 0);
    case kFloat4Oid:
    case kFloat8Oid: return QByteArray(v).toDouble();
    case kNumericOid: {
        const QByteArray n(v);
        if (n.contains('.'))
            return n.toDouble();
        return QVariant::fromValue<qint64>(n.toLongLong());
    }
    case kByteaOid: {
        size_t len = 0;
        unsigned char *bytes = PQunescapeBytea(reinterpret_cast<const unsigned char *>(v), &len);
        QByteArray out(reinterpret_cast<const char *>(bytes), static_cast<qsizetype>(len));
        PQfreemem(bytes);
        return out;
    }
    default: return QString::fromUtf8(v, PQgetlength(res, row, col));
    }
}

} // namespace

QString numberPlaceholders(const QString &sql)
{
    QString out;
    out.reserve(sql.size() + 16);
    bool inQuote = false;
    int n = 0;
    for (const QChar c : sql) {
        if (c == QLatin1Char('\''))
            inQuote = !inQuote;
        if (c == QLatin1Char('?') && !inQuote)
            out += QLatin1Char('$') + QString::number(++n);
        else
            out += c;
    }
    return out;
}

PgConnection::PgConnection(pg_conn *conn) : m_conn(conn) {}

PgConnection::~PgConnection()
{
    if (m_conn)
        PQfinish(m_conn);
}

QString pgConnectionString(const QString &url, QString *error)
{
    char *parseError = nullptr;
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
        PQconninfoParse(url.toUtf8().constData(), &parseError), &PQconninfoFree);
    if (!options) {
        if (error)
            *error = parseError ? QString::fromUtf8(parseError).trimmed() : QStringLiteral("out of memory");
        PQfreemem(parseError);
        return {};
    }
    bool sslmodeGiven = !qEnvironmentVariableIsEmpty("PGSSLMODE");
    bool overTcp = false;
    // host and hostaddr may each list several, comma-separated; a host
    // starting with '/' (or '@', an abstract socket) is a Unix socket, and
    // no host at all means the default socket. PGHOST counts as a host.
    auto addHosts = [&overTcp](const QString &hosts, bool addresses) {
        for (const QString &h : hosts.split(QLatin1Char(','), Qt::SkipEmptyParts))
            if (addresses || !(h.startsWith(QLatin1Char('/')) || h.startsWith(QLatin1Char('@'))))
                overTcp = true;
    };
    bool hostGiven = false;
    for (PQconninfoOption *o = options.get(); o->keyword; ++o) {
        if (!o->val || !*o->val)
            continue;
        const QString value = QString::fromUtf8(o->val);
        if (qstrcmp(o->keyword, "sslmode") == 0)
            sslmodeGiven = true;
        else if (qstrcmp(o->keyword, "host") == 0) {
            hostGiven = true;
            addHosts(value, false);
        } else if (qstrcmp(o->keyword, "hostaddr") == 0) {
            hostGiven = true;
            addHosts(value, true);
        }
    }
    if (!hostGiven)
        addHosts(qEnvironmentVariable("PGHOST"), false);
    if (sslmodeGiven || !overTcp)
        return url;
    const bool isUri = url.startsWith(QLatin1String("postgresql://")) || url.startsWith(QLatin1String("postgres://"));
    if (!isUri)
        return url + QStringLiteral(" sslmode=verify-full");
    return url + (url.contains(QLatin1Char('?')) ? QLatin1Char('&') : QLatin1Char('?'))
           + QStringLiteral("sslmode=verify-full");
}

Result<std::unique_ptr<PgConnection>, StoreError> PgConnection::connect(const QString &url)
{
    QString parseError;
    const QString conninfo = pgConnectionString(url, &parseError);
    if (conninfo.isEmpty())
        return StoreError{StoreError::Code::Io, QStringLiteral("PostgreSQL 连接串无法解析：%1").arg(parseError), {}};
    PGconn *conn = PQconnectdb(conninfo.toUtf8().constData());
    std::unique_ptr<PgConnection> c(new PgConnection(conn));
    if (!conn || PQstatus(conn) != CONNECTION_OK)
        return StoreError{StoreError::Code::Io,
                          QStringLiteral("无法连接 PostgreSQL：%1")
                              .arg(QString::fromUtf8(conn ? PQerrorMessage(conn) : "out of memory").trimmed()),
                          {}};
    // Statements are prepared once per connection, and PostgreSQL may then
    // keep one generic plan for them: one made while a table was empty (a
    // new term's kiosk_event) scans it whole for ever after, and the batch
    // statements' arrays vary in size. Plan each execution for its values and
    // the table as it is now; planning costs far less than one bad plan.
    PgResultPtr res(PQexec(conn, "SET client_encoding = 'UTF8'; SET client_min_messages = warning;"
                                 " SET plan_cache_mode = force_custom_plan"),
                    &PQclear);
    return c;
}

Result<SqlRows, StoreError> PgConnection::run(const QString &sql, const QVariantList &params)
{
    const QueryTimer timer(StoreOperation::Statement);
    auto it = m_prepared.find(sql);
    if (it == m_prepared.end()) {
        const QByteArray name = "k" + QByteArray::number(m_prepared.size() + 1);
        const QByteArray text = numberPlaceholders(applyDialect(sql, Dialect::Postgres)).toUtf8();
        PgResultPtr res(PQprepare(m_conn, name.constData(), text.constData(), 0, nullptr), &PQclear);
        if (!res)
            return pgError(m_conn, QStringLiteral("SQL 准备失败"));
        if (PQresultStatus(res.get()) != PGRES_COMMAND_OK)
            return resultError(res.get(), QStringLiteral("SQL 准备失败"));
        it = m_prepared.insert(sql, name);
    }
    std::vector<QByteArray> storage;
    storage.reserve(static_cast<std::size_t>(params.size()));
    std::vector<const char *> values;
    std::vector<int> lengths;
    std::vector<int> formats;
    for (const QVariant &v : params) {
        if (v.isNull()) {
            storage.emplace_back();
            values.push_back(nullptr);
            lengths.push_back(0);
            formats.push_back(0);
            continue;
        }
        if (v.typeId() == QMetaType::QByteArray) {
            storage.push_back(v.toByteArray());
            formats.push_back(1);
        } else if (v.typeId() == QMetaType::Bool) {
            storage.push_back(v.toBool() ? "1" : "0");
            formats.push_back(0);
        } else {
            storage.push_back(v.toString().toUtf8());
            formats.push_back(0);
        }
        values.push_back(storage.back().constData());
        lengths.push_back(static_cast<int>(storage.back().size()));
    }
    PgResultPtr res(PQexecPrepared(m_conn, it->constData(), static_cast<int>(values.size()), values.data(),
                                   lengths.data(), formats.data(), 0),
                    &PQclear);
    if (!res)
        return pgError(m_conn, QStringLiteral("数据库错误"));
    const auto status = PQresultStatus(res.get());
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        auto error = resultError(res.get(), QStringLiteral("数据库错误"));
        if (PQstatus(m_conn) != CONNECTION_OK)
            error.code = StoreError::Code::Io;
        return error;
    }
    SqlRows out;
    const int rows = PQntuples(res.get());
    const int cols = PQnfields(res.get());
    out.rows.reserve(rows);
    for (int r = 0; r < rows; ++r) {
        QVariantList row;
        row.reserve(cols);
        for (int c = 0; c < cols; ++c)
            row.push_back(cellValue(res.get(), r, c));
        out.rows.push_back(std::move(row));
    }
    out.affected = QByteArray(PQcmdTuples(res.get())).toLongLong();
    return out;
}

Result<SqlRows, StoreError> PgConnection::query(const QString &sql, const QVariantList &params)
{
    return run(sql, params);
}

Result<qint64, StoreError> PgConnection::insertReturningId(const QString &sql, const QVariantList &params)
{
    auto r = run(sql + QStringLiteral(" RETURNING id"), params);
    if (!r)
        return r.error();
    if (r->isEmpty())
        return StoreError{StoreError::Code::Sql, QStringLiteral("插入未返回编号"), {}};
    return r->first().first().toLongLong();
}

Status<StoreError> PgConnection::execScript(const QString &sql)
{
    const QueryTimer timer(StoreOperation::Statement);
    return exec(sql);
}

Status<StoreError> PgConnection::exec(const QString &sql)
{
    PgResultPtr res(PQexec(m_conn, applyDialect(sql, Dialect::Postgres).toUtf8().constData()), &PQclear);
    if (!res)
        return pgError(m_conn, QStringLiteral("数据库错误"));
    const auto status = PQresultStatus(res.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        return resultError(res.get(), QStringLiteral("数据库错误"));
    return {};
}

Status<StoreError> PgConnection::begin()
{
    return execScript(QStringLiteral("BEGIN"));
}

Status<StoreError> PgConnection::commit()
{
    const QueryTimer timer(StoreOperation::Commit);
    return exec(QStringLiteral("COMMIT"));
}

void PgConnection::rollback()
{
    execScript(QStringLiteral("ROLLBACK"));
}

} // namespace kaodian::server
