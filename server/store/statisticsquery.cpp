#include "store/statisticsquery.h"

#include "core/examzone.h"

#include <algorithm>
#include <map>
#include <set>

namespace kaodian::server {

Result<StatisticsReport, StoreError> StatisticsQuery::report(std::optional<Id> collegeScope,
                                                             std::optional<SchoolTerm> term)
{
    auto sessions = m_sql.query(QStringLiteral(
        "SELECT s.id, s.pilot_id, s.exam_date, s.start_time, s.published_count, s.results_final,"
        " p.college_id, c.name, p.certificate_id, ce.name, p.level, si.name"
        " FROM exam_session s JOIN pilot p ON p.id = s.pilot_id JOIN college c ON c.id = p.college_id"
        " JOIN certificate ce ON ce.id = p.certificate_id JOIN site si ON si.id = s.site_id"
        " ORDER BY s.exam_date, s.start_time, s.id"));
    if (!sessions)
        return sessions.error();
    // One pass over the covering index (session_id, attendance, outcome),
    // which holds only registrations not withdrawn: a withdrawn one (退考)
    // counts nowhere, not registered, not sat, not absent.
    auto counts = m_sql.query(QStringLiteral(
        "SELECT session_id, attendance, coalesce(outcome, 0), count(*) FROM registration"
        " WHERE withdrawn_at IS NULL GROUP BY session_id, attendance, coalesce(outcome, 0)"));
    if (!counts)
        return counts.error();

    StatisticsReport report;
    const QDate today = examDate(m_clock());
    std::map<Id, qsizetype> index;
    for (const auto &row : sessions->rows) {
        SessionStats s;
        s.tally.sessionId = row[0].toLongLong();
        s.tally.pilotId = row[1].toLongLong();
        s.tally.examDate = QDate::fromString(row[2].toString(), Qt::ISODate);
        s.tally.startTime = QTime::fromString(row[3].toString(), QStringLiteral("HH:mm"));
        if (!row[4].isNull())
            s.tally.publishedCount = static_cast<int>(row[4].toLongLong());
        s.tally.resultsFinal = row[5].toLongLong() != 0;
        s.collegeId = row[6].toLongLong();
        s.collegeName = row[7].toString();
        s.certificateId = row[8].toLongLong();
        s.certificateName = row[9].toString();
        s.level = static_cast<CertificateLevel>(row[10].toLongLong());
        s.siteName = row[11].toString();
        s.tally.siteName = s.siteName;
        s.tally.pilotName = QStringLiteral("%1 %2（%3）").arg(s.certificateName, levelName(s.level), s.collegeName);
        if (collegeScope && s.collegeId != *collegeScope)
            continue;
        index[s.tally.sessionId] = report.sessions.size();
        report.sessions.push_back(std::move(s));
    }
    for (const auto &row : counts->rows) {
        const auto it = index.find(row[0].toLongLong());
        if (it == index.end())
            continue;
        auto &t = report.sessions[it->second].tally;
        const qint64 outcome = row[2].toLongLong();
        t.count(static_cast<Attendance>(row[1].toLongLong()),
                outcome == 0 ? std::nullopt : std::optional<Outcome>(static_cast<Outcome>(outcome)),
                static_cast<int>(row[3].toLongLong()));
    }

    // A session with a room signed off is held (DESIGN.md), whoever sat:
    // the sign-offs are few, read from the (kind, session_id) index.
    auto signedOff = m_sql.query(QStringLiteral("SELECT DISTINCT session_id FROM kiosk_event WHERE kind = 'sign_off'"));
    if (!signedOff)
        return signedOff.error();
    std::set<Id> withSignOff;
    for (const auto &row : signedOff->rows)
        withSignOff.insert(row[0].toLongLong());

    std::vector<SessionTally> tallies;
    tallies.reserve(static_cast<std::size_t>(report.sessions.size()));
    for (auto &s : report.sessions) {
        s.tally.held = sessionHeld(s.tally.examDate, today, s.tally.sat > 0 || withSignOff.count(s.tally.sessionId) > 0);
        s.participation = participationVerdict(s.tally.sat, s.tally.publishedCount, s.tally.held);
        tallies.push_back(s.tally);
    }
    // The flags look at every session (a 第七条(六) streak may cross a term's
    // edge); a term keeps its own sessions, the totals over them, and the
    // flags that name one of them.
    report.flags = participationFlags(tallies);
    report.flags += passRateFlags(tallies);
    report.reminders = publishedCountReminders(tallies);
    if (term) {
        const auto outsideTerm = [&](const Flag &f) {
            return std::none_of(f.sessions.begin(), f.sessions.end(),
                                [&](const FlaggedSession &fs) { return term->contains(fs.examDate); });
        };
        report.sessions.removeIf([&](const SessionStats &s) { return !term->contains(s.tally.examDate); });
        report.flags.removeIf(outsideTerm);
        report.reminders.removeIf(outsideTerm);
    }

    std::map<Id, GroupStats> pilots, certificates, colleges;
    for (const auto &s : report.sessions) {
        auto &p = pilots[s.tally.pilotId];
        p.id = s.tally.pilotId;
        p.collegeId = s.collegeId;
        p.name = s.tally.pilotName;
        p.add(s.tally);
        auto &c = certificates[s.certificateId];
        c.id = s.certificateId;
        c.name = s.certificateName;
        c.add(s.tally);
        auto &co = colleges[s.collegeId];
        co.id = s.collegeId;
        co.name = s.collegeName;
        co.add(s.tally);
    }
    for (auto *group : {&pilots, &certificates, &colleges}) {
        auto &target = group == &pilots ? report.pilots : group == &certificates ? report.certificates : report.colleges;
        for (auto &[id, g] : *group)
            target.push_back(g);
    }
    return report;
}

} // namespace kaodian::server
