#include "core/base32.h"
#include "core/ticket.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace kaodian;

namespace {

const QString kVectorsPath = QStringLiteral(KAODIAN_TEST_DATA_DIR "/ticket_vectors.json");

SigningKey keyFromSeedByte(char first)
{
    QByteArray seed(32, '\0');
    for (int i = 0; i < 32; ++i)
        seed[i] = static_cast<char>(first + i);
    return *SigningKey::fromRaw(seed);
}

TicketClaims sampleClaims()
{
    TicketClaims c;
    c.ticketNumber = QStringLiteral("2026060100123");
    c.sessionId = 4021;
    c.serial = 1;
    c.validFrom = QDateTime(QDate(2026, 6, 1), QTime(0, 0), Qt::UTC);
    c.validUntil = QDateTime(QDate(2026, 6, 2), QTime(0, 0), Qt::UTC);
    return c;
}

struct Vector
{
    QString name;
    QByteArray seed;
    TicketClaims claims;
};

QList<Vector> vectorCases()
{
    QList<Vector> v;
    QByteArray seed1(32, '\0');
    for (int i = 0; i < 32; ++i)
        seed1[i] = static_cast<char>(i + 1);
    QByteArray seed2 = QByteArray::fromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    TicketClaims a = sampleClaims();
    TicketClaims b = sampleClaims();
    b.ticketNumber = QStringLiteral("X1-2026-ABCDEFGHIJKL"); // the longest: 20 characters
    b.sessionId = 0xfffffffe;
    b.serial = 65535;
    b.validFrom = QDateTime(QDate(2026, 11, 28), QTime(7, 30), Qt::UTC);
    b.validUntil = QDateTime(QDate(2026, 11, 28), QTime(12, 0), Qt::UTC);
    TicketClaims c = sampleClaims();
    c.ticketNumber = QStringLiteral("7");
    c.serial = 2; // a re-issued ticket
    v << Vector{QStringLiteral("typical"), seed1, a} << Vector{QStringLiteral("longest"), seed1, b}
      << Vector{QStringLiteral("reissued-rfc8032-key"), seed2, c};
    return v;
}

QJsonObject claimsJson(const TicketClaims &c)
{
    return {{"ticket_number", c.ticketNumber},
            {"session_id", static_cast<qint64>(c.sessionId)},
            {"serial", c.serial},
            {"valid_from", c.validFrom.toString(Qt::ISODate)},
            {"valid_until", c.validUntil.toString(Qt::ISODate)}};
}

QByteArray splitSignature(const QByteArray &text, QByteArray *payload)
{
    const auto bytes = *base32Decode(QByteArrayView(text).sliced(4));
    *payload = bytes.left(bytes.size() - 64);
    return bytes.right(64);
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

} // namespace

// The signed admission-ticket codec (docs/ticket-format.md).
class TestTicket : public QObject
{
    Q_OBJECT

    SigningKey m_key = keyFromSeedByte(1);
    TicketVerifier m_verifier;
    QByteArray m_text;

private slots:
    void initTestCase()
    {
        m_verifier.addKey(m_key.verifyKey());
        auto issued = issueTicket(sampleClaims(), m_key);
        QVERIFY(issued.ok());
        m_text = *issued;
    }

    void roundTrip()
    {
        auto claims = m_verifier.verify(m_text);
        QVERIFY(claims.ok());
        TicketClaims expected = sampleClaims();
        expected.keyId = m_key.verifyKey().keyId();
        QCOMPARE(*claims, expected);
        QVERIFY(m_text.startsWith("KD1."));
    }

    void fitsQrVersion7AtLevelM()
    {
        // QR version 7 at level M holds 178 alphanumeric characters; the
        // text is prefix + base32, all in QR's alphanumeric set.
        TicketClaims longest = sampleClaims();
        longest.ticketNumber = QString(kTicketNumberMaxLength, QLatin1Char('9'));
        auto text = issueTicket(longest, m_key);
        QVERIFY(text.ok());
        QVERIFY2(text->size() <= 178, QByteArray::number(text->size()));
        for (const char c : *text)
            QVERIFY(QByteArray("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:").contains(c));
    }

    void carriesNoPersonalData()
    {
        // Only the claims travel: the bytes decode to exactly the payload
        // fields and a signature, nothing else.
        QByteArray payload;
        splitSignature(m_text, &payload);
        QCOMPARE(payload, encodeTicketPayload([] {
                     auto c = sampleClaims();
                     return c;
                 }(), m_key.verifyKey().keyId()));
        QCOMPARE(payload.size(), 20 + sampleClaims().ticketNumber.size());
    }

