#include "store/compliancedata.h"

namespace kaodian::server {

namespace {

QDate dateValue(const QVariant &v)
{
    return v.isNull() ? QDate() : QDate::fromString(v.toString(), Qt::ISODate);
}

QString pilotName(const QString &certificate, qint64 level, const QString &college)
{
    return QStringLiteral("%1 %2（%3）").arg(certificate, levelName(static_cast<CertificateLevel>(level)), college);
}

// The condition of an active pilot (alias p).
const char kActivePilot[] = "p.active = 1 AND p.withdrawn_at IS NULL";

} // namespace

Result<QList<PilotSummary>, StoreError> ComplianceDataQuery::pilots()
{
    auto r = m_sql.query(QStringLiteral(
        "SELECT p.id, p.college_id, ce.name, p.level, co.name, p.registered, p.active, p.withdrawn_at, p.approved_count,"
        " p.start_date,"
        " (SELECT COUNT(DISTINCT r.candidate_id) FROM registration r JOIN exam_session s ON s.id = r.session_id"
        "   WHERE s.pilot_id = p.id AND r.withdrawn_at IS NULL)"
        " FROM pilot p JOIN college co ON co.id = p.college_id JOIN certificate ce ON ce.id = p.certificate_id"
        " ORDER BY co.name, ce.name, p.level, p.id"));
    if (!r)
        return r.error();
    QList<PilotSummary> out;
    for (const auto &p : r->rows) {
        PilotSummary s;
        s.id = p[0].toLongLong();
        s.collegeId = p[1].toLongLong();
        s.certificate = p[2].toString();
        s.level = static_cast<CertificateLevel>(p[3].toLongLong());
        s.college = p[4].toString();
        s.name = pilotName(s.certificate, p[3].toLongLong(), s.college);
        s.registered = p[5].toLongLong() != 0;
        s.withdrawn = !p[7].isNull();
        s.active = p[6].toLongLong() != 0 && !s.withdrawn;
        if (!p[8].isNull())
            s.approvedCount = static_cast<int>(p[8].toLongLong());
        s.startDate = dateValue(p[9]);
        s.candidates = static_cast<int>(p[10].toLongLong());
        out.append(s);
    }
    return out;
}

Result<QList<CollegeOffer>, StoreError> ComplianceDataQuery::collegeOffers()
{
    auto colleges = m_sql.query(QStringLiteral(
        "SELECT c.id, c.name, (SELECT COUNT(*) FROM major m WHERE m.college_id = c.id AND m.active = 1)"
        " FROM college c ORDER BY c.name"));
    if (!colleges)
        return colleges.error();
    auto certificates = m_sql.query(QStringLiteral("SELECT DISTINCT p.college_id, ce.name FROM pilot p"
                                                   " JOIN certificate ce ON ce.id = p.certificate_id WHERE ")
                                    + QLatin1String(kActivePilot) + QStringLiteral(" ORDER BY p.college_id, ce.name"));
    if (!certificates)
        return certificates.error();
    QHash<Id, QStringList> of;
    for (const auto &c : certificates->rows)
        of[c[0].toLongLong()].append(c[1].toString());
    QList<CollegeOffer> out;
    for (const auto &c : colleges->rows)
        out.append({c[0].toLongLong(), c[1].toString(), static_cast<int>(c[2].toLongLong()), of.value(c[0].toLongLong())});
    return out;
}

Result<QList<PilotStaffing>, StoreError> ComplianceDataQuery::pilotStaffing()
{
    auto r = m_sql.query(QStringLiteral("SELECT p.id, ce.name, p.level, co.name, CASE WHEN ")
                         + QLatin1String(kActivePilot)
                         + QStringLiteral(" THEN 1 ELSE 0 END FROM pilot p JOIN college co ON co.id = p.college_id"
                                          " JOIN certificate ce ON ce.id = p.certificate_id ORDER BY co.name, ce.name, p.level, p.id"));
    if (!r)
        return r.error();
    auto majors = m_sql.query(QStringLiteral("SELECT pm.pilot_id, m.name FROM pilot_major pm JOIN major m ON m.id = pm.major_id"
                                             " ORDER BY pm.pilot_id, m.name"));
    if (!majors)
        return majors.error();
    QHash<Id, QStringList> of;
    for (const auto &m : majors->rows)
        of[m[0].toLongLong()].append(m[1].toString());
    QList<PilotStaffing> out;
    for (const auto &p : r->rows) {
        PilotStaffing s;
        s.pilotId = p[0].toLongLong();
        s.certificate = p[1].toString();
        s.pilotName = pilotName(s.certificate, p[2].toLongLong(), p[3].toString());
        s.active = p[4].toLongLong() != 0;
        s.approvedMajors = of.value(s.pilotId);
        out.append(s);
    }
    return out;
}

Result<QList<Qualification>, StoreError> ComplianceDataQuery::qualifications()
{
    // A teacher with no major cannot stand for one (第十六条(二) asks for a teacher of the major).
    auto r = m_sql.query(QStringLiteral("SELECT m.name, c.name, q.kind, q.valid_from, q.valid_until FROM qualification q"
                                        " JOIN teacher t ON t.id = q.teacher_id JOIN major m ON m.id = t.major_id"
                                        " JOIN certificate c ON c.id = q.certificate_id ORDER BY q.id"));
    if (!r)
        return r.error();
    QList<Qualification> out;
    for (const auto &q : r->rows)
        out.append({q[0].toString(), q[1].toString(), static_cast<QualificationKind>(q[2].toLongLong()), dateValue(q[3]),
                    dateValue(q[4])});
    return out;
}

Result<QList<SiteAgreement>, StoreError> ComplianceDataQuery::siteAgreements()
{
    auto r = m_sql.query(QStringLiteral("SELECT id, name, agreement_number, agreement_expires FROM site"
                                        " WHERE withdrawn_at IS NULL ORDER BY name"));
    if (!r)
        return r.error();
    QList<SiteAgreement> out;
    for (const auto &s : r->rows)
        out.append({s[0].toLongLong(), s[1].toString(), s[2].toString(), dateValue(s[3])});
    return out;
}

Result<QList<CertificateCancellation>, StoreError> ComplianceDataQuery::cancellations()
{
    auto r = m_sql.query(QStringLiteral("SELECT name, cancelled_on, cancel_document FROM certificate"
                                        " WHERE cancelled_on IS NOT NULL ORDER BY name"));
    if (!r)
        return r.error();
    QList<CertificateCancellation> out;
    for (const auto &c : r->rows)
        out.append({c[0].toString(), dateValue(c[1]), c[2].toString()});
    return out;
}

Result<QList<PilotOfCertificate>, StoreError> ComplianceDataQuery::pilotsOfCertificates()
{
    auto r = m_sql.query(QStringLiteral("SELECT p.id, ce.name, p.level, co.name, CASE WHEN ")
                         + QLatin1String(kActivePilot)
                         + QStringLiteral(" THEN 1 ELSE 0 END FROM pilot p JOIN college co ON co.id = p.college_id"
                                          " JOIN certificate ce ON ce.id = p.certificate_id ORDER BY co.name, ce.name, p.level, p.id"));
    if (!r)
        return r.error();
    QList<PilotOfCertificate> out;
    for (const auto &p : r->rows)
        out.append({p[0].toLongLong(), pilotName(p[1].toString(), p[2].toLongLong(), p[3].toString()), p[1].toString(),
                    p[4].toLongLong() != 0});
    return out;
}

Result<QList<SiteOfCertificates>, StoreError> ComplianceDataQuery::sitesOfCertificates()
{
    // A site examines the certificates of the sessions scheduled there.
    auto r = m_sql.query(QStringLiteral("SELECT si.id, si.name, ce.name FROM site si"
                                        " JOIN exam_session s ON s.site_id = si.id JOIN pilot p ON p.id = s.pilot_id"
                                        " JOIN certificate ce ON ce.id = p.certificate_id WHERE si.withdrawn_at IS NULL"
                                        " GROUP BY si.id, si.name, ce.name ORDER BY si.name, ce.name"));
    if (!r)
        return r.error();
    QList<SiteOfCertificates> out;
    for (const auto &s : r->rows) {
        if (out.isEmpty() || out.last().siteId != s[0].toLongLong())
            out.append({s[0].toLongLong(), s[1].toString(), {}});
        out.last().certificates.append(s[2].toString());
    }
    return out;
}

Result<ComplianceInputs, StoreError> ComplianceDataQuery::read()
{
    ComplianceInputs in;
    auto pilotList = pilots();
    if (!pilotList)
        return pilotList.error();
    in.pilots = *pilotList;
    auto colleges = collegeOffers();
    if (!colleges)
        return colleges.error();
    in.colleges = *colleges;
    auto staffing = pilotStaffing();
    if (!staffing)
        return staffing.error();
    in.staffing = *staffing;
    auto quals = qualifications();
    if (!quals)
        return quals.error();
    in.qualifications = *quals;
    auto sites = siteAgreements();
    if (!sites)
        return sites.error();
    in.sites = *sites;
    auto cancelled = cancellations();
    if (!cancelled)
        return cancelled.error();
    in.cancellations = *cancelled;
    // The active pilots of every certificate, from the staffing list already read.
    for (const PilotStaffing &s : std::as_const(in.staffing))
        in.pilotsOfCertificates.append({s.pilotId, s.pilotName, s.certificate, s.active});
    auto examined = sitesOfCertificates();
    if (!examined)
        return examined.error();
    in.sitesOfCertificates = *examined;
    return in;
}

} // namespace kaodian::server
