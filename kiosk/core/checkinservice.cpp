#include "kiosk/core/checkinservice.h"

#include "core/examzone.h"

#include <QLoggingCategory>

#include <algorithm>
#include <tuple>
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

} // namespace

QString scanResultCode(ScanResult r)
{
    switch (r) {
    case ScanResult::CheckedIn: return QStringLiteral("checked_in");
    case ScanResult::CheckedInLate: return QStringLiteral("checked_in_late");
    case ScanResult::BadTicket: return QStringLiteral("bad_ticket");
    case ScanResult::Revoked: return QStringLiteral("revoked");
    case ScanResult::NotOnRoster: return QStringLiteral("not_on_roster");
    case ScanResult::OtherSession: return QStringLiteral("other_session");
    case ScanResult::OtherRoom: return QStringLiteral("other_room");
    case ScanResult::OtherDay: return QStringLiteral("other_day");
    case ScanResult::AlreadyCheckedIn: return QStringLiteral("already_checked_in");
    case ScanResult::NotOpenYet: return QStringLiteral("not_open_yet");
    case ScanResult::SessionClosed: return QStringLiteral("session_closed");
    case ScanResult::StoreFailure: return QStringLiteral("store_failure");
    case ScanResult::KioskRevoked: return QStringLiteral("kiosk_revoked");
    case ScanResult::Withdrawn: return QStringLiteral("withdrawn");
    }
    return QStringLiteral("unknown");
}

CheckInService::CheckInService(KioskStore &store, Clock clock, QObject *parent)
    : QObject(parent), m_store(store), m_clock(std::move(clock))
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
    m_withdrawn.clear();
    for (const auto &r : m_store.package().revocations) {
        m_revoked.insert(revocationKey(r.ticketNumber, r.serial), r.replacedAt);
        if (r.withdrawn)
            m_withdrawn.insert(revocationKey(r.ticketNumber, r.serial));
    }
    m_eventsByRegistration.clear();
    for (const auto &e : m_store.events())
        if (!isRoomEvent(e.kind, e.registrationId))
            m_eventsByRegistration[e.registrationId].push_back(e);
    m_states.clear();
    for (auto it = m_eventsByRegistration.cbegin(); it != m_eventsByRegistration.cend(); ++it)
        rederive(it.key());
    // Excused in advance by the office, with no event of their own yet.
    for (const auto &c : m_store.package().roster)
        if (!c.excusedReason.isEmpty() && !m_eventsByRegistration.contains(c.registrationId))
            rederive(c.registrationId);
    Q_EMIT reloaded();
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
    std::optional<RegistrationState> derived;
    if (!states.empty())
        derived = states.front();
    // Excused in advance (请假 from the office): counts as excused until a
    // check-in not undone (the candidate came after all, and sat).
    if (const auto c = m_byRegistration.constFind(registrationId);
        c != m_byRegistration.constEnd() && !c->excusedReason.isEmpty()
        && (!derived || derived->attendance == Attendance::NotCheckedIn)) {
        if (!derived) {
            derived = RegistrationState();
            derived->registrationId = registrationId;
        }
        derived->attendance = Attendance::Excused;
    }
    if (!derived)
        m_states.remove(registrationId);
    else
        m_states.insert(registrationId, *derived);
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

Id CheckInService::proctorSession() const
{
    const SessionPackage &package = m_store.package();
    const auto current = currentSession();
    Id preferred = 0;
    if (current) {
        preferred = current->id;
    } else {
        // The first session with candidates at this door (one the proctor
        // screen lists), else the package's first.
        for (const auto &s : package.sessions)
            if (m_sessionsInRoom.contains(s.id)) {
                preferred = s.id;
                break;
            }
        if (preferred == 0 && !package.sessions.isEmpty())
            preferred = package.sessions.front().id;
    }
    const QDateTime now = m_clock();
    const QDate today = now.toTimeZone(examZone()).date();
    std::optional<SessionSignOff> last;
    for (const auto &s : package.sessions) {
        if (s.examDate != today || !m_sessionsInRoom.contains(s.id))
            continue;
        const auto signOff = m_store.signOff(s.id);
        if (signOff && (!last || signOff->closedAt >= last->closedAt))
            last = signOff;
    }
    const bool nextOpen = current && now >= sessionStart(*current).addSecs(-60LL * current->checkInOpensMinutes);
    if (last && !nextOpen)
        preferred = last->sessionId;
    return preferred;
}

QList<PackageSession> CheckInService::sessionsHere() const
{
    QList<PackageSession> out;
    for (const auto &s : m_store.package().sessions)
        if (m_sessionsInRoom.contains(s.id))
            out.push_back(s);
    return out;
}