    void refusesBadClaims()
    {
        auto c = sampleClaims();
        c.ticketNumber = QStringLiteral("张三");
        QVERIFY(!issueTicket(c, m_key).ok());
        c = sampleClaims();
        c.ticketNumber = QString(21, QLatin1Char('1'));
        QVERIFY(!issueTicket(c, m_key).ok());
        c = sampleClaims();
        c.ticketNumber = QStringLiteral("abc"); // lower case is not allowed
        QVERIFY(!issueTicket(c, m_key).ok());
        c = sampleClaims();
        c.validUntil = c.validFrom;
        QVERIFY(!issueTicket(c, m_key).ok());
        c = sampleClaims();
        c.ticketNumber.clear();
        QVERIFY(!issueTicket(c, m_key).ok());
    }

    void rejectsEverySingleBitChangeOfTheText()
    {
        int checked = 0;
        for (qsizetype i = 0; i < m_text.size(); ++i) {
            for (int bit = 0; bit < 8; ++bit) {
                QByteArray changed = m_text;
                changed[i] = static_cast<char>(changed[i] ^ (1 << bit));
                const auto r = m_verifier.verify(changed);
                QVERIFY2(!r.ok(), qPrintable(QStringLiteral("byte %1 bit %2 accepted").arg(i).arg(bit)));
                ++checked;
            }
        }
        QCOMPARE(checked, m_text.size() * 8);
    }

    void rejectsEverySingleBitChangeOfTheSignedBytes()
    {
        const QByteArray bytes = *base32Decode(QByteArrayView(m_text).sliced(4));
        QSet<int> seen;
        for (qsizetype i = 0; i < bytes.size(); ++i) {
            for (int bit = 0; bit < 8; ++bit) {
                QByteArray changed = bytes;
                changed[i] = static_cast<char>(changed[i] ^ (1 << bit));
                const auto r = m_verifier.verify("KD1." + base32Encode(changed));
                QVERIFY2(!r.ok(), qPrintable(QStringLiteral("byte %1 bit %2 accepted").arg(i).arg(bit)));
                seen.insert(int(r.error()));
            }
        }
        // Version byte, key id, length byte and signature each fail their own way.
        QVERIFY(seen.contains(int(TicketError::UnsupportedVersion)));
        QVERIFY(seen.contains(int(TicketError::UnknownKey)));
        QVERIFY(seen.contains(int(TicketError::BadSignature)));
        QVERIFY(seen.contains(int(TicketError::Truncated)));
        QVERIFY(seen.contains(int(TicketError::Malformed)));
    }

    void rejectsWrongKey()
    {
        TicketVerifier other;
        other.addKey(keyFromSeedByte(77).verifyKey());
        auto r = other.verify(m_text);
        QVERIFY(!r.ok());
        QCOMPARE(r.error(), TicketError::UnknownKey);

        // Signed by another key but claiming ours: the signature fails.
        const SigningKey forger = keyFromSeedByte(99);
        const QByteArray payload = encodeTicketPayload(sampleClaims(), m_key.verifyKey().keyId());
        const QByteArray forged = "KD1." + base32Encode(payload + forger.sign(payload));
        r = m_verifier.verify(forged);
        QVERIFY(!r.ok());
        QCOMPARE(r.error(), TicketError::BadSignature);

        TicketVerifier none;
        QCOMPARE(none.verify(m_text).error(), TicketError::UnknownKey);
    }

    void rejectsEveryTruncation()
    {
        for (qsizetype n = 0; n < m_text.size(); ++n) {
            const auto r = m_verifier.verify(m_text.left(n));
            QVERIFY2(!r.ok(), qPrintable(QString::number(n)));
        }
        QCOMPARE(m_verifier.verify(QByteArray()).error(), TicketError::Empty);
        QCOMPARE(m_verifier.verify(m_text.left(3)).error(), TicketError::NotATicket);
        // Whole base32 groups cut off: decodes, but too short.
        QCOMPARE(m_verifier.verify(m_text.left(4 + 80)).error(), TicketError::Truncated);
    }

