#include "qr/qrcodec.h"

#include <QPainter>
#include <QRandomGenerator>
#include <QTest>
#include <QTransform>

#include <algorithm>
#include <vector>

using namespace kaodian::qr;

namespace {

constexpr char kBase32Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

// "KD1." + n characters of the RFC 4648 base32 alphabet, deterministic.
QByteArray base32Text(int n, quint32 seed)
{
    QRandomGenerator rng(seed);
    QByteArray text;
    text.reserve(n);
    for (int i = 0; i < n; ++i)
        text.append(kBase32Alphabet[rng.bounded(32)]);
    return text;
}

// A realistic admission-ticket payload: 171 characters in total.
QByteArray ticketText()
{
    return QByteArrayLiteral("KD1.") + base32Text(167, 20240601);
}

// Image filled with uniform noise in [lo, hi].
QImage noiseImage(int width, int height, int lo, int hi, quint32 seed)
{
    QRandomGenerator rng(seed);
    QImage image(width, height, QImage::Format_Grayscale8);
    for (int y = 0; y < height; ++y) {
        uchar *line = image.scanLine(y);
        for (int x = 0; x < width; ++x)
            line[x] = static_cast<uchar>(lo + rng.bounded(hi - lo + 1));
    }
    return image;
}

// Separable box blur of the given radius on a Grayscale8 image (edges clamp).
QImage boxBlur(const QImage &src, int radius)
{
    const int w = src.width();
    const int h = src.height();
    const int window = 2 * radius + 1;
    std::vector<int> tmp(static_cast<std::size_t>(w) * h);
    for (int y = 0; y < h; ++y) {
        const uchar *line = src.constScanLine(y);
        for (int x = 0; x < w; ++x) {
            int sum = 0;
            for (int k = -radius; k <= radius; ++k)
                sum += line[std::clamp(x + k, 0, w - 1)];
            tmp[static_cast<std::size_t>(y) * w + x] = sum;
        }
    }
    QImage dst(w, h, QImage::Format_Grayscale8);
    for (int y = 0; y < h; ++y) {
        uchar *line = dst.scanLine(y);
        for (int x = 0; x < w; ++x) {
            int sum = 0;
            for (int k = -radius; k <= radius; ++k)
                sum += tmp[static_cast<std::size_t>(std::clamp(y + k, 0, h - 1)) * w + x];
            line[x] = static_cast<uchar>((sum + window * window / 2) / (window * window));
        }
    }
    return dst;
}

// Rotates the image by angle degrees about its centre onto a white canvas
// large enough to hold it, with smooth (bilinear) sampling.
QImage rotatedOnWhite(const QImage &src, qreal angle)
{
    const QRect bounds = QTransform().rotate(angle).mapRect(src.rect());
    QImage canvas(bounds.size() + QSize(40, 40), QImage::Format_RGB32);
    canvas.fill(Qt::white);
    QPainter painter(&canvas);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.translate(canvas.width() / 2.0, canvas.height() / 2.0);
    painter.rotate(angle);
    painter.drawImage(QPointF(-src.width() / 2.0, -src.height() / 2.0), src);
    painter.end();
    return canvas;
}

int countGreyPixels(const QImage &image)
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y) {
        const uchar *line = image.constScanLine(y);
        for (int x = 0; x < image.width(); ++x)
            n += (line[x] > 40 && line[x] < 215) ? 1 : 0;
    }
    return n;
}

} // namespace

// Encoding, rendering and decoding of ticket QR codes.
class TestQrCodec : public QObject
{
    Q_OBJECT

private slots:
    void ticketFitsVersion7M();
    void tooLongTextDoesNotFitVersion7();
    void encodeRejectsEmptyAndNul();
    void roundTrip_data();
    void roundTrip();
    void roundTripOddStride();
    void rotated_data();
    void rotated();
    void blurred();
    void cameraFrame();
    void garbage();
    void renderGeometry();
    void renderRejectsBadInput();
};

void TestQrCodec::ticketFitsVersion7M()
{
    const QByteArray ticket = ticketText();
    QCOMPARE(ticket.size(), 171);

    const auto symbol = encode(ticket, 7);
    QVERIFY(symbol.has_value());
    QVERIFY2(symbol->version >= 1 && symbol->version <= 7,
             qPrintable(QStringLiteral("ticket needs version %1").arg(symbol->version)));
    QCOMPARE(symbol->width, 17 + 4 * symbol->version);
    QCOMPARE(symbol->modules.size(), std::size_t(symbol->width) * std::size_t(symbol->width));
    QVERIFY(std::all_of(symbol->modules.begin(), symbol->modules.end(),
                        [](std::uint8_t m) { return m == 0 || m == 1; }));

    // The worst case of the alphabet (all letters, all digits) must fit too.
    QCOMPARE(encode(QByteArrayLiteral("KD1.") + QByteArray(167, 'Z'), 7).has_value(), true);
    QCOMPARE(encode(QByteArrayLiteral("KD1.") + QByteArray(167, '7'), 7).has_value(), true);
}

