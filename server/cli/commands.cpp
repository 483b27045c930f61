#include "cli/commands.h"

#include "protocol/eventjson.h"
#include "api/api.h"
#include "api/jsonreport.h"
#include "office/enrolment.h"
#include "office/kiosks.h"
#include "office/packagebuilder.h"
#include "office/rosters.h"
#include "office/sessions.h"
#include "office/tickets.h"
#include "auth/password.h"
#include "http/httpsserver.h"
#include "http/tlscert.h"
#include "print/pdfreport.h"
#include "print/statisticscsv.h"
#include "print/ticketfont.h"
#include "print/ticketpdf.h"
#include "print/xlsxexport.h"
#include "sample/sampleroster.h"
#include "store/rosterapply.h"
#include "store/serverstore.h"
#include "tickets/ticketsigning.h"
#include "web/webpages.h"

#include "core/ed25519.h"
#include "core/examzone.h"
#include "protocol/sessionpackage.h"
#include "core/ticket.h"
#include "qr/qrcodec.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QTimeZone>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTextStream>

#include <csignal>
#include <cstdio>
#include <pthread.h>
#include <malloc.h>

namespace kaodian::server {

namespace {

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

QTextStream &err()
{
    static QTextStream s(stderr);
    return s;
}

int fail(const QString &message)
{
    err() << "kaodian-server: " << message << Qt::endl;
    return 1;
}

const char kUsage[] = R"(kaodian-server <command> [options]

Commands:
  init    --data DIR [--postgres URL] [--admin NAME] [--host NAME]...
               [--tls-cert FILE --tls-key FILE]
          Creates the data folder: the embedded encrypted store (unless
          --postgres), its key file (mode 0600), the Ed25519 ticket-signing
          key, a self-signed TLS certificate (unless one is given), and the
          first admin account.
          The admin password is read from KAODIAN_ADMIN_PASSWORD, or made
          up and printed once.
  serve   --data DIR [--listen ADDRESS:PORT] [--postgres URL]
          Serves the HTTPS API (and dashboard) until SIGINT or SIGTERM.
          Default listen address 127.0.0.1:8443.
  import  --data DIR FILE
          Imports a roster file (.csv in UTF-8 or GB18030, or .xlsx; see
          docs/roster-import.md). A file with any problem is refused whole,
          with the line and column of each; the same file again changes
          nothing.
  import-events --data DIR FILE
          Imports the events file (kaodian-kiosk-events/1) a revoked
          kiosk exported: each event is stored exactly once, as if
          uploaded (importing the file again changes nothing); the file
          names its kiosk, which must be enrolled here. Audited.
  stats   --data DIR [--format json|csv|xlsx|pdf] [--college ID] [--out FILE]
          Statistics with the 第七条(五)/(六) flags.
  ticket  --data DIR --ticket-number N [--out FILE.png]
          Signs the admission-ticket QR text of one registration (format:
          docs/ticket-format.md), prints it and writes its QR code as PNG.
  tickets --data DIR (--session ID | --ticket-number N...) [--per-page 1|2|4]
          --out FILE.pdf
          Writes printable admission tickets (准考证) as an A4 PDF, 4 a page
          by default (A6 tickets; 2: A4 landscape, A5 tickets; 1: one a
          page): signed QR, name, masked ID number, ticket number,
          certificate and level, site, room, seat, date, time and the
          rules for candidates, the Chinese font embedded. --ticket-number
          may be repeated or take a comma-separated list.
  reissue --data DIR --ticket-number N [--out FILE.png]
          Re-issues a ticket: a new serial, the old one revoked (kiosks
          refuse it as 已作废 once they have the next package or sync).
          Prints the new QR text; print the ticket again with `tickets`.
  package --data DIR --site NAME [--room CODE] --date YYYY-MM-DD --out FILE
          Writes the signed session package a kiosk is provisioned with
          (docs/session-package.md): that day's sessions at the site, the
          roster of the room (ID numbers masked), ticket keys, revocations.
  sample-roster --out FILE [--candidates N] [--seed N] [--date YYYY-MM-DD]
          Writes a realistic sample roster CSV (made-up people) to try
          the system with.
  user add --data DIR --username NAME --role admin|college [--college ID]
          Adds a person; the password is read from KAODIAN_USER_PASSWORD
          or the first line of standard input.
  user list --data DIR
  kiosk enrol --data DIR --site NAME [--room CODE] --name NAME
              [--server-url https://HOST:PORT] [--out QR.png]
          Enrols a kiosk and prints, once, its credential and the enrolment
          code (server address, credential, TLS certificate and ticket-key
          fingerprints) that the kiosk scans or a proctor types.
  kiosk revoke --data DIR KIOSK-ID
  kiosk list --data DIR

Every command takes --postgres URL (or KAODIAN_POSTGRES_URL) to use a
PostgreSQL store instead of the embedded one; `init` records it in
DIR/server.json so later commands find it.
)";

struct DataDir
{
    QString path;
    [[nodiscard]] QString file(const QString &name) const { return QDir(path).filePath(name); }
    [[nodiscard]] QString config() const { return file(QStringLiteral("server.json")); }
    [[nodiscard]] QString ticketKey() const { return file(QStringLiteral("ticket-signing.pem")); }
    [[nodiscard]] QString tlsCert() const { return file(QStringLiteral("tls-cert.pem")); }
    [[nodiscard]] QString tlsKey() const { return file(QStringLiteral("tls-key.pem")); }
};

QJsonObject readConfig(const DataDir &dir)
{
    QFile f(dir.config());
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

StoreLocation locationFor(const DataDir &dir, const QString &postgresOption)
{
    QString url = postgresOption;
    if (url.isEmpty())
        url = qEnvironmentVariable("KAODIAN_POSTGRES_URL");
    if (url.isEmpty())
        url = readConfig(dir).value("postgres_url").toString();
    return StoreLocation{dir.path, url};
}

bool writePrivateFile(const QString &path, const QByteArray &bytes)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    f.write(bytes);
    return f.commit();
}

std::unique_ptr<ServerStore> openStoreOrFail(const StoreLocation &location, int *code)
{
    auto store = ServerStore::open(location);
    if (!store) {
        *code = fail(store.error().message);
        return nullptr;
    }
    return std::move(store).value();
}

// The data folder's ticket-signing key, or nullopt after saying why.
std::optional<SigningKey> readTicketKey(const DataDir &dir, int *code)
{
    QFile keyFile(dir.ticketKey());
    if (!keyFile.open(QIODevice::ReadOnly)) {
        *code = fail(QStringLiteral("cannot read the ticket-signing key %1").arg(dir.ticketKey()));
        return std::nullopt;
    }
    auto key = SigningKey::fromPem(keyFile.readAll());
    if (!key)
        *code = fail(QStringLiteral("%1 is not an Ed25519 private key").arg(dir.ticketKey()));
    return key;
}

int cmdInit(const QCommandLineParser &p)
{
    const DataDir dir{p.value("data")};
    if (dir.path.isEmpty())
        return fail(QStringLiteral("--data DIR is required"));
    if (QFile::exists(dir.ticketKey()))
        return fail(QStringLiteral("%1 is already initialised; nothing was changed").arg(dir.path));
    if (!QDir().mkpath(dir.path))
        return fail(QStringLiteral("cannot create %1").arg(dir.path));
    QFile::setPermissions(dir.path, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);

    const QString postgres = p.value("postgres");
    if (!postgres.isEmpty()) {
        if (!writePrivateFile(dir.config(), QJsonDocument(QJsonObject{{"postgres_url", postgres}}).toJson()))
            return fail(QStringLiteral("cannot write %1").arg(dir.config()));
    } else if (auto s = ServerStore::createEmbedded(dir.path); !s) {
        return fail(s.error().message);
    }
    int code = 0;
    auto store = openStoreOrFail(locationFor(dir, postgres), &code);
    if (!store)
        return code;

    const auto key = SigningKey::generate();
    if (!key || !writePrivateFile(dir.ticketKey(), key->toPem()))
        return fail(QStringLiteral("cannot write the ticket-signing key"));
    if (p.isSet("tls-cert") != p.isSet("tls-key"))
        return fail(QStringLiteral("--tls-cert and --tls-key go together"));
    if (p.isSet("tls-cert")) {
        // The college's own certificate: copied in, the key kept owner-only.
        QFile cert(p.value("tls-cert")), tlsKey(p.value("tls-key"));
        if (!cert.open(QIODevice::ReadOnly) || !tlsKey.open(QIODevice::ReadOnly))
            return fail(QStringLiteral("cannot read the given TLS certificate or key"));
        if (!writePrivateFile(dir.tlsCert(), cert.readAll()) || !writePrivateFile(dir.tlsKey(), tlsKey.readAll()))
            return fail(QStringLiteral("cannot write the TLS files into %1").arg(dir.path));
    } else if (auto s = writeSelfSignedCertificate(dir.tlsCert(), dir.tlsKey(), p.values("host"), 825); !s) {
        return fail(s.error());
    }

    const QString admin = p.value("admin").isEmpty() ? QStringLiteral("admin") : p.value("admin");
    QString password = qEnvironmentVariable("KAODIAN_ADMIN_PASSWORD");
    const bool madeUp = password.isEmpty();
    if (madeUp)
        password = randomToken(12);
    QString why;
    if (!passwordAcceptable(password, &why))
        return fail(QStringLiteral("KAODIAN_ADMIN_PASSWORD: %1").arg(why));
    if (auto id = store->accounts().addUser(admin, hashPassword(password), Role::Admin, std::nullopt, QStringLiteral("init")); !id)
        return fail(id.error().message);

    out() << "kaodian-server: initialised " << QDir(dir.path).absolutePath() << Qt::endl
          << "  store:          " << (postgres.isEmpty() ? QStringLiteral("embedded (server.db, key in server.key)")
                                                         : QStringLiteral("PostgreSQL"))
          << Qt::endl
          << "  ticket key:     " << key->verifyKey().fingerprint() << Qt::endl
          << "  TLS certificate SHA-256: " << certificateFingerprintSha256(dir.tlsCert()) << Qt::endl
          << "  admin account:  " << admin << Qt::endl;
    if (madeUp)
        out() << "  admin password: " << password << "   (shown once; change it after logging in)" << Qt::endl;
    return 0;
}

int cmdServe(const QCommandLineParser &p)
{
    const DataDir dir{p.value("data")};
    if (dir.path.isEmpty() || !QFile::exists(dir.ticketKey()))
        return fail(QStringLiteral("--data DIR must be a folder made by `kaodian-server init`"));
    QString listen = p.value("listen").isEmpty() ? QStringLiteral("127.0.0.1:8443") : p.value("listen");
    const qsizetype colon = listen.lastIndexOf(QLatin1Char(':'));
    bool portOk = false;
    const int port = colon > 0 ? listen.mid(colon + 1).toInt(&portOk) : 0;
    if (!portOk || port < 0 || port > 65535)
        return fail(QStringLiteral("--listen must be ADDRESS:PORT, e.g. 127.0.0.1:8443"));
    QString address = listen.left(colon);
    if (address.startsWith(QLatin1Char('[')))
        address = address.mid(1, address.size() - 2);

    const StoreLocation location = locationFor(dir, p.value("postgres"));
    {
        int code = 0;
        if (!openStoreOrFail(location, &code)) // fail fast, with the reason
            return code;
    }

    // Request bodies (up to 16 MiB) are big and short-lived: give them pages
    // of their own, returned to the system when freed. Otherwise glibc raises
    // its mmap threshold after the first and keeps their pages resident in a
    // thread's arena for good (tst_abuse measures VmRSS around huge bodies).
    ::mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
    ::mallopt(M_TRIM_THRESHOLD, 4 * 1024 * 1024);

    // Signals are taken by sigwait below; block them before any thread starts.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

    int keyCode = 0;
    const auto ticketKey = readTicketKey(dir, &keyCode);
    if (!ticketKey)
        return keyCode;
    // The ticket font, loaded here on the main thread; without it the
    // ticket endpoints say what to install, and the rest still serves.
    if (auto font = ticketFont(); !font)
        err() << "kaodian-server: warning: " << font.error() << Qt::endl;
    StorePool pool(location);
    ApiConfig config;
    config.ticketKey = ticketKey;
    config.tlsCertificateSha256 = certificateFingerprintSha256(dir.tlsCert());
    Api api(pool, config);
    const WebPages pages;
    HttpsServer server(TlsFiles{dir.tlsCert(), dir.tlsKey()}, HttpLimits{}, serverHandler(api, pages));
    if (auto s = server.listen(address, static_cast<quint16>(port)); !s)
        return fail(s.error());
    out() << "kaodian-server: serving https://" << (address.contains(QLatin1Char(':')) ? "[" + address + "]" : address)
          << ':' << server.port() << "/  (store: " << (location.postgresUrl.isEmpty() ? "embedded" : "PostgreSQL")
          << ", TLS certificate SHA-256 " << certificateFingerprintSha256(dir.tlsCert()) << ")" << Qt::endl;
    int sig = 0;
    sigwait(&stopSignals, &sig);
    out() << "kaodian-server: stopping" << Qt::endl;
    server.stop();
    return 0;
}

int cmdStats(const QCommandLineParser &p)
{
    const DataDir dir{p.value("data")};
    int code = 0;
    auto store = openStoreOrFail(locationFor(dir, p.value("postgres")), &code);
    if (!store)
        return code;
    std::optional<Id> college;
    if (p.isSet("college"))
        college = p.value("college").toLongLong();
    auto report = store->statistics().report(college);
    if (!report)
        return fail(report.error().message);
    const QString format = p.value("format").isEmpty() ? QStringLiteral("json") : p.value("format");
    QByteArray bytes;
    if (format == QLatin1String("json"))
        bytes = QJsonDocument(statisticsToJson(*report)).toJson(QJsonDocument::Indented);
    else if (format == QLatin1String("csv"))
        bytes = statisticsToCsv(*report);
    else if (format == QLatin1String("xlsx"))
        bytes = statisticsToXlsx(*report);
    else if (format == QLatin1String("pdf")) {
        PdfReportOptions options;
        options.scope = college ? QStringLiteral("二级学院 #%1").arg(*college) : QStringLiteral("全部二级学院");
        options.generatedAt = QDateTime::currentDateTimeUtc();
        auto pdf = statisticsToPdf(*report, options);
        if (!pdf)
            return fail(pdf.error());
        bytes = *pdf;
    } else
        return fail(QStringLiteral("--format must be json, csv, xlsx or pdf"));
    if (bytes.isEmpty())
        return fail(QStringLiteral("could not produce the %1 report").arg(format));
    if (p.value("out").isEmpty()) {
        std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stdout);
        return 0;
    }
    QSaveFile f(p.value("out"));
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit())
        return fail(QStringLiteral("cannot write %1").arg(p.value("out")));
    return 0;
}

