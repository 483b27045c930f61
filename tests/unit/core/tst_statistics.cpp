#include "core/statistics.h"

#include <QTest>

using namespace kaodian;

namespace {

SessionTally tally(Id id, Id pilot, QDate date, int sat, int passed, bool final = true,
                   std::optional<int> published = 100, QTime start = QTime(9, 0))
{
    SessionTally t;
    t.sessionId = id;
    t.pilotId = pilot;
    t.examDate = date;
    t.startTime = start;
    t.sat = sat;
    t.passed = passed;
    t.failed = sat - passed;
    t.resultsFinal = final;
    t.publishedCount = published;
    t.held = true;
    return t;
}

KioskEvent makeEvent(const QString &kiosk, std::int64_t id, EventKind kind, Id reg, int minute)
{
    KioskEvent e;
    e.kioskId = kiosk;
    e.eventId = id;
    e.kind = kind;
    e.sessionId = 1;
    e.registrationId = reg;
    e.deviceTime = QDateTime(QDate(2026, 6, 1), QTime(8, 0), Qt::UTC).addSecs(60 * minute);
    return e;
}

QList<Id> sessionIds(const Flag &f)
{
    QList<Id> ids;
    for (const auto &s : f.sessions)
        ids << s.sessionId;
    return ids;
}

const QDate d1(2026, 3, 1);
const QDate d2(2026, 4, 1);
const QDate d3(2026, 5, 1);
const QDate d4(2026, 6, 1);

} // namespace

// 第七条(五) and 第七条(六) as DESIGN.md defines them, and the event fold
// that yields "sat".
class TestStatistics : public QObject
{
    Q_OBJECT
private slots:
    void thirtyPercentIsExact()
    {
        QVERIFY(!belowThirtyPercent(30, 100)); // exactly 30% is not below
        QVERIFY(belowThirtyPercent(29, 100));
        QVERIFY(!belowThirtyPercent(3, 10));
        QVERIFY(belowThirtyPercent(2, 7));      // 28.57%
        QVERIFY(!belowThirtyPercent(1, 3));     // 33.3%
        // Where floating point goes wrong: 0.3 * 10 is 3.0000000000000004.
        QVERIFY(!belowThirtyPercent(3, 10));
        QVERIFY(!belowThirtyPercent(300000003, 1000000010)); // exactly 30%
        QVERIFY(belowThirtyPercent(300000002, 1000000010));
        // Against a brute-force count in hundredths for every small case.
        for (int den = 1; den <= 60; ++den)
            for (int num = 0; num <= den; ++num)
                QCOMPARE(belowThirtyPercent(num, den), num * 100 < den * 30);
    }

    void participationVerdicts()
    {
        QCOMPARE(participationVerdict(30, 100), ParticipationVerdict::Ok);
        QCOMPARE(participationVerdict(29, 100), ParticipationVerdict::Low);
        QCOMPARE(participationVerdict(0, 100), ParticipationVerdict::Low);
        QCOMPARE(participationVerdict(5, std::nullopt), ParticipationVerdict::NoPublishedCount);
        QCOMPARE(participationVerdict(0, 0), ParticipationVerdict::NoPublishedCount);
        QCOMPARE(participationVerdict(5, -3), ParticipationVerdict::NoPublishedCount);
    }

