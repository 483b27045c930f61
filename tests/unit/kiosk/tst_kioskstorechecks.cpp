// Issue #17, finding 7 (the kiosk store's part): what the store's C calls
// return is checked, and a failure reaches the caller and the proctor as an
// error, never as a silent success. Each test breaks one call on a real
// encrypted store: the failed-PIN counter write (a trigger refuses it), the
// PIN's PBKDF2 (an iteration count OpenSSL refuses), RAND_bytes (replaced in
// this program) and an SQLite bind (a parameter index out of range).

#include "kioskfixture.h"
#include "proctorviewmodel.h"

#include <QTest>

#include <dlfcn.h>
#include <openssl/rand.h>

using namespace kaodian;
using namespace kaodian::kiosk;
using namespace kaodian::kiosk::test;

namespace {

// How many of the next RAND_bytes calls fail. Only the next one, in these
// tests: SQLCipher draws its page IVs from the same function (through this
// one), and a store that cannot write would hide what is tested here.
int g_failingRandomCalls = 0;

} // namespace

// This program's RAND_bytes, which the kiosk store's code links to: OpenSSL's,
// unless a test makes it fail as OpenSSL's may (an entropy source that fails).
extern "C" int RAND_bytes(unsigned char *buf, int num)
{
    using Real = int (*)(unsigned char *, int);
    static const auto real = reinterpret_cast<Real>(dlsym(RTLD_NEXT, "RAND_bytes"));
    if (g_failingRandomCalls > 0) {
        --g_failingRandomCalls;
        return 0;
    }
    return real(buf, num);
}

class TestKioskStoreChecks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // A wrong PIN whose failure cannot be counted must not answer "wrong,
    // try again": unlimited uncounted guesses would defeat the lockout.
    void failedPinCounterWriteIsAnError()
    {
        KioskFixture f;
        QVERIFY(f.services->store()->database()
                    .exec(QStringLiteral("CREATE TEMP TRIGGER refuse_pin_count BEFORE INSERT ON main.setting"
                                         " WHEN NEW.key = 'pin_failures'"
                                         " BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END;"))
                    .ok());
        ProctorViewModel vm(f.services.get());
        for (int i = 0; i < 8; ++i) {
            QVERIFY(!vm.enterPin(QStringLiteral("0000")));
            QVERIFY2(vm.pinMessage() != QStringLiteral("PIN 不正确，请重试"), qPrintable(vm.pinMessage()));
            QVERIFY2(vm.pinMessage().contains(QStringLiteral("无法核对监考 PIN")), qPrintable(vm.pinMessage()));
            // Said from the error's code (the store's own words, "disk full (test)", go to the log).
            QVERIFY2(vm.pinMessage().contains(QStringLiteral("本机数据读写出错")), qPrintable(vm.pinMessage()));
            QVERIFY(!vm.isAuthenticated());
        }
        // Not even the right PIN is taken while attempts cannot be counted.
        QVERIFY(!vm.enterPin(kPin));
        QVERIFY(!vm.isAuthenticated());

        // Once the store writes again, the PIN works and nothing was counted against it.
        QVERIFY(f.services->store()->database().exec(QStringLiteral("DROP TRIGGER temp.refuse_pin_count")).ok());
        QVERIFY(vm.enterPin(kPin));
    }

    // A PIN hash whose PBKDF2 OpenSSL refuses (iteration count 0): the
    // derived key is no key, never a buffer of zeros that a stored hash of
    // zeros would match.
    void refusedPbkdf2IsAnError()
    {
        KioskFixture f;
        const QByteArray zeros(32, '\0');
        const QByteArray hash = "pbkdf2$0$" + QByteArray(16, 'S').toBase64() + '$' + zeros.toBase64();
        auto st = f.services->store()->database().prepare(
            QStringLiteral("UPDATE setting SET value = ? WHERE key = 'pin_hash'"));
        QVERIFY(st.ok());
        st->bind(1, hash);
        QVERIFY(st->run().ok());

        ProctorViewModel vm(f.services.get());
        QVERIFY(!vm.enterPin(QStringLiteral("999999")));
        QVERIFY(!vm.isAuthenticated());
        QVERIFY2(vm.pinMessage().contains(QStringLiteral("加密库错误")), qPrintable(vm.pinMessage()));
    }

    // No random salt, no PIN: not a PIN hashed with a salt of zeros.
    void failedRandomIsAnError()
    {
        KioskFixture f;
        KioskStore *store = f.services->store();
        g_failingRandomCalls = 1; // the salt's
        const auto status = store->setProctorPin(QStringLiteral("13579"));
        QCOMPARE(g_failingRandomCalls, 0);
        QVERIFY(!status.ok());
        QCOMPARE(status.error().code, StoreError::Code::Crypto);
        QVERIFY2(status.error().message.contains(QStringLiteral("PIN 未设置")), qPrintable(status.error().message));
        // The old PIN still opens proctor mode; the new one does not.
        ProctorViewModel vm(f.services.get());
        QVERIFY(!vm.enterPin(QStringLiteral("13579")));
        QVERIFY(vm.enterPin(kPin));
    }

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