int cmdImport(const QCommandLineParser &p)
{
    const DataDir dir{p.value("data")};
    const QStringList rest = p.positionalArguments().mid(1);
    if (rest.size() != 1)
        return fail(QStringLiteral("import --data DIR FILE"));
    QFile file(rest.first());
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read %1: %2").arg(rest.first(), file.errorString()));
    if (file.size() > kRosterMaxFileBytes)
        return fail(QStringLiteral("%1 is larger than %2 MiB").arg(rest.first()).arg(kRosterMaxFileBytes >> 20));
    const QByteArray bytes = file.readAll();
    int code = 0;
    auto store = openStoreOrFail(locationFor(dir, p.value("postgres")), &code);
    if (!store)
        return code;
    const QString name = QFileInfo(rest.first()).fileName();
    auto imported = office::importRoster(*store, bytes, name, QStringLiteral("cli"));
    if (imported) {
        const auto &s = *imported;
        if (s.alreadyImported)
            out() << name << ": imported before; nothing changed" << Qt::endl;
        else
            out() << name << ": " << s.rows << " rows; " << s.newCandidates << " new candidates, "
                  << s.newRegistrations << " new registrations, " << s.unchangedRegistrations << " unchanged, "
                  << s.newSessions << " new sessions" << Qt::endl;
        return 0;
    }
    if (imported.error().kind != OfficeError::Kind::Refused)
        return fail(imported.error().message);
    const auto &problems = imported.error().problems;
    err() << name << ": refused, nothing imported (" << problems.size() << " problems)" << Qt::endl;
    for (const auto &pr : problems)
        err() << "  " << (pr.line > 0 ? QStringLiteral("第 %1 行").arg(pr.line) : QStringLiteral("文件"))
              << (pr.column.isEmpty() ? QString() : QStringLiteral("「%1」").arg(pr.column)) << "：" << pr.message
              << Qt::endl;
    return 3;
}