    void participationFlagsNameRuleNumbersAndSession()
    {
        const std::vector<SessionTally> sessions{
            tally(1, 7, d1, 30, 10),                  // exactly 30%: fine
            tally(2, 7, d2, 29, 10),                  // just below: flagged
            tally(3, 7, d3, 12, 5, true, std::nullopt), // missing count: reported
            tally(4, 7, d4, 0, 0, true, 0),           // zero count: reported as lacking
        };
        const auto flags = participationFlags(sessions);
        QCOMPARE(flags.size(), 3);
        QCOMPARE(flags[0].kind, FlagKind::LowParticipation);
        QCOMPARE(flags[0].rule, Rule::Participation);
        QCOMPARE(sessionIds(flags[0]), QList<Id>{2});
        QCOMPARE(flags[0].sessions[0].numerator, 29);
        QCOMPARE(flags[0].sessions[0].denominator, 100);
        QVERIFY2(flags[0].message.contains(QStringLiteral("第七条(五)")), qPrintable(flags[0].message));
        QVERIFY(flags[0].message.contains(QStringLiteral("29 人")));
        QVERIFY(flags[0].message.contains(QStringLiteral("100 人")));
        QVERIFY(flags[0].message.contains(QStringLiteral("29.0%")));
        QVERIFY(flags[0].message.contains(QStringLiteral("2026-04-01 09:00")));
        QCOMPARE(flags[1].kind, FlagKind::MissingPublishedCount);
        QCOMPARE(sessionIds(flags[1]), QList<Id>{3});
        QVERIFY(flags[1].message.contains(QStringLiteral("未公布考试人数")));
        QCOMPARE(flags[2].kind, FlagKind::MissingPublishedCount);
        QCOMPARE(sessionIds(flags[2]), QList<Id>{4});
    }

    void twoConsecutiveLowPassRates()
    {
        const std::vector<SessionTally> sessions{
            tally(1, 5, d1, 100, 29), // low
            tally(2, 5, d2, 100, 30), // exactly 30%: not low
            tally(3, 5, d3, 10, 2),   // low
            tally(4, 5, d4, 7, 2),    // low (28.6%): with 3, consecutive
        };
        const auto flags = passRateFlags(sessions);
        QCOMPARE(flags.size(), 1);
        QCOMPARE(flags[0].rule, Rule::PassRate);
        QCOMPARE(flags[0].kind, FlagKind::ConsecutiveLowPassRate);
        QCOMPARE(flags[0].pilotId, 5);
        QCOMPARE(sessionIds(flags[0]), (QList<Id>{3, 4}));
        QCOMPARE(flags[0].sessions[0].numerator, 2);
        QCOMPARE(flags[0].sessions[0].denominator, 10);
        QVERIFY2(flags[0].message.contains(QStringLiteral("第七条(六)")), qPrintable(flags[0].message));
        QVERIFY(flags[0].message.contains(QStringLiteral("2026-05-01 09:00")));
        QVERIFY(flags[0].message.contains(QStringLiteral("2026-06-01 09:00")));
        QVERIFY(flags[0].message.contains(QStringLiteral("2/10")));
        QVERIFY(flags[0].message.contains(QStringLiteral("20.0%")));
        QVERIFY(flags[0].message.contains(QStringLiteral("28.6%")));
    }

    void lowSessionsSeparatedByGoodOneAreNotConsecutive()
    {
        const std::vector<SessionTally> sessions{
            tally(1, 5, d1, 100, 10),
            tally(2, 5, d2, 100, 90),
            tally(3, 5, d3, 100, 10),
        };
        QVERIFY(passRateFlags(sessions).isEmpty());
    }

    void sessionsWithoutFinalResultsAreSkipped()
    {
        // The pending session 2 is neither low nor good: 1 and 3 are consecutive.
        const std::vector<SessionTally> sessions{
            tally(1, 5, d1, 100, 10),
            tally(2, 5, d2, 100, 90, false),
            tally(3, 5, d3, 100, 10),
        };
        const auto flags = passRateFlags(sessions);
        QCOMPARE(flags.size(), 1);
        QCOMPARE(sessionIds(flags[0]), (QList<Id>{1, 3}));

        // Two low sessions of which one is not final: no flag.
        const std::vector<SessionTally> pending{tally(1, 5, d1, 100, 10), tally(2, 5, d2, 100, 10, false)};
        QVERIFY(passRateFlags(pending).isEmpty());
    }

