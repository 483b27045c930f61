#include "store/eventlog.h"

#include "store/storeutil.h"

#include "protocol/roomevents.h"


#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace kaodian::server {

namespace {

// A PostgreSQL array literal ("{...}") of the values, each quoted, a null as
// NULL: a whole batch bound as one text parameter and cast in the SQL
// (?::bigint[]), so a batch costs one statement, not one per row.
QString pgArray(const QVariantList &values)
{
    QString out;
    out.reserve(values.size() * 8 + 2);
    out += QLatin1Char('{');
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i)
            out += QLatin1Char(',');
        if (values[i].isNull()) {
            out += QLatin1String("NULL");
            continue;
        }
        out += QLatin1Char('"');
        for (const QChar c : values[i].toString()) {
            if (c == QLatin1Char('"') || c == QLatin1Char('\\'))
                out += QLatin1Char('\\');
            out += c;
        }
        out += QLatin1Char('"');
    }
    out += QLatin1Char('}');
    return out;
}

// The columns a registration's state is derived from, as refreshRegistration
// and the PostgreSQL batch select them (registration_id last).
const QString kStateEventColumns = QStringLiteral(
    "kiosk_id, event_id, kind, session_id, device_time, target_kiosk_id, target_event_id, late, method, incident,"
    " outcome, score");

KioskEvent stateEventFromRow(const QVariantList &row, Id registrationId)
{
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
    return e;
}

