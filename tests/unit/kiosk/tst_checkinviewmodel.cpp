// CheckInViewModel over a real store: every outcome of a scan as the card
// shows it, the return to ready, and the counts of the ready screen.

#include "checkinviewmodel.h"
#include "kioskfixture.h"

#include <QSignalSpy>
#include <QTest>

using namespace kaodian;
using namespace kaodian::kiosk;
using namespace kaodian::kiosk::test;

class TestCheckInViewModel : public QObject
{
    Q_OBJECT

    static void scan(CheckInViewModel &vm, const QByteArray &text) { vm.submitScan(QString::fromUtf8(text)); }

private Q_SLOTS:
    void readyAtStart()
    {
        KioskFixture f;
        CheckInViewModel vm(f.services.get());
        QCOMPARE(vm.state(), CheckInViewModel::Ready);
        QCOMPARE(vm.tone(), QStringLiteral("ready"));
        QVERIFY(vm.hasSession());
        QCOMPARE(vm.currentSessionTitle(), QStringLiteral("Web前端开发（中级）"));
        QCOMPARE(vm.currentSessionTime(), QStringLiteral("09:00–11:00"));
        QCOMPARE(vm.kioskRoom(), QStringLiteral("01"));
        QCOMPARE(vm.expectedCount(), 4);
        QCOMPARE(vm.checkedInCount(), 0);
        QCOMPARE(vm.resetDelay(), 2500); // back to ready within 2–3 s
    }

    void successCard()
    {
        KioskFixture f;
        CheckInViewModel vm(f.services.get());
        QSignalSpy card(&vm, &CheckInViewModel::cardChanged);
        QSignalSpy status(&vm, &CheckInViewModel::statusChanged);
        scan(vm, f.ticket(QStringLiteral("2026100101"), 10) + "\r\n");
        QCOMPARE(vm.state(), CheckInViewModel::Success);
        QCOMPARE(vm.resultCode(), QStringLiteral("checked_in"));
        QCOMPARE(vm.tone(), QStringLiteral("success"));
        QCOMPARE(vm.headline(), QStringLiteral("签到成功"));
        QCOMPARE(vm.name(), QStringLiteral("张三丰"));
        QCOMPARE(vm.maskedId(), QStringLiteral("3501**********1234"));
        QCOMPARE(vm.room(), QStringLiteral("01"));
        QCOMPARE(vm.seat(), QStringLiteral("01"));
        QCOMPARE(vm.sessionTitle(), QStringLiteral("Web前端开发（中级）"));
        QVERIFY(vm.detail().contains(QStringLiteral("01 号座位")));
        QVERIFY(card.count() >= 1);
        QVERIFY(status.count() >= 1);
        QCOMPARE(vm.checkedInCount(), 1);
        // Durable: the event is in the store.
        QCOMPARE(f.services->store()->events().size(), std::size_t(1));
    }

    void returnsToReady()
    {
        KioskFixture f;
        CheckInViewModel vm(f.services.get());
        vm.setResetDelay(50);
        scan(vm, f.ticket(QStringLiteral("2026100101"), 10));
        QCOMPARE(vm.state(), CheckInViewModel::Success);
        QTRY_COMPARE_WITH_TIMEOUT(vm.state(), CheckInViewModel::Ready, 2000);
        QVERIFY(vm.name().isEmpty());
        QVERIFY(vm.resultCode().isEmpty());
        QCOMPARE(vm.tone(), QStringLiteral("ready"));
    }

    void defaultDelayIsTwoAndAHalfSeconds()
    {
        KioskFixture f;
        CheckInViewModel vm(f.services.get());
        QElapsedTimer t;
        t.start();
        scan(vm, "nonsense");
        QCOMPARE(vm.state(), CheckInViewModel::Refused);
        QTRY_COMPARE_WITH_TIMEOUT(vm.state(), CheckInViewModel::Ready, 4000);
        QVERIFY2(t.elapsed() >= 2000 && t.elapsed() < 3200, qPrintable(QString::number(t.elapsed())));
    }

