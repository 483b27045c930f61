#include "cli/officecommands.h"
#include "office/basedata.h"
#include "import/basedataimport.h"

#include "cli/clisupport.h"
#include "http/tlscert.h"
#include "office/enrolment.h"
#include "office/kiosks.h"
#include "office/packagebuilder.h"
#include "office/peopleexport.h"
#include "office/photos.h"
#include "office/sitepaper.h"
#include "office/registrations.h"
#include "office/proctors.h"
#include "office/results.h"
#include "office/rosters.h"
#include "office/sessions.h"
#include "office/tickets.h"
#include "office/weeklyreports.h"
#include "print/ticketpdf.h"
#include "import/resultimport.h"
#include "import/rosterimport.h"

#include "core/examzone.h"
#include "protocol/sessionpackage.h"
#include "qr/qrcodec.h"

#include <QFileInfo>
#include <QImage>
#include <QSaveFile>

namespace kaodian::server::cli {

namespace {

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

// The file an import command names, at most maxBytes; empty with *code set
// (and the reason printed) when it cannot be read or is too large.
std::optional<QByteArray> readImportFile(const QString &path, qint64 maxBytes, int *code)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *code = fail(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
        return std::nullopt;
    }
    if (file.size() > maxBytes) {
        *code = fail(QStringLiteral("%1 is larger than %2 MiB").arg(path).arg(maxBytes >> 20));
        return std::nullopt;
    }
    return file.readAll();
}

// A refused file: every problem with its line and column, exit code 3.
int refusedFile(const QString &name, const QList<ImportProblem> &problems)
{
    err() << name << ": refused, nothing imported (" << problems.size() << " problems)" << Qt::endl;
    for (const auto &pr : problems)
        err() << "  " << (pr.line > 0 ? QStringLiteral("第 %1 行").arg(pr.line) : QStringLiteral("文件"))
              << (pr.column.isEmpty() ? QString() : QStringLiteral("「%1」").arg(pr.column)) << "：" << pr.message
              << Qt::endl;
    return 3;
}

} // namespace

int cmdImport(const QCommandLineParser &p)
{
    const QStringList rest = p.positionalArguments().mid(1);
    if (rest.size() != 1)
        return fail(QStringLiteral("import --data DIR FILE"));
    int code = 0;
    const auto file = readImportFile(rest.first(), kRosterMaxFileBytes, &code);
    if (!file)
        return code;
    const QByteArray &bytes = *file;
    auto store = openStoreOrFail(p, &code);
    if (!store)
        return code;
    const QString name = QFileInfo(rest.first()).fileName();
    if (p.isSet("preview") && p.isSet("confirm"))
        return fail(QStringLiteral("import: --preview or --confirm, not both"));
    const ImportMode mode = p.isSet("preview")   ? ImportMode::Preview
                            : p.isSet("confirm") ? ImportMode::Confirm
                                                 : ImportMode::Apply;
    auto imported = office::importRoster(*store, bytes, name, QStringLiteral("cli"), mode, p.value("confirm"));
    if (imported) {
        const auto &s = *imported;
        if (s.alreadyImported) {
            out() << name << ": imported before; nothing changed" << Qt::endl;
            return 0;
        }
        out() << name << (s.previewed ? " (preview, nothing written): " : ": ") << s.rows << " rows; "
              << s.newCandidates << " new candidates, " << s.newRegistrations << " new registrations, "
              << s.unchangedRegistrations << " unchanged, " << s.newSessions << " new sessions";
        if (s.previewed || s.changedRegistrations > 0 || s.withdrawnRegistrations > 0)
            out() << "; " << s.changedRegistrations << " changed (tickets re-issued), " << s.withdrawnRegistrations
                  << " withdrawn";
        out() << Qt::endl;
        for (const QString &w : s.warnings)
            out() << "  提醒：" << w << Qt::endl;
        if (s.previewed) {
            for (const auto &d : s.differences) {
                switch (d.kind) {
                case RosterDifference::Kind::New:
                    out() << "  新增 " << d.ticketNumber << ' ' << d.name << " 考场 " << d.room << " 座位 " << d.seat;
                    break;
                case RosterDifference::Kind::Changed:
                    out() << "  改动 " << d.ticketNumber << ' ' << d.name << " 考场 " << d.fromRoom << " 座位 "
                          << d.fromSeat << " → 考场 " << d.room << " 座位 " << d.seat << "（重新签发准考证）";
                    break;
                case RosterDifference::Kind::Withdrawn:
                    out() << "  退考 " << d.ticketNumber << ' ' << d.name << " 考场 " << d.fromRoom << " 座位 "
                          << d.fromSeat;
                    break;
                }
                out() << Qt::endl;
            }
            out() << "sha256 " << s.sha256 << Qt::endl
                  << "to apply: import --data DIR --confirm " << s.sha256 << ' ' << rest.first() << Qt::endl;
        }
        return 0;
    }
    if (imported.error().kind != OfficeError::Kind::Refused)
        return fail(imported.error().message);
    if (imported.error().problems.isEmpty()) { // needs a confirmation, or not the previewed file
        err() << name << ": " << imported.error().message << Qt::endl;
        return 3;
    }
    return refusedFile(name, imported.error().problems);
}