int cmdImportEvents(const QCommandLineParser &p)
{
    const DataDir dir{p.value("data")};
    const QStringList rest = p.positionalArguments().mid(1);
    if (rest.size() != 1)
        return fail(QStringLiteral("import-events --data DIR FILE"));
    QFile file(rest.first());
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read %1: %2").arg(rest.first(), file.errorString()));
    const QByteArray bytes = file.readAll();
    const QString name = QFileInfo(rest.first()).fileName();
    int code = 0;
    auto store = openStoreOrFail(locationFor(dir, p.value("postgres")), &code);
    if (!store)
        return code;
    auto imported = office::importEventsFile(*store, bytes, name, QString(), QStringLiteral("cli"));
    if (!imported) {
        err() << name << ": refused, nothing imported: " << imported.error().message << Qt::endl;
        const auto kind = imported.error().kind;
        return kind == OfficeError::Kind::Refused || kind == OfficeError::Kind::NotFound ? 3 : 1;
    }
    out() << name << ": kiosk " << imported->kioskId << ", " << imported->events << " events; "
          << imported->outcome.stored << " stored, " << imported->outcome.duplicates << " already held" << Qt::endl;
    return 0;
}

// Ticket numbers from repeated and comma-separated --ticket-number values.
QStringList ticketNumbersOption(const QCommandLineParser &p)
{
    QStringList numbers;
    for (const QString &value : p.values("ticket-number"))
        for (const QString &part : value.split(QLatin1Char(','), Qt::SkipEmptyParts))
            if (const QString n = part.trimmed().toUpper(); !n.isEmpty() && !numbers.contains(n))
                numbers.push_back(n);
    return numbers;
}

