// The API's handlers past login: each reads its request, calls one office
// use case (server/office) or store read, and writes JSON. Who may call
// and over what scope was settled by the route table before they run
// (api.cpp); ctx.collegeScope and ctx.sessionId carry what it found.

#include "api/api.h"
#include "api/jsonreport.h"
#include "office/cases.h"
#include "office/enrolment.h"
#include "office/kiosks.h"
#include "office/packagebuilder.h"
#include "office/peopleexport.h"
#include "office/registrations.h"
#include "office/rosters.h"
#include "office/sessions.h"
#include "office/tickets.h"
#include "print/compliancetables.h"
#include "print/pdfreport.h"
#include "print/statisticscsv.h"
#include "print/xlsxexport.h"

#include "core/examzone.h"
#include "protocol/eventjson.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QImage>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QRegularExpression>

namespace kaodian::server {

Q_LOGGING_CATEGORY(lcApiHandlers, "kaodian.api")

namespace {

HttpResponse noTicketKey()
{
    return errorResponse(503, QStringLiteral("store_unavailable"), QStringLiteral("服务器未配置准考证签名密钥"));
}

// A ticket number as it may appear in a path: 1–20 of 0-9 A-Z '-'.
bool plausibleTicketNumber(const QString &n)
{
    static const QRegularExpression pattern(QStringLiteral("^[0-9A-Z-]{1,20}$"));
    return pattern.match(n).hasMatch();
}

// ?term=2025-1 (one term), ?term=all or none (every term); false for a
// key that names no term.
bool termParameter(const QUrlQuery &query, std::optional<SchoolTerm> *term)
{
    const QString key = query.queryItemValue(QStringLiteral("term"));
    if (key.isEmpty() || key == QLatin1String("all"))
        return true;
    *term = SchoolTerm::fromKey(key);
    return term->has_value();
}

HttpResponse badTerm()
{
    return errorResponse(400, QStringLiteral("bad_request"),
                         QStringLiteral("term 须为学期，如 2025-1（第一学期）或 2025-2（第二学期），或 all"));
}

QString fileNameParameter(const QUrlQuery &query)
{
    return query.queryItemValue(QStringLiteral("file_name"), QUrl::FullyDecoded).left(200);
}

} // namespace

HttpResponse Api::kioskEvents(ApiContext &ctx)
{
    const auto body = jsonBody(ctx.request);
    if (!body)
        return badJson();
    const QJsonArray array = body->value("events").toArray();
    if (array.size() > m_config.maxEventsPerBatch)
        return errorResponse(413, QStringLiteral("payload_too_large"),
                             QStringLiteral("每批最多 %1 条事件").arg(m_config.maxEventsPerBatch));
    QList<KioskEvent> events;
    events.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        QString why;
        auto e = protocol::eventFromJson(array[i].toObject(), ctx.caller.kiosk->id, &why);
        if (!e) {
            // The batch is refused at its first bad event, of either kind:
            // an earlier event for a candidate of another site comes first.
            if (auto s = office::eventsAtSite(ctx.store, *ctx.caller.kiosk, events); !s)
                return officeFailure(s.error());
            return errorResponse(400, QStringLiteral("bad_event"), QStringLiteral("第 %1 条事件：%2").arg(i + 1).arg(why));
        }
        events.push_back(std::move(*e));
    }
    // What the kiosk still has to send after this batch (optional).
    std::optional<qint64> waiting;
    if (const QJsonValue w = body->value("waiting"); !w.isUndefined() && !w.isNull()) {
        if (!w.isDouble() || w.toInteger(-1) < 0)
            return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("waiting 须为非负整数"));
        waiting = w.toInteger();
    }
    auto outcome = office::uploadEvents(ctx.store, *ctx.caller.kiosk, events, waiting);
    if (!outcome)
        return officeFailure(outcome.error());
    m_metrics.countEvents(outcome->stored, outcome->duplicates);
    QJsonArray acked;
    for (auto id : outcome->acknowledged)
        acked.append(id);
    return jsonResponse(200, {{"stored", outcome->stored},
                              {"duplicates", outcome->duplicates},
                              {"acknowledged", acked},
                              {"high_water_mark", outcome->highWaterMark}});
}

