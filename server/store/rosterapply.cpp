#include "store/registrationchange.h"
#include "store/rosterstore.h"
#include "store/storeutil.h"

#include "core/compliance.h"
#include "core/examzone.h"

#include <QHash>
#include <QSet>

#include <algorithm>

namespace kaodian::server {

namespace {

// Finds rows by natural key, creating them when missing, with a cache so a
// file of thousands of rows asks the database once per distinct name.
class Resolver
{
public:
    explicit Resolver(SqlConnection &sql) : m_sql(sql) {}

    // SELECT id by key; INSERT when absent.
    Result<Id, StoreError> getOrCreate(const QString &cacheKey, const QString &select, const QVariantList &keyParams,
                                       const QString &insert, const QVariantList &insertParams, bool *created = nullptr)
    {
        if (auto it = m_cache.constFind(cacheKey); it != m_cache.constEnd())
            return *it;
        auto found = m_sql.query(select, keyParams);
        if (!found)
            return found.error();
        Id id = 0;
        if (!found->isEmpty()) {
            id = found->first().first().toLongLong();
        } else {
            auto inserted = m_sql.insertReturningId(insert, insertParams);
            if (!inserted)
                return inserted.error();
            id = *inserted;
            if (created)
                *created = true;
        }
        m_cache.insert(cacheKey, id);
        return id;
    }

private:
    SqlConnection &m_sql;
    QHash<QString, Id> m_cache;
};

ImportFailure storeFailure(const StoreError &e)
{
    return ImportFailure{{}, e, std::nullopt};
}

// Where a row belongs: its college's major, the pilot (and its major),
// the site's room and the session, each found by name or created.
struct RowPlace
{
    Id major = 0, room = 0, session = 0, pilot = 0, site = 0;
    bool sessionCreated = false;
};

Result<RowPlace, StoreError> resolvePlace(SqlConnection &sql, Resolver &resolve, const RosterRow &row)
{
    auto college = resolve.getOrCreate(QStringLiteral("college|") + row.college,
                                       QStringLiteral("SELECT id FROM college WHERE name = ?"), {row.college},
                                       QStringLiteral("INSERT INTO college (name) VALUES (?)"), {row.college});
    if (!college)
        return college.error();
    auto major = resolve.getOrCreate(QStringLiteral("major|%1|%2").arg(*college).arg(row.major),
                                     QStringLiteral("SELECT id FROM major WHERE college_id = ? AND name = ?"),
                                     {*college, row.major},
                                     QStringLiteral("INSERT INTO major (college_id, name) VALUES (?, ?)"),
                                     {*college, row.major});
    if (!major)
        return major.error();
    auto certificate = resolve.getOrCreate(
        QStringLiteral("cert|") + row.certificate, QStringLiteral("SELECT id FROM certificate WHERE name = ?"),
        {row.certificate}, QStringLiteral("INSERT INTO certificate (name, training_org) VALUES (?, ?)"),
        {row.certificate, row.trainingOrganisation});
    if (!certificate)
        return certificate.error();
    const int level = static_cast<int>(row.level);
    auto pilot = resolve.getOrCreate(
        QStringLiteral("pilot|%1|%2|%3").arg(*college).arg(*certificate).arg(level),
        QStringLiteral("SELECT id FROM pilot WHERE college_id = ? AND certificate_id = ? AND level = ?"),
        {*college, *certificate, level},
        QStringLiteral("INSERT INTO pilot (college_id, certificate_id, level) VALUES (?, ?, ?)"),
        {*college, *certificate, level});
    if (!pilot)
        return pilot.error();
    // A registered pilot's majors are the approved ones 教务处 imported; a
    // pilot nobody registered (未登记) keeps the majors of its candidates.
    if (auto r = sql.query(QStringLiteral("{INSERT_IGNORE} INTO pilot_major (pilot_id, major_id)"
                                          " SELECT CAST(? AS BIGINT), CAST(? AS BIGINT)"
                                          " WHERE EXISTS (SELECT 1 FROM pilot WHERE id = ? AND registered = 0)"
                                          " {ON_CONFLICT_IGNORE}"),
                           {*pilot, *major, *pilot});
        !r)
        return r.error();
    auto site = resolve.getOrCreate(QStringLiteral("site|") + row.site,
                                    QStringLiteral("SELECT id FROM site WHERE name = ?"), {row.site},
                                    QStringLiteral("INSERT INTO site (name) VALUES (?)"), {row.site});
    if (!site)
        return site.error();
    auto room = resolve.getOrCreate(QStringLiteral("room|%1|%2").arg(*site).arg(row.room),
                                    QStringLiteral("SELECT id FROM room WHERE site_id = ? AND code = ?"),
                                    {*site, row.room},
                                    QStringLiteral("INSERT INTO room (site_id, code) VALUES (?, ?)"),
                                    {*site, row.room});
    if (!room)
        return room.error();
    const QString date = row.examDate.toString(Qt::ISODate);
    const QString start = row.startTime.toString(QStringLiteral("HH:mm"));
    const QString end = row.endTime.isValid() ? row.endTime.toString(QStringLiteral("HH:mm")) : QString();
    bool sessionCreated = false;
    auto session = resolve.getOrCreate(
        QStringLiteral("session|%1|%2|%3|%4").arg(*pilot).arg(*site).arg(date, start),
        QStringLiteral("SELECT id FROM exam_session WHERE pilot_id = ? AND site_id = ? AND exam_date = ?"
                       " AND start_time = ?"),
        {*pilot, *site, date, start},
        QStringLiteral("INSERT INTO exam_session (pilot_id, site_id, exam_date, start_time, end_time)"
                       " VALUES (?, ?, ?, ?, ?)"),
        {*pilot, *site, date, start, end}, &sessionCreated);
    if (!session)
        return session.error();
    return RowPlace{*major, *room, *session, *pilot, *site, sessionCreated};
}

// A withdrawn pilot (取消试点) or site (取消考点) takes no new sessions
// (DESIGN.md "Cases"); its sessions from before stay. Why this row's new
// session is refused, or empty.
Result<QString, StoreError> withdrawnRefusal(SqlConnection &sql, const RowPlace &place, const RosterRow &row)
{
    auto pilot = sql.query(QStringLiteral("SELECT withdrawn_at, withdrawn_case FROM pilot WHERE id = ?"), {place.pilot});
    if (!pilot)
        return pilot.error();
    if (!pilot->isEmpty() && !pilot->first()[0].isNull())
        return QStringLiteral("试点 %1 %2（%3）已于 %4 取消（案件 #%5），不能再安排新的考试场次")
            .arg(row.certificate, levelName(row.level), row.college,
                 examClock(parseStoreTime(pilot->first()[0].toString()), QStringLiteral("yyyy-MM-dd")))
            .arg(pilot->first()[1].toLongLong());
    auto site = sql.query(QStringLiteral("SELECT withdrawn_at, withdrawn_case FROM site WHERE id = ?"), {place.site});
    if (!site)
        return site.error();
    if (!site->isEmpty() && !site->first()[0].isNull())
        return QStringLiteral("考点 %1 已于 %2 取消（案件 #%3），不能再安排新的考试场次")
            .arg(row.site, examClock(parseStoreTime(site->first()[0].toString()), QStringLiteral("yyyy-MM-dd")))
            .arg(site->first()[1].toLongLong());
    return QString();
}

// The roster's checks of the rules' data (docs/compliance.md): a session at
// a site whose agreement does not hold on its date is refused (第九条(五));
// a site with no agreement recorded, a pilot nobody registered (未登记) and
// more candidates than a pilot's 批准人数 are warnings.
class RosterRuleChecks
{
public:
    explicit RosterRuleChecks(SqlConnection &sql) : m_sql(sql) {}