    void lateCheckIn()
    {
        KioskFixture f;
        f.now = examTime(9, 20); // start 09:00 + 15 minutes
        CheckInViewModel vm(f.services.get());
        scan(vm, f.ticket(QStringLiteral("2026100102"), 10));
        QCOMPARE(vm.state(), CheckInViewModel::Success);
        QCOMPARE(vm.resultCode(), QStringLiteral("checked_in_late"));
        QCOMPARE(vm.tone(), QStringLiteral("late"));
        QCOMPARE(vm.headline(), QStringLiteral("签到成功（迟到）"));
        QVERIFY(vm.detail().contains(QStringLiteral("迟到")));
    }

    void badTicket_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("error");
        QTest::newRow("empty") << QByteArray() << "empty";
        QTest::newRow("not a ticket") << QByteArray("https://example.com/x") << "not_a_ticket";
        QTest::newRow("too long") << QByteArray(300, 'A') << "too_long";
        QTest::newRow("truncated") << QByteArray("KD1.AAAA") << "truncated";
    }

    void badTicket()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, error);
        KioskFixture f;
        CheckInViewModel vm(f.services.get());
        scan(vm, text);
        QCOMPARE(vm.state(), CheckInViewModel::Refused);
        QCOMPARE(vm.resultCode(), QStringLiteral("bad_ticket"));
        QCOMPARE(vm.ticketError(), error);
        QCOMPARE(vm.tone(), QStringLiteral("danger"));
        QCOMPARE(vm.headline(), QStringLiteral("准考证无效"));
        QVERIFY(!vm.detail().isEmpty());
        QVERIFY(vm.name().isEmpty());
        QCOMPARE(vm.checkedInCount(), 0);
    }

    void forgedTicket()
    {
        KioskFixture f;
        CheckInViewModel vm(f.services.get());
        QByteArray forged = f.ticket(QStringLiteral("2026100101"), 10);
        const qsizetype at = forged.size() - 10; // inside the signature
        forged[at] = forged[at] == 'A' ? 'B' : 'A';
        scan(vm, forged);
        QCOMPARE(vm.resultCode(), QStringLiteral("bad_ticket"));
        QCOMPARE(vm.ticketError(), QStringLiteral("bad_signature"));
        QVERIFY(vm.detail().contains(QStringLiteral("伪造")));
        QCOMPARE(vm.tone(), QStringLiteral("danger"));
    }

    void unknownKey()
    {
        KioskFixture f;
        CheckInViewModel vm(f.services.get());
        scan(vm, f.ticket(QStringLiteral("2026100101"), 10, 1, &f.stranger));
        QCOMPARE(vm.resultCode(), QStringLiteral("bad_ticket"));
        QCOMPARE(vm.ticketError(), QStringLiteral("unknown_key"));
        QVERIFY(vm.detail().contains(QStringLiteral("不是本考点签发")));
    }

    void revoked()
    {
        KioskFixture f;
        CheckInViewModel vm(f.services.get());
        scan(vm, f.ticket(QStringLiteral("2026100104"), 10, 1));
        QCOMPARE(vm.state(), CheckInViewModel::Refused);
        QCOMPARE(vm.resultCode(), QStringLiteral("revoked"));
        QCOMPARE(vm.headline(), QStringLiteral("准考证已作废"));
        QVERIFY(vm.detail().contains(QStringLiteral("6月12日 16:30")));
        QCOMPARE(vm.tone(), QStringLiteral("danger"));
        // The re-issued ticket is good.
        scan(vm, f.ticket(QStringLiteral("2026100104"), 10, 2));
        QCOMPARE(vm.resultCode(), QStringLiteral("checked_in"));
        QCOMPARE(vm.name(), QStringLiteral("李四"));
    }

    // The office withdrew the registration (退考): said as such, not as a
    // replaced ticket.
    void withdrawn()
    {
        KioskFixture f([](SessionPackage &p) {
            p.roster.removeIf([](const RosterCandidate &c) { return c.ticketNumber == QLatin1String("2026100103"); });
            p.revocations.push_back({QStringLiteral("2026100103"), 1, examTime(8, 0, -1), true});
        });
        CheckInViewModel vm(f.services.get());
        scan(vm, f.ticket(QStringLiteral("2026100103"), 10, 1));
        QCOMPARE(vm.state(), CheckInViewModel::Refused);
        QCOMPARE(vm.resultCode(), QStringLiteral("withdrawn"));
        QCOMPARE(vm.headline(), QStringLiteral("已退考"));
        QVERIFY(vm.detail().contains(QStringLiteral("已退考")));
        QCOMPARE(vm.tone(), QStringLiteral("danger"));
    }

    void notOnRoster()
    {
        KioskFixture f;
        CheckInViewModel vm(f.services.get());
        scan(vm, f.ticket(QStringLiteral("2026999999"), 10));
        QCOMPARE(vm.resultCode(), QStringLiteral("not_on_roster"));
        QCOMPARE(vm.headline(), QStringLiteral("不在本考场名单"));
        QCOMPARE(vm.tone(), QStringLiteral("danger"));
    }

    void otherSession()
    {
        KioskFixture f;
        CheckInViewModel vm(f.services.get());
        scan(vm, f.ticket(QStringLiteral("2026200101"), 20));
        QCOMPARE(vm.resultCode(), QStringLiteral("other_session"));
        QCOMPARE(vm.tone(), QStringLiteral("warning"));
        QCOMPARE(vm.name(), QStringLiteral("赵六"));
        QVERIFY2(vm.detail().contains(QStringLiteral("14:00")) && vm.detail().contains(QStringLiteral("大数据应用开发")),
                 qPrintable(vm.detail()));
    }

    void otherRoom()
    {
        KioskFixture f;
        CheckInViewModel vm(f.services.get());
        scan(vm, f.ticket(QStringLiteral("2026100201"), 10));
        QCOMPARE(vm.resultCode(), QStringLiteral("other_room"));
        QCOMPARE(vm.headline(), QStringLiteral("请到其他考场"));
        QVERIFY2(vm.detail().contains(QStringLiteral("第 02 考场")), qPrintable(vm.detail()));
        QCOMPARE(vm.tone(), QStringLiteral("warning"));
    }

    void otherDay()
    {
        KioskFixture f;
        CheckInViewModel vm(f.services.get());
        scan(vm, f.ticket(QStringLiteral("2026300101"), 30));
        QCOMPARE(vm.resultCode(), QStringLiteral("other_day"));
        QVERIFY2(vm.detail().contains(QStringLiteral("6月14日")), qPrintable(vm.detail()));
        QCOMPARE(vm.tone(), QStringLiteral("warning"));
    }

    void alreadyCheckedIn()
    {
        KioskFixture f;
        CheckInViewModel vm(f.services.get());
        const QByteArray t = f.ticket(QStringLiteral("2026100101"), 10);
        scan(vm, t);
        QCOMPARE(vm.resultCode(), QStringLiteral("checked_in"));
        f.now = examTime(9, 7);
        scan(vm, t);
        QCOMPARE(vm.state(), CheckInViewModel::Refused);
        QCOMPARE(vm.resultCode(), QStringLiteral("already_checked_in"));
        QCOMPARE(vm.headline(), QStringLiteral("已经签到"));
        QVERIFY2(vm.detail().contains(QStringLiteral("09:05")) && vm.detail().contains(QStringLiteral("本机")),
                 qPrintable(vm.detail()));
        QCOMPARE(vm.name(), QStringLiteral("张三丰"));
        QCOMPARE(vm.checkedInCount(), 1);
        QCOMPARE(f.services->store()->events().size(), std::size_t(1));
    }

    void notOpenYet()
    {
        KioskFixture f;
        f.now = examTime(7, 30); // opens 08:00
        CheckInViewModel vm(f.services.get());
        scan(vm, f.ticket(QStringLiteral("2026100101"), 10));
        QCOMPARE(vm.resultCode(), QStringLiteral("not_open_yet"));
        QCOMPARE(vm.headline(), QStringLiteral("签到尚未开始"));
        QVERIFY2(vm.detail().contains(QStringLiteral("08:00")), qPrintable(vm.detail()));
        QCOMPARE(vm.tone(), QStringLiteral("warning"));
    }

    void sessionClosed()
    {
        KioskFixture f;
        CheckInViewModel vm(f.services.get());
        QVERIFY(f.services->checkIn()->closeSession(10, QStringLiteral("王老师")).ok());
        QVERIFY(f.services->checkIn()->closeSession(20, QStringLiteral("王老师")).ok());
        QVERIFY(!vm.hasSession()); // the service announced the sign-offs: no call to make
        scan(vm, f.ticket(QStringLiteral("2026100102"), 10));
        QCOMPARE(vm.resultCode(), QStringLiteral("session_closed"));
        QCOMPARE(vm.headline(), QStringLiteral("本场签到已结束"));
        QCOMPARE(vm.tone(), QStringLiteral("danger"));
    }

    void storeFailure()
    {
        KioskFixture f;
        CheckInViewModel vm(f.services.get());
        // The disk "fails" on the next event.
        QVERIFY(f.services->store()->database().exec(QStringLiteral(
            "CREATE TRIGGER fail_insert BEFORE INSERT ON event BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;")));
        scan(vm, f.ticket(QStringLiteral("2026100103"), 10));
        QCOMPARE(vm.state(), CheckInViewModel::Refused);
        QCOMPARE(vm.resultCode(), QStringLiteral("store_failure"));
        QCOMPARE(vm.headline(), QStringLiteral("签到未能保存"));
        QVERIFY(vm.detail().contains(QStringLiteral("监考老师")));
        QCOMPARE(vm.tone(), QStringLiteral("danger"));
        QCOMPARE(vm.checkedInCount(), 0);
    }

    // The core announces what it stores: a check-in made through the service
    // (not through this screen) reaches the ready screen's counts unasked.
    void countsFollowEventsStoredElsewhere()
    {
        KioskFixture f;
        CheckInViewModel vm(f.services.get());
        QSignalSpy status(&vm, &CheckInViewModel::statusChanged);
        QVERIFY(f.services->checkIn()->manualCheckIn(1002, QStringLiteral("准考证遗失")).ok());
        QCOMPARE(vm.checkedInCount(), 1);
        QCOMPARE(status.count(), 1);
        QVERIFY(f.services->checkIn()->annul(1002, QStringLiteral("扫错考生")).ok());
        QCOMPARE(vm.checkedInCount(), 0);
    }

    // Every ticket error is named in words (the core only has the code).
    void everyTicketErrorHasWords()
    {
        const QString fallback = QStringLiteral("准考证无效，请联系监考老师");
        QSet<QString> words;
        for (int e = int(TicketError::Empty); e <= int(TicketError::Expired); ++e) {
            const QString text = CheckInViewModel::ticketErrorWords(static_cast<TicketError>(e));
            QVERIFY2(!text.isEmpty() && text != fallback, qPrintable(ticketErrorCode(static_cast<TicketError>(e))));
            words.insert(text);
        }
        // Too long and not a ticket say the same; so do the three damaged forms.
        QCOMPARE(words.size(), 8);
        QCOMPARE(CheckInViewModel::ticketErrorWords(TicketError::Expired), QStringLiteral("准考证已过期，请联系监考老师"));
    }

    void lockedIgnoresScans()
    {
        KioskFixture f;
        CheckInViewModel vm(f.services.get());
        f.services->lock();
        QVERIFY(!vm.hasSession());
        QCOMPARE(vm.expectedCount(), 0);
        vm.submitScan(QString::fromUtf8(f.ticket(QStringLiteral("2026100101"), 10)));
        QCOMPARE(vm.state(), CheckInViewModel::Ready);
    }

    void newScanReplacesCard()
    {
        KioskFixture f;
        CheckInViewModel vm(f.services.get());
        scan(vm, "nonsense");
        QCOMPARE(vm.state(), CheckInViewModel::Refused);
        scan(vm, f.ticket(QStringLiteral("2026100101"), 10));
        QCOMPARE(vm.state(), CheckInViewModel::Success);
        vm.reset();
        QCOMPARE(vm.state(), CheckInViewModel::Ready);
    }
};

QTEST_GUILESS_MAIN(TestCheckInViewModel)
#include "tst_checkinviewmodel.moc"
