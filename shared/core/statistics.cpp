#include "core/statistics.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace kaodian {

namespace {

using EventKey = std::pair<QString, qint64>; // (kiosk, event id)

bool happenedBefore(const KioskEvent &a, const KioskEvent &b)
{
    return std::tie(a.deviceTime, a.kioskId, a.eventId) < std::tie(b.deviceTime, b.kioskId, b.eventId);
}

// The session in words: its date, start time and site ("2026-06-02 09:00
// 信息楼考点"), never its id alone.
QString sessionLabel(const SessionTally &s)
{
    QString label = s.examDate.toString(Qt::ISODate);
    if (s.startTime.isValid())
        label += QLatin1Char(' ') + s.startTime.toString(QStringLiteral("HH:mm"));
    if (!s.siteName.isEmpty())
        label += QLatin1Char(' ') + s.siteName;
    return label + QStringLiteral(" 场次");
}

// The pilot in words; a tally without names says its id rather than nothing.
QString pilotLabel(const SessionTally &s)
{
    return s.pilotName.isEmpty() ? QStringLiteral("试点 #%1").arg(s.pilotId) : s.pilotName;
}

} // namespace

std::vector<RegistrationState> deriveStates(std::vector<KioskEvent> events)
{
    std::sort(events.begin(), events.end(), happenedBefore);

    // A retry may deliver the same event twice: keep the first.
    std::set<EventKey> seen;
    std::vector<const KioskEvent *> unique;
    unique.reserve(events.size());
    for (const auto &e : events) {
        if (seen.insert({e.kioskId, e.eventId}).second)
            unique.push_back(&e);
    }

    std::set<EventKey> annulled;
    for (const auto *e : unique) {
        if (e->kind == EventKind::Annul)
            annulled.insert({e->targetKioskId, e->targetEventId});
    }

    std::map<Id, RegistrationState> states;
    for (const auto *e : unique) {
        if (isRoomEvent(e->kind, e->registrationId))
            continue; // of a room, not of a registration
        auto &st = states[e->registrationId];
        st.registrationId = e->registrationId;
        switch (e->kind) {
        case EventKind::CheckIn:
            if (annulled.count({e->kioskId, e->eventId}))
                break;
            ++st.activeCheckIns;
            if (!st.checkedInAt) {
                st.checkedInAt = e->deviceTime;
                st.checkedInKiosk = e->kioskId;
                st.checkedInEventId = e->eventId;
            }
            st.attendance = Attendance::CheckedIn;
            st.late = st.late || e->late;
            break;
        case EventKind::Annul:
            break; // applied above
        case EventKind::MarkLate:
            st.late = true;
            break;
        case EventKind::MarkAbsent:
            st.attendance = Attendance::Absent;
            break;
        case EventKind::MarkExcused:
            st.attendance = Attendance::Excused;
            break;
        case EventKind::Incident:
            ++st.incidents;
            break;
        case EventKind::Result:
            st.outcome = e->outcome;
            st.score = e->score;
            break;
        case EventKind::SignOff:
        case EventKind::Reopen:
        case EventKind::ProctorPin:
            break; // room events: skipped above
        }
    }

    std::vector<RegistrationState> out;
    out.reserve(states.size());
    for (auto &[id, st] : states) {
        // Every check-in undone and nothing else said: back to not checked in.
        if (st.attendance == Attendance::CheckedIn && st.activeCheckIns == 0)
            st.attendance = Attendance::NotCheckedIn;
        if (st.activeCheckIns == 0)
            st.late = false;
        out.push_back(std::move(st));
    }
    return out;
}

void SessionTally::count(Attendance attendance, std::optional<Outcome> outcome, int n)
{
    registered += n;
    switch (attendance) {
    case Attendance::CheckedIn:
        sat += n;
        if (outcome == Outcome::Pass)
            passed += n;
        else if (outcome == Outcome::Fail)
            failed += n;
        break;
    case Attendance::Absent: absent += n; break;
    case Attendance::Excused: excused += n; break;
    case Attendance::NotCheckedIn: break;
    }
}

std::optional<qint64> perMille(qint64 numerator, qint64 denominator)
{
    if (denominator <= 0)
        return std::nullopt;
    const qint64 rounded = (numerator * 2000 + denominator) / (2 * denominator);
    if (rounded >= 300 && belowThirtyPercent(numerator, denominator))
        return 299;
    return rounded;
}

QString formatPercent(qint64 numerator, qint64 denominator)
{
    const auto pm = perMille(numerator, denominator);
    if (!pm)
        return QStringLiteral("—");
    return QStringLiteral("%1.%2%").arg(*pm / 10).arg(*pm % 10);
}

QString ruleArticle(Rule rule)
{
    switch (rule) {
    case Rule::Participation: return QStringLiteral("第七条(五)");
    case Rule::PassRate: return QStringLiteral("第七条(六)");
    }
    return {};
}

bool sessionHeld(const QDate &examDate, const QDate &today, bool hadCheckIn)
{
    return sessionHeld(examDate.isValid() && today.isValid() && examDate < today, hadCheckIn);
}

