// 1,000 admission tickets to PDF (target: under 10 s): the store read, the
// Ed25519 signatures, the QR codes and the A4 layout with the CJK font
// embedded, beside two floors from the same run — signing and QR-encoding
// the same tickets alone, and a PDF of as many pages with one line of text
// each. Median of --runs runs. The roster is the sample roster (made-up
// people) in an embedded store.
//
// Usage: bench_tickets [--tickets N] [--per-page 4,1] [--runs N] [--out FILE.pdf]

#include "office/photos.h"
#include "sample/sampleroster.h"
#include "store/serverstore.h"
#include "print/ticketfont.h"
#include "print/ticketpdf.h"
#include "tickets/ticketsigning.h"

#include <QBuffer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QPainter>
#include <QPdfWriter>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <functional>

using namespace kaodian;
using namespace kaodian::server;

namespace {

[[noreturn]] void die(const QString &message)
{
    std::fprintf(stderr, "bench_tickets: %s\n", qPrintable(message));
    std::exit(1);
}

// Median wall time of runs calls, in seconds.
double medianSeconds(int runs, const std::function<void()> &work)
{
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        work();
        times.push_back(double(t.nsecsElapsed()) / 1e9);
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

// Every registration's print row, across the sessions the import made.
QList<TicketPrintRow> allRows(ServerStore &store)
{
    auto sessions = store.sql().query(QStringLiteral("SELECT id FROM exam_session ORDER BY id"));
    if (!sessions)
        die(sessions.error().message);
    QList<TicketPrintRow> rows;
    for (const auto &s : sessions->rows) {
        auto r = store.rosters().ticketPrintRows(s.first().toLongLong());
        if (!r)
            die(r.error().message);
        rows += *r;
    }
    return rows;
}

// A PDF of pages A4 pages with one line of text each: what QPdfWriter costs
// before any ticket is drawn.
QByteArray plainPages(int pages, const QString &family)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    writer.setResolution(254);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    QPainter p(&writer);
    QFont font(family);
    font.setPointSizeF(10);
    p.setFont(font);
    for (int i = 0; i < pages; ++i) {
        if (i > 0)
            writer.newPage();
        p.drawText(QPointF(200, 200), QStringLiteral("第 %1 页").arg(i + 1));
    }
    p.end();
    return buffer.data();
}

// A photo for every registration's candidate, normalised and sealed as
// import-photos keeps them (docs/photos.md), from a noisy 600x800 JPEG.
void addPhotos(ServerStore &store, const SigningKey &key)
{
    auto rows = store.sql().query(QStringLiteral("SELECT id FROM candidate ORDER BY id"));
    if (!rows)
        die(rows.error().message);
    QList<PhotoToStore> photos;
    for (const auto &row : rows->rows) {
        QImage image(600, 800, QImage::Format_RGB32);
        QRandomGenerator random(quint32(row.first().toLongLong()));
        for (int y = 0; y < image.height(); ++y) {
            auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
            for (int x = 0; x < image.width(); ++x) {
                const int noise = int(random.bounded(24));
                line[x] = qRgb(90 + x / 6 + noise, 120 + noise, 150 + y / 10 + noise / 2);
            }
        }
        QByteArray source;
        QBuffer buffer(&source);
        buffer.open(QIODevice::WriteOnly);
        image.save(&buffer, "JPEG", 90);
        office::PhotoProblem problem = office::PhotoProblem::None;
        const QByteArray jpeg = office::normalizePhoto(source, &problem);
        if (problem != office::PhotoProblem::None)
            die(QStringLiteral("photo"));
        photos.push_back({row.first().toLongLong(), office::photoSha256(jpeg), office::sealPhoto(jpeg, key)});
    }
    if (!store.photos().apply(photos, QStringLiteral("bench.zip"), QStringLiteral("bench")))
        die(QStringLiteral("photos"));
}

} // namespace

