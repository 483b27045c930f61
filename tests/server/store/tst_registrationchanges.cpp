// Registration changes in the store, against both stores (issue #16 item 4):
// a withdrawn registration counts nowhere in the statistics, even when a
// kiosk's check-in for it arrives later; an excused-in-advance one counts as
// excused until a check-in; a roster file that changes stored registrations
// is previewed as a difference (new, changed, withdrawn), refused unless
// confirmed, and applied all or nothing when it is.

#include "sample/sampleroster.h"
#include "store/rosterapply.h"

#include "freshstore.h"

#include <QTest>

using namespace kaodian;
using namespace kaodian::server;

namespace {

qint64 scalar(ServerStore &s, const QString &sql, const QVariantList &params = {})
{
    auto r = s.sql().query(sql, params);
    return r ? r->first().first().toLongLong() : -1;
}

RosterFile parse(const QByteArray &bytes)
{
    auto r = parseRosterFile(bytes, QStringLiteral("roster.csv"));
    if (!r)
        qFatal("roster did not parse: %s", qPrintable(r.error().first().message));
    return *r;
}

SessionTally tallyOf(ServerStore &s, Id sessionId)
{
    auto report = s.statistics().report();
    for (const auto &st : report->sessions)
        if (st.tally.sessionId == sessionId)
            return st.tally;
    return {};
}

struct Reg
{
    Id id = 0, session = 0;
    QString ticket, room, seat;
};

QList<Reg> registrations(ServerStore &s, Id sessionId)
{
    auto r = s.sql().query(QStringLiteral("SELECT r.id, r.session_id, r.ticket_number, ro.code, r.seat FROM registration r"
                                          " JOIN room ro ON ro.id = r.room_id WHERE r.session_id = ? ORDER BY r.id"),
                           {sessionId});
    QList<Reg> out;
    for (const auto &row : r->rows)
        out.push_back({row[0].toLongLong(), row[1].toLongLong(), row[2].toString(), row[3].toString(), row[4].toString()});
    return out;
}

} // namespace

class TestRegistrationChanges : public QObject
{
    Q_OBJECT

    std::unique_ptr<testing::FreshStore> m_fresh;
    std::unique_ptr<ServerStore> m_store;
    const QDateTime m_now = QDateTime(QDate(2026, 6, 1), QTime(1, 0), Qt::UTC);

private slots:
    void init()
    {
        m_fresh = std::make_unique<testing::FreshStore>();
        QVERIFY2(m_fresh->ok(), qPrintable(m_fresh->error()));
        auto s = ServerStore::open(m_fresh->location());
        QVERIFY(s.ok());
        m_store = std::move(s).value();
    }
    void cleanup()
    {
        m_store.reset();
        m_fresh.reset();
    }