HttpResponse Api::kioskPackage(ApiContext &ctx)
{
    if (!m_config.ticketKey)
        return noTicketKey();
    QDate date = QDate::fromString(ctx.query.queryItemValue("date"), Qt::ISODate);
    if (!date.isValid())
        date = examDate(now());
    const KioskRecord &kiosk = *ctx.caller.kiosk;
    QByteArray version;
    auto bytes = office::buildSessionPackage(ctx.store, kiosk.siteId, kiosk.siteName, kiosk.roomCode, date,
                                             *m_config.ticketKey, &version);
    if (!bytes)
        return storeFailure(bytes.error());
    HttpResponse r;
    r.headers.push_back({"ETag", version});
    // Unchanged since the kiosk's copy: nothing to download again.
    if (ctx.request.headers.value("if-none-match") == version) {
        r.status = 304;
        return r;
    }
    r.body = *bytes;
    return r;
}

HttpResponse Api::statistics(ApiContext &ctx)
{
    std::optional<SchoolTerm> term;
    if (!termParameter(ctx.query, &term))
        return badTerm();
    auto report = ctx.store.statistics().report(ctx.collegeScope, term);
    if (!report)
        return storeFailure(report.error());
    const QByteArray suffix = term ? "-" + term->key().toLatin1() : QByteArray();
    const QString format = ctx.query.queryItemValue("format");
    if (format == QLatin1String("csv"))
        return fileResponse("text/csv; charset=utf-8", "attachment; filename=\"statistics" + suffix + ".csv\"",
                            statisticsToCsv(*report));
    if (format == QLatin1String("xlsx")) {
        const QByteArray xlsx = statisticsToXlsx(*report);
        if (xlsx.isEmpty())
            return errorResponse(500, QStringLiteral("export_failed"), QStringLiteral("无法生成 Excel 文件"));
        return fileResponse("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            "attachment; filename=\"statistics" + suffix + ".xlsx\"", xlsx);
    }
    if (format == QLatin1String("pdf")) {
        PdfReportOptions options;
        options.generatedAt = now();
        options.scope = QStringLiteral("全部二级学院");
        if (ctx.collegeScope)
            options.scope = report->colleges.isEmpty() ? QStringLiteral("二级学院 #%1").arg(*ctx.collegeScope)
                                                       : report->colleges.first().name;
        if (term)
            options.scope += QStringLiteral(" · ") + term->label();
        auto pdf = statisticsToPdf(*report, options);
        if (!pdf) {
            qCWarning(lcApiHandlers) << "summary PDF:" << pdf.error();
            return errorResponse(500, QStringLiteral("export_failed"), QStringLiteral("无法生成 PDF 报告"));
        }
        return fileResponse("application/pdf", "attachment; filename=\"statistics" + suffix + ".pdf\"", *pdf);
    }
    return jsonResponse(200, statisticsToJson(*report));
}

HttpResponse Api::compliance(ApiContext &ctx)
{
    auto board = office::complianceBoard(ctx.store, ctx.collegeScope, ctx.caller.actor());
    if (!board)
        return officeFailure(board.error());
    const QString format = ctx.query.queryItemValue("format");
    const QByteArray name = "compliance-" + board->today.toString(Qt::ISODate).toLatin1();
    if (format == QLatin1String("xlsx")) {
        const ReportTable table = boardTable(*board);
        const ReportTable flags = boardFlagTable(*board);
        const QByteArray xlsx = reportTablesToXlsx({&table, &flags});
        if (xlsx.isEmpty())
            return errorResponse(500, QStringLiteral("export_failed"), QStringLiteral("无法生成 Excel 文件"));
        return fileResponse("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            "attachment; filename=\"" + name + ".xlsx\"", xlsx);
    }
    if (format == QLatin1String("pdf")) {
        PdfReportOptions options;
        options.generatedAt = now();
        options.scope = QStringLiteral("全部试点、考点与二级学院");
        if (ctx.collegeScope)
            for (const auto &r : board->rows)
                if (r.kind == QLatin1String("college"))
                    options.scope = r.name;
        auto pdf = complianceToPdf(*board, options);
        if (!pdf) {
            qCWarning(lcApiHandlers) << "compliance PDF:" << pdf.error();
            return errorResponse(500, QStringLiteral("export_failed"), QStringLiteral("无法生成 PDF 报告"));
        }
        return fileResponse("application/pdf", "attachment; filename=\"" + name + ".pdf\"", *pdf);
    }
    if (!format.isEmpty() && format != QLatin1String("json"))
        return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("format 须为 json、xlsx 或 pdf"));
    return jsonResponse(200, complianceToJson(*board));
}

