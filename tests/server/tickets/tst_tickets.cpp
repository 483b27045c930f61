// Admission tickets end to end, against both stores: a session of 40
// candidates printed to PDF, rendered to images by Debian's pdftoppm, every
// QR read back by two independent decoders (zbarimg from zbar-tools, and
// ZXing-cpp through kaodian::qr) and verified with the ticket key; the CJK
// font embedded (pdffonts); ID numbers masked in the text (pdftotext);
// re-issue revokes the old serial and a kiosk provisioned from the next
// package refuses the old ticket with "已作废" and the time it was
// replaced; the API endpoints with their roles, CSRF and audit; and the
// `tickets` / `reissue` commands of the real kaodian-server binary.
// Needs poppler-utils, zbar-tools and fonts-wqy-microhei (scripts/deps).

#include "api/api.h"
#include "office/packagebuilder.h"
#include "auth/password.h"
#include "core/examzone.h"
#include "kiosk/core/checkinservice.h"
#include "print/ticketfont.h"
#include "print/ticketpdf.h"
#include "protocol/sessionpackage.h"
#include "tickets/ticketsigning.h"

#include "testpg.h"

#include <QDir>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <set>
#include <tuple>

using namespace kaodian;
using namespace kaodian::server;
using namespace kaodian::testing;

namespace {

constexpr int kToolMs = 120000; // one external tool (pdftoppm, zbarimg, the server binary) to finish
constexpr int kSessionSize = 40;
const QString kSite = QStringLiteral("实训楼考点");
const QString kPassword = QStringLiteral("correct-horse-battery");
const QTimeZone kCst(8 * 3600);

// One finished external command.
struct Finished
{
    bool ok = false; // ran and exited normally within the deadline
    int exitCode = -1;
    QByteArray out, err;
    [[nodiscard]] QByteArray describe() const
    {
        return "exit " + QByteArray::number(exitCode) + (ok ? "" : " (did not finish)") + "\n--- stdout\n"
            + out + "\n--- stderr\n" + err;
    }
};

Finished run(const QString &program, const QStringList &args,
    const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    Finished f;
    if (!p.waitForStarted(10000))
        return f;
    p.closeWriteChannel();
    if (!p.waitForFinished(kToolMs)) {
        p.kill();
        p.waitForFinished(5000);
    } else {
        f.ok = p.exitStatus() == QProcess::NormalExit;
        f.exitCode = p.exitCode();
    }
    f.out = p.readAllStandardOutput();
    f.err = p.readAllStandardError();
    return f;
}

QString tool(const char *name)
{
    return QStandardPaths::findExecutable(QString::fromLatin1(name));
}

// pdftoppm's grey PNG pages of pdf, in page order.
QStringList renderPages(const QString &pdf, const QString &dir, int dpi)
{
    QDir().mkpath(dir);
    const Finished f = run(tool("pdftoppm"),
        {QStringLiteral("-r"), QString::number(dpi), QStringLiteral("-gray"), QStringLiteral("-png"), pdf,
            QDir(dir).filePath(QStringLiteral("page"))});
    if (!f.ok || f.exitCode != 0) {
        qWarning().noquote() << "pdftoppm failed:" << f.describe();
        return {};
    }
    QStringList pages;
    for (const QString &name : QDir(dir).entryList({QStringLiteral("page-*.png")}, QDir::Files, QDir::Name))
        pages.push_back(QDir(dir).filePath(name));
    return pages; // page-01 … page-10: zero-padded, so name order is page order
}

// Every QR text zbarimg finds in a picture.
QList<QByteArray> zbarDecode(const QString &png)
{
    const Finished f = run(tool("zbarimg"),
        {QStringLiteral("--raw"), QStringLiteral("-q"), QStringLiteral("--nodbus"),
            QStringLiteral("-Sdisable"), QStringLiteral("-Sqrcode.enable"), png});
    if (!f.ok)
        return {};
    QList<QByteArray> texts;
    for (const QByteArray &line : f.out.split('\n'))
        if (!line.trimmed().isEmpty())
            texts.push_back(line.trimmed());
    return texts;
}

std::set<QString> asSet(const QStringList &list)
{
    return {list.begin(), list.end()};
}

qint64 insertId(ServerStore &s, const QString &sql, const QVariantList &params)
{
    auto r = s.sql().insertReturningId(sql, params);
    if (!r)
        qFatal("seed failed: %s", qPrintable(r.error().message));
    return *r;
}

// What the seed put in the store.
struct Seeded
{
    Id college = 0, otherCollege = 0;
    Id session = 0; // kSessionSize candidates in rooms 01 and 02
    Id otherSession = 0; // another college's, 3 candidates, a long certificate name and a long name
    QStringList sessionTickets; // in print order: room 01 seats 1..20, then room 02
    QStringList otherTickets;
    QHash<QString, QString> fullIdNumber; // by ticket number
    QHash<QString, QString> name; // by ticket number
};

Seeded seed(ServerStore &store)
{
    static const QStringList surnames {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"};
    static const QStringList given {
        "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰"};
    Seeded s;
    SqlTransaction tx(store.sql());
    const Id site = insertId(store, "INSERT INTO site (name) VALUES (?)", {kSite});
    const Id room1
        = insertId(store, "INSERT INTO room (site_id, code) VALUES (?, ?)", {site, QStringLiteral("01")});
    const Id room2
        = insertId(store, "INSERT INTO room (site_id, code) VALUES (?, ?)", {site, QStringLiteral("02")});
    s.college = insertId(store, "INSERT INTO college (name) VALUES (?)", {QStringLiteral("信息工程学院")});
    s.otherCollege
        = insertId(store, "INSERT INTO college (name) VALUES (?)", {QStringLiteral("智能制造学院")});
    const Id major = insertId(
        store, "INSERT INTO major (college_id, name) VALUES (?, ?)", {s.college, QStringLiteral("软件技术")});
    const Id otherMajor = insertId(store, "INSERT INTO major (college_id, name) VALUES (?, ?)",
        {s.otherCollege, QStringLiteral("工业机器人技术")});
    const Id cert = insertId(store, "INSERT INTO certificate (name, training_org) VALUES (?, ?)",
        {QStringLiteral("Web前端开发"), QStringLiteral("工业和信息化部教育与考试中心")});
    const Id longCert = insertId(store, "INSERT INTO certificate (name, training_org) VALUES (?, ?)",
        {QStringLiteral("工业机器人应用编程（含现场实操与安全规范考核）"), QStringLiteral("某培训评价组织")});
    const Id pilot = insertId(
        store, "INSERT INTO pilot (college_id, certificate_id, level) VALUES (?, ?, 2)", {s.college, cert});
    const Id otherPilot = insertId(store,
        "INSERT INTO pilot (college_id, certificate_id, level) VALUES (?, ?, 3)", {s.otherCollege, longCert});
    s.session = insertId(store,
        "INSERT INTO exam_session (pilot_id, site_id, exam_date, start_time, end_time, published_count)"
        " VALUES (?, ?, '2026-06-01', '09:00', '11:00', 40)",
        {pilot, site});
    s.otherSession = insertId(store,
        "INSERT INTO exam_session (pilot_id, site_id, exam_date, start_time, end_time)"
        " VALUES (?, ?, '2026-06-01', '14:00', '')",
        {otherPilot, site});
    int seq = 0;
    auto add = [&](Id session, Id majorId, Id room, const QString &seat, const QString &name) {
        ++seq;
        const QString idNumber = QStringLiteral("3501022004%1%2")
                                     .arg(seq % 12 + 1, 2, 10, QLatin1Char('0'))
                                     .arg(seq * 37 % 10000 + 1000, 6, 10, QLatin1Char('0'));
        const Id candidate = insertId(store,
            "INSERT INTO candidate (id_number, name, student_number, major_id) VALUES (?, ?, ?, ?)",
            {idNumber, name, QStringLiteral("2023%1").arg(seq, 6, 10, QLatin1Char('0')), majorId});
        const QString ticket = QStringLiteral("2026060101%1").arg(seq, 4, 10, QLatin1Char('0'));
        insertId(store,
            "INSERT INTO registration (session_id, candidate_id, ticket_number, room_id, seat) VALUES (?, ?, "
            "?, ?, ?)",
            {session, candidate, ticket, room, seat});
        s.fullIdNumber.insert(ticket, idNumber);
        s.name.insert(ticket, name);
        return ticket;
    };
    // Inserted out of seat order; seats in room 01 are "1".."20" (natural
    // order puts 2 before 10), in room 02 "01".."20".
    QStringList inRoom1(20), inRoom2(20);
    for (int i = kSessionSize - 1; i >= 0; --i) {
        const QString name = surnames[i % surnames.size()] + given[(i * 7) % given.size()];
        if (i < 20)
            inRoom1[i] = add(s.session, major, room1, QString::number(i + 1), name);
        else
            inRoom2[i - 20] = add(
                s.session, major, room2, QStringLiteral("%1").arg(i - 19, 2, 10, QLatin1Char('0')), name);
    }
    s.sessionTickets = inRoom1 + inRoom2;
    s.otherTickets = {
        add(s.otherSession, otherMajor, room1, QStringLiteral("1"), QStringLiteral("阿卜杜热合曼·买买提江")),
        add(s.otherSession, otherMajor, room1, QStringLiteral("2"), QStringLiteral("欧阳明")),
        add(s.otherSession, otherMajor, room2, QStringLiteral("1"), QStringLiteral("司马相如"))};
    if (!tx.commit())
        qFatal("seed commit failed");
    return s;
}

} // namespace

class TestTickets : public QObject
{
    Q_OBJECT

