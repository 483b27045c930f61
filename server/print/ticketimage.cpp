#include "print/ticketimage.h"

#include "print/ticketfont.h"

#include "qr/qrcodec.h"

#include <QBuffer>
#include <QPainter>

namespace kaodian::server {

namespace {

constexpr int kWidth = 720;
constexpr int kQuietZone = 4;

QFont face(const TicketFont &family, int pixels, bool bold = false)
{
    QFont f = ticketTypeface(family);
    f.setPixelSize(pixels);
    f.setBold(bold);
    return f;
}

} // namespace

Result<QImage, QString> renderTicketPhoneImage(const AdmissionTicket &ticket)
{
    const auto font = ticketFont();
    if (!font)
        return font.error();
    const auto symbol = qr::encode(ticket.qrText, 10);
    if (!symbol)
        return QStringLiteral("准考证 %1 的二维码无法生成").arg(ticket.row.ticketNumber);
    const int module = (kWidth - 80) / (symbol->width + 2 * kQuietZone);
    const QImage code = qr::render(*symbol, module, kQuietZone);
    if (code.isNull())
        return QStringLiteral("准考证 %1 的二维码无法生成").arg(ticket.row.ticketNumber);

    const auto &r = ticket.row;
    const int top = 110;
    const int captionTop = top + code.height() + 20;
    QImage image(kWidth, captionTop + 190, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    p.setRenderHint(QPainter::TextAntialiasing, true);
    p.setPen(QColor(20, 20, 20));
    p.setFont(face(*font, 40, true));
    p.drawText(QRect(0, 25, kWidth, 60), Qt::AlignCenter, QStringLiteral("准考证 · 入场签到码"));
    p.drawImage((kWidth - code.width()) / 2, top, code);

    const QString when
        = QStringLiteral("%1年%2月%3日 %4%5")
              .arg(r.examDate.year())
              .arg(r.examDate.month())
              .arg(r.examDate.day())
              .arg(r.startTime.toString(QStringLiteral("HH:mm")),
                  r.endTime.isValid() ? QStringLiteral("–") + r.endTime.toString(QStringLiteral("HH:mm"))
                                      : QString());
    const QStringList lines {
        QStringLiteral("准考证号 %1").arg(r.ticketNumber),
        when,
        QStringLiteral("%1 · 第 %2 考场 · %3 号座位").arg(r.site, r.room, r.seat),
        QStringLiteral("请调高屏幕亮度后扫码；须同时出示身份证"),
    };
    int y = captionTop;
    for (int i = 0; i < lines.size(); ++i) {
        const bool last = i == lines.size() - 1;
        p.setPen(last ? QColor(95, 95, 95) : QColor(20, 20, 20));
        p.setFont(face(*font, last ? 22 : 28, i == 0));
        p.drawText(QRect(20, y, kWidth - 40, 44), Qt::AlignCenter, lines[i]);
        y += 44;
    }
    p.end();
    return image;
}

Result<QByteArray, QString> renderTicketPhonePng(const AdmissionTicket &ticket)
{
    auto image = renderTicketPhoneImage(ticket);
    if (!image)
        return image.error();
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!image->save(&buffer, "PNG"))
        return QStringLiteral("无法生成 PNG 图片");
    return bytes;
}

} // namespace kaodian::server
