// Issue #17, finding 7: what the kiosk store's C calls return is checked,
// and a failure reaches the caller as an error, never as a silent success.
// Here an SQLite bind (a parameter index out of range) on a real encrypted store.

#include "kioskfixture.h"

#include <QTest>

using namespace kaodian;
using namespace kaodian::kiosk;
using namespace kaodian::kiosk::test;

class TestKioskStoreChecks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // A bind SQLite refuses fails the statement; nothing is written with a
    // NULL where the value should be.
    void refusedBindIsAnError()
    {
        KioskFixture f;
        Database &db = f.services->store()->database();
        auto st = db.prepare(QStringLiteral("INSERT INTO setting (key, value) VALUES (?, ?)"));
        QVERIFY(st.ok());
        st->bind(1, QStringLiteral("bind_test")).bind(3, QByteArray("value")); // there is no third parameter
        const auto status = st->run();
        QVERIFY(!status.ok());
        QCOMPARE(status.error().code, StoreError::Code::Sql);
        QVERIFY2(status.error().message.contains(QStringLiteral("第 3 个参数")), qPrintable(status.error().message));
        auto count = db.prepare(QStringLiteral("SELECT count(*) FROM setting WHERE key = 'bind_test'"));
        QVERIFY(count.ok() && count->step().ok());
        QCOMPARE(count->int64(0), 0);

        // reset() forgets it: bound again properly, the statement runs.
        st->reset();
        st->bind(1, QStringLiteral("bind_test")).bind(2, QByteArray("value"));
        QVERIFY(st->run().ok());
    }
};

QTEST_GUILESS_MAIN(TestKioskStoreChecks)
#include "tst_kioskstorechecks.moc"