std::optional<PackageSession> CheckInService::session(Id sessionId) const
{
    for (const auto &s : m_store.package().sessions)
        if (s.id == sessionId)
            return s;
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

namespace {

// Once signed off, the counts are those signed, not live ones.
SessionCounts asSigned(SessionCounts c, const std::optional<SessionSignOff> &signOff)
{
    if (signOff && signOff->facts) {
        const auto &f = *signOff->facts;
        c.expected = f.expected;
        c.checkedIn = f.sat;
        c.late = f.late;
        c.absent = f.absent;
        c.excused = f.excused;
        c.notYet = f.notYet;
    }
    return c;
}

} // namespace

SessionCounts CheckInService::counts(Id sessionId) const
{
    const auto signOff = m_store.isSessionClosed(sessionId) ? m_store.signOff(sessionId) : std::nullopt;
    if (const auto cached = m_counts.constFind(sessionId); cached != m_counts.constEnd())
        return asSigned(*cached, signOff);
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
    return asSigned(c, signOff);
}

ScanOutcome CheckInService::scan(QByteArrayView text)
{
    ScanOutcome out;
    // A keyboard-wedge scanner ends with Enter; some add a tab or spaces.
    while (!text.isEmpty() && QByteArrayView("\r\n\t ").contains(text.back()))
        text.chop(1);
    if (m_store.isRevoked()) {
        out.result = ScanResult::KioskRevoked;
        return out;
    }
    const QDateTime now = m_clock();
    const auto claims = m_verifier.verifyAt(text, now);
    if (!claims) {
        out.result = ScanResult::BadTicket;
        out.ticketError = claims.error();
        return out;
    }
    const auto found = m_byTicket.constFind(claims->ticketNumber);
    const RosterCandidate *candidate = found != m_byTicket.constEnd() ? &*found : nullptr;
    auto replaced = m_revoked.constFind(revocationKey(claims->ticketNumber, claims->serial));
    if (m_withdrawn.contains(revocationKey(claims->ticketNumber, claims->serial))) {
        out.result = ScanResult::Withdrawn;
        out.replacedAt = *replaced;
        return out;
    }
    if (replaced != m_revoked.constEnd() || (candidate && claims->serial < candidate->ticketSerial)) {
        out.result = ScanResult::Revoked;
        out.replacedAt = replaced != m_revoked.constEnd() ? *replaced : QDateTime();
        return out;
    }
    if (!candidate) {
        out.result = ScanResult::NotOnRoster;
        return out;
    }
    out.candidate = *candidate;
    out.session = session(candidate->sessionId);
    const QString room = m_store.identity().room;
    out.doorRoom = room;
    if (!out.session || static_cast<Id>(claims->sessionId) != candidate->sessionId) {
        out.result = ScanResult::OtherSession;
        return out;
    }
    const PackageSession &s = *out.session;
    out.sessionTitle = s.title;
    if (s.examDate != now.toTimeZone(examZone()).date()) {
        out.result = ScanResult::OtherDay;
        return out;
    }
    if (m_store.isSessionClosed(s.id)) {
        out.result = ScanResult::SessionClosed;
        return out;
    }
    const auto current = currentSession();
    if (current && current->id != s.id) {
        out.result = ScanResult::OtherSession;
        return out;
    }
    if (!room.isEmpty() && candidate->room != room) {
        out.result = ScanResult::OtherRoom;
        return out;
    }
    const QDateTime opens = sessionStart(s).addSecs(-60LL * s.checkInOpensMinutes);
    if (now < opens) {
        out.result = ScanResult::NotOpenYet;
        out.opensAt = opens;
        return out;
    }
    const auto st = state(candidate->registrationId);
    if (st.attendance == Attendance::CheckedIn && st.checkedInAt) {
        out.result = ScanResult::AlreadyCheckedIn;
        out.previousAt = *st.checkedInAt;
        out.previousKiosk = st.checkedInKiosk;
        out.previousHere = st.checkedInKiosk == m_store.identity().kioskId;
        return out;
    }
    const bool late = now > sessionStart(s).addSecs(60LL * s.lateAfterMinutes);
    KioskEvent e;
    e.kind = EventKind::CheckIn;
    e.sessionId = s.id;
    e.registrationId = candidate->registrationId;
    e.deviceTime = now;
    e.late = late;
    e.method = CheckInMethod::Scan;
    if (auto stored = append(e); !stored) {
        out.result = ScanResult::StoreFailure;
        out.storeFailure = stored.error().storeMessage;
        return out;
    }
    out.result = late ? ScanResult::CheckedInLate : ScanResult::CheckedIn;
    return out;
}

Status<ActionError> CheckInService::append(KioskEvent event)
{
    // A proctor's action records who (a scan at the door is nobody's).
    if (!(event.kind == EventKind::CheckIn && event.method == CheckInMethod::Scan))
        event.proctor = m_actingProctor;
    const bool roomEvent = isRoomEvent(event.kind, event.registrationId);
    if (roomEvent)
        event.room = m_store.identity().room;
    auto stored = m_store.appendEvent(std::move(event));
    if (!stored) {
        qCWarning(lcCheckIn) << "event not stored:" << stored.error().message;
        return ActionError{ActionRefusal::StoreFailure, {}, stored.error().message};
    }
    if (!roomEvent) {
        m_eventsByRegistration[stored->registrationId].push_back(*stored);
        rederive(stored->registrationId);
    }
    Q_EMIT eventAppended(*stored);
    return {};
}

namespace {

ActionError refused(ActionRefusal refusal, const QDateTime &at = {})
{
    return ActionError{refusal, at, {}};
}

Status<ActionError> notOnRoster()
{
    return refused(ActionRefusal::NotOnRoster);
}

} // namespace

Status<ActionError> CheckInService::manualCheckIn(Id registrationId, const QString &reason)
{
    const auto it = m_byRegistration.constFind(registrationId);
    const RosterCandidate *c = it != m_byRegistration.constEnd() ? &*it : nullptr;
    if (!c)
        return notOnRoster();
    if (auto closed = refuseWhenClosed(m_byRegistration.value(registrationId).sessionId); !closed)
        return closed;
    if (reason.trimmed().isEmpty())
        return refused(ActionRefusal::ManualReasonRequired);
    const auto st = state(registrationId);
    if (st.attendance == Attendance::CheckedIn)
        return refused(ActionRefusal::AlreadyCheckedIn, st.checkedInAt.value_or(QDateTime()));
    const auto session = this->session(c->sessionId);
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

Status<ActionError> CheckInService::annul(Id registrationId, const QString &reason)
{
    if (!m_byRegistration.contains(registrationId))
        return notOnRoster();
    if (auto closed = refuseWhenClosed(m_byRegistration.value(registrationId).sessionId); !closed)
        return closed;
    if (reason.trimmed().isEmpty())
        return refused(ActionRefusal::AnnulReasonRequired);
    const auto st = state(registrationId);
    if (st.attendance != Attendance::CheckedIn || st.checkedInEventId == 0)
        return refused(ActionRefusal::NothingToAnnul);
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

Status<ActionError> CheckInService::markLate(Id registrationId)
{
    const auto it = m_byRegistration.constFind(registrationId);
    const RosterCandidate *c = it != m_byRegistration.constEnd() ? &*it : nullptr;
    if (!c)
        return notOnRoster();
    if (auto closed = refuseWhenClosed(m_byRegistration.value(registrationId).sessionId); !closed)
        return closed;
    if (state(registrationId).attendance != Attendance::CheckedIn)
        return refused(ActionRefusal::LateNeedsCheckIn);
    return append(simpleEvent(EventKind::MarkLate, *c, m_clock()));
}

Status<ActionError> CheckInService::markAbsent(Id registrationId)
{
    const auto it = m_byRegistration.constFind(registrationId);
    const RosterCandidate *c = it != m_byRegistration.constEnd() ? &*it : nullptr;
    if (!c)
        return notOnRoster();
    if (auto closed = refuseWhenClosed(m_byRegistration.value(registrationId).sessionId); !closed)
        return closed;
    return append(simpleEvent(EventKind::MarkAbsent, *c, m_clock()));
}

Status<ActionError> CheckInService::markExcused(Id registrationId, const QString &reason)
{
    const auto it = m_byRegistration.constFind(registrationId);
    const RosterCandidate *c = it != m_byRegistration.constEnd() ? &*it : nullptr;
    if (!c)
        return notOnRoster();
    if (auto closed = refuseWhenClosed(m_byRegistration.value(registrationId).sessionId); !closed)
        return closed;
    if (reason.trimmed().isEmpty())
        return refused(ActionRefusal::ExcuseReasonRequired);
    auto e = simpleEvent(EventKind::MarkExcused, *c, m_clock());
    e.reason = reason.trimmed();
    return append(e);
}

Status<ActionError> CheckInService::recordIncident(Id registrationId, IncidentCategory category, const QString &note)
{
    const auto it = m_byRegistration.constFind(registrationId);
    const RosterCandidate *c = it != m_byRegistration.constEnd() ? &*it : nullptr;
    if (!c)
        return notOnRoster();
    auto e = simpleEvent(EventKind::Incident, *c, m_clock());
    e.incident = category;
    e.reason = note.trimmed();
    if (category == IncidentCategory::Other && e.reason.isEmpty())
        return refused(ActionRefusal::IncidentNoteRequired);
    return append(e);
}

Status<ActionError> CheckInService::recordResult(Id registrationId, Outcome outcome, std::optional<int> score)
{
    const auto it = m_byRegistration.constFind(registrationId);
    const RosterCandidate *c = it != m_byRegistration.constEnd() ? &*it : nullptr;
    if (!c)
        return notOnRoster();
    if (state(registrationId).attendance != Attendance::CheckedIn)
        return refused(ActionRefusal::ResultNeedsCheckIn);
    if (score && (*score < 0 || *score > 100))
        return refused(ActionRefusal::ScoreOutOfRange);
    auto e = simpleEvent(EventKind::Result, *c, m_clock());
    e.outcome = outcome;
    e.score = score;
    return append(e);
}

Status<ActionError> CheckInService::refuseWhenClosed(Id sessionId) const
{
    if (m_store.isSessionClosed(sessionId))
        return refused(ActionRefusal::SessionAlreadyClosed);
    return {};
}

Status<ActionError> CheckInService::signOff(Id sessionId, const QList<protocol::Signer> &signers)
{
    QList<protocol::Signer> named;
    for (const auto &s : signers)
        if (!s.name.trimmed().isEmpty())
            named.push_back({s.staffNumber.trimmed(), s.name.trimmed()});
    if (named.isEmpty())
        return refused(ActionRefusal::SignerRequired);
    if (m_store.isSessionClosed(sessionId))
        return refused(ActionRefusal::SessionAlreadyClosed);
    const SessionCounts c = counts(sessionId);
    protocol::SignOffFacts facts{c.expected, c.checkedIn, c.late, c.absent, c.excused, c.notYet, named};
    KioskEvent e;
    e.kind = EventKind::SignOff;
    e.sessionId = sessionId;
    e.deviceTime = m_clock();
    e.detail = protocol::signOffDetail(facts);
    if (auto s = append(e); !s)
        return s;
    Q_EMIT sessionClosed(sessionId);
    return {};
}

Status<ActionError> CheckInService::closeSession(Id sessionId, const QString &signedBy)
{
    return signOff(sessionId, {protocol::Signer{QString(), signedBy}});
}

Status<ActionError> CheckInService::reopen(Id sessionId, const QString &reason)
{
    if (!m_store.isSessionClosed(sessionId))
        return refused(ActionRefusal::SessionNotClosed);
    if (reason.trimmed().isEmpty())
        return refused(ActionRefusal::ReopenReasonRequired);
    KioskEvent e;
    e.kind = EventKind::Reopen;
    e.sessionId = sessionId;
    e.deviceTime = m_clock();
    e.reason = reason.trimmed();
    if (auto s = append(e); !s)
        return s;
    Q_EMIT sessionReopened(sessionId);
    return {};
}

Status<ActionError> CheckInService::recordRoomIncident(Id sessionId, IncidentCategory category, const QString &note)
{
    if (!session(sessionId))
        return refused(ActionRefusal::NotOnRoster);
    KioskEvent e;
    e.kind = EventKind::Incident;
    e.sessionId = sessionId;
    e.deviceTime = m_clock();
    e.incident = category;
    e.reason = note.trimmed();
    return append(e);
}

QList<KioskEvent> CheckInService::roomIncidents(Id sessionId) const
{
    QList<KioskEvent> out;
    for (const auto &e : m_store.events())
        if (e.kind == EventKind::Incident && e.registrationId == 0 && e.sessionId == sessionId)
            out.push_back(e);
    return out;
}

QList<PackageProctor> CheckInService::proctorsHere() const
{
    const QString room = m_store.identity().room;
    QList<PackageProctor> out;
    QSet<QString> seen;
    for (const auto &p : m_store.package().proctors) {
        if (!m_sessionsInRoom.contains(p.sessionId) || (!room.isEmpty() && p.room != room))
            continue;
        if (seen.contains(p.staffNumber))
            continue;
        seen.insert(p.staffNumber);
        out.push_back(p);
    }
    std::sort(out.begin(), out.end(), [](const PackageProctor &a, const PackageProctor &b) {
        return std::tie(a.name, a.staffNumber) < std::tie(b.name, b.staffNumber);
    });
    return out;
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
