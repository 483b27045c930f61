#pragma once

// The inputs of the compliance rules (core/compliance.h) as the store holds
// them, read in one place for GET /api/v1/compliance and the 合规 board:
// colleges' active majors and their active pilots' certificates (第二条(三)),
// pilots' approved majors and the teachers' qualifications (第十六条(二)),
// sites' agreements (第九条(五)), cancelled certificates with the pilots and
// sites of each (第七条(一), 第九条(一)).
//
// "Active" for a pilot: its 状态 is 试点中 (pilot.active) and it has not been
// withdrawn by a case (取消试点). A pilot a roster made (未登记) is active
// and counts: it runs exams; its approved majors are then the majors of its
// candidates until 教务处 registers it. A site withdrawn (取消考点) is left
// out of the site lists. Names are in words: "Web前端开发 中级（信息工程学院）".
//
// Thread-safety: as its SqlConnection (one thread at a time).

#include "store/sqlconnection.h"

#include "core/compliance.h"

namespace kaodian::server {

// A pilot as the board names it, with what the rules do not carry.
struct PilotSummary
{
    Id id = 0, collegeId = 0;
    QString name;        // "Web前端开发 中级（信息工程学院）"
    QString certificate, college;
    CertificateLevel level = CertificateLevel::Junior;
    bool registered = false; // false: 未登记
    bool active = true;      // 试点中 and not withdrawn
    bool withdrawn = false;  // 取消试点
    std::optional<int> approvedCount;
    int candidates = 0;      // distinct, not withdrawn
    QDate startDate;
};

// Everything the rules read, from one transaction-free pass over the store.
struct ComplianceInputs
{
    QList<PilotSummary> pilots;
    QList<CollegeOffer> colleges;               // 第二条(三)
    QList<PilotStaffing> staffing;              // 第十六条(二)
    QList<Qualification> qualifications;        // 第十六条(二)
    QList<SiteAgreement> sites;                 // 第九条(五)
    QList<CertificateCancellation> cancellations; // 第七条(一), 第九条(一)
    QList<PilotOfCertificate> pilotsOfCertificates;
    QList<SiteOfCertificates> sitesOfCertificates;
};

class ComplianceDataQuery
{
public:
    explicit ComplianceDataQuery(SqlConnection &sql) : m_sql(sql) {}

    Result<ComplianceInputs, StoreError> read();

    // The parts, each one or two queries.
    Result<QList<PilotSummary>, StoreError> pilots();
    Result<QList<CollegeOffer>, StoreError> collegeOffers();
    Result<QList<PilotStaffing>, StoreError> pilotStaffing();
    Result<QList<Qualification>, StoreError> qualifications();
    Result<QList<SiteAgreement>, StoreError> siteAgreements();
    Result<QList<CertificateCancellation>, StoreError> cancellations();
    Result<QList<PilotOfCertificate>, StoreError> pilotsOfCertificates();
    Result<QList<SiteOfCertificates>, StoreError> sitesOfCertificates();

private:
    SqlConnection &m_sql;
};

} // namespace kaodian::server
