// RosterStore's registration changes: withdraw (退考), move, replace and
// excuse in advance (请假). Each takes the registration's row with its first
// UPDATE, so two servers over one PostgreSQL making the same change run one
// after the other and the second finds it made (a retry, changed = false).

#include "store/registrationchange.h"
#include "store/rosterstore.h"
#include "store/storeutil.h"

#include "core/examzone.h"

namespace kaodian::server {

namespace {

// A registration as a change needs it.
struct Held
{
    Id id = 0, session = 0, candidate = 0, room = 0, site = 0;
    QString seat, roomCode, ticketNumber;
    int serial = 1;
    int activeCheckIns = 0;
    bool withdrawn = false;
    std::optional<Id> replacedBy;
    QString excusedReason;
    bool excused = false;
    QString name;
};

const QString kHeldSelect = QStringLiteral(
    "SELECT r.id, r.session_id, r.candidate_id, r.room_id, s.site_id, r.seat, ro.code, r.ticket_number,"
    " r.ticket_serial, r.active_checkins, r.withdrawn_at, r.replaced_by, r.excused_reason, c.name"
    " FROM registration r JOIN exam_session s ON s.id = r.session_id JOIN room ro ON ro.id = r.room_id"
    " JOIN candidate c ON c.id = r.candidate_id");

Result<std::optional<Held>, StoreError> held(SqlConnection &sql, const QString &where, const QVariantList &params)
{
    auto r = sql.query(kHeldSelect + QStringLiteral(" WHERE ") + where, params);
    if (!r)
        return r.error();
    if (r->isEmpty())
        return std::optional<Held>();
    const auto &row = r->first();
    Held h;
    h.id = row[0].toLongLong();
    h.session = row[1].toLongLong();
    h.candidate = row[2].toLongLong();
    h.room = row[3].toLongLong();
    h.site = row[4].toLongLong();
    h.seat = row[5].toString();
    h.roomCode = row[6].toString();
    h.ticketNumber = row[7].toString();
    h.serial = static_cast<int>(row[8].toLongLong());
    h.activeCheckIns = static_cast<int>(row[9].toLongLong());
    h.withdrawn = !row[10].isNull();
    if (!row[11].isNull())
        h.replacedBy = row[11].toLongLong();
    h.excused = !row[12].isNull();
    h.excusedReason = row[12].toString();
    h.name = row[13].toString();
    return std::optional<Held>(h);
}

StoreError unknownTicket(const QString &ticketNumber)
{
    return storeError(StoreError::Code::DatabaseMissing, QStringLiteral("没有准考证号为 %1 的报名").arg(ticketNumber));
}

// Inside the caller's transaction: takes the registration's row before
// reading it (a write to it, so two servers changing it at once queue on
// the row), then reads it. DatabaseMissing for an unknown ticket number.
Result<Held, StoreError> lockByTicket(SqlConnection &sql, const QString &ticketNumber)
{
    if (auto r = sql.query(QStringLiteral("UPDATE registration SET seat = seat WHERE ticket_number = ?"), {ticketNumber});
        !r)
        return r.error();
    auto h = held(sql, QStringLiteral("r.ticket_number = ?"), {ticketNumber});
    if (!h)
        return h.error();
    if (!h->has_value())
        return unknownTicket(ticketNumber);
    return **h;
}

StoreError refused(const QString &message)
{
    return storeError(StoreError::Code::Refused, message);
}

QDateTime toTheSecond(const QDateTime &t)
{
    // Kiosks receive revocation times to the second (docs/session-package.md).
    return QDateTime::fromSecsSinceEpoch(t.toSecsSinceEpoch(), Qt::UTC);
}

Result<int, StoreError> bumpSerial(SqlConnection &sql, const Held &h, const QDateTime &at)
{
    return registrationwrite::reissue(sql, h.id, h.ticketNumber, h.serial, at);
}

Status<StoreError> withdrawHeld(SqlConnection &sql, const Held &h, const QDate &on, const QString &reason,
                                const QDateTime &at)
{
    return registrationwrite::withdraw(sql, h.id, h.ticketNumber, h.serial, on, reason, at);
}

RegistrationChange unchanged(const Held &h)
{
    RegistrationChange c;
    c.registrationId = h.id;
    c.ticketNumber = h.ticketNumber;
    c.serial = h.serial;
    c.room = h.roomCode;
    c.seat = h.seat;
    return c;
}

} // namespace

namespace registrationwrite {

Result<int, StoreError> reissue(SqlConnection &sql, Id registrationId, const QString &ticketNumber, int serial,
                                const QDateTime &at)
{
    auto bumped = sql.query(QStringLiteral("UPDATE registration SET ticket_serial = ticket_serial + 1"
                                           " WHERE id = ? AND ticket_serial < 65535"),
                            {registrationId});
    if (!bumped)
        return bumped.error();
    if (bumped->affected == 0)
        return refused(QStringLiteral("准考证 %1 重新签发次数已达上限").arg(ticketNumber));
    if (auto r = sql.query(QStringLiteral("INSERT INTO ticket_revocation (ticket_number, serial, revoked_at, withdrawn)"
                                          " VALUES (?, ?, ?, 0)"),
                           {ticketNumber, serial, storeTime(at)});
        !r)
        return r.error();
    return serial + 1;
}

Status<StoreError> withdraw(SqlConnection &sql, Id registrationId, const QString &ticketNumber, int serial,
                            const QDate &on, const QString &reason, const QDateTime &at)
{
    auto u = sql.query(QStringLiteral("UPDATE registration SET withdrawn_at = ?, withdrawn_on = ?, withdrawn_reason = ?,"
                                      " withdrawn_seat = seat, seat = ? WHERE id = ? AND withdrawn_at IS NULL"),
                       {storeTime(at), on.toString(Qt::ISODate), reason, QStringLiteral("退考#%1").arg(registrationId),
                        registrationId});
    if (!u)
        return u.error();
    if (auto r = sql.query(QStringLiteral("INSERT INTO ticket_revocation (ticket_number, serial, revoked_at, withdrawn)"
                                          " VALUES (?, ?, ?, 1)"),
                           {ticketNumber, serial, storeTime(at)});
        !r)
        return r.error();
    return {};
}

} // namespace registrationwrite

Result<RegistrationChange, StoreError> RosterStore::withdraw(const QString &ticketNumber, const QDate &on,
                                                             const QString &reason, const QString &actor)
{
    if (reason.trimmed().isEmpty())
        return refused(QStringLiteral("退考须写明原因"));
    if (!on.isValid())
        return refused(QStringLiteral("退考须写明日期"));
    const QDateTime at = toTheSecond(m_clock());
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status().error();
    // Takes the row before reading it (two servers withdrawing at once).
    auto h = lockByTicket(m_sql, ticketNumber);
    if (!h)
        return h.error();
    const Held &reg = *h;
    if (reg.withdrawn)
        return unchanged(reg); // withdrawing twice is one withdrawal
    if (reg.activeCheckIns > 0)
        return refused(QStringLiteral("%1（准考证 %2）已签到参加考试，不能退考；如签到有误，请监考在考场撤销签到")
                           .arg(reg.name, ticketNumber));
    if (auto s = withdrawHeld(m_sql, reg, on, reason.trimmed(), at); !s)
        return s.error();
    if (auto s = m_audit.append(actor, QStringLiteral("registration.withdraw"),
                                QStringLiteral("准考证 %1（%2）退考，日期 %3，原因：%4；第 %5 版准考证作废")
                                    .arg(ticketNumber, reg.name, on.toString(Qt::ISODate), reason.trimmed())
                                    .arg(reg.serial));
        !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    RegistrationChange c = unchanged(reg);
    c.changed = true;
    c.revokedSerial = reg.serial;
    return c;
}

Result<RegistrationChange, StoreError> RosterStore::move(const QString &ticketNumber, const QString &room,
                                                         const QString &seat, const QString &actor)
{
    const QString roomCode = room.trimmed(), seatCode = seat.trimmed();
    if (roomCode.isEmpty() || seatCode.isEmpty())
        return refused(QStringLiteral("调整考场座位须写明考场和座位号"));
    const QDateTime at = toTheSecond(m_clock());
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status().error();
    auto h = lockByTicket(m_sql, ticketNumber);
    if (!h)
        return h.error();
    const Held &reg = *h;
    if (reg.withdrawn)
        return refused(QStringLiteral("%1（准考证 %2）已退考，不能调整考场座位").arg(reg.name, ticketNumber));
    if (reg.roomCode == roomCode && reg.seat == seatCode)
        return unchanged(reg); // a retry: no second ticket
    auto target = m_sql.query(QStringLiteral("SELECT id FROM room WHERE site_id = ? AND code = ?"), {reg.site, roomCode});
    if (!target)
        return target.error();
    if (target->isEmpty())
        return refused(QStringLiteral("本场次的考点没有考场“%1”").arg(roomCode));
    const Id targetRoom = target->first().first().toLongLong();
    auto taken = m_sql.query(QStringLiteral("SELECT r.ticket_number, c.name FROM registration r"
                                            " JOIN candidate c ON c.id = r.candidate_id"
                                            " WHERE r.session_id = ? AND r.room_id = ? AND r.seat = ?"),
                             {reg.session, targetRoom, seatCode});
    if (!taken)
        return taken.error();
    if (!taken->isEmpty())
        return storeError(StoreError::Code::AlreadyExists,
                          QStringLiteral("考场 %1 座位 %2 已由 %3（准考证 %4）使用")
                              .arg(roomCode, seatCode, taken->first()[1].toString(), taken->first()[0].toString()));
    if (auto r = m_sql.query(QStringLiteral("UPDATE registration SET room_id = ?, seat = ? WHERE id = ?"),
                             {targetRoom, seatCode, reg.id});
        !r)
        return r.error();
    auto serial = bumpSerial(m_sql, reg, at);
    if (!serial)
        return serial.error();
    if (auto s = m_audit.append(actor, QStringLiteral("registration.move"),
                                QStringLiteral("准考证 %1（%2）由考场 %3 座位 %4 调至考场 %5 座位 %6；第 %7 版作废，新为第 %8 版")
                                    .arg(ticketNumber, reg.name, reg.roomCode, reg.seat, roomCode, seatCode)
                                    .arg(reg.serial)
                                    .arg(*serial));
        !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    RegistrationChange c;
    c.changed = true;
    c.registrationId = reg.id;
    c.ticketNumber = ticketNumber;
    c.serial = *serial;
    c.revokedSerial = reg.serial;
    c.room = roomCode;
    c.seat = seatCode;
    return c;
}

Result<RegistrationChange, StoreError> RosterStore::replace(const QString &ticketNumber,
                                                            const ReplacementCandidate &newcomer,
                                                            const QString &reason, const QString &actor)
{
    if (reason.trimmed().isEmpty())
        return refused(QStringLiteral("替换考生须写明原因"));
    if (newcomer.idNumber.trimmed().isEmpty() || newcomer.name.trimmed().isEmpty()
        || newcomer.studentNumber.trimmed().isEmpty() || newcomer.ticketNumber.trimmed().isEmpty())
        return refused(QStringLiteral("替换考生须写明新考生的身份证号、姓名、学号和新准考证号"));
    const QString newTicket = newcomer.ticketNumber.trimmed();
    const QString idNumber = newcomer.idNumber.trimmed().toUpper();
    const QDateTime at = toTheSecond(m_clock());
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status().error();
    auto h = lockByTicket(m_sql, ticketNumber);
    if (!h)
        return h.error();
    const Held &reg = *h;

    // The new candidate, by ID-card number; a stored one must agree.
    auto existing = m_sql.query(QStringLiteral("SELECT id, name, student_number FROM candidate WHERE id_number = ?"),
                                {idNumber});
    if (!existing)
        return existing.error();
    std::optional<Id> candidate;
    if (!existing->isEmpty()) {
        const auto &c = existing->first();
        if (c[1].toString() != newcomer.name.trimmed())
            return refused(QStringLiteral("身份证号 %1 已登记为“%2”，与“%3”不符")
                               .arg(maskIdNumber(idNumber), c[1].toString(), newcomer.name.trimmed()));
        if (c[2].toString() != newcomer.studentNumber.trimmed())
            return refused(QStringLiteral("该考生已登记学号 %1，与 %2 不符")
                               .arg(c[2].toString(), newcomer.studentNumber.trimmed()));
        candidate = c[0].toLongLong();
    }

    if (reg.withdrawn) {
        // A retry of this replacement finds it made; anything else is refused.
        if (reg.replacedBy) {
            auto by = held(m_sql, QStringLiteral("r.id = ?"), {*reg.replacedBy});
            if (!by)
                return by.error();
            if (by->has_value() && (*by)->ticketNumber == newTicket && candidate && (*by)->candidate == *candidate) {
                RegistrationChange c = unchanged(reg);
                c.replacementId = (*by)->id;
                c.replacementTicket = newTicket;
                return c;
            }
        }
        return refused(QStringLiteral("%1（准考证 %2）已退考，不能再替换").arg(reg.name, ticketNumber));
    }
    if (reg.activeCheckIns > 0)
        return refused(QStringLiteral("%1（准考证 %2）已签到参加考试，不能替换").arg(reg.name, ticketNumber));
    if (candidate && *candidate == reg.candidate)
        return refused(QStringLiteral("新考生与原考生是同一人"));
    auto used = m_sql.query(QStringLiteral("SELECT 1 FROM registration WHERE ticket_number = ?"), {newTicket});
    if (!used)
        return used.error();
    if (!used->isEmpty())
        return storeError(StoreError::Code::AlreadyExists,
                          QStringLiteral("准考证号 %1 已被使用，请换一个").arg(newTicket));
    if (candidate) {
        auto already = m_sql.query(QStringLiteral("SELECT ticket_number FROM registration WHERE session_id = ?"
                                                  " AND candidate_id = ?"),
                                   {reg.session, *candidate});
        if (!already)
            return already.error();
        if (!already->isEmpty())
            return storeError(StoreError::Code::AlreadyExists,
                              QStringLiteral("%1 已报名本场次（准考证 %2）")
                                  .arg(newcomer.name.trimmed(), already->first().first().toString()));
    } else {
        auto inserted = m_sql.insertReturningId(
            QStringLiteral("INSERT INTO candidate (id_number, name, student_number, major_id, class_name)"
                           " SELECT ?, ?, ?, major_id, ? FROM candidate WHERE id = ?"),
            {idNumber, newcomer.name.trimmed(), newcomer.studentNumber.trimmed(), newcomer.className.trimmed(),
             reg.candidate});
        if (!inserted)
            return inserted.error();
        candidate = *inserted;
    }
    const QString why = QStringLiteral("由 %1 替换：%2").arg(newcomer.name.trimmed(), reason.trimmed());
    if (auto s = withdrawHeld(m_sql, reg, examDate(at), why, at); !s)
        return s.error();
    auto added = m_sql.insertReturningId(
        QStringLiteral("INSERT INTO registration (session_id, candidate_id, ticket_number, room_id, seat)"
                       " VALUES (?, ?, ?, ?, ?)"),
        {reg.session, *candidate, newTicket, reg.room, reg.seat});
    if (!added)
        return added.error();
    if (auto r = m_sql.query(QStringLiteral("UPDATE registration SET replaced_by = ? WHERE id = ?"), {*added, reg.id}); !r)
        return r.error();
    if (auto s = m_audit.append(actor, QStringLiteral("registration.replace"),
                                QStringLiteral("准考证 %1（%2）由 %3（准考证 %4，身份证 %5）替换，考场 %6 座位 %7，原因：%8；"
                                               "原准考证第 %9 版作废")
                                    .arg(ticketNumber, reg.name, newcomer.name.trimmed(), newTicket,
                                         maskIdNumber(idNumber), reg.roomCode, reg.seat, reason.trimmed())
                                    .arg(reg.serial));
        !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    RegistrationChange c = unchanged(reg);
    c.changed = true;
    c.revokedSerial = reg.serial;
    c.replacementId = *added;
    c.replacementTicket = newTicket;
    return c;
}

Result<RegistrationChange, StoreError> RosterStore::excuse(const QString &ticketNumber, const QString &reason,
                                                           const QString &actor)
{
    const QString why = reason.trimmed();
    if (why.isEmpty())
        return refused(QStringLiteral("请假须写明原因"));
    const QDateTime at = toTheSecond(m_clock());
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status().error();
    auto h = lockByTicket(m_sql, ticketNumber);
    if (!h)
        return h.error();
    const Held &reg = *h;
    if (reg.withdrawn)
        return refused(QStringLiteral("%1（准考证 %2）已退考，不能请假").arg(reg.name, ticketNumber));
    if (reg.excused && reg.excusedReason == why)
        return unchanged(reg);
    if (reg.activeCheckIns > 0)
        return refused(QStringLiteral("%1（准考证 %2）已签到参加考试，不能请假").arg(reg.name, ticketNumber));
    // Not checked in: counted as excused now (eventlog.cpp keeps it so while
    // no check-in arrives).
    if (auto r = m_sql.query(QStringLiteral("UPDATE registration SET excused_reason = ?, excused_at = ?,"
                                            " attendance = CASE WHEN attendance = 0 THEN 3 ELSE attendance END"
                                            " WHERE id = ?"),
                             {why, storeTime(at), reg.id});
        !r)
        return r.error();
    if (auto s = m_audit.append(actor, QStringLiteral("registration.excuse"),
                                QStringLiteral("准考证 %1（%2）请假，原因：%3%4")
                                    .arg(ticketNumber, reg.name, why,
                                         reg.excused ? QStringLiteral("（原因由“%1”改）").arg(reg.excusedReason)
                                                     : QString()));
        !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    RegistrationChange c = unchanged(reg);
    c.changed = true;
    return c;
}

} // namespace kaodian::server