HttpResponse Api::session(ApiContext &ctx)
{
    const Id sessionId = ctx.sessionId;
    auto report = ctx.store.statistics().report(ctx.collegeScope);
    if (!report)
        return storeFailure(report.error());
    auto roster = ctx.store.rosters().roster(sessionId);
    if (!roster)
        return storeFailure(roster.error());
    QJsonObject session;
    const QJsonArray sessions = statisticsToJson(*report).value("sessions").toArray();
    for (const auto &s : sessions)
        if (s.toObject().value("id").toInteger() == sessionId)
            session = s.toObject();
    QJsonArray flags;
    for (const auto &f : report->flags)
        for (const auto &fs : f.sessions)
            if (fs.sessionId == sessionId)
                flags.append(flagToJson(f));
    auto incidents = ctx.store.events().incidents(sessionId);
    if (!incidents)
        return storeFailure(incidents.error());
    auto conflicts = ctx.store.events().conflicts(sessionId);
    if (!conflicts)
        return storeFailure(conflicts.error());
    auto results = ctx.store.results().officeResults(sessionId);
    if (!results)
        return storeFailure(results.error());
    auto roomIncidents = ctx.store.events().roomIncidents(sessionId);
    if (!roomIncidents)
        return storeFailure(roomIncidents.error());
    auto signOffs = ctx.store.events().signOffs(sessionId);
    if (!signOffs)
        return storeFailure(signOffs.error());
    auto proctors = ctx.store.proctors().assignments(sessionId);
    if (!proctors)
        return storeFailure(proctors.error());
    return jsonResponse(200, {{"session", session},
                              {"proctors", proctorsToJson(*proctors)},
                              {"sign_offs", signOffsToJson(*signOffs)},
                              {"room_incidents", roomIncidentsToJson(*roomIncidents)},
                              {"roster", rosterToJson(*roster)},
                              {"results", officeResultsToJson(*results)},
                              {"flags", flags},
                              {"incidents", incidentsToJson(*incidents)},
                              {"conflicts", protocol::conflictsToJson(*conflicts)}});
}

HttpResponse Api::exportPeople(ApiContext &ctx)
{
    office::PeopleExportRequest request;
    const auto format = office::peopleFormatFromKey(ctx.query.queryItemValue(QStringLiteral("format")));
    if (!format)
        return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("format 须为 csv 或 xlsx"));
    request.format = *format;
    if (ctx.query.hasQueryItem(QStringLiteral("session"))) {
        bool ok = false;
        const Id id = ctx.query.queryItemValue(QStringLiteral("session")).toLongLong(&ok);
        if (!ok || id <= 0)
            return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("session 须为场次编号"));
        request.sessionId = id;
    } else if (!termParameter(ctx.query, &request.term)) {
        return badTerm();
    }
    const QString fullId = ctx.query.queryItemValue(QStringLiteral("full_id"));
    if (!fullId.isEmpty() && fullId != QLatin1String("0") && fullId != QLatin1String("1"))
        return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("full_id 须为 0 或 1"));
    request.idNumbers = fullId == QLatin1String("1") ? IdNumbers::Full : IdNumbers::Masked;
    request.reason = ctx.query.queryItemValue(QStringLiteral("reason"), QUrl::FullyDecoded);
    auto exported = office::exportPeople(ctx.store, request,
                                         {ctx.caller.actor(), ctx.caller.isAdmin(), ctx.collegeScope});
    if (!exported)
        return officeFailure(exported.error());
    return fileResponse(exported->contentType,
                        "attachment; filename=\"" + exported->fileName.toLatin1() + '"', exported->bytes);
}

