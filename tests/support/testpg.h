#pragma once

// A fresh PostgreSQL database for one test, in the cluster that the ctest
// fixture started (tests/support/pgcluster.sh); dropped when destroyed.

#include <QFile>
#include <QString>
#include <QUuid>

#include <libpq-fe.h>

namespace kaodian::testing {

// Creates a uniquely named database in the test cluster.
class TestPgDatabase
{
public:
    TestPgDatabase()
    {
        QFile f(QString::fromUtf8(qgetenv("KAODIAN_TEST_PG_URL_FILE")));
        if (!f.open(QIODevice::ReadOnly)) {
            m_error = QStringLiteral("no test cluster: KAODIAN_TEST_PG_URL_FILE unset or unreadable");
            return;
        }
        m_adminUrl = QString::fromUtf8(f.readAll()).trimmed();
        m_name = QStringLiteral("t_") + QUuid::createUuid().toString(QUuid::Id128).left(16);
        if (!execAdmin(QStringLiteral("CREATE DATABASE %1").arg(m_name)))
            return;
        m_url = m_adminUrl;
        m_url.replace(QStringLiteral("/postgres?"), QStringLiteral("/%1?").arg(m_name));
    }
    ~TestPgDatabase()
    {
        if (!m_url.isEmpty())
            execAdmin(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_name));
    }
    TestPgDatabase(const TestPgDatabase &) = delete;
    TestPgDatabase &operator=(const TestPgDatabase &) = delete;

    [[nodiscard]] bool ok() const { return !m_url.isEmpty(); }
    [[nodiscard]] QString url() const { return m_url; }
    [[nodiscard]] QString error() const { return m_error; }

private:
    bool execAdmin(const QString &sql)
    {
        PGconn *c = PQconnectdb(m_adminUrl.toUtf8().constData());
        bool ok = PQstatus(c) == CONNECTION_OK;
        if (ok) {
            PGresult *r = PQexec(c, sql.toUtf8().constData());
            ok = PQresultStatus(r) == PGRES_COMMAND_OK;
            if (!ok)
                m_error = QString::fromUtf8(PQresultErrorMessage(r));
            PQclear(r);
        } else {
            m_error = QString::fromUtf8(PQerrorMessage(c));
        }
        PQfinish(c);
        return ok;
    }

    QString m_adminUrl, m_url, m_name, m_error;
};

} // namespace kaodian::testing