    void sessionWhereNobodySatNeitherLowNorBreaksStreak()
    {
        const std::vector<SessionTally> sessions{
            tally(1, 5, d1, 100, 10),
            tally(2, 5, d2, 0, 0),
            tally(3, 5, d3, 100, 10),
        };
        const auto flags = passRateFlags(sessions);
        QCOMPARE(flags.size(), 1);
        QCOMPARE(sessionIds(flags[0]), (QList<Id>{1, 3}));
    }

    void sameDateOrderedByStartTimeThenId()
    {
        // Input order is scrambled; the rule orders by date, start, id.
        // Order: 9 (d1 08:00), 4 (d1 14:00, id 4), 8 (d1 14:00, id 8), 2 (d2).
        // Lows: 9 and 8 are low, 4 is good, 2 is low: only (8, 2) are consecutive.
        const std::vector<SessionTally> sessions{
            tally(2, 5, d2, 10, 1, true, 100, QTime(9, 0)),
            tally(8, 5, d1, 10, 1, true, 100, QTime(14, 0)),
            tally(4, 5, d1, 10, 9, true, 100, QTime(14, 0)),
            tally(9, 5, d1, 10, 1, true, 100, QTime(8, 0)),
        };
        const auto flags = passRateFlags(sessions);
        QCOMPARE(flags.size(), 1);
        QCOMPARE(sessionIds(flags[0]), (QList<Id>{8, 2}));
    }

    void pilotsAreJudgedSeparately()
    {
        const std::vector<SessionTally> sessions{
            tally(1, 5, d1, 100, 10),
            tally(2, 6, d2, 100, 10),
            tally(3, 5, d3, 100, 90),
            tally(4, 6, d4, 100, 10),
        };
        const auto flags = passRateFlags(sessions);
        QCOMPARE(flags.size(), 1);
        QCOMPARE(flags[0].pilotId, 6);
        QCOMPARE(sessionIds(flags[0]), (QList<Id>{2, 4}));
    }

    void threeLowInARowGiveTwoFlags()
    {
        const std::vector<SessionTally> sessions{
            tally(1, 5, d1, 100, 1), tally(2, 5, d2, 100, 1), tally(3, 5, d3, 100, 1)};
        const auto flags = passRateFlags(sessions);
        QCOMPARE(flags.size(), 2);
        QCOMPARE(sessionIds(flags[0]), (QList<Id>{1, 2}));
        QCOMPARE(sessionIds(flags[1]), (QList<Id>{2, 3}));
    }

    void percentFormatting()
    {
        QCOMPARE(formatPercent(29, 100), QStringLiteral("29.0%"));
        QCOMPARE(formatPercent(2, 7), QStringLiteral("28.6%"));
        QCOMPARE(formatPercent(1, 3), QStringLiteral("33.3%"));
        QCOMPARE(formatPercent(1, 0), QStringLiteral("—"));
    }

    // Issue #17, finding 10: 200/667 is 29.985%, below 30%; rounded half up
    // it printed as 30.0% beside 低于 30%. The shown rate must never
    // contradict the verdict, for any count.
    // DESIGN.md: held once the exam date is before today (China time), or
    // once someone has checked in; today with no check-in is not yet held.
    void heldOnceTheDateIsPastOrSomeoneCheckedIn()
    {
        const QDate today(2027, 3, 20);
        QVERIFY(sessionHeld(today.addDays(-1), today, false));
        QVERIFY(!sessionHeld(today, today, false));
        QVERIFY(sessionHeld(today, today, true));
        QVERIFY(!sessionHeld(today.addDays(1), today, false));
        QVERIFY(sessionHeld(today.addDays(1), today, true));
        QVERIFY(!sessionHeld(QDate(), today, false));
    }

