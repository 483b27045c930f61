#pragma once

// The statistics query: every session's numbers (one pass over the
// registrations' derived state), the group totals of pilots, certificates
// and colleges, and the flags of the regulation's rules — the rules
// themselves are core/statistics, this only feeds them.
//
// Thread-safety: as its SqlConnection (one thread at a time).

#include "store/sqlconnection.h"

#include "core/clock.h"
#include "core/schoolterm.h"
#include "core/statistics.h"

#include <optional>

namespace kaodian::server {

// One session's numbers with the names the reports need.
struct SessionStats
{
    SessionTally tally;
    Id collegeId = 0;
    QString collegeName;
    Id certificateId = 0;
    QString certificateName;
    CertificateLevel level = CertificateLevel::Junior;
    QString siteName;
    ParticipationVerdict participation = ParticipationVerdict::NoPublishedCount;
};

struct StatisticsReport
{
    QList<SessionStats> sessions; // by exam date, start time, id
    QList<GroupStats> pilots, certificates, colleges;
    QList<Flag> flags;            // 第七条(五) then 第七条(六)
    QList<Flag> reminders;        // sessions not yet held without a published count
};

class StatisticsQuery
{
public:
    // clock says what today is: a session is held once its date is before
    // today (China time) or once someone has checked in.
    StatisticsQuery(SqlConnection &sql, Clock clock) : m_sql(sql), m_clock(std::move(clock)) {}

    // Optionally limited to one college, and to one term (学期): its
    // sessions, their totals, and the flags and reminders naming one of its
    // sessions (flags are found over every session, so a streak across the
    // term's edge is kept).
    Result<StatisticsReport, StoreError> report(std::optional<Id> collegeScope = std::nullopt,
                                                std::optional<SchoolTerm> term = std::nullopt);

private:
    SqlConnection &m_sql;
    Clock m_clock;
};

} // namespace kaodian::server
