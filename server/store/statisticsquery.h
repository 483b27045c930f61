#pragma once

// The statistics query: every session's numbers (one pass over the
// registrations' derived state), the group totals of pilots, certificates
// and colleges, and the flags of the regulation's rules — the rules
// themselves are core/statistics, this only feeds them.
//
// Thread-safety: as its SqlConnection (one thread at a time).

#include "store/sqlconnection.h"

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
};

class StatisticsQuery
{
public:
    explicit StatisticsQuery(SqlConnection &sql) : m_sql(sql) {}

    // Optionally limited to one college.
    Result<StatisticsReport, StoreError> report(std::optional<Id> collegeScope = std::nullopt);

private:
    SqlConnection &m_sql;
};

} // namespace kaodian::server
