// Candidates' photos and the site's paper (issue #15 items 1 and 5), on both
// stores: the photo ZIP imported whole or refused whole with every problem
// by file (unknown name, not an image, too small, duplicate, a damaged or
// empty archive), each photo normalised to a 300x400 JPEG and kept sealed
// (no JPEG in the store's column); the session package of a 60-seat room
// with photos under 3 MB, its photos checked against the signed roster, and
// a kiosk that holds the photos fetching only the one that changed; the
// admission tickets with the photo; and the 签到表 / 考场门贴 / 考场记录单
// read back with pdftotext (rare names, masked ID numbers, statuses and
// counts) and their photos counted with pdfimages.
// Needs poppler-utils and fonts-wqy-microhei (scripts/deps).

#include "api/api.h"
#include "auth/password.h"
#include "kiosk/core/kioskstore.h"
#include "office/packagebuilder.h"
#include "office/photos.h"
#include "office/sitepaper.h"
#include "office/tickets.h"
#include "store/serverstore.h"

#include "testpg.h"

#include <QBuffer>
#include <QDir>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <zip.h>

using namespace kaodian;
using namespace kaodian::server;
using namespace kaodian::testing;

namespace {

const QString kSite = QStringLiteral("实训楼考点");
const QDate kDay(2026, 6, 13);
constexpr int kRoomSeats = 60;

// A camera-like photo: a face-ish ellipse on a gradient, with noise, so
// it compresses like a real one (not like a flat colour).
QByteArray photoBytes(int width, int height, const char *format, quint32 seed)
{
    QImage image(width, height, QImage::Format_RGB32);
    QRandomGenerator random(seed);
    for (int y = 0; y < height; ++y) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
        for (int x = 0; x < width; ++x) {
            const int noise = int(random.bounded(40));
            line[x] = qRgb(std::min(255, 90 + x * 120 / width + noise), std::min(255, 120 + noise),
                           std::min(255, 160 + y * 80 / height + noise / 2));
        }
    }
    QPainter p(&image);
    p.setBrush(QColor(230, 190, 160));
    p.setPen(Qt::NoPen);
    p.drawEllipse(QRectF(width * 0.25, height * 0.15, width * 0.5, height * 0.55));
    p.end();
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, format, 92);
    return bytes;
}

// A ZIP of (name, bytes) written with minizip's zip.h (the product reads
// with its unzip.h: server/import/ziparchive.h).
QByteArray makeZip(const QString &path, const QList<std::pair<QString, QByteArray>> &files)
{
    zipFile zip = zipOpen64(path.toUtf8().constData(), APPEND_STATUS_CREATE);
    if (!zip)
        qFatal("zipOpen failed");
    for (const auto &[name, bytes] : files) {
        zip_fileinfo info {};
        // Flag bit 11: the name is UTF-8.
        if (zipOpenNewFileInZip4_64(zip, name.toUtf8().constData(), &info, nullptr, 0, nullptr, 0, nullptr, Z_DEFLATED,
                                    Z_DEFAULT_COMPRESSION, 0, -MAX_WBITS, DEF_MEM_LEVEL, Z_DEFAULT_STRATEGY, nullptr, 0,
                                    0, 1 << 11, 0)
                != ZIP_OK
            || zipWriteInFileInZip(zip, bytes.constData(), unsigned(bytes.size())) != ZIP_OK
            || zipCloseFileInZip(zip) != ZIP_OK)
            qFatal("writing the zip failed");
    }
    zipClose(zip, nullptr);
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return f.readAll();
}

struct Finished
{
    int exitCode = -1;
    QByteArray out, err;
};

Finished run(const QString &program, const QStringList &args)
{
    QProcess p;
    p.start(QStandardPaths::findExecutable(program), args);
    Finished f;
    if (!p.waitForStarted(10000) || !p.waitForFinished(120000))
        return f;
    f.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    f.out = p.readAllStandardOutput();
    f.err = p.readAllStandardError();
    return f;
}

qint64 insertId(ServerStore &s, const QString &sql, const QVariantList &params)
{
    auto r = s.sql().insertReturningId(sql, params);
    if (!r)
        qFatal("seed failed: %s", qPrintable(r.error().message));
    return *r;
}

