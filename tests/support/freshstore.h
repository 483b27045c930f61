#pragma once

// A fresh, empty server store of the kind this test run is for
// (KAODIAN_TEST_STORE=embedded|postgres): an embedded store in a temporary
// folder, or a new database in the test cluster. Gone when destroyed.

#include "store/serverstore.h"

#include "testpg.h"

#include <QTemporaryDir>

#include <memory>

namespace kaodian::testing {

class FreshStore
{
public:
    FreshStore()
    {
        if (isPostgres()) {
            m_pg = std::make_unique<TestPgDatabase>();
            if (!m_pg->ok()) {
                m_error = m_pg->error();
                return;
            }
            m_location = {QString(), m_pg->url()};
        } else {
            m_location = {m_dir.filePath(QStringLiteral("data")), QString()};
            if (auto created = server::ServerStore::createEmbedded(m_location.dataDir); !created)
                m_error = created.error().message;
        }
    }

    static bool isPostgres() { return qgetenv("KAODIAN_TEST_STORE") == "postgres"; }
    [[nodiscard]] bool ok() const { return m_error.isEmpty(); }
    [[nodiscard]] QString error() const { return m_error; }
    [[nodiscard]] const server::StoreLocation &location() const { return m_location; }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<TestPgDatabase> m_pg;
    server::StoreLocation m_location;
    QString m_error;
};

} // namespace kaodian::testing