    void withdrawnCountsNowhereAndExcusedCountsAsExcused()
    {
        QVERIFY(m_store->rosters().applyRoster(parse(sampleRosterCsv({.candidates = 60, .seed = 4})), "a.csv", "office").ok());
        const Id session = scalar(*m_store, QStringLiteral("SELECT min(id) FROM exam_session"));
        const auto regs = registrations(*m_store, session);
        QVERIFY(regs.size() >= 4);
        const SessionTally before = tallyOf(*m_store, session);
        QCOMPARE(before.registered, int(regs.size()));

        // A check-in for [0] and [1] (before the office withdraws [0]), then its withdrawal refused.
        QList<KioskEvent> events;
        for (int i = 0; i < 2; ++i) {
            KioskEvent e;
            e.kioskId = QStringLiteral("K1");
            e.eventId = i + 1;
            e.sessionId = session;
            e.registrationId = regs[i].id;
            e.deviceTime = m_now;
            events.push_back(e);
        }
        QVERIFY(m_store->events().ingest("K1", events.mid(1, 1), m_now).ok());
        auto checkedIn = m_store->rosters().withdraw(regs[1].ticket, QDate(2026, 5, 30), QStringLiteral("退考"), "office");
        QVERIFY(!checkedIn.ok());
        QCOMPARE(checkedIn.error().code, StoreError::Code::Refused);
        QVERIFY2(checkedIn.error().message.contains(QStringLiteral("已签到")), qPrintable(checkedIn.error().message));

        auto w = m_store->rosters().withdraw(regs[0].ticket, QDate(2026, 5, 30), QStringLiteral("参军入伍"), "office");
        QVERIFY(w.ok());
        QVERIFY(w->changed);
        auto again = m_store->rosters().withdraw(regs[0].ticket, QDate(2026, 5, 31), QStringLiteral("再点一次"), "office");
        QVERIFY(again.ok());
        QVERIFY(!again->changed); // one withdrawal: the first date and reason stay
        QCOMPARE(scalar(*m_store, QStringLiteral("SELECT count(*) FROM ticket_revocation WHERE withdrawn = 1")), 1);
        QCOMPARE(scalar(*m_store, QStringLiteral("SELECT count(*) FROM audit_log WHERE action = 'registration.withdraw'")), 1);
        // Its ticket is not printed again, alone or with its session's.
        auto print = m_store->rosters().ticketPrintRows(QStringList{regs[0].ticket});
        QVERIFY(!print.ok());
        QCOMPARE(print.error().code, StoreError::Code::Refused);
        QVERIFY(print.error().message.contains(QStringLiteral("已退考")));
        auto sessionTickets = m_store->rosters().ticketPrintRows(session);
        QCOMPARE(sessionTickets->size(), regs.size() - 1);
        auto e = m_store->rosters().excuse(regs[2].ticket, QStringLiteral("病假"), "office");
        QVERIFY(e.ok());

        SessionTally after = tallyOf(*m_store, session);
        QCOMPARE(after.registered, before.registered - 1);
        QCOMPARE(after.sat, before.sat + 1);
        QCOMPARE(after.excused, before.excused + 1);
        QCOMPARE(after.absent, before.absent);

        // The withdrawn candidate's check-in, made offline before the package
        // came, arrives: it is kept, and still counts nowhere.
        QVERIFY(m_store->events().ingest("K1", events.mid(0, 1), m_now).ok());
        after = tallyOf(*m_store, session);
        QCOMPARE(after.registered, before.registered - 1);
        QCOMPARE(after.sat, before.sat + 1);

        // The excused candidate comes after all: the check-in counts, no longer excused…
        KioskEvent came;
        came.kioskId = QStringLiteral("K2");
        came.eventId = 1;
        came.sessionId = session;
        came.registrationId = regs[2].id;
        came.deviceTime = m_now;
        QVERIFY(m_store->events().ingest("K2", {came}, m_now).ok());
        after = tallyOf(*m_store, session);
        QCOMPARE(after.sat, before.sat + 2);
        QCOMPARE(after.excused, before.excused);
        // …and when the check-in is undone, excused again.
        KioskEvent undo;
        undo.kioskId = QStringLiteral("K2");
        undo.eventId = 2;
        undo.kind = EventKind::Annul;
        undo.sessionId = session;
        undo.registrationId = regs[2].id;
        undo.deviceTime = m_now.addSecs(60);
        undo.targetKioskId = QStringLiteral("K2");
        undo.targetEventId = 1;
        undo.reason = QStringLiteral("扫错了");
        QVERIFY(m_store->events().ingest("K2", {undo}, m_now).ok());
        after = tallyOf(*m_store, session);
        QCOMPARE(after.sat, before.sat + 1);
        QCOMPARE(after.excused, before.excused + 1);

        // The kiosk's package: the withdrawn left out, the excused with its reason.
        const Id site = scalar(*m_store, QStringLiteral("SELECT site_id FROM exam_session WHERE id = ?"), {session});
        auto day = m_store->rosters().kioskDay(site, QString(), QDate(2026, 6, 1));
        QVERIFY(day.ok());
        for (const auto &r : day->roster) {
            QVERIFY(r.registrationId != regs[0].id);
            if (r.registrationId == regs[2].id)
                QCOMPARE(r.excusedReason, QStringLiteral("病假"));
        }
        for (const auto &s : day->sessions)
            if (s.id == session)
                QCOMPARE(s.registeredCount, before.registered - 1);
        bool revoked = false;
        for (qsizetype i = 0; i < day->revoked.size(); ++i)
            if (day->revoked[i].first == regs[0].ticket)
                revoked = day->revokedWithdrawn[i];
        QVERIFY(revoked);
    }