struct Seeded
{
    Id site = 0, session = 0;
    QStringList tickets;   // room 01, seats 01..60
    QStringList idNumbers; // the same candidates
    QStringList names;
    Id otherRoomCandidateTicketOwner = 0;
    QString otherRoomTicket; // room 02: not on room 01's package
};

// One session: 60 candidates in room 01 (among them 李𪚥 and 买买提·艾力),
// one in room 02.
Seeded seed(ServerStore &store)
{
    Seeded s;
    SqlTransaction tx(store.sql());
    s.site = insertId(store, "INSERT INTO site (name) VALUES (?)", {kSite});
    const Id room1 = insertId(store, "INSERT INTO room (site_id, code) VALUES (?, '01')", {s.site});
    const Id room2 = insertId(store, "INSERT INTO room (site_id, code) VALUES (?, '02')", {s.site});
    const Id college = insertId(store, "INSERT INTO college (name) VALUES ('信息工程学院')", {});
    const Id major = insertId(store, "INSERT INTO major (college_id, name) VALUES (?, '软件技术')", {college});
    const Id cert = insertId(store, "INSERT INTO certificate (name) VALUES ('Web前端开发')", {});
    const Id pilot = insertId(store, "INSERT INTO pilot (college_id, certificate_id, level) VALUES (?, ?, 2)", {college, cert});
    s.session = insertId(store,
                         "INSERT INTO exam_session (pilot_id, site_id, exam_date, start_time, end_time, published_count)"
                         " VALUES (?, ?, ?, '09:00', '11:00', 61)",
                         {pilot, s.site, kDay.toString(Qt::ISODate)});
    auto add = [&](int seq, Id room, const QString &seat, const QString &name) {
        const QString idNumber = QStringLiteral("35010220040101%1").arg(seq, 4, 10, QLatin1Char('0'));
        const Id candidate = insertId(store, "INSERT INTO candidate (id_number, name, student_number, major_id) VALUES (?, ?, ?, ?)",
                                      {idNumber, name, QStringLiteral("S%1").arg(seq), major});
        const QString ticket = QStringLiteral("20260613%1").arg(seq, 5, 10, QLatin1Char('0'));
        insertId(store, "INSERT INTO registration (session_id, candidate_id, ticket_number, room_id, seat) VALUES (?, ?, ?, ?, ?)",
                 {s.session, candidate, ticket, room, seat});
        return std::pair{ticket, idNumber};
    };
    for (int i = 1; i <= kRoomSeats; ++i) {
        const QString name = i == 1 ? QStringLiteral("李𪚥") : i == 2 ? QStringLiteral("买买提·艾力") : QStringLiteral("考生%1").arg(i);
        const auto [ticket, idNumber] = add(i, room1, QStringLiteral("%1").arg(i, 2, 10, QLatin1Char('0')), name);
        s.tickets.push_back(ticket);
        s.idNumbers.push_back(idNumber);
        s.names.push_back(name);
    }
    s.otherRoomTicket = add(kRoomSeats + 1, room2, QStringLiteral("01"), QStringLiteral("隔壁考生")).first;
    if (!tx.commit())
        qFatal("seed commit failed");
    return s;
}

} // namespace

class TestPhotos : public QObject
{
    Q_OBJECT

    bool m_postgres = qgetenv("KAODIAN_TEST_STORE") == "postgres";
    std::unique_ptr<TestPgDatabase> m_pg;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ServerStore> m_store;
    StoreLocation m_location;
    Seeded m_seed;
    SigningKey m_key = *SigningKey::fromRaw(QByteArray(32, '\x0c'));
    QDateTime m_now = QDateTime(kDay, QTime(7, 30), QTimeZone(8 * 3600)).toUTC();

    QString path(const QString &name) const { return m_dir->filePath(name); }

    qint64 count(const QString &sql)
    {
        auto r = m_store->sql().query(sql);
        if (!r)
            qFatal("query failed: %s", qPrintable(r.error().message));
        return r->first().first().toLongLong();
    }

