#pragma once

// A generated term of exam data for server tests: colleges, pilots,
// sessions, registrations, and the kiosk events that realise each
// candidate's fate, together with the truth the test knows about it.

#include "store/serverstore.h"

#include <QRandomGenerator>

#include <map>
#include <set>

namespace kaodian::testing {

using namespace kaodian;
using namespace kaodian::server;

// A term of generated data and the truth the test knows about it.
struct Term
{
    struct Session
    {
        Id id;
        Id pilot;
        Id college;
        QDate date;
        QTime start;
        std::optional<int> published;
        bool final;
        int registered = 0, sat = 0, absent = 0, excused = 0, passed = 0, failed = 0;
    };
    std::vector<Session> sessions;
    std::map<Id, Id> registrationSession;
    std::vector<KioskEvent> events;
};

inline qint64 insertId(ServerStore &s, const QString &sql, const QVariantList &params)
{
    auto r = s.sql().insertReturningId(sql, params);
    if (!r)
        qFatal("seed failed: %s", qPrintable(r.error().message));
    return *r;
}

// Fills the store with colleges, pilots, sessions and registrations, and
// makes the kiosk events that realise each candidate's fate.
inline Term seedTerm(ServerStore &store, quint32 seed)
{
    QRandomGenerator rng(seed);
    Term term;
    SqlTransaction tx(store.sql());
    const Id site = insertId(store, "INSERT INTO site (name) VALUES (?)", {QStringLiteral("信息楼考点")});
    const Id room = insertId(store, "INSERT INTO room (site_id, code) VALUES (?, ?)", {site, QStringLiteral("01")});
    std::vector<std::pair<Id, Id>> pilots; // pilot, college
    for (int c = 0; c < 3; ++c) {
        const Id college = insertId(store, "INSERT INTO college (name) VALUES (?)", {QStringLiteral("第%1学院").arg(c + 1)});
        const Id major = insertId(store, "INSERT INTO major (college_id, name) VALUES (?, ?)",
                                  {college, QStringLiteral("专业%1").arg(c)});
        Q_UNUSED(major);
        for (int k = 0; k < 2; ++k) {
            const Id cert = insertId(store, "INSERT INTO certificate (name) VALUES (?)",
                                     {QStringLiteral("证书%1-%2").arg(c).arg(k)});
            pilots.emplace_back(insertId(store, "INSERT INTO pilot (college_id, certificate_id, level) VALUES (?, ?, ?)",
                                         {college, cert, 1 + k}),
                                college);
        }
    }
    Id candidateSeq = 0;
    qint64 eventSeq = 0;
    const QDateTime base(QDate(2026, 3, 1), QTime(8, 0), Qt::UTC);
    for (int i = 0; i < 36; ++i) {
        const auto [pilot, college] = pilots[static_cast<std::size_t>(i) % pilots.size()];
        Term::Session s;
        s.pilot = pilot;
        s.college = college;
        // Each pilot sits twice on some days (09:00 and 14:00): same-date order matters.
        s.date = QDate(2026, 3, 1).addDays((i / 12) * 3);
        s.start = QTime((i / 6) % 2 ? 14 : 9, 0);
        s.final = rng.bounded(5) != 0;
        const int registered = static_cast<int>(rng.bounded(5, 60));
        const int choice = static_cast<int>(rng.bounded(6));
        s.published = choice == 0 ? std::nullopt : std::optional<int>(registered + static_cast<int>(rng.bounded(0, 40)));
        s.id = insertId(store,
                        "INSERT INTO exam_session (pilot_id, site_id, exam_date, start_time, published_count,"
                        " results_final) VALUES (?, ?, ?, ?, ?, ?)",
                        {pilot, site, s.date.toString(Qt::ISODate), s.start.toString("HH:mm"),
                         s.published ? QVariant(*s.published) : QVariant(), s.final ? 1 : 0});
        const int passPercent = static_cast<int>(rng.bounded(0, 100));
        for (int r = 0; r < registered; ++r) {
            const Id cand = insertId(store,
                                     "INSERT INTO candidate (id_number, name, student_number, major_id)"
                                     " VALUES (?, ?, ?, (SELECT min(id) FROM major))",
                                     {QStringLiteral("ID%1").arg(++candidateSeq), QStringLiteral("考生%1").arg(candidateSeq),
                                      QStringLiteral("S%1").arg(candidateSeq)});
            const Id reg = insertId(store,
                                    "INSERT INTO registration (session_id, candidate_id, ticket_number, room_id, seat)"
                                    " VALUES (?, ?, ?, ?, ?)",
                                    {s.id, cand, QStringLiteral("T%1").arg(cand), room, QStringLiteral("%1-%2").arg(s.id).arg(r)});
            term.registrationSession[reg] = s.id;
            ++s.registered;
            const QString kiosk = rng.bounded(2) ? QStringLiteral("K1") : QStringLiteral("K2");
            auto ev = [&](EventKind kind, int minute) {
                KioskEvent e;
                e.kioskId = kiosk;
                e.eventId = ++eventSeq;
                e.kind = kind;
                e.sessionId = s.id;
                e.registrationId = reg;
                e.deviceTime = base.addDays(i).addSecs(minute * 60);
                return e;
            };
            const int fate = static_cast<int>(rng.bounded(10));
            if (fate == 0) { // never came
                continue;
            } else if (fate == 1) { // absent at roll call
                term.events.push_back(ev(EventKind::MarkAbsent, 30));
                ++s.absent;
                continue;
            } else if (fate == 2) { // excused
                term.events.push_back(ev(EventKind::MarkExcused, 5));
                ++s.excused;
                continue;
            } else if (fate == 3) { // mistaken check-in, undone
                auto c = ev(EventKind::CheckIn, 10);
                auto a = ev(EventKind::Annul, 11);
                a.targetKioskId = c.kioskId;
                a.targetEventId = c.eventId;
                term.events.push_back(c);
                term.events.push_back(a);
                continue;
            }
            term.events.push_back(ev(EventKind::CheckIn, 10 + r));
            ++s.sat;
            if (fate == 4)
                term.events.push_back(ev(EventKind::MarkLate, 40));
            if (rng.bounded(100) < 90) {
                auto res = ev(EventKind::Result, 300);
                const bool pass = static_cast<int>(rng.bounded(100)) < passPercent;
                res.outcome = pass ? Outcome::Pass : Outcome::Fail;
                res.score = pass ? 80 : 40;
                term.events.push_back(res);
                ++(pass ? s.passed : s.failed);
            }
        }
        term.sessions.push_back(s);
    }
    if (!tx.commit())
        qFatal("seed commit failed");
    return term;
}

// The rules recomputed naively from the test's own truth.
// today: the store's exam day; a session dated on or after it where nobody
// sat is not yet held and gets no flag (invalid: every session is held).
inline std::set<std::pair<int, QList<Id>>> expectedFlags(const Term &term, QDate today = {})
{
    auto held = [&](const Term::Session &s) { return !today.isValid() || s.date < today || s.sat > 0; };
    std::set<std::pair<int, QList<Id>>> flags;
    for (const auto &s : term.sessions) {
        if (!held(s))
            continue;
        if (!s.published || *s.published <= 0)
            flags.insert({int(FlagKind::MissingPublishedCount), {s.id}});
        else if (s.sat * 100 < *s.published * 30)
            flags.insert({int(FlagKind::LowParticipation), {s.id}});
    }
    std::map<Id, std::vector<const Term::Session *>> byPilot;
    // 第七条(六) counts only sessions final and complete: a result still
    // pending (sat, no pass or fail) is never a failure (issue #16 item 3).
    for (const auto &s : term.sessions)
        if (held(s) && s.final && s.sat > 0 && s.passed + s.failed == s.sat)
            byPilot[s.pilot].push_back(&s);
    for (auto &[pilot, list] : byPilot) {
        std::sort(list.begin(), list.end(), [](auto *a, auto *b) {
            if (a->date != b->date)
                return a->date < b->date;
            if (a->start != b->start)
                return a->start < b->start;
            return a->id < b->id;
        });
        for (std::size_t i = 1; i < list.size(); ++i) {
            auto low = [](const Term::Session *s) { return s->passed * 100 < s->sat * 30; };
            if (low(list[i - 1]) && low(list[i]))
                flags.insert({int(FlagKind::ConsecutiveLowPassRate), {list[i - 1]->id, list[i]->id}});
        }
    }
    return flags;
}

} // namespace kaodian::testing