int main(int argc, char **argv)
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    int count = 1000;
    int runs = 3;
    QList<int> layouts {4, 1};
    QString outFile;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--tickets"))
            count = std::max(1, args[i + 1].toInt());
        else if (args[i] == QLatin1String("--runs"))
            runs = std::max(1, args[i + 1].toInt());
        else if (args[i] == QLatin1String("--out"))
            outFile = args[i + 1];
        else if (args[i] == QLatin1String("--per-page")) {
            layouts.clear();
            for (const QString &n : args[i + 1].split(QLatin1Char(',')))
                if (isValidTicketsPerPage(n.toInt()))
                    layouts.push_back(n.toInt());
        }
    }
    const auto font = ticketFont();
    if (!font)
        die(font.error());

    QTemporaryDir dir(QDir::currentPath() + "/bench-tickets-XXXXXX");
    const QString data = dir.filePath(QStringLiteral("server"));
    if (auto s = ServerStore::createEmbedded(data); !s)
        die(s.error().message);
    auto store = ServerStore::open({data, QString()});
    if (!store)
        die(store.error().message);
    auto parsed = parseRosterFile(sampleRosterCsv({.candidates = count, .seed = 6}), QStringLiteral("r.csv"));
    if (!parsed)
        die(QStringLiteral("sample roster refused"));
    if (!(*store)->rosters().applyRoster(*parsed, QStringLiteral("r.csv"), QStringLiteral("bench")))
        die(QStringLiteral("import failed"));
    const SigningKey key = *SigningKey::fromRaw(QByteArray(32, '\x2a'));
    addPhotos(**store, key);
    if (allRows(**store).size() != count)
        die(QStringLiteral("the store holds %1 registrations, not %2")
                .arg(allRows(**store).size())
                .arg(count));

    // Floor 1: sign and QR-encode the same tickets, nothing drawn.
    const QList<TicketPrintRow> rows = allRows(**store);
    const double signAndEncode = medianSeconds(runs, [&] {
        auto tickets = signAdmissionTickets(rows, key);
        if (!tickets)
            die(tickets.error());
        for (const auto &t : *tickets)
            if (!qr::encode(t.qrText, 10))
                die(QStringLiteral("QR encoding failed"));
    });

    for (const int perPage : layouts) {
        const int pages = (count + perPage - 1) / perPage;
        // Floor 2: as many PDF pages with one line of text each.
        const double plain = medianSeconds(runs, [&] {
            if (plainPages(pages, font->family).isEmpty())
                die(QStringLiteral("empty PDF"));
        });
        // The figure: read from the store, sign, encode, lay out, write.
        QByteArray pdf;
        const double full = medianSeconds(runs, [&] {
            auto tickets = signAdmissionTickets(allRows(**store), key);
            if (!tickets)
                die(tickets.error());
            TicketPdfOptions options;
            options.perPage = perPage;
            auto out = renderTicketPdf(*tickets, options);
            if (!out)
                die(out.error());
            pdf = *out;
        });
        // With every candidate's photo (opened from the store, drawn on the ticket).
        QByteArray withPhotosPdf;
        const double withPhotos = medianSeconds(runs, [&] {
            const QList<TicketPrintRow> printRows = allRows(**store);
            auto tickets = signAdmissionTickets(printRows, key);
            if (!tickets)
                die(tickets.error());
            QList<Id> ids;
            for (const auto &r : printRows)
                ids.push_back(r.registrationId);
            auto photos = office::photosOf(**store, key, ids);
            if (!photos || photos->size() != printRows.size())
                die(QStringLiteral("photos missing"));
            for (auto &t : *tickets)
                t.photoJpeg = photos->value(t.row.registrationId).jpeg;
            TicketPdfOptions options;
            options.perPage = perPage;
            auto out = renderTicketPdf(*tickets, options);
            if (!out)
                die(out.error());
            withPhotosPdf = *out;
        });
        if (withPhotosPdf.count("/Subtype /Image") < count)
            die(QStringLiteral("the PDF does not hold a photo a ticket"));
        std::printf("| %d admission tickets with photos to PDF, %d a page (%.1f MB) (median of %d) | %.2f s | floor: "
                    "the same tickets without photos %.2f s | target under 10 s |\n",
                    count, perPage, withPhotosPdf.size() / 1e6, runs, withPhotos, full);
        // Its own answer: a PDF of exactly that many pages, the font embedded.
        const QRegularExpression countPattern(QStringLiteral("/Count %1\\b").arg(pages));
        if (!QString::fromLatin1(pdf).contains(countPattern))
            die(QStringLiteral("the PDF does not have %1 pages").arg(pages));
        if (!pdf.contains("/FontFile2"))
            die(QStringLiteral("the font is not embedded"));
        if (!outFile.isEmpty() && perPage == layouts.first()) {
            QFile f(outFile);
            if (!f.open(QIODevice::WriteOnly) || f.write(pdf) != pdf.size())
                die(QStringLiteral("cannot write %1").arg(outFile));
        }
        std::printf(
            "| %d admission tickets to PDF, %d a page (%d pages, %.1f MB): store read, sign, QR, layout "
            "(median of %d) | %.2f s (%.0f tickets/s) | floors: sign + QR encode alone %.2f s; %d plain "
            "pages %.2f s "
            "| target under 10 s |\n",
            count, perPage, pages, pdf.size() / 1e6, runs, full, count / full, signAndEncode, pages, plain);
        std::fflush(stdout);
    }
    return 0;
}