HttpResponse Api::publishedCount(ApiContext &ctx)
{
    const auto body = jsonBody(ctx.request);
    if (!body)
        return badJson();
    const QJsonValue v = body->value("published_count");
    std::optional<int> count;
    if (!v.isNull()) {
        if (!v.isDouble() || v.toDouble() != double(v.toInt()) || v.toInt() < 0)
            return errorResponse(400, QStringLiteral("bad_request"),
                                 QStringLiteral("公布考试人数须为非负整数，或 null 表示未公布"));
        count = v.toInt();
    }
    if (auto s = office::setPublishedCount(ctx.store, ctx.sessionId, count, ctx.caller.actor()); !s)
        return officeFailure(s.error());
    return jsonResponse(200, {{"session_id", ctx.sessionId}, {"published_count", count ? QJsonValue(*count) : QJsonValue()}});
}

HttpResponse Api::sessionTickets(ApiContext &ctx)
{
    if (!m_config.ticketKey)
        return noTicketKey();
    const int perPage = ctx.query.hasQueryItem("per_page") ? ctx.query.queryItemValue("per_page").toInt() : 4;
    if (perPage != 1 && perPage != 2 && perPage != 4)
        return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("per_page 须为 1、2 或 4"));
    auto printed = office::printTickets(ctx.store, *m_config.ticketKey, {ctx.sessionId, {}}, perPage, ctx.caller.actor());
    if (!printed)
        return officeFailure(printed.error());
    return fileResponse("application/pdf",
                        "attachment; filename=\"tickets-session-" + QByteArray::number(ctx.sessionId) + ".pdf\"",
                        printed->pdf);
}

HttpResponse Api::importRoster(ApiContext &ctx)
{
    const QString fileName = fileNameParameter(ctx.query);
    if (fileName.isEmpty())
        return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("请在 file_name 参数中给出文件名"));
    // ?preview: the difference only; ?confirm=SHA256: apply that file, changes included.
    const bool preview = ctx.query.hasQueryItem(QStringLiteral("preview"));
    const QString confirm = ctx.query.queryItemValue(QStringLiteral("confirm")).left(64);
    if (preview && ctx.query.hasQueryItem(QStringLiteral("confirm")))
        return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("preview 与 confirm 只能给一个"));
    const ImportMode mode = preview                                           ? ImportMode::Preview
                            : ctx.query.hasQueryItem(QStringLiteral("confirm")) ? ImportMode::Confirm
                                                                                : ImportMode::Apply;
    auto summary = office::importRoster(ctx.store, ctx.request.body, fileName, ctx.caller.actor(), mode, confirm);
    if (!summary)
        return officeFailure(summary.error());
    QJsonArray differences;
    for (const auto &d : summary->differences) {
        QJsonObject o{{"kind", d.kind == RosterDifference::Kind::New       ? "new"
                               : d.kind == RosterDifference::Kind::Changed ? "changed"
                                                                           : "withdrawn"},
                      {"line", d.line},
                      {"session_id", d.sessionId},
                      {"ticket_number", d.ticketNumber},
                      {"name", d.name}};
        if (d.kind != RosterDifference::Kind::New) {
            o.insert("from_room", d.fromRoom);
            o.insert("from_seat", d.fromSeat);
        }
        if (d.kind != RosterDifference::Kind::Withdrawn) {
            o.insert("room", d.room);
            o.insert("seat", d.seat);
        }
        differences.append(o);
    }
    return jsonResponse(200, {{"already_imported", summary->alreadyImported},
                              {"previewed", summary->previewed},
                              {"sha256", summary->sha256},
                              {"rows", summary->rows},
                              {"new_candidates", summary->newCandidates},
                              {"new_registrations", summary->newRegistrations},
                              {"unchanged_registrations", summary->unchangedRegistrations},
                              {"changed_registrations", summary->changedRegistrations},
                              {"withdrawn_registrations", summary->withdrawnRegistrations},
                              {"new_sessions", summary->newSessions},
                              {"differences", differences},
                              {"warnings", QJsonArray::fromStringList(summary->warnings)}});
}

