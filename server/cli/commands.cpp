#include "cli/commands.h"
#include "cli/clisupport.h"
#include "cli/officecommands.h"
#include "cli/opscommands.h"

#include "api/api.h"
#include "api/jsonreport.h"
#include "auth/password.h"
#include "http/httpsserver.h"
#include "http/tlscert.h"
#include "print/pdfreport.h"
#include "print/statisticscsv.h"
#include "print/ticketfont.h"
#include "print/xlsxexport.h"
#include "sample/sampleroster.h"
#include "store/serverstore.h"
#include "web/webpages.h"

#include "core/ed25519.h"
#include "core/examzone.h"
#include "core/ticket.h"

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

#include <openssl/crypto.h>

namespace kaodian::server {

using namespace cli;

namespace {

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
  import  --data DIR [--preview | --confirm SHA256] FILE
          Imports a roster file (.csv in UTF-8 or GB18030, or .xlsx; see
          docs/roster-import.md). A file with any problem is refused whole,
          with the line and column of each; the same file again changes
          nothing. A file that would change stored registrations (a room
          or seat moved, a registration of its sessions missing: withdrawn)
          is refused until confirmed: --preview prints the difference (new,
          changed, withdrawn) and the file's SHA-256; --confirm SHA256
          applies that same file, all or nothing.
  import-results --data DIR [--replace REASON] FILE
          Imports a results file (成绩单: .csv in UTF-8, GB18030 or UTF-16,
          or .xlsx; see docs/results-import.md). A file with any problem is
          refused whole, with the line and column of each; the same file
          again changes nothing. A file that changes results already
          recorded is refused unless --replace gives the reason; each
          replaced value is then audited with the old one.
  import-majors   --data DIR FILE
  import-pilots   --data DIR FILE
  import-teachers --data DIR FILE
  import-sites    --data DIR FILE
          Imports the data the regulation's rules need (docs/compliance.md,
          templates in docs/templates/): majors (二级学院, 专业代码, 专业名称,
          状态), pilots (二级学院, 证书, 等级, 培训评价组织, 试点专业,
          批准人数, 批准日期, 开始日期, 状态; importing registers the pilot),
          teachers and qualifications (工号, 姓名, 二级学院, 专业, 资格,
          证书, 等级, 证书编号, 有效期起, 有效期止; a row per
          qualification), sites and agreements (考点, 地址, 合作协议编号,
          协议起, 协议止). .csv in UTF-8, GB18030 or UTF-16, or .xlsx; a
          file with any problem is refused whole with the line and column of
          each; an upsert by natural key, so the same file again changes
          nothing and says so. Audited.
  certificate cancel --data DIR --name CERTIFICATE --date YYYY-MM-DD --document NUMBER
          Records a certificate cancelled (取消) from that date by that
          document: every level of it (第七条(一), 第九条(一)). Audited.
  import-photos --data DIR FILE.zip
          Imports candidates' photos: a ZIP of JPEG or PNG files, each named
          by the candidate's 身份证号 or 准考证号 (e.g. 350102200001011234.jpg),
          judged by content, not extension; each is cropped to 3:4 and kept
          as a 300x400 JPEG, sealed in the store (docs/photos.md). A file
          with any problem (a name that is nobody's, not an image, smaller
          than 150x200, two photos of one candidate) refuses the whole ZIP,
          each problem listed; the same ZIP again changes nothing. Audited.
  import-proctors --data DIR FILE
          Assigns proctors to sessions' rooms from a file (监考安排: .csv in
          UTF-8, GB18030 or UTF-16, or .xlsx; columns 场次编号, 考场, 工号,
          姓名, 手机号; see docs/proctors.md). Each session the file names
          gets exactly the file's proctors; a file with any problem is
          refused whole, with the line and column of each.
  import-events --data DIR [--unsigned-ok REASON] FILE
          Imports the events file a revoked kiosk exported: each event is
          stored exactly once, as if uploaded (importing the file again
          changes nothing); the file names its kiosk, which must be
          enrolled here. The file must be signed by the device key the
          kiosk registered at its first contact: a file unsigned, signed
          by another key or changed after signing is refused. A kiosk
          enrolled before device keys has none: its file is refused unless
          --unsigned-ok gives the reason the office trusts it (kept in the
          audit log). Audited.
  stats   --data DIR [--format json|csv|xlsx|pdf] [--college ID] [--term T] [--out FILE]
          Statistics with the 第七条(五)/(六) flags; --term (YYYY-1 autumn,
          YYYY-2 spring) keeps that term's sessions, their totals and the
          flags naming them.
  export-roster --data DIR (--session ID | --term YYYY-1|YYYY-2|all)
          --format csv|xlsx [--full-id --reason R] --out FILE
          Exports people: the session's or the term's roster with
          attendance (late included), check-in time, outcome and score,
          as CSV (UTF-8 with BOM) or Excel; text that a spreadsheet would
          read as a formula is neutralised. ID numbers are masked unless
          --full-id, which needs --reason and is in the audit log.
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
  registration withdraw --data DIR --ticket-number N --reason TEXT [--date YYYY-MM-DD]
  registration move --data DIR --ticket-number N --room CODE --seat SEAT
  registration replace --data DIR --ticket-number N --id-number ID --name NAME
               --student-number S [--class NAME] --new-ticket-number N --reason TEXT
  registration excuse --data DIR --ticket-number N --reason TEXT
          Registration changes (docs/api.md, "Registrations"), each audited
          and reaching kiosks with their next package: withdraw (退考; the
          ticket is revoked, kiosks refuse it as 已退考, it counts nowhere;
          --date defaults to today), move to another room or seat (the
          ticket re-issued, the old serial revoked), replace the candidate
          (the old registration withdrawn, the new candidate on its seat
          with a new ticket number), excuse in advance (请假; counted as
          excused unless the candidate checks in). Running one again
          changes nothing.
  print signin|door|record --data DIR --session ID [--room CODE] --out FILE.pdf
          Prints a session's site paper, A4, one room a page (or pages):
          signin 签到表 (photo, name, masked ID number, ticket number, a box
          to sign; each candidate's status once the session is held), door
          考场门贴 (room, session, time and the seats in large type), record
          考场记录单 (counts, absentees, incidents, conflicts, proctors and
          signature lines). Every room of the session unless --room.
  report-exemption set --data DIR --date YYYY-MM-DD --reason TEXT
  report-exemption remove --data DIR --date YYYY-MM-DD
          The weekly reports' exemption calendar (寒暑假, holidays): the
          week of that Monday owes no report (第七条(二)), or owes one
          again. Audited; running one again changes nothing.
  package --data DIR --site NAME [--room CODE] --date YYYY-MM-DD --out FILE
          Writes the signed session package a kiosk is provisioned with
          (docs/session-package.md): that day's sessions at the site, the
          roster of the room (ID numbers masked), ticket keys, revocations.
  sample-roster --out FILE [--candidates N] [--seed N] [--date YYYY-MM-DD] [--open-now]
          Writes a realistic sample roster CSV (made-up people) to try
          the system with. --open-now: the first certificate's session
          (room 01) is today and open for check-in now, at any hour.
  user add --data DIR --username NAME --role admin|college|academic|hr [--college ID]
          Adds a person; the password is read from KAODIAN_USER_PASSWORD
          or the first line of standard input. admin: 继续教育学院;
          college: a college's viewer (--college ID); academic: 教务处
          (majors, pilots, sites, certificates; reads every college);
          hr: 人事处 (teachers and qualifications only).
  user list --data DIR
  kiosk enrol --data DIR --site NAME [--room CODE] --name NAME
              [--server-url https://HOST:PORT] [--out QR.png]
          Enrols a kiosk and prints, once, its credential and the enrolment
          code (server address, credential, TLS certificate and ticket-key
          fingerprints) that the kiosk scans or a proctor types.
  kiosk revoke --data DIR KIOSK-ID
  kiosk list --data DIR
  backup  --data DIR --out FILE
          Backs up the embedded store while the server serves: one file
          holding the store at one moment, encrypted with the key in
          server.key, and the ticket-signing key, TLS certificate and key.
          The backup does not hold the key: keep a copy of server.key apart.
          PostgreSQL: use pg_dump (docs/operations.md).
  restore --data DIR [--key FILE] [--force] FILE
          Restores a backup into DIR, which must be empty (--force: its
          files are first moved into DIR/before-restore-<time>/). --key is
          the server.key the backup was made under (default DIR/server.key).
          A truncated or damaged file, or another key, is refused.
  metrics-token --data DIR [--revoke]
          Prints a new token for GET /api/v1/metrics, once; only its hash
          is kept. It replaces the earlier token. Audited.

Every command takes --postgres URL (or KAODIAN_POSTGRES_URL) to use a
PostgreSQL store instead of the embedded one; `init` records it in
DIR/server.json so later commands find it.
)";

int cmdInit(const QCommandLineParser &p)
{
    const DataDir dir{p.value("data")};
    if (dir.path.isEmpty())
        return fail(QStringLiteral("--data DIR is required"));
    if (QFile::exists(dir.ticketKey()))
        return fail(QStringLiteral("%1 is already initialised; nothing was changed").arg(dir.path));
    if (!QDir().mkpath(dir.path))
        return fail(QStringLiteral("cannot create %1").arg(dir.path));
    if (!QFile::setPermissions(dir.path, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner))
        return fail(QStringLiteral("cannot make %1 private to its owner (mode 0700)").arg(dir.path));

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
    QByteArray pem = key ? key->toPem() : QByteArray();
    const bool written = !pem.isEmpty() && writePrivateFile(dir.ticketKey(), pem);
    OPENSSL_cleanse(pem.data(), static_cast<size_t>(pem.size())); // the private key, in PEM
    if (!written)
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
    int code = 0;
    auto store = openStoreOrFail(p, &code);
    if (!store)
        return code;
    std::optional<Id> college;
    if (p.isSet("college"))
        college = p.value("college").toLongLong();
    std::optional<SchoolTerm> term;
    if (p.isSet("term") && p.value("term") != QLatin1String("all")) {
        term = SchoolTerm::fromKey(p.value("term"));
        if (!term)
            return fail(QStringLiteral("--term must be YYYY-1 (autumn), YYYY-2 (spring) or all"));
    }
    auto report = store->statistics().report(college, term);
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
        if (term)
            options.scope += QStringLiteral(" · ") + term->label();
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

int cmdSampleRoster(const QCommandLineParser &p)
{
    if (p.value("out").isEmpty())
        return fail(QStringLiteral("sample-roster --out FILE"));
    SampleRosterOptions o;
    if (p.isSet("candidates"))
        o.candidates = std::clamp(p.value("candidates").toInt(), 1, 100000);
    if (p.isSet("seed"))
        o.seed = p.value("seed").toUInt();
    if (p.isSet("open-now")) {
        o.openAt = QDateTime::currentDateTimeUtc();
        o.firstExamDate = examDate(*o.openAt);
    }
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

} // namespace

int runCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QString::fromUtf8(kUsage));
    p.addHelpOption();
    p.addVersionOption();
    p.addPositionalArgument(QStringLiteral("command"), QStringLiteral("init, serve, import, import-results, import-photos, import-proctors, import-events, import-majors, import-pilots, import-teachers, import-sites, certificate, stats, print, export-roster, ticket, tickets, reissue, registration, report-exemption, package, user, kiosk, "
                                                                 "backup, restore, metrics-token"));
    p.addOptions({
        {"data", "Data folder.", "DIR"},
        {"postgres", "PostgreSQL connection URL instead of the embedded store.", "URL"},
        {"admin", "Name of the first admin account (init).", "NAME"},
        {"host", "Extra host name or address for the TLS certificate (init).", "NAME"},
        {"tls-cert", "Use this PEM certificate chain instead of a self-signed one (init).", "FILE"},
        {"tls-key", "The private key of --tls-cert (init).", "FILE"},
        {"listen", "Address and port to serve on (serve).", "ADDRESS:PORT"},
        {"format", "json, csv, xlsx or pdf (stats); csv or xlsx (export-roster).", "FORMAT"},
        {"college", "College id (stats, user add).", "ID"},
        {"out", "Output file (stats, ticket, tickets, reissue, package, backup, print).", "FILE"},
        {"username", "User name (user add).", "NAME"},
        {"role", "admin, college, academic or hr (user add).", "ROLE"},
        {"site", "Exam site name (kiosk enrol).", "NAME"},
        {"room", "Room code (kiosk enrol, print).", "CODE"},
        {"name", "Kiosk name (kiosk enrol), the new candidate's name (registration replace), the certificate (certificate cancel).", "NAME"},
        {"server-url", "The server's address as kiosks reach it (kiosk enrol).", "URL"},
        {"date", "Exam date YYYY-MM-DD (package), the cancellation's date (certificate cancel), a week's Monday (report-exemption).", "DATE"},
        {"ticket-number", "Ticket number 准考证号 (ticket, tickets, reissue).", "N"},
        {"session", "Exam session id (tickets, export-roster, print).", "ID"},
        {"term", "School term YYYY-1 (autumn) or YYYY-2 (spring), or all (stats, export-roster).", "TERM"},
        {"full-id", "Full ID-card numbers instead of masked ones, with --reason; audited (export-roster)."},
        {"per-page", "Tickets a page: 1, 2 or 4 (tickets).", "N"},
        {"candidates", "Number of candidates (sample-roster).", "N"},
        {"seed", "Random seed (sample-roster).", "N"},
        {"open-now", "The first session is today and open for check-in now (sample-roster)."},
        {"key", "The server.key a backup was made under (restore).", "FILE"},
        {"force", "Restore into a folder that is not empty, moving its files aside (restore)."},
        {"revoke", "Revoke the metrics token instead of issuing one (metrics-token)."},
        {"reason", "Why: registration withdraw, replace, excuse; full ID numbers exported (export-roster); a week exempt (report-exemption).", "TEXT"},
        {"seat", "Seat (registration move).", "SEAT"},
        {"id-number", "The new candidate's ID-card number (registration replace).", "ID"},
        {"student-number", "The new candidate's student number (registration replace).", "S"},
        {"class", "The new candidate's class (registration replace).", "NAME"},
        {"new-ticket-number", "The new candidate's ticket number (registration replace).", "N"},
        {"preview", "Show what the roster file would change, change nothing (import)."},
        {"confirm", "Apply the roster file whose preview gave this SHA-256 (import).", "SHA256"},
        {"replace", "Replace results already recorded, for this reason (import-results).", "REASON"},
        {"document", "The document number of a certificate's cancellation (certificate cancel).", "NUMBER"},
        {"level", "Not taken: a certificate is cancelled at every level (certificate cancel says so).", "LEVEL"},
        {"unsigned-ok", "Import the events file of a kiosk with no device key, for this reason (import-events).", "REASON"},
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
    if (command == QLatin1String("import-results"))
        return cmdImportResults(p);
    if (command == QLatin1String("import-photos"))
        return cmdImportPhotos(p);
    if (command == QLatin1String("print"))
        return cmdPrint(p, positional.value(1));
    if (command == QLatin1String("import-proctors"))
        return cmdImportProctors(p);
    if (command == QLatin1String("import-events"))
        return cmdImportEvents(p);
    if (command == QLatin1String("import-majors") || command == QLatin1String("import-pilots")
        || command == QLatin1String("import-teachers") || command == QLatin1String("import-sites"))
        return cmdImportBaseData(p, command);
    if (command == QLatin1String("certificate"))
        return cmdCertificate(p, positional.value(1));
    if (command == QLatin1String("ticket"))
        return cmdTicket(p);
    if (command == QLatin1String("tickets"))
        return cmdTickets(p);
    if (command == QLatin1String("reissue"))
        return cmdReissue(p);
    if (command == QLatin1String("registration"))
        return cmdRegistration(p, positional.value(1));
    if (command == QLatin1String("report-exemption"))
        return cmdReportExemption(p, positional.value(1));
    if (command == QLatin1String("package"))
        return cmdPackage(p);
    if (command == QLatin1String("export-roster"))
        return cmdExportRoster(p);
    if (command == QLatin1String("sample-roster"))
        return cmdSampleRoster(p);
    if (command == QLatin1String("user"))
        return cmdUser(p, positional.value(1));
    if (command == QLatin1String("kiosk"))
        return cmdKiosk(p, positional.value(1));
    if (command == QLatin1String("backup"))
        return cmdBackup(p);
    if (command == QLatin1String("restore"))
        return cmdRestore(p);
    if (command == QLatin1String("metrics-token"))
        return cmdMetricsToken(p);
    err() << "kaodian-server: unknown command " << command << "\n\n" << kUsage;
    return 2;
}

} // namespace kaodian::server