void TestQrCodec::tooLongTextDoesNotFitVersion7()
{
    const QByteArray text = QByteArrayLiteral("KD1.") + base32Text(296, 7);
    QCOMPARE(text.size(), 300);

    QVERIFY(!encode(text, 7).has_value());
    // It is the version limit that refuses it, not the encoder.
    const auto unlimited = encode(text);
    QVERIFY(unlimited.has_value());
    QVERIFY(unlimited->version > 7);
}

void TestQrCodec::encodeRejectsEmptyAndNul()
{
    QVERIFY(!encode(QByteArray()).has_value());
    QVERIFY(!encode(QByteArray("KD1.\0ABC", 8)).has_value());
    QVERIFY(!encode("KD1.ABC", 0).has_value());
    QVERIFY(renderText(QByteArray()).isNull());
}

void TestQrCodec::roundTrip_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("ticket") << ticketText();
    QTest::newRow("short") << QByteArrayLiteral("KD1.ABC234");
    QTest::newRow("digits") << QByteArrayLiteral("20240601123456789012");
    QTest::newRow("mixed-case") << QByteArrayLiteral("https://kaodian.example/t?id=Ab12&x=%20");
    QTest::newRow("chinese") << QStringLiteral("考点 准考证：张三，1+X 中级，第3考场").toUtf8();
}

void TestQrCodec::roundTrip()
{
    QFETCH(QByteArray, text);
    const QImage image = renderText(text);
    QVERIFY(!image.isNull());
    QCOMPARE(decode(image), QList<QByteArray>{text});
}

void TestQrCodec::roundTripOddStride()
{
    // (45 + 8) * 3 = 159 pixels wide: rows are padded to 160 bytes.
    const QByteArray ticket = ticketText();
    const auto symbol = encode(ticket);
    QVERIFY(symbol.has_value());
    const QImage image = render(*symbol, 3);
    QVERIFY(image.bytesPerLine() != image.width());
    QCOMPARE(decode(image), QList<QByteArray>{ticket});

    // A non-grey format goes through conversion.
    QCOMPARE(decode(image.convertToFormat(QImage::Format_RGB32)), QList<QByteArray>{ticket});
}

void TestQrCodec::rotated_data()
{
    QTest::addColumn<qreal>("angle");
    QTest::newRow("90") << qreal(90);
    QTest::newRow("180") << qreal(180);
    QTest::newRow("270") << qreal(270);
    QTest::newRow("17") << qreal(17);
    QTest::newRow("-33") << qreal(-33);
    QTest::newRow("45") << qreal(45);
}

void TestQrCodec::rotated()
{
    QFETCH(qreal, angle);
    const QByteArray ticket = ticketText();
    const QImage image = renderText(ticket);
    QVERIFY(!image.isNull());

    const QImage turned = rotatedOnWhite(image, angle);
    QVERIFY(turned.size() != image.size() || angle == 90 || angle == 180 || angle == 270);
    QCOMPARE(decode(turned), QList<QByteArray>{ticket});
}

void TestQrCodec::blurred()
{
    const QByteArray ticket = ticketText();
    const QImage sharp = renderText(ticket, 8);
    QVERIFY(!sharp.isNull());
    QCOMPARE(countGreyPixels(sharp), 0);

    const QImage blurry = boxBlur(sharp, 3);
    // The blur is real: a large share of the pixels are now neither black nor white.
    const int grey = countGreyPixels(blurry);
    QVERIFY2(grey > sharp.width() * sharp.height() / 5, qPrintable(QString::number(grey)));
    QCOMPARE(decode(blurry), QList<QByteArray>{ticket});
}

void TestQrCodec::cameraFrame()
{
    const QByteArray ticket = ticketText();
    const auto symbol = encode(ticket);
    QVERIFY(symbol.has_value());
    QImage code = boxBlur(render(*symbol, 4), 1); // ~212 px, slightly soft

    // A 1280x720 Y plane with row padding, grey noisy background, the code
    // pasted off-centre with reduced contrast (dark 40, light 200).
    constexpr int width = 1280;
    constexpr int height = 720;
    constexpr int stride = 1344;
    const QImage background = noiseImage(width, height, 90, 170, 42);
    std::vector<std::uint8_t> frame(std::size_t(stride) * height, 0xAB);
    for (int y = 0; y < height; ++y)
        std::copy_n(background.constScanLine(y), width, frame.data() + std::size_t(y) * stride);
    const QPoint at(930, 410);
    QVERIFY(at.x() + code.width() <= width && at.y() + code.height() <= height);
    for (int y = 0; y < code.height(); ++y) {
        const uchar *src = code.constScanLine(y);
        std::uint8_t *dst = frame.data() + std::size_t(at.y() + y) * stride + at.x();
        for (int x = 0; x < code.width(); ++x)
            dst[x] = static_cast<std::uint8_t>(40 + src[x] * 160 / 255);
    }

    QCOMPARE(decodeGray(frame.data(), width, height, stride), QList<QByteArray>{ticket});

    // The same frame as a QImage.
    QImage asImage(frame.data(), width, height, stride, QImage::Format_Grayscale8);
    QCOMPARE(decode(asImage), QList<QByteArray>{ticket});
}

