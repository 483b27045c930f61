// ProctorViewModel: the PIN with its lockout, the live roster (checked with
// QAbstractItemModelTester) and its search and counts, each proctor action,
// and the sign-off with the 第七条(五) 30% rule in exact integers.

#include "checkinviewmodel.h"
#include "kioskfixture.h"
#include "proctorviewmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace kaodian;
using namespace kaodian::kiosk;
using namespace kaodian::kiosk::test;

namespace {

QString statusOf(ProctorViewModel &vm, qint64 reg)
{
    auto *roster = vm.roster();
    const int row = roster->rowOf(reg);
    return row < 0 ? QString() : roster->data(roster->index(row), RosterModel::StatusKeyRole).toString();
}

} // namespace

class TestProctorViewModel : public QObject
{
    Q_OBJECT

    // A proctor view model already past the PIN, with a model tester on the roster.
    struct Session
    {
        KioskFixture f;
        ProctorViewModel vm{f.services.get()};
        QAbstractItemModelTester tester{vm.roster(), QAbstractItemModelTester::FailureReportingMode::QtTest};
        Session() { QVERIFY(vm.enterPin(kPin)); }
    };

private Q_SLOTS:
    void pinOpensProctorMode()
    {
        KioskFixture f;
        ProctorViewModel vm(f.services.get());
        QVERIFY(vm.hasPin());
        QVERIFY(!vm.isAuthenticated());
        QSignalSpy auth(&vm, &ProctorViewModel::authenticatedChanged);
        QVERIFY(!vm.enterPin(QStringLiteral("0000")));
        QCOMPARE(vm.pinMessage(), QStringLiteral("PIN 不正确，请重试"));
        QVERIFY(!vm.isPinLocked());
        QVERIFY(vm.enterPin(kPin));
        QVERIFY(vm.isAuthenticated());
        QVERIFY(vm.pinMessage().isEmpty());
        QCOMPARE(auth.count(), 1);
        vm.leave();
        QVERIFY(!vm.isAuthenticated());
    }

    // A package that names conflicts (two kiosks checked one candidate in
    // while offline): listed for the selected session in plain words, the
    // earliest marked as counting; kept across a restart; gone with the
    // next package that has none. Older packages (no key) have none.
    void conflictsAfterSync()
    {
        Session s;
        QVERIFY(s.vm.conflicts().isEmpty());
        QSignalSpy changed(&s.vm, &ProctorViewModel::conflictsChanged);
        SessionPackage p = s.f.makePackage();
        PackageConflict c;
        c.sessionId = 10;
        c.registrationId = 1002;
        c.ticketNumber = QStringLiteral("2026100102");
        c.name = QStringLiteral("欧阳娜娜");
        c.checkIns = {{QStringLiteral("KIOSK-T2"), QStringLiteral("02 门口"), examTime(8, 41), true},
                      {QStringLiteral("KIOSK-T1"), QString(), examTime(8, 47), false}};
        PackageConflict other = c;
        other.sessionId = 20;
        other.registrationId = 2001;
        other.name = QStringLiteral("赵六");
        p.conflicts = {c, other};
        QVERIFY(s.f.services->provision(encodeSessionPackage(p, s.f.key), QString(), QString(), QString()).ok());
        QVERIFY(s.vm.isAuthenticated()); // a new package does not log the proctor out
        QCOMPARE(s.vm.sessionId(), 10);
        QCOMPARE(s.vm.conflicts().size(), 1);
        QVERIFY(changed.count() >= 1);
        const QVariantMap item = s.vm.conflicts().first().toMap();
        QCOMPARE(item.value("registrationId").toLongLong(), 1002);
        QCOMPARE(item.value("text").toString(),
                 QStringLiteral("欧阳娜娜（准考证 2026100102）签到 2 次：02 门口 08:41（计入）、KIOSK-T1 08:47"));
        s.vm.setSessionId(20);
        QCOMPARE(s.vm.conflicts().size(), 1);
        QVERIFY(s.vm.conflicts().first().toMap().value("text").toString().startsWith(QStringLiteral("赵六")));
        s.vm.setSessionId(10);

        // Kept with the package in the encrypted store.
        auto reopened = KioskStore::open(s.f.paths(), kPassphrase);
        QVERIFY(reopened.ok());
        QCOMPARE(reopened->package().conflicts.size(), 2);
        QCOMPARE(reopened->package().conflicts[0].checkIns[0].deviceTime, examTime(8, 41));

        // The next package has none: the list empties.
        QVERIFY(s.f.services->provision(encodeSessionPackage(s.f.makePackage(), s.f.key), QString(), QString(), QString()).ok());
        QVERIFY(s.vm.conflicts().isEmpty());
    }

