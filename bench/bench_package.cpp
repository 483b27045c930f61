// The session package of a 60-seat room with photos (targets: under 3 MB,
// downloaded and verified under 1 s): a kiosk's first contact over real TLS
// on loopback (certificate pinned) — the package, then the 60 photos it
// lacks (POST /api/v1/kiosk/photos), each checked against the signed
// roster and kept in the kiosk's SQLCipher store — and the next contact
// after one candidate's photo changed, which must bring that photo only.
// Beside them, from the same run: the USB file carrying every photo (its
// size), and the floor of the verification itself (Ed25519 over the body,
// SHA-256 over the photos, decoding the file) in process.
//
// Usage: bench_package [--seats N] [--runs N]

#include "api/api.h"
#include "auth/password.h"
#include "http/tlscert.h"
#include "kiosk/sync/syncclient.h"
#include "office/packagebuilder.h"
#include "office/photos.h"

#include <QBuffer>
#include <QDir>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTimeZone>

#include <atomic>
#include <cstdio>

using namespace kaodian;
using namespace kaodian::kiosk;
using namespace kaodian::server;

namespace {

const QString kSite = QStringLiteral("实训楼考点");
const QDate kDay(2026, 6, 13);

[[noreturn]] void die(const QString &message)
{
    std::fprintf(stderr, "bench_package: %s\n", qPrintable(message));
    std::exit(1);
}

// The worst photo for size: 450x600 of strong noise (a face-ish ellipse on
// it), which JPEG cannot compress, so every photo ends at the 32 KB cap
// (office/photos.h lowers the quality until it fits): the package's size
// is then its bound, not a lucky figure. Real ID photos come out smaller.
QByteArray cameraPhoto(quint32 seed)
{
    QImage image(450, 600, QImage::Format_RGB32);
    QRandomGenerator random(seed);
    for (int y = 0; y < image.height(); ++y) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
        for (int x = 0; x < image.width(); ++x)
            line[x] = qRgb(int(random.bounded(256)), int(random.bounded(256)), int(random.bounded(256)));
    }
    QPainter p(&image);
    p.setBrush(QColor(230, 190, 160));
    p.setPen(Qt::NoPen);
    p.drawEllipse(QRectF(120, 100, 210, 290));
    p.end();
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "JPEG", 90);
    return bytes;
}

qint64 insertId(ServerStore &s, const QString &sql, const QVariantList &params)
{
    auto r = s.sql().insertReturningId(sql, params);
    if (!r)
        die(r.error().message);
    return *r;
}

struct Seeded
{
    Id site = 0;
    QList<Id> candidates;
    QString credential;
};