int writeTicketText(const QCommandLineParser &p, const QByteArray &text)
{
    out() << text << Qt::endl;
    if (!p.value("out").isEmpty()) {
        const QImage image = qr::renderText(text, 8);
        if (image.isNull() || !image.save(p.value("out"), "PNG"))
            return fail(QStringLiteral("cannot write %1").arg(p.value("out")));
        out() << "QR code written to " << p.value("out") << Qt::endl;
    }
    return 0;
}

int cmdTicket(const QCommandLineParser &p)
{
    const DataDir dir{p.value("data")};
    const QString number = p.value("ticket-number").trimmed().toUpper();
    if (number.isEmpty())
        return fail(QStringLiteral("ticket --data DIR --ticket-number N [--out FILE.png]"));
    int code = 0;
    const auto key = readTicketKey(dir, &code);
    if (!key)
        return code;
    auto store = openStoreOrFail(locationFor(dir, p.value("postgres")), &code);
    if (!store)
        return code;
    auto text = office::ticketQrText(*store, *key, number);
    if (!text)
        return fail(text.error().kind == OfficeError::Kind::NotFound
                        ? QStringLiteral("no registration with ticket number %1").arg(number)
                        : text.error().message);
    return writeTicketText(p, *text);
}

int cmdTickets(const QCommandLineParser &p)
{
    const DataDir dir{p.value("data")};
    const QStringList numbers = ticketNumbersOption(p);
    const int perPage = p.isSet("per-page") ? p.value("per-page").toInt() : 4;
    if (p.value("out").isEmpty() || p.isSet("session") == !numbers.isEmpty())
        return fail(QStringLiteral(
            "tickets --data DIR (--session ID | --ticket-number N...) [--per-page 1|2|4] --out FILE.pdf"));
    if (!isValidTicketsPerPage(perPage))
        return fail(QStringLiteral("--per-page must be 1, 2 or 4"));
    int code = 0;
    const auto key = readTicketKey(dir, &code);
    if (!key)
        return code;
    auto store = openStoreOrFail(locationFor(dir, p.value("postgres")), &code);
    if (!store)
        return code;
    bool idOk = false;
    const Id sessionId = p.value("session").toLongLong(&idOk);
    if (p.isSet("session") && (!idOk || sessionId < 1))
        return fail(QStringLiteral("--session must be a session id"));
    office::TicketSelection which;
    if (p.isSet("session"))
        which.sessionId = sessionId;
    else
        which.ticketNumbers = numbers;
    auto printed = office::printTickets(*store, *key, which, perPage, QStringLiteral("cli"));
    if (!printed)
        return fail(printed.error().kind == OfficeError::Kind::NotFound && p.isSet("session")
                        ? QStringLiteral("session %1 has no registrations (or does not exist)").arg(sessionId)
                        : printed.error().message);
    QSaveFile f(p.value("out"));
    if (!f.open(QIODevice::WriteOnly) || f.write(printed->pdf) != printed->pdf.size() || !f.commit())
        return fail(QStringLiteral("cannot write %1").arg(p.value("out")));
    out() << "wrote " << printed->tickets << " admission tickets on " << printed->pages << " pages (" << perPage
          << " a page) to " << p.value("out") << Qt::endl;
    return 0;
}

