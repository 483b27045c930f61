#include "core/caselife.h"

#include <QSet>
#include <QTest>

using namespace kaodian;

namespace {

const QList<CaseState> kAll{CaseState::Pending,        CaseState::Investigating, CaseState::Unfounded,
                            CaseState::Confirmed,      CaseState::Rectifying,    CaseState::Rectified,
                            CaseState::NotRectified,   CaseState::PilotWithdrawn, CaseState::SiteWithdrawn};

const QDate kToday(2026, 12, 2);

CaseMove move(CaseState from, CaseState to, CaseActor actor = CaseActor::Office,
              CaseSubject subject = CaseSubject::Pilot)
{
    CaseMove m;
    m.from = from;
    m.to = to;
    m.actor = actor;
    m.subject = subject;
    m.reason = QStringLiteral("已核实");
    m.today = kToday;
    if (to == CaseState::Rectifying && from != CaseState::Rectifying)
        m.deadline = kToday.addDays(30);
    return m;
}

// The life of DESIGN.md "Cases", written out: (from, to) the office may make.
QSet<QPair<int, int>> officeMoves(CaseSubject subject)
{
    auto p = [](CaseState a, CaseState b) { return qMakePair(int(a), int(b)); };
    QSet<QPair<int, int>> s{p(CaseState::Pending, CaseState::Investigating),
                            p(CaseState::Investigating, CaseState::Unfounded),
                            p(CaseState::Investigating, CaseState::Confirmed),
                            p(CaseState::Confirmed, CaseState::Rectifying),
                            p(CaseState::Rectifying, CaseState::Rectified),
                            p(CaseState::Rectifying, CaseState::NotRectified)};
    if (subject == CaseSubject::Pilot)
        s.insert(p(CaseState::NotRectified, CaseState::PilotWithdrawn));
    if (subject == CaseSubject::Site)
        s.insert(p(CaseState::NotRectified, CaseState::SiteWithdrawn));
    return s;
}

} // namespace

class TestCaseLife : public QObject
{
    Q_OBJECT
private slots:
    void wordsRoundTrip()
    {
        QSet<QString> words;
        for (CaseState s : kAll) {
            words.insert(caseStateWord(s));
            QCOMPARE(caseStateFromWord(caseStateWord(s)), s);
        }
        QCOMPARE(words.size(), kAll.size());
        QCOMPARE(caseStateWord(CaseState::Rectifying), QStringLiteral("整改中"));
        QVERIFY(!caseStateFromWord(QStringLiteral("已关闭")));
    }

    void closedStates()
    {
        QSet<CaseState> closed;
        for (CaseState s : kAll)
            if (caseClosed(s))
                closed.insert(s);
        QCOMPARE(closed, (QSet<CaseState>{CaseState::Unfounded, CaseState::Rectified, CaseState::PilotWithdrawn,
                                          CaseState::SiteWithdrawn}));
    }

    // Every (from, to) pair for every actor and subject: allowed exactly
    // when the life says so, and caseMovesFrom agrees with caseMoveProblem.
    void everyMoveAtEveryState()
    {
        for (CaseSubject subject : {CaseSubject::Pilot, CaseSubject::Site, CaseSubject::College}) {
            const auto allowed = officeMoves(subject);
            for (CaseState from : kAll) {
                for (CaseState to : kAll) {
                    const bool office = allowed.contains(qMakePair(int(from), int(to)));
                    const QString why = caseMoveProblem(move(from, to, CaseActor::Office, subject));
                    QVERIFY2(why.isEmpty() == office, qPrintable(caseStateWord(from) + QStringLiteral(" → ")
                                                                 + caseStateWord(to) + QStringLiteral("：") + why));
                    QCOMPARE(caseMovesFrom(from, CaseActor::Office, subject).contains(to), office);
                    // The college only records its rectification while 整改中.
                    const bool college = from == CaseState::Rectifying && to == CaseState::Rectifying;
                    QCOMPARE(caseMoveProblem(move(from, to, CaseActor::College, subject)).isEmpty(), college);
                    QCOMPARE(caseMovesFrom(from, CaseActor::College, subject).contains(to), college);
                }
            }
        }
    }