    bool m_postgres = qgetenv("KAODIAN_TEST_STORE") == "postgres";
    std::unique_ptr<TestPgDatabase> m_pg;
    std::unique_ptr<QTemporaryDir> m_dir;
    StoreLocation m_location;
    std::unique_ptr<ServerStore> m_store;
    QDateTime m_now = QDateTime::currentDateTimeUtc(); // the store's clock
    Seeded m_seed;
    SigningKey m_key = *SigningKey::fromRaw(QByteArray(32, '\x0b'));
    TicketVerifier m_verifier;

    // Fresh store, seeded; true on success.
    void openFreshStore(StoreLocation *location, std::unique_ptr<TestPgDatabase> *pg, const QString &dataDir)
    {
        if (m_postgres) {
            *pg = std::make_unique<TestPgDatabase>();
            QVERIFY2((*pg)->ok(), qPrintable((*pg)->error()));
            *location = {dataDir, (*pg)->url()};
        } else {
            *location = {dataDir, QString()};
            QVERIFY(ServerStore::createEmbedded(dataDir).ok());
        }
    }

    // Checks one PDF: every page rendered, every QR read by zbarimg and by
    // ZXing, each text verifying with the ticket key and being exactly the
    // text the server signs for that ticket; returns the ticket numbers in
    // page order (each page's in any order).
    void decodeAll(const QString &pdf, int perPage, const QStringList &expected, int dpi)
    {
        const QStringList pages = renderPages(pdf, pdf + QStringLiteral(".pages"), dpi);
        const int expectedPages = static_cast<int>((expected.size() + perPage - 1) / perPage);
        QCOMPARE(pages.size(), expectedPages);
        QStringList seenByZbar, seenByZxing;
        for (int i = 0; i < pages.size(); ++i) {
            const int onThisPage = std::min<int>(perPage, static_cast<int>(expected.size()) - i * perPage);
            const QList<QByteArray> zbar = zbarDecode(pages[i]);
            const QImage image(pages[i]);
            QVERIFY2(!image.isNull(), qPrintable(pages[i]));
            const QList<QByteArray> zxing = qr::decode(image);
            QVERIFY2(zbar.size() == onThisPage,
                qPrintable(QStringLiteral("zbarimg read %1 of %2 codes on page %3 (%4 dpi)")
                               .arg(zbar.size())
                               .arg(onThisPage)
                               .arg(i + 1)
                               .arg(dpi)));
            QVERIFY2(zxing.size() == onThisPage,
                qPrintable(QStringLiteral("ZXing read %1 of %2 codes on page %3 (%4 dpi)")
                               .arg(zxing.size())
                               .arg(onThisPage)
                               .arg(i + 1)
                               .arg(dpi)));
            QCOMPARE(std::set<QByteArray>(zbar.begin(), zbar.end()),
                std::set<QByteArray>(zxing.begin(), zxing.end()));
            for (const QByteArray &text : zbar) {
                auto claims = m_verifier.verify(text);
                QVERIFY2(claims.ok(), text.constData());
                seenByZbar.push_back(claims->ticketNumber);
                auto row = m_store->rosters().ticketPrintRows(QStringList {claims->ticketNumber});
                QVERIFY(row.ok());
                QCOMPARE(static_cast<Id>(claims->sessionId), row->first().sessionId);
                QCOMPARE(int(claims->serial), row->first().serial);
                // Exactly what the server signs (Ed25519 is deterministic).
                QCOMPARE(text,
                    signAdmissionTicket(claims->ticketNumber, row->first().sessionId, row->first().serial,
                        row->first().examDate, m_key)
                        .value());
            }
            for (const QByteArray &text : zxing)
                seenByZxing.push_back(m_verifier.verify(text)->ticketNumber);
        }
        QCOMPARE(seenByZbar.size(), expected.size()); // no ticket twice
        QCOMPARE(asSet(seenByZbar), asSet(expected));
        QCOMPARE(asSet(seenByZxing), asSet(expected));
    }

