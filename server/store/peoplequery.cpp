#include "store/peoplequery.h"

#include "store/storeutil.h"

namespace kaodian::server {

Result<QList<PersonRow>, StoreError> PeopleQuery::rows(const PeopleSelection &selection, IdNumbers idNumbers)
{
    QString sql = QStringLiteral(
        "SELECT r.id, s.id, s.exam_date, s.start_time, co.name, ce.name, p.level, si.name, ro.code, r.seat,"
        " r.ticket_number, c.name, c.student_number, m.name, c.class_name, c.id_number,"
        " r.attendance, r.late, r.checked_in_at, r.outcome, r.score,"
        " r.withdrawn_at, r.withdrawn_on, r.withdrawn_reason, r.excused_reason,"
        " rr.theory_tenths, rr.practical_tenths, rr.total_tenths"
        " FROM registration r JOIN exam_session s ON s.id = r.session_id"
        " JOIN pilot p ON p.id = s.pilot_id JOIN college co ON co.id = p.college_id"
        " JOIN certificate ce ON ce.id = p.certificate_id JOIN site si ON si.id = s.site_id"
        " JOIN room ro ON ro.id = r.room_id JOIN candidate c ON c.id = r.candidate_id"
        " JOIN major m ON m.id = c.major_id"
        " LEFT JOIN result_record rr ON rr.id = (SELECT max(h.id) FROM result_record h WHERE h.registration_id = r.id)"
        " WHERE 1 = 1");
    QVariantList params;
    if (selection.sessionId) {
        sql += QStringLiteral(" AND s.id = ?");
        params << *selection.sessionId;
    }
    if (selection.term) {
        // ISO dates compare as text in both stores.
        sql += QStringLiteral(" AND s.exam_date >= ? AND s.exam_date <= ?");
        params << selection.term->first().toString(Qt::ISODate) << selection.term->last().toString(Qt::ISODate);
    }
    if (selection.collegeId) {
        sql += QStringLiteral(" AND p.college_id = ?");
        params << *selection.collegeId;
    }
    sql += QStringLiteral(" ORDER BY s.exam_date, s.start_time, s.id, ro.code, r.seat, r.id");
    auto r = m_sql.query(sql, params);
    if (!r)
        return r.error();
    QList<PersonRow> out;
    out.reserve(r->rows.size());
    for (const auto &row : r->rows) {
        PersonRow p;
        p.registrationId = row[0].toLongLong();
        p.sessionId = row[1].toLongLong();
        p.examDate = QDate::fromString(row[2].toString(), Qt::ISODate);
        p.startTime = QTime::fromString(row[3].toString(), QStringLiteral("HH:mm"));
        p.college = row[4].toString();
        p.certificate = row[5].toString();
        p.level = static_cast<CertificateLevel>(row[6].toLongLong());
        p.site = row[7].toString();
        p.room = row[8].toString();
        p.seat = row[9].toString();
        p.ticketNumber = row[10].toString();
        p.name = row[11].toString();
        p.studentNumber = row[12].toString();
        p.major = row[13].toString();
        p.className = row[14].toString();
        p.idNumber = idNumbers == IdNumbers::Full ? row[15].toString() : maskIdNumber(row[15].toString());
        p.attendance = static_cast<Attendance>(row[16].toLongLong());
        p.late = row[17].toLongLong() != 0;
        if (!row[18].isNull())
            p.checkedInAt = parseStoreTime(row[18].toString());
        if (!row[19].isNull())
            p.outcome = static_cast<Outcome>(row[19].toLongLong());
        if (!row[20].isNull())
            p.score = static_cast<int>(row[20].toLongLong());
        if (!row[21].isNull()) {
            p.withdrawnOn = QDate::fromString(row[22].toString(), Qt::ISODate);
            if (!p.withdrawnOn.isValid())
                p.withdrawnOn = QDate::fromString(row[21].toString().left(10), Qt::ISODate);
            p.withdrawnReason = row[23].toString();
        }
        p.excusedReason = row[24].toString();
        auto tenths = [](const QVariant &v) { return v.isNull() ? std::nullopt : std::optional<int>(int(v.toLongLong())); };
        p.theoryTenths = tenths(row[25]);
        p.practicalTenths = tenths(row[26]);
        p.totalTenths = tenths(row[27]);
        out.push_back(std::move(p));
    }
    return out;
}

} // namespace kaodian::server