    void movesAndReplacementsFreeAndTakeSeats()
    {
        QVERIFY(m_store->rosters().applyRoster(parse(sampleRosterCsv({.candidates = 60, .seed = 4})), "a.csv", "office").ok());
        const Id session = scalar(*m_store, QStringLiteral("SELECT min(id) FROM exam_session"));
        const auto regs = registrations(*m_store, session);
        // A seat taken is refused, naming who has it.
        auto taken = m_store->rosters().move(regs[0].ticket, regs[1].room, regs[1].seat, "office");
        QVERIFY(!taken.ok());
        QCOMPARE(taken.error().code, StoreError::Code::AlreadyExists);
        QVERIFY(taken.error().message.contains(regs[1].ticket));
        // Withdrawn, [1]'s seat is free for [0].
        QVERIFY(m_store->rosters().withdraw(regs[1].ticket, QDate(2026, 5, 30), QStringLiteral("退考"), "office").ok());
        auto moved = m_store->rosters().move(regs[0].ticket, regs[1].room, regs[1].seat, "office");
        QVERIFY(moved.ok());
        QCOMPARE(moved->serial, 2);
        QCOMPARE(moved->revokedSerial, std::optional<int>(1));
        // Replaced by 买买提·艾力, who takes [2]'s seat with a new ticket.
        auto replaced = m_store->rosters().replace(
            regs[2].ticket,
            {QStringLiteral("650102200001010012"), QStringLiteral("买买提·艾力"), QStringLiteral("2024880001"),
             QString(), QStringLiteral("T-NEW-1")},
            QStringLiteral("原考生因病退考"), "office");
        QVERIFY(replaced.ok());
        const auto now = registrations(*m_store, session);
        bool found = false;
        for (const auto &r : now)
            if (r.ticket == QStringLiteral("T-NEW-1")) {
                found = true;
                QCOMPARE(r.seat, regs[2].seat);
                QCOMPARE(r.room, regs[2].room);
            }
        QVERIFY(found);
        QCOMPARE(tallyOf(*m_store, session).registered, int(regs.size()) - 1);
        // The new ticket number taken already: refused, nothing changed.
        auto twice = m_store->rosters().replace(
            regs[3].ticket,
            {QStringLiteral("650102200001010012"), QStringLiteral("买买提·艾力"), QStringLiteral("2024880001"),
             QString(), QStringLiteral("T-NEW-1")},
            QStringLiteral("重复"), "office");
        QVERIFY(!twice.ok());
        QCOMPARE(twice.error().code, StoreError::Code::AlreadyExists);
        QCOMPARE(scalar(*m_store, QStringLiteral("SELECT count(*) FROM registration WHERE withdrawn_at IS NOT NULL")), 2);
    }