int cmdReissue(const QCommandLineParser &p)
{
    const DataDir dir{p.value("data")};
    const QString number = p.value("ticket-number").trimmed().toUpper();
    if (number.isEmpty() || p.values("ticket-number").size() != 1)
        return fail(QStringLiteral("reissue --data DIR --ticket-number N [--out FILE.png]"));
    int code = 0;
    const auto key = readTicketKey(dir, &code);
    if (!key)
        return code;
    auto store = openStoreOrFail(locationFor(dir, p.value("postgres")), &code);
    if (!store)
        return code;
    auto reissued = office::reissueTicket(*store, *key, number, QStringLiteral("cli"));
    if (!reissued)
        return fail(reissued.error().message);
    const auto &r = reissued->reissue;
    err() << "ticket " << number << ": serial " << r.revokedSerial << " revoked at "
          << examClock(r.revokedAt, QStringLiteral("yyyy-MM-dd HH:mm:ss")) << " (UTC+8); the new ticket is serial "
          << r.subject.serial << Qt::endl;
    return writeTicketText(p, reissued->qrText);
}

int cmdPackage(const QCommandLineParser &p)
{
    const DataDir dir{p.value("data")};
    const QDate date = QDate::fromString(p.value("date"), Qt::ISODate);
    if (p.value("site").isEmpty() || !date.isValid() || p.value("out").isEmpty())
        return fail(QStringLiteral("package --data DIR --site NAME [--room CODE] --date YYYY-MM-DD --out FILE"));
    int code = 0;
    const auto key = readTicketKey(dir, &code);
    if (!key)
        return code;
    auto store = openStoreOrFail(locationFor(dir, p.value("postgres")), &code);
    if (!store)
        return code;
    auto site = store->rosters().siteIdByName(p.value("site"));
    if (!site)
        return fail(site.error().message);
    if (!site->has_value())
        return fail(QStringLiteral("no exam site named %1").arg(p.value("site")));
    auto bytes = office::buildSessionPackage(*store, **site, p.value("site"), p.value("room"), date, *key);
    if (!bytes)
        return fail(bytes.error().message);
    const auto package = protocol::decodeSessionPackage(*bytes, key->verifyKey());
    if (!package)
        return fail(package.error());
    QSaveFile f(p.value("out"));
    if (!f.open(QIODevice::WriteOnly) || f.write(*bytes) != bytes->size() || !f.commit())
        return fail(QStringLiteral("cannot write %1").arg(p.value("out")));
    out() << "package for " << package->site << (package->room.isEmpty() ? QString() : QStringLiteral(" room ") + package->room)
          << " on " << date.toString(Qt::ISODate) << ": " << package->sessions.size() << " sessions, "
          << package->roster.size() << " candidates; signed by ticket key " << key->verifyKey().fingerprint() << Qt::endl;
    return 0;
}