// One room of `seats` candidates, each with a photo, and a kiosk enrolled for it.
Seeded prepareServer(const QString &dir, int seats, const SigningKey &key)
{
    if (auto s = ServerStore::createEmbedded(dir); !s)
        die(s.error().message);
    auto store = ServerStore::open({dir, QString()});
    if (!store)
        die(store.error().message);
    ServerStore &st = **store;
    Seeded s;
    Id room = 0;
    {
        SqlTransaction tx(st.sql());
        s.site = insertId(st, "INSERT INTO site (name) VALUES (?)", {kSite});
        room = insertId(st, "INSERT INTO room (site_id, code) VALUES (?, '01')", {s.site});
        const Id college = insertId(st, "INSERT INTO college (name) VALUES ('信息工程学院')", {});
        const Id major = insertId(st, "INSERT INTO major (college_id, name) VALUES (?, '软件技术')", {college});
        const Id cert = insertId(st, "INSERT INTO certificate (name) VALUES ('Web前端开发')", {});
        const Id pilot = insertId(st, "INSERT INTO pilot (college_id, certificate_id, level) VALUES (?, ?, 2)", {college, cert});
        const Id session = insertId(st,
                                    "INSERT INTO exam_session (pilot_id, site_id, exam_date, start_time, end_time)"
                                    " VALUES (?, ?, ?, '09:00', '11:00')",
                                    {pilot, s.site, kDay.toString(Qt::ISODate)});
        for (int i = 1; i <= seats; ++i) {
            const Id c = insertId(st, "INSERT INTO candidate (id_number, name, student_number, major_id) VALUES (?, ?, ?, ?)",
                                  {QStringLiteral("35010220040101%1").arg(i, 4, 10, QLatin1Char('0')),
                                   QStringLiteral("考生%1").arg(i), QStringLiteral("S%1").arg(i), major});
            insertId(st, "INSERT INTO registration (session_id, candidate_id, ticket_number, room_id, seat) VALUES (?, ?, ?, ?, ?)",
                     {session, c, QStringLiteral("20260613%1").arg(i, 5, 10, QLatin1Char('0')), room,
                      QStringLiteral("%1").arg(i, 2, 10, QLatin1Char('0'))});
            s.candidates.push_back(c);
        }
        if (!tx.commit())
            die(QStringLiteral("seed"));
    }
    QList<PhotoToStore> photos;
    for (int i = 0; i < seats; ++i) {
        office::PhotoProblem problem = office::PhotoProblem::None;
        const QByteArray jpeg = office::normalizePhoto(cameraPhoto(quint32(i + 1)), &problem);
        if (problem != office::PhotoProblem::None)
            die(QStringLiteral("photo"));
        photos.push_back({s.candidates[i], office::photoSha256(jpeg), office::sealPhoto(jpeg, key)});
    }
    if (!st.photos().apply(photos, QStringLiteral("bench.zip"), QStringLiteral("bench")))
        die(QStringLiteral("photos"));
    const QString secret = randomToken();
    KioskRecord k;
    k.id = QStringLiteral("KBENCH");
    k.name = k.id;
    k.siteId = s.site;
    k.roomId = room;
    k.credentialHash = sha256Hex(secret.toLatin1());
    if (auto e = st.kiosks().enrol(k, QStringLiteral("bench")); !e)
        die(e.error().message);
    s.credential = k.id + QLatin1Char('.') + secret;
    return s;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    int seats = 60, runs = 5;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--seats"))
            seats = std::max(1, args[i + 1].toInt());
        else if (args[i] == QLatin1String("--runs"))
            runs = std::max(1, args[i + 1].toInt());
    }
    QTemporaryDir dir(QDir::currentPath() + "/bench-package-XXXXXX");
    const QDateTime now = QDateTime(kDay, QTime(7, 30), QTimeZone(8 * 3600)).toUTC();
    const SigningKey ticketKey = *SigningKey::fromRaw(QByteArray(32, '\x2b'));
    const Seeded seeded = prepareServer(dir.filePath("server"), seats, ticketKey);

    // The USB file: every photo in it.
    QByteArray usbFile;
    {
        auto store = ServerStore::open({dir.filePath("server"), QString()}, [now] { return now; });
        auto file = office::buildSessionPackage(**store, seeded.site, kSite, QStringLiteral("01"), kDay, ticketKey,
                                                nullptr, office::PackagePhotos::Included);
        if (!file)
            die(file.error().message);
        usbFile = *file;
    }
    // Floor: verifying that file in process (signature, every photo's hash, parsing).
    std::vector<double> floors;
    for (int r = 0; r < runs; ++r) {
        QElapsedTimer t;
        t.start();
        auto decoded = protocol::decodeSessionPackage(usbFile, ticketKey.verifyKey());
        if (!decoded || decoded->photos.size() != seats)
            die(QStringLiteral("the USB file does not verify"));
        floors.push_back(double(t.nsecsElapsed()) / 1e6);
    }

    StorePool pool({dir.filePath("server"), QString()}, [now] { return now; });
    ApiConfig config;
    config.ticketKey = ticketKey;
    Api api(pool, config);
    if (!writeSelfSignedCertificate(dir.filePath("c.pem"), dir.filePath("k.pem"), {}, 30))
        die(QStringLiteral("certificate"));
    std::atomic<qint64> packageBytes{0}, photoBytes{0};
    HttpsServer server(TlsFiles{dir.filePath("c.pem"), dir.filePath("k.pem")}, HttpLimits{}, [&](const HttpRequest &r) {
        HttpResponse response = api.handle(r);
        if (r.target.startsWith("/api/v1/kiosk/package"))
            packageBytes += response.body.size();
        else if (r.target.startsWith("/api/v1/kiosk/photos"))
            photoBytes += response.body.size();
        return response;
    });
    if (!server.listen(QStringLiteral("127.0.0.1"), 0))
        die(QStringLiteral("listen"));
    EnrolmentCode enrolment;
    enrolment.server = QUrl(QStringLiteral("https://127.0.0.1:%1").arg(server.port()));
    enrolment.credential = seeded.credential;
    enrolment.certSha256 = certificateFingerprintSha256(dir.filePath("c.pem")).toLatin1();
    enrolment.ticketKeySha256 = ticketKey.verifyKey().fingerprint().toLatin1();
    SyncConfig syncConfig;
    syncConfig.enrolment = enrolment;

    // A kiosk's first contact: package, then every photo; until all are kept.
    auto contact = [&](KioskStore &kiosk) {
        CheckInService service(kiosk, [now] { return now; });
        SyncClient sync(service, syncConfig);
        QEventLoop loop;
        QObject::connect(&sync, &SyncClient::roundFinished, &loop, [&](bool ok) {
            if (!ok)
                die(QStringLiteral("sync failed: %1").arg(sync.lastError()));
            loop.quit();
        });
        QElapsedTimer t;
        t.start();
        sync.start();
        loop.exec();
        const double ms = double(t.nsecsElapsed()) / 1e6;
        sync.stop();
        return ms;
    };
    std::vector<double> firsts;
    qint64 firstPackage = 0, firstPhotos = 0;
    for (int r = 0; r < runs; ++r) {
        packageBytes = 0;
        photoBytes = 0;
        auto kiosk = KioskStore::create({dir.filePath(QStringLiteral("kiosk%1").arg(r))}, QStringLiteral("bench"),
                                        kMinKdfIterations);
        if (!kiosk)
            die(kiosk.error().message);
        kiosk->setIdentity({QStringLiteral("KBENCH"), kSite, QStringLiteral("01"), ticketKey.verifyKey().raw()});
        // One installation, as if the same kiosk were wiped and enrolled again each run.
        kiosk->setInstallationId(QByteArrayLiteral("0123456789abcdef0123456789abcdef"));
        firsts.push_back(contact(*kiosk));
        if (kiosk->package().roster.size() != seats || !kiosk->missingPhotos().isEmpty())
            die(QStringLiteral("the kiosk does not hold every photo"));
        firstPackage = packageBytes;
        firstPhotos = photoBytes;
    }
    // One candidate's photo changes: the next contact brings that one only.
    auto kiosk = KioskStore::open({dir.filePath("kiosk0")}, QStringLiteral("bench"));
    if (!kiosk)
        die(kiosk.error().message);
    {
        auto store = ServerStore::open({dir.filePath("server"), QString()}, [now] { return now; });
        office::PhotoProblem problem = office::PhotoProblem::None;
        const QByteArray jpeg = office::normalizePhoto(cameraPhoto(4242), &problem);
        if (!(*store)->photos().apply({{seeded.candidates[7], office::photoSha256(jpeg), office::sealPhoto(jpeg, ticketKey)}},
                                      QStringLiteral("one.zip"), QStringLiteral("bench")))
            die(QStringLiteral("photo change"));
    }
    packageBytes = 0;
    photoBytes = 0;
    const double next = contact(*kiosk);
    if (!kiosk->missingPhotos().isEmpty())
        die(QStringLiteral("the changed photo did not arrive"));
    const double onePhoto = double(photoBytes);

    std::printf("| %d-seat room's package file with every photo (USB) | %.2f MB | target under 3 MB |\n", seats,
                usbFile.size() / 1e6);
    std::printf("| first contact over TLS: package (%.1f KB) + %d photos (%.2f MB), verified, kept (median of %d) | %.0f ms "
                "| floor: verifying the USB file in process (Ed25519, SHA-256 of each photo, parsing) %.1f ms | target under 1 s |\n",
                firstPackage / 1e3, seats, firstPhotos / 1e6, runs, median(firsts), median(floors));
    std::printf("| next contact after one photo changed: package %.1f KB + photos %.1f KB | %.0f ms | only the changed "
                "photo travels (%.1f KB of the first contact's %.2f MB) | |\n",
                packageBytes / 1e3, onePhoto / 1e3, next, onePhoto / 1e3, firstPhotos / 1e6);
    return 0;
}