    QByteArray pdfFor(const QList<TicketPrintRow> &rows, int perPage)
    {
        auto tickets = signAdmissionTickets(rows, m_key);
        if (!tickets) {
            qWarning() << tickets.error();
            return {};
        }
        TicketPdfOptions options;
        options.perPage = perPage;
        auto pdf = renderTicketPdf(*tickets, options);
        if (!pdf) {
            qWarning() << pdf.error();
            return {};
        }
        return *pdf;
    }

    QString writeFile(const QString &name, const QByteArray &bytes)
    {
        const QString path = m_dir->filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
            return {};
        return path;
    }

private slots:
    void initTestCase()
    {
        for (const char *t : {"pdftoppm", "pdffonts", "pdftotext", "pdfinfo"})
            QVERIFY2(!tool(t).isEmpty(),
                qPrintable(QStringLiteral("%1 is missing: apt-get install poppler-utils").arg(t)));
        QVERIFY2(!tool("zbarimg").isEmpty(), "zbarimg is missing: apt-get install zbar-tools");
        const auto font = ticketFont();
        QVERIFY2(font.ok(), font.ok() ? "" : qPrintable(font.error()));
        m_verifier.addKey(m_key.verifyKey());
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        openFreshStore(&m_location, &m_pg, m_dir->filePath(QStringLiteral("data")));
        auto store = ServerStore::open(m_location, [this] { return m_now; });
        QVERIFY2(store.ok(), store.ok() ? "" : qPrintable(store.error().message));
        m_store = std::move(store).value();
        m_seed = seed(*m_store);
    }

    void cleanup()
    {
        m_store.reset();
        m_pg.reset();
        m_dir.reset();
    }

    void printRowsAreInSeatOrderWithIdNumbersMasked()
    {
        auto rows = m_store->rosters().ticketPrintRows(m_seed.session);
        QVERIFY(rows.ok());
        QCOMPARE(rows->size(), kSessionSize);
        QStringList order;
        for (const auto &r : *rows) {
            order.push_back(r.ticketNumber);
            QCOMPARE(r.maskedIdNumber, maskIdNumber(m_seed.fullIdNumber.value(r.ticketNumber)));
            QVERIFY(r.maskedIdNumber.contains(QStringLiteral("**********")));
            QCOMPARE(r.name, m_seed.name.value(r.ticketNumber));
            QCOMPARE(r.site, kSite);
            QCOMPARE(r.certificate, QStringLiteral("Web前端开发"));
            QCOMPARE(r.level, CertificateLevel::Intermediate);
            QCOMPARE(r.examDate, QDate(2026, 6, 1));
            QCOMPARE(r.startTime, QTime(9, 0));
            QCOMPARE(r.endTime, QTime(11, 0));
            QCOMPARE(r.serial, 1);
            QCOMPARE(r.collegeId, m_seed.college);
        }
        QCOMPARE(order, m_seed.sessionTickets); // room 01 seat 1, 2, … 10 … 20, then room 02
        // By ticket numbers: in the order asked; an unknown one is named.
        const QStringList asked {m_seed.otherTickets[2], m_seed.sessionTickets[5]};
        auto byNumber = m_store->rosters().ticketPrintRows(asked);
        QVERIFY(byNumber.ok());
        QCOMPARE(byNumber->size(), 2);
        QCOMPARE(byNumber->at(0).ticketNumber, asked[0]);
        QVERIFY(!byNumber->at(0).endTime.isValid()); // no end time given
        auto missing = m_store->rosters().ticketPrintRows(QStringList {asked[0], QStringLiteral("NOPE-1")});
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code, StoreError::Code::DatabaseMissing);
        QVERIFY(missing.error().message.contains(QStringLiteral("NOPE-1")));
    }

    // The office's print: 40 tickets, 4 a page, read back from 150 dpi images.
    void sessionPdfScansWithTwoDecoders()
    {
        auto rows = m_store->rosters().ticketPrintRows(m_seed.session);
        QVERIFY(rows.ok());
        const QByteArray pdf = pdfFor(*rows, 4);
        QVERIFY(pdf.startsWith("%PDF-"));
        const QString path = writeFile(QStringLiteral("session.pdf"), pdf);
        decodeAll(path, 4, m_seed.sessionTickets, 150);
    }

    void everyLayoutScans_data()
    {
        QTest::addColumn<int>("perPage");
        QTest::newRow("1 a page") << 1;
        QTest::newRow("2 a page") << 2;
        QTest::newRow("4 a page") << 4;
    }
    void everyLayoutScans()
    {
        QFETCH(int, perPage);
        // Modules never below 0.5 mm (format version 1 tops out at QR version 7: 45 modules).
        for (int width = 21; width <= 45; width += 4)
            QVERIFY(ticketQrModuleMm(perPage, width) >= kMinQrModuleMm);
        const QStringList numbers = m_seed.otherTickets + QStringList {m_seed.sessionTickets[0]};
        auto rows = m_store->rosters().ticketPrintRows(numbers);
        QVERIFY(rows.ok());
        const QString path = writeFile(QStringLiteral("layout-%1.pdf").arg(perPage), pdfFor(*rows, perPage));
        decodeAll(path, perPage, numbers, 150);
        const Finished info = run(tool("pdfinfo"), {path});
        QVERIFY(info.out.contains(perPage == 2 ? "842 x 595 pts (A4)" : "595 x 842 pts (A4)"));
    }