void TestQrCodec::garbage()
{
    QImage white(400, 400, QImage::Format_Grayscale8);
    white.fill(255);
    QVERIFY(decode(white).isEmpty());

    QVERIFY(decode(noiseImage(640, 480, 0, 255, 1)).isEmpty());
    QVERIFY(decode(noiseImage(1280, 720, 60, 200, 2)).isEmpty());

    QVERIFY(decode(QImage()).isEmpty());
    QVERIFY(decodeGray(nullptr, 640, 480, 640).isEmpty());
    const std::vector<std::uint8_t> buffer(100, 255);
    QVERIFY(decodeGray(buffer.data(), 10, 10, 5).isEmpty()); // stride < width
    QVERIFY(decodeGray(buffer.data(), 0, 10, 10).isEmpty());
}

void TestQrCodec::renderGeometry()
{
    const auto symbol = encode("KD1.GEOMETRY");
    QVERIFY(symbol.has_value());
    constexpr int moduleSize = 6;
    constexpr int quiet = 4;
    const QImage image = render(*symbol, moduleSize, quiet);
    QCOMPARE(image.format(), QImage::Format_Grayscale8);
    QCOMPARE(image.width(), (symbol->width + 2 * quiet) * moduleSize);
    QCOMPARE(image.height(), image.width());

    const auto pixelAtModule = [&](int mx, int my) {
        return qGray(image.pixel((quiet + mx) * moduleSize + moduleSize / 2,
                                 (quiet + my) * moduleSize + moduleSize / 2));
    };
    // Top-left finder pattern: dark 7x7 ring, light ring, dark 3x3 centre.
    for (int i = 0; i < 7; ++i) {
        QCOMPARE(pixelAtModule(i, 0), 0);
        QCOMPARE(pixelAtModule(i, 6), 0);
        QCOMPARE(pixelAtModule(0, i), 0);
        QCOMPARE(pixelAtModule(6, i), 0);
    }
    for (int i = 1; i < 6; ++i) {
        QCOMPARE(pixelAtModule(i, 1), 255);
        QCOMPARE(pixelAtModule(1, i), 255);
    }
    for (int y = 2; y < 5; ++y)
        for (int x = 2; x < 5; ++x)
            QCOMPARE(pixelAtModule(x, y), 0);
    // The very first dark pixel sits exactly at the quiet zone's edge.
    QCOMPARE(qGray(image.pixel(quiet * moduleSize, quiet * moduleSize)), 0);
    QCOMPARE(qGray(image.pixel(quiet * moduleSize - 1, quiet * moduleSize)), 255);

    // Quiet zone is white all round.
    for (int p = 0; p < image.width(); ++p) {
        QCOMPARE(qGray(image.pixel(p, 0)), 255);
        QCOMPARE(qGray(image.pixel(0, p)), 255);
        QCOMPARE(qGray(image.pixel(p, image.height() - 1)), 255);
        QCOMPARE(qGray(image.pixel(image.width() - 1, p)), 255);
    }

    // Every module is drawn as the symbol says.
    for (int my = 0; my < symbol->width; ++my)
        for (int mx = 0; mx < symbol->width; ++mx)
            QCOMPARE(pixelAtModule(mx, my), symbol->modules[std::size_t(my) * symbol->width + mx] ? 0 : 255);
}

void TestQrCodec::renderRejectsBadInput()
{
    const auto symbol = encode("KD1.X");
    QVERIFY(symbol.has_value());
    QVERIFY(render(*symbol, 0).isNull());
    QVERIFY(render(*symbol, 8, -1).isNull());
    QrSymbol broken = *symbol;
    broken.modules.pop_back();
    QVERIFY(render(broken).isNull());
    QVERIFY(render(QrSymbol{}).isNull());
    // Zero quiet zone is allowed.
    QCOMPARE(render(*symbol, 2, 0).width(), symbol->width * 2);
}

QTEST_GUILESS_MAIN(TestQrCodec)
#include "tst_qrcodec.moc"