// EventLog::storeEvents on PostgreSQL: the same work in seven statements a
// batch, whatever its size, where the per-event form (kept for the embedded
// store, in-process) costs about six round trips to the server per event.
// Every batch's values travel as arrays (pgArray). Same locks in the same
// order, same rows, same derived state, same high-water mark.
Result<IngestOutcome, StoreError> storeEventsPostgres(SqlConnection &sql, const QString &kioskId,
                                                      const QList<KioskEvent> &events, const QString &received)
{
    IngestOutcome out;
    // Concurrent batches (two servers, or two workers) must not derive a
    // registration's state from each other's uncommitted events and
    // overwrite one another: take the kiosk's progress row, then the batch's
    // registration rows in id order (no deadlock), before reading anything.
    if (auto r = sql.query(QStringLiteral("INSERT INTO kiosk_progress (kiosk_id, high_water_mark) VALUES (?, 0)"
                                          " ON CONFLICT DO NOTHING"),
                           {kioskId});
        !r)
        return r.error();
    auto mark = sql.query(QStringLiteral("SELECT high_water_mark FROM kiosk_progress WHERE kiosk_id = ? FOR UPDATE"),
                          {kioskId});
    if (!mark)
        return mark.error();
    const qint64 before = mark->first().first().toLongLong();
    std::vector<Id> regs;
    regs.reserve(static_cast<std::size_t>(events.size()));
    for (const auto &e : events)
        regs.push_back(e.registrationId);
    std::sort(regs.begin(), regs.end());
    regs.erase(std::unique(regs.begin(), regs.end()), regs.end());
    QVariantList regList;
    regList.reserve(static_cast<qsizetype>(regs.size()));
    for (Id reg : regs)
        regList.push_back(QVariant::fromValue<qint64>(reg));
    // ORDER BY before the lock: rows are locked in id order.
    if (auto r = sql.query(QStringLiteral("SELECT id FROM registration WHERE id = ANY(?::bigint[]) ORDER BY id FOR UPDATE"),
                           {pgArray(regList)});
        !r)
        return r.error();

    // Every event once per (kiosk, event id): the batch in its order, so of
    // two copies in one batch the first is stored, as one INSERT each did.
    QVariantList eventId, kind, sessionId, registrationId, deviceTime, targetKiosk, targetEvent, late, method, incident,
        outcome, score, reason, room, proctor, detail;
    for (const auto &e : events) {
        eventId.push_back(QVariant::fromValue<qint64>(e.eventId));
        kind.push_back(eventKindKey(e.kind));
        sessionId.push_back(QVariant::fromValue<qint64>(e.sessionId));
        registrationId.push_back(QVariant::fromValue<qint64>(e.registrationId));
        deviceTime.push_back(storeTime(e.deviceTime));
        targetKiosk.push_back(e.targetKioskId);
        targetEvent.push_back(QVariant::fromValue<qint64>(e.targetEventId));
        late.push_back(e.late ? 1 : 0);
        method.push_back(static_cast<int>(e.method));
        incident.push_back(e.incident ? QVariant(static_cast<int>(*e.incident)) : QVariant());
        outcome.push_back(e.outcome ? QVariant(static_cast<int>(*e.outcome)) : QVariant());
        score.push_back(nullable(e.score));
        reason.push_back(e.reason);
        room.push_back(e.room);
        proctor.push_back(e.proctor);
        detail.push_back(e.detail);
        out.acknowledged.push_back(e.eventId);
    }
    auto inserted = sql.query(
        QStringLiteral("INSERT INTO kiosk_event (kiosk_id, event_id, kind, session_id, registration_id, device_time,"
                       " received_at, target_kiosk_id, target_event_id, late, method, incident, outcome, score, reason,"
                       " room, proctor, detail)"
                       " SELECT ?, u.event_id, u.kind, u.session_id, u.registration_id, u.device_time, ?,"
                       " u.target_kiosk_id, u.target_event_id, u.late, u.method, u.incident, u.outcome, u.score, u.reason,"
                       " u.room, u.proctor, u.detail"
                       " FROM unnest(?::bigint[], ?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::bigint[],"
                       " ?::integer[], ?::integer[], ?::integer[], ?::integer[], ?::integer[], ?::text[], ?::text[],"
                       " ?::text[], ?::text[]) WITH ORDINALITY"
                       " AS u(event_id, kind, session_id, registration_id, device_time, target_kiosk_id, target_event_id,"
                       " late, method, incident, outcome, score, reason, room, proctor, detail, n)"
                       " ORDER BY u.n ON CONFLICT DO NOTHING RETURNING registration_id"),
        {kioskId, received, pgArray(eventId), pgArray(kind), pgArray(sessionId), pgArray(registrationId),
         pgArray(deviceTime), pgArray(targetKiosk), pgArray(targetEvent), pgArray(late), pgArray(method),
         pgArray(incident), pgArray(outcome), pgArray(score), pgArray(reason), pgArray(room), pgArray(proctor),
         pgArray(detail)});
    if (!inserted)
        return inserted.error();
    out.stored = static_cast<int>(inserted->rows.size());
    out.duplicates = static_cast<int>(events.size()) - out.stored;

    // Re-derive the state of each registration that gained an event, from
    // all its events (one select for the batch, one update).
    std::vector<Id> touched;
    for (const auto &row : inserted->rows)
        if (row[0].toLongLong() != 0) // a room's event changes no registration
            touched.push_back(row[0].toLongLong());
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    if (!touched.empty()) {
        QVariantList touchedList;
        for (Id reg : touched)
            touchedList.push_back(QVariant::fromValue<qint64>(reg));
        // The redundant range keeps the plan on the registration index
        // while kiosk_event has no statistics yet (a new term's first
        // minutes): "= ANY" alone is then guessed at half the table.
        auto held = sql.query(QStringLiteral("SELECT %1, registration_id FROM kiosk_event"
                                             " WHERE registration_id = ANY(?::bigint[]) AND registration_id BETWEEN ? AND ?")
                                  .arg(kStateEventColumns),
                              {pgArray(touchedList), QVariant::fromValue<qint64>(touched.front()),
                               QVariant::fromValue<qint64>(touched.back())});
        if (!held)
            return held.error();
        std::map<Id, std::vector<KioskEvent>> byRegistration;
        for (const auto &row : held->rows) {
            const Id reg = row[12].toLongLong();
            byRegistration[reg].push_back(stateEventFromRow(row, reg));
        }
        QVariantList id, attendance, stLate, checkedInAt, checkedInKiosk, active, stOutcome, stScore, incidents;
        for (auto &[reg, regEvents] : byRegistration) {
            // One registration at a time, as refreshRegistration does.
            const auto states = deriveStates(std::move(regEvents));
            if (states.empty())
                continue;
            const auto &st = states.front();
            id.push_back(QVariant::fromValue<qint64>(reg));
            attendance.push_back(static_cast<int>(st.attendance));
            stLate.push_back(st.late ? 1 : 0);
            checkedInAt.push_back(st.checkedInAt ? QVariant(storeTime(*st.checkedInAt)) : QVariant());
            checkedInKiosk.push_back(st.checkedInAt ? QVariant(st.checkedInKiosk) : QVariant());
            active.push_back(st.activeCheckIns);
            stOutcome.push_back(st.outcome ? QVariant(static_cast<int>(*st.outcome)) : QVariant());
            stScore.push_back(nullable(st.score));
            incidents.push_back(st.incidents);
        }
        if (!id.isEmpty()) {
            if (auto u = sql.query(
                    QStringLiteral("UPDATE registration AS r SET attendance = CASE WHEN u.attendance = 0"
                                   " AND r.excused_reason IS NOT NULL THEN 3 ELSE u.attendance END, late = u.late,"
                                   " checked_in_at = u.checked_in_at, checked_in_kiosk = u.checked_in_kiosk,"
                                   " active_checkins = u.active_checkins,"
                                   // An office result (result_record) outlives the kiosks' events.
                                   " outcome = CASE WHEN NOT EXISTS (SELECT 1 FROM result_record rr WHERE rr.registration_id = r.id) THEN u.outcome ELSE r.outcome END,"
                                   " score = CASE WHEN NOT EXISTS (SELECT 1 FROM result_record rr WHERE rr.registration_id = r.id) THEN u.score ELSE r.score END,"
                                   " incidents = u.incidents"
                                   " FROM unnest(?::bigint[], ?::integer[], ?::integer[], ?::text[], ?::text[],"
                                   " ?::integer[], ?::integer[], ?::integer[], ?::integer[])"
                                   " AS u(id, attendance, late, checked_in_at, checked_in_kiosk, active_checkins,"
                                   " outcome, score, incidents)"
                                   " WHERE r.id = u.id AND r.id = ANY(?::bigint[])"),
                    {pgArray(id), pgArray(attendance), pgArray(stLate), pgArray(checkedInAt), pgArray(checkedInKiosk),
                     pgArray(active), pgArray(stOutcome), pgArray(stScore), pgArray(incidents), pgArray(id)});
                !u)
                return u.error();
        }
    }

    // Advance the high-water mark over the ids now held without a gap: the
    // walk the per-event form makes, inside the server, written only when it
    // moved. The step is a scalar subquery, not EXISTS: PostgreSQL turns an
    // EXISTS into a join, and a plan made while the table was small hashed
    // all the kiosk's events at every step (quadratic in its events).
    auto moved = sql.query(
        QStringLiteral("UPDATE kiosk_progress SET high_water_mark = w.mark"
                       " FROM (WITH RECURSIVE walk(n) AS (SELECT ?::bigint UNION ALL SELECT walk.n + 1 FROM walk"
                       " WHERE (SELECT e.event_id FROM kiosk_event e WHERE e.kiosk_id = ? AND e.event_id = walk.n + 1)"
                       " IS NOT NULL) SELECT max(n) AS mark FROM walk) AS w"
                       " WHERE kiosk_id = ? AND w.mark <> high_water_mark RETURNING high_water_mark"),
        {QVariant::fromValue<qint64>(before), kioskId, kioskId});
    if (!moved)
        return moved.error();
    out.highWaterMark = moved->isEmpty() ? before : moved->first().first().toLongLong();
    return out;
}

} // namespace

