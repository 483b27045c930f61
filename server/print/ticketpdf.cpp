#include "print/ticketpdf.h"

#include "print/ticketfont.h"

#include <QBuffer>
#include <QFontMetricsF>
#include <QPageLayout>
#include <QPainter>
#include <QPainterPath>
#include <QPdfWriter>

#include <cmath>

namespace kaodian::server {

namespace {

// Every ticket is laid out on an A6 card in units of 0.1 mm and scaled to
// its cell: ×1 at 4 a page, ×√2 at 2 a page (A5), ×2 at 1 a page (A4). The
// writer runs at 254 dpi, so one device unit is 0.1 mm too.
constexpr int kDpi = 254;
constexpr qreal kCardWidth = 1050;
constexpr qreal kCardHeight = 1485;
constexpr int kQuietZone = 4; // modules
constexpr qreal kQrBox = 400; // the QR with its quiet zone fits this square (40 mm at 4 a page)
constexpr qreal kPhotoBoxWidth = 240; // the photo, 24 x 32 mm at 4 a page (3:4, as office/photos.h makes it)

struct PageGrid
{
    QPageLayout::Orientation orientation;
    int columns;
    int rows;
    qreal scale;
};

PageGrid gridFor(int perPage)
{
    switch (perPage) {
    case 1:
        return {QPageLayout::Portrait, 1, 1, 2.0};
    case 2:
        return {QPageLayout::Landscape, 2, 1, std::min(1485.0 / kCardWidth, 2100.0 / kCardHeight)};
    default:
        return {QPageLayout::Portrait, 2, 2, 1.0};
    }
}

// The module size in card units: the largest multiple of 0.05 mm that fits the box.
qreal moduleUnits(int symbolWidth)
{
    return std::floor(kQrBox / (symbolWidth + 2 * kQuietZone) * 2) / 2;
}

QFont ticketFace(const TicketFont &family, qreal points, bool bold = false)
{
    QFont f = ticketTypeface(family);
    f.setPointSizeF(points);
    f.setBold(bold);
    f.setHintingPreference(QFont::PreferNoHinting);
    return f;
}

const QColor kInk(20, 20, 20);
const QColor kLabel(95, 95, 95);
const QColor kRule(150, 150, 150);

// Draws text in box, shrinking the font until it fits (one line unless wrap).
void drawFitted(QPainter &p, const QRectF &box, const QString &text, QFont font, int flags, bool wrap = false)
{
    const int f = flags | (wrap ? int(Qt::TextWordWrap) : 0);
    for (int i = 0; i < 16; ++i) {
        const QFontMetricsF fm(font, p.device());
        const QRectF need
            = wrap ? fm.boundingRect(box, f, text) : QRectF(0, 0, fm.horizontalAdvance(text), fm.height());
        if (need.width() <= box.width() + 0.5 && need.height() <= box.height() + 0.5)
            break;
        font.setPointSizeF(font.pointSizeF() * 0.92);
    }
    p.setFont(font);
    p.drawText(box, f, text);
}

// The symbol as filled vector runs, centred in box: crisp at any printer
// resolution, and small in the file.
void drawQr(QPainter &p, const qr::QrSymbol &s, const QRectF &box)
{
    const qreal m = moduleUnits(s.width);
    const qreal side = (s.width + 2 * kQuietZone) * m;
    const QPointF origin(box.x() + (box.width() - side) / 2 + kQuietZone * m,
        box.y() + (box.height() - side) / 2 + kQuietZone * m);
    QPainterPath path;
    path.setFillRule(Qt::WindingFill);
    for (int y = 0; y < s.width; ++y) {
        const std::uint8_t *row
            = s.modules.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(s.width);
        for (int x = 0; x < s.width;) {
            if (!row[x]) {
                ++x;
                continue;
            }
            int end = x;
            while (end < s.width && row[end])
                ++end;
            path.addRect(QRectF(origin.x() + x * m, origin.y() + y * m, (end - x) * m, m));
            x = end;
        }
    }
    p.fillPath(path, Qt::black);
}

// The candidate's photo in box, or a framed 无照片 when there is none:
// the proctor compares the face with the ID card then.
void drawPhoto(QPainter &p, const QRectF &box, const QByteArray &jpeg, const QFont &font)
{
    const QImage photo = jpeg.isEmpty() ? QImage() : QImage::fromData(jpeg, "JPEG");
    if (!photo.isNull()) {
        p.drawImage(box, photo);
    } else {
        p.setPen(kLabel);
        p.setFont(font);
        p.drawText(box, Qt::AlignCenter, QStringLiteral("无照片"));
    }
    QPen frame(kRule);
    frame.setWidthF(2);
    p.setPen(frame);
    p.setBrush(Qt::NoBrush);
    p.drawRect(box);
}

QString weekday(const QDate &d)
{
    static const char16_t *const names[] = {u"一", u"二", u"三", u"四", u"五", u"六", u"日"};
    return QStringLiteral("星期") + QString::fromUtf16(names[d.dayOfWeek() - 1]);
}

// One ticket on an A6 card, in card units (0.1 mm).
void drawTicket(QPainter &p, const AdmissionTicket &t, const qr::QrSymbol &symbol, const TicketFont &family)
{
    const auto &r = t.row;
    const qreal x0 = 100, x1 = 950, width = x1 - x0;

    QPen border(kInk);
    border.setWidthF(4); // 0.4 mm
    p.setPen(border);
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(QRectF(55, 55, 940, 1375), 20, 20);

    QPen rule(kRule);
    rule.setWidthF(2);

    // Heading.
    p.setPen(kLabel);
    p.setFont(ticketFace(family, 8.5));
    p.drawText(QRectF(x0, 80, width, 50), Qt::AlignCenter, QStringLiteral("1+X 职业技能等级证书考试"));
    p.setPen(kInk);
    p.setFont(ticketFace(family, 22, true));
    p.drawText(QRectF(x0, 125, width, 100), Qt::AlignCenter, QStringLiteral("准 考 证"));
    p.setPen(rule);
    p.drawLine(QPointF(x0, 238), QPointF(x1, 238));

    // QR on the left, who the ticket is for on the right.
    drawQr(p, symbol, QRectF(x0 - 15, 252, kQrBox, kQrBox));
    const qreal cx = 515, cw = x1 - cx;
    auto label = [&](qreal y, const QString &text) {
        p.setPen(kLabel);
        p.setFont(ticketFace(family, 7.5));
        p.drawText(QRectF(cx, y, cw, 34), Qt::AlignLeft | Qt::AlignVCenter, text);
        p.setPen(kInk);
    };
    label(280, QStringLiteral("姓名"));
    drawFitted(
        p, QRectF(cx, 315, cw, 85), r.name, ticketFace(family, 19, true), Qt::AlignLeft | Qt::AlignVCenter);
    label(418, QStringLiteral("身份证号"));
    drawFitted(p, QRectF(cx, 452, cw, 52), r.maskedIdNumber, ticketFace(family, 10.5),
        Qt::AlignLeft | Qt::AlignVCenter);
    label(525, QStringLiteral("准考证号"));
    drawFitted(p, QRectF(cx, 559, cw, 68), r.ticketNumber, ticketFace(family, 14, true),
        Qt::AlignLeft | Qt::AlignVCenter);

    // Where and when.
    const QString time = r.endTime.isValid()
        ? QStringLiteral("%1 – %2").arg(
            r.startTime.toString(QStringLiteral("HH:mm")), r.endTime.toString(QStringLiteral("HH:mm")))
        : QStringLiteral("%1 开考").arg(r.startTime.toString(QStringLiteral("HH:mm")));
    struct Field
    {
        QString label, value;
        qreal height;
        qreal points;
        bool bold;
    };
    // A long certificate name takes two lines.
    const QString certificate = QStringLiteral("%1（%2）").arg(r.certificate, levelName(r.level));
    // The photo (3:4) at the right of the fields; their values give way to it.
    const QRectF photoBox(x1 - kPhotoBoxWidth, 668 + 14, kPhotoBoxWidth, kPhotoBoxWidth * 4 / 3);
    const qreal valueWidth = width - 160 - kPhotoBoxWidth - 20;
    const bool longCertificate
        = QFontMetricsF(ticketFace(family, 9.5), p.device()).horizontalAdvance(certificate) > valueWidth;
    const Field fields[] = {
        {QStringLiteral("证书名称"), certificate, longCertificate ? 100.0 : 68.0, 10.5, false},
        {QStringLiteral("考　　点"), r.site, 68, 10.5, false},
        {QStringLiteral("考场座位"), QStringLiteral("第 %1 考场　　%2 号座位").arg(r.room, r.seat), 72, 12,
            true},
        {QStringLiteral("考试日期"),
            QStringLiteral("%1年%2月%3日（%4）")
                .arg(r.examDate.year())
                .arg(r.examDate.month())
                .arg(r.examDate.day())
                .arg(weekday(r.examDate)),
            68, 10.5, false},
        {QStringLiteral("考试时间"), time, 72, 12, true},
    };
    qreal y = 668;
    p.setPen(rule);
    p.drawLine(QPointF(x0, y), QPointF(x1, y));
    for (const auto &f : fields) {
        p.setPen(kLabel);
        p.setFont(ticketFace(family, 8));
        p.drawText(QRectF(x0, y, 150, f.height), Qt::AlignLeft | Qt::AlignVCenter, f.label);
        p.setPen(kInk);
        drawFitted(p, QRectF(x0 + 160, y + 4, valueWidth, f.height - 8), f.value,
            ticketFace(family, f.points, f.bold), Qt::AlignLeft | Qt::AlignVCenter, f.height > 90);
        y += f.height;
        p.setPen(rule);
        p.drawLine(QPointF(x0, y), QPointF(x1 - kPhotoBoxWidth - 10, y));
    }
    p.setPen(rule);
    p.drawLine(QPointF(x1 - kPhotoBoxWidth - 10, y), QPointF(x1, y));
    drawPhoto(p, photoBox, t.photoJpeg, ticketFace(family, 8));

    // The rules.
    y += 28;
    p.setPen(kInk);
    p.setFont(ticketFace(family, 9, true));
    p.drawText(QRectF(x0, y, width, 44), Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("考生须知"));
    y += 50;
    // The rules in the space left above the footer, smaller if they need it.
    constexpr qreal kFooterTop = 1376, kRuleGap = 7, kNumberWidth = 38;
    const int wrapFlags = Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop;
    const QStringList rules = candidateRules();
    QFont ruleFont = ticketFace(family, 7.5);
    QList<qreal> heights;
    for (int attempt = 0; attempt < 8; ++attempt) {
        const QFontMetricsF fm(ruleFont, p.device());
        heights.clear();
        qreal total = 0;
        for (const QString &rule : rules) {
            heights.push_back(
                fm.boundingRect(QRectF(0, 0, width - kNumberWidth, 400), wrapFlags, rule).height());
            total += heights.back() + kRuleGap;
        }
        if (y + total <= kFooterTop)
            break;
        ruleFont.setPointSizeF(ruleFont.pointSizeF() * 0.94);
    }
    p.setFont(ruleFont);
    for (int i = 0; i < rules.size(); ++i) {
        p.drawText(QRectF(x0, y, kNumberWidth, heights[i]), Qt::AlignLeft | Qt::AlignTop,
            QStringLiteral("%1.").arg(i + 1));
        p.drawText(QRectF(x0 + kNumberWidth, y, width - kNumberWidth, heights[i] + 2), wrapFlags, rules[i]);
        y += heights[i] + kRuleGap;
    }

    // Footer: who runs the exam, and which issue of the ticket this is.
    p.setPen(kLabel);
    p.setFont(ticketFace(family, 6.5));
    const QRectF footer(x0, 1378, width, 36);
    p.drawText(footer, Qt::AlignLeft | Qt::AlignVCenter, r.college);
    p.drawText(footer, Qt::AlignRight | Qt::AlignVCenter,
        r.serial > 1 ? QStringLiteral("第 %1 版 · 此前各版已作废").arg(r.serial) : QStringLiteral("第 1 版"));
}

} // namespace

bool isValidTicketsPerPage(int perPage)
{
    return perPage == 1 || perPage == 2 || perPage == 4;
}

double ticketQrModuleMm(int perPage, int symbolWidth)
{
    return moduleUnits(symbolWidth) * gridFor(perPage).scale / 10.0;
}

QStringList candidateRules()
{
    return {
        QStringLiteral("开考前 30 分钟到达考点，凭本准考证和身份证原件入场，缺一不可。"),
        QStringLiteral("入场时扫描本证二维码签到；请保持二维码平整清洁，勿折叠、涂改。"),
        QStringLiteral("手机、智能手表等电子设备须关机并交监考员保管，不得带至座位。"),
        QStringLiteral("按座位号就座，将准考证和身份证放在桌面左上角，以备核验。"),
        QStringLiteral("迟到须经监考员准许方可入场；遵守考场纪律，违纪按有关规定处理。"),
        QStringLiteral("本证重新打印后旧证即作废；请妥善保管，不得转借、涂改。"),
    };
}

Result<QByteArray, QString> renderTicketPdf(
    const QList<AdmissionTicket> &tickets, const TicketPdfOptions &options)
{
    if (!isValidTicketsPerPage(options.perPage))
        return QStringLiteral("每页张数须为 1、2 或 4");
    if (tickets.isEmpty())
        return QStringLiteral("没有可打印的准考证");
    const auto font = ticketFont();
    if (!font)
        return font.error();

    // Encode every symbol first: a ticket that cannot print well fails the
    // whole document, rather than printing an unreadable code.
    std::vector<qr::QrSymbol> symbols;
    symbols.reserve(static_cast<std::size_t>(tickets.size()));
    for (const auto &t : tickets) {
        auto symbol = qr::encode(t.qrText, 10);
        if (!symbol)
            return QStringLiteral("准考证 %1 的二维码无法生成").arg(t.row.ticketNumber);
        if (ticketQrModuleMm(options.perPage, symbol->width) < kMinQrModuleMm)
            return QStringLiteral("准考证 %1 的二维码过大，无法以不小于 %2 mm 的模块打印")
                .arg(t.row.ticketNumber)
                .arg(kMinQrModuleMm);
        symbols.push_back(std::move(*symbol));
    }

    const PageGrid grid = gridFor(options.perPage);
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    writer.setResolution(kDpi);
    writer.setTitle(options.title.isEmpty() ? QStringLiteral("准考证") : options.title);
    writer.setCreator(QStringLiteral("Kaodian 考点"));
    writer.setPageLayout(QPageLayout(
        QPageSize(QPageSize::A4), grid.orientation, QMarginsF(0, 0, 0, 0), QPageLayout::Millimeter));
    QPainter p;
    if (!p.begin(&writer))
        return QStringLiteral("无法生成 PDF");
    p.setRenderHint(QPainter::Antialiasing, true);
    const QRectF page(0, 0, grid.columns * kCardWidth * grid.scale, grid.rows * kCardHeight * grid.scale);

    auto cutLines = [&] {
        if (options.perPage == 1)
            return;
        QPen dashed(kRule);
        dashed.setWidthF(2);
        dashed.setStyle(Qt::DashLine);
        p.setPen(dashed);
        for (int c = 1; c < grid.columns; ++c)
            p.drawLine(
                QPointF(c * kCardWidth * grid.scale, 0), QPointF(c * kCardWidth * grid.scale, page.height()));
        for (int r = 1; r < grid.rows; ++r)
            p.drawLine(QPointF(0, r * kCardHeight * grid.scale),
                QPointF(page.width(), r * kCardHeight * grid.scale));
    };

    for (qsizetype i = 0; i < tickets.size(); ++i) {
        const int cell = static_cast<int>(i % options.perPage);
        if (cell == 0) {
            if (i > 0 && !writer.newPage())
                return QStringLiteral("无法生成 PDF 的下一页");
            cutLines();
        }
        p.save();
        p.translate((cell % grid.columns) * kCardWidth * grid.scale,
            (cell / grid.columns) * kCardHeight * grid.scale);
        p.scale(grid.scale, grid.scale);
        drawTicket(p, tickets[i], symbols[static_cast<std::size_t>(i)], *font);
        p.restore();
    }
    if (!p.end())
        return QStringLiteral("无法生成 PDF");
    return buffer.data();
}

} // namespace kaodian::server