    // The case: a session dated after today with a published count
    // of 40 and nobody checked in is neither low nor lacking a count; one
    // without a count is a reminder, not a flag; once held, both are judged.
    void sessionNotYetHeldGetsNoVerdict()
    {
        auto future = tally(1, 7, QDate(2027, 3, 20), 0, 0, false, 40);
        future.held = false;
        auto unpublished = tally(2, 7, QDate(2027, 3, 21), 0, 0, false, std::nullopt);
        unpublished.held = false;
        QCOMPARE(participationVerdict(0, 40, false), ParticipationVerdict::NotHeld);
        QCOMPARE(participationVerdict(0, std::nullopt, false), ParticipationVerdict::NotHeld);
        QVERIFY(participationFlags({future, unpublished}).isEmpty());
        const auto reminders = publishedCountReminders({future, unpublished});
        QCOMPARE(reminders.size(), 1);
        QCOMPARE(reminders[0].kind, FlagKind::PublishedCountReminder);
        QCOMPARE(sessionIds(reminders[0]), QList<Id>{2});

        future.held = true;
        unpublished.held = true;
        const auto flags = participationFlags({future, unpublished});
        QCOMPARE(flags.size(), 2);
        QCOMPARE(flags[0].kind, FlagKind::LowParticipation);
        QCOMPARE(flags[1].kind, FlagKind::MissingPublishedCount);
        QVERIFY(publishedCountReminders({future, unpublished}).isEmpty());
    }

    // A pass-rate streak only counts held sessions (a tally with final
    // results that is somehow not held is skipped, not low).
    void passRateJudgesHeldSessionsOnly()
    {
        auto first = tally(1, 5, d1, 100, 10);
        auto second = tally(2, 5, d2, 100, 10);
        QCOMPARE(passRateFlags({first, second}).size(), 1);
        second.held = false;
        QVERIFY(passRateFlags({first, second}).isEmpty());
    }

    // Flags name the pilot by certificate, level and college and the session
    // by date, time and site, never by an internal id.
    void flagsNamePilotsAndSessionsInWords()
    {
        auto a = tally(11, 5, d1, 100, 10);
        auto b = tally(12, 5, d2, 100, 10, true, 100, QTime(14, 30));
        for (auto *t : {&a, &b}) {
            t->pilotName = QStringLiteral("Web前端开发 中级（信息工程学院）");
            t->siteName = QStringLiteral("信息楼考点");
        }
        a.publishedCount = 400;
        const auto low = participationFlags({a});
        QCOMPARE(low.size(), 1);
        QVERIFY2(low[0].message.contains(QStringLiteral("Web前端开发 中级（信息工程学院）")), qPrintable(low[0].message));
        QVERIFY2(low[0].message.contains(QStringLiteral("2026-03-01 09:00 信息楼考点")), qPrintable(low[0].message));
        const auto streak = passRateFlags({a, b});
        QCOMPARE(streak.size(), 1);
        const QString &m = streak[0].message;
        QVERIFY2(m.contains(QStringLiteral("Web前端开发 中级（信息工程学院）")), qPrintable(m));
        QVERIFY2(m.contains(QStringLiteral("2026-04-01 14:30 信息楼考点")), qPrintable(m));
        QVERIFY2(!m.contains(QLatin1Char('#')), qPrintable(m));
    }

    void shownRateNeverContradictsTheVerdict()
    {
        QCOMPARE(formatPercent(200, 667), QStringLiteral("29.9%"));
        QCOMPARE(formatPercent(3, 10), QStringLiteral("30.0%"));
        QCOMPARE(formatPercent(2999, 10000), QStringLiteral("29.9%"));
        for (qint64 d = 1; d <= 3000; ++d)
            for (qint64 n = d * 3 / 10 - 1; n <= d * 3 / 10 + 1; ++n) {
                if (n < 0)
                    continue;
                const qint64 shown = *perMille(n, d);
                if (belowThirtyPercent(n, d))
                    QVERIFY2(shown < 300, qPrintable(QStringLiteral("%1/%2 shown as %3").arg(n).arg(d).arg(shown)));
                else
                    QVERIFY2(shown >= 300, qPrintable(QStringLiteral("%1/%2 shown as %3").arg(n).arg(d).arg(shown)));
            }
    }