Result<bool, StoreError> EventLog::registrationAtSite(Id registrationId, Id sessionId, Id siteId)
{
    auto r = m_sql.query(QStringLiteral("SELECT 1 FROM registration r JOIN exam_session s ON s.id = r.session_id"
                                         " WHERE r.id = ? AND r.session_id = ? AND s.site_id = ?"),
                          {registrationId, sessionId, siteId});
    if (!r)
        return r.error();
    return !r->isEmpty();
}

Result<std::optional<qsizetype>, StoreError> EventLog::firstEventNotAtSite(const QList<KioskEvent> &events, Id siteId)
{
    std::set<std::pair<Id, Id>> atSite; // (registration, session) found at the site
    const bool batch = m_sql.dialect() == Dialect::Postgres;
    if (batch && !events.isEmpty()) {
        QVariantList regs;
        regs.reserve(events.size());
        for (const auto &e : events)
            regs.push_back(QVariant::fromValue<qint64>(e.registrationId));
        // By id only (the primary key, whatever the statistics say), the
        // site compared here: a filter on the site lets the planner start
        // from the site's sessions and read all their registrations.
        auto r = m_sql.query(QStringLiteral("SELECT r.id, r.session_id, s.site_id FROM registration r"
                                            " JOIN exam_session s ON s.id = r.session_id"
                                            " WHERE r.id = ANY(?::bigint[])"),
                             {pgArray(regs)});
        if (!r)
            return r.error();
        for (const auto &row : r->rows)
            if (row[2].toLongLong() == siteId)
                atSite.insert({row[0].toLongLong(), row[1].toLongLong()});
    }
    std::map<Id, bool> sessionAtSite; // room events: the session is at the site
    for (qsizetype i = 0; i < events.size(); ++i) {
        if (isRoomEvent(events[i].kind, events[i].registrationId)) {
            const Id session = events[i].sessionId;
            auto known = sessionAtSite.find(session);
            if (known == sessionAtSite.end()) {
                auto r = m_sql.query(QStringLiteral("SELECT 1 FROM exam_session WHERE id = ? AND site_id = ?"),
                                     {session, siteId});
                if (!r)
                    return r.error();
                known = sessionAtSite.emplace(session, !r->isEmpty()).first;
            }
            if (!known->second)
                return std::optional<qsizetype>(i);
            continue;
        }
        const std::pair<Id, Id> key{events[i].registrationId, events[i].sessionId};
        if (atSite.count(key))
            continue;
        if (batch)
            return std::optional<qsizetype>(i);
        auto ok = registrationAtSite(key.first, key.second, siteId);
        if (!ok)
            return ok.error();
        if (!*ok)
            return std::optional<qsizetype>(i);
        atSite.insert(key);
    }
    return std::optional<qsizetype>();
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
                                                                 const QDateTime &receivedAt,
                                                                 const QString &unsignedReason)
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
    // The first event of another kiosk, and before it the first not at the
    // kiosk's site: whichever comes first refuses the file.
    qsizetype otherKiosk = 0;
    while (otherKiosk < events.size() && events[otherKiosk].kioskId == kioskId)
        ++otherKiosk;
    auto notAtSite = firstEventNotAtSite(events.first(otherKiosk), siteId);
    if (!notAtSite)
        return notAtSite.error();
    if (*notAtSite)
        return storeError(StoreError::Code::Refused,
                          QStringLiteral("第 %1 条事件的考生不属于该终端考点的该场次").arg(**notAtSite + 1));
    if (otherKiosk < events.size())
        return storeError(StoreError::Code::Refused,
                          QStringLiteral("第 %1 条事件不属于考场终端 %2").arg(otherKiosk + 1).arg(kioskId));
    auto out = storeEvents(kioskId, events, storeTime(receivedAt));
    if (!out)
        return out.error();
    if (auto r = m_sql.query(QStringLiteral("UPDATE kiosk SET events_waiting = 0 WHERE id = ?"), {kioskId}); !r)
        return r.error();
    QString detail = QStringLiteral("%1：文件 %2，%3 条事件，新存 %4 条，已有 %5 条")
                         .arg(kioskId, source)
                         .arg(events.size())
                         .arg(out->stored)
                         .arg(out->duplicates);
    if (!unsignedReason.isEmpty())
        detail += QStringLiteral("；未核验签名，理由：%1").arg(unsignedReason);
    if (auto s = m_audit.append(actor,
                                unsignedReason.isEmpty() ? QStringLiteral("kiosk.events_import")
                                                         : QStringLiteral("kiosk.events_import_unsigned"),
                                detail);
        !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return out;
}