int cmdImportResults(const QCommandLineParser &p)
{
    const QStringList rest = p.positionalArguments().mid(1);
    if (rest.size() != 1)
        return fail(QStringLiteral("import-results --data DIR [--replace REASON] FILE"));
    const bool replace = p.isSet("replace");
    const QString reason = p.value("replace").trimmed();
    if (replace && reason.isEmpty())
        return fail(QStringLiteral("--replace needs the reason, e.g. --replace \"评价组织更正了第 3 行的成绩\""));
    int code = 0;
    const auto file = readImportFile(rest.first(), kResultsMaxFileBytes, &code);
    if (!file)
        return code;
    const QByteArray &bytes = *file;
    auto store = openStoreOrFail(p, &code);
    if (!store)
        return code;
    const QString name = QFileInfo(rest.first()).fileName();
    auto imported = office::importResults(*store, bytes, name, replace, reason, QStringLiteral("cli"));
    if (imported) {
        const auto &s = *imported;
        if (s.alreadyImported)
            out() << name << ": imported before; nothing changed" << Qt::endl;
        else
            out() << name << ": " << s.rows << " rows; " << s.recorded << " new results, " << s.unchanged
                  << " unchanged, " << s.replaced << " replaced" << Qt::endl;
        return 0;
    }
    if (imported.error().kind != OfficeError::Kind::Refused)
        return fail(imported.error().message);
    return refusedFile(name, imported.error().problems);
}

int cmdImportBaseData(const QCommandLineParser &p, const QString &command)
{
    const auto kind = office::baseDataKindFromKey(command.mid(QStringLiteral("import-").size()));
    const QStringList rest = p.positionalArguments().mid(1);
    if (!kind || rest.size() != 1)
        return fail(QStringLiteral("%1 --data DIR FILE").arg(command));
    int code = 0;
    const auto file = readImportFile(rest.first(), kBaseDataMaxFileBytes, &code);
    if (!file)
        return code;
    auto store = openStoreOrFail(p, &code);
    if (!store)
        return code;
    const QString name = QFileInfo(rest.first()).fileName();
    auto imported = office::importBaseData(*store, *kind, *file, name, QStringLiteral("cli"));
    if (imported) {
        const auto &s = *imported;
        if (!s.changed())
            out() << name << ": " << s.rows << " rows, all as stored; nothing changed" << Qt::endl;
        else
            out() << name << ": " << s.rows << " rows; " << s.created << " created, " << s.updated << " updated, "
                  << s.removed << " removed, " << s.unchanged << " unchanged" << Qt::endl;
        for (const QString &w : s.warnings)
            out() << "  提醒：" << w << Qt::endl;
        return 0;
    }
    if (imported.error().kind != OfficeError::Kind::Refused)
        return fail(imported.error().message);
    return refusedFile(name, imported.error().problems);
}

int cmdCertificate(const QCommandLineParser &p, const QString &action)
{
    if (action != QLatin1String("cancel"))
        return fail(QStringLiteral("certificate cancel --data DIR --name CERTIFICATE --date YYYY-MM-DD --document NUMBER"));
    if (p.isSet("level"))
        return fail(QStringLiteral("证书取消针对整个证书（各等级一并取消），不能只取消某一等级：请去掉 --level"));
    if (p.value("name").trimmed().isEmpty() || p.value("date").isEmpty() || p.value("document").trimmed().isEmpty())
        return fail(QStringLiteral("certificate cancel needs --name CERTIFICATE --date YYYY-MM-DD --document NUMBER"));
    int code = 0;
    auto store = openStoreOrFail(p, &code);
    if (!store)
        return code;
    auto r = office::cancelCertificate(*store, p.value("name"), p.value("date"), p.value("document"), QStringLiteral("cli"));
    if (!r)
        return fail(r.error().message);
    out() << (*r ? "cancelled: " : "already cancelled so; nothing changed: ") << p.value("name").trimmed() << Qt::endl;
    return 0;
}