    // Every candidate of room 01 with a photo: by ID number for the odd
    // seats, by ticket number for the even, half PNG.
    QByteArray goodZip(const QString &name)
    {
        QList<std::pair<QString, QByteArray>> files;
        for (int i = 0; i < kRoomSeats; ++i) {
            const bool png = i % 4 == 1;
            const QString base = i % 2 == 0 ? m_seed.idNumbers[i] : m_seed.tickets[i];
            files.push_back({QStringLiteral("照片/%1.%2").arg(base, png ? "png" : "JPG"),
                             photoBytes(600 + i, 800 + i, png ? "PNG" : "JPEG", quint32(i + 1))});
        }
        return makeZip(path(name), files);
    }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        StoreLocation location{m_dir->path(), QString()};
        if (m_postgres) {
            m_pg = std::make_unique<TestPgDatabase>();
            QVERIFY2(m_pg->ok(), qPrintable(m_pg->error()));
            location.postgresUrl = m_pg->url();
        } else {
            QVERIFY(ServerStore::createEmbedded(m_dir->path()).ok());
        }
        m_location = location;
        auto store = ServerStore::open(location, [this] { return m_now; });
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message));
        m_store = std::move(*store);
        m_seed = seed(*m_store);
    }
    void cleanup()
    {
        m_store.reset();
        m_pg.reset();
        m_dir.reset();
    }

    void goodZipIsImportedNormalisedAndSealed()
    {
        const QByteArray zip = goodZip(QStringLiteral("good.zip"));
        auto imported = office::importPhotos(*m_store, m_key, zip, QStringLiteral("good.zip"), QStringLiteral("tester"));
        QVERIFY2(imported.ok(), qPrintable(imported.ok() ? QString() : imported.error().message));
        QCOMPARE(imported->photos, kRoomSeats);
        QCOMPARE(imported->applied.added, kRoomSeats);
        QCOMPARE(count("SELECT count(*) FROM candidate_photo"), qint64(kRoomSeats));
        // Sealed: no JPEG (nor its SOI marker) in the column, in either store.
        auto rows = m_store->sql().query(QStringLiteral("SELECT sealed FROM candidate_photo"));
        QVERIFY(rows.ok());
        for (const auto &row : rows->rows) {
            const QByteArray raw = QByteArray::fromBase64(row.first().toString().toLatin1());
            QVERIFY(!raw.contains("JFIF") && !raw.startsWith("\xff\xd8"));
        }
        // Normalised: 300x400 JPEG, at most 32 KB, whatever came in.
        QList<Id> ids;
        auto regs = m_store->sql().query(QStringLiteral("SELECT id FROM registration"));
        for (const auto &row : regs->rows)
            ids.push_back(row.first().toLongLong());
        auto photos = office::photosOf(*m_store, m_key, ids);
        QVERIFY(photos.ok());
        QCOMPARE(photos->size(), kRoomSeats);
        for (const auto &p : *photos) {
            const QImage image = QImage::fromData(p.jpeg, "JPEG");
            QCOMPARE(image.size(), QSize(office::kPhotoWidth, office::kPhotoHeight));
            QVERIFY(p.jpeg.size() <= office::kPhotoMaxBytes);
            QCOMPARE(p.sha256, office::photoSha256(p.jpeg));
        }
        // Another ticket key opens none (the photos are sealed under it).
        auto other = office::photosOf(*m_store, *SigningKey::fromRaw(QByteArray(32, '\x0d')), ids);
        QVERIFY(other.ok());
        QCOMPARE(other->size(), 0);
        // The same file again changes nothing; both audited.
        auto again = office::importPhotos(*m_store, m_key, zip, QStringLiteral("good.zip"), QStringLiteral("tester"));
        QVERIFY(again.ok());
        QCOMPARE(again->applied.unchanged, kRoomSeats);
        QCOMPARE(again->applied.added + again->applied.replaced, 0);
        QCOMPARE(count("SELECT count(*) FROM audit_log WHERE action = 'photos.imported'"), qint64(2));
    }

    void badZipsAreRefusedWholeWithEveryProblem_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("file");     // the file the problem names (empty: the archive)
        QTest::addColumn<QString>("message");  // part of the problem's words
        QTest::newRow("unknown name") << "unknown" << "110101199001011234.jpg" << "不是任何考生";
        QTest::newRow("not an image") << "text" << "%1.jpg" << "不是 JPEG 或 PNG";
        QTest::newRow("too small") << "small" << "%1.png" << "照片太小";
        QTest::newRow("duplicate") << "duplicate" << "%2.jpg" << "同一考生";
        QTest::newRow("damaged archive") << "damaged" << "" << "不是可读的 ZIP";
        QTest::newRow("no photo") << "empty" << "" << "没有照片";
    }
    void badZipsAreRefusedWholeWithEveryProblem()
    {
        QFETCH(QString, kind);
        QFETCH(QString, file);
        QFETCH(QString, message);
        const QString id0 = m_seed.idNumbers[0], ticket0 = m_seed.tickets[0];
        file.replace(QStringLiteral("%1"), id0).replace(QStringLiteral("%2"), ticket0);
        // A good photo of the second candidate rides along: refused with the rest.
        QList<std::pair<QString, QByteArray>> files{{m_seed.idNumbers[1] + ".jpg", photoBytes(300, 400, "JPEG", 7)}};
        QByteArray zip;
        if (kind == QLatin1String("unknown"))
            files.push_back({file, photoBytes(300, 400, "JPEG", 1)});
        else if (kind == QLatin1String("text"))
            files.push_back({file, QByteArray("this is a letter, not a photo")});
        else if (kind == QLatin1String("small"))
            files.push_back({file, photoBytes(120, 160, "PNG", 2)});
        else if (kind == QLatin1String("duplicate"))
        {
            files.append({id0 + ".jpg", photoBytes(300, 400, "JPEG", 3)});
            files.append({file, photoBytes(300, 400, "JPEG", 4)});
        }
        else if (kind == QLatin1String("empty"))
            files = {{QStringLiteral("__MACOSX/._x.jpg"), QByteArray("x")}};
        zip = kind == QLatin1String("damaged") ? QByteArray("PK\x03\x04 not really a zip archive at all", 36)
                                               : makeZip(path(kind + ".zip"), files);
        auto imported = office::importPhotos(*m_store, m_key, zip, kind + ".zip", QStringLiteral("tester"));
        QVERIFY(!imported.ok());
        QCOMPARE(imported.error().kind, OfficeError::Kind::Refused);
        QCOMPARE(imported.error().code, QStringLiteral("invalid_file"));
        const auto &problems = imported.error().problems;
        QCOMPARE(problems.size(), 1);
        QCOMPARE(problems.first().column, file);
        QVERIFY2(problems.first().message.contains(message), qPrintable(problems.first().message));
        QCOMPARE(count("SELECT count(*) FROM candidate_photo"), qint64(0)); // nothing, not even the good one
        QCOMPARE(count("SELECT count(*) FROM audit_log WHERE action = 'photos.refused'"), qint64(1));
    }

    // A 60-seat room's package with its photos stays under 3 MB; the photos
    // are checked against the signed roster; a kiosk holding them fetches
    // only the one photo that changed.
    void roomPackageCarriesPhotosUnder3MbAndOnlyChangedOnesTravel()
    {
        QVERIFY(office::importPhotos(*m_store, m_key, goodZip(QStringLiteral("good.zip")), QStringLiteral("good.zip"),
                                     QStringLiteral("tester")));
        auto withPhotos = office::buildSessionPackage(*m_store, m_seed.site, kSite, QStringLiteral("01"), kDay, m_key,
                                                      nullptr, office::PackagePhotos::Included);
        QVERIFY(withPhotos.ok());
        qInfo() << "60-seat package with photos:" << withPhotos->size() << "bytes";
        QVERIFY2(withPhotos->size() < 3'000'000, qPrintable(QString::number(withPhotos->size())));
        auto decoded = protocol::decodeSessionPackage(*withPhotos, m_key.verifyKey());
        QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error()));
        QCOMPARE(decoded->roster.size(), kRoomSeats);
        QCOMPARE(decoded->photos.size(), kRoomSeats);
        for (const auto &c : decoded->roster)
            QVERIFY(protocol::photoMatches(c.photoSha256, decoded->photos.value(c.photoSha256)));

        // A photo swapped in the file (outside the signature) is refused.
        {
            protocol::SessionPackage forged = *decoded;
            const QString victim = forged.roster.first().photoSha256;
            forged.photos[victim] = forged.photos.value(forged.roster.last().photoSha256);
            const QByteArray bytes = protocol::encodeSessionPackage(forged, m_key);
            auto refused = protocol::decodeSessionPackage(bytes, m_key.verifyKey());
            QVERIFY(!refused.ok());
            QVERIFY(refused.error().contains(QStringLiteral("照片")));
        }

        // The API's package names the photos only.
        auto namesOnly = office::buildSessionPackage(*m_store, m_seed.site, kSite, QStringLiteral("01"), kDay, m_key);
        QVERIFY(namesOnly.ok());
        QVERIFY(namesOnly->size() < 100'000);
        auto light = protocol::decodeSessionPackage(*namesOnly, m_key.verifyKey());
        QVERIFY(light.ok());
        QVERIFY(light->photos.isEmpty());

        // A kiosk provisioned with it lacks all 60; fetched, it lacks none.
        QTemporaryDir kioskDir;
        auto kiosk = kiosk::KioskStore::create({kioskDir.path()}, QStringLiteral("kiosk-passphrase-1"), kMinKdfIterations);
        QVERIFY(kiosk.ok());
        QVERIFY(kiosk->provision(*light).ok());
        QCOMPARE(kiosk->missingPhotos().size(), kRoomSeats);
        // The server answers only photos of the kiosk's own roster: not room 02's.
        QVERIFY(office::importPhotos(*m_store, m_key,
                                     makeZip(path("other.zip"), {{m_seed.otherRoomTicket + ".jpg", photoBytes(300, 400, "JPEG", 99)}}),
                                     QStringLiteral("other.zip"), QStringLiteral("tester")));
        auto otherRoom = office::buildSessionPackage(*m_store, m_seed.site, kSite, QStringLiteral("02"), kDay, m_key);
        QVERIFY(otherRoom.ok());
        auto otherPackage = protocol::decodeSessionPackage(*otherRoom, m_key.verifyKey());
        QVERIFY(otherPackage.ok());
        const QString otherSha = (*otherPackage).roster.first().photoSha256;
        QVERIFY(!otherSha.isEmpty());
        QStringList asked = kiosk->missingPhotos();
        asked.push_back(otherSha);
        auto fetched = office::kioskPhotos(*m_store, m_seed.site, QStringLiteral("01"), kDay, m_key, asked);
        QVERIFY(fetched.ok());
        QCOMPARE(fetched->size(), kRoomSeats);
        QVERIFY(!fetched->contains(otherSha));
        QVERIFY(kiosk->addPhotos(*fetched).ok());
        QCOMPARE(kiosk->missingPhotos().size(), 0);
        QCOMPARE(kiosk->photo(light->roster.first().photoSha256), fetched->value(light->roster.first().photoSha256));

        // One candidate's photo replaced: the next package names a new
        // hash for that candidate only, and only that photo is missing.
        QVERIFY(office::importPhotos(*m_store, m_key,
                                     makeZip(path("one.zip"), {{m_seed.tickets[5] + ".jpg", photoBytes(500, 700, "JPEG", 1234)}}),
                                     QStringLiteral("one.zip"), QStringLiteral("tester")));
        auto next = office::buildSessionPackage(*m_store, m_seed.site, kSite, QStringLiteral("01"), kDay, m_key);
        auto nextPackage = protocol::decodeSessionPackage(*next, m_key.verifyKey());
        QVERIFY(nextPackage.ok());
        QVERIFY(kiosk->provision(*nextPackage).ok());
        const QStringList missing = kiosk->missingPhotos();
        QCOMPARE(missing.size(), 1);
        QCOMPARE(missing.first(), nextPackage->roster[5].photoSha256);
        // The replaced photo is gone from the kiosk (its day's roster no longer names it).
        QVERIFY(kiosk->photo(light->roster[5].photoSha256).isEmpty());
        // Erasing the roster (a revoked kiosk) erases the photos.
        QVERIFY(kiosk->eraseRoster().ok());
        QVERIFY(kiosk->photo(light->roster.first().photoSha256).isEmpty());
    }

    // Tickets print the photo; a candidate without one gets 无照片.
    void ticketsPrintThePhoto()
    {
        QVERIFY(office::importPhotos(*m_store, m_key,
                                     makeZip(path("two.zip"), {{m_seed.idNumbers[0] + ".jpg", photoBytes(600, 800, "JPEG", 5)},
                                                               {m_seed.tickets[1] + ".png", photoBytes(600, 800, "PNG", 6)}}),
                                     QStringLiteral("two.zip"), QStringLiteral("tester")));
        office::TicketSelection which;
        which.ticketNumbers = {m_seed.tickets[0], m_seed.tickets[1], m_seed.tickets[2]};
        auto printed = office::printTickets(*m_store, m_key, which, 4, QStringLiteral("tester"));
        QVERIFY2(printed.ok(), qPrintable(printed.ok() ? QString() : printed.error().message));
        const QString pdf = path("tickets.pdf");
        QFile f(pdf);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(printed->pdf);
        f.close();
        const Finished images = run("pdfimages", {"-list", pdf});
        QCOMPARE(images.exitCode, 0);
        QCOMPARE(int(images.out.count("\n")) - 2, 2); // two header lines, then one line per image
        const Finished text = run("pdftotext", {pdf, "-"});
        QCOMPARE(int(text.out.count(QStringLiteral("无照片").toUtf8())), 1);
        QVERIFY(text.out.contains(QStringLiteral("买买提·艾力").toUtf8()));
    }

    // The same through the API, in process: the office imports the ZIP and
    // prints the paper; a kiosk of room 01 gets its own room's photos only.
    void throughTheApi()
    {
        QVERIFY(m_store->accounts().addUser("office", hashPassword(QStringLiteral("correct-horse-battery")), Role::Admin,
                                            std::nullopt, "test"));
        auto room = m_store->rosters().roomId(m_seed.site, QStringLiteral("01"));
        QVERIFY(room.ok() && room->has_value());
        const QString secret = randomToken();
        KioskRecord k;
        k.id = QStringLiteral("K-PHOTO");
        k.name = k.id;
        k.siteId = m_seed.site;
        k.roomId = **room;
        k.credentialHash = sha256Hex(secret.toLatin1());
        QVERIFY(m_store->kiosks().enrol(k, "test").ok());
        StorePool pool(m_location, [this] { return m_now; });
        ApiConfig config;
        config.ticketKey = m_key;
        Api api(pool, config);
        auto request = [](const QByteArray &method, const QByteArray &target, const QByteArray &body = {}) {
            HttpRequest r;
            r.method = method;
            r.target = target;
            r.peerAddress = QStringLiteral("127.0.0.1");
            r.headers.insert("host", "kaodian.test");
            r.body = body;
            return r;
        };
        auto login = request("POST", "/api/v1/login", R"({"username":"office","password":"correct-horse-battery"})");
        login.headers.insert("content-type", "application/json");
        const auto in = api.handle(login);
        QCOMPARE(in.status, 200);
        QByteArray cookie;
        for (const auto &[name, value] : in.headers)
            if (name == "Set-Cookie")
                cookie = value.left(value.indexOf(';'));
        const QByteArray csrf = QJsonDocument::fromJson(in.body).object().value("csrf_token").toString().toLatin1();
        auto office = [&](HttpRequest r) {
            r.headers.insert("cookie", cookie);
            r.headers.insert("x-csrf-token", csrf);
            return api.handle(r);
        };
        // A bad ZIP: 400 invalid_file, the file named in the problem.
        const auto bad = office(request("POST", "/api/v1/imports/photos?file_name=bad.zip",
                                        makeZip(path("bad.zip"), {{"nobody.jpg", photoBytes(300, 400, "JPEG", 1)}})));
        QCOMPARE(bad.status, 400);
        const QJsonObject badBody = QJsonDocument::fromJson(bad.body).object();
        QCOMPARE(badBody.value("error").toObject().value("code").toString(), QStringLiteral("invalid_file"));
        QCOMPARE(badBody.value("problems").toArray().first().toObject().value("column").toString(),
                 QStringLiteral("nobody.jpg"));
        // The good one: every photo.
        const auto good = office(request("POST", "/api/v1/imports/photos?file_name=good.zip", goodZip("good.zip")));
        QCOMPARE(good.status, 200);
        QCOMPARE(QJsonDocument::fromJson(good.body).object().value("added").toInt(), kRoomSeats);
        // The paper: a PDF for each kind, 404 for another.
        for (const char *kind : {"signin", "door", "record"}) {
            const auto pdf = office(request("GET", "/api/v1/sessions/" + QByteArray::number(m_seed.session) + "/paper/"
                                                       + kind + ".pdf?room=01"));
            QCOMPARE(pdf.status, 200);
            QVERIFY(pdf.body.startsWith("%PDF"));
        }
        QCOMPARE(office(request("GET", "/api/v1/sessions/" + QByteArray::number(m_seed.session) + "/paper/seating.pdf"))
                     .status,
                 404);
        // The kiosk: its package names 60 photos; asked for them and for a
        // stranger's hash, it gets its 60.
        auto asKiosk = [&](HttpRequest r) {
            r.headers.insert("authorization", "Bearer " + k.id.toLatin1() + '.' + secret.toLatin1());
            return api.handle(r);
        };
        const auto package = asKiosk(request("GET", "/api/v1/kiosk/package?date=2026-06-13"));
        QCOMPARE(package.status, 200);
        auto decoded = protocol::decodeSessionPackage(package.body, m_key.verifyKey());
        QVERIFY(decoded.ok());
        QVERIFY((*decoded).photos.isEmpty());
        QJsonArray wanted;
        for (const QString &sha : protocol::rosterPhotoHashes((*decoded).roster))
            wanted.append(sha);
        QCOMPARE(wanted.size(), kRoomSeats);
        wanted.append(QString(64, QLatin1Char('0')));
        auto ask = request("POST", "/api/v1/kiosk/photos?date=2026-06-13",
                           QJsonDocument(QJsonObject{{"sha256", wanted}}).toJson(QJsonDocument::Compact));
        ask.headers.insert("content-type", "application/json");
        const auto photos = asKiosk(ask);
        QCOMPARE(photos.status, 200);
        const QJsonObject given = QJsonDocument::fromJson(photos.body).object().value("photos").toObject();
        QCOMPARE(given.size(), kRoomSeats);
        for (auto it = given.constBegin(); it != given.constEnd(); ++it)
            QVERIFY(protocol::photoMatches(it.key(), QByteArray::fromBase64(it.value().toString().toLatin1())));
    }

    void sitePaperReadsBack()
    {
        QVERIFY(office::importPhotos(*m_store, m_key, goodZip(QStringLiteral("good.zip")), QStringLiteral("good.zip"),
                                     QStringLiteral("tester")));
        // After the exam: seat 01 on time, 02 late, 03 absent, 04 excused, the rest not seen.
        m_now = m_now.addDays(1);
        auto set = [&](int seat, int attendance, int late) {
            QVERIFY(m_store->sql()
                        .query(QStringLiteral("UPDATE registration SET attendance = ?, late = ?, checked_in_at = ?,"
                                              " active_checkins = ? WHERE ticket_number = ?"),
                               {attendance, late,
                                attendance == 1 ? QVariant(QStringLiteral("2026-06-13T01:0%1:00.000Z").arg(seat)) : QVariant(),
                                attendance == 1 ? 1 : 0, m_seed.tickets[seat - 1]})
                        .ok());
        };
        set(1, 1, 0);
        set(2, 1, 1);
        set(3, 2, 0);
        set(4, 3, 0);
        auto write = [&](office::SitePaperKind kind, const QString &name) {
            auto printed = office::printSitePaper(*m_store, m_key, kind, m_seed.session, QStringLiteral("01"),
                                                  QStringLiteral("tester"));
            if (!printed)
                qWarning() << printed.error().message;
            QFile f(path(name));
            f.open(QIODevice::WriteOnly);
            f.write(printed ? printed->pdf : QByteArray());
            return path(name);
        };
        const QString signin = write(office::SitePaperKind::SignIn, "signin.pdf");
        const QString door = write(office::SitePaperKind::Door, "door.pdf");
        const QString record = write(office::SitePaperKind::Record, "record.pdf");
        // KAODIAN_SCREENSHOT_DIR: the first page of each, for the README.
        if (const QString shots = qEnvironmentVariable("KAODIAN_SCREENSHOT_DIR"); !shots.isEmpty())
            for (const auto &[pdf, name] : {std::pair{signin, "paper-signin"}, std::pair{door, "paper-door"},
                                            std::pair{record, "paper-record"}})
                run("pdftoppm", {"-r", "70", "-f", "1", "-l", "1", "-singlefile", "-png", pdf,
                                 QDir(shots).filePath(QString::fromLatin1(name))});
        auto text = [](const QString &pdf) {
            return QString::fromUtf8(run("pdftotext", {"-layout", pdf, "-"}).out);
        };
        const QString s = text(signin), d = text(door), r = text(record);
        for (const QString &t : {s, d, r})
            QVERIFY(t.contains(QStringLiteral("Web前端开发（中级）")));
        // Every name on the sheet and the door list (the record names the absent only).
        for (const QString &t : {s, d})
            QVERIFY2(t.contains(QStringLiteral("买买提·艾力")), qPrintable(t.left(600)));
        // 李𪚥: 𪚥 (U+2A6A5) is drawn from the embedded fallback (HanaMin);
        // pdftotext cannot give it back (Qt writes no Unicode mapping for a
        // character beyond the BMP), so the text shows 李 and the fonts the
        // fallback.
        QVERIFY(s.contains(QStringLiteral("李")) && d.contains(QRegularExpression(QStringLiteral("01\\s+李"))));
        for (const QString &pdf : {signin, door})
            QVERIFY(run("pdffonts", {pdf}).out.contains("HanaMin"));
        // The sign-in sheet: masked ID numbers only, ticket numbers, the
        // statuses now that the exam is held, a photo for every seat.
        QVERIFY(s.contains(QStringLiteral("考生签名")));
        QVERIFY(s.contains(QStringLiteral("3501**********0001")));
        for (const QString &full : m_seed.idNumbers)
            QVERIFY(!s.contains(full) && !d.contains(full) && !r.contains(full));
        QVERIFY(s.contains(m_seed.tickets[59]));
        QVERIFY(s.contains(QStringLiteral("迟到签到")));
        QVERIFY(s.contains(QStringLiteral("缺考")));
        const Finished images = run("pdfimages", {"-list", signin});
        QCOMPARE(int(images.out.count("\n")) - 2, kRoomSeats);
        // The door list: the room in large type and every seat.
        QVERIFY(d.contains(QStringLiteral("第 01 考场")));
        QVERIFY(d.contains(QStringLiteral("考生60")));
        QCOMPARE(int(run("pdfimages", {"-list", door}).out.count("\n")) - 2, 0);
        // The room record: the counts, the absentees by name, signature lines.
        QVERIFY(r.contains(QStringLiteral("应到")));
        const QString counts = r.section(QStringLiteral("请假/免考"), 1).left(200).simplified();
        QVERIFY2(counts.startsWith(QStringLiteral("60 2 1 57 1")), qPrintable(counts));
        QVERIFY(r.contains(QStringLiteral("03 号 考生3（缺考）")));
        QVERIFY(r.contains(QStringLiteral("监考员签名")));
        QVERIFY(r.contains(QStringLiteral("尚未签收")));
        QCOMPARE(count("SELECT count(*) FROM audit_log WHERE action = 'paper.print'"), qint64(3));
        // Every room of the session when no room is named; an unknown room is NotFound.
        auto all = office::printSitePaper(*m_store, m_key, office::SitePaperKind::Door, m_seed.session, QString(),
                                          QStringLiteral("tester"));
        QVERIFY(all.ok());
        QCOMPARE(all->rooms, 2);
        auto none = office::printSitePaper(*m_store, m_key, office::SitePaperKind::Door, m_seed.session,
                                           QStringLiteral("99"), QStringLiteral("tester"));
        QVERIFY(!none.ok());
        QCOMPARE(none.error().kind, OfficeError::Kind::NotFound);
    }
};

QTEST_MAIN(TestPhotos)
#include "tst_photos.moc"
