#include "print/sitepaper.h"

#include "print/reporttable.h"
#include "print/ticketfont.h"

#include "core/examzone.h"

#include <QBuffer>
#include <QFontMetricsF>
#include <QImage>
#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>

#include <functional>

namespace kaodian::server {

namespace {

// A4 portrait at 254 dpi: one device unit is 0.1 mm.
constexpr int kDpi = 254;
constexpr qreal kLeft = 130;
constexpr qreal kTop = 120;
constexpr qreal kWidth = 2100 - 2 * kLeft;
constexpr qreal kBottom = 2970 - 140;
constexpr qreal kPad = 10;

const QColor kInk(20, 20, 20);
const QColor kMuted(90, 90, 90);
const QColor kRule(120, 120, 120);
const QColor kHeaderFill(235, 238, 242);

// One document: the writer, the painter, the page cursor and the footer.
class PaperDocument
{
public:
    PaperDocument(const TicketFont &font, const QString &title, const QString &footer)
        : m_font(font), m_footer(footer)
    {
        m_buffer.open(QIODevice::WriteOnly);
        m_writer = std::make_unique<QPdfWriter>(&m_buffer);
        m_writer->setResolution(kDpi);
        m_writer->setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait, QMarginsF(0, 0, 0, 0)));
        m_writer->setTitle(title);
        m_writer->setCreator(QStringLiteral("Kaodian 考点"));
        m_ok = m_p.begin(m_writer.get());
        m_p.setRenderHint(QPainter::Antialiasing, true);
    }

    [[nodiscard]] bool ok() const { return m_ok; }
    QPainter &painter() { return m_p; }
    qreal &y() { return m_y; }

    QFont face(qreal points, bool bold = false) const
    {
        QFont f = ticketTypeface(m_font);
        f.setPointSizeF(points);
        f.setBold(bold);
        f.setHintingPreference(QFont::PreferNoHinting);
        return f;
    }

    // Text in box on one line, the font shrunk until it fits.
    void fitted(const QRectF &box, const QString &text, QFont font, int flags)
    {
        for (int i = 0; i < 16; ++i) {
            const QFontMetricsF fm(font, m_p.device());
            if (fm.horizontalAdvance(text) <= box.width() + 0.5 && fm.height() <= box.height() + 0.5)
                break;
            font.setPointSizeF(font.pointSizeF() * 0.92);
        }
        m_p.setFont(font);
        m_p.drawText(box, flags, text);
    }

    void paragraph(const QString &text, qreal points = 10.5, const QColor &colour = kInk, qreal indent = 0)
    {
        m_p.setFont(face(points));
        const QRectF bound = m_p.boundingRect(QRectF(kLeft + indent, 0, kWidth - indent, 10000), Qt::TextWordWrap, text);
        ensure(bound.height() + 10);
        m_p.setPen(colour);
        m_p.drawText(QRectF(kLeft + indent, m_y, kWidth - indent, bound.height()), Qt::TextWordWrap | Qt::AlignLeft, text);
        m_y += bound.height() + 10;
    }

    void heading(const QString &text, qreal points = 12)
    {
        ensure(140);
        m_y += 20;
        m_p.setFont(face(points, true));
        m_p.setPen(kInk);
        m_p.drawText(QRectF(kLeft, m_y, kWidth, 70), Qt::AlignLeft | Qt::AlignVCenter, text);
        m_y += 80;
    }

    // A new page when height does not fit; onNewPage draws what every page repeats.
    void ensure(qreal height)
    {
        if (m_y + height <= kBottom)
            return;
        newPage();
    }

    void newPage()
    {
        finishPage();
        m_writer->newPage();
        ++m_page;
        m_y = kTop;
        if (m_pageHeader)
            m_pageHeader();
    }

    // Every page after this one starts with header (a room's heading).
    void setPageHeader(std::function<void()> header) { m_pageHeader = std::move(header); }

