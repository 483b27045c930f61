#include "store/rosterstore.h"

#include "store/storeutil.h"

#include <algorithm>

namespace kaodian::server {

Result<std::optional<Id>, StoreError> RosterStore::siteIdByName(const QString &name)
{
    auto r = m_sql.query(QStringLiteral("SELECT id FROM site WHERE name = ?"), {name});
    if (!r)
        return r.error();
    if (r->isEmpty())
        return std::optional<Id>();
    return std::optional<Id>(r->first().first().toLongLong());
}

Result<std::optional<Id>, StoreError> RosterStore::roomId(Id siteId, const QString &code)
{
    auto r = m_sql.query(QStringLiteral("SELECT id FROM room WHERE site_id = ? AND code = ?"), {siteId, code});
    if (!r)
        return r.error();
    if (r->isEmpty())
        return std::optional<Id>();
    return std::optional<Id>(r->first().first().toLongLong());
}

Result<std::optional<TicketSubject>, StoreError> RosterStore::ticketSubject(const QString &ticketNumber)
{
    auto r = m_sql.query(QStringLiteral("SELECT r.id, r.session_id, s.exam_date, r.ticket_serial FROM registration r"
                                         " JOIN exam_session s ON s.id = r.session_id WHERE r.ticket_number = ?"),
                          {ticketNumber});
    if (!r)
        return r.error();
    if (r->isEmpty())
        return std::optional<TicketSubject>();
    const auto &row = r->first();
    return std::optional<TicketSubject>(TicketSubject{row[0].toLongLong(), row[1].toLongLong(),
                                                      QDate::fromString(row[2].toString(), Qt::ISODate),
                                                      static_cast<int>(row[3].toLongLong())});
}

namespace {

const QString kTicketPrintSelect = QStringLiteral(
    "SELECT r.id, r.session_id, r.ticket_number, r.ticket_serial, c.name, c.id_number, co.name, ce.name,"
    " ce.training_org, p.level, si.name, ro.code, r.seat, s.exam_date, s.start_time, s.end_time, p.college_id"
    " FROM registration r JOIN candidate c ON c.id = r.candidate_id JOIN exam_session s ON s.id = r.session_id"
    " JOIN pilot p ON p.id = s.pilot_id JOIN college co ON co.id = p.college_id"
    " JOIN certificate ce ON ce.id = p.certificate_id JOIN site si ON si.id = s.site_id"
    " JOIN room ro ON ro.id = r.room_id");

TicketPrintRow ticketPrintRowFrom(const QVariantList &r)
{
    TicketPrintRow t;
    t.registrationId = r[0].toLongLong();
    t.sessionId = r[1].toLongLong();
    t.ticketNumber = r[2].toString();
    t.serial = static_cast<int>(r[3].toLongLong());
    t.name = r[4].toString();
    t.maskedIdNumber = maskIdNumber(r[5].toString());
    t.college = r[6].toString();
    t.certificate = r[7].toString();
    t.trainingOrg = r[8].toString();
    t.level = static_cast<CertificateLevel>(r[9].toLongLong());
    t.site = r[10].toString();
    t.room = r[11].toString();
    t.seat = r[12].toString();
    t.examDate = QDate::fromString(r[13].toString(), Qt::ISODate);
    t.startTime = QTime::fromString(r[14].toString(), QStringLiteral("HH:mm"));
    t.endTime = QTime::fromString(r[15].toString(), QStringLiteral("HH:mm"));
    t.collegeId = r[16].toLongLong();
    return t;
}

} // namespace

Result<QList<TicketPrintRow>, StoreError> RosterStore::ticketPrintRows(Id sessionId)
{
    // A withdrawn registration's ticket is revoked: not printed again.
    auto r = m_sql.query(kTicketPrintSelect + QStringLiteral(" WHERE r.session_id = ? AND r.withdrawn_at IS NULL"),
                         {sessionId});
    if (!r)
        return r.error();
    QList<TicketPrintRow> out;
    out.reserve(r->rows.size());
    for (const auto &row : r->rows)
        out.push_back(ticketPrintRowFrom(row));
    std::sort(out.begin(), out.end(), bySeat<TicketPrintRow>);
    return out;
}

Result<QList<TicketPrintRow>, StoreError> RosterStore::ticketPrintRows(const QStringList &ticketNumbers)
{
    QList<TicketPrintRow> out;
    out.reserve(ticketNumbers.size());
    QStringList missing, withdrawn;
    for (const QString &number : ticketNumbers) {
        auto r = m_sql.query(kTicketPrintSelect + QStringLiteral(" WHERE r.ticket_number = ?"), {number});
        if (!r)
            return r.error();
        if (r->isEmpty()) {
            missing.push_back(number);
            continue;
        }
        out.push_back(ticketPrintRowFrom(r->first()));
        auto gone = m_sql.query(QStringLiteral("SELECT 1 FROM registration WHERE ticket_number = ?"
                                               " AND withdrawn_at IS NOT NULL"),
                                {number});
        if (!gone)
            return gone.error();
        if (!gone->isEmpty())
            withdrawn.push_back(number);
    }
    if (!missing.isEmpty())
        return storeError(StoreError::Code::DatabaseMissing,
                          QStringLiteral("没有准考证号为 %1 的报名").arg(missing.join(QStringLiteral("、"))));
    // A withdrawn registration's ticket is revoked: never printed or sent again.
    if (!withdrawn.isEmpty())
        return storeError(StoreError::Code::Refused,
                          QStringLiteral("准考证 %1 已退考，不能再打印或发送").arg(withdrawn.join(QStringLiteral("、"))));
    return out;
}

Result<Reissue, StoreError> RosterStore::reissueTicket(const QString &ticketNumber, const QString &actor)
{
    const QDateTime at = m_clock();
    // Kiosks receive the time to the second (docs/session-package.md); keep
    // exactly that, so what the kiosk shows is what is stored.
    const QDateTime revokedAt = QDateTime::fromSecsSinceEpoch(at.toSecsSinceEpoch(), Qt::UTC);
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status().error();
    auto withdrawn = m_sql.query(QStringLiteral("SELECT 1 FROM registration WHERE ticket_number = ?"
                                                " AND withdrawn_at IS NOT NULL"),
                                 {ticketNumber});
    if (!withdrawn)
        return withdrawn.error();
    if (!withdrawn->isEmpty())
        return storeError(StoreError::Code::Refused,
                          QStringLiteral("准考证 %1 已退考，不能重新签发").arg(ticketNumber));
    // The UPDATE takes the row first, so two re-issues at once (two servers)
    // run one after the other and each revokes the serial it replaced.
    auto bumped = m_sql.query(QStringLiteral("UPDATE registration SET ticket_serial = ticket_serial + 1"
                                              " WHERE ticket_number = ? AND ticket_serial < 65535"
                                              " AND withdrawn_at IS NULL"),
                               {ticketNumber});
    if (!bumped)
        return bumped.error();
    auto current = ticketSubject(ticketNumber);
    if (!current)
        return current.error();
    if (!current->has_value())
        return storeError(StoreError::Code::DatabaseMissing, QStringLiteral("没有准考证号为 %1 的报名").arg(ticketNumber));
    if (bumped->affected == 0)
        return storeError(StoreError::Code::Sql, QStringLiteral("准考证 %1 重新签发次数已达上限").arg(ticketNumber));
    Reissue out;
    out.subject = **current;
    out.revokedSerial = out.subject.serial - 1;
    out.revokedAt = revokedAt;
    auto revoked = m_sql.query(
        QStringLiteral("INSERT INTO ticket_revocation (ticket_number, serial, revoked_at) VALUES (?, ?, ?)"),
        {ticketNumber, out.revokedSerial, storeTime(revokedAt)});
    if (!revoked)
        return revoked.error();
    if (auto s = m_audit.append(actor, QStringLiteral("ticket.reissue"),
                       QStringLiteral("准考证 %1 重新签发：第 %2 版作废，新为第 %3 版")
                           .arg(ticketNumber, QString::number(out.revokedSerial),
                                QString::number(out.subject.serial)));
        !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return out;
}

Result<KioskDay, StoreError> RosterStore::kioskDay(Id siteId, const QString &room, const QDate &date)
{
    KioskDay day;
    auto sessions = m_sql.query(
        QStringLiteral("SELECT s.id, ce.name, p.level, s.exam_date, s.start_time, s.end_time, s.published_count,"
                       " s.check_in_opens_minutes, s.late_after_minutes,"
                       " (SELECT COUNT(*) FROM registration r WHERE r.session_id = s.id AND r.withdrawn_at IS NULL),"
                       " (SELECT COUNT(DISTINCT r.room_id) FROM registration r WHERE r.session_id = s.id"
                       " AND r.withdrawn_at IS NULL)"
                       " FROM exam_session s"
                       " JOIN pilot p ON p.id = s.pilot_id JOIN certificate ce ON ce.id = p.certificate_id"
                       " WHERE s.site_id = ? AND s.exam_date = ? ORDER BY s.start_time, s.id"),
        {siteId, date.toString(Qt::ISODate)});
    if (!sessions)
        return sessions.error();
    for (const auto &r : sessions->rows) {
        KioskSessionRow s;
        s.id = r[0].toLongLong();
        s.certificate = r[1].toString();
        s.level = static_cast<CertificateLevel>(r[2].toLongLong());
        s.examDate = QDate::fromString(r[3].toString(), Qt::ISODate);
        s.startTime = QTime::fromString(r[4].toString(), QStringLiteral("HH:mm"));
        s.endTime = QTime::fromString(r[5].toString(), QStringLiteral("HH:mm"));
        if (!r[6].isNull())
            s.publishedCount = static_cast<int>(r[6].toLongLong());
        s.opensMinutes = static_cast<int>(r[7].toLongLong());
        s.lateMinutes = static_cast<int>(r[8].toLongLong());
        s.registeredCount = static_cast<int>(r[9].toLongLong());
        s.roomCount = static_cast<int>(r[10].toLongLong());
        day.sessions.push_back(s);
    }
    auto roster = m_sql.query(
        QStringLiteral("SELECT r.id, r.session_id, r.ticket_number, c.name, c.id_number, ro.code, r.seat, r.ticket_serial,"
                       " r.excused_reason"
                       " FROM registration r JOIN exam_session s ON s.id = r.session_id"
                       " JOIN candidate c ON c.id = r.candidate_id JOIN room ro ON ro.id = r.room_id"
                       " WHERE s.site_id = ? AND s.exam_date = ? AND (? = '' OR ro.code = ?)"
                       " AND r.withdrawn_at IS NULL ORDER BY r.id"),
        {siteId, date.toString(Qt::ISODate), room, room});
    if (!roster)
        return roster.error();
    for (const auto &r : roster->rows)
        day.roster.push_back({r[0].toLongLong(), r[1].toLongLong(), r[2].toString(), r[3].toString(),
                              maskIdNumber(r[4].toString()), r[5].toString(), r[6].toString(),
                              static_cast<int>(r[7].toLongLong()), r[8].toString()});
    auto revoked = m_sql.query(
        QStringLiteral("SELECT ticket_number, serial, revoked_at, withdrawn FROM ticket_revocation"
                       " ORDER BY ticket_number, serial"));
    if (!revoked)
        return revoked.error();
    for (const auto &r : revoked->rows) {
        day.revoked.push_back({r[0].toString(), static_cast<int>(r[1].toLongLong())});
        day.revokedAt.push_back(parseStoreTime(r[2].toString()));
        day.revokedWithdrawn.push_back(r[3].toLongLong() != 0);
    }
    return day;
}

Result<QList<RosterEntry>, StoreError> RosterStore::roster(Id sessionId)
{
    auto r = m_sql.query(
        QStringLiteral("SELECT r.id, r.ticket_number, c.name, c.id_number, c.student_number, ro.code, r.seat,"
                       " r.attendance, r.late, r.checked_in_at, r.checked_in_kiosk, r.active_checkins, r.outcome,"
                       " r.score, r.incidents, r.withdrawn_at, r.withdrawn_on, r.withdrawn_reason, r.withdrawn_seat,"
                       " (SELECT b.ticket_number FROM registration b WHERE b.id = r.replaced_by), r.excused_reason"
                       " FROM registration r JOIN candidate c ON c.id = r.candidate_id"
                       " JOIN room ro ON ro.id = r.room_id WHERE r.session_id = ?"
                       " ORDER BY ro.code, coalesce(r.withdrawn_seat, r.seat), r.id"),
        {sessionId});
    if (!r)
        return r.error();
    QList<RosterEntry> out;
    out.reserve(r->rows.size());
    for (const auto &row : r->rows) {
        RosterEntry e;
        e.registrationId = row[0].toLongLong();
        e.ticketNumber = row[1].toString();
        e.name = row[2].toString();
        e.maskedIdNumber = maskIdNumber(row[3].toString());
        e.studentNumber = row[4].toString();
        e.room = row[5].toString();
        e.seat = row[6].toString();
        e.attendance = static_cast<Attendance>(row[7].toLongLong());
        e.late = row[8].toLongLong() != 0;
        if (!row[9].isNull())
            e.checkedInAt = parseStoreTime(row[9].toString());
        e.checkedInKiosk = row[10].toString();
        e.activeCheckIns = static_cast<int>(row[11].toLongLong());
        if (!row[12].isNull())
            e.outcome = static_cast<Outcome>(row[12].toLongLong());
        if (!row[13].isNull())
            e.score = static_cast<int>(row[13].toLongLong());
        e.incidents = static_cast<int>(row[14].toLongLong());
        e.withdrawn = !row[15].isNull();
        if (e.withdrawn) {
            e.withdrawnOn = QDate::fromString(row[16].toString(), Qt::ISODate);
            e.withdrawnReason = row[17].toString();
            e.seat = row[18].toString();
            e.replacedByTicket = row[19].toString();
        }
        e.excusedReason = row[20].toString();
        out.push_back(std::move(e));
    }
    return out;
}

Status<StoreError> RosterStore::setPublishedCount(Id sessionId, std::optional<int> count, const QString &actor)
{
    if (count && *count < 0)
        return storeError(StoreError::Code::Sql, QStringLiteral("公布考试人数不能为负数"));
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status();
    auto r = m_sql.query(QStringLiteral("UPDATE exam_session SET published_count = ? WHERE id = ?"),
                          {nullable(count), sessionId});
    if (!r)
        return r.error();
    if (r->affected == 0)
        return storeError(StoreError::Code::DatabaseMissing, QStringLiteral("没有编号为 %1 的考试场次").arg(sessionId));
    if (auto s = m_audit.append(actor, QStringLiteral("session.published_count"),
                       QStringLiteral("场次 #%1 公布考试人数 = %2")
                           .arg(sessionId)
                           .arg(count ? QString::number(*count) : QStringLiteral("（未公布）")));
        !s)
        return s;
    return tx.commit();
}

Result<std::optional<Id>, StoreError> RosterStore::collegeOfSession(Id sessionId)
{
    auto r = m_sql.query(QStringLiteral("SELECT p.college_id FROM exam_session s JOIN pilot p ON p.id = s.pilot_id"
                                         " WHERE s.id = ?"),
                          {sessionId});
    if (!r)
        return r.error();
    if (r->isEmpty())
        return std::optional<Id>();
    return std::optional<Id>(r->first().first().toLongLong());
}

Result<QList<SiteRooms>, StoreError> RosterStore::sites()
{
    auto r = m_sql.query(QStringLiteral("SELECT s.id, s.name, ro.code FROM site s LEFT JOIN room ro ON ro.site_id = s.id"
                                         " ORDER BY s.name, s.id, ro.code"),
                          {});
    if (!r)
        return r.error();
    QList<SiteRooms> out;
    for (const auto &row : r->rows) {
        const Id id = row[0].toLongLong();
        if (out.isEmpty() || out.last().id != id)
            out.push_back(SiteRooms{id, row[1].toString(), {}});
        if (!row[2].isNull())
            out.last().rooms.push_back(row[2].toString());
    }
    return out;
}

} // namespace kaodian::server