    void pinLockout()
    {
        KioskFixture f;
        ProctorViewModel vm(f.services.get());
        for (int i = 0; i < 4; ++i) {
            QVERIFY(!vm.enterPin(QStringLiteral("1111")));
            QVERIFY(!vm.isPinLocked());
        }
        QVERIFY(!vm.enterPin(QStringLiteral("1111")));
        QVERIFY(vm.isPinLocked());
        QVERIFY2(vm.pinMessage().contains(QStringLiteral("已锁定至 09:10")), qPrintable(vm.pinMessage()));
        // The right PIN does not open it while locked.
        QVERIFY(!vm.enterPin(kPin));
        QVERIFY(vm.isPinLocked());
        f.now = examTime(9, 11);
        QVERIFY(vm.enterPin(kPin));
        QVERIFY(vm.isAuthenticated());
        QVERIFY(!vm.isPinLocked());
    }

    void actionsNeedThePin()
    {
        KioskFixture f;
        ProctorViewModel vm(f.services.get());
        vm.select(1001);
        QVERIFY(!vm.manualCheckIn(QStringLiteral("准考证遗失")));
        QVERIFY(vm.messageIsError());
        QVERIFY(!vm.closeSession(QStringLiteral("王老师")));
        QCOMPARE(f.services->store()->events().size(), std::size_t(0));
    }

    void rosterAndSearch()
    {
        Session s;
        auto &vm = s.vm;
        QCOMPARE(vm.sessionId(), 10);
        QCOMPARE(vm.sessionTitle(), QStringLiteral("Web前端开发（中级）"));
        QCOMPARE(vm.sessions().size(), 3);
        auto *roster = vm.roster();
        QCOMPARE(roster->rowCount(), 4); // room 01 only: 王五 sits in room 02
        QCOMPARE(roster->data(roster->index(0), RosterModel::NameRole).toString(), QStringLiteral("张三丰"));
        QCOMPARE(roster->data(roster->index(0), RosterModel::MaskedIdRole).toString(), QStringLiteral("3501**********1234"));
        QCOMPARE(roster->data(roster->index(0), RosterModel::StatusTextRole).toString(), QStringLiteral("未签到"));
        QVERIFY(roster->roleNames().contains(RosterModel::StatusKeyRole));

        roster->setFilter(QStringLiteral("欧阳"));
        QCOMPARE(roster->rowCount(), 1);
        QCOMPARE(roster->data(roster->index(0), RosterModel::RegistrationIdRole).toLongLong(), 1002);
        roster->setFilter(QStringLiteral("2026100103"));
        QCOMPARE(roster->rowCount(), 1);
        roster->setFilter(QStringLiteral("5678")); // last four of the ID number
        QCOMPARE(roster->rowCount(), 1);
        QCOMPARE(roster->data(roster->index(0), RosterModel::NameRole).toString(), QStringLiteral("李四"));
        roster->setFilter(QStringLiteral("03")); // a seat (or the end of a ticket number)
        QCOMPARE(roster->rowCount(), 1);
        QCOMPARE(roster->data(roster->index(0), RosterModel::NameRole).toString(), QStringLiteral("林则徐"));
        roster->setFilter(QStringLiteral("没有这个人"));
        QCOMPARE(roster->rowCount(), 0);
        roster->setFilter(QString());
        QCOMPARE(roster->rowCount(), 4);

        vm.setSessionId(20);
        QCOMPARE(roster->rowCount(), 1);
        QCOMPARE(vm.expected(), 1);
    }

    void countsFollowScans()
    {
        Session s;
        CheckInViewModel checkIn(s.f.services.get());
        QSignalSpy counts(&s.vm, &ProctorViewModel::countsChanged);
        QSignalSpy rows(s.vm.roster(), &QAbstractItemModel::dataChanged);
        QCOMPARE(s.vm.expected(), 4);
        QCOMPARE(s.vm.notYet(), 4);
        checkIn.submitScan(QString::fromUtf8(s.f.ticket(QStringLiteral("2026100101"), 10)));
        QCOMPARE(checkIn.resultCode(), QStringLiteral("checked_in"));
        QVERIFY(counts.count() >= 1);
        QVERIFY(rows.count() >= 1);
        QCOMPARE(s.vm.checkedIn(), 1);
        QCOMPARE(s.vm.notYet(), 3);
        QCOMPARE(statusOf(s.vm, 1001), QStringLiteral("checked_in"));
        QCOMPARE(s.vm.roster()->data(s.vm.roster()->index(0), RosterModel::StatusTextRole).toString(),
                 QStringLiteral("已签到 09:05"));
    }