    // The next room: a fresh page unless this is the first.
    void startRoom(std::function<void()> header)
    {
        m_pageHeader = std::move(header);
        if (m_started)
            newPage();
        else if (m_pageHeader)
            m_pageHeader();
        m_started = true;
    }

    void finishPage()
    {
        m_p.setFont(face(8));
        m_p.setPen(kMuted);
        const QRectF line(kLeft, kBottom + 40, kWidth, 60);
        m_p.drawText(line, Qt::AlignLeft | Qt::AlignVCenter, m_footer);
        m_p.drawText(line, Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("第 %1 页").arg(m_page));
    }

    Result<QByteArray, QString> finish()
    {
        finishPage();
        if (!m_p.end())
            return QStringLiteral("无法生成 PDF");
        return m_buffer.data();
    }

private:
    TicketFont m_font;
    QString m_footer;
    QBuffer m_buffer;
    std::unique_ptr<QPdfWriter> m_writer;
    QPainter m_p;
    bool m_ok = false;
    bool m_started = false;
    qreal m_y = kTop;
    int m_page = 1;
    std::function<void()> m_pageHeader;
};

QString footerOf(const PaperSession &s, const QString &what)
{
    return QStringLiteral("%1 · %2 · 场次 #%3 · 打印于 %4（北京时间）")
        .arg(what, s.title)
        .arg(s.id)
        .arg(examClock(s.generatedAt, QStringLiteral("yyyy-MM-dd HH:mm")));
}

// The heading of a room's sheet: what, the session, where and when.
void roomHeading(PaperDocument &d, const QString &what, const PaperSession &s, const QString &room, bool continued)
{
    QPainter &p = d.painter();
    p.setPen(kInk);
    p.setFont(d.face(18, true));
    p.drawText(QRectF(kLeft, d.y(), kWidth, 100), Qt::AlignCenter,
               continued ? QStringLiteral("%1（续）").arg(what) : what);
    d.y() += 110;
    p.setFont(d.face(10.5));
    p.drawText(QRectF(kLeft, d.y(), kWidth, 55), Qt::AlignLeft | Qt::AlignVCenter,
               QStringLiteral("%1　　考点：%2　　第 %3 考场").arg(s.title, s.site, room));
    d.y() += 55;
    p.drawText(QRectF(kLeft, d.y(), kWidth, 55), Qt::AlignLeft | Qt::AlignVCenter,
               QStringLiteral("考试时间：%1　%2").arg(s.date, s.time));
    d.y() += 75;
}

using Cell = ReportCell;
using C = PaperCandidate;

// The sign-in sheet's columns; the photo and signature are drawn, not written.
QList<TableColumn<C>> signInColumns(bool held)
{
    QList<TableColumn<C>> columns{
        {"seat", "座位", [](const C &c) { return Cell::textCell(c.seat); }},
        {"photo", "照片", [](const C &) { return Cell::textCell(QString()); }},
        {"name", "姓名", [](const C &c) { return Cell::textCell(c.name); }},
        {"id_number_masked", "身份证号", [](const C &c) { return Cell::textCell(c.maskedIdNumber); }},
        {"ticket_number", "准考证号", [](const C &c) { return Cell::textCell(c.ticketNumber); }},
    };
    if (held)
        columns.push_back({"status", "签到状态", [](const C &c) { return Cell::textCell(c.status); }});
    columns.push_back({"signature", "考生签名", [](const C &) { return Cell::textCell(QString()); }});
    return columns;
}

Result<TicketFont, QString> paperFont()
{
    auto font = ticketFont();
    if (!font)
        return font.error();
    return *font;
}

void drawPhoto(PaperDocument &d, const QRectF &box, const QByteArray &jpeg)
{
    QPainter &p = d.painter();
    const QImage photo = jpeg.isEmpty() ? QImage() : QImage::fromData(jpeg, "JPEG");
    if (!photo.isNull()) {
        p.drawImage(box, photo);
    } else {
        p.setPen(kMuted);
        p.setFont(d.face(8));
        p.drawText(box, Qt::AlignCenter, QStringLiteral("无照片"));
    }
    p.setPen(QPen(kRule, 1.5));
    p.setBrush(Qt::NoBrush);
    p.drawRect(box);
}

} // namespace

