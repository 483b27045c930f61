// Scanner input: the keyboard-wedge rule (a burst of fast keystrokes ending
// in Enter is a scan; slow human typing never is) and the camera path (a
// luma frame with a ticket QR becomes one scan, not one per frame).

#include "camerascanner.h"
#include "wedgebuffer.h"

#include "qr/qrcodec.h"

#include <QSignalSpy>
#include <QTest>

using namespace kaodian::kiosk;

class TestScanInput : public QObject
{
    Q_OBJECT

    static void type(WedgeBuffer &b, const QString &text, qint64 &ms, int gap)
    {
        for (QChar c : text) {
            ms += gap;
            b.character(QString(c), ms);
        }
    }

private Q_SLOTS:
    void scannerBurst()
    {
        WedgeBuffer b(50, 8);
        qint64 ms = 1000;
        type(b, QStringLiteral("KD1.ABCDEFGH234567"), ms, 4);
        const auto text = b.enter(ms + 5);
        QVERIFY(text);
        QCOMPARE(*text, QStringLiteral("KD1.ABCDEFGH234567"));
        QVERIFY(b.isEmpty());
    }

    void slowTypingIsNotAScan()
    {
        WedgeBuffer b(50, 8);
        qint64 ms = 1000;
        type(b, QStringLiteral("KD1.ABCDEFGH234567"), ms, 180); // a quick typist: ~180 ms a key
        QVERIFY(!b.enter(ms + 150));
    }

    void gapJustOverTheLimitRestarts()
    {
        WedgeBuffer b(50, 4);
        qint64 ms = 0;
        type(b, QStringLiteral("HELLO"), ms, 51);
        QVERIFY(!b.enter(ms + 1)); // every key restarted the buffer: one character left
        type(b, QStringLiteral("HELLO"), ms, 50);
        QCOMPARE(b.enter(ms + 50).value_or(QString()), QStringLiteral("HELLO"));
    }

    void typedPrefixThenBurst()
    {
        WedgeBuffer b(50, 8);
        qint64 ms = 0;
        type(b, QStringLiteral("abc"), ms, 300);
        ms += 400;
        type(b, QStringLiteral("KD1.QWERTY"), ms, 3);
        QCOMPARE(b.enter(ms + 3).value_or(QString()), QStringLiteral("KD1.QWERTY"));
    }

    void slowEnterOrShortBurst()
    {
        WedgeBuffer b(50, 8);
        qint64 ms = 0;
        type(b, QStringLiteral("KD1.QWERTY"), ms, 3);
        QVERIFY(!b.enter(ms + 500)); // a person pressed Enter later
        type(b, QStringLiteral("12"), ms, 3);
        QVERIFY(!b.enter(ms + 3)); // too short to be a ticket
    }

    void cameraFrameOnce()
    {
        const QByteArray text = "KD1.AGHIBFZEAAAAAAIAAFVODAKQNMFF7UAKGIYDENRQGEYDCMBRBIAHQJWJOPHUASAT";
        QImage frame(1280, 720, QImage::Format_Grayscale8);
        frame.fill(200);
        const QImage code = kaodian::qr::renderText(text, 6);
        QVERIFY(!code.isNull());
        for (int y = 0; y < code.height(); ++y)
            memcpy(frame.scanLine(200 + y) + 500, code.constScanLine(y), size_t(code.width()));
        CameraScanner scanner;
        QSignalSpy decoded(&scanner, &CameraScanner::decoded);
        scanner.processLuma(frame.constBits(), frame.width(), frame.height(), int(frame.bytesPerLine()));
        QCOMPARE(decoded.count(), 1);
        QCOMPARE(decoded.at(0).at(0).toString(), QString::fromLatin1(text));
        // The same ticket in the next frames is not scanned again.
        scanner.processLuma(frame.constBits(), frame.width(), frame.height(), int(frame.bytesPerLine()));
        QCOMPARE(decoded.count(), 1);
        // A frame without a code decodes nothing.
        QImage empty(1280, 720, QImage::Format_Grayscale8);
        empty.fill(255);
        scanner.processLuma(empty.constBits(), empty.width(), empty.height(), int(empty.bytesPerLine()));
        QCOMPARE(decoded.count(), 1);
    }
};

QTEST_GUILESS_MAIN(TestScanInput)
#include "tst_scaninput.moc"
