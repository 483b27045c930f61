#include "store/eventlog.h"

#include "store/storeutil.h"

#include <QHash>

#include <algorithm>
#include <tuple>

namespace kaodian::server {

Result<bool, StoreError> EventLog::registrationAtSite(Id registrationId, Id sessionId, Id siteId)
{
    auto r = m_sql.query(QStringLiteral("SELECT 1 FROM registration r JOIN exam_session s ON s.id = r.session_id"
                                         " WHERE r.id = ? AND r.session_id = ? AND s.site_id = ?"),
                          {registrationId, sessionId, siteId});
    if (!r)
        return r.error();
    return !r->isEmpty();
}

Result<IngestOutcome, StoreError> EventLog::ingest(const QString &kioskId, const QList<KioskEvent> &events,
                                                            const QDateTime &receivedAt, std::optional<qint64> waiting)
{
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status().error();
    const QString received = storeTime(receivedAt);
    auto out = storeEvents(kioskId, events, received);
    if (!out)
        return out.error();
    if (auto r = m_sql.query(QStringLiteral("UPDATE kiosk SET last_seen_at = ?, events_waiting = coalesce(?, events_waiting)"
                                             " WHERE id = ?"),
                              {received, waiting ? QVariant::fromValue<qint64>(*waiting) : QVariant(), kioskId});
        !r)
        return r.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return out;
}

Result<IngestOutcome, StoreError> EventLog::importFile(const QString &kioskId, const QList<KioskEvent> &events,
                                                                 const QString &source, const QString &actor,
                                                                 const QDateTime &receivedAt)
{
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status().error();
    auto site = m_sql.query(QStringLiteral("SELECT site_id FROM kiosk WHERE id = ?"), {kioskId});
    if (!site)
        return site.error();
    if (site->isEmpty())
        return storeError(StoreError::Code::DatabaseMissing, QStringLiteral("没有登记过考场终端 %1").arg(kioskId));
    const Id siteId = site->first().first().toLongLong();
    QHash<Id, Id> checked; // registration -> session already checked
    for (qsizetype i = 0; i < events.size(); ++i) {
        const auto &e = events[i];
        if (e.kioskId != kioskId)
            return storeError(StoreError::Code::Refused,
                              QStringLiteral("第 %1 条事件不属于考场终端 %2").arg(i + 1).arg(kioskId));
        if (checked.value(e.registrationId, -1) == e.sessionId)
            continue;
        auto ok = registrationAtSite(e.registrationId, e.sessionId, siteId);
        if (!ok)
            return ok.error();
        if (!*ok)
            return storeError(StoreError::Code::Refused,
                              QStringLiteral("第 %1 条事件的考生不属于该终端考点的该场次").arg(i + 1));
        checked.insert(e.registrationId, e.sessionId);
    }
    auto out = storeEvents(kioskId, events, storeTime(receivedAt));
    if (!out)
        return out.error();
    if (auto r = m_sql.query(QStringLiteral("UPDATE kiosk SET events_waiting = 0 WHERE id = ?"), {kioskId}); !r)
        return r.error();
    if (auto s = m_audit.append(actor, QStringLiteral("kiosk.events_import"),
                       QStringLiteral("%1：文件 %2，%3 条事件，新存 %4 条，已有 %5 条")
                           .arg(kioskId, source)
                           .arg(events.size())
                           .arg(out->stored)
                           .arg(out->duplicates));
        !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return out;
}

Result<IngestOutcome, StoreError> EventLog::storeEvents(const QString &kioskId, const QList<KioskEvent> &events,
                                                           const QString &received)
{
    IngestOutcome out;
    if (m_sql.dialect() == Dialect::Postgres) {
        // Concurrent batches (two servers, or two workers) must not derive a
        // registration's state from each other's uncommitted events and
        // overwrite one another: take the kiosk's progress row, then the
        // batch's registration rows in id order (no deadlock), before
        // reading anything. The embedded store's BEGIN IMMEDIATE already
        // runs writers one at a time.
        if (auto r = m_sql.query(QStringLiteral("{INSERT_IGNORE} INTO kiosk_progress (kiosk_id, high_water_mark)"
                                                 " VALUES (?, 0) {ON_CONFLICT_IGNORE}"),
                                  {kioskId});
            !r)
            return r.error();
        if (auto r = m_sql.query(QStringLiteral("SELECT 1 FROM kiosk_progress WHERE kiosk_id = ? FOR UPDATE"), {kioskId}); !r)
            return r.error();
        std::vector<Id> regs;
        regs.reserve(static_cast<std::size_t>(events.size()));
        for (const auto &e : events)
            regs.push_back(e.registrationId);
        std::sort(regs.begin(), regs.end());
        regs.erase(std::unique(regs.begin(), regs.end()), regs.end());
        for (Id reg : regs)
            if (auto r = m_sql.query(QStringLiteral("SELECT id FROM registration WHERE id = ? FOR UPDATE"), {reg}); !r)
                return r.error();
    }
    std::vector<Id> touched;
    for (const auto &e : events) {
        auto r = m_sql.query(
            QStringLiteral("{INSERT_IGNORE} INTO kiosk_event (kiosk_id, event_id, kind, session_id, registration_id,"
                           " device_time, received_at, target_kiosk_id, target_event_id, late, method, incident,"
                           " outcome, score, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                           " {ON_CONFLICT_IGNORE}"),
            {kioskId, QVariant::fromValue<qint64>(e.eventId), eventKindKey(e.kind), e.sessionId, e.registrationId,
             storeTime(e.deviceTime), received, e.targetKioskId, QVariant::fromValue<qint64>(e.targetEventId),
             e.late ? 1 : 0, static_cast<int>(e.method),
             e.incident ? QVariant(static_cast<int>(*e.incident)) : QVariant(),
             e.outcome ? QVariant(static_cast<int>(*e.outcome)) : QVariant(), nullable(e.score), e.reason});
        if (!r)
            return r.error();
        if (r->affected > 0) {
            ++out.stored;
            touched.push_back(e.registrationId);
        } else {
            ++out.duplicates;
        }
        out.acknowledged.push_back(e.eventId);
    }
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    for (Id reg : touched) {
        if (auto s = refreshRegistration(reg); !s)
            return s.error();
    }
    // Advance the high-water mark over the ids now held.
    if (auto r = m_sql.query(QStringLiteral("{INSERT_IGNORE} INTO kiosk_progress (kiosk_id, high_water_mark)"
                                             " VALUES (?, 0) {ON_CONFLICT_IGNORE}"),
                              {kioskId});
        !r)
        return r.error();
    auto mark = m_sql.query(QStringLiteral("SELECT high_water_mark FROM kiosk_progress WHERE kiosk_id = ?"), {kioskId});
    if (!mark)
        return mark.error();
    qint64 hwm = mark->first().first().toLongLong();
    const qint64 before = hwm;
    for (;;) {
        auto next = m_sql.query(QStringLiteral("SELECT 1 FROM kiosk_event WHERE kiosk_id = ? AND event_id = ?"),
                                 {kioskId, hwm + 1});
        if (!next)
            return next.error();
        if (next->isEmpty())
            break;
        ++hwm;
    }
    if (hwm != before) {
        if (auto r = m_sql.query(QStringLiteral("UPDATE kiosk_progress SET high_water_mark = ? WHERE kiosk_id = ?"),
                                  {hwm, kioskId});
            !r)
            return r.error();
    }
    out.highWaterMark = hwm;
    return out;
}

Result<QList<CheckInConflict>, StoreError> EventLog::conflicts(Id sessionId)
{
    // Registrations whose derived state holds more than one live check-in,
    // and those check-ins (an annulled one no longer conflicts).
    auto r = m_sql.query(
        QStringLiteral("SELECT r.id, r.ticket_number, c.name, e.kiosk_id, k.name, e.event_id, e.device_time, e.received_at"
                       " FROM registration r JOIN candidate c ON c.id = r.candidate_id"
                       " JOIN kiosk_event e ON e.registration_id = r.id AND e.kind = ?"
                       " LEFT JOIN kiosk k ON k.id = e.kiosk_id"
                       " WHERE r.session_id = ? AND r.active_checkins > 1"
                       " AND NOT EXISTS (SELECT 1 FROM kiosk_event a WHERE a.registration_id = r.id AND a.kind = ?"
                       " AND a.target_kiosk_id = e.kiosk_id AND a.target_event_id = e.event_id)"
                       " ORDER BY r.id"),
        {eventKindKey(EventKind::CheckIn), sessionId, eventKindKey(EventKind::Annul)});
    if (!r)
        return r.error();
    QList<CheckInConflict> out;
    for (const auto &row : r->rows) {
        const Id reg = row[0].toLongLong();
        if (out.isEmpty() || out.back().registrationId != reg) {
            CheckInConflict c;
            c.registrationId = reg;
            c.sessionId = sessionId;
            c.ticketNumber = row[1].toString();
            c.name = row[2].toString();
            out.push_back(std::move(c));
        }
        ConflictCheckIn ci;
        ci.kioskId = row[3].toString();
        ci.kioskName = row[4].toString();
        ci.eventId = row[5].toLongLong();
        ci.deviceTime = parseStoreTime(row[6].toString());
        ci.receivedAt = parseStoreTime(row[7].toString());
        out.back().checkIns.push_back(std::move(ci));
    }
    for (auto &c : out) {
        // The order deriveStates() takes events in: the first is the one that counts.
        std::sort(c.checkIns.begin(), c.checkIns.end(), [](const ConflictCheckIn &a, const ConflictCheckIn &b) {
            return std::tie(a.deviceTime, a.kioskId, a.eventId) < std::tie(b.deviceTime, b.kioskId, b.eventId);
        });
        c.checkIns.front().counts = true;
    }
    // A registration whose second check-in was undone is no conflict.
    out.erase(std::remove_if(out.begin(), out.end(), [](const CheckInConflict &c) { return c.checkIns.size() < 2; }),
              out.end());
    return out;
}

Status<StoreError> EventLog::refreshRegistration(Id registrationId)
{
    auto r = m_sql.query(
        QStringLiteral("SELECT kiosk_id, event_id, kind, session_id, device_time, target_kiosk_id, target_event_id,"
                       " late, method, incident, outcome, score FROM kiosk_event WHERE registration_id = ?"),
        {registrationId});
    if (!r)
        return r.error();
    std::vector<KioskEvent> events;
    events.reserve(static_cast<std::size_t>(r->rows.size()));
    for (const auto &row : r->rows) {
        KioskEvent e;
        e.kioskId = row[0].toString();
        e.eventId = row[1].toLongLong();
        e.kind = eventKindFromKey(row[2].toString()).value_or(EventKind::Incident);
        e.sessionId = row[3].toLongLong();
        e.registrationId = registrationId;
        e.deviceTime = parseStoreTime(row[4].toString());
        e.targetKioskId = row[5].toString();
        e.targetEventId = row[6].toLongLong();
        e.late = row[7].toLongLong() != 0;
        e.method = static_cast<CheckInMethod>(row[8].toLongLong());
        if (!row[9].isNull())
            e.incident = static_cast<IncidentCategory>(row[9].toLongLong());
        if (!row[10].isNull())
            e.outcome = static_cast<Outcome>(row[10].toLongLong());
        if (!row[11].isNull())
            e.score = static_cast<int>(row[11].toLongLong());
        events.push_back(std::move(e));
    }
    const auto states = deriveStates(std::move(events));
    if (states.empty())
        return {};
    const auto &st = states.front();
    auto u = m_sql.query(
        QStringLiteral("UPDATE registration SET attendance = ?, late = ?, checked_in_at = ?, checked_in_kiosk = ?,"
                       " active_checkins = ?, outcome = ?, score = ?, incidents = ? WHERE id = ?"),
        {static_cast<int>(st.attendance), st.late ? 1 : 0,
         st.checkedInAt ? QVariant(storeTime(*st.checkedInAt)) : QVariant(),
         st.checkedInAt ? QVariant(st.checkedInKiosk) : QVariant(), st.activeCheckIns,
         st.outcome ? QVariant(static_cast<int>(*st.outcome)) : QVariant(), nullable(st.score), st.incidents,
         registrationId});
    if (!u)
        return u.error();
    return {};
}

Result<QList<IncidentRow>, StoreError> EventLog::incidents(Id sessionId)
{
    auto r = m_sql.query(
        QStringLiteral("SELECT e.registration_id, r.ticket_number, c.name, e.incident, e.reason, e.device_time, e.kiosk_id"
                       " FROM kiosk_event e JOIN registration r ON r.id = e.registration_id"
                       " JOIN candidate c ON c.id = r.candidate_id"
                       " WHERE e.session_id = ? AND e.kind = 'incident' ORDER BY e.device_time, e.id"),
        {sessionId});
    if (!r)
        return r.error();
    QList<IncidentRow> out;
    out.reserve(r->rows.size());
    for (const auto &row : r->rows) {
        IncidentRow i;
        i.registrationId = row[0].toLongLong();
        i.ticketNumber = row[1].toString();
        i.name = row[2].toString();
        const qint64 category = row[3].toLongLong();
        i.category = category >= 1 && category <= 5 ? static_cast<IncidentCategory>(category) : IncidentCategory::Other;
        i.note = row[4].toString();
        i.deviceTime = parseStoreTime(row[5].toString());
        i.kioskId = row[6].toString();
        out.push_back(std::move(i));
    }
    return out;
}

} // namespace kaodian::server
