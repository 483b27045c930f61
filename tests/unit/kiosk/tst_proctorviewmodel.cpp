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
using namespace kaodian::protocol;
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
        explicit Session(const std::function<void(SessionPackage &)> &edit = {}) : f(edit) { QVERIFY(vm.enterPin(kPin)); }
    };

    // Session 10 wholly in room 01: 王五 (1005) moved over from room 02.
    static void wholeSessionInRoom01(SessionPackage &p)
    {
        for (auto &c : p.roster)
            if (c.registrationId == 1005)
                c.room = QStringLiteral("01");
    }

    // As the server makes it for room 01: that room's roster only, with the
    // session's totals across rooms when given (older packages have none).
    static std::function<void(SessionPackage &)> roomPackage(std::optional<int> registered, std::optional<int> rooms)
    {
        return [=](SessionPackage &p) {
            p.room = QStringLiteral("01");
            p.roster.removeIf([](const RosterCandidate &c) { return c.room != QLatin1String("01"); });
            for (auto &session : p.sessions)
                if (session.id == 10) {
                    session.registeredCount = registered;
                    session.roomCount = rooms;
                }
        };
    }

    static void checkIn(ProctorViewModel &vm, std::initializer_list<qint64> registrations)
    {
        for (qint64 reg : registrations) {
            vm.select(reg);
            QVERIFY2(vm.manualCheckIn(QStringLiteral("准考证遗失")), qPrintable(vm.message()));
        }
    }

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
        CheckInConflict c;
        c.sessionId = 10;
        c.registrationId = 1002;
        c.ticketNumber = QStringLiteral("2026100102");
        c.name = QStringLiteral("欧阳娜娜");
        c.checkIns = {CheckInConflict::CheckIn{QStringLiteral("KIOSK-T2"), QStringLiteral("02 门口"), examTime(8, 41), true, 0, QDateTime()},
                      CheckInConflict::CheckIn{QStringLiteral("KIOSK-T1"), QString(), examTime(8, 47), false, 0, QDateTime()}};
        CheckInConflict other = c;
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
        // The session is wholly in this room, so its 参考率 is judged here.
        Session s(wholeSessionInRoom01);
        QVERIFY(s.vm.isWholeSessionHere());
        QCOMPARE(s.vm.sessionRegistered(), 5);
        QCOMPARE(s.vm.sessionRooms(), 1);
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
        QVERIFY(s.vm.participationNote().isEmpty());
        QCOMPARE(s.vm.roomFiguresText(), QStringLiteral("第 01 考场：实到 %1 人 / 应到 5 人（%2.0%）").arg(attended).arg(attended * 20));
        QCOMPARE(s.vm.sessionFiguresText(),
                 QStringLiteral("全场次：本场考生都在本考场，实到 %1 人 / 公布考试人数 10 人　参考率 %2").arg(attended).arg(rate));
    }

    // Session 10 has four candidates in room 01 and one in room 02; the
    // package holds the whole site, so the kiosk sees both rooms. The door
    // signs off its room; 2 of 10 published would be below 30% for the
    // session, but room 02 counts too: the server judges, not this kiosk.
    void multiRoomSessionSignsOffItsRoom()
    {
        Session s;
        checkIn(s.vm, {1001, 1002});
        QCOMPARE(s.vm.expected(), 4);
        QCOMPARE(s.vm.property("attended").toInt(), 2);
        QCOMPARE(s.vm.sessionRegistered(), 5);
        QCOMPARE(s.vm.sessionRooms(), 2);
        QVERIFY(!s.vm.isWholeSessionHere());
        QCOMPARE(s.vm.room(), QStringLiteral("01"));
        QCOMPARE(s.vm.roomFiguresText(), QStringLiteral("第 01 考场：实到 2 人 / 应到 4 人（50.0%）"));
        QCOMPARE(s.vm.sessionFiguresText(), QStringLiteral("全场次：公布考试人数 10 人（共 2 个考场，报名 5 人）"));
        QCOMPARE(s.vm.participationVerdictKey(), QStringLiteral("server"));
        QVERIFY(!s.vm.isBelowThirtyPercent());
        QVERIFY(s.vm.participationWarning().isEmpty());
        QVERIFY2(s.vm.participationNote().contains(QStringLiteral("第七条(五)"))
                     && s.vm.participationNote().contains(QStringLiteral("服务器汇总所有考场")),
                 qPrintable(s.vm.participationNote()));
        QSignalSpy counts(&s.vm, &ProctorViewModel::countsChanged);
        checkIn(s.vm, {1003});
        QVERIFY(counts.count() >= 1);
        QCOMPARE(s.vm.roomFiguresText(), QStringLiteral("第 01 考场：实到 3 人 / 应到 4 人（75.0%）"));
        QVERIFY(s.vm.closeSession(QStringLiteral("王老师")));
        QVERIFY2(s.vm.message().contains(QStringLiteral("第 01 考场：实到 3 人 / 应到 4 人"))
                     && s.vm.message().contains(QStringLiteral("公布考试人数 10 人（共 2 个考场，报名 5 人）")),
                 qPrintable(s.vm.message()));
    }

    // A room's package from the server: the session's totals travel in it.
    void roomPackageCarriesTheSessionTotals()
    {
        Session s(roomPackage(5, 2));
        checkIn(s.vm, {1001});
        QCOMPARE(s.vm.expected(), 4);
        QCOMPARE(s.vm.sessionRegistered(), 5);
        QCOMPARE(s.vm.sessionRooms(), 2);
        QCOMPARE(s.vm.participationVerdictKey(), QStringLiteral("server"));
        QCOMPARE(s.vm.sessionFiguresText(), QStringLiteral("全场次：公布考试人数 10 人（共 2 个考场，报名 5 人）"));
        QVERIFY(!s.vm.participationNote().isEmpty());
        // They survive a restart: the store keeps them with the session.
        s.f.services->lock();
        QVERIFY(s.f.services->unlock(kPassphrase));
        QCOMPARE(s.f.services->store()->package().sessions.front().registeredCount, 5);
        QCOMPARE(s.f.services->store()->package().sessions.front().roomCount, 2);
    }

    // A single-room session in a room's package: judged here, exactly.
    void roomPackageOfASingleRoomSession()
    {
        Session s(roomPackage(4, 1));
        checkIn(s.vm, {1001, 1002});
        QVERIFY(s.vm.isWholeSessionHere());
        QCOMPARE(s.vm.participationVerdictKey(), QStringLiteral("low")); // 2 * 10 < 10 * 3
        QVERIFY(s.vm.isBelowThirtyPercent());
        QVERIFY(s.vm.participationWarning().contains(QStringLiteral("低于公布考试人数 10 人的 30%")));
        checkIn(s.vm, {1003});
        QCOMPARE(s.vm.participationVerdictKey(), QStringLiteral("ok")); // exactly 30% is not below
        QVERIFY(!s.vm.isBelowThirtyPercent());
    }

    // A package made before the totals were added: the kiosk cannot know
    // the other rooms, says so, and leaves the verdict to the server.
    void olderRoomPackageWithoutTotals()
    {
        Session s(roomPackage(std::nullopt, std::nullopt));
        checkIn(s.vm, {1001});
        QCOMPARE(s.vm.sessionRegistered(), -1);
        QCOMPARE(s.vm.sessionRooms(), -1);
        QVERIFY(!s.vm.isWholeSessionHere());
        QCOMPARE(s.vm.participationVerdictKey(), QStringLiteral("server"));
        QVERIFY(!s.vm.isBelowThirtyPercent());
        QCOMPARE(s.vm.sessionFiguresText(), QStringLiteral("全场次：公布考试人数 10 人（其他考场的人数本机未知）"));
        QVERIFY(!s.vm.participationNote().isEmpty());
    }

    // The sign-off is in the store: a kiosk restarted after the close (new
    // services over the same encrypted file, unlocked with the passphrase)
    // opens proctor mode on the closed session with the same sign-off, and
    // no event is lost or doubled.
    void signOffSurvivesARestart()
    {
        KioskFixture f;
        std::size_t events = 0;
        {
            ProctorViewModel vm(f.services.get());
            QVERIFY(vm.enterPin(kPin));
            checkIn(vm, {1001, 1002});
            vm.select(1003);
            QVERIFY(vm.markAbsent());
            f.now = examTime(11, 20);
            QVERIFY(vm.closeSession(QStringLiteral("王老师")));
            QCOMPARE(vm.signedBy(), QStringLiteral("王老师"));
            QCOMPARE(vm.signOffText(), QStringLiteral("本场已于 6月13日 11:20 结束签到，由 王老师 签字确认"));
            events = f.services->store()->events().size();
            QCOMPARE(events, std::size_t(4)); // two check-ins, the absence, the sign-off
        }
        f.services.reset(); // the kiosk is switched off
        f.now = examTime(11, 40);

        KioskServices restarted(f.paths(), [&f] { return f.now; });
        QVERIFY(!restarted.isUnlocked());
        QVERIFY(restarted.unlock(kPassphrase));
        ProctorViewModel vm(&restarted);
        QVERIFY(vm.enterPin(kPin));
        QCOMPARE(vm.sessionId(), 10); // not the afternoon's session, whose check-in opens at 13:00
        QVERIFY(vm.isSessionClosed());
        QCOMPARE(vm.signedBy(), QStringLiteral("王老师"));
        QCOMPARE(vm.signOffText(), QStringLiteral("本场已于 6月13日 11:20 结束签到，由 王老师 签字确认"));
        QCOMPARE(vm.property("attended").toInt(), 2);
        QCOMPARE(vm.absent(), 1);
        QCOMPARE(vm.roomFiguresText(), QStringLiteral("第 01 考场：实到 2 人 / 应到 4 人（50.0%）"));
        QVERIFY(vm.sessions().at(0).toMap().value(QStringLiteral("closed")).toBool());
        QCOMPARE(restarted.store()->events().size(), events);
        QVERIFY(!vm.closeSession(QStringLiteral("李老师"))); // signed once
        QCOMPARE(vm.signedBy(), QStringLiteral("王老师"));
        // The door refuses the closed session's tickets and records nothing.
        CheckInViewModel door(&restarted);
        door.submitScan(QString::fromUtf8(f.ticket(QStringLiteral("2026100103"), 10)));
        QCOMPARE(door.resultCode(), QStringLiteral("session_closed"));
        QCOMPARE(restarted.store()->events().size(), events);

        // Once the afternoon's check-in opens, proctor mode opens on it.
        restarted.lock();
        f.now = examTime(13, 5);
        QVERIFY(restarted.unlock(kPassphrase));
        ProctorViewModel later(&restarted);
        QVERIFY(later.enterPin(kPin));
        QCOMPARE(later.sessionId(), 20);
        QVERIFY(!later.isSessionClosed());
        QVERIFY(later.signOffText().isEmpty());
        later.setSessionId(10);
        QCOMPARE(later.signedBy(), QStringLiteral("王老师"));
    }

    // The service announces events and sign-offs: what another screen (or
    // the door) stores reaches the roster, the counts and the session list.
    void followsTheServiceUnasked()
    {
        Session s;
        QSignalSpy counts(&s.vm, &ProctorViewModel::countsChanged);
        QVERIFY(s.f.services->checkIn()->manualCheckIn(1003, QStringLiteral("准考证遗失")).ok());
        QVERIFY(counts.count() >= 1);
        QCOMPARE(statusOf(s.vm, 1003), QStringLiteral("checked_in"));
        QCOMPARE(s.vm.property("attended").toInt(), 1);
        QVERIFY(s.f.services->checkIn()->closeSession(10, QStringLiteral("王老师")).ok());
        QVERIFY(s.vm.sessions().at(0).toMap().value(QStringLiteral("closed")).toBool());
        QVERIFY(s.vm.isSessionClosed());
    }

    // Refusals are the proctor's words, made here from the service's codes.
    void refusalsInWords()
    {
        Session s;
        s.vm.select(1001);
        QVERIFY(!s.vm.manualCheckIn(QStringLiteral("  ")));
        QCOMPARE(s.vm.message(), QStringLiteral("手工签到须填写原因（如：准考证遗失）"));
        QVERIFY(!s.vm.markLate());
        QCOMPARE(s.vm.message(), QStringLiteral("考生须先签到才能标记迟到"));
        QVERIFY(s.vm.manualCheckIn(QStringLiteral("准考证遗失")));
        QVERIFY(!s.vm.manualCheckIn(QStringLiteral("准考证遗失")));
        QCOMPARE(s.vm.message(), QStringLiteral("该考生已于 09:05 签到"));
        QVERIFY(!s.vm.annul(QString()));
        QCOMPARE(s.vm.message(), QStringLiteral("撤销签到须填写原因"));
        QVERIFY(!s.vm.result(true, QStringLiteral("101")));
        QVERIFY(s.vm.messageIsError());
        QVERIFY(!s.vm.closeSession(QString()));
        QCOMPARE(s.vm.message(), QStringLiteral("请填写签字人姓名"));
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
        QSignalSpy session(&s.vm, &ProctorViewModel::sessionChanged);
        QVERIFY(s.vm.signOffText().isEmpty());
        QVERIFY(s.vm.closeSession(QStringLiteral("王老师")));
        QVERIFY(s.vm.isSessionClosed());
        QVERIFY(session.count() >= 1);
        QCOMPARE(s.vm.sessionId(), 10); // the sign-off stays in view
        QCOMPARE(s.vm.signedBy(), QStringLiteral("王老师"));
        QVERIFY(s.vm.signOffText().contains(QStringLiteral("王老师")));
        QVERIFY2(s.vm.message().contains(QStringLiteral("王老师")) && s.vm.message().contains(QStringLiteral("实到 1 人"))
                     && s.vm.message().contains(QStringLiteral("公布考试人数 10 人")) && s.vm.message().contains(QStringLiteral("25.0%")),
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