Result<IngestOutcome, StoreError> EventLog::storeEvents(const QString &kioskId, const QList<KioskEvent> &events,
                                                           const QString &received)
{
    auto out = m_sql.dialect() == Dialect::Postgres ? storeEventsPostgres(m_sql, kioskId, events, received)
                                                    : storeEventsEmbedded(kioskId, events, received);
    if (!out)
        return out;
    if (auto s = applyKioskPins(kioskId, events, received); !s)
        return s.error();
    return out;
}

Status<StoreError> EventLog::applyKioskPins(const QString &kioskId, const QList<KioskEvent> &events,
                                            const QString &received)
{
    // A PIN a proctor set at a kiosk on first use becomes the proctor's,
    // unless the proctor has one already (the office's, or one set at
    // another kiosk first): that one stays and reaches this kiosk in its
    // next package. Only an event stored by this batch counts (its
    // received_at is this batch's), so a retry or a replay changes nothing.
    for (const auto &e : events) {
        if (e.kind != EventKind::ProctorPin)
            continue;
        const auto hash = protocol::parseProctorPinDetail(e.detail);
        if (!hash)
            continue;
        auto r = m_sql.query(
            QStringLiteral("UPDATE proctor SET pin_hash = ?, pin_set_at = ?, pin_source = ?"
                           " WHERE staff_number = ? AND pin_hash IS NULL"
                           " AND id IN (SELECT a.proctor_id FROM proctor_assignment a WHERE a.session_id = ?)"
                           " AND EXISTS (SELECT 1 FROM kiosk_event k"
                           " WHERE k.kiosk_id = ? AND k.event_id = ? AND k.received_at = ?)"),
            {QString::fromLatin1(*hash), storeTime(e.deviceTime), QStringLiteral("kiosk:") + kioskId, e.proctor,
             e.sessionId, kioskId, QVariant::fromValue<qint64>(e.eventId), received});
        if (!r)
            return r.error();
        if (r->affected > 0) {
            if (auto s = m_audit.append(QStringLiteral("kiosk:") + kioskId, QStringLiteral("proctor.pin_set_at_kiosk"),
                                        QStringLiteral("监考 %1 在考场终端 %2 首次使用时设置了 PIN").arg(e.proctor, kioskId));
                !s)
                return s;
        }
    }
    return {};
}

