#pragma once

// The statistics rules of the college's 1+X regulation (第七条(五) and (六)),
// as pure functions over plain values with exact integer arithmetic.
// Thread-safe: no shared state.

#include "core/domain.h"

#include <QList>
#include <QString>

#include <optional>
#include <vector>

namespace kaodian {

// What a registration's events add up to.
enum class Attendance : std::uint8_t { NotCheckedIn, CheckedIn, Absent, Excused };

// Current state of one registration, derived from its append-only events.
struct RegistrationState
{
    Id registrationId = 0;
    Attendance attendance = Attendance::NotCheckedIn;
    bool late = false;
    // The earliest check-in that was not undone: when and where.
    std::optional<QDateTime> checkedInAt;
    QString checkedInKiosk;
    qint64 checkedInEventId = 0;
    // Check-ins not undone, counted across kiosks (more than one is a conflict).
    int activeCheckIns = 0;
    std::optional<Outcome> outcome;
    std::optional<int> score;
    int incidents = 0;

    // 参加考试: checked in (late included), not undone, not absent or excused.
    [[nodiscard]] bool sat() const { return attendance == Attendance::CheckedIn; }
};

// Folds events into per-registration state. Events are taken in the order
// they happened (device time, then kiosk id, then event id); an Annul undoes
// the check-in it names; among check-in, absent and excused the latest wins.
// The result is ordered by registration id. Duplicate events (same kiosk and
// event id) count once.
std::vector<RegistrationState> deriveStates(std::vector<KioskEvent> events);

// A session is held once its exam date is before today (China time), or
// once it has a check-in (or, later, a sign-off). A session not yet held
// gets no verdict: no participation flag, no pass rate.
constexpr bool sessionHeld(bool dateBeforeToday, bool hadCheckIn)
{
    return dateBeforeToday || hadCheckIn;
}
bool sessionHeld(const QDate &examDate, const QDate &today, bool hadCheckIn);

// One session's numbers, the input of the rules.
struct SessionTally
{
    Id sessionId = 0;
    Id pilotId = 0;
    QDate examDate;
    QTime startTime;
    // Names for the words of a flag: the pilot as certificate, level and
    // college ("Web前端开发 中级（信息工程学院）"), and the site.
    QString pilotName;
    QString siteName;
    // Set by whoever builds the tally (sessionHeld); the rules judge only
    // held sessions.
    bool held = false;
    std::optional<int> publishedCount;
    bool resultsFinal = false;
    int registered = 0;
    int sat = 0;
    int absent = 0;
    int excused = 0;
    int passed = 0; // pass results among those who sat
    int failed = 0; // fail results among those who sat
    [[nodiscard]] int pending() const { return sat - passed - failed; }
    // Those who sat with a pass or fail result: the pass rate's denominator.
    // A pending result never enters a pass rate (it is neither a pass nor a
    // failure); in a session whose results are final and complete it is *sat*.
    [[nodiscard]] int decided() const { return passed + failed; }
    // Final and complete: results final and nobody who sat without one (a
    // kiosk's check-in that arrives after the office marked it final makes
    // it incomplete again). Only such a session counts for 第七条(六).
    [[nodiscard]] bool resultsComplete() const { return resultsFinal && pending() == 0; }
    // Counts n registrations in this state: every one is registered; the
    // checked in (late included) sat, and their pass or fail results count;
    // absent and excused apart. The one place *sat* and *passed* are defined.
    void count(Attendance attendance, std::optional<Outcome> outcome, int n = 1);
};


// true when numerator / denominator is below 30%, in exact integers:
// numerator * 10 < denominator * 3. Exactly 30% is not below.
constexpr bool belowThirtyPercent(qint64 numerator, qint64 denominator)
{
    return numerator * 10 < denominator * 3;
}

// Rate in tenths of a percent, rounded half up, for display only (never for
// comparison) — except that a rate below 30% never shows as 30.0%: just
// under the line it is rounded down (200/667 = 29.985% shows 29.9%), so the
// figure cannot contradict the 低于 30% beside it. Empty when the
// denominator is not positive.
std::optional<qint64> perMille(qint64 numerator, qint64 denominator);
QString formatPercent(qint64 numerator, qint64 denominator); // "29.9%" or "—"

// The regulation's rules, by article.
enum class Rule : std::uint8_t {
    Participation = 1, // 第七条(五)
    PassRate = 2,      // 第七条(六)
};
QString ruleArticle(Rule rule); // "第七条(五)"

enum class ParticipationVerdict : std::uint8_t {
    Ok,
    Low,                // sat below 30% of the published count
    NoPublishedCount,   // published count missing or not positive: cannot be judged
    NotHeld,            // the session has not been held yet: no verdict
};

// 第七条(五) for one session. A published count of zero or less is treated as
// missing: the session is reported as lacking one, never as passing. A
// session not yet held is NotHeld, whatever its numbers.
ParticipationVerdict participationVerdict(int sat, std::optional<int> publishedCount, bool held = true);

// Totals of a group of sessions (a pilot, a certificate, a college), the
// sums the reports show beside the per-session rules.
struct GroupStats
{
    Id id = 0;
    QString name;
    std::optional<Id> collegeId; // for pilots
    int sessions = 0;
    qint64 published = 0; // sum over held sessions with a positive published count
    int sessionsWithoutPublished = 0; // held sessions without one
    int sessionsNotHeld = 0; // registered counted; no published count, no verdict
    qint64 registered = 0, sat = 0, absent = 0, excused = 0, passed = 0, failed = 0;
    [[nodiscard]] qint64 pending() const { return sat - passed - failed; }
    [[nodiscard]] qint64 decided() const { return passed + failed; } // the pass rate's denominator
    // Adds one session's numbers (a session not yet held adds its
    // registrations and nothing the rules judge).
    void add(const SessionTally &t);
    // The group's sat against its summed published count, for the totals
    // the reports show (the flags stay per session, 第七条(五)).
    [[nodiscard]] ParticipationVerdict participation() const;
};

// One session named by a flag, with the numbers the rule looked at:
// participation: numerator = sat, denominator = published;
// pass rate: numerator = passed, denominator = sat.
struct FlaggedSession
{
    Id sessionId = 0;
    QDate examDate;
    qint64 numerator = 0;
    qint64 denominator = 0; // 0 when the published count is missing
};

enum class FlagKind : std::uint8_t {
    LowParticipation,      // 第七条(五)
    MissingPublishedCount, // 第七条(五) cannot be judged
    ConsecutiveLowPassRate, // 第七条(六)
    PublishedCountReminder, // not a flag: a session not yet held has no published count
};

// A warning: which rule, which sessions, which numbers, and the words.
struct Flag
{
    Rule rule = Rule::Participation;
    FlagKind kind = FlagKind::LowParticipation;
    Id pilotId = 0;
    QList<FlaggedSession> sessions;
    QString message; // Simplified Chinese, names article, numbers and sessions
};

// 第七条(五): a flag for each held session below 30% of its published
// count, and one for each held session lacking a published count. Sessions
// not yet held are skipped. Order follows the input.
QList<Flag> participationFlags(const std::vector<SessionTally> &sessions);

// Reminders, not flags: each session not yet held that has no published
// count yet (kind PublishedCountReminder). Order follows the input.
QList<Flag> publishedCountReminders(const std::vector<SessionTally> &sessions);

// 第七条(六): per pilot, held sessions with final, complete results (no one
// who sat is without a result) and at least one candidate who sat, ordered
// by exam date, start time, then id; a flag for each two consecutive such
// sessions whose pass rates (passed / sat) are both below 30%. Other
// sessions are skipped: they neither count as low nor break a streak. A
// pending result is never counted as a failure.
QList<Flag> passRateFlags(const std::vector<SessionTally> &sessions);

} // namespace kaodian