Result<QByteArray, QString> renderSignInSheet(const PaperSession &session, const QList<PaperRoom> &rooms)
{
    auto font = paperFont();
    if (!font)
        return font.error();
    PaperDocument d(*font, QStringLiteral("签到表 · %1").arg(session.title), footerOf(session, QStringLiteral("签到表")));
    if (!d.ok())
        return QStringLiteral("无法生成 PDF");
    QPainter &p = d.painter();
    const auto columns = signInColumns(session.held);
    // Widths in 0.1 mm; the signature box takes what is left.
    QList<qreal> widths{110, 170, 330, 340, 330};
    if (session.held)
        widths.push_back(250);
    qreal used = 0;
    for (qreal w : widths)
        used += w;
    widths.push_back(kWidth - used);
    constexpr qreal kHeaderRow = 60;
    constexpr qreal kRow = 220; // a 15 x 20 mm photo and room to sign
    for (const auto &room : rooms) {
        const ReportTable table = buildTable(QStringLiteral("签到表"), columns, room.candidates);
        auto header = [&, first = std::make_shared<bool>(true)] {
            roomHeading(d, QStringLiteral("考 生 签 到 表"), session, room.room, !*first);
            *first = false;
            p.fillRect(QRectF(kLeft, d.y(), kWidth, kHeaderRow), kHeaderFill);
            p.setPen(kInk);
            qreal x = kLeft;
            for (qsizetype i = 0; i < widths.size(); ++i) {
                d.fitted(QRectF(x + kPad, d.y(), widths[i] - 2 * kPad, kHeaderRow), table.columns[i].label,
                         d.face(9, true), Qt::AlignCenter);
                x += widths[i];
            }
            p.setPen(QPen(kRule, 2));
            p.drawRect(QRectF(kLeft, d.y(), kWidth, kHeaderRow));
            d.y() += kHeaderRow;
        };
        d.startRoom(header);
        for (qsizetype r = 0; r < table.rows.size(); ++r) {
            d.ensure(kRow);
            qreal x = kLeft;
            for (qsizetype i = 0; i < widths.size(); ++i) {
                const QRectF cell(x, d.y(), widths[i], kRow);
                const QString key = table.columns[i].key;
                if (key == QLatin1String("photo")) {
                    drawPhoto(d, QRectF(x + 10, d.y() + 10, 150, 200), room.candidates[r].photoJpeg);
                } else if (key != QLatin1String("signature")) {
                    p.setPen(kInk);
                    const bool big = key == QLatin1String("name") || key == QLatin1String("seat");
                    d.fitted(cell.adjusted(kPad, 0, -kPad, 0), table.rows[r][i].text(), d.face(big ? 12 : 9.5, big),
                             Qt::AlignCenter);
                }
                p.setPen(QPen(kRule, 1.5));
                p.drawLine(QPointF(x, d.y()), QPointF(x, d.y() + kRow));
                x += widths[i];
            }
            p.drawLine(QPointF(kLeft + kWidth, d.y()), QPointF(kLeft + kWidth, d.y() + kRow));
            p.drawLine(QPointF(kLeft, d.y() + kRow), QPointF(kLeft + kWidth, d.y() + kRow));
            d.y() += kRow;
        }
        d.y() += 40;
        d.paragraph(QStringLiteral("应到 %1 人。考生核对照片、姓名与证件后，在“考生签名”栏内签本人姓名。").arg(room.candidates.size()),
                    9.5, kMuted);
    }
    return d.finish();
}

