#include "store/proctorstore.h"

#include "store/storeutil.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <map>

namespace kaodian::server {

Result<ProctorImportSummary, ProctorImportRefusal> ProctorStore::importAssignments(const ProctorFile &file,
                                                                                   const QString &fileName,
                                                                                   const QString &actor)
{
    const auto failed = [](const StoreError &e) { return ProctorImportRefusal{{}, e}; };
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return failed(tx.status().error());
    ProblemCollector problems;
    // Each row's session and room: the room must be one of the session's site.
    std::map<std::pair<Id, QString>, std::optional<Id>> rooms;
    QHash<Id, bool> sessionKnown;
    for (const auto &row : file.rows) {
        auto known = sessionKnown.constFind(row.sessionId);
        if (known == sessionKnown.constEnd()) {
            auto r = m_sql.query(QStringLiteral("SELECT 1 FROM exam_session WHERE id = ?"), {row.sessionId});
            if (!r)
                return failed(r.error());
            known = sessionKnown.insert(row.sessionId, !r->isEmpty());
        }
        if (!*known) {
            problems.add(row.line, file.sessionHeader,
                         QStringLiteral("没有编号为 %1 的场次：请对照控制台的场次页。").arg(row.sessionId));
            continue;
        }
        const auto key = std::make_pair(row.sessionId, row.room);
        auto room = rooms.find(key);
        if (room == rooms.end()) {
            auto r = m_sql.query(QStringLiteral("SELECT r.id FROM room r JOIN exam_session s ON s.site_id = r.site_id"
                                                " WHERE s.id = ? AND r.code = ?"),
                                 {row.sessionId, row.room});
            if (!r)
                return failed(r.error());
            room = rooms.emplace(key, r->isEmpty() ? std::nullopt : std::optional<Id>(r->first().first().toLongLong()))
                       .first;
        }
        if (!room->second)
            problems.add(row.line, file.roomHeader,
                         QStringLiteral("场次 %1 的考点没有考场“%2”：请填写名单中的考场号。").arg(row.sessionId).arg(row.room));
    }
    // A 工号 already stored with another name.
    QSet<QString> checked;
    for (const auto &row : file.rows) {
        if (checked.contains(row.staffNumber))
            continue;
        checked.insert(row.staffNumber);
        auto r = m_sql.query(QStringLiteral("SELECT name FROM proctor WHERE staff_number = ?"), {row.staffNumber});
        if (!r)
            return failed(r.error());
        if (!r->isEmpty() && r->first().first().toString() != row.name)
            problems.add(row.line, file.staffHeader,
                         QStringLiteral("工号 %1 已登记为“%2”，这里是“%3”：请核对工号，或先在控制台改正姓名。")
                             .arg(row.staffNumber, r->first().first().toString(), row.name));
    }
    if (!problems.isEmpty())
        return ProctorImportRefusal{problems.report(), std::nullopt};

    ProctorImportSummary summary;
    summary.rows = static_cast<int>(file.rows.size());
    QSet<Id> sessions;
    for (const auto &row : file.rows)
        sessions.insert(row.sessionId);
    summary.sessions = static_cast<int>(sessions.size());
    for (Id session : sessions) {
        if (auto r = m_sql.query(QStringLiteral("DELETE FROM proctor_assignment WHERE session_id = ?"), {session}); !r)
            return failed(r.error());
    }
    const QString now = storeTime(m_clock());
    for (const auto &row : file.rows) {
        auto existing = m_sql.query(QStringLiteral("SELECT id FROM proctor WHERE staff_number = ?"), {row.staffNumber});
        if (!existing)
            return failed(existing.error());
        Id proctorId = 0;
        if (existing->isEmpty()) {
            auto id = m_sql.insertReturningId(
                QStringLiteral("INSERT INTO proctor (staff_number, name, phone) VALUES (?, ?, ?)"),
                {row.staffNumber, row.name, row.phone});
            if (!id)
                return failed(id.error());
            proctorId = *id;
            ++summary.newProctors;
        } else {
            proctorId = existing->first().first().toLongLong();
            if (auto r = m_sql.query(QStringLiteral("UPDATE proctor SET phone = ? WHERE id = ?"), {row.phone, proctorId});
                !r)
                return failed(r.error());
        }
        const Id roomId = *rooms.at({row.sessionId, row.room});
        if (auto r = m_sql.query(QStringLiteral("INSERT INTO proctor_assignment (session_id, room_id, proctor_id, assigned_at)"
                                                " VALUES (?, ?, ?, ?)"),
                                 {row.sessionId, roomId, proctorId, now});
            !r)
            return failed(r.error());
    }
    QStringList sessionList;
    for (Id s : sessions)
        sessionList << QString::number(s);
    sessionList.sort();
    if (auto s = m_audit.append(actor, QStringLiteral("proctors.import"),
                                QStringLiteral("%1：%2 行，场次 %3，新监考 %4 人")
                                    .arg(fileName)
                                    .arg(summary.rows)
                                    .arg(sessionList.join(QStringLiteral("、")))
                                    .arg(summary.newProctors));
        !s)
        return failed(s.error());
    if (auto s = tx.commit(); !s)
        return failed(s.error());
    return summary;
}

Result<QList<AssignedProctor>, StoreError> ProctorStore::assignments(Id sessionId)
{
    auto r = m_sql.query(
        QStringLiteral("SELECT a.session_id, rm.code, p.staff_number, p.name, p.phone, p.pin_hash, p.pin_set_at,"
                       " p.pin_source FROM proctor_assignment a JOIN proctor p ON p.id = a.proctor_id"
                       " JOIN room rm ON rm.id = a.room_id WHERE a.session_id = ?"),
        {sessionId});
    if (!r)
        return r.error();
    QList<AssignedProctor> out;
    for (const auto &row : r->rows) {
        AssignedProctor p;
        p.sessionId = row[0].toLongLong();
        p.room = row[1].toString();
        p.staffNumber = row[2].toString();
        p.name = row[3].toString();
        p.phone = row[4].toString();
        p.hasPin = !row[5].isNull() && !row[5].toString().isEmpty();
        p.pinSetAt = row[6].isNull() ? QDateTime() : parseStoreTime(row[6].toString());
        p.pinSource = p.hasPin ? row[7].toString() : QString();
        out.push_back(std::move(p));
    }
    std::sort(out.begin(), out.end(), [](const AssignedProctor &a, const AssignedProctor &b) {
        if (a.room != b.room)
            return naturalLess(a.room, b.room);
        return a.name < b.name;
    });
    return out;
}

Result<QList<protocol::PackageProctor>, StoreError> ProctorStore::packageProctors(Id siteId, const QString &room,
                                                                                   const QDate &day)
{
    QString sql = QStringLiteral(
        "SELECT a.session_id, rm.code, p.staff_number, p.name, p.pin_hash FROM proctor_assignment a"
        " JOIN proctor p ON p.id = a.proctor_id JOIN room rm ON rm.id = a.room_id"
        " JOIN exam_session s ON s.id = a.session_id WHERE s.site_id = ? AND s.exam_date = ?");
    QVariantList params{siteId, day.toString(Qt::ISODate)};
    if (!room.isEmpty()) {
        sql += QStringLiteral(" AND rm.code = ?");
        params.push_back(room);
    }
    sql += QStringLiteral(" ORDER BY a.session_id, rm.code, p.staff_number");
    auto r = m_sql.query(sql, params);
    if (!r)
        return r.error();
    QList<protocol::PackageProctor> out;
    for (const auto &row : r->rows)
        out.push_back({row[0].toLongLong(), row[1].toString(), row[2].toString(), row[3].toString(),
                       row[4].isNull() ? QByteArray() : row[4].toString().toLatin1()});
    return out;
}

Status<StoreError> ProctorStore::setPinHash(const QString &staffNumber, const QByteArray &pinHash, const QString &actor)
{
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status();
    auto r = m_sql.query(QStringLiteral("UPDATE proctor SET pin_hash = ?, pin_set_at = ?, pin_source = 'office'"
                                        " WHERE staff_number = ?"),
                         {QString::fromLatin1(pinHash), storeTime(m_clock()), staffNumber});
    if (!r)
        return r.error();
    if (r->affected == 0)
        return storeError(StoreError::Code::DatabaseMissing, QStringLiteral("没有工号为 %1 的监考").arg(staffNumber));
    if (auto s = m_audit.append(actor, QStringLiteral("proctor.pin_set"),
                                QStringLiteral("设置了监考 %1 的 PIN（只存摘要）").arg(staffNumber));
        !s)
        return s;
    return tx.commit();
}

} // namespace kaodian::server