    void manualCheckIn()
    {
        Session s;
        QVERIFY(!s.vm.manualCheckIn(QStringLiteral("准考证遗失"))); // nobody selected
        QCOMPARE(s.vm.message(), QStringLiteral("请先在名单中选择考生"));
        s.vm.select(1002);
        QCOMPARE(s.vm.selectedName(), QStringLiteral("欧阳娜娜"));
        QVERIFY(!s.vm.manualCheckIn(QString())); // the reason is kept: it is required
        QVERIFY(s.vm.messageIsError());
        QVERIFY(s.vm.manualCheckIn(QStringLiteral("准考证遗失")));
        QVERIFY(!s.vm.messageIsError());
        QCOMPARE(statusOf(s.vm, 1002), QStringLiteral("checked_in"));
        QCOMPARE(s.vm.selectedStatusKey(), QStringLiteral("checked_in"));
        QCOMPARE(s.vm.checkedIn(), 1);
        const auto &e = s.f.services->store()->events().back();
        QCOMPARE(e.kind, EventKind::CheckIn);
        QCOMPARE(e.method, CheckInMethod::Manual);
        QCOMPARE(e.reason, QStringLiteral("准考证遗失"));
        // A second time is refused in words.
        QVERIFY(!s.vm.manualCheckIn(QStringLiteral("准考证遗失")));
        QVERIFY(s.vm.message().contains(QStringLiteral("已于")));
    }

    void annul()
    {
        Session s;
        s.vm.select(1001);
        QVERIFY(!s.vm.annul(QStringLiteral("误签到"))); // nothing to undo
        QVERIFY(s.vm.manualCheckIn(QStringLiteral("二维码无法识别")));
        QVERIFY(!s.vm.annul(QString()));
        QVERIFY(s.vm.annul(QStringLiteral("误签到")));
        QCOMPARE(statusOf(s.vm, 1001), QStringLiteral("not_yet"));
        QCOMPARE(s.vm.checkedIn(), 0);
        QCOMPARE(s.f.services->store()->events().back().kind, EventKind::Annul);
        QCOMPARE(s.f.services->store()->events().back().reason, QStringLiteral("误签到"));
    }

    void markLate()
    {
        Session s;
        s.vm.select(1003);
        QVERIFY(!s.vm.markLate()); // must be checked in first
        QVERIFY(s.vm.manualCheckIn(QStringLiteral("准考证遗失")));
        QVERIFY(s.vm.markLate());
        QCOMPARE(statusOf(s.vm, 1003), QStringLiteral("late"));
        QCOMPARE(s.vm.late(), 1);
        QCOMPARE(s.vm.checkedIn(), 1);
    }

    void markAbsentAndExcused()
    {
        Session s;
        s.vm.select(1003);
        QVERIFY(s.vm.markAbsent());
        QCOMPARE(statusOf(s.vm, 1003), QStringLiteral("absent"));
        QCOMPARE(s.vm.absent(), 1);
        s.vm.select(1004);
        QVERIFY(!s.vm.markExcused(QString()));
        QVERIFY(s.vm.markExcused(QStringLiteral("病假")));
        QCOMPARE(statusOf(s.vm, 1004), QStringLiteral("excused"));
        QCOMPARE(s.vm.excused(), 1);
        QCOMPARE(s.vm.notYet(), 2);
    }

    void incident()
    {
        Session s;
        QCOMPARE(s.vm.incidentCategories().size(), 5);
        QCOMPARE(s.vm.incidentCategories().at(3).toMap().value(QStringLiteral("label")).toString(),
                 QStringLiteral("停电/断网"));
        s.vm.select(1001);
        QVERIFY(!s.vm.incident(9, QString()));
        QVERIFY(!s.vm.incident(ProctorViewModel::OtherIncident, QString())); // 其他 needs a note
        QVERIFY(s.vm.incident(ProctorViewModel::Misconduct, QStringLiteral("携带手机")));
        QVERIFY(s.vm.incident(ProctorViewModel::PowerOrNetwork, QString()));
        const auto &e = s.f.services->store()->events().back();
        QCOMPARE(e.kind, EventKind::Incident);
        QCOMPARE(e.incident, IncidentCategory::PowerOrNetwork);
        auto *roster = s.vm.roster();
        QCOMPARE(roster->data(roster->index(roster->rowOf(1001)), RosterModel::IncidentsRole).toInt(), 2);
    }