    void pdfEmbedsTheCjkFontAndShowsWhatATicketNeeds()
    {
        auto rows = m_store->rosters().ticketPrintRows(m_seed.session);
        QVERIFY(rows.ok());
        const QString path = writeFile(QStringLiteral("fonts.pdf"), pdfFor(rows->mid(0, 8), 4));
        // pdffonts: every font embedded, and the CJK one among them.
        const Finished fonts = run(tool("pdffonts"), {path});
        QVERIFY2(fonts.ok && fonts.exitCode == 0, fonts.describe().constData());
        const QList<QByteArray> lines = fonts.out.split('\n');
        int listed = 0;
        bool cjk = false;
        for (qsizetype i = 2; i < lines.size(); ++i) { // after the header and the ---- line
            const QByteArray line = lines[i].simplified();
            if (line.isEmpty())
                continue;
            ++listed;
            cjk = cjk || line.startsWith("WenQuanYi");
            // name type… encoding emb sub uni object ID: "emb" is the 5th field from the end.
            const QList<QByteArray> fields = line.split(' ');
            QVERIFY2(fields.size() >= 6 && fields[fields.size() - 5] == "yes", line.constData());
        }
        QVERIFY2(listed >= 1 && cjk, fonts.out.constData());
        // The text: title, rules, names and masked ID numbers; never a full ID number.
        const Finished text = run(
            tool("pdftotext"), {QStringLiteral("-enc"), QStringLiteral("UTF-8"), path, QStringLiteral("-")});
        QVERIFY2(text.ok && text.exitCode == 0, text.describe().constData());
        const QString body = QString::fromUtf8(text.out);
        int titles = 0;
        for (const QString &line : body.split(QLatin1Char('\n')))
            titles += line.trimmed().remove(QLatin1Char(' ')) == QStringLiteral("准考证");
        QCOMPARE(titles, 8);
        QCOMPARE(body.count(QStringLiteral("考生须知")), 8);
        QVERIFY(body.contains(QStringLiteral("开考前 30 分钟到达考点")));
        QVERIFY(body.contains(QStringLiteral("2026年6月1日（星期一）")));
        QVERIFY(body.contains(QStringLiteral("09:00 – 11:00")));
        QVERIFY(body.contains(QStringLiteral("Web前端开发（中级）")));
        for (const auto &r : rows->mid(0, 8)) {
            QVERIFY2(body.contains(r.name), qPrintable(r.name));
            QVERIFY2(body.contains(r.ticketNumber), qPrintable(r.ticketNumber));
            QVERIFY2(body.contains(r.maskedIdNumber), qPrintable(r.maskedIdNumber));
            const QString full = m_seed.fullIdNumber.value(r.ticketNumber);
            QVERIFY2(!body.contains(full) && !body.contains(full.mid(4, 10)), qPrintable(full));
        }
        // Nor in the file's bytes (e.g. metadata).
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        for (const auto &r : rows->mid(0, 8))
            QVERIFY(!bytes.contains(m_seed.fullIdNumber.value(r.ticketNumber).toLatin1()));
    }

    // Names in CJK Extension B (李𪚥 U+2A6A5, 𠀁明 U+20001) draw their glyph
    // from the fallback font (fonts-hanazono), embedded; not the main font's
    // missing-glyph box. Proven on the rendered page: the ticket printed with
    // the rare character and with a character no font has (U+2FFFD, which
    // can only be the box) must differ where the name is; without a fallback
    // both draw the same box and the pages are identical.
    void rareCharactersDrawTheirGlyphs()
    {
        auto rows = m_store->rosters().ticketPrintRows(m_seed.session);
        QVERIFY(rows.ok());
        const TicketPrintRow base = rows->front();
        auto page = [&](const QString &name, const QString &tag) -> QImage {
            TicketPrintRow r = base;
            r.name = name;
            const QString path = writeFile(QStringLiteral("rare-%1.pdf").arg(tag), pdfFor({r}, 1));
            const QStringList pages = renderPages(path, path + QStringLiteral(".pages"), 100);
            return pages.size() == 1 ? QImage(pages.front()) : QImage();
        };
        auto difference = [](const QImage &a, const QImage &b) -> qint64 {
            qint64 d = 0;
            for (int y = 0; y < a.height(); ++y)
                for (int x = 0; x < a.width(); ++x)
                    d += std::abs(qGray(a.pixel(x, y)) - qGray(b.pixel(x, y)));
            return d;
        };
        const QString box = QString::fromUcs4(U"\U0002FFFD", 1);
        for (const auto &[rare, boxed, tag] : {std::tuple{QStringLiteral("李𪚥"), QStringLiteral("李") + box, QStringLiteral("li")},
                                               std::tuple{QStringLiteral("𠀁明"), box + QStringLiteral("明"), QStringLiteral("ming")}}) {
            const QImage withRare = page(rare, tag + QStringLiteral("-rare"));
            const QImage withBox = page(boxed, tag + QStringLiteral("-box"));
            const QImage again = page(boxed, tag + QStringLiteral("-box2"));
            QVERIFY(!withRare.isNull() && !withBox.isNull() && withRare.size() == withBox.size());
            QCOMPARE(difference(withBox, again), 0); // the same ticket renders the same
            const qint64 d = difference(withRare, withBox);
            qInfo().noquote() << rare << "differs from the missing-glyph box by" << d;
            // A CJK glyph at the name's size changes tens of thousands of grey levels.
            QVERIFY2(d > 20000, qPrintable(QStringLiteral("%1 drew as the missing-glyph box (%2)").arg(rare).arg(d)));
        }
        // pdffonts: the fallback is in the file, embedded.
        TicketPrintRow r = base;
        r.name = QStringLiteral("李𪚥");
        const QString path = writeFile(QStringLiteral("rare-fonts.pdf"), pdfFor({r}, 1));
        const Finished fonts = run(tool("pdffonts"), {path});
        QVERIFY2(fonts.ok && fonts.exitCode == 0, fonts.describe().constData());
        bool fallback = false;
        for (const QByteArray &line : fonts.out.split('\n')) {
            const QList<QByteArray> fields = line.simplified().split(' ');
            if (line.startsWith("HanaMin")) {
                fallback = true;
                QVERIFY2(fields.size() >= 6 && fields[fields.size() - 5] == "yes", line.constData());
            }
        }
        QVERIFY2(fallback, fonts.out.constData());
    }

