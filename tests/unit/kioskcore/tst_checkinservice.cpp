// The kiosk core on a real SQLCipher store: every scan outcome, every
// proctor action, packages, the outbox, and what survives a reopen. The
// core speaks codes and facts; the words are the view models' (tests/unit/kiosk).

#include "kiosk/core/checkinservice.h"
#include "protocol/eventjson.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <sys/stat.h>

using namespace kaodian;
using namespace kaodian::kiosk;
using namespace kaodian::protocol;

namespace {

const QString kPass = QStringLiteral("考点口令");
const QTimeZone kCst(8 * 3600);

SigningKey testKey()
{
    return *SigningKey::fromRaw(QByteArray(32, '\x07'));
}

// Two sessions today in room 01 (09:00 and 14:00), one tomorrow; three candidates each.
SessionPackage makePackage()
{
    SessionPackage p;
    p.generatedAt = QDateTime(QDate(2026, 6, 1), QTime(0, 0), Qt::UTC);
    p.site = QStringLiteral("实训楼考点");
    p.room = QStringLiteral("01");
    p.sessions = {
        {1, QStringLiteral("Web前端开发（中级）"), p.site, QDate(2026, 6, 1), QTime(9, 0), QTime(11, 0), 4, 60, 15, std::nullopt, std::nullopt},
        {2, QStringLiteral("智能财税（中级）"), p.site, QDate(2026, 6, 1), QTime(14, 0), QTime(16, 0), std::nullopt, 60, 15, std::nullopt, std::nullopt},
        {3, QStringLiteral("物流管理（初级）"), p.site, QDate(2026, 6, 2), QTime(9, 0), QTime(11, 0), 10, 60, 15, std::nullopt, std::nullopt},
    };
    int reg = 100;
    for (Id s : {1, 2, 3})
        for (int i = 1; i <= 3; ++i) {
            ++reg;
            p.roster.push_back({reg, s, QStringLiteral("T%1").arg(reg), QStringLiteral("考生%1").arg(reg),
                                maskIdNumber(QStringLiteral("3501022004010%1").arg(reg, 5, 10, QLatin1Char('0'))),
                                i == 3 ? QStringLiteral("02") : QStringLiteral("01"), QStringLiteral("%1").arg(i), 1, {}});
        }
    p.roster[1].ticketSerial = 2; // T102 was re-issued
    p.ticketKeys = {testKey().verifyKey().raw()};
    p.revocations = {{QStringLiteral("T102"), 1, QDateTime(QDate(2026, 5, 28), QTime(2, 0), Qt::UTC)}};
    return p;
}

QByteArray ticket(const QString &number, Id session, int serial = 1, const SigningKey &key = testKey())
{
    TicketClaims c;
    c.ticketNumber = number;
    c.sessionId = static_cast<std::uint32_t>(session);
    c.serial = static_cast<std::uint16_t>(serial);
    c.validFrom = QDateTime(QDate(2026, 5, 1), QTime(0, 0), Qt::UTC);
    c.validUntil = QDateTime(QDate(2026, 7, 1), QTime(0, 0), Qt::UTC);
    return *issueTicket(c, key);
}

} // namespace

class TestCheckInService : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    KioskPaths m_paths;
    std::optional<KioskStore> m_store;
    QDateTime m_now = QDateTime(QDate(2026, 6, 1), QTime(8, 40), kCst);

    std::unique_ptr<CheckInService> service()
    {
        return std::make_unique<CheckInService>(*m_store, [this] { return m_now; });
    }