Result<QByteArray, QString> renderDoorList(const PaperSession &session, const QList<PaperRoom> &rooms)
{
    auto font = paperFont();
    if (!font)
        return font.error();
    PaperDocument d(*font, QStringLiteral("考场门贴 · %1").arg(session.title), footerOf(session, QStringLiteral("考场门贴")));
    if (!d.ok())
        return QStringLiteral("无法生成 PDF");
    QPainter &p = d.painter();
    constexpr int kColumns = 3;
    constexpr qreal kRow = 84; // 16 pt names: readable from a step away
    const qreal columnWidth = kWidth / kColumns;
    for (const auto &room : rooms) {
        // Seat and name, as a table (one column per field), drawn in columns.
        const ReportTable table = buildTable<C>(
            QStringLiteral("考场门贴"),
            {{"seat", "座位", [](const C &c) { return Cell::textCell(c.seat); }},
             {"name", "姓名", [](const C &c) { return Cell::textCell(c.name); }}},
            room.candidates);
        auto header = [&] {
            p.setPen(kInk);
            d.fitted(QRectF(kLeft, d.y(), kWidth, 260), QStringLiteral("第 %1 考场").arg(room.room), d.face(60, true),
                     Qt::AlignCenter);
            d.y() += 270;
            d.fitted(QRectF(kLeft, d.y(), kWidth, 110), session.title, d.face(24, true), Qt::AlignCenter);
            d.y() += 120;
            d.fitted(QRectF(kLeft, d.y(), kWidth, 90), QStringLiteral("%1　%2").arg(session.date, session.time),
                     d.face(18), Qt::AlignCenter);
            d.y() += 95;
            d.fitted(QRectF(kLeft, d.y(), kWidth, 70),
                     QStringLiteral("%1　　本考场 %2 人").arg(session.site).arg(room.candidates.size()), d.face(13),
                     Qt::AlignCenter);
            d.y() += 90;
            p.setPen(QPen(kRule, 3));
            p.drawLine(QPointF(kLeft, d.y()), QPointF(kLeft + kWidth, d.y()));
            d.y() += 30;
        };
        d.startRoom(header);
        const int perColumn = int((kBottom - d.y()) / kRow);
        const qreal top = d.y();
        for (qsizetype r = 0; r < table.rows.size(); ++r) {
            const qsizetype onPage = r % (qsizetype(perColumn) * kColumns);
            if (r > 0 && onPage == 0) {
                d.newPage();
            }
            const qreal x = kLeft + qreal(onPage / perColumn) * columnWidth;
            const qreal y = top + qreal(onPage % perColumn) * kRow;
            p.setPen(kInk);
            d.fitted(QRectF(x, y, 150, kRow), table.rows[r][0].text(), d.face(16, true), Qt::AlignRight | Qt::AlignVCenter);
            d.fitted(QRectF(x + 180, y, columnWidth - 200, kRow), table.rows[r][1].text(), d.face(16),
                     Qt::AlignLeft | Qt::AlignVCenter);
        }
    }
    return d.finish();
}