int cmdImportProctors(const QCommandLineParser &p)
{
    const QStringList rest = p.positionalArguments().mid(1);
    if (rest.size() != 1)
        return fail(QStringLiteral("import-proctors --data DIR FILE"));
    int code = 0;
    const auto file = readImportFile(rest.first(), kProctorsMaxFileBytes, &code);
    if (!file)
        return code;
    auto store = openStoreOrFail(p, &code);
    if (!store)
        return code;
    const QString name = QFileInfo(rest.first()).fileName();
    auto imported = office::importProctors(*store, *file, name, QStringLiteral("cli"));
    if (imported) {
        out() << name << ": " << imported->rows << " proctors assigned in " << imported->sessions << " sessions ("
              << imported->newProctors << " new)" << Qt::endl;
        return 0;
    }
    if (imported.error().kind != OfficeError::Kind::Refused)
        return fail(imported.error().message);
    return refusedFile(name, imported.error().problems);
}

int cmdImportEvents(const QCommandLineParser &p)
{
    const QStringList rest = p.positionalArguments().mid(1);
    if (rest.size() != 1)
        return fail(QStringLiteral("import-events --data DIR [--unsigned-ok REASON] FILE"));
    const QString unsignedReason = p.value("unsigned-ok").trimmed();
    if (p.isSet("unsigned-ok") && unsignedReason.isEmpty())
        return fail(QStringLiteral("--unsigned-ok needs the reason the file is trusted, e.g. --unsigned-ok \"carried from the kiosk by hand\""));
    QFile file(rest.first());
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read %1: %2").arg(rest.first(), file.errorString()));
    const QByteArray bytes = file.readAll();
    const QString name = QFileInfo(rest.first()).fileName();
    int code = 0;
    auto store = openStoreOrFail(p, &code);
    if (!store)
        return code;
    auto imported = office::importEventsFile(*store, bytes, name, QString(), QStringLiteral("cli"), unsignedReason);
    if (!imported) {
        err() << name << ": refused, nothing imported: " << imported.error().message << Qt::endl;
        const auto kind = imported.error().kind;
        return kind == OfficeError::Kind::Refused || kind == OfficeError::Kind::NotFound ? 3 : 1;
    }
    out() << name << ": kiosk " << imported->kioskId << ", " << imported->events << " events; "
          << imported->outcome.stored << " stored, " << imported->outcome.duplicates << " already held" << Qt::endl;
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
    auto store = openStoreOrFail(p, &code);
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
    auto store = openStoreOrFail(p, &code);
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
    auto store = openStoreOrFail(p, &code);
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

int cmdRegistration(const QCommandLineParser &p, const QString &action)
{
    static const QString usage = QStringLiteral(
        "registration withdraw --data DIR --ticket-number N --reason TEXT [--date YYYY-MM-DD]\n"
        "registration move     --data DIR --ticket-number N --room CODE --seat SEAT\n"
        "registration replace  --data DIR --ticket-number N --id-number ID --name NAME --student-number S\n"
        "                      [--class NAME] --new-ticket-number N --reason TEXT\n"
        "registration excuse   --data DIR --ticket-number N --reason TEXT");
    const QString number = p.value("ticket-number").trimmed().toUpper();
    if (number.isEmpty() || p.values("ticket-number").size() != 1)
        return fail(usage);
    QDate on;
    if (action == QLatin1String("withdraw") && p.isSet("date")) {
        on = QDate::fromString(p.value("date"), Qt::ISODate);
        if (!on.isValid())
            return fail(QStringLiteral("--date must be YYYY-MM-DD"));
    }
    if (action != QLatin1String("withdraw") && action != QLatin1String("move") && action != QLatin1String("replace")
        && action != QLatin1String("excuse"))
        return fail(usage);
    int code = 0;
    auto store = openStoreOrFail(p, &code);
    if (!store)
        return code;
    const QString actor = QStringLiteral("cli");
    OfficeResult<RegistrationChange> changed = OfficeError::badInput(usage);
    if (action == QLatin1String("withdraw"))
        changed = office::withdrawRegistration(*store, number, on, p.value("reason"), actor);
    else if (action == QLatin1String("move"))
        changed = office::moveRegistration(*store, number, p.value("room"), p.value("seat"), actor);
    else if (action == QLatin1String("replace"))
        changed = office::replaceCandidate(*store, number,
                                           {p.value("id-number"), p.value("name"), p.value("student-number"),
                                            p.value("class"), p.value("new-ticket-number")},
                                           p.value("reason"), actor);
    else
        changed = office::excuseRegistration(*store, number, p.value("reason"), actor);
    if (!changed)
        return fail(changed.error().message);
    const RegistrationChange &c = *changed;
    const char *done = action == QLatin1String("withdraw") ? "withdrawn"
                       : action == QLatin1String("move")   ? "moved"
                       : action == QLatin1String("replace") ? "replaced"
                                                            : "excused";
    if (!c.changed) {
        out() << "ticket " << number << ": already " << done << "; nothing changed" << Qt::endl;
        return 0;
    }
    out() << "ticket " << number << ": " << done;
    if (c.revokedSerial)
        out() << "; serial " << *c.revokedSerial << " revoked";
    if (action == QLatin1String("move"))
        out() << "; now room " << c.room << " seat " << c.seat << ", ticket serial " << c.serial
              << " (print it with `tickets`)";
    if (c.replacementId)
        out() << "; the new candidate's ticket is " << c.replacementTicket << " (print it with `tickets`)";
    out() << "; kiosks receive it with their next package" << Qt::endl;
    return 0;
}

int cmdReportExemption(const QCommandLineParser &p, const QString &action)
{
    static const QString usage = QStringLiteral("report-exemption set    --data DIR --date YYYY-MM-DD --reason TEXT\n"
                                                "report-exemption remove --data DIR --date YYYY-MM-DD");
    const bool set = action == QLatin1String("set");
    if ((!set && action != QLatin1String("remove")) || !p.isSet("date"))
        return fail(usage);
    const QDate monday = QDate::fromString(p.value("date"), Qt::ISODate);
    if (!monday.isValid())
        return fail(QStringLiteral("--date must be YYYY-MM-DD"));
    int code = 0;
    auto store = openStoreOrFail(p, &code);
    if (!store)
        return code;
    const auto changed = set ? office::setReportExemption(*store, monday, p.value("reason"), QStringLiteral("cli"))
                             : office::removeReportExemption(*store, monday, QStringLiteral("cli"));
    if (!changed)
        return fail(changed.error().message);
    const QString week = monday.toString(Qt::ISODate);
    if (!*changed)
        out() << "week of " << week << ": already " << (set ? "exempt" : "owing a report") << "; nothing changed" << Qt::endl;
    else
        out() << "week of " << week << (set ? ": exempt from weekly reports" : ": owes a weekly report again") << Qt::endl;
    return 0;
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
    auto store = openStoreOrFail(p, &code);
    if (!store)
        return code;
    auto site = store->rosters().siteIdByName(p.value("site"));
    if (!site)
        return fail(site.error().message);
    if (!site->has_value())
        return fail(QStringLiteral("no exam site named %1").arg(p.value("site")));
    auto bytes = office::buildSessionPackage(*store, **site, p.value("site"), p.value("room"), date, *key, nullptr,
                                             office::PackagePhotos::Included);
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
          << package->roster.size() << " candidates, " << package->photos.size() << " photos; signed by ticket key " << key->verifyKey().fingerprint() << Qt::endl;
    return 0;
}

int cmdUser(const QCommandLineParser &p, const QString &action)
{
    int code = 0;
    auto store = openStoreOrFail(p, &code);
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
        return fail(QStringLiteral("user add needs --username and --role admin|college|academic|hr"));
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
    auto store = openStoreOrFail(p, &code);
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

int cmdExportRoster(const QCommandLineParser &p)
{
    // The CLI runs as the office, on the server's own machine: it may ask
    // for full ID numbers, with a reason, audited as "cli".
    office::PeopleExportRequest request;
    if (p.isSet("session") == p.isSet("term"))
        return fail(QStringLiteral("export-roster --data DIR (--session ID | --term YYYY-1|YYYY-2|all)"
                                   " --format csv|xlsx [--full-id --reason R] --out FILE"));
    if (p.isSet("session")) {
        bool ok = false;
        request.sessionId = p.value("session").toLongLong(&ok);
        if (!ok || *request.sessionId <= 0)
            return fail(QStringLiteral("--session must be a session id"));
    } else if (p.value("term") != QLatin1String("all")) {
        request.term = SchoolTerm::fromKey(p.value("term"));
        if (!request.term)
            return fail(QStringLiteral("--term must be YYYY-1 (autumn), YYYY-2 (spring) or all"));
    }
    const auto format = office::peopleFormatFromKey(p.value("format"));
    if (!format)
        return fail(QStringLiteral("--format must be csv or xlsx"));
    request.format = *format;
    if (p.isSet("reason") && !p.isSet("full-id"))
        return fail(QStringLiteral("--reason goes with --full-id"));
    request.idNumbers = p.isSet("full-id") ? IdNumbers::Full : IdNumbers::Masked;
    request.reason = p.value("reason");
    if (p.value("out").isEmpty())
        return fail(QStringLiteral("export-roster needs --out FILE"));
    int code = 0;
    auto store = openStoreOrFail(p, &code);
    if (!store)
        return code;
    auto exported = office::exportPeople(*store, request, {QStringLiteral("cli"), true, std::nullopt});
    if (!exported)
        return fail(exported.error().message);
    QSaveFile f(p.value("out"));
    if (!f.open(QIODevice::WriteOnly) || f.write(exported->bytes) != exported->bytes.size() || !f.commit())
        return fail(QStringLiteral("cannot write %1").arg(p.value("out")));
    out() << "wrote " << exported->rows << " people to " << p.value("out") << Qt::endl;
    return 0;
}

int cmdImportPhotos(const QCommandLineParser &p)
{
    const QStringList rest = p.positionalArguments().mid(1);
    if (rest.size() != 1)
        return fail(QStringLiteral("import-photos --data DIR FILE.zip"));
    const DataDir dir{p.value("data")};
    int code = 0;
    const auto file = readImportFile(rest.first(), office::kPhotosMaxFileBytes, &code);
    if (!file)
        return code;
    const auto key = readTicketKey(dir, &code);
    if (!key)
        return code;
    auto store = openStoreOrFail(p, &code);
    if (!store)
        return code;
    const QString name = QFileInfo(rest.first()).fileName();
    auto imported = office::importPhotos(*store, *key, *file, name, QStringLiteral("cli"));
    if (imported) {
        const auto &s = *imported;
        out() << name << ": " << s.photos << " photos; " << s.applied.added << " new, " << s.applied.replaced
              << " replaced, " << s.applied.unchanged << " unchanged" << Qt::endl;
        return 0;
    }
    if (imported.error().kind != OfficeError::Kind::Refused)
        return fail(imported.error().message);
    return refusedFile(name, imported.error().problems);
}

int cmdPrint(const QCommandLineParser &p, const QString &what)
{
    const auto kind = office::sitePaperKind(what);
    bool idOk = false;
    const Id sessionId = p.value("session").toLongLong(&idOk);
    if (!kind || !idOk || sessionId < 1 || p.value("out").isEmpty())
        return fail(QStringLiteral("print signin|door|record --data DIR --session ID [--room CODE] --out FILE.pdf"));
    const DataDir dir{p.value("data")};
    int code = 0;
    const auto key = readTicketKey(dir, &code);
    if (!key)
        return code;
    auto store = openStoreOrFail(p, &code);
    if (!store)
        return code;
    auto printed = office::printSitePaper(*store, *key, *kind, sessionId, p.value("room").trimmed(), QStringLiteral("cli"));
    if (!printed)
        return fail(printed.error().message);
    QSaveFile f(p.value("out"));
    if (!f.open(QIODevice::WriteOnly) || f.write(printed->pdf) != printed->pdf.size() || !f.commit())
        return fail(QStringLiteral("cannot write %1").arg(p.value("out")));
    out() << "wrote " << office::sitePaperName(*kind) << " for " << printed->rooms << " rooms (" << printed->candidates
          << " candidates) to " << p.value("out") << Qt::endl;
    return 0;
}

} // namespace kaodian::server::cli