HttpResponse Api::ticketImage(ApiContext &ctx)
{
    // The QR of one candidate's ticket, as an image to send to a phone.
    const QString file = ctx.params.value(QStringLiteral("png"));
    if (!file.endsWith(QLatin1String(".png")))
        return notFound();
    const QString number = file.chopped(4).toUpper();
    if (!plausibleTicketNumber(number))
        return notFound();
    if (!m_config.ticketKey)
        return noTicketKey();
    auto png = office::ticketPhoneImage(ctx.store, *m_config.ticketKey, number, ctx.caller.actor());
    if (!png)
        return officeFailure(png.error());
    HttpResponse r = fileResponse("image/png", "inline; filename=\"ticket-" + number.toLatin1() + ".png\"", *png);
    return r;
}

HttpResponse Api::reissue(ApiContext &ctx)
{
    const QString number = ctx.params.value(QStringLiteral("ticket")).toUpper();
    if (!plausibleTicketNumber(number))
        return notFound();
    if (!m_config.ticketKey)
        return noTicketKey();
    auto reissued = office::reissueTicket(ctx.store, *m_config.ticketKey, number, ctx.caller.actor());
    if (!reissued)
        return officeFailure(reissued.error());
    const auto &r = reissued->reissue;
    return jsonResponse(200, {{"ticket_number", number},
                              {"session_id", r.subject.sessionId},
                              {"serial", r.subject.serial},
                              {"revoked_serial", r.revokedSerial},
                              {"revoked_at", r.revokedAt.toString(Qt::ISODate)},
                              {"qr_text", QString::fromLatin1(reissued->qrText)}});
}

namespace {

QJsonObject changeToJson(const RegistrationChange &c)
{
    QJsonObject o{{"changed", c.changed},
                  {"registration_id", c.registrationId},
                  {"ticket_number", c.ticketNumber},
                  {"serial", c.serial},
                  {"room", c.room},
                  {"seat", c.seat}};
    if (c.revokedSerial)
        o.insert("revoked_serial", *c.revokedSerial);
    if (c.replacementId) {
        o.insert("replacement_registration_id", *c.replacementId);
        o.insert("replacement_ticket_number", c.replacementTicket);
    }
    return o;
}

QString bodyText(const QJsonObject &body, const char *key)
{
    return body.value(QLatin1String(key)).toString().left(office::kMaxChangeReason + 1);
}

// A registration change: the {ticket} in the path, a JSON body, the use
// case's answer (or refusal) as JSON.
template<typename Change>
HttpResponse registrationChange(ApiContext &ctx, Change change)
{
    const QString number = ctx.params.value(QStringLiteral("ticket")).toUpper();
    if (!plausibleTicketNumber(number))
        return notFound();
    const auto body = jsonBody(ctx.request);
    if (!body)
        return badJson();
    const OfficeResult<RegistrationChange> changed = change(number, *body);
    if (!changed)
        return officeFailure(changed.error());
    return jsonResponse(200, changeToJson(*changed));
}

} // namespace

HttpResponse Api::withdrawRegistration(ApiContext &ctx)
{
    return registrationChange(ctx, [&](const QString &number, const QJsonObject &body) -> OfficeResult<RegistrationChange> {
        QDate on;
        if (const QString date = body.value("date").toString(); !date.isEmpty()) {
            on = QDate::fromString(date, Qt::ISODate);
            if (!on.isValid())
                return OfficeError::badInput(QStringLiteral("退考日期须为 YYYY-MM-DD"));
        }
        return office::withdrawRegistration(ctx.store, number, on, bodyText(body, "reason"), ctx.caller.actor());
    });
}

HttpResponse Api::moveRegistration(ApiContext &ctx)
{
    return registrationChange(ctx, [&](const QString &number, const QJsonObject &body) {
        return office::moveRegistration(ctx.store, number, bodyText(body, "room"), bodyText(body, "seat"),
                                        ctx.caller.actor());
    });
}