Result<QByteArray, QString> renderRoomRecord(const PaperSession &session, const QList<PaperRoom> &rooms)
{
    auto font = paperFont();
    if (!font)
        return font.error();
    PaperDocument d(*font, QStringLiteral("考场记录单 · %1").arg(session.title),
                    footerOf(session, QStringLiteral("考场记录单")));
    if (!d.ok())
        return QStringLiteral("无法生成 PDF");
    QPainter &p = d.painter();
    for (const auto &room : rooms) {
        d.startRoom([&] { roomHeading(d, QStringLiteral("考 场 记 录 单"), session, room.room, false); });
        // The counts: one row under their labels.
        struct CountRow
        {
            PaperCounts c;
        };
        const ReportTable counts = buildTable<CountRow>(
            QStringLiteral("人数"),
            {{"expected", "应到", [](const CountRow &r) { return Cell::countCell(r.c.expected); }},
             {"sat", "实到（参加考试）", [](const CountRow &r) { return Cell::countCell(r.c.sat); }},
             {"late", "其中迟到", [](const CountRow &r) { return Cell::countCell(r.c.late); }},
             {"absent", "缺考", [](const CountRow &r) { return Cell::countCell(r.c.absent); }},
             {"excused", "请假/免考", [](const CountRow &r) { return Cell::countCell(r.c.excused); }}},
            {CountRow{room.counts}});
        const qreal cw = kWidth / qreal(counts.columns.size());
        p.fillRect(QRectF(kLeft, d.y(), kWidth, 70), kHeaderFill);
        for (qsizetype i = 0; i < counts.columns.size(); ++i) {
            p.setPen(kInk);
            d.fitted(QRectF(kLeft + i * cw, d.y(), cw, 70), counts.columns[i].label, d.face(10, true), Qt::AlignCenter);
            d.fitted(QRectF(kLeft + i * cw, d.y() + 70, cw, 110), counts.rows[0][i].text(), d.face(22, true),
                     Qt::AlignCenter);
            p.setPen(QPen(kRule, 2));
            p.drawRect(QRectF(kLeft + i * cw, d.y(), cw, 180));
        }
        d.y() += 200;
        if (!session.held)
            d.paragraph(QStringLiteral("本场考试尚未举行：以上人数为打印时的记录。"), 9, kMuted);

        d.heading(QStringLiteral("缺考考生（%1 人）").arg(room.absentees.size()));
        d.paragraph(room.absentees.isEmpty() ? QStringLiteral("无") : room.absentees.join(QStringLiteral("；")));
        d.heading(QStringLiteral("考生事件（%1 条）").arg(room.incidents.size()));
        if (room.incidents.isEmpty())
            d.paragraph(QStringLiteral("无"));
        for (const auto &line : room.incidents)
            d.paragraph(QStringLiteral("● ") + line);
        d.heading(QStringLiteral("考场事件（%1 条）").arg(room.signOff.roomIncidents.size()));
        if (room.signOff.roomIncidents.isEmpty())
            d.paragraph(QStringLiteral("无"));
        for (const auto &[time, words] : room.signOff.roomIncidents)
            d.paragraph(QStringLiteral("● %1　%2").arg(time, words));
        d.heading(QStringLiteral("重复签到（%1 人）").arg(room.conflicts.size()));
        if (room.conflicts.isEmpty())
            d.paragraph(QStringLiteral("无"));
        for (const auto &line : room.conflicts)
            d.paragraph(QStringLiteral("● ") + line);

        // The proctors: those the kiosk's sign-off names, and lines to sign.
        d.heading(QStringLiteral("监考员"));
        if (!room.signOff.proctors.isEmpty())
            d.paragraph((room.signOff.signedAt.isValid() ? QStringLiteral("签收监考员：%1") : QStringLiteral("安排的监考员：%1"))
                            .arg(room.signOff.proctors.join(QStringLiteral("、"))));
        d.paragraph(room.signOff.signedAt.isValid()
                        ? QStringLiteral("考场签收时间：%1（北京时间）")
                              .arg(examClock(room.signOff.signedAt, QStringLiteral("yyyy-MM-dd HH:mm")))
                        : QStringLiteral("考场签收时间：尚未签收"));
        d.ensure(360);
        d.y() += 40;
        p.setPen(kInk);
        p.setFont(d.face(11));
        const qreal half = kWidth / 2;
        auto signatureLine = [&](qreal x, const QString &label) {
            p.drawText(QRectF(x, d.y(), 330, 80), Qt::AlignLeft | Qt::AlignBottom, label);
            p.setPen(QPen(kInk, 2));
            p.drawLine(QPointF(x + 330, d.y() + 75), QPointF(x + half - 60, d.y() + 75));
            p.setPen(kInk);
        };
        signatureLine(kLeft, QStringLiteral("监考员签名："));
        signatureLine(kLeft + half, QStringLiteral("监考员签名："));
        d.y() += 120;
        signatureLine(kLeft, QStringLiteral("签名时间："));
        signatureLine(kLeft + half, QStringLiteral("考点主考签名："));
        d.y() += 120;
    }
    return d.finish();
}

} // namespace kaodian::server