    void aRosterDifferenceIsPreviewedThenConfirmed()
    {
        const QByteArray csv = sampleRosterCsv({.candidates = 60, .seed = 8});
        QVERIFY(m_store->rosters().applyRoster(parse(csv), "a.csv", "office").ok());
        // The office's next file: line 2 moved to seat 29, line 3 left out
        // (withdrawn), ten new candidates at the end.
        QList<QByteArray> lines = sampleRosterCsv({.candidates = 70, .seed = 8}).split('\n');
        const QByteArray movedTicket = lines[1].split(',')[0];
        const QByteArray goneTicket = lines[2].split(',')[0];
        lines[1].replace(",01,2026", ",29,2026");
        lines.removeAt(2);
        const RosterFile next = parse(lines.join('\n'));
        const qint64 registrationsBefore = scalar(*m_store, QStringLiteral("SELECT count(*) FROM registration"));
        const qint64 auditBefore = scalar(*m_store, QStringLiteral("SELECT count(*) FROM audit_log"));

        auto preview = m_store->rosters().applyRoster(next, "b.csv", "office", ImportMode::Preview);
        QVERIFY(preview.ok());
        QVERIFY(preview->previewed);
        QCOMPARE(preview->newRegistrations, 10);
        QCOMPARE(preview->changedRegistrations, 1);
        QCOMPARE(preview->withdrawnRegistrations, 1);
        QCOMPARE(preview->differences.size(), 12);
        QCOMPARE(preview->sha256, next.sha256);
        const auto &changed = preview->differences[10];
        QCOMPARE(changed.kind, RosterDifference::Kind::Changed);
        QCOMPARE(changed.ticketNumber, QString::fromUtf8(movedTicket));
        QCOMPARE(changed.fromSeat, QStringLiteral("01"));
        QCOMPARE(changed.seat, QStringLiteral("29"));
        QCOMPARE(preview->differences[11].kind, RosterDifference::Kind::Withdrawn);
        QCOMPARE(preview->differences[11].ticketNumber, QString::fromUtf8(goneTicket));
        QCOMPARE(preview->differences[0].kind, RosterDifference::Kind::New);
        // A preview writes nothing.
        QCOMPARE(scalar(*m_store, QStringLiteral("SELECT count(*) FROM registration")), registrationsBefore);
        QCOMPARE(scalar(*m_store, QStringLiteral("SELECT count(*) FROM audit_log")), auditBefore);
        QCOMPARE(scalar(*m_store, QStringLiteral("SELECT count(*) FROM ticket_revocation")), 0);

        // Without a confirmation it is refused, and writes nothing either.
        auto unconfirmed = m_store->rosters().applyRoster(next, "b.csv", "office");
        QVERIFY(!unconfirmed.ok());
        QVERIFY(unconfirmed.error().unconfirmed.has_value());
        QCOMPARE(unconfirmed.error().unconfirmed->withdrawnRegistrations, 1);
        QCOMPARE(scalar(*m_store, QStringLiteral("SELECT count(*) FROM registration")), registrationsBefore);
        QCOMPARE(scalar(*m_store, QStringLiteral("SELECT count(*) FROM import_batch")), 1);

        // Confirmed: all of it.
        auto confirmed = m_store->rosters().applyRoster(next, "b.csv", "office", ImportMode::Confirm);
        QVERIFY2(confirmed.ok(), confirmed.ok() ? "" : qPrintable(confirmed.error().problems.value(0).message));
        QVERIFY(!confirmed->previewed);
        QCOMPARE(scalar(*m_store, QStringLiteral("SELECT count(*) FROM registration")), registrationsBefore + 10);
        QCOMPARE(scalar(*m_store, QStringLiteral("SELECT ticket_serial FROM registration WHERE ticket_number = ?"),
                        {QString::fromUtf8(movedTicket)}),
                 2);
        QCOMPARE(scalar(*m_store, QStringLiteral("SELECT count(*) FROM registration WHERE ticket_number = ?"
                                                 " AND withdrawn_at IS NOT NULL"),
                        {QString::fromUtf8(goneTicket)}),
                 1);
        QCOMPARE(scalar(*m_store, QStringLiteral("SELECT count(*) FROM ticket_revocation")), 2);
        auto log = m_store->audit().entries(1);
        QCOMPARE(log->first().action, QStringLiteral("roster.import"));
        QVERIFY2(log->first().detail.contains(QStringLiteral("退考 1")), qPrintable(log->first().detail));
        QVERIFY(log->first().detail.contains(QString::fromUtf8(goneTicket)));
        // The same file again changes nothing.
        auto again = m_store->rosters().applyRoster(next, "b.csv", "office", ImportMode::Confirm);
        QVERIFY(again.ok());
        QVERIFY(again->alreadyImported);
        QCOMPARE(scalar(*m_store, QStringLiteral("SELECT count(*) FROM ticket_revocation")), 2);
    }
};

QTEST_GUILESS_MAIN(TestRegistrationChanges)
#include "tst_registrationchanges.moc"