    void closedCasesSayTheyAreClosed()
    {
        QCOMPARE(caseMoveProblem(move(CaseState::Unfounded, CaseState::Investigating)),
                 QStringLiteral("案件已结案（不属实），不能再变更"));
        QCOMPARE(caseMoveProblem(move(CaseState::PilotWithdrawn, CaseState::Rectifying, CaseActor::College)),
                 QStringLiteral("案件已结案（取消试点），不能再变更"));
    }

    void withdrawalNeedsTheRightSubject()
    {
        QCOMPARE(caseMoveProblem(move(CaseState::NotRectified, CaseState::SiteWithdrawn, CaseActor::Office,
                                      CaseSubject::Pilot)),
                 QStringLiteral("只有针对考点的案件可以取消考点"));
        QCOMPARE(caseMoveProblem(move(CaseState::NotRectified, CaseState::PilotWithdrawn, CaseActor::Office,
                                      CaseSubject::Site)),
                 QStringLiteral("只有针对试点的案件可以取消试点"));
        QVERIFY(caseMovesFrom(CaseState::NotRectified, CaseActor::Office, CaseSubject::College).isEmpty());
    }

    void skippingAStepIsRefused()
    {
        QCOMPARE(caseMoveProblem(move(CaseState::Pending, CaseState::Confirmed)),
                 QStringLiteral("案件处于「待核查」，不能改为「属实」"));
        QCOMPARE(caseMoveProblem(move(CaseState::Investigating, CaseState::Investigating, CaseActor::College)),
                 QStringLiteral("案件处于「核查中」，二级学院只能在整改中记录整改情况"));
    }

    void aReasonAlways()
    {
        for (CaseState from : kAll)
            for (CaseActor actor : {CaseActor::Office, CaseActor::College})
                for (CaseState to : caseMovesFrom(from, actor, CaseSubject::Pilot)) {
                    CaseMove m = move(from, to, actor);
                    m.reason = QStringLiteral("  \n ");
                    QVERIFY(!caseMoveProblem(m).isEmpty());
                    m.reason = QString(kMaxCaseReason, QChar(u'查'));
                    QVERIFY(caseMoveProblem(m).isEmpty());
                    m.reason += QChar(u'查');
                    QCOMPARE(caseMoveProblem(m), QStringLiteral("理由不能超过 1000 字"));
                }
        CaseMove m = move(CaseState::Rectifying, CaseState::Rectifying, CaseActor::College);
        m.reason.clear();
        QCOMPARE(caseMoveProblem(m), QStringLiteral("请写明整改情况"));
        m = move(CaseState::Investigating, CaseState::Unfounded);
        m.reason.clear();
        QCOMPARE(caseMoveProblem(m), QStringLiteral("请写明改为「不属实」的理由"));
    }

    void rectificationNeedsADeadlineNotBeforeToday()
    {
        CaseMove m = move(CaseState::Confirmed, CaseState::Rectifying);
        m.deadline = QDate();
        QCOMPARE(caseMoveProblem(m), QStringLiteral("改为整改中须给出整改期限"));
        m.deadline = kToday.addDays(-1);
        QCOMPARE(caseMoveProblem(m), QStringLiteral("整改期限 2026-12-01 早于今天"));
        m.deadline = kToday; // the last day may be today
        QVERIFY(caseMoveProblem(m).isEmpty());
    }

    void onlyRectificationTakesADeadline()
    {
        CaseMove m = move(CaseState::Investigating, CaseState::Confirmed);
        m.deadline = kToday.addDays(10);
        QCOMPARE(caseMoveProblem(m), QStringLiteral("只有改为整改中时才给出整改期限"));
        m = move(CaseState::Rectifying, CaseState::Rectifying, CaseActor::College);
        m.deadline = kToday.addDays(10); // a college cannot move its own deadline
        QCOMPARE(caseMoveProblem(m), QStringLiteral("只有改为整改中时才给出整改期限"));
    }
};

QTEST_GUILESS_MAIN(TestCaseLife)
#include "tst_caselife.moc"