    void rejectsOversizeAndTrailingData()
    {
        QCOMPARE(m_verifier.verify(QByteArray(kTicketTextMaxLength + 1, 'A')).error(), TicketError::TooLong);
        QCOMPARE(m_verifier.verify(QByteArray(100000, 'K')).error(), TicketError::TooLong);
        const QByteArray bytes = *base32Decode(QByteArrayView(m_text).sliced(4));
        QCOMPARE(m_verifier.verify("KD1." + base32Encode(bytes + QByteArray(5, '\0'))).error(),
                 TicketError::Malformed);
        QVERIFY(!m_verifier.verify(m_text + "\n").ok());
        QVERIFY(!m_verifier.verify(m_text + "A").ok());
    }

    void rejectsGarbage()
    {
        QCOMPARE(m_verifier.verify("https://example.com/").error(), TicketError::NotATicket);
        QCOMPARE(m_verifier.verify("KD2.AAAA").error(), TicketError::UnsupportedVersion);
        QCOMPARE(m_verifier.verify("KD1.not-base32!").error(), TicketError::BadEncoding);
        QCOMPARE(m_verifier.verify(QByteArray("KD1.\0\0\0", 7)).error(), TicketError::BadEncoding);
        auto rng = QRandomGenerator(20261127);
        for (int i = 0; i < 2000; ++i) {
            QByteArray junk(static_cast<qsizetype>(rng.bounded(1, 300)), '\0');
            for (auto &c : junk)
                c = static_cast<char>(rng.bounded(256));
            if (i % 2)
                junk = "KD1." + junk;
            QVERIFY(!m_verifier.verify(junk).ok());
        }
        // Random but well-encoded bytes of the right length.
        for (int i = 0; i < 500; ++i) {
            QByteArray junk(20 + 13 + 64, '\0');
            for (auto &c : junk)
                c = static_cast<char>(rng.bounded(256));
            junk[0] = 1;
            junk[19] = 13;
            QVERIFY(!m_verifier.verify("KD1." + base32Encode(junk)).ok());
        }
    }

    void validityWindow()
    {
        const auto c = sampleClaims();
        QCOMPARE(m_verifier.verifyAt(m_text, c.validFrom.addSecs(-1)).error(), TicketError::NotYetValid);
        QVERIFY(m_verifier.verifyAt(m_text, c.validFrom).ok());
        QVERIFY(m_verifier.verifyAt(m_text, c.validUntil).ok());
        QCOMPARE(m_verifier.verifyAt(m_text, c.validUntil.addSecs(1)).error(), TicketError::Expired);
    }

    // Each error has its own code; the words are the kiosk view model's
    // (tst_checkinviewmodel: everyTicketErrorHasWords).
    void everyErrorHasACode()
    {
        QSet<QString> codes;
        for (int e = int(TicketError::Empty); e <= int(TicketError::Expired); ++e) {
            const auto error = static_cast<TicketError>(e);
            QVERIFY(!ticketErrorCode(error).isEmpty());
            QVERIFY(ticketErrorCode(error) != QLatin1String("unknown"));
            codes.insert(ticketErrorCode(error));
        }
        QCOMPARE(codes.size(), int(TicketError::Expired));
    }