    // Once per site and date, at the first row of each.
    Status<StoreError> checkSite(const RosterRow &row, Id site, ProblemCollector &problems, QStringList &warnings)
    {
        const QString key = QStringLiteral("%1|%2").arg(site).arg(row.examDate.toString(Qt::ISODate));
        if (m_sitesSeen.contains(key))
            return {};
        m_sitesSeen.insert(key);
        auto r = m_sql.query(QStringLiteral("SELECT name, agreement_number, agreement_starts, agreement_expires FROM site"
                                            " WHERE id = ?"),
                             {site});
        if (!r)
            return r.error();
        const auto &s = r->first();
        SiteAgreement agreement{site, s[0].toString(), s[1].toString(),
                                s[3].isNull() ? QDate() : QDate::fromString(s[3].toString(), Qt::ISODate)};
        if (agreement.agreementNumber.isEmpty() && !agreement.validUntil.isValid()) {
            // No agreement recorded at all: the site may be one the office
            // has not yet entered, not one whose agreement ended. Imported,
            // and said; the board flags the site (第九条(五)).
            const QString w = QStringLiteral("考点「%1」没有登记合作协议（第九条(五)）：本名单照常导入，请教务处导入考点名单").arg(agreement.siteName);
            if (!warnings.contains(w))
                warnings.append(w);
            return {};
        }
        QString refusal = sessionRefusedAtSite(agreement, row.examDate);
        const QDate starts = s[2].isNull() ? QDate() : QDate::fromString(s[2].toString(), Qt::ISODate);
        if (refusal.isEmpty() && starts.isValid() && row.examDate < starts)
            refusal = QStringLiteral("考点「%1」的合作协议（%2）自 %3 起生效，不能安排 %4 的考试（第九条(五)）")
                          .arg(agreement.siteName, agreement.agreementNumber, starts.toString(Qt::ISODate),
                               row.examDate.toString(Qt::ISODate));
        if (!refusal.isEmpty())
            problems.add(row.line, QStringLiteral("考点"), refusal);
        return {};
    }