    void nothingToPrintIsAnError()
    {
        QVERIFY(!renderTicketPdf({}, {}).ok());
        auto rows = m_store->rosters().ticketPrintRows(m_seed.otherTickets);
        QVERIFY(rows.ok());
        auto tickets = signAdmissionTickets(*rows, m_key);
        QVERIFY(tickets.ok());
        TicketPdfOptions three;
        three.perPage = 3;
        QVERIFY(!renderTicketPdf(*tickets, three).ok());
    }

    // Re-issue: the old serial revoked in the store, in the next package,
    // and refused at the kiosk with the time it was replaced.
    void reissueRevokesTheOldTicketAtTheKiosk()
    {
        const QString number = m_seed.sessionTickets[0]; // room 01, seat 1
        auto before = m_store->rosters().ticketSubject(number);
        QVERIFY(before.ok() && before->has_value());
        const QByteArray oldText = *signAdmissionTicket(
            number, (*before)->sessionId, (*before)->serial, (*before)->examDate, m_key);
        QCOMPARE((*before)->serial, 1);

        const QDateTime at(QDate(2026, 5, 30), QTime(2, 15, 42, 678), Qt::UTC); // 10:15:42 in UTC+8
        m_now = at;
        auto reissued = m_store->rosters().reissueTicket(number, QStringLiteral("office"));
        QVERIFY2(reissued.ok(), reissued.ok() ? "" : qPrintable(reissued.error().message));
        QCOMPARE(reissued->subject.serial, 2);
        QCOMPARE(reissued->revokedSerial, 1);
        QCOMPARE(reissued->revokedAt, QDateTime(QDate(2026, 5, 30), QTime(2, 15, 42), Qt::UTC));
        const QByteArray newText = *signAdmissionTicket(
            number, reissued->subject.sessionId, reissued->subject.serial, reissued->subject.examDate, m_key);
        QVERIFY(newText != oldText);
        QCOMPARE(m_verifier.verify(newText)->serial, std::uint16_t(2));

        // Stored: the serial, the revocation, the audit entry.
        auto revocations = m_store->sql().query(
            QStringLiteral("SELECT serial, revoked_at FROM ticket_revocation WHERE ticket_number = ?"),
            {number});
        QVERIFY(revocations.ok());
        QCOMPARE(revocations->rows.size(), 1);
        QCOMPARE(revocations->first()[0].toLongLong(), 1);
        QCOMPARE(parseStoreTime(revocations->first()[1].toString()), reissued->revokedAt);
        auto audit = m_store->audit().entries(5);
        QVERIFY(audit.ok());
        QCOMPARE(audit->first().action, QStringLiteral("ticket.reissue"));
        QCOMPARE(audit->first().actor, QStringLiteral("office"));
        QVERIFY(audit->first().detail.contains(number));
        auto rows = m_store->rosters().ticketPrintRows(QStringList {number});
        QVERIFY(rows.ok());
        QCOMPARE(rows->first().serial, 2);

        // The kiosk of room 01, provisioned from the next package.
        const QDate day(2026, 6, 1);
        auto site = m_store->rosters().siteIdByName(kSite);
        QVERIFY(site.ok() && site->has_value());
        auto bytes = office::buildSessionPackage(*m_store, **site, kSite, QStringLiteral("01"), day, m_key);
        QVERIFY(bytes.ok());
        auto package = protocol::decodeSessionPackage(*bytes, m_key.verifyKey());
        QVERIFY2(package.ok(), package.ok() ? "" : qPrintable(package.error()));
        // Each session's totals across every room, beside room 01's roster.
        QVERIFY(!package->sessions.isEmpty());
        for (const auto &session : package->sessions) {
            auto all = m_store->rosters().roster(session.id);
            QVERIFY(all.ok());
            QSet<QString> rooms;
            for (const auto &e : *all)
                rooms.insert(e.room);
            QCOMPARE(session.registeredCount, int(all->size()));
            QCOMPARE(session.roomCount, int(rooms.size()));
        }
        QTemporaryDir kioskDir;
        auto kioskStore = kiosk::KioskStore::create(
            {kioskDir.filePath(QStringLiteral("kiosk"))}, QStringLiteral("考点口令"), kMinKdfIterations);
        QVERIFY2(kioskStore.ok(), kioskStore.ok() ? "" : qPrintable(kioskStore.error().message));
        QVERIFY(
            kioskStore
                ->setIdentity({QStringLiteral("K01"), kSite, QStringLiteral("01"), m_key.verifyKey().raw()})
                .ok());
        QVERIFY(kioskStore->provision(*package).ok());
        kiosk::CheckInService service(*kioskStore, [&] { return QDateTime(day, QTime(8, 40), kCst); });

        const auto refused = service.scan(oldText);
        QCOMPARE(refused.result, kiosk::ScanResult::Revoked);
        QCOMPARE(refused.replacedAt, reissued->revokedAt); // what the store keeps is what the kiosk shows
        // The kiosk core gives the fact; its card says it in exam time (the view model's words).
        QCOMPARE(examClock(refused.replacedAt, QStringLiteral("M月d日 HH:mm")), QStringLiteral("5月30日 10:15"));
        const auto admitted = service.scan(newText);
        QVERIFY2(admitted.success(), qPrintable(kiosk::scanResultCode(admitted.result)));
        QCOMPARE(admitted.candidate->ticketNumber, number);
        // Someone else's first ticket is untouched.
        auto other = m_store->rosters().ticketSubject(m_seed.sessionTickets[1]);
        QVERIFY(other.ok() && other->has_value());
        QVERIFY(
            service.scan(*signAdmissionTicket(m_seed.sessionTickets[1], (*other)->sessionId, 1, day, m_key))
                .success());

        // Again: serial 3; serials 1 and 2 both revoked.
        m_now = at.addSecs(3600);
        auto again = m_store->rosters().reissueTicket(number, QStringLiteral("office"));
        QVERIFY(again.ok());
        QCOMPARE(again->subject.serial, 3);
        QCOMPARE(again->revokedSerial, 2);
        auto day2 = m_store->rosters().kioskDay(**site, QStringLiteral("01"), day);
        QVERIFY(day2.ok());
        QCOMPARE(day2->revoked.size(), 2);
        // An unknown ticket changes nothing.
        auto unknown = m_store->rosters().reissueTicket(QStringLiteral("NOPE-1"), QStringLiteral("office"));
        QVERIFY(!unknown.ok());
        QCOMPARE(unknown.error().code, StoreError::Code::DatabaseMissing);
    }