HttpResponse Api::replaceCandidate(ApiContext &ctx)
{
    return registrationChange(ctx, [&](const QString &number, const QJsonObject &body) {
        const ReplacementCandidate newcomer{bodyText(body, "id_number"), bodyText(body, "name"),
                                            bodyText(body, "student_number"), bodyText(body, "class_name"),
                                            bodyText(body, "ticket_number")};
        return office::replaceCandidate(ctx.store, number, newcomer, bodyText(body, "reason"), ctx.caller.actor());
    });
}

HttpResponse Api::excuseRegistration(ApiContext &ctx)
{
    return registrationChange(ctx, [&](const QString &number, const QJsonObject &body) {
        return office::excuseRegistration(ctx.store, number, bodyText(body, "reason"), ctx.caller.actor());
    });
}

HttpResponse Api::auditLog(ApiContext &ctx)
{
    const int limit = std::clamp(ctx.query.queryItemValue("limit").toInt(), 1, 500);
    const int offset = std::max(0, ctx.query.queryItemValue("offset").toInt());
    auto log = ctx.store.audit().entries(ctx.query.hasQueryItem("limit") ? limit : 100, offset);
    if (!log)
        return storeFailure(log.error());
    QJsonArray entries;
    for (const auto &e : *log)
        entries.append(QJsonObject{{"id", e.id},
                                   {"at", e.at.toString(Qt::ISODateWithMs)},
                                   {"actor", e.actor},
                                   {"action", e.action},
                                   {"detail", e.detail}});
    return jsonResponse(200, {{"entries", entries}});
}

HttpResponse Api::listUsers(ApiContext &ctx)
{
    auto list = ctx.store.accounts().users();
    if (!list)
        return storeFailure(list.error());
    const QDateTime at = now();
    QJsonArray users;
    for (const auto &u : *list)
        users.append(QJsonObject{{"id", u.id},
                                 {"username", u.username},
                                 {"role", roleKey(u.role)},
                                 {"college_id", u.collegeId ? QJsonValue(*u.collegeId) : QJsonValue()},
                                 {"locked", u.lockedUntil.isValid() && u.lockedUntil > at}});
    return jsonResponse(200, {{"users", users}});
}

HttpResponse Api::addUser(ApiContext &ctx)
{
    const auto body = jsonBody(ctx.request);
    if (!body)
        return badJson();
    const QString username = body->value("username").toString().trimmed();
    const auto role = roleFromKey(body->value("role").toString());
    if (username.isEmpty() || username.size() > 100 || !role)
        return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("须填写用户名和角色（admin、college、academic 或 hr）"));
    std::optional<Id> college;
    if (*role == Role::CollegeViewer) {
        const qint64 c = body->value("college_id").toInteger(0);
        if (c < 1)
            return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("二级学院用户须指定 college_id"));
        college = c;
    }
    auto id = office::addUser(ctx.store, username, body->value("password").toString(), *role, college,
                              ctx.caller.actor());
    if (!id)
        return officeFailure(id.error());
    return jsonResponse(201, {{"id", *id}, {"username", username}});
}