    void notePilot(Id pilot) { m_pilots.insert(pilot); }

    // After the file's registrations are in place.
    Status<StoreError> checkPilots(QStringList &warnings)
    {
        QList<Id> pilots(m_pilots.cbegin(), m_pilots.cend());
        std::sort(pilots.begin(), pilots.end());
        for (Id pilot : std::as_const(pilots)) {
            auto r = m_sql.query(
                QStringLiteral("SELECT ce.name, p.level, co.name, p.registered, p.approved_count,"
                               " (SELECT COUNT(DISTINCT r.candidate_id) FROM registration r JOIN exam_session s"
                               "   ON s.id = r.session_id WHERE s.pilot_id = p.id AND r.withdrawn_at IS NULL)"
                               " FROM pilot p JOIN certificate ce ON ce.id = p.certificate_id"
                               " JOIN college co ON co.id = p.college_id WHERE p.id = ?"),
                {pilot});
            if (!r)
                return r.error();
            const auto &p = r->first();
            const QString name = QStringLiteral("%1 %2（%3）")
                                     .arg(p[0].toString(), levelName(static_cast<CertificateLevel>(p[1].toLongLong())),
                                          p[2].toString());
            if (p[3].toLongLong() == 0)
                warnings.append(QStringLiteral("试点 %1 未登记：试点名单中没有这个试点，已按名单记为未登记，"
                                               "请教务处导入试点名单或在基础数据页登记")
                                    .arg(name));
            else if (!p[4].isNull() && p[5].toLongLong() > p[4].toLongLong())
                warnings.append(QStringLiteral("试点 %1 已报名 %2 人，超过批准人数 %3 人")
                                    .arg(name)
                                    .arg(p[5].toLongLong())
                                    .arg(p[4].toLongLong()));
        }
        return {};
    }

private:
    SqlConnection &m_sql;
    QSet<QString> m_sitesSeen;
    QSet<Id> m_pilots;
};

} // namespace

Result<ImportSummary, ImportFailure> RosterStore::applyRoster(const RosterFile &file, const QString &fileName,
                                                              const QString &actor, ImportMode mode)
{
    SqlConnection &sql = m_sql;
    ImportSummary summary;
    summary.rows = static_cast<int>(file.rows.size());
    summary.sha256 = file.sha256;
    summary.previewed = mode == ImportMode::Preview;
    const QDateTime at = QDateTime::fromSecsSinceEpoch(m_clock().toSecsSinceEpoch(), Qt::UTC);
    SqlTransaction tx(sql);
    if (!tx.status())
        return storeFailure(tx.status().error());
    auto seen = sql.query(QStringLiteral("SELECT imported_at FROM import_batch WHERE sha256 = ?"), {file.sha256});
    if (!seen)
        return storeFailure(seen.error());
    if (!seen->isEmpty()) {
        summary.alreadyImported = true;
        return summary; // nothing to do; the transaction rolls back empty
    }

    // A stored registration the file moves: parked off its seat at once (so
    // two candidates may swap seats), placed once every withdrawal has freed
    // its seat.
    struct Move
    {
        Id id = 0, session = 0, room = 0;
        int serial = 1;
        const RosterRow *row = nullptr;
    };
    struct Addition
    {
        Id session = 0, candidate = 0, room = 0;
        const RosterRow *row = nullptr;
    };
    QList<Move> moves;
    QList<Addition> additions;
    QSet<Id> sessions;
    QSet<QString> ticketsInFile;

    Resolver resolve(sql);
    RosterRuleChecks rules(sql);
    ProblemCollector problems;
    for (const RosterRow &row : file.rows) {
        auto fail = [&](const QString &column, const QString &message) { problems.add(row.line, column, message); };
        auto place = resolvePlace(sql, resolve, row);
        if (!place)
            return storeFailure(place.error());
        if (auto s = rules.checkSite(row, place->site, problems, summary.warnings); !s)
            return storeFailure(s.error());
        rules.notePilot(place->pilot);
        const Id major = place->major, room = place->room, session = place->session;
        if (place->sessionCreated) {
            auto withdrawn = withdrawnRefusal(sql, *place, row);
            if (!withdrawn)
                return storeFailure(withdrawn.error());
            if (!withdrawn->isEmpty()) {
                fail(withdrawn->startsWith(QStringLiteral("考点")) ? QStringLiteral("考点") : QStringLiteral("证书"),
                     *withdrawn);
                continue;
            }
        }
        summary.newSessions += place->sessionCreated ? 1 : 0;
        sessions.insert(session);
        ticketsInFile.insert(row.ticketNumber);

        // The candidate, by ID-card number; a stored one must agree.
        Id candidate = 0;
        auto existing = sql.query(QStringLiteral("SELECT id, name, student_number FROM candidate WHERE id_number = ?"),
                                  {row.idNumber});
        if (!existing)
            return storeFailure(existing.error());
        if (!existing->isEmpty()) {
            const auto &c = existing->first();
            candidate = c[0].toLongLong();
            if (c[1].toString() != row.name) {
                fail(QStringLiteral("姓名"), QStringLiteral("身份证号 %1 已登记为“%2”，与本行“%3”不符")
                                                 .arg(maskIdNumber(row.idNumber), c[1].toString(), row.name));
                continue;
            }
            if (c[2].toString() != row.studentNumber) {
                fail(QStringLiteral("学号"), QStringLiteral("该考生已登记学号 %1，与本行 %2 不符")
                                                 .arg(c[2].toString(), row.studentNumber));
                continue;
            }
        } else {
            auto inserted = sql.insertReturningId(
                QStringLiteral("INSERT INTO candidate (id_number, name, student_number, major_id, class_name)"
                               " VALUES (?, ?, ?, ?, ?)"),
                {row.idNumber, row.name, row.studentNumber, major, row.className});
            if (!inserted)
                return storeFailure(inserted.error());
            candidate = *inserted;
            ++summary.newCandidates;
        }

        // The registration, by ticket number: the same, moved, or refused.
        auto reg = sql.query(QStringLiteral("SELECT r.session_id, r.candidate_id, r.room_id, r.seat, r.id,"
                                            " r.ticket_serial, r.withdrawn_at, ro.code FROM registration r"
                                            " JOIN room ro ON ro.id = r.room_id WHERE r.ticket_number = ?"),
                             {row.ticketNumber});
        if (!reg)
            return storeFailure(reg.error());
        if (!reg->isEmpty()) {
            const auto &r = reg->first();
            if (r[0].toLongLong() != session || r[1].toLongLong() != candidate) {
                fail(QStringLiteral("准考证号"),
                     QStringLiteral("准考证号 %1 已用于另一场次或考生，不能重复使用").arg(row.ticketNumber));
                continue;
            }
            if (!r[6].isNull()) {
                fail(QStringLiteral("准考证号"),
                     QStringLiteral("准考证 %1（%2）已退考，不能再导入；如需恢复报名，请用新的准考证号")
                         .arg(row.ticketNumber, row.name));
                continue;
            }
            if (r[2].toLongLong() == room && r[3].toString() == row.seat) {
                ++summary.unchangedRegistrations;
                continue;
            }
            RosterDifference d;
            d.kind = RosterDifference::Kind::Changed;
            d.line = row.line;
            d.sessionId = session;
            d.ticketNumber = row.ticketNumber;
            d.name = row.name;
            d.fromRoom = r[7].toString();
            d.fromSeat = r[3].toString();
            d.room = row.room;
            d.seat = row.seat;
            summary.differences.push_back(d);
            ++summary.changedRegistrations;
            moves.push_back({r[4].toLongLong(), session, room, static_cast<int>(r[5].toLongLong()), &row});
            if (auto u = sql.query(QStringLiteral("UPDATE registration SET seat = ? WHERE id = ?"),
                                   {QStringLiteral("调座#%1").arg(r[4].toLongLong()), r[4].toLongLong()});
                !u)
                return storeFailure(u.error());
            continue;
        }
        additions.push_back({session, candidate, room, &row});
    }

    // Registrations of the file's sessions that the file leaves out: withdrawn.
    const QString why = QStringLiteral("名册 %1 中已无此报名").arg(fileName);
    for (Id session : std::as_const(sessions)) {
        auto missing = sql.query(
            QStringLiteral("SELECT r.id, r.ticket_number, r.ticket_serial, r.active_checkins, c.name, ro.code, r.seat"
                           " FROM registration r JOIN candidate c ON c.id = r.candidate_id"
                           " JOIN room ro ON ro.id = r.room_id"
                           " WHERE r.session_id = ? AND r.withdrawn_at IS NULL ORDER BY r.id"),
            {session});
        if (!missing)
            return storeFailure(missing.error());
        for (const auto &m : missing->rows) {
            const QString ticket = m[1].toString();
            if (ticketsInFile.contains(ticket))
                continue;
            if (m[3].toLongLong() > 0) {
                problems.add(0, QStringLiteral("准考证号"),
                             QStringLiteral("文件中没有 %1（准考证 %2），但其已签到参加考试，不能退考")
                                 .arg(m[4].toString(), ticket));
                continue;
            }
            RosterDifference d;
            d.kind = RosterDifference::Kind::Withdrawn;
            d.sessionId = session;
            d.ticketNumber = ticket;
            d.name = m[4].toString();
            d.fromRoom = m[5].toString();
            d.fromSeat = m[6].toString();
            summary.differences.push_back(d);
            ++summary.withdrawnRegistrations;
            if (auto s = registrationwrite::withdraw(sql, m[0].toLongLong(), ticket, static_cast<int>(m[2].toLongLong()),
                                                     examDate(at), why, at);
                !s)
                return storeFailure(s.error());
        }
    }

    // The moves, now that withdrawals and other moves have left their seats.
    for (const Move &mv : std::as_const(moves)) {
        const RosterRow &row = *mv.row;
        auto clash = sql.query(QStringLiteral("SELECT ticket_number FROM registration WHERE session_id = ? AND"
                                              " room_id = ? AND seat = ?"),
                               {mv.session, mv.room, row.seat});
        if (!clash)
            return storeFailure(clash.error());
        if (!clash->isEmpty()) {
            problems.add(row.line, QStringLiteral("座位号"), QStringLiteral("该场次已有准考证 %1 占用此座位")
                                                              .arg(clash->first().first().toString()));
            continue;
        }
        if (auto u = sql.query(QStringLiteral("UPDATE registration SET room_id = ?, seat = ? WHERE id = ?"),
                               {mv.room, row.seat, mv.id});
            !u)
            return storeFailure(u.error());
        auto serial = registrationwrite::reissue(sql, mv.id, row.ticketNumber, mv.serial, at);
        if (!serial) {
            if (serial.error().code != StoreError::Code::Refused)
                return storeFailure(serial.error());
            problems.add(row.line, QStringLiteral("准考证号"), serial.error().message);
        }
    }

    // The new registrations.
    for (const Addition &a : std::as_const(additions)) {
        const RosterRow &row = *a.row;
        auto clash = sql.query(QStringLiteral("SELECT ticket_number, withdrawn_at FROM registration WHERE session_id = ?"
                                              " AND (candidate_id = ? OR (room_id = ? AND seat = ?))"),
                               {a.session, a.candidate, a.room, row.seat});
        if (!clash)
            return storeFailure(clash.error());
        if (!clash->isEmpty()) {
            const auto &c = clash->first();
            problems.add(row.line, QStringLiteral("座位号"),
                         c[1].isNull() ? QStringLiteral("该场次已有准考证 %1 占用此考生或此座位").arg(c[0].toString())
                                       : QStringLiteral("该考生在本场次的报名（准考证 %1）已退考，不能再次报名")
                                             .arg(c[0].toString()));
            continue;
        }
        auto inserted = sql.insertReturningId(
            QStringLiteral("INSERT INTO registration (session_id, candidate_id, ticket_number, room_id, seat)"
                           " VALUES (?, ?, ?, ?, ?)"),
            {a.session, a.candidate, row.ticketNumber, a.room, row.seat});
        if (!inserted)
            return storeFailure(inserted.error());
        RosterDifference d;
        d.kind = RosterDifference::Kind::New;
        d.line = row.line;
        d.sessionId = a.session;
        d.ticketNumber = row.ticketNumber;
        d.name = row.name;
        d.room = row.room;
        d.seat = row.seat;
        summary.differences.push_back(d);
        ++summary.newRegistrations;
    }
    if (auto s = rules.checkPilots(summary.warnings); !s)
        return storeFailure(s.error());
    if (!problems.isEmpty())
        return ImportFailure{problems.report(), std::nullopt, std::nullopt}; // rolled back whole
    std::stable_sort(summary.differences.begin(), summary.differences.end(),
                     [](const RosterDifference &a, const RosterDifference &b) { return a.kind < b.kind; });
    if (mode == ImportMode::Preview)
        return summary; // rolled back: a preview writes nothing
    if (mode == ImportMode::Apply && (summary.changedRegistrations > 0 || summary.withdrawnRegistrations > 0))
        return ImportFailure{{}, std::nullopt, summary}; // rolled back: changes wait for a confirmation

    if (auto r = sql.query(QStringLiteral("INSERT INTO import_batch (sha256, file_name, imported_at, actor, row_count)"
                                          " VALUES (?, ?, ?, ?, ?)"),
                           {file.sha256, fileName, storeTime(m_clock()), actor,
                            summary.rows});
        !r)
        return storeFailure(r.error());
    QString detail = QStringLiteral("%1：%2 行，新考生 %3，新报名 %4，未变 %5，新场次 %6")
                         .arg(fileName)
                         .arg(summary.rows)
                         .arg(summary.newCandidates)
                         .arg(summary.newRegistrations)
                         .arg(summary.unchangedRegistrations)
                         .arg(summary.newSessions);
    if (summary.changedRegistrations > 0 || summary.withdrawnRegistrations > 0) {
        QStringList changed, withdrawn;
        for (const auto &d : std::as_const(summary.differences)) {
            if (d.kind == RosterDifference::Kind::Changed)
                changed.push_back(QStringLiteral("%1 %2：%3/%4→%5/%6")
                                      .arg(d.ticketNumber, d.name, d.fromRoom, d.fromSeat, d.room, d.seat));
            else if (d.kind == RosterDifference::Kind::Withdrawn)
                withdrawn.push_back(QStringLiteral("%1 %2").arg(d.ticketNumber, d.name));
        }
        detail += QStringLiteral("；经确认（SHA-256 %1）调整考场座位 %2（%3），退考 %4（%5）")
                      .arg(file.sha256.left(12))
                      .arg(summary.changedRegistrations)
                      .arg(changed.join(QStringLiteral("，")))
                      .arg(summary.withdrawnRegistrations)
                      .arg(withdrawn.join(QStringLiteral("，")));
    }
    if (!summary.warnings.isEmpty())
        detail += QStringLiteral("；提醒：") + summary.warnings.join(QStringLiteral("；"));
    if (auto s = m_audit.append(actor, QStringLiteral("roster.import"), detail); !s)
        return storeFailure(s.error());
    if (auto s = tx.commit(); !s)
        return storeFailure(s.error());
    return summary;
}

} // namespace kaodian::server