int cmdSampleRoster(const QCommandLineParser &p)
{
    if (p.value("out").isEmpty())
        return fail(QStringLiteral("sample-roster --out FILE"));
    SampleRosterOptions o;
    if (p.isSet("candidates"))
        o.candidates = std::clamp(p.value("candidates").toInt(), 1, 100000);
    if (p.isSet("seed"))
        o.seed = p.value("seed").toUInt();
    if (p.isSet("date")) {
        o.firstExamDate = QDate::fromString(p.value("date"), Qt::ISODate);
        if (!o.firstExamDate.isValid())
            return fail(QStringLiteral("--date must be YYYY-MM-DD"));
    }
    QSaveFile f(p.value("out"));
    const QByteArray bytes = sampleRosterCsv(o);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit())
        return fail(QStringLiteral("cannot write %1").arg(p.value("out")));
    out() << "wrote " << o.candidates << " sample candidates to " << p.value("out") << Qt::endl;
    return 0;
}

int cmdUser(const QCommandLineParser &p, const QString &action)
{
    const DataDir dir{p.value("data")};
    int code = 0;
    auto store = openStoreOrFail(locationFor(dir, p.value("postgres")), &code);
    if (!store)
        return code;
    if (action == QLatin1String("list")) {
        auto users = store->accounts().users();
        if (!users)
            return fail(users.error().message);
        for (const auto &u : *users)
            out() << u.id << '\t' << u.username << '\t' << roleKey(u.role) << '\t'
                  << (u.collegeId ? QString::number(*u.collegeId) : QStringLiteral("-")) << Qt::endl;
        return 0;
    }
    if (action != QLatin1String("add"))
        return fail(QStringLiteral("user add|list"));
    const auto role = roleFromKey(p.value("role"));
    if (p.value("username").isEmpty() || !role)
        return fail(QStringLiteral("user add needs --username and --role admin|college"));
    std::optional<Id> college;
    if (*role == Role::CollegeViewer) {
        if (!p.isSet("college"))
            return fail(QStringLiteral("a college user needs --college ID"));
        college = p.value("college").toLongLong();
    }
    QString password = qEnvironmentVariable("KAODIAN_USER_PASSWORD");
    if (password.isEmpty())
        password = QTextStream(stdin).readLine();
    auto id = office::addUser(*store, p.value("username"), password, *role, college, QStringLiteral("cli"));
    if (!id)
        return fail(id.error().message);
    out() << "added user " << p.value("username") << " (id " << *id << ")" << Qt::endl;
    return 0;
}