Result<IngestOutcome, StoreError> EventLog::storeEventsEmbedded(const QString &kioskId, const QList<KioskEvent> &events,
                                                                const QString &received)
{
    // The embedded store, in-process: one statement per event is cheap here,
    // and BEGIN IMMEDIATE already runs writers one at a time.
    IngestOutcome out;
    std::vector<Id> touched;
    for (const auto &e : events) {
        auto r = m_sql.query(
            QStringLiteral("{INSERT_IGNORE} INTO kiosk_event (kiosk_id, event_id, kind, session_id, registration_id,"
                           " device_time, received_at, target_kiosk_id, target_event_id, late, method, incident,"
                           " outcome, score, reason, room, proctor, detail)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) {ON_CONFLICT_IGNORE}"),
            {kioskId, QVariant::fromValue<qint64>(e.eventId), eventKindKey(e.kind), e.sessionId, e.registrationId,
             storeTime(e.deviceTime), received, e.targetKioskId, QVariant::fromValue<qint64>(e.targetEventId),
             e.late ? 1 : 0, static_cast<int>(e.method),
             e.incident ? QVariant(static_cast<int>(*e.incident)) : QVariant(),
             e.outcome ? QVariant(static_cast<int>(*e.outcome)) : QVariant(), nullable(e.score), e.reason, e.room,
             e.proctor, e.detail});
        if (!r)
            return r.error();
        if (r->affected > 0) {
            ++out.stored;
            if (!isRoomEvent(e.kind, e.registrationId))
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
    // Advance the high-water mark over the ids now held without a gap, in
    // one statement (the write lock is held): when the id after the mark is
    // here, the new mark is the first id from there whose successor is not.
    if (auto r = m_sql.query(QStringLiteral("{INSERT_IGNORE} INTO kiosk_progress (kiosk_id, high_water_mark)"
                                             " VALUES (?, 0) {ON_CONFLICT_IGNORE}"),
                              {kioskId});
        !r)
        return r.error();
    if (auto r = m_sql.query(
            QStringLiteral("UPDATE kiosk_progress SET high_water_mark ="
                           " (SELECT min(e.event_id) FROM kiosk_event e WHERE e.kiosk_id = kiosk_progress.kiosk_id"
                           " AND e.event_id > kiosk_progress.high_water_mark AND NOT EXISTS (SELECT 1 FROM kiosk_event f"
                           " WHERE f.kiosk_id = e.kiosk_id AND f.event_id = e.event_id + 1))"
                           " WHERE kiosk_id = ? AND EXISTS (SELECT 1 FROM kiosk_event n"
                           " WHERE n.kiosk_id = kiosk_progress.kiosk_id AND n.event_id = kiosk_progress.high_water_mark + 1)"),
            {kioskId});
        !r)
        return r.error();
    auto mark = m_sql.query(QStringLiteral("SELECT high_water_mark FROM kiosk_progress WHERE kiosk_id = ?"), {kioskId});
    if (!mark)
        return mark.error();
    const qint64 hwm = mark->first().first().toLongLong();
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
    auto r = m_sql.query(QStringLiteral("SELECT %1 FROM kiosk_event WHERE registration_id = ?").arg(kStateEventColumns),
                         {registrationId});
    if (!r)
        return r.error();
    std::vector<KioskEvent> events;
    events.reserve(static_cast<std::size_t>(r->rows.size()));
    for (const auto &row : r->rows)
        events.push_back(stateEventFromRow(row, registrationId));
    const auto states = deriveStates(std::move(events));
    if (states.empty())
        return {};
    const auto &st = states.front();
    auto u = m_sql.query(
        QStringLiteral("UPDATE registration SET attendance = CASE WHEN ? = 0 AND excused_reason IS NOT NULL THEN 3"
                       " ELSE ? END, late = ?, checked_in_at = ?, checked_in_kiosk = ?,"
                       " active_checkins = ?,"
                       // An office result (result_record) outlives the kiosks' events.
                       " outcome = CASE WHEN NOT EXISTS (SELECT 1 FROM result_record rr WHERE rr.registration_id = registration.id) THEN ? ELSE outcome END,"
                       " score = CASE WHEN NOT EXISTS (SELECT 1 FROM result_record rr WHERE rr.registration_id = registration.id) THEN ? ELSE score END,"
                       " incidents = ? WHERE id = ?"),
        {static_cast<int>(st.attendance), static_cast<int>(st.attendance), st.late ? 1 : 0,
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

namespace kaodian::server {

Result<QList<RoomIncidentRow>, StoreError> EventLog::roomIncidents(Id sessionId, const std::optional<QString> &room)
{
    QString sql = QStringLiteral(
        "SELECT e.room, e.incident, e.reason, e.proctor, p.name, e.device_time, e.received_at, e.kiosk_id"
        " FROM kiosk_event e LEFT JOIN proctor p ON p.staff_number = e.proctor AND e.proctor <> ''"
        " WHERE e.session_id = ? AND e.kind = 'incident' AND e.registration_id = 0");
    QVariantList params{sessionId};
    if (room) {
        sql += QStringLiteral(" AND e.room = ?");
        params.push_back(*room);
    }
    sql += QStringLiteral(" ORDER BY e.device_time, e.id");
    auto r = m_sql.query(sql, params);
    if (!r)
        return r.error();
    QList<RoomIncidentRow> out;
    out.reserve(r->rows.size());
    for (const auto &row : r->rows) {
        RoomIncidentRow i;
        i.room = row[0].toString();
        const qint64 category = row[1].toLongLong();
        i.category = category >= 1 && category <= 5 ? static_cast<IncidentCategory>(category) : IncidentCategory::Other;
        i.note = row[2].toString();
        i.proctor = row[3].toString();
        i.proctorName = row[4].toString();
        i.deviceTime = parseStoreTime(row[5].toString());
        i.receivedAt = parseStoreTime(row[6].toString());
        i.kioskId = row[7].toString();
        out.push_back(std::move(i));
    }
    return out;
}

Result<QList<SignOffRow>, StoreError> EventLog::signOffs(Id sessionId)
{
    auto r = m_sql.query(
        QStringLiteral("SELECT room, kind, detail, reason, proctor, device_time, received_at, kiosk_id, event_id"
                       " FROM kiosk_event WHERE session_id = ? AND kind IN ('sign_off', 'reopen')"
                       " ORDER BY room, device_time, kiosk_id, event_id"),
        {sessionId});
    if (!r)
        return r.error();
    QList<SignOffRow> out;
    out.reserve(r->rows.size());
    for (const auto &row : r->rows) {
        SignOffRow s;
        s.room = row[0].toString();
        s.reopen = row[1].toString() == QLatin1String("reopen");
        if (!s.reopen)
            s.facts = protocol::parseSignOffDetail(row[2].toString()).value_or(protocol::SignOffFacts{});
        s.reason = row[3].toString();
        s.proctor = row[4].toString();
        s.deviceTime = parseStoreTime(row[5].toString());
        s.receivedAt = parseStoreTime(row[6].toString());
        s.kioskId = row[7].toString();
        s.eventId = row[8].toLongLong();
        out.push_back(std::move(s));
    }
    return out;
}

} // namespace kaodian::server
