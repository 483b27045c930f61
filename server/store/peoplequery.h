#pragma once

// The people behind the statistics, for export: every registration of a
// session, of a term or of everything a caller may see, with its candidate,
// its session and its derived state (attendance, late, check-in time,
// outcome, score). ID-card numbers leave this query masked
// (3501**********1234) unless the caller asks for them in full; the office
// use case (office/peopleexport.h) decides who may, and audits it.
//
// Thread-safety: as its SqlConnection (one thread at a time).

#include "store/sqlconnection.h"

#include "core/statistics.h"
#include "core/schoolterm.h"

#include <optional>

namespace kaodian::server {

// Which registrations: one session, or one term, or all; optionally only
// one college's (a college viewer's scope).
struct PeopleSelection
{
    std::optional<Id> sessionId;
    std::optional<SchoolTerm> term;
    std::optional<Id> collegeId;
};

enum class IdNumbers : std::uint8_t { Masked, Full };

// One registration as the export shows it. A column added to the export
// (peopletable.cpp) reads its value from here; a new registration state
// (退考, 请假 in advance, imported scores) is a field here and one column
// there.
struct PersonRow
{
    Id registrationId = 0;
    Id sessionId = 0;
    QDate examDate;
    QTime startTime;
    QString college, certificate;
    CertificateLevel level = CertificateLevel::Junior;
    QString site, room, seat;
    QString ticketNumber;
    QString name, studentNumber, major, className;
    QString idNumber; // masked unless IdNumbers::Full was asked
    Attendance attendance = Attendance::NotCheckedIn;
    bool late = false;
    QDateTime checkedInAt; // UTC; invalid when not checked in
    std::optional<Outcome> outcome;
    std::optional<int> score;
    // 退考: the withdrawal's date and reason (withdrawnOn invalid when not);
    // 请假 in advance: the reason (empty when not).
    QDate withdrawnOn;
    QString withdrawnReason;
    QString excusedReason;
    // The results file's or the office's scores, in tenths of a point.
    std::optional<int> theoryTenths, practicalTenths, totalTenths;
};

class PeopleQuery
{
public:
    explicit PeopleQuery(SqlConnection &sql) : m_sql(sql) {}

    // By exam date, start time, session, then room and seat.
    Result<QList<PersonRow>, StoreError> rows(const PeopleSelection &selection, IdNumbers idNumbers);

private:
    SqlConnection &m_sql;
};

} // namespace kaodian::server
