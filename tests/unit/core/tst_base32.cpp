#include "core/base32.h"

#include <QTest>

using namespace kaodian;

// RFC 4648 base32, strict canonical decoding.
class TestBase32 : public QObject
{
    Q_OBJECT
private slots:
    void rfc4648Vectors_data()
    {
        QTest::addColumn<QByteArray>("plain");
        QTest::addColumn<QByteArray>("encoded");
        // RFC 4648 section 10, without padding.
        QTest::newRow("empty") << QByteArray() << QByteArray();
        QTest::newRow("f") << QByteArray("f") << QByteArray("MY");
        QTest::newRow("fo") << QByteArray("fo") << QByteArray("MZXQ");
        QTest::newRow("foo") << QByteArray("foo") << QByteArray("MZXW6");
        QTest::newRow("foob") << QByteArray("foob") << QByteArray("MZXW6YQ");
        QTest::newRow("fooba") << QByteArray("fooba") << QByteArray("MZXW6YTB");
        QTest::newRow("foobar") << QByteArray("foobar") << QByteArray("MZXW6YTBOI");
    }
    void rfc4648Vectors()
    {
        QFETCH(QByteArray, plain);
        QFETCH(QByteArray, encoded);
        QCOMPARE(base32Encode(plain), encoded);
        const auto decoded = base32Decode(encoded);
        QVERIFY(decoded.has_value());
        QCOMPARE(*decoded, plain);
    }

    void roundTripsEveryLength()
    {
        QByteArray bytes;
        for (int n = 0; n < 120; ++n) {
            const auto decoded = base32Decode(base32Encode(bytes));
            QVERIFY2(decoded && *decoded == bytes, qPrintable(QString::number(n)));
            bytes.append(static_cast<char>((n * 37 + 11) & 0xff));
        }
    }

    void refusesNonCanonical()
    {
        QVERIFY(!base32Decode("mzxw6"));        // lower case
        QVERIFY(!base32Decode("MZXW6==="));     // padding
        QVERIFY(!base32Decode("MZX W6"));       // whitespace
        QVERIFY(!base32Decode("MZXW1"));        // '1' is not in the alphabet
        QVERIFY(!base32Decode("MZ"));           // "f" is MY: Z sets unused bits
        QVERIFY(!base32Decode("M"));            // impossible length
        QVERIFY(!base32Decode("MZX"));          // impossible length
    }
};

QTEST_GUILESS_MAIN(TestBase32)
#include "tst_base32.moc"