    // Packages never go backwards (issue #17, finding 2): each carries its
    // day and a number from the store that grows whenever its content
    // changes, even with the server's clock set back; the same content keeps
    // its number (and ETag). A kiosk holding the package made after a
    // re-issue refuses the one made before it, so the revoked serial stays
    // refused.
    void anOlderPackageCannotBringBackARevokedTicket()
    {
        const QDate day(2026, 6, 1);
        const QString number = m_seed.sessionTickets[0]; // room 01
        auto site = m_store->rosters().siteIdByName(kSite);
        QVERIFY(site.ok() && site->has_value());
        auto build = [&](const QString &room, QByteArray *tag = nullptr) {
            auto bytes = office::buildSessionPackage(*m_store, **site, kSite, room, day, m_key, tag);
            if (!bytes)
                qFatal("package: %s", qPrintable(bytes.error().message));
            return *bytes;
        };
        auto decoded = [&](const QByteArray &bytes) { return *protocol::decodeSessionPackage(bytes, m_key.verifyKey()); };

        m_now = QDateTime(QDate(2026, 5, 30), QTime(2, 0), Qt::UTC);
        QByteArray firstTag, againTag;
        const QByteArray firstBytes = build(QStringLiteral("01"), &firstTag);
        const protocol::SessionPackage first = decoded(firstBytes);
        QVERIFY(first.version.isSet());
        QCOMPARE(first.version.day, day);
        // Delivered again, unchanged: the same version and ETag, later generation time.
        m_now = m_now.addSecs(600);
        const protocol::SessionPackage again = decoded(build(QStringLiteral("01"), &againTag));
        QCOMPARE(again.version, first.version);
        QCOMPARE(againTag, firstTag);
        QVERIFY(again.generatedAt > first.generatedAt);

        // The server's clock set back a day, then the ticket re-issued: the
        // next package is newer all the same (its generation time is not).
        m_now = m_now.addDays(-1);
        auto before = m_store->rosters().ticketSubject(number);
        QVERIFY(before.ok() && before->has_value());
        const QByteArray oldText
            = *signAdmissionTicket(number, (*before)->sessionId, (*before)->serial, (*before)->examDate, m_key);
        QVERIFY(m_store->rosters().reissueTicket(number, QStringLiteral("office")).ok());
        const protocol::SessionPackage second = decoded(build(QStringLiteral("01")));
        QVERIFY(second.generatedAt < first.generatedAt);
        QVERIFY2(first.version.isOlderThan(second.version),
            qPrintable(QStringLiteral("%1 then %2").arg(first.version.number).arg(second.version.number)));
        QVERIFY(!second.version.isOlderThan(first.version));
        // Another room's package, made next, takes the next number: one
        // counter for the whole server, never one number twice.
        const protocol::SessionPackage otherRoom = decoded(build(QStringLiteral("02")));
        QVERIFY(second.version.isOlderThan(otherRoom.version));
        QCOMPARE(decoded(build(QStringLiteral("01"))).version, second.version);

        // The kiosk of room 01 holds the package made after the re-issue.
        QTemporaryDir kioskDir;
        auto kioskStore = kiosk::KioskStore::create(
            {kioskDir.filePath(QStringLiteral("kiosk"))}, QStringLiteral("考点口令"), kMinKdfIterations);
        QVERIFY(kioskStore.ok());
        QVERIFY(kioskStore->setIdentity({QStringLiteral("K01"), kSite, QStringLiteral("01"), m_key.verifyKey().raw()})
                    .ok());
        QVERIFY(kioskStore->provision(second).ok());
        kiosk::CheckInService service(*kioskStore, [&] { return QDateTime(day, QTime(8, 40), kCst); });
        QCOMPARE(service.scan(oldText).result, kiosk::ScanResult::Revoked);
        // The copy made before the re-issue (validly signed) is refused; the
        // old serial stays revoked.
        auto refused = kioskStore->provision(decoded(firstBytes));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, StoreError::Code::Refused);
        QCOMPARE(kioskStore->package().version, second.version);
        service.reload();
        QCOMPARE(service.scan(oldText).result, kiosk::ScanResult::Revoked);
        // The same package again is taken.
        QVERIFY(kioskStore->provision(second).ok());
    }

    void apiServesTicketsToTheOfficeOnly()
    {
        QVERIFY(m_store
                    ->accounts().addUser(
                        QStringLiteral("office"), hashPassword(kPassword), Role::Admin, std::nullopt, "test")
                    .ok());
        QVERIFY(m_store
                    ->accounts().addUser(QStringLiteral("college-a"), hashPassword(kPassword), Role::CollegeViewer,
                        m_seed.college, "test")
                    .ok());
        QVERIFY(m_store
                    ->accounts().addUser(QStringLiteral("college-b"), hashPassword(kPassword), Role::CollegeViewer,
                        m_seed.otherCollege, "test")
                    .ok());
        const QDateTime now(QDate(2026, 5, 31), QTime(1, 2, 3), Qt::UTC);
        StorePool pool(m_location, [now] { return now; });
        ApiConfig config;
        config.ticketKey = m_key;
        Api api(pool, config);
        auto request = [](const QByteArray &method, const QByteArray &target, const QByteArray &cookie = {},
                           const QByteArray &csrf = {}, const QJsonObject &body = {}) {
            HttpRequest r;
            r.method = method;
            r.target = target;
            r.peerAddress = QStringLiteral("127.0.0.1");
            r.headers.insert("host", "kaodian.test");
            if (method != "GET") {
                r.headers.insert("content-type", "application/json");
                r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
            }
            if (!cookie.isEmpty())
                r.headers.insert("cookie", "kd_session=" + cookie);
            if (!csrf.isEmpty())
                r.headers.insert("x-csrf-token", csrf);
            return r;
        };
        auto login = [&](const QString &user) {
            const auto r = api.handle(
                request("POST", "/api/v1/login", {}, {}, {{"username", user}, {"password", kPassword}}));
            QByteArray cookie;
            for (const auto &[k, v] : r.headers)
                if (k == "Set-Cookie")
                    cookie = v.split(';').first().mid(int(qstrlen("kd_session=")));
            return std::pair {
                cookie, QJsonDocument::fromJson(r.body).object().value("csrf_token").toString().toLatin1()};
        };
        const auto office = login(QStringLiteral("office"));
        const auto collegeA = login(QStringLiteral("college-a"));
        const auto collegeB = login(QStringLiteral("college-b"));
        QVERIFY(!office.first.isEmpty() && !collegeA.first.isEmpty() && !collegeB.first.isEmpty());
        const QByteArray pdfPath = "/api/v1/sessions/" + QByteArray::number(m_seed.session) + "/tickets.pdf";
        const QString number = m_seed.sessionTickets[3];
        const QByteArray pngPath = "/api/v1/tickets/" + number.toLatin1() + ".png";
        const QByteArray reissuePath = "/api/v1/tickets/" + number.toLatin1() + "/reissue";

        // Who may.
        QCOMPARE(api.handle(request("GET", pdfPath)).status, 401);
        QCOMPARE(api.handle(request("GET", pdfPath, collegeA.first)).status, 403); // own college: read-only
        QCOMPARE(api.handle(request("GET", pdfPath, collegeB.first)).status,
            404); // another college's: no such session
        QCOMPARE(api.handle(request("GET", pngPath, collegeA.first)).status, 403);
        QCOMPARE(api.handle(request("POST", reissuePath, collegeA.first, collegeA.second)).status, 403);
        QCOMPARE(api.handle(request("GET", pdfPath + "?per_page=3", office.first)).status, 400);

        // The print button: a PDF of the session, 2 a page.
        const auto pdf = api.handle(request("GET", pdfPath + "?per_page=2", office.first));
        QCOMPARE(pdf.status, 200);
        QCOMPARE(pdf.contentType, QByteArray("application/pdf"));
        QVERIFY(pdf.body.startsWith("%PDF-"));
        bool attachment = false;
        for (const auto &[k, v] : pdf.headers)
            attachment = attachment || (k == "Content-Disposition" && v.contains("attachment"));
        QVERIFY(attachment);
        const QString pdfFile = writeFile(QStringLiteral("api.pdf"), pdf.body);
        const Finished info = run(tool("pdfinfo"), {pdfFile});
        QVERIFY2(QString::fromUtf8(info.out).contains(QRegularExpression(QStringLiteral("Pages:\\s+20\\n"))),
            info.out.constData());
        const QStringList firstPage
            = renderPages(pdfFile, m_dir->filePath(QStringLiteral("api-pages")), 150).mid(0, 1);
        QCOMPARE(firstPage.size(), 1);
        QCOMPARE(zbarDecode(firstPage.first()).size(), 2);

        // The phone image: a QR that verifies, for this ticket and serial.
        const auto png = api.handle(request("GET", pngPath, office.first));
        QCOMPARE(png.status, 200);
        QCOMPARE(png.contentType, QByteArray("image/png"));
        const QImage image = QImage::fromData(png.body, "PNG");
        QVERIFY(!image.isNull());
        QList<QByteArray> texts = qr::decode(image);
        QCOMPARE(texts.size(), 1);
        auto claims = m_verifier.verify(texts.first());
        QVERIFY(claims.ok());
        QCOMPARE(claims->ticketNumber, number);
        QCOMPARE(claims->serial, std::uint16_t(1));
        QCOMPARE(zbarDecode(writeFile(QStringLiteral("phone.png"), png.body)), texts);
        QCOMPARE(api.handle(request("GET", "/api/v1/tickets/NOPE-1.png", office.first)).status, 404);

        // Re-issue: CSRF, then a new serial and its QR text.
        const auto noCsrf = api.handle(request("POST", reissuePath, office.first));
        QCOMPARE(noCsrf.status, 403);
        QCOMPARE(QJsonDocument::fromJson(noCsrf.body).object()["error"].toObject()["code"].toString(),
            QStringLiteral("csrf"));
        const auto reissued = api.handle(request("POST", reissuePath, office.first, office.second));
        QCOMPARE(reissued.status, 200);
        const QJsonObject body = QJsonDocument::fromJson(reissued.body).object();
        QCOMPARE(body["ticket_number"].toString(), number);
        QCOMPARE(body["serial"].toInt(), 2);
        QCOMPARE(body["revoked_serial"].toInt(), 1);
        QCOMPARE(body["revoked_at"].toString(), QStringLiteral("2026-05-31T01:02:03Z"));
        const QByteArray newText = body["qr_text"].toString().toLatin1();
        QCOMPARE(m_verifier.verify(newText)->serial, std::uint16_t(2));
        QCOMPARE(
            api.handle(request("POST", "/api/v1/tickets/NOPE-1/reissue", office.first, office.second)).status,
            404);
        // The phone image now carries the new serial.
        texts = qr::decode(QImage::fromData(api.handle(request("GET", pngPath, office.first)).body, "PNG"));
        QCOMPARE(texts, QList<QByteArray> {newText});

        // Audited, with who did it.
        auto audit = m_store->audit().entries(50);
        QVERIFY(audit.ok());
        QSet<QString> actions;
        for (const auto &e : *audit)
            if (e.actor == QLatin1String("office"))
                actions.insert(e.action);
        QVERIFY(actions.contains(QStringLiteral("ticket.print")));
        QVERIFY(actions.contains(QStringLiteral("ticket.image")));
        QVERIFY(actions.contains(QStringLiteral("ticket.reissue")));
    }

    // The commands of the real binary (its QGuiApplication, offscreen).
    void cliPrintsAndReissues()
    {
        // A data folder made by `init`, with the seed in its store.
        const QString data = m_dir->filePath(QStringLiteral("cli"));
        std::unique_ptr<TestPgDatabase> pg;
        QStringList initArgs {QStringLiteral("init"), QStringLiteral("--data"), data};
        if (m_postgres) {
            pg = std::make_unique<TestPgDatabase>();
            QVERIFY2(pg->ok(), qPrintable(pg->error()));
            initArgs << QStringLiteral("--postgres") << pg->url();
        }
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("KAODIAN_POSTGRES_URL"));
        env.remove(QStringLiteral("QT_QPA_PLATFORM")); // the binary chooses offscreen itself
        env.insert(QStringLiteral("KAODIAN_ADMIN_PASSWORD"), QStringLiteral("cli-Admin-Passw0rd"));
        const QString binary = QStringLiteral(KAODIAN_SERVER_BINARY);
        const Finished init = run(binary, initArgs, env);
        QVERIFY2(init.ok && init.exitCode == 0, init.describe().constData());
        Seeded seeded;
        {
            auto store = ServerStore::open({data, pg ? pg->url() : QString()});
            QVERIFY(store.ok());
            seeded = seed(**store);
        }
        QFile keyFile(QDir(data).filePath(QStringLiteral("ticket-signing.pem")));
        QVERIFY(keyFile.open(QIODevice::ReadOnly));
        const auto key = SigningKey::fromPem(keyFile.readAll());
        QVERIFY(key.has_value());
        TicketVerifier verifier;
        verifier.addKey(key->verifyKey());
        auto server = [&](QStringList args) {
            args.insert(1, data);
            args.insert(1, QStringLiteral("--data"));
            return run(binary, args, env);
        };

        // A session, 4 a page (the default): every code read, every one verifies.
        const QString sessionPdf = m_dir->filePath(QStringLiteral("cli-session.pdf"));
        const Finished tickets = server({QStringLiteral("tickets"), QStringLiteral("--session"),
            QString::number(seeded.session), QStringLiteral("--out"), sessionPdf});
        QVERIFY2(tickets.ok && tickets.exitCode == 0, tickets.describe().constData());
        QVERIFY2(tickets.out.contains("wrote 40 admission tickets on 10 pages"), tickets.out.constData());
        QVERIFY2(!tickets.err.contains("XDG_RUNTIME_DIR"), tickets.err.constData());
        QStringList seen;
        for (const QString &page : renderPages(sessionPdf, sessionPdf + QStringLiteral(".pages"), 150))
            for (const QByteArray &text : zbarDecode(page)) {
                auto claims = verifier.verify(text);
                QVERIFY2(claims.ok(), text.constData());
                QCOMPARE(static_cast<Id>(claims->sessionId), seeded.session);
                seen.push_back(claims->ticketNumber);
            }
        QCOMPARE(seen.size(), kSessionSize);
        QCOMPARE(asSet(seen), asSet(seeded.sessionTickets));

        // Chosen candidates, one a page; repeated and comma-separated numbers.
        const QString chosenPdf = m_dir->filePath(QStringLiteral("cli-chosen.pdf"));
        const Finished chosen = server({QStringLiteral("tickets"), QStringLiteral("--ticket-number"),
            seeded.otherTickets[0] + QLatin1Char(',') + seeded.otherTickets[1],
            QStringLiteral("--ticket-number"), seeded.sessionTickets[7], QStringLiteral("--per-page"),
            QStringLiteral("1"), QStringLiteral("--out"), chosenPdf});
        QVERIFY2(chosen.ok && chosen.exitCode == 0, chosen.describe().constData());
        QVERIFY2(chosen.out.contains("wrote 3 admission tickets on 3 pages"), chosen.out.constData());

        // Refusals, with the reason.
        const Finished both = server({QStringLiteral("tickets"), QStringLiteral("--session"),
            QString::number(seeded.session), QStringLiteral("--ticket-number"), seeded.otherTickets[0],
            QStringLiteral("--out"), chosenPdf});
        QCOMPARE(both.exitCode, 1);
        const Finished perPage
            = server({QStringLiteral("tickets"), QStringLiteral("--session"), QString::number(seeded.session),
                QStringLiteral("--per-page"), QStringLiteral("3"), QStringLiteral("--out"), chosenPdf});
        QCOMPARE(perPage.exitCode, 1);
        QVERIFY(perPage.err.contains("--per-page must be 1, 2 or 4"));
        const Finished unknown = server({QStringLiteral("tickets"), QStringLiteral("--ticket-number"),
            QStringLiteral("NOPE-1"), QStringLiteral("--out"), chosenPdf});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY(QString::fromUtf8(unknown.err).contains(QStringLiteral("NOPE-1")));

        // Re-issue prints the new QR text; `ticket` then signs the same.
        const QString number = seeded.sessionTickets[9];
        const Finished reissue
            = server({QStringLiteral("reissue"), QStringLiteral("--ticket-number"), number});
        QVERIFY2(reissue.ok && reissue.exitCode == 0, reissue.describe().constData());
        const QByteArray newText = reissue.out.trimmed();
        auto claims = verifier.verify(newText);
        QVERIFY2(claims.ok(), reissue.out.constData());
        QCOMPARE(claims->ticketNumber, number);
        QCOMPARE(claims->serial, std::uint16_t(2));
        QVERIFY(reissue.err.contains("serial 1 revoked"));
        const Finished ticket = server({QStringLiteral("ticket"), QStringLiteral("--ticket-number"), number});
        QVERIFY2(ticket.ok && ticket.exitCode == 0, ticket.describe().constData());
        QCOMPARE(ticket.out.trimmed(), newText);
    }
};

QTEST_MAIN(TestTickets)
#include "tst_tickets.moc"
