#include "core/compliance.h"
#include "core/examzone.h"

#include <QTest>

using namespace kaodian;

namespace {

// China time, written out here on purpose: a wrong zone constant in the
// code then fails these tests.
QDateTime china(int y, int m, int d, int h = 0, int min = 0, int s = 0)
{
    return QDateTime(QDate(y, m, d), QTime(h, min, s), QTimeZone(8 * 3600));
}

// 2026-03-02 is a Monday.
const QDate w1(2026, 3, 2);
const QDate w2 = w1.addDays(7);
const QDate w3 = w1.addDays(14);
const QDate w4 = w1.addDays(21);

PilotReports pilot(QDate start = w1)
{
    PilotReports p;
    p.pilotId = 3;
    p.pilotName = QStringLiteral("Web前端开发 中级（信息工程学院）");
    p.startDate = start;
    return p;
}

} // namespace

// The rules of DESIGN.md's "The regulation's rules" beyond statistics.
class TestCompliance : public QObject
{
    Q_OBJECT
private slots:
    void weeksRunMondayToSunday()
    {
        QCOMPARE(weekOf(QDate(2026, 3, 2)), w1);  // Monday
        QCOMPARE(weekOf(QDate(2026, 3, 8)), w1);  // Sunday
        QCOMPARE(weekOf(QDate(2026, 3, 9)), w2);
        QCOMPARE(complianceArticle(ComplianceRule::WeeklyReports), QStringLiteral("第七条(二)"));
    }

    // Due by the end of the following Monday, China time.
    void reportDueByTheEndOfTheFollowingMonday()
    {
        QVERIFY(reportOnTime(w1, china(2026, 3, 9, 23, 59, 59)));
        QVERIFY(reportOnTime(w1, china(2026, 3, 9, 23, 59, 59).addMSecs(999)));
        QVERIFY(!reportOnTime(w1, china(2026, 3, 10, 0, 0, 0)));
        // 23:59:59 China time is 15:59:59 UTC: the zone is China's, not the machine's.
        QVERIFY(reportOnTime(w1, QDateTime(QDate(2026, 3, 9), QTime(15, 59, 59), Qt::UTC)));
        QVERIFY(!reportOnTime(w1, QDateTime(QDate(2026, 3, 9), QTime(16, 0, 0), Qt::UTC)));

        auto p = pilot();
        p.submittedAt.insert(w1, china(2026, 3, 9, 23, 59, 59));
        const auto onTime = weekStates(p, {}, china(2026, 3, 20));
        QCOMPARE(onTime.front().second, WeekState::OnTime);
        p.submittedAt.insert(w1, china(2026, 3, 10, 0, 0, 0));
        const auto late = weekStates(p, {}, china(2026, 3, 20));
        QCOMPARE(late.front().second, WeekState::Late);
    }

    void twoMissedWeeksFlagTheRun()
    {
        auto p = pilot();
        // w1 on time; w2 and w3 missing; w4 still open on 2026-03-30 (Monday).
        p.submittedAt.insert(w1, china(2026, 3, 6, 10));
        const QDateTime now = china(2026, 3, 30, 12);
        const auto states = weekStates(p, {}, now);
        QCOMPARE(states.size(), 5);
        QCOMPARE(states[1].second, WeekState::Missing);
        QCOMPARE(states[3].second, WeekState::Open); // w4's deadline is Tuesday 2026-03-31 00:00
        QCOMPARE(states[4].second, WeekState::Open); // this week
        const auto flags = weeklyReportFlags({p}, {}, now);
        QCOMPARE(flags.size(), 1);
        QCOMPARE(flags[0].rule, ComplianceRule::WeeklyReports);
        QCOMPARE(flags[0].subjectId, 3);
        QCOMPARE(flags[0].weeks, (QList<QDate>{w2, w3}));
        QVERIFY2(flags[0].message.contains(QStringLiteral("Web前端开发 中级（信息工程学院）")), qPrintable(flags[0].message));
        QVERIFY2(flags[0].message.contains(QStringLiteral("2026-03-09 至 2026-03-15")), qPrintable(flags[0].message));

        // One missed week alone is no flag.
        p.submittedAt.insert(w3, china(2026, 3, 23, 9));
        QVERIFY(weeklyReportFlags({p}, {}, now).isEmpty());
    }