    void result()
    {
        Session s;
        s.vm.select(1001);
        QVERIFY(!s.vm.result(true, QString())); // has not sat
        QVERIFY(s.vm.manualCheckIn(QStringLiteral("准考证遗失")));
        QVERIFY(!s.vm.result(true, QStringLiteral("abc")));
        QVERIFY(!s.vm.result(true, QStringLiteral("101")));
        QVERIFY(s.vm.result(true, QStringLiteral("86")));
        QCOMPARE(s.vm.selectedResult(), QStringLiteral("通过 86"));
        s.vm.select(1002);
        QVERIFY(s.vm.manualCheckIn(QStringLiteral("准考证遗失")));
        QVERIFY(s.vm.result(false, QString()));
        QCOMPARE(s.vm.selectedResult(), QStringLiteral("未通过"));
        const auto &e = s.f.services->store()->events().back();
        QCOMPARE(e.outcome, Outcome::Fail);
        QVERIFY(!e.score);
    }

    void participation_data()
    {
        QTest::addColumn<int>("attended");
        QTest::addColumn<QString>("rate");
        QTest::addColumn<bool>("below");
        QTest::addColumn<QString>("verdict");
        // Published 10: 2 is below 30%, exactly 3 is not (3 * 10 == 10 * 3).
        QTest::newRow("2 of 10") << 2 << "20.0%" << true << "low";
        QTest::newRow("3 of 10") << 3 << "30.0%" << false << "ok";
        QTest::newRow("4 of 10") << 4 << "40.0%" << false << "ok";
    }

    void participation()
    {
        QFETCH(int, attended);
        QFETCH(QString, rate);
        QFETCH(bool, below);
        QFETCH(QString, verdict);
        Session s;
        for (int i = 0; i < attended; ++i) {
            s.vm.select(1001 + i);
            QVERIFY(s.vm.manualCheckIn(QStringLiteral("准考证遗失")));
        }
        QCOMPARE(s.vm.published(), 10);
        QCOMPARE(s.vm.property("attended").toInt(), attended);
        QCOMPARE(s.vm.participationText(), rate);
        QCOMPARE(s.vm.isBelowThirtyPercent(), below);
        QCOMPARE(s.vm.participationVerdictKey(), verdict);
        QCOMPARE(s.vm.participationWarning().isEmpty(), !below);
        if (below)
            QVERIFY(s.vm.participationWarning().contains(QStringLiteral("第七条(五)")));
    }

    void noPublishedCount()
    {
        Session s;
        s.vm.setSessionId(30);
        QCOMPARE(s.vm.published(), -1);
        QCOMPARE(s.vm.publishedText(), QStringLiteral("未公布"));
        QCOMPARE(s.vm.participationVerdictKey(), QStringLiteral("no_published"));
        QVERIFY(!s.vm.isBelowThirtyPercent());
        QVERIFY(s.vm.participationWarning().contains(QStringLiteral("未公布考试人数")));
    }

    void closeSession()
    {
        Session s;
        s.vm.select(1001);
        QVERIFY(s.vm.manualCheckIn(QStringLiteral("准考证遗失")));
        QVERIFY(!s.vm.closeSession(QStringLiteral("  "))); // a signature is required
        QVERIFY(!s.vm.isSessionClosed());
        QSignalSpy sessions(&s.vm, &ProctorViewModel::sessionsChanged);
        QVERIFY(s.vm.closeSession(QStringLiteral("王老师")));
        QVERIFY(s.vm.isSessionClosed());
        QCOMPARE(s.vm.sessionId(), 10); // the sign-off stays in view
        QVERIFY2(s.vm.message().contains(QStringLiteral("王老师")) && s.vm.message().contains(QStringLiteral("实到 1 人"))
                     && s.vm.message().contains(QStringLiteral("公布 10 人")) && s.vm.message().contains(QStringLiteral("10.0%")),
                 qPrintable(s.vm.message()));
        QVERIFY(sessions.count() >= 1);
        QVERIFY(s.vm.sessions().at(0).toMap().value(QStringLiteral("closed")).toBool());
        QVERIFY(s.f.services->store()->isSessionClosed(10));
        QVERIFY(!s.vm.closeSession(QStringLiteral("王老师"))); // once
    }

    void lockKiosk()
    {
        Session s;
        s.vm.lockKiosk();
        QVERIFY(!s.vm.isAuthenticated());
        QVERIFY(!s.f.services->isUnlocked());
        QCOMPARE(s.vm.roster()->rowCount(), 0);
        QCOMPARE(s.vm.expected(), 0);
    }
};

QTEST_GUILESS_MAIN(TestProctorViewModel)
#include "tst_proctorviewmodel.moc"
