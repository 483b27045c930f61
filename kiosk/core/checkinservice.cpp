#include "kiosk/core/checkinservice.h"

#include "core/examzone.h"

#include <QLoggingCategory>
#include <QTimeZone>

namespace kaodian::kiosk {

Q_LOGGING_CATEGORY(lcCheckIn, "kaodian.kiosk.checkin")

namespace {

QDateTime sessionStart(const PackageSession &s)
{
    return QDateTime(s.examDate, s.startTime, examZone());
}

QDateTime sessionEnd(const PackageSession &s)
{
    return QDateTime(s.examDate, s.endTime.isValid() ? s.endTime : s.startTime.addSecs(3 * 3600), examZone());
}

QString revocationKey(const QString &ticket, int serial)
{
    return ticket + QLatin1Char('#') + QString::number(serial);
}

QString localTime(const QDateTime &t)
{
    return t.toTimeZone(examZone()).toString(QStringLiteral("HH:mm"));
}

} // namespace

CheckInService::CheckInService(KioskStore &store, Clock clock) : m_store(store), m_clock(std::move(clock))
{
    reload();
}

void CheckInService::reload()
{
    m_counts.clear();
    m_verifier = TicketVerifier();
    for (const auto &raw : m_store.package().ticketKeys)
        if (auto key = VerifyKey::fromRaw(raw))
            m_verifier.addKey(*key);
    m_byTicket.clear();
    m_byRegistration.clear();
    m_sessionsInRoom.clear();
    const QString room = m_store.identity().room;
    for (const auto &c : m_store.package().roster) {
        m_byTicket.insert(c.ticketNumber, c);
        m_byRegistration.insert(c.registrationId, c);
        if (room.isEmpty() || c.room == room)
            m_sessionsInRoom.insert(c.sessionId);
    }
    m_revoked.clear();
    for (const auto &r : m_store.package().revocations)
        m_revoked.insert(revocationKey(r.ticketNumber, r.serial), r.replacedAt);
    m_eventsByRegistration.clear();
    for (const auto &e : m_store.events())
        m_eventsByRegistration[e.registrationId].push_back(e);
    m_states.clear();
    for (auto it = m_eventsByRegistration.cbegin(); it != m_eventsByRegistration.cend(); ++it)
        rederive(it.key());
}

namespace {

// One registration's part in its session's counts, added (+1) or taken away (-1).
void tally(SessionCounts &c, const RegistrationState *st, int sign)
{
    switch (st ? st->attendance : Attendance::NotCheckedIn) {
    case Attendance::CheckedIn:
        c.checkedIn += sign;
        c.late += st->late ? sign : 0;
        break;
    case Attendance::Absent: c.absent += sign; break;
    case Attendance::Excused: c.excused += sign; break;
    case Attendance::NotCheckedIn: c.notYet += sign; break;
    }
}

} // namespace

void CheckInService::rederive(Id registrationId)
{
    // The cached counts of its session follow the registration's new state.
    SessionCounts *counts = nullptr;
    if (const auto c = m_byRegistration.constFind(registrationId); c != m_byRegistration.constEnd()) {
        const QString room = m_store.identity().room;
        auto cached = m_counts.find(c->sessionId);
        if (cached != m_counts.end() && (room.isEmpty() || c->room == room))
            counts = &*cached;
    }
    if (counts) {
        const auto before = m_states.constFind(registrationId);
        tally(*counts, before == m_states.constEnd() ? nullptr : &*before, -1);
    }
    const auto states = deriveStates(m_eventsByRegistration.value(registrationId));
    if (states.empty())
        m_states.remove(registrationId);
    else
        m_states.insert(registrationId, states.front());
    if (counts) {
        const auto after = m_states.constFind(registrationId);
        tally(*counts, after == m_states.constEnd() ? nullptr : &*after, +1);
    }
}

RegistrationState CheckInService::state(Id registrationId) const
{
    auto it = m_states.constFind(registrationId);
    if (it == m_states.constEnd()) {
        RegistrationState s;
        s.registrationId = registrationId;
        return s;
    }
    return *it;
}

std::optional<PackageSession> CheckInService::currentSession() const
{
    const QDateTime now = m_clock();
    const QDate today = now.toTimeZone(examZone()).date();
    for (const auto &s : m_store.package().sessions) {
        if (s.examDate != today || m_store.isSessionClosed(s.id) || !m_sessionsInRoom.contains(s.id))
            continue;
        if (sessionEnd(s) < now)
            continue;
        return s;
    }
    return std::nullopt;
}

QList<RosterCandidate> CheckInService::roster(Id sessionId) const
{
    QList<RosterCandidate> out;
    const QString room = m_store.identity().room;
    for (const auto &c : m_store.package().roster)
        if (c.sessionId == sessionId && (room.isEmpty() || c.room == room))
            out.push_back(c);
    return out;
}

SessionCounts CheckInService::counts(Id sessionId) const
{
    if (const auto cached = m_counts.constFind(sessionId); cached != m_counts.constEnd())
        return *cached;
    SessionCounts c;
    const SessionPackage &package = m_store.package();
    for (const auto &s : package.sessions) {
        if (s.id == sessionId) {
            c.published = s.publishedCount;
            c.sessionRegistered = s.registeredCount;
            c.sessionRooms = s.roomCount;
        }
    }
    const QString room = m_store.identity().room;
    // A package of every room of the site holds the whole session's roster.
    const bool wholeSiteRoster = package.room.isEmpty();
    int registered = 0;
    QSet<QString> rooms;
    for (const auto &candidate : package.roster) {
        if (candidate.sessionId != sessionId)
            continue;
        if (wholeSiteRoster) {
            ++registered;
            rooms.insert(candidate.room);
        }
        if (!room.isEmpty() && candidate.room != room)
            continue;
        ++c.expected;
        const auto st = m_states.constFind(candidate.registrationId);
        tally(c, st == m_states.constEnd() ? nullptr : &*st, +1);
    }
    if (wholeSiteRoster && !c.sessionRegistered) {
        c.sessionRegistered = registered;
        c.sessionRooms = int(rooms.size());
    }
    m_counts.insert(sessionId, c);
    return c;
}

ScanOutcome CheckInService::scan(QByteArrayView text)
{
    ScanOutcome out;
    out.headline = QStringLiteral("无法签到");
    // A keyboard-wedge scanner ends with Enter; some add a tab or spaces.
    while (!text.isEmpty() && QByteArrayView("\r\n\t ").contains(text.back()))
        text.chop(1);
    if (m_store.isRevoked()) {
        out.result = ScanResult::KioskRevoked;
        out.detail = QStringLiteral("本机已停用，请到监考老师处签到");
        return out;
    }
    const QDateTime now = m_clock();
    const auto claims = m_verifier.verifyAt(text, now);
    if (!claims) {
        out.result = ScanResult::BadTicket;
        out.ticketError = claims.error();
        out.detail = ticketErrorMessage(claims.error());
        return out;
    }
    const auto found = m_byTicket.constFind(claims->ticketNumber);
    const RosterCandidate *candidate = found != m_byTicket.constEnd() ? &*found : nullptr;
    auto replaced = m_revoked.constFind(revocationKey(claims->ticketNumber, claims->serial));
    if (replaced != m_revoked.constEnd() || (candidate && claims->serial < candidate->ticketSerial)) {
        out.result = ScanResult::Revoked;
        out.replacedAt = replaced != m_revoked.constEnd() ? *replaced : QDateTime();
        out.detail = out.replacedAt.isValid()
                         ? QStringLiteral("此准考证已作废（%1 已重新打印），请出示新准考证")
                               .arg(out.replacedAt.toTimeZone(examZone()).toString(QStringLiteral("M月d日 HH:mm")))
                         : QStringLiteral("此准考证已作废（已重新打印），请出示新准考证");
        return out;
    }
    if (!candidate) {
        out.result = ScanResult::NotOnRoster;
        out.detail = QStringLiteral("准考证号 %1 不在本考场名单中，请联系监考老师").arg(claims->ticketNumber);
        return out;
    }
    out.candidate = *candidate;
    const PackageSession *session = nullptr;
    for (const auto &s : m_store.package().sessions)
        if (s.id == candidate->sessionId)
            session = &s;
    if (!session || static_cast<Id>(claims->sessionId) != candidate->sessionId) {
        out.result = ScanResult::OtherSession;
        out.detail = QStringLiteral("准考证与场次不符，请联系监考老师");
        return out;
    }
    out.sessionTitle = session->title;
    const QString room = m_store.identity().room;
    if (session->examDate != now.toTimeZone(examZone()).date()) {
        out.result = ScanResult::OtherDay;
        out.detail = QStringLiteral("您的考试在 %1，不是今天").arg(session->examDate.toString(QStringLiteral("M月d日")));
        return out;
    }
    if (m_store.isSessionClosed(session->id)) {
        out.result = ScanResult::SessionClosed;
        out.detail = QStringLiteral("本场签到已结束，请联系监考老师");
        return out;
    }
    const auto current = currentSession();
    if (current && current->id != session->id) {
        out.result = ScanResult::OtherSession;
        out.detail = QStringLiteral("您的考试是 %1 %2 开始的「%3」，不是本场")
                         .arg(session->examDate.toString(QStringLiteral("M月d日")), session->startTime.toString("HH:mm"), session->title);
        return out;
    }
    if (!room.isEmpty() && candidate->room != room) {
        out.result = ScanResult::OtherRoom;
        out.detail = QStringLiteral("请到第 %1 考场（本考场为第 %2 考场）").arg(candidate->room, room);
        return out;
    }
    const QDateTime opens = sessionStart(*session).addSecs(-60LL * session->checkInOpensMinutes);
    if (now < opens) {
        out.result = ScanResult::NotOpenYet;
        out.opensAt = opens;
        out.detail = QStringLiteral("签到尚未开始，%1 开始签到").arg(localTime(opens));
        return out;
    }
    const auto st = state(candidate->registrationId);
    if (st.attendance == Attendance::CheckedIn && st.checkedInAt) {
        out.result = ScanResult::AlreadyCheckedIn;
        out.previousAt = *st.checkedInAt;
        out.previousKiosk = st.checkedInKiosk;
        out.detail = QStringLiteral("已于 %1 在 %2 签到，请勿重复扫码")
                         .arg(localTime(*st.checkedInAt),
                              st.checkedInKiosk == m_store.identity().kioskId ? QStringLiteral("本机") : st.checkedInKiosk);
        return out;
    }
    const bool late = now > sessionStart(*session).addSecs(60LL * session->lateAfterMinutes);
    KioskEvent e;
    e.kind = EventKind::CheckIn;
    e.sessionId = session->id;
    e.registrationId = candidate->registrationId;
    e.deviceTime = now;
    e.late = late;
    e.method = CheckInMethod::Scan;
    if (auto s = append(e); !s) {
        out.result = ScanResult::StoreFailure;
        out.detail = QStringLiteral("签到未能保存（%1），请到监考老师处登记").arg(s.error());
        return out;
    }
    out.result = late ? ScanResult::CheckedInLate : ScanResult::CheckedIn;
    out.headline = late ? QStringLiteral("签到成功（迟到）") : QStringLiteral("签到成功");
    out.detail = QStringLiteral("第 %1 考场 %2 号座位").arg(candidate->room, candidate->seat);
    return out;
}

Status<QString> CheckInService::append(KioskEvent event)
{
    auto stored = m_store.appendEvent(std::move(event));
    if (!stored) {
        qCWarning(lcCheckIn) << "event not stored:" << stored.error().message;
        return stored.error().message;
    }
    m_eventsByRegistration[stored->registrationId].push_back(*stored);
    rederive(stored->registrationId);
    return {};
}

namespace {

Status<QString> notOnRoster()
{
    return QStringLiteral("名单中没有这位考生");
}

} // namespace

Status<QString> CheckInService::manualCheckIn(Id registrationId, const QString &reason)
{
    const auto it = m_byRegistration.constFind(registrationId);
    const RosterCandidate *c = it != m_byRegistration.constEnd() ? &*it : nullptr;
    if (!c)
        return notOnRoster();
    if (reason.trimmed().isEmpty())
        return QStringLiteral("手工签到须填写原因（如：准考证遗失）");
    const auto st = state(registrationId);
    if (st.attendance == Attendance::CheckedIn)
        return QStringLiteral("该考生已于 %1 签到").arg(st.checkedInAt ? localTime(*st.checkedInAt) : QString());
    const PackageSession *session = nullptr;
    for (const auto &s : m_store.package().sessions)
        if (s.id == c->sessionId)
            session = &s;
    KioskEvent e;
    e.kind = EventKind::CheckIn;
    e.sessionId = c->sessionId;
    e.registrationId = registrationId;
    e.deviceTime = m_clock();
    e.method = CheckInMethod::Manual;
    e.late = session && e.deviceTime > sessionStart(*session).addSecs(60LL * session->lateAfterMinutes);
    e.reason = reason.trimmed();
    return append(e);
}

Status<QString> CheckInService::annul(Id registrationId, const QString &reason)
{
    if (!m_byRegistration.contains(registrationId))
        return notOnRoster();
    if (reason.trimmed().isEmpty())
        return QStringLiteral("撤销签到须填写原因");
    const auto st = state(registrationId);
    if (st.attendance != Attendance::CheckedIn || st.checkedInEventId == 0)
        return QStringLiteral("该考生没有可撤销的签到");
    // Undo every active check-in of this registration that this kiosk knows.
    const auto &events = m_eventsByRegistration.value(registrationId);
    QSet<QPair<QString, qint64>> annulled;
    for (const auto &e : events)
        if (e.kind == EventKind::Annul)
            annulled.insert({e.targetKioskId, e.targetEventId});
    for (const auto &e : events) {
        if (e.kind != EventKind::CheckIn || annulled.contains({e.kioskId, e.eventId}))
            continue;
        KioskEvent a;
        a.kind = EventKind::Annul;
        a.sessionId = e.sessionId;
        a.registrationId = registrationId;
        a.deviceTime = m_clock();
        a.targetKioskId = e.kioskId;
        a.targetEventId = e.eventId;
        a.reason = reason.trimmed();
        if (auto s = append(a); !s)
            return s;
    }
    return {};
}

namespace {

KioskEvent simpleEvent(EventKind kind, const RosterCandidate &c, const QDateTime &now)
{
    KioskEvent e;
    e.kind = kind;
    e.sessionId = c.sessionId;
    e.registrationId = c.registrationId;
    e.deviceTime = now;
    return e;
}

} // namespace

Status<QString> CheckInService::markLate(Id registrationId)
{
    const auto it = m_byRegistration.constFind(registrationId);
    const RosterCandidate *c = it != m_byRegistration.constEnd() ? &*it : nullptr;
    if (!c)
        return notOnRoster();
    if (state(registrationId).attendance != Attendance::CheckedIn)
        return QStringLiteral("考生须先签到才能标记迟到");
    return append(simpleEvent(EventKind::MarkLate, *c, m_clock()));
}

Status<QString> CheckInService::markAbsent(Id registrationId)
{
    const auto it = m_byRegistration.constFind(registrationId);
    const RosterCandidate *c = it != m_byRegistration.constEnd() ? &*it : nullptr;
    if (!c)
        return notOnRoster();
    return append(simpleEvent(EventKind::MarkAbsent, *c, m_clock()));
}

Status<QString> CheckInService::markExcused(Id registrationId, const QString &reason)
{
    const auto it = m_byRegistration.constFind(registrationId);
    const RosterCandidate *c = it != m_byRegistration.constEnd() ? &*it : nullptr;
    if (!c)
        return notOnRoster();
    if (reason.trimmed().isEmpty())
        return QStringLiteral("免考须填写原因");
    auto e = simpleEvent(EventKind::MarkExcused, *c, m_clock());
    e.reason = reason.trimmed();
    return append(e);
}

Status<QString> CheckInService::recordIncident(Id registrationId, IncidentCategory category, const QString &note)
{
    const auto it = m_byRegistration.constFind(registrationId);
    const RosterCandidate *c = it != m_byRegistration.constEnd() ? &*it : nullptr;
    if (!c)
        return notOnRoster();
    auto e = simpleEvent(EventKind::Incident, *c, m_clock());
    e.incident = category;
    e.reason = note.trimmed();
    if (category == IncidentCategory::Other && e.reason.isEmpty())
        return QStringLiteral("“其他”类情况须填写说明");
    return append(e);
}

Status<QString> CheckInService::recordResult(Id registrationId, Outcome outcome, std::optional<int> score)
{
    const auto it = m_byRegistration.constFind(registrationId);
    const RosterCandidate *c = it != m_byRegistration.constEnd() ? &*it : nullptr;
    if (!c)
        return notOnRoster();
    if (state(registrationId).attendance != Attendance::CheckedIn)
        return QStringLiteral("只能为已参加考试的考生录入成绩");
    if (score && (*score < 0 || *score > 100))
        return QStringLiteral("分数须在 0–100 之间");
    auto e = simpleEvent(EventKind::Result, *c, m_clock());
    e.outcome = outcome;
    e.score = score;
    return append(e);
}

Status<QString> CheckInService::closeSession(Id sessionId, const QString &signedBy)
{
    if (signedBy.trimmed().isEmpty())
        return QStringLiteral("请填写签字人姓名");
    if (m_store.isSessionClosed(sessionId))
        return QStringLiteral("本场已结束签到");
    if (auto s = m_store.closeSession(sessionId, signedBy.trimmed(), m_clock()); !s)
        return s.error().message;
    return {};
}

Status<QString> CheckInService::handleRevocation(const QString &reason, const QString &exportPath)
{
    if (auto s = m_store.markRevoked(reason, m_clock()); !s)
        return s.error().message;
    if (auto s = m_store.exportOutbox(exportPath); !s)
        return s.error().message; // the roster stays until the events are safe
    if (auto s = m_store.eraseRoster(); !s)
        return s.error().message;
    reload();
    return {};
}

} // namespace kaodian::kiosk