HttpResponse Api::enrolKiosk(ApiContext &ctx)
{
    const auto body = jsonBody(ctx.request);
    if (!body)
        return badJson();
    if (!m_config.ticketKey || m_config.tlsCertificateSha256.isEmpty())
        return errorResponse(503, QStringLiteral("store_unavailable"), QStringLiteral("服务器未配置证书或签名密钥，无法登记终端"));
    // The address the office reached us by is the one kiosks will use.
    static const QRegularExpression hostPattern(
        QStringLiteral("^[A-Za-z0-9.\\-]+(:[0-9]{1,5})?$|^\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?$"));
    const QString host = QString::fromLatin1(ctx.request.headers.value("host"));
    if (!hostPattern.match(host).hasMatch())
        return errorResponse(400, QStringLiteral("bad_request"), QStringLiteral("请求的 Host 无效"));
    office::KioskEnrolmentRequest enrol;
    enrol.siteName = body->value("site").toString();
    enrol.room = body->value("room").toString();
    enrol.name = body->value("name").toString();
    enrol.serverUrl = QStringLiteral("https://") + host;
    enrol.tlsCertificateSha256 = m_config.tlsCertificateSha256;
    enrol.ticketKeySha256 = m_config.ticketKey->verifyKey().fingerprint();
    auto enrolled = office::enrolKiosk(ctx.store, enrol, ctx.caller.actor());
    if (!enrolled)
        return officeFailure(enrolled.error());
    QByteArray png;
    {
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        office::enrolmentQr(enrolled->code).save(&buffer, "PNG");
    }
    return jsonResponse(201, {{"id", enrolled->kiosk.id},
                              {"name", enrolled->kiosk.name},
                              {"enrolment_code", enrolled->code},
                              {"enrolment_qr_png", QString::fromLatin1(png.toBase64())}});
}

HttpResponse Api::listKiosks(ApiContext &ctx)
{
    auto list = ctx.store.kiosks().all();
    if (!list)
        return storeFailure(list.error());
    auto time = [](const QDateTime &t) { return t.isValid() ? QJsonValue(t.toString(Qt::ISODate)) : QJsonValue(); };
    QJsonArray kiosks;
    for (const auto &k : *list)
        kiosks.append(QJsonObject{{"id", k.id},
                                  {"site", k.siteName},
                                  {"room", k.roomCode.isEmpty() ? QJsonValue() : QJsonValue(k.roomCode)},
                                  {"name", k.name},
                                  {"site_id", k.siteId},
                                  {"room_id", k.roomId ? QJsonValue(*k.roomId) : QJsonValue()},
                                  {"enrolled_at", k.enrolledAt.toString(Qt::ISODate)},
                                  {"revoked_at", time(k.revokedAt)},
                                  {"last_seen_at", time(k.lastSeenAt)},
                                  {"installed_at", time(k.installedAt)},
                                  {"device_key_sha256", k.deviceKey.isEmpty()
                                       ? QJsonValue()
                                       : QJsonValue(QString::fromLatin1(
                                           QCryptographicHash::hash(k.deviceKey, QCryptographicHash::Sha256).toHex()))},
                                  {"events_received", k.eventsReceived},
                                  {"events_waiting", k.eventsWaiting ? QJsonValue(*k.eventsWaiting) : QJsonValue()}});
    return jsonResponse(200, {{"kiosks", kiosks}});
}

HttpResponse Api::revokeKiosk(ApiContext &ctx)
{
    const QString id = ctx.params.value(QStringLiteral("kiosk"));
    if (auto s = office::revokeKiosk(ctx.store, id, ctx.caller.actor()); !s)
        return officeFailure(s.error());
    return jsonResponse(200, {{"id", id}, {"revoked", true}});
}

HttpResponse Api::kioskEventsFile(ApiContext &ctx)
{
    // A revoked kiosk's export file, as raw bytes, signed with its device key
    // (kaodian-kiosk-events/2); unsigned_ok=REASON takes an unsigned one of a
    // kiosk that has no registered key (office/kiosks.h).
    const QString id = ctx.params.value(QStringLiteral("kiosk"));
    QString source = fileNameParameter(ctx.query);
    if (source.isEmpty())
        source = QStringLiteral("（上传）");
    const QString unsignedReason
        = ctx.query.queryItemValue(QStringLiteral("unsigned_ok"), QUrl::FullyDecoded).trimmed().left(500);
    auto imported
        = office::importEventsFile(ctx.store, ctx.request.body, source, id, ctx.caller.actor(), unsignedReason);
    if (!imported)
        return officeFailure(imported.error());
    m_metrics.countEvents(imported->outcome.stored, imported->outcome.duplicates);
    return jsonResponse(200, {{"kiosk_id", id},
                              {"events", imported->events},
                              {"stored", imported->outcome.stored},
                              {"duplicates", imported->outcome.duplicates},
                              {"high_water_mark", imported->outcome.highWaterMark}});
}

} // namespace kaodian::server