    // Exempt weeks owe nothing and do not break a run: missing, exempt,
    // missing is two missing weeks in a row.
    void exemptWeekBetweenTwoMissingOnes()
    {
        auto p = pilot();
        const QDateTime now = china(2026, 3, 31, 12);
        p.submittedAt.insert(w1, china(2026, 3, 8));
        // w2 missing, w3 exempt, w4 missing (deadline 2026-03-31 00:00 passed).
        const auto flags = weeklyReportFlags({p}, {w3}, now);
        QCOMPARE(flags.size(), 1);
        QCOMPARE(flags[0].weeks, (QList<QDate>{w2, w4}));
        // Without the exemption the run is three weeks long.
        const auto unexempt = weeklyReportFlags({p}, {}, now);
        QCOMPARE(unexempt.size(), 1);
        QCOMPARE(unexempt[0].weeks, (QList<QDate>{w2, w3, w4}));
        // An on-time week breaks the run.
        p.submittedAt.insert(w3, china(2026, 3, 20));
        QVERIFY(weeklyReportFlags({p}, {}, now).isEmpty());
    }

    // A late report is shown as late and counts as missing for the streak.
    void lateReportsCountAsMissing()
    {
        auto p = pilot();
        p.submittedAt.insert(w1, china(2026, 3, 12));
        p.submittedAt.insert(w2, china(2026, 3, 20));
        p.submittedAt.insert(w3, china(2026, 3, 22)); // on time: ends the run
        const auto flags = weeklyReportFlags({p}, {}, china(2026, 3, 25));
        QCOMPARE(flags.size(), 1);
        QCOMPARE(flags[0].weeks, (QList<QDate>{w1, w2}));
        QVERIFY2(flags[0].message.contains(QStringLiteral("逾期补交")), qPrintable(flags[0].message));
    }

    // Weeks before the pilot's start owe nothing; the week holding the start
    // owes. An inactive pilot or one without a start date owes nothing.
    void weeksBeforeTheStartOweNothing()
    {
        auto p = pilot(w3.addDays(2)); // starts on Wednesday of w3
        const QDateTime now = china(2026, 4, 8, 12); // Wednesday of w1 + 5 weeks
        const auto states = weekStates(p, {}, now);
        QCOMPARE(states.front().first, w3);
        const auto flags = weeklyReportFlags({p}, {}, now);
        QCOMPARE(flags.size(), 1);
        // w3, w4 and w5 (deadline 2026-04-07 00:00) missed; w6 still open.
        QCOMPARE(flags[0].weeks, (QList<QDate>{w3, w4, w4.addDays(7)}));
        p.active = false;
        QVERIFY(weeklyReportFlags({p}, {}, now).isEmpty());
        p.active = true;
        p.startDate = QDate();
        QVERIFY(weeklyReportFlags({p}, {}, now).isEmpty());
    }

    // A report dated after "now" (a clock ahead) is not yet submitted.
    void reportsFromTheFutureDoNotCount()
    {
        auto p = pilot();
        p.submittedAt.insert(w1, china(2026, 3, 9, 9));
        const auto states = weekStates(p, {}, china(2026, 3, 9, 8));
        QCOMPARE(states.front().second, WeekState::Open);
    }

    void certificatesExactlyEqualToMajorsAndOneMore()
    {
        CollegeOffer c;
        c.collegeId = 1;
        c.collegeName = QStringLiteral("信息工程学院");
        c.activeMajors = 2;
        c.activePilotCertificates = {QStringLiteral("Web前端开发"), QStringLiteral("云计算"), QStringLiteral("Web前端开发")};
        QVERIFY(certificateCountFlags({c}).isEmpty()); // 2 distinct == 2 majors
        c.activePilotCertificates << QStringLiteral("大数据");
        const auto flags = certificateCountFlags({c});
        QCOMPARE(flags.size(), 1);
        QCOMPARE(flags[0].rule, ComplianceRule::CertificatesVsMajors);
        QCOMPARE(flags[0].numerator, 3);
        QCOMPARE(flags[0].denominator, 2);
        QVERIFY2(flags[0].message.contains(QStringLiteral("信息工程学院")), qPrintable(flags[0].message));
        c.activeMajors = 0;
        c.activePilotCertificates.clear();
        QVERIFY(certificateCountFlags({c}).isEmpty());
    }