private slots:
    void init()
    {
        m_paths = {m_dir.filePath(QStringLiteral("k%1").arg(QDateTime::currentMSecsSinceEpoch()))};
        auto s = KioskStore::create(m_paths, kPass, kMinKdfIterations);
        QVERIFY2(s.ok(), s.ok() ? "" : qPrintable(s.error().message));
        m_store.emplace(std::move(s).value());
        QVERIFY(m_store->setIdentity({QStringLiteral("K01"), QStringLiteral("实训楼考点"), QStringLiteral("01"),
                                      testKey().verifyKey().raw()})
                    .ok());
        QVERIFY(m_store->provision(makePackage()).ok());
        m_now = QDateTime(QDate(2026, 6, 1), QTime(8, 40), kCst);
    }
    void cleanup() { m_store.reset(); }

    void packagesAreSignedAndCheckedBeforeUse()
    {
        const QByteArray file = encodeSessionPackage(makePackage(), testKey());
        auto decoded = decodeSessionPackage(file, testKey().verifyKey());
        QVERIFY(decoded.ok());
        QCOMPARE(decoded->roster.size(), 9);
        QCOMPARE(decoded->sessions[1].publishedCount, std::nullopt);
        QCOMPARE(packageSigner(file)->raw(), testKey().verifyKey().raw());
        // Signed by someone else.
        const auto other = *SigningKey::fromRaw(QByteArray(32, '\x09'));
        QVERIFY(!decodeSessionPackage(encodeSessionPackage(makePackage(), other), testKey().verifyKey()).ok());
        // One changed character in the signed body.
        QByteArray tampered = file;
        const qsizetype at = tampered.indexOf("\"package\": \"") + 40;
        tampered[at] = tampered[at] == 'A' ? 'B' : 'A';
        auto r = decodeSessionPackage(tampered, testKey().verifyKey());
        QVERIFY(!r.ok());
        QVERIFY(!decodeSessionPackage("not json", testKey().verifyKey()).ok());
        // A package carries masked ID numbers only.
        for (const auto &c : decoded->roster)
            QVERIFY(c.maskedIdNumber.contains(QStringLiteral("**********")));
    }

    // registered_count and room_count: the session across every room. They
    // travel when known; a body without them (an older package) still reads.
    void sessionTotalsAreOptional()
    {
        SessionPackage p = makePackage();
        p.sessions[0].registeredCount = 7;
        p.sessions[0].roomCount = 2;
        auto decoded = decodeSessionPackage(encodeSessionPackage(p, testKey()), testKey().verifyKey());
        QVERIFY(decoded.ok());
        QCOMPARE(decoded->sessions[0].registeredCount, 7);
        QCOMPARE(decoded->sessions[0].roomCount, 2);
        QCOMPARE(decoded->sessions[1].registeredCount, std::nullopt);
        QCOMPARE(decoded->sessions[1].roomCount, std::nullopt);
        // The body as a kiosk of the first format received it: no such keys at all.
        const QByteArray older = encodeSessionPackage(makePackage(), testKey());
        const QJsonObject envelope = QJsonDocument::fromJson(older).object();
        const QByteArray body = QByteArray::fromBase64(envelope.value("package").toString().toLatin1());
        QVERIFY(!body.contains("registered_count"));
        QVERIFY(!body.contains("room_count"));
        QVERIFY(decodeSessionPackage(older, testKey().verifyKey()).ok());
        // Kept by the store with the session.
        QVERIFY(m_store->provision(p).ok());
        QCOMPARE(m_store->package().sessions[0].registeredCount, 7);
        auto svc = service();
        const SessionCounts counts = svc->counts(1);
        QCOMPARE(counts.expected, 2); // room 01's
        QCOMPARE(counts.sessionRegistered, 7);
        QCOMPARE(counts.sessionRooms, 2);
        QVERIFY(!counts.wholeSessionHere());
        QVERIFY(!svc->counts(2).sessionRegistered); // unknown: a room's package without totals
    }

    // counts() are kept event by event once asked for: after every kind of
    // event they equal a recount by a service built afresh over the store.
    void countsFollowEachEventAsARecountWould()
    {
        auto svc = service();
        auto same = [&](Id session) {
            const SessionCounts kept = svc->counts(session);
            const SessionCounts recount = CheckInService(*m_store, [this] { return m_now; }).counts(session);
            QCOMPARE(kept.expected, recount.expected);
            QCOMPARE(kept.checkedIn, recount.checkedIn);
            QCOMPARE(kept.late, recount.late);
            QCOMPARE(kept.notYet, recount.notYet);
            QCOMPARE(kept.absent, recount.absent);
            QCOMPARE(kept.excused, recount.excused);
        };
        QCOMPARE(svc->counts(1).notYet, 2);
        same(1);
        QVERIFY(svc->scan(ticket("T101", 1)).success());
        same(1);
        QCOMPARE(svc->counts(1).checkedIn, 1);
        QVERIFY(svc->markLate(101).ok());
        same(1);
        QCOMPARE(svc->counts(1).late, 1);
        QVERIFY(svc->annul(101, QStringLiteral("误签到")).ok());
        same(1);
        QCOMPARE(svc->counts(1).checkedIn, 0);
        QVERIFY(svc->markAbsent(102).ok());
        same(1);
        QVERIFY(svc->markExcused(101, QStringLiteral("病假")).ok());
        same(1);
        QVERIFY(svc->manualCheckIn(103, QStringLiteral("准考证遗失")).ok()); // room 02: not this door's count
        same(1);
        const SessionCounts c = svc->counts(1);
        QCOMPARE(c.absent + c.excused + c.notYet + c.checkedIn, c.expected);
        QCOMPARE(c.absent, 1);
        QCOMPARE(c.excused, 1);
    }

    // A store made before the session totals existed (schema 1) is migrated
    // at open: its sessions read with the totals unknown, its roster with no
    // excused reason, nothing else moves.
    void storeOfTheFirstSchemaIsMigrated()
    {
        QVERIFY(service()->scan(ticket("T101", 1)).success());
        QVERIFY(m_store->database()
                    .exec(QStringLiteral(
                        "CREATE TABLE exam_session_v1 (id INTEGER PRIMARY KEY, title TEXT NOT NULL, site TEXT NOT NULL,"
                        " exam_date TEXT NOT NULL, start_time TEXT NOT NULL, end_time TEXT NOT NULL, published_count INTEGER,"
                        " opens_minutes INTEGER NOT NULL, late_minutes INTEGER NOT NULL);"
                        " INSERT INTO exam_session_v1 SELECT id, title, site, exam_date, start_time, end_time,"
                        " published_count, opens_minutes, late_minutes FROM exam_session;"
                        " DROP TABLE exam_session; ALTER TABLE exam_session_v1 RENAME TO exam_session;"
                        // Schema 3's registration changes (excused_reason, withdrawn) undone too.
                        " CREATE TABLE roster_v1 (registration_id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL,"
                        " ticket_number TEXT NOT NULL UNIQUE, name TEXT NOT NULL, id_masked TEXT NOT NULL,"
                        " room TEXT NOT NULL, seat TEXT NOT NULL, ticket_serial INTEGER NOT NULL);"
                        " INSERT INTO roster_v1 SELECT registration_id, session_id, ticket_number, name, id_masked,"
                        " room, seat, ticket_serial FROM roster;"
                        " DROP TABLE roster; ALTER TABLE roster_v1 RENAME TO roster;"
                        " CREATE TABLE revocation_v1 (ticket_number TEXT NOT NULL, serial INTEGER NOT NULL,"
                        " replaced_at TEXT NOT NULL, PRIMARY KEY (ticket_number, serial));"
                        " INSERT INTO revocation_v1 SELECT ticket_number, serial, replaced_at FROM revocation;"
                        " DROP TABLE revocation; ALTER TABLE revocation_v1 RENAME TO revocation;"
                        // Schema 5's photos undone.
                        " DROP TABLE photo;"
                        // Schema 4's named proctors and room events (room, proctor, detail) undone too.
                        " PRAGMA foreign_keys = OFF;"
                        " CREATE TABLE event_v1 (event_id INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
                        " session_id INTEGER NOT NULL, registration_id INTEGER NOT NULL, device_time TEXT NOT NULL,"
                        " target_kiosk_id TEXT NOT NULL, target_event_id INTEGER NOT NULL, late INTEGER NOT NULL,"
                        " method INTEGER NOT NULL, incident INTEGER, outcome INTEGER, score INTEGER, reason TEXT NOT NULL);"
                        " INSERT INTO event_v1 SELECT event_id, kind, session_id, registration_id, device_time,"
                        " target_kiosk_id, target_event_id, late, method, incident, outcome, score, reason FROM event;"
                        " DROP TABLE event; ALTER TABLE event_v1 RENAME TO event;"
                        " CREATE TRIGGER event_no_update BEFORE UPDATE ON event BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
                        " CREATE TRIGGER event_no_delete BEFORE DELETE ON event BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
                        " DROP TABLE package_proctor; DROP TABLE proctor_pin;"
                        " PRAGMA foreign_keys = ON;"
                        " PRAGMA user_version = 1;"))
                    .ok());
        m_store.reset();
        auto reopened = KioskStore::open(m_paths, kPass);
        QVERIFY2(reopened.ok(), reopened.ok() ? "" : qPrintable(reopened.error().message));
        m_store.emplace(std::move(reopened).value());
        QCOMPARE(m_store->package().sessions.size(), 3);
        QCOMPARE(m_store->package().sessions[0].publishedCount, 4);
        QCOMPARE(m_store->package().sessions[0].registeredCount, std::nullopt);
        QCOMPARE(m_store->events().size(), std::size_t(1));
        QVERIFY(!m_store->package().roster.isEmpty());
        QVERIFY(m_store->package().roster[0].excusedReason.isEmpty());
        SessionPackage p = makePackage();
        p.sessions[0].registeredCount = 3;
        p.sessions[0].roomCount = 2;
        QVERIFY(m_store->provision(p).ok());
        QCOMPARE(m_store->package().sessions[0].roomCount, 2);
    }

    void scanChecksInOnTimeAndLate()
    {
        auto svc = service();
        auto ok = svc->scan(ticket("T101", 1) + "\r\n");
        QCOMPARE(ok.result, ScanResult::CheckedIn);
        QVERIFY(ok.success());
        QCOMPARE(scanResultCode(ok.result), QStringLiteral("checked_in"));
        QCOMPARE(ok.candidate->name, QStringLiteral("考生101"));
        QVERIFY(ok.candidate->maskedIdNumber.startsWith("3501"));
        QCOMPARE(ok.candidate->room, QStringLiteral("01"));
        QCOMPARE(ok.candidate->seat, QStringLiteral("1"));
        QCOMPARE(ok.sessionTitle, QStringLiteral("Web前端开发（中级）"));
        m_now = QDateTime(QDate(2026, 6, 1), QTime(9, 16), kCst); // 16 minutes after the start
        auto late = svc->scan(ticket("T102", 1, 2));
        QCOMPARE(late.result, ScanResult::CheckedInLate);
        QVERIFY(svc->state(102).late);
        const auto counts = svc->counts(1);
        QCOMPARE(counts.expected, 2); // the third is in room 02
        QCOMPARE(counts.checkedIn, 2);
        QCOMPARE(counts.late, 1);
        QCOMPARE(m_store->outboxSize(), 2);
    }

    void everyRefusalHasItsReason()
    {
        auto svc = service();
        // Forged: signed by another key.
        auto forged = svc->scan(ticket("T101", 1, 1, *SigningKey::fromRaw(QByteArray(32, '\x09'))));
        QCOMPARE(forged.result, ScanResult::BadTicket);
        QCOMPARE(forged.ticketError, TicketError::UnknownKey);
        QVERIFY(!forged.candidate); // nothing of anyone from a ticket not trusted
        // Damaged: a changed character.
        QByteArray damaged = ticket("T101", 1);
        damaged[20] = damaged[20] == 'A' ? 'B' : 'A';
        QCOMPARE(svc->scan(damaged).result, ScanResult::BadTicket);
        QCOMPARE(svc->scan("hello").ticketError, TicketError::NotATicket);
        // Revoked: the old serial of a re-issued ticket.
        auto revoked = svc->scan(ticket("T102", 1, 1));
        QCOMPARE(revoked.result, ScanResult::Revoked);
        QCOMPARE(revoked.replacedAt, QDateTime(QDate(2026, 5, 28), QTime(2, 0), Qt::UTC)); // 5月28日 10:00 exam time
        // Not on the roster.
        QCOMPARE(svc->scan(ticket("T999", 1)).result, ScanResult::NotOnRoster);
        // Another session today (14:00), while the 09:00 one is running.
        auto other = svc->scan(ticket("T104", 2));
        QCOMPARE(other.result, ScanResult::OtherSession);
        QVERIFY(other.session);
        QCOMPARE(other.session->id, 2);
        QCOMPARE(other.session->startTime, QTime(14, 0));
        // Another room.
        auto room = svc->scan(ticket("T103", 1));
        QCOMPARE(room.result, ScanResult::OtherRoom);
        QCOMPARE(room.candidate->room, QStringLiteral("02"));
        QCOMPARE(room.doorRoom, QStringLiteral("01"));
        // Another day.
        auto day = svc->scan(ticket("T107", 3));
        QCOMPARE(day.result, ScanResult::OtherDay);
        QCOMPARE(day.session->examDate, QDate(2026, 6, 2));
        // Session id in the ticket differs from the roster's.
        QCOMPARE(svc->scan(ticket("T101", 2)).result, ScanResult::OtherSession);
        // A ticket outside its validity window.
        TicketClaims old;
        old.ticketNumber = QStringLiteral("T101");
        old.sessionId = 1;
        old.validFrom = QDateTime(QDate(2026, 5, 1), QTime(0, 0), Qt::UTC);
        old.validUntil = QDateTime(QDate(2026, 5, 2), QTime(0, 0), Qt::UTC);
        auto expired = svc->scan(*issueTicket(old, testKey()));
        QCOMPARE(expired.result, ScanResult::BadTicket);
        QCOMPARE(expired.ticketError, TicketError::Expired);
        // Not open yet: 07:59 is before 08:00.
        m_now = QDateTime(QDate(2026, 6, 1), QTime(7, 59), kCst);
        auto early = svc->scan(ticket("T101", 1));
        QCOMPARE(early.result, ScanResult::NotOpenYet);
        QCOMPARE(early.opensAt, QDateTime(QDate(2026, 6, 1), QTime(8, 0), kCst));
        // Already checked in: when and where.
        m_now = QDateTime(QDate(2026, 6, 1), QTime(8, 30), kCst);
        QVERIFY(svc->scan(ticket("T101", 1)).success());
        m_now = m_now.addSecs(60);
        auto again = svc->scan(ticket("T101", 1));
        QCOMPARE(again.result, ScanResult::AlreadyCheckedIn);
        QCOMPARE(again.previousAt, QDateTime(QDate(2026, 6, 1), QTime(8, 30), kCst));
        QCOMPARE(again.previousKiosk, QStringLiteral("K01"));
        QVERIFY(again.previousHere);
        // Closed by the proctor.
        QVERIFY(svc->closeSession(1, QStringLiteral("王老师")).ok());
        // A latecomer to the closed session is told so, though the 14:00 one is now current.
        auto closed = svc->scan(ticket("T102", 1, 2));
        QCOMPARE(closed.result, ScanResult::SessionClosed);
        QCOMPARE(closed.session->id, 1);
        QCOMPARE(svc->currentSession()->id, 2);
        // Nothing but the one check-in and the sign-off was recorded.
        QCOMPARE(m_store->events().size(), std::size_t(2));
        QCOMPARE(m_store->events().back().kind, EventKind::SignOff);
    }

    void currentSessionIsThisRooms()
    {
        // A site-wide package whose earliest session today has no one in room 01.
        SessionPackage p = makePackage();
        p.sessions.push_front({9, QStringLiteral("物流管理（初级）"), p.site, QDate(2026, 6, 1), QTime(8, 0), QTime(10, 0),
                               5, 60, 15, std::nullopt, std::nullopt});
        p.roster.push_back({200, 9, QStringLiteral("T200"), QStringLiteral("别处考生"), QStringLiteral("3501**********0000"),
                            QStringLiteral("07"), QStringLiteral("1"), 1, {}});
        QVERIFY(m_store->provision(p).ok());
        auto svc = service();
        QCOMPARE(svc->currentSession()->id, 1);
        QVERIFY(svc->scan(ticket("T101", 1)).success());
        QCOMPARE(svc->scan(ticket("T200", 9)).result, ScanResult::OtherSession);
    }

    void proctorActions()
    {
        auto svc = service();
        auto refusal = [](const Status<ActionError> &s) {
            return s.ok() ? std::optional<ActionRefusal>() : s.error().refusal;
        };
        QCOMPARE(refusal(svc->manualCheckIn(101, QString())), ActionRefusal::ManualReasonRequired);
        QVERIFY(svc->manualCheckIn(101, QStringLiteral("准考证遗失")).ok());
        QCOMPARE(m_store->events().back().method, CheckInMethod::Manual);
        QCOMPARE(m_store->events().back().reason, QStringLiteral("准考证遗失"));
        const auto again = svc->manualCheckIn(101, QStringLiteral("again"));
        QCOMPARE(refusal(again), ActionRefusal::AlreadyCheckedIn);
        QCOMPARE(again.error().at, m_now.toUTC()); // when: a fact for the proctor's words
        // Undo it.
        QCOMPARE(refusal(svc->annul(101, QString())), ActionRefusal::AnnulReasonRequired);
        QVERIFY(svc->annul(101, QStringLiteral("扫错考生")).ok());
        QCOMPARE(svc->state(101).attendance, Attendance::NotCheckedIn);
        QCOMPARE(refusal(svc->annul(101, QStringLiteral("twice"))), ActionRefusal::NothingToAnnul);
        // Scan after the undo works again.
        QVERIFY(svc->scan(ticket("T101", 1)).success());
        QVERIFY(svc->markLate(101).ok());
        QVERIFY(svc->state(101).late);
        QCOMPARE(refusal(svc->markLate(102)), ActionRefusal::LateNeedsCheckIn); // not checked in
        QVERIFY(svc->markAbsent(102).ok());
        QCOMPARE(svc->state(102).attendance, Attendance::Absent);
        QCOMPARE(refusal(svc->markExcused(103, QString())), ActionRefusal::ExcuseReasonRequired);
        QVERIFY(svc->markExcused(103, QStringLiteral("病假")).ok());
        QVERIFY(svc->recordIncident(101, IncidentCategory::EquipmentFailure, QStringLiteral("鼠标失灵")).ok());
        QCOMPARE(refusal(svc->recordIncident(101, IncidentCategory::Other, QString())), ActionRefusal::IncidentNoteRequired);
        QCOMPARE(svc->state(101).incidents, 1);
        QCOMPARE(refusal(svc->recordResult(102, Outcome::Pass, 90)), ActionRefusal::ResultNeedsCheckIn); // absent
        QCOMPARE(refusal(svc->recordResult(101, Outcome::Pass, 101)), ActionRefusal::ScoreOutOfRange);
        QVERIFY(svc->recordResult(101, Outcome::Pass, 88).ok());
        QCOMPARE(svc->state(101).outcome, Outcome::Pass);
        QCOMPARE(refusal(svc->manualCheckIn(999, QStringLiteral("x"))), ActionRefusal::NotOnRoster);
        QCOMPARE(refusal(svc->closeSession(1, QString())), ActionRefusal::SignerRequired);
        QVERIFY(svc->closeSession(1, QStringLiteral("王老师")).ok());
        QCOMPARE(refusal(svc->closeSession(1, QStringLiteral("王老师"))), ActionRefusal::SessionAlreadyClosed);
        const auto c = svc->counts(1);
        QCOMPARE(c.checkedIn, 1);
        QCOMPARE(c.absent, 1);
        QCOMPARE(c.published, 4);
        // 1 of 4 published sat: below 30%.
        QCOMPARE(participationVerdict(c.checkedIn, c.published), ParticipationVerdict::Low);
    }

    // Every event stored is announced once, with what was stored; a refusal
    // or a scan that stores nothing announces nothing; a sign-off is announced.
    void storedEventsAreAnnounced()
    {
        auto svc = service();
        QSignalSpy appended(svc.get(), &CheckInService::eventAppended);
        QSignalSpy closed(svc.get(), &CheckInService::sessionClosed);
        QVERIFY(svc->scan(ticket("T101", 1)).success());
        QCOMPARE(appended.count(), 1);
        auto first = appended.takeFirst().at(0).value<KioskEvent>();
        QCOMPARE(first.kind, EventKind::CheckIn);
        QCOMPARE(first.registrationId, 101);
        QCOMPARE(first.eventId, m_store->events().back().eventId);
        QCOMPARE(svc->scan(ticket("T101", 1)).result, ScanResult::AlreadyCheckedIn);
        QVERIFY(!svc->markLate(102).ok());
        QCOMPARE(appended.count(), 0);
        QVERIFY(svc->markAbsent(102).ok());
        QCOMPARE(appended.count(), 1);
        QCOMPARE(appended.takeFirst().at(0).value<KioskEvent>().kind, EventKind::MarkAbsent);
        QVERIFY(svc->annul(101, QStringLiteral("扫错考生")).ok());
        QCOMPARE(appended.count(), 1);
        QCOMPARE(appended.takeFirst().at(0).value<KioskEvent>().kind, EventKind::Annul);
        QCOMPARE(closed.count(), 0);
        QVERIFY(svc->closeSession(1, QStringLiteral("王老师")).ok());
        QCOMPARE(closed.count(), 1);
        QCOMPARE(closed.takeFirst().at(0).value<Id>(), 1);
        QCOMPARE(appended.count(), 1); // the sign-off is an event: it goes to the server
        QCOMPARE(appended.takeFirst().at(0).value<KioskEvent>().kind, EventKind::SignOff);
        QVERIFY(!svc->closeSession(1, QStringLiteral("王老师")).ok());
        QCOMPARE(closed.count(), 0);
        QCOMPARE(appended.count(), 0); // a second sign-off is refused: nothing stored
    }

    // The sessions the proctor screen lists and the one it opens on.
    void proctorSessionIsChosenByTheService()
    {
        // A site-wide package: session 9 has no one in room 01.
        SessionPackage p = makePackage();
        p.sessions.push_back({9, QStringLiteral("物流管理（初级）"), p.site, QDate(2026, 6, 1), QTime(8, 0), QTime(17, 0),
                              5, 60, 15, std::nullopt, std::nullopt});
        p.roster.push_back({200, 9, QStringLiteral("T200"), QStringLiteral("别处考生"), QStringLiteral("3501**********0000"),
                            QStringLiteral("07"), QStringLiteral("1"), 1, {}});
        QVERIFY(m_store->provision(p).ok());
        auto svc = service();
        QList<Id> here;
        for (const auto &s : svc->sessionsHere())
            here.push_back(s.id);
        QCOMPARE(here, (QList<Id>{1, 2, 3}));
        QCOMPARE(svc->session(9)->title, QStringLiteral("物流管理（初级）"));
        QVERIFY(!svc->session(77));
        // 08:40: the 09:00 session is current.
        QCOMPARE(svc->proctorSession(), 1);
        // 11:30: session 1 is over, the 14:00 one is current (session 9 is not this room's).
        m_now = QDateTime(QDate(2026, 6, 1), QTime(11, 30), kCst);
        QCOMPARE(svc->proctorSession(), 2);
        // Session 1 signed off at 11:30: it stays in view until 13:00, when check-in for 14:00 opens.
        QVERIFY(svc->closeSession(1, QStringLiteral("王老师")).ok());
        QCOMPARE(svc->proctorSession(), 1);
        m_now = QDateTime(QDate(2026, 6, 1), QTime(12, 59), kCst);
        QCOMPARE(svc->proctorSession(), 1);
        m_now = QDateTime(QDate(2026, 6, 1), QTime(13, 0), kCst);
        QCOMPARE(svc->proctorSession(), 2);
        // The evening: nothing current today, the last signed off stays.
        QVERIFY(svc->closeSession(2, QStringLiteral("王老师")).ok());
        m_now = QDateTime(QDate(2026, 6, 1), QTime(20, 0), kCst);
        QCOMPARE(svc->proctorSession(), 2);
        // The next morning: yesterday's sign-offs no longer hold; today's session is current.
        m_now = QDateTime(QDate(2026, 6, 2), QTime(7, 0), kCst);
        QCOMPARE(svc->proctorSession(), 3);
        // No session left at all: the first this door has (not 9, at 08:00 but in room 07).
        QCOMPARE(m_store->package().sessions.front().id, 9);
        m_now = QDateTime(QDate(2026, 6, 3), QTime(7, 0), kCst);
        QCOMPARE(svc->proctorSession(), 1);
    }

    void everythingSurvivesAReopen()
    {
        {
            auto svc = service();
            QVERIFY(svc->scan(ticket("T101", 1)).success());
            QVERIFY(svc->markAbsent(102).ok());
            QVERIFY(m_store->setProctorPin(QStringLiteral("246810")).ok());
            QVERIFY(svc->closeSession(2, QStringLiteral("李老师")).ok());
        }
        m_store.reset();
        QCOMPARE(KioskStore::open(m_paths, QStringLiteral("wrong")).error().code, StoreError::Code::WrongPassphrase);
        auto reopened = KioskStore::open(m_paths, kPass);
        QVERIFY(reopened.ok());
        m_store.emplace(std::move(reopened).value());
        QCOMPARE(m_store->identity().kioskId, QStringLiteral("K01"));
        QCOMPARE(m_store->package().roster.size(), 9);
        QCOMPARE(m_store->events().size(), std::size_t(3)); // the sign-off is an event too
        QCOMPARE(m_store->events().back().kind, EventKind::SignOff);
        QVERIFY(m_store->isSessionClosed(2));
        QCOMPARE(m_store->signOff(2)->signedBy, QStringLiteral("李老师"));
        QCOMPARE(m_store->signOff(2)->closedAt, m_now.toUTC());
        QVERIFY(!m_store->signOff(1));
        auto svc = service();
        QCOMPARE(svc->scan(ticket("T101", 1)).result, ScanResult::AlreadyCheckedIn);
        QCOMPARE(svc->state(102).attendance, Attendance::Absent);
        // Event ids continue.
        QVERIFY(svc->markLate(101).ok());
        QCOMPARE(m_store->events().back().eventId, 4);
        QCOMPARE(m_store->outboxSize(), 4);
        // Acknowledged events leave the outbox, not the log.
        QVERIFY(m_store->acknowledge({1, 2, 3}).ok());
        QCOMPARE(m_store->outboxSize(), 1);
        QCOMPARE(m_store->outboxBatch(10).size(), 1);
        QCOMPARE(m_store->outboxBatch(10).first().eventId, 4);
        // The log is append-only, even to SQL.
        QVERIFY(!m_store->database().exec(QStringLiteral("DELETE FROM event")).ok());
        QVERIFY(!m_store->database().exec(QStringLiteral("UPDATE event SET kind = 'x'")).ok());
    }

    void proctorPinLocksAfterFiveFailures()
    {
        QVERIFY(!m_store->hasProctorPin());
        QVERIFY(!m_store->setProctorPin(QStringLiteral("12")).ok());
        QVERIFY(m_store->setProctorPin(QStringLiteral("246810")).ok());
        QCOMPARE(m_store->checkProctorPin(QStringLiteral("246810"), m_now).value(), KioskStore::PinCheck::Ok);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(m_store->checkProctorPin(QStringLiteral("000000"), m_now).value(), KioskStore::PinCheck::Wrong);
        QCOMPARE(m_store->checkProctorPin(QStringLiteral("000000"), m_now).value(), KioskStore::PinCheck::Locked);
        QCOMPARE(m_store->checkProctorPin(QStringLiteral("246810"), m_now).value(), KioskStore::PinCheck::Locked);
        QCOMPARE(m_store->checkProctorPin(QStringLiteral("246810"), m_now.addSecs(301)).value(), KioskStore::PinCheck::Ok);
        // Stored hashed, not in clear.
        QVERIFY(!m_store->database().prepare(QStringLiteral("SELECT 1 FROM setting WHERE value = '246810'"))->step().value());
    }

    void revokedKioskExportsThenErases()
    {
        auto svc = service();
        QVERIFY(svc->scan(ticket("T101", 1)).success());
        QVERIFY(svc->markAbsent(102).ok());
        // An export path that cannot be written: nothing is erased.
        QVERIFY(!svc->handleRevocation(QStringLiteral("注销"), QStringLiteral("/nonexistent/dir/out.json")).ok());
        QCOMPARE(m_store->package().roster.size(), 9);
        QCOMPARE(svc->scan(ticket("T102", 1, 2)).result, ScanResult::KioskRevoked);
        const QString path = m_dir.filePath(QStringLiteral("outbox-export.json"));
        QVERIFY(svc->handleRevocation(QStringLiteral("注销"), path).ok());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject file = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(file["kiosk_id"].toString(), QStringLiteral("K01"));
        QCOMPARE(file["events"].toArray().size(), 2);
        QCOMPARE(file["events"].toArray()[0].toObject()["kind"].toString(), QStringLiteral("check_in"));
        QVERIFY(m_store->package().roster.isEmpty());
        QCOMPARE(m_store->events().size(), std::size_t(2)); // the log stays
        QCOMPARE(m_store->outboxSize(), 2);                 // sealed, not sent
        auto rows = m_store->database().prepare(QStringLiteral("SELECT count(*) FROM roster"));
        QVERIFY(rows.ok() && *rows->step());
        QCOMPARE(rows->int64(0), 0);
        QCOMPARE(svc->scan(ticket("T103", 1)).result, ScanResult::KioskRevoked);
    }

    // Issue #17, finding 5: the revoked kiosk's file is signed with its
    // device key and readable by its owner only, from the first byte.
    void revokedKiosksExportIsSignedAndPrivate()
    {
        const auto deviceKey = SigningKey::generate();
        QVERIFY(deviceKey);
        QVERIFY(!m_store->deviceKey()); // none until enrolment gives one
        QVERIFY(m_store->setDeviceKey(*deviceKey).ok());
        {
            // Kept in the encrypted store: the same key after a reopen.
            m_store.reset();
            auto reopened = KioskStore::open(m_paths, kPass);
            QVERIFY(reopened.ok());
            m_store.emplace(std::move(reopened).value());
            QVERIFY(m_store->deviceKey());
            QCOMPARE(m_store->deviceKey()->verifyKey().raw(), deviceKey->verifyKey().raw());
        }
        auto svc = service();
        QVERIFY(svc->scan(ticket("T101", 1)).success());
        QVERIFY(svc->markAbsent(102).ok());

        const QString dir = m_dir.filePath(QStringLiteral("export-%1").arg(QDateTime::currentMSecsSinceEpoch()));
        QVERIFY(QDir().mkpath(dir));
        const QString path = QDir(dir).filePath(QStringLiteral("revoked-events.json"));
        const mode_t oldMask = ::umask(022); // the usual umask: a plain write would be 0644
        const auto handled = svc->handleRevocation(QStringLiteral("注销"), path);
        ::umask(oldMask);
        QVERIFY2(handled.ok(), handled.ok() ? "" : qPrintable(handled.error()));

        struct stat st{};
        QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
        QCOMPARE(st.st_mode & 07777, mode_t(0600));
        QCOMPARE(QDir(dir).entryList(QDir::Files), QStringList{QStringLiteral("revoked-events.json")}); // no temporary left

        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QCOMPARE(QJsonDocument::fromJson(bytes).object()["format"].toString(), QStringLiteral("kaodian-kiosk-events/2"));
        const auto envelope = openKioskEventsFile(bytes);
        QVERIFY(envelope.ok());
        QVERIFY(envelope->isSigned());
        QCOMPARE(envelope->publicKey, deviceKey->verifyKey().raw());
        QVERIFY(deviceKey->verifyKey().verify(envelope->body, envelope->signature));
        const auto file = parseKioskEventsFile(envelope->body);
        QVERIFY(file.ok());
        QCOMPARE(file->kioskId, QStringLiteral("K01"));
        QCOMPARE(file->events.size(), 2);
        QCOMPARE(file->events[0].kind, EventKind::CheckIn);
        QCOMPARE(file->events[1].kind, EventKind::MarkAbsent);
        // The signature covers the events: one changed byte and it fails.
        QByteArray changed = envelope->body;
        changed.replace("\"mark_absent\"", "\"mark_excused\"");
        QVERIFY(changed != envelope->body);
        QVERIFY(!deviceKey->verifyKey().verify(changed, envelope->signature));
        QVERIFY(!SigningKey::generate()->verifyKey().verify(envelope->body, envelope->signature));
    }

    void noFullIdNumberOrNameLeaksToTheFile()
    {
        auto svc = service();
        QVERIFY(svc->scan(ticket("T101", 1)).success());
        m_store->database().checkpoint();
        QFile f(m_paths.database());
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QVERIFY(!bytes.contains(QStringLiteral("考生101").toUtf8()));
        QVERIFY(!bytes.contains("T101"));
    }
};

QTEST_GUILESS_MAIN(TestCheckInService)
#include "tst_checkinservice.moc"