    void satFromEvents()
    {
        std::vector<KioskEvent> events;
        // 1: checked in at two kiosks; the earliest counts, both active.
        events.push_back(makeEvent("B", 1, EventKind::CheckIn, 1, 5));
        events.push_back(makeEvent("A", 1, EventKind::CheckIn, 1, 3));
        // 2: checked in then undone: not sat.
        events.push_back(makeEvent("A", 2, EventKind::CheckIn, 2, 4));
        auto annul = makeEvent("A", 3, EventKind::Annul, 2, 6);
        annul.targetKioskId = "A";
        annul.targetEventId = 2;
        events.push_back(annul);
        // 3: late check-in counts as sat and is late.
        auto late = makeEvent("A", 4, EventKind::CheckIn, 3, 30);
        late.late = true;
        events.push_back(late);
        // 4: checked in, then marked absent: not sat.
        events.push_back(makeEvent("A", 5, EventKind::CheckIn, 4, 7));
        events.push_back(makeEvent("A", 6, EventKind::MarkAbsent, 4, 8));
        // 5: marked absent at roll call, then arrived: sat.
        events.push_back(makeEvent("A", 7, EventKind::MarkAbsent, 5, 1));
        events.push_back(makeEvent("A", 8, EventKind::CheckIn, 5, 20));
        // 6: excused.
        events.push_back(makeEvent("A", 9, EventKind::MarkExcused, 6, 2));
        // Results: 1 pass, 3 fail, 4 pass (not sat, so not counted).
        auto r1 = makeEvent("A", 10, EventKind::Result, 1, 200);
        r1.outcome = Outcome::Pass;
        r1.score = 88;
        auto r3 = makeEvent("A", 11, EventKind::Result, 3, 201);
        r3.outcome = Outcome::Fail;
        auto r4 = makeEvent("A", 12, EventKind::Result, 4, 202);
        r4.outcome = Outcome::Pass;
        events.insert(events.end(), {r1, r3, r4});
        // A retried upload of the same event counts once.
        events.push_back(makeEvent("A", 8, EventKind::CheckIn, 5, 20));

        const auto states = deriveStates(events);
        QCOMPARE(states.size(), std::size_t(6));
        QCOMPARE(states[0].registrationId, 1);
        QVERIFY(states[0].sat());
        QCOMPARE(states[0].checkedInKiosk, QStringLiteral("A"));
        QCOMPARE(states[0].activeCheckIns, 2);
        QCOMPARE(states[0].score, 88);
        QVERIFY(!states[1].sat());
        QCOMPARE(states[1].attendance, Attendance::NotCheckedIn);
        QVERIFY(states[2].sat());
        QVERIFY(states[2].late);
        QCOMPARE(states[3].attendance, Attendance::Absent);
        QVERIFY(states[4].sat());
        QCOMPARE(states[4].activeCheckIns, 1);
        QCOMPARE(states[5].attendance, Attendance::Excused);

        SessionTally t;
        t.sessionId = 1;
        t.pilotId = 3;
        t.publishedCount = 20;
        t.resultsFinal = true;
        for (const auto &st : states)
            t.count(st.attendance, st.outcome);
        t.count(Attendance::NotCheckedIn, std::nullopt, 8 - int(states.size())); // registered, no event yet
        QCOMPARE(t.registered, 8);
        QCOMPARE(t.sat, 3);
        QCOMPARE(t.absent, 1);
        QCOMPARE(t.excused, 1);
        QCOMPARE(t.passed, 1);
        QCOMPARE(t.failed, 1);
        QCOMPARE(t.pending(), 1);
        // 3 of 20 = 15%: low participation.
        QCOMPARE(participationVerdict(t.sat, t.publishedCount), ParticipationVerdict::Low);
    }
};

QTEST_GUILESS_MAIN(TestStatistics)
#include "tst_statistics.moc"
