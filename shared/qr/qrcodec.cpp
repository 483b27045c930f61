#include "qr/qrcodec.h"

#include <ZXing/ReadBarcode.h>
#include <qrencode.h>

#include <algorithm>
#include <memory>

namespace kaodian::qr {

std::optional<QrSymbol> encode(const QByteArray &text, int maxVersion)
{
    // QRcode_encodeString reads a C string: an embedded NUL would silently
    // truncate the payload, so refuse it instead.
    if (text.isEmpty() || text.contains('\0') || maxVersion < 1)
        return std::nullopt;

    // version 0 = smallest that fits; QR_MODE_8 + case-sensitive lets the
    // encoder split the input into numeric / alphanumeric / 8-bit segments.
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString(text.constData(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
    if (!code || code->version > maxVersion)
        return std::nullopt;

    QrSymbol symbol;
    symbol.version = code->version;
    symbol.width = code->width;
    const auto count = static_cast<std::size_t>(code->width) * static_cast<std::size_t>(code->width);
    symbol.modules.resize(count);
    for (std::size_t i = 0; i < count; ++i)
        symbol.modules[i] = code->data[i] & 0x01; // bit 0: 1 = dark
    return symbol;
}

QImage render(const QrSymbol &symbol, int moduleSize, int quietZoneModules)
{
    if (symbol.width < 1 || moduleSize < 1 || quietZoneModules < 0
        || symbol.modules.size() != static_cast<std::size_t>(symbol.width) * static_cast<std::size_t>(symbol.width))
        return {};

    const int side = (symbol.width + 2 * quietZoneModules) * moduleSize;
    QImage image(side, side, QImage::Format_Grayscale8);
    if (image.isNull())
        return {};
    image.fill(255);

    const int offset = quietZoneModules * moduleSize;
    for (int my = 0; my < symbol.width; ++my) {
        for (int py = 0; py < moduleSize; ++py) {
            uchar *line = image.scanLine(offset + my * moduleSize + py) + offset;
            for (int mx = 0; mx < symbol.width; ++mx) {
                if (symbol.modules[static_cast<std::size_t>(my) * symbol.width + mx])
                    std::fill_n(line + mx * moduleSize, moduleSize, uchar(0));
            }
        }
    }
    return image;
}

QImage renderText(const QByteArray &text, int moduleSize)
{
    const auto symbol = encode(text);
    return symbol ? render(*symbol, moduleSize) : QImage();
}

QList<QByteArray> decodeGray(const std::uint8_t *data, int width, int height, int stride)
{
    if (!data || width < 1 || height < 1 || stride < width)
        return {};

    const ZXing::ImageView view(data, width, height, ZXing::ImageFormat::Lum, stride);
    const auto hints = ZXing::DecodeHints()
                           .setFormats(ZXing::BarcodeFormat::QRCode)
                           .setTryHarder(true)
                           .setTryRotate(true)
                           // encode() writes UTF-8 byte segments with no ECI
                           // header: read them as UTF-8 rather than guess.
                           .setCharacterSet("UTF-8");

    QList<QByteArray> texts;
    for (const auto &result : ZXing::ReadBarcodes(view, hints)) {
        if (!result.isValid())
            continue;
        const std::string text = result.text(); // UTF-8 (ZX_USE_UTF8)
        texts.append(QByteArray(text.data(), static_cast<qsizetype>(text.size())));
    }
    return texts;
}

QList<QByteArray> decode(const QImage &image)
{
    if (image.isNull())
        return {};
    const QImage gray = image.format() == QImage::Format_Grayscale8
                            ? image
                            : image.convertToFormat(QImage::Format_Grayscale8);
    // QImage rows are padded to 32 bits: pass bytesPerLine, not width.
    return decodeGray(gray.constBits(), gray.width(), gray.height(), static_cast<int>(gray.bytesPerLine()));
}

} // namespace kaodian::qr