    void keysRoundTripThroughPem()
    {
        auto priv = SigningKey::fromPem(m_key.toPem());
        QVERIFY(priv.has_value());
        QCOMPARE(priv->rawSeed(), m_key.rawSeed());
        auto pub = VerifyKey::fromPem(m_key.verifyKey().toPem());
        QVERIFY(pub.has_value());
        QCOMPARE(pub->raw(), m_key.verifyKey().raw());
        QVERIFY(!VerifyKey::fromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"));
        QVERIFY(!VerifyKey::fromRaw(QByteArray(31, 'x')));
    }

    // The committed vectors (docs/ticket-format.md) are what this codec
    // produces, byte for byte, and OpenSSL's command line agrees.
    void testVectorsReproduce()
    {
        if (qEnvironmentVariableIsSet("KAODIAN_WRITE_TICKET_VECTORS")) {
            QJsonArray out;
            for (const auto &v : vectorCases()) {
                const auto key = *SigningKey::fromRaw(v.seed);
                const QByteArray text = *issueTicket(v.claims, key);
                QByteArray payload;
                const QByteArray sig = splitSignature(text, &payload);
                out.append(QJsonObject{{"name", v.name},
                                       {"private_key_seed_hex", QString::fromLatin1(v.seed.toHex())},
                                       {"public_key_hex", QString::fromLatin1(key.verifyKey().raw().toHex())},
                                       {"public_key_pem", QString::fromLatin1(key.verifyKey().toPem())},
                                       {"key_id_hex", QString::fromLatin1(key.verifyKey().keyId().toHex())},
                                       {"claims", claimsJson(v.claims)},
                                       {"payload_hex", QString::fromLatin1(payload.toHex())},
                                       {"signature_hex", QString::fromLatin1(sig.toHex())},
                                       {"qr_text", QString::fromLatin1(text)}});
            }
            QFile f(kVectorsPath);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QJsonDocument(out).toJson(QJsonDocument::Indented));
            QSKIP("vectors written");
        }
        QFile f(kVectorsPath);
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(kVectorsPath));
        const QJsonArray vectors = QJsonDocument::fromJson(f.readAll()).array();
        const auto cases = vectorCases();
        QCOMPARE(vectors.size(), cases.size());
        for (int i = 0; i < cases.size(); ++i) {
            const QJsonObject v = vectors[i].toObject();
            const auto key = *SigningKey::fromRaw(QByteArray::fromHex(v["private_key_seed_hex"].toString().toLatin1()));
            QCOMPARE(key.verifyKey().raw().toHex(), v["public_key_hex"].toString().toLatin1());
            QCOMPARE(key.verifyKey().keyId().toHex(), v["key_id_hex"].toString().toLatin1());
            QCOMPARE(*issueTicket(cases[i].claims, key), v["qr_text"].toString().toLatin1());
            TicketVerifier verifier;
            verifier.addKey(*VerifyKey::fromPem(v["public_key_pem"].toString().toLatin1()));
            auto claims = verifier.verify(v["qr_text"].toString().toLatin1());
            QVERIFY(claims.ok());
            QCOMPARE(claims->ticketNumber, cases[i].claims.ticketNumber);
            QCOMPARE(claims->serial, cases[i].claims.serial);
        }
        // RFC 8032 test 1: the seed 9d61… has public key d75a…
        QCOMPARE(vectors[2].toObject()["public_key_hex"].toString(),
                 QStringLiteral("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
    }

    void testVectorsCheckOutWithOpenSslCli()
    {
        const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
        const QString base32 = QStandardPaths::findExecutable(QStringLiteral("base32"));
        QVERIFY2(!openssl.isEmpty(), "the openssl command line tool is required (package openssl)");
        QVERIFY2(!base32.isEmpty(), "coreutils base32 is required");
        QFile f(kVectorsPath);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QTemporaryDir dir;
        for (const auto &value : QJsonDocument::fromJson(f.readAll()).array()) {
            const QJsonObject v = value.toObject();
            const QByteArray payload = QByteArray::fromHex(v["payload_hex"].toString().toLatin1());
            const QByteArray sig = QByteArray::fromHex(v["signature_hex"].toString().toLatin1());
            QVERIFY(writeFile(dir.filePath("pub.pem"), v["public_key_pem"].toString().toLatin1()));
            QVERIFY(writeFile(dir.filePath("payload.bin"), payload));
            QVERIFY(writeFile(dir.filePath("sig.bin"), sig));
            QByteArray bad = payload;
            bad[bad.size() - 1] = static_cast<char>(bad[bad.size() - 1] ^ 1);
            QVERIFY(writeFile(dir.filePath("bad.bin"), bad));

            const QStringList verifyArgs{"pkeyutl", "-verify", "-pubin", "-inkey", dir.filePath("pub.pem"),
                                         "-rawin", "-sigfile", dir.filePath("sig.bin"), "-in"};
            QProcess good;
            good.start(openssl, verifyArgs + QStringList{dir.filePath("payload.bin")});
            QVERIFY(good.waitForFinished(10000));
            QVERIFY2(good.exitCode() == 0, good.readAllStandardError().constData());
            QVERIFY(good.readAllStandardOutput().contains("Signature Verified Successfully"));

            QProcess forged;
            forged.start(openssl, verifyArgs + QStringList{dir.filePath("bad.bin")});
            QVERIFY(forged.waitForFinished(10000));
            QVERIFY(forged.exitCode() != 0);

            // The QR text is "KD1." + RFC 4648 base32 of payload ‖ signature,
            // as coreutils decodes it once padded.
            QByteArray body = v["qr_text"].toString().toLatin1().mid(4);
            while (body.size() % 8)
                body.append('=');
            QProcess decode;
            decode.start(base32, {"-d"});
            decode.write(body);
            decode.closeWriteChannel();
            QVERIFY(decode.waitForFinished(10000));
            QCOMPARE(decode.exitCode(), 0);
            QCOMPARE(decode.readAllStandardOutput(), payload + sig);
        }
    }
};

QTEST_GUILESS_MAIN(TestTicket)
#include "tst_ticket.moc"