    void qualificationValidUntilToday()
    {
        const QDate today(2026, 12, 2);
        Qualification q{QStringLiteral("软件技术"), QStringLiteral("Web前端开发"), QualificationKind::Assessor,
                        QDate(2024, 1, 1), today};
        QVERIFY(qualificationValidOn(q, today));
        QVERIFY(!qualificationValidOn(q, today.addDays(1)));
        q.validFrom = today.addDays(1);
        QVERIFY(!qualificationValidOn(q, today));
        q.validFrom = today;
        QVERIFY(qualificationValidOn(q, today));

        PilotStaffing p{9, QStringLiteral("Web前端开发 中级（信息工程学院）"), QStringLiteral("Web前端开发"), true,
                        {QStringLiteral("软件技术"), QStringLiteral("计算机应用技术")}};
        Qualification other = q;
        other.major = QStringLiteral("计算机应用技术");
        other.kind = QualificationKind::Trainer;
        QVERIFY(qualifiedTeacherFlags({p}, {q, other}, today).isEmpty());
        // The day after: both expired.
        const auto flags = qualifiedTeacherFlags({p}, {q, other}, today.addDays(1));
        QCOMPARE(flags.size(), 1);
        QCOMPARE(flags[0].objects, (QStringList{QStringLiteral("软件技术"), QStringLiteral("计算机应用技术")}));
        // A qualification for another certificate does not count.
        other.certificate = QStringLiteral("云计算");
        const auto wrong = qualifiedTeacherFlags({p}, {q, other}, today);
        QCOMPARE(wrong.size(), 1);
        QCOMPARE(wrong[0].objects, QStringList{QStringLiteral("计算机应用技术")});
        p.active = false;
        QVERIFY(qualifiedTeacherFlags({p}, {}, today).isEmpty());
    }

    void agreementEndingTodayAndYesterday()
    {
        const QDate today(2026, 12, 2);
        SiteAgreement s{4, QStringLiteral("实训楼考点"), QStringLiteral("XY-2024-07"), today};
        QVERIFY(agreementHoldsOn(s, today));
        auto flags = siteAgreementFlags({s}, today);
        QCOMPARE(flags.size(), 1);
        QCOMPARE(flags[0].severity, ComplianceSeverity::Warning);
        QCOMPARE(flags[0].numerator, 0);
        QVERIFY(sessionRefusedAtSite(s, today).isEmpty());
        QVERIFY(!sessionRefusedAtSite(s, today.addDays(1)).isEmpty());

        s.validUntil = today.addDays(-1);
        QVERIFY(!agreementHoldsOn(s, today));
        flags = siteAgreementFlags({s}, today);
        QCOMPARE(flags.size(), 1);
        QCOMPARE(flags[0].severity, ComplianceSeverity::Flag);
        QCOMPARE(flags[0].numerator, 1);
        QVERIFY2(flags[0].message.contains(QStringLiteral("实训楼考点")), qPrintable(flags[0].message));
        QVERIFY2(flags[0].message.contains(QStringLiteral("XY-2024-07")), qPrintable(flags[0].message));

        // 60 days ahead: no warning yet; 59: a warning.
        s.validUntil = today.addDays(kAgreementWarningDays);
        QVERIFY(siteAgreementFlags({s}, today).isEmpty());
        s.validUntil = today.addDays(kAgreementWarningDays - 1);
        QCOMPARE(siteAgreementFlags({s}, today).front().severity, ComplianceSeverity::Warning);
        // None recorded: a flag, and no session can be scheduled.
        s.validUntil = QDate();
        QCOMPARE(siteAgreementFlags({s}, today).front().severity, ComplianceSeverity::Flag);
        QVERIFY(!sessionRefusedAtSite(s, today).isEmpty());
    }

    void cancelledCertificateFlagsPilotsAndSites()
    {
        const QDate today(2026, 12, 2);
        const CertificateCancellation c{QStringLiteral("云计算"), today, QStringLiteral("教职成司函〔2026〕12号")};
        const QList<PilotOfCertificate> pilots{
            {1, QStringLiteral("云计算 初级（信息工程学院）"), QStringLiteral("云计算"), true},
            {2, QStringLiteral("云计算 中级（机电学院）"), QStringLiteral("云计算"), false},
            {3, QStringLiteral("Web前端开发 中级（信息工程学院）"), QStringLiteral("Web前端开发"), true}};
        const QList<SiteOfCertificates> sites{{7, QStringLiteral("实训楼考点"), {QStringLiteral("Web前端开发"), QStringLiteral("云计算")}},
                                              {8, QStringLiteral("信息楼考点"), {QStringLiteral("Web前端开发")}}};
        const auto flags = cancelledCertificateFlags({c}, pilots, sites, today);
        QCOMPARE(flags.size(), 2);
        QCOMPARE(flags[0].rule, ComplianceRule::CancelledPilot);
        QCOMPARE(flags[0].subjectId, 1); // the inactive pilot 2 is not flagged
        QVERIFY2(flags[0].message.contains(QStringLiteral("教职成司函〔2026〕12号")), qPrintable(flags[0].message));
        QCOMPARE(flags[1].rule, ComplianceRule::CancelledSite);
        QCOMPARE(flags[1].subjectId, 7);
        QCOMPARE(complianceArticle(flags[1].rule), QStringLiteral("第九条(一)"));
        // A cancellation in force from tomorrow flags nothing today.
        QVERIFY(cancelledCertificateFlags({c}, pilots, sites, today.addDays(-1)).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCompliance)
#include "tst_compliance.moc"
