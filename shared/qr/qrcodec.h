#pragma once

// QR codes for admission tickets: encode with libqrencode (level M), render
// to a QImage, decode printed or camera images with ZXing-cpp.
// Thread-safety: every function here is pure (no shared state) and may be
// called from several threads at once.

#include <QByteArray>
#include <QImage>
#include <QList>

#include <cstdint>
#include <optional>
#include <vector>

namespace kaodian::qr {

// An encoded QR symbol: version 1-40, width in modules, and width*width
// row-major modules where 1 = dark and 0 = light (no quiet zone).
struct QrSymbol
{
    int version = 0;
    int width = 0;
    std::vector<std::uint8_t> modules;
};

// Encodes text at error-correction level M, letting libqrencode pick numeric /
// alphanumeric / byte segments. Returns nullopt if the text is empty, contains
// a NUL byte, cannot be encoded, or needs a version above maxVersion.
std::optional<QrSymbol> encode(const QByteArray &text, int maxVersion = 40);

// Renders the symbol black on white in Format_Grayscale8, moduleSize pixels per
// module and a quiet zone of quietZoneModules on each side. Null image if the
// symbol is malformed or moduleSize < 1 or quietZoneModules < 0.
QImage render(const QrSymbol &symbol, int moduleSize = 8, int quietZoneModules = 4);

// encode() + render() with the standard 4-module quiet zone; null image on
// failure.
QImage renderText(const QByteArray &text, int moduleSize = 8);

// Decodes every QR code found in the image (any format; converted to
// Grayscale8), tolerating rotation and blur. Returns the texts as UTF-8 bytes;
// empty if none is found or the image is null.
QList<QByteArray> decode(const QImage &image);

// As decode(), for an 8-bit luminance buffer such as a camera frame's Y plane.
// stride is the number of bytes from one row to the next (>= width).
QList<QByteArray> decodeGray(const std::uint8_t *data, int width, int height, int stride);

} // namespace kaodian::qr