ParticipationVerdict participationVerdict(int sat, std::optional<int> publishedCount, bool held)
{
    if (!held)
        return ParticipationVerdict::NotHeld;
    if (!publishedCount || *publishedCount <= 0)
        return ParticipationVerdict::NoPublishedCount;
    return belowThirtyPercent(sat, *publishedCount) ? ParticipationVerdict::Low
                                                    : ParticipationVerdict::Ok;
}

QList<Flag> participationFlags(const std::vector<SessionTally> &sessions)
{
    QList<Flag> flags;
    for (const auto &s : sessions) {
        const auto verdict = participationVerdict(s.sat, s.publishedCount, s.held);
        if (verdict == ParticipationVerdict::Ok || verdict == ParticipationVerdict::NotHeld)
            continue;
        Flag f;
        f.rule = Rule::Participation;
        f.pilotId = s.pilotId;
        FlaggedSession fs{s.sessionId, s.examDate, s.sat,
                          verdict == ParticipationVerdict::Low ? *s.publishedCount : 0};
        f.sessions = {fs};
        if (verdict == ParticipationVerdict::Low) {
            f.kind = FlagKind::LowParticipation;
            f.message = QStringLiteral("%1：%2 %3参加考试 %4 人，公布考试人数 %5 人，参考率 %6，低于 30%")
                            .arg(ruleArticle(f.rule), pilotLabel(s), sessionLabel(s))
                            .arg(s.sat)
                            .arg(*s.publishedCount)
                            .arg(formatPercent(s.sat, *s.publishedCount));
        } else {
            f.kind = FlagKind::MissingPublishedCount;
            f.message = QStringLiteral("%1：%2 %3已举行，未公布考试人数，无法判断参考率（参加考试 %4 人）")
                            .arg(ruleArticle(f.rule), pilotLabel(s), sessionLabel(s))
                            .arg(s.sat);
        }
        flags.push_back(std::move(f));
    }
    return flags;
}

QList<Flag> publishedCountReminders(const std::vector<SessionTally> &sessions)
{
    QList<Flag> reminders;
    for (const auto &s : sessions) {
        if (s.held || (s.publishedCount && *s.publishedCount > 0))
            continue;
        Flag f;
        f.rule = Rule::Participation;
        f.kind = FlagKind::PublishedCountReminder;
        f.pilotId = s.pilotId;
        f.sessions = {FlaggedSession{s.sessionId, s.examDate, s.sat, 0}};
        f.message = QStringLiteral("提醒：%1 %2尚未举行，还未公布考试人数（第七条(五)）")
                        .arg(pilotLabel(s), sessionLabel(s));
        reminders.push_back(std::move(f));
    }
    return reminders;
}

QList<Flag> passRateFlags(const std::vector<SessionTally> &sessions)
{
    std::map<Id, std::vector<const SessionTally *>> byPilot;
    for (const auto &s : sessions) {
        if (s.held && s.resultsComplete() && s.sat > 0)
            byPilot[s.pilotId].push_back(&s);
    }

    QList<Flag> flags;
    for (auto &[pilotId, list] : byPilot) {
        std::sort(list.begin(), list.end(), [](const SessionTally *a, const SessionTally *b) {
            return std::tie(a->examDate, a->startTime, a->sessionId)
                   < std::tie(b->examDate, b->startTime, b->sessionId);
        });
        for (std::size_t i = 1; i < list.size(); ++i) {
            const auto &prev = *list[i - 1];
            const auto &cur = *list[i];
            if (!belowThirtyPercent(prev.passed, prev.sat) || !belowThirtyPercent(cur.passed, cur.sat))
                continue;
            Flag f;
            f.rule = Rule::PassRate;
            f.kind = FlagKind::ConsecutiveLowPassRate;
            f.pilotId = pilotId;
            const FlaggedSession a{prev.sessionId, prev.examDate, prev.passed, prev.sat};
            const FlaggedSession b{cur.sessionId, cur.examDate, cur.passed, cur.sat};
            f.sessions = {a, b};
            f.message = QStringLiteral("%1：%2 连续两次考试通过率低于 30%：%3通过 %4/%5（%6），%7通过 %8/%9（%10）")
                            .arg(ruleArticle(f.rule))
                            .arg(pilotLabel(cur))
                            .arg(sessionLabel(prev))
                            .arg(prev.passed)
                            .arg(prev.sat)
                            .arg(formatPercent(prev.passed, prev.sat))
                            .arg(sessionLabel(cur))
                            .arg(cur.passed)
                            .arg(cur.sat)
                            .arg(formatPercent(cur.passed, cur.sat));
            flags.push_back(std::move(f));
        }
    }
    return flags;
}

ParticipationVerdict GroupStats::participation() const
{
    if (published <= 0)
        return ParticipationVerdict::NoPublishedCount;
    return belowThirtyPercent(sat, published) ? ParticipationVerdict::Low : ParticipationVerdict::Ok;
}

void GroupStats::add(const SessionTally &t)
{
    ++sessions;
    if (!t.held)
        ++sessionsNotHeld;
    else if (t.publishedCount && *t.publishedCount > 0)
        published += *t.publishedCount;
    else
        ++sessionsWithoutPublished;
    registered += t.registered;
    sat += t.sat;
    absent += t.absent;
    excused += t.excused;
    passed += t.passed;
    failed += t.failed;
}

} // namespace kaodian