int cmdKiosk(const QCommandLineParser &p, const QString &action)
{
    const DataDir dir{p.value("data")};
    int code = 0;
    auto store = openStoreOrFail(locationFor(dir, p.value("postgres")), &code);
    if (!store)
        return code;
    if (action == QLatin1String("list")) {
        auto kiosks = store->kiosks().all();
        if (!kiosks)
            return fail(kiosks.error().message);
        for (const auto &k : *kiosks)
            out() << k.id << '\t' << k.name << '\t' << (k.revokedAt.isValid() ? "revoked" : "active") << '\t'
                  << (k.lastSeenAt.isValid() ? k.lastSeenAt.toString(Qt::ISODate) : QStringLiteral("never")) << '\t'
                  << k.eventsReceived << " events" << Qt::endl;
        return 0;
    }
    if (action == QLatin1String("revoke")) {
        const QStringList rest = p.positionalArguments().mid(2);
        if (rest.size() != 1)
            return fail(QStringLiteral("kiosk revoke KIOSK-ID"));
        if (auto s = office::revokeKiosk(*store, rest.first(), QStringLiteral("cli")); !s)
            return fail(s.error().message);
        out() << "revoked " << rest.first() << Qt::endl;
        return 0;
    }
    if (action != QLatin1String("enrol"))
        return fail(QStringLiteral("kiosk enrol|revoke|list"));
    if (p.value("site").isEmpty() || p.value("name").isEmpty())
        return fail(QStringLiteral("kiosk enrol needs --site NAME and --name NAME"));
    // The enrolment code names the ticket key the kiosk will trust: without
    // it the code would be unusable, so nothing is enrolled.
    const auto ticketKey = readTicketKey(dir, &code);
    if (!ticketKey)
        return code;
    office::KioskEnrolmentRequest request;
    request.siteName = p.value("site");
    request.room = p.value("room");
    request.name = p.value("name");
    // The enrolment code a proctor scans or types at the kiosk: server
    // address, credential, and the fingerprints the kiosk will pin.
    request.serverUrl = p.value("server-url").isEmpty() ? QStringLiteral("https://127.0.0.1:8443") : p.value("server-url");
    request.tlsCertificateSha256 = certificateFingerprintSha256(dir.tlsCert());
    request.ticketKeySha256 = ticketKey->verifyKey().fingerprint();
    auto enrolled = office::enrolKiosk(*store, request, QStringLiteral("cli"));
    if (!enrolled)
        return fail(enrolled.error().message);
    out() << "kiosk " << enrolled->kiosk.id << " enrolled; credential (shown once): " << enrolled->credential << Qt::endl;
    const QString enrolment = enrolled->code;
    out() << "enrolment code: " << enrolment << Qt::endl;
    if (!p.value("out").isEmpty()) {
        const QImage image = office::enrolmentQr(enrolment);
        if (image.isNull() || !image.save(p.value("out"), "PNG"))
            return fail(QStringLiteral("cannot write %1").arg(p.value("out")));
        out() << "enrolment QR written to " << p.value("out") << Qt::endl;
    }
    return 0;
}

} // namespace

int runCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QString::fromUtf8(kUsage));
    p.addHelpOption();
    p.addVersionOption();
    p.addPositionalArgument(QStringLiteral("command"), QStringLiteral("init, serve, import, import-events, stats, ticket, tickets, reissue, package, user, kiosk"));
    p.addOptions({
        {"data", "Data folder.", "DIR"},
        {"postgres", "PostgreSQL connection URL instead of the embedded store.", "URL"},
        {"admin", "Name of the first admin account (init).", "NAME"},
        {"host", "Extra host name or address for the TLS certificate (init).", "NAME"},
        {"tls-cert", "Use this PEM certificate chain instead of a self-signed one (init).", "FILE"},
        {"tls-key", "The private key of --tls-cert (init).", "FILE"},
        {"listen", "Address and port to serve on (serve).", "ADDRESS:PORT"},
        {"format", "json, csv, xlsx or pdf (stats).", "FORMAT"},
        {"college", "College id (stats, user add).", "ID"},
        {"out", "Output file (stats, ticket, tickets, reissue, package).", "FILE"},
        {"username", "User name (user add).", "NAME"},
        {"role", "admin or college (user add).", "ROLE"},
        {"site", "Exam site name (kiosk enrol).", "NAME"},
        {"room", "Room code (kiosk enrol).", "CODE"},
        {"name", "Kiosk name (kiosk enrol).", "NAME"},
        {"server-url", "The server's address as kiosks reach it (kiosk enrol).", "URL"},
        {"date", "Exam date YYYY-MM-DD (package).", "DATE"},
        {"ticket-number", "Ticket number 准考证号 (ticket, tickets, reissue).", "N"},
        {"session", "Exam session id (tickets).", "ID"},
        {"per-page", "Tickets a page: 1, 2 or 4 (tickets).", "N"},
        {"candidates", "Number of candidates (sample-roster).", "N"},
        {"seed", "Random seed (sample-roster).", "N"},
    });
    if (!p.parse(args))
        return fail(p.errorText());
    if (p.isSet("help")) {
        out() << kUsage;
        return 0;
    }
    if (p.isSet("version")) {
        out() << "kaodian-server " << KAODIAN_VERSION << Qt::endl;
        return 0;
    }
    const QStringList positional = p.positionalArguments();
    if (positional.isEmpty()) {
        err() << kUsage;
        return 2;
    }
    const QString command = positional.first();
    if (command == QLatin1String("init"))
        return cmdInit(p);
    if (command == QLatin1String("serve"))
        return cmdServe(p);
    if (command == QLatin1String("stats"))
        return cmdStats(p);
    if (command == QLatin1String("import"))
        return cmdImport(p);
    if (command == QLatin1String("import-events"))
        return cmdImportEvents(p);
    if (command == QLatin1String("ticket"))
        return cmdTicket(p);
    if (command == QLatin1String("tickets"))
        return cmdTickets(p);
    if (command == QLatin1String("reissue"))
        return cmdReissue(p);
    if (command == QLatin1String("package"))
        return cmdPackage(p);
    if (command == QLatin1String("sample-roster"))
        return cmdSampleRoster(p);
    if (command == QLatin1String("user"))
        return cmdUser(p, positional.value(1));
    if (command == QLatin1String("kiosk"))
        return cmdKiosk(p, positional.value(1));
    err() << "kaodian-server: unknown command " << command << "\n\n" << kUsage;
    return 2;
}

} // namespace kaodian::server
