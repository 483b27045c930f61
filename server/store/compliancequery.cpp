#include "store/compliancequery.h"

#include "store/storeutil.h"

#include "core/caselife.h"
#include "core/examzone.h"

#include <QElapsedTimer>

#include <algorithm>
#include <map>

namespace kaodian::server {

namespace {

const QString kPilot = QStringLiteral("pilot");
const QString kSite = QStringLiteral("site");
const QString kCollege = QStringLiteral("college");

QDate storeDate(const QVariant &v)
{
    return v.isNull() ? QDate() : QDate::fromString(v.toString(), Qt::ISODate);
}

} // namespace

QStringList complianceArticles()
{
    return {QStringLiteral("第二条(三)"), QStringLiteral("第七条(一)"),  QStringLiteral("第七条(二)"),
            QStringLiteral("第七条(五)"), QStringLiteral("第七条(六)"),  QStringLiteral("第九条(一)"),
            QStringLiteral("第九条(五)"), QStringLiteral("第十六条(二)")};
}

QString articleSubjectKind(const QString &article)
{
    if (article == QStringLiteral("第二条(三)"))
        return kCollege;
    if (article.startsWith(QStringLiteral("第九条")))
        return kSite;
    return kPilot;
}

Result<ComplianceBoard, StoreError> ComplianceQuery::board(std::optional<Id> collegeScope, ComplianceTiming *timing)
{
    QElapsedTimer elapsed;
    elapsed.start();
    const QDateTime now = m_clock();
    ComplianceBoard board;
    board.today = examDate(now);

    // ---- what the rules read --------------------------------------------
    // The rules' data (store/compliancedata.h): pilots, colleges' offers,
    // staffing, qualifications, sites' agreements, cancellations.
    auto pilots = m_data.pilots();
    if (!pilots)
        return pilots.error();
    auto colleges = m_data.collegeOffers();
    if (!colleges)
        return colleges.error();
    auto staffing = m_data.pilotStaffing();
    if (!staffing)
        return staffing.error();
    auto qualifications = m_data.qualifications();
    if (!qualifications)
        return qualifications.error();
    auto agreements = m_data.siteAgreements(); // sites not withdrawn
    if (!agreements)
        return agreements.error();
    auto cancellations = m_data.cancellations();
    if (!cancellations)
        return cancellations.error();
    // Every site is a row, a withdrawn one (取消考点) too.
    auto siteRows = m_sql.query(QStringLiteral("SELECT id, name, withdrawn_at FROM site ORDER BY name, id"));
    if (!siteRows)
        return siteRows.error();
    // A site examines a cancelled certificate when it holds a session of it
    // on or after the day the cancellation took force.
    auto siteCertificateRows = m_sql.query(QStringLiteral(
        "SELECT DISTINCT s.site_id, ce.name FROM exam_session s JOIN pilot p ON p.id = s.pilot_id"
        " JOIN certificate ce ON ce.id = p.certificate_id JOIN site si ON si.id = s.site_id"
        " WHERE ce.cancelled_on IS NOT NULL AND s.exam_date >= ce.cancelled_on AND si.withdrawn_at IS NULL"));
    if (!siteCertificateRows)
        return siteCertificateRows.error();
    // A week's first submission decides on time or late.
    auto reportRows = m_sql.query(QStringLiteral(
        "SELECT pilot_id, week_monday, min(submitted_at) FROM weekly_report GROUP BY pilot_id, week_monday"));
    if (!reportRows)
        return reportRows.error();
    auto exemptRows = m_sql.query(QStringLiteral("SELECT week_monday FROM report_exemption"));
    if (!exemptRows)
        return exemptRows.error();
    auto caseRows = m_sql.query(QStringLiteral(
        "SELECT id, rule, subject_kind, subject_id, flag_key, state, closed_at FROM compliance_case ORDER BY id"));
    if (!caseRows)
        return caseRows.error();
    // 第七条(五)(六) come from the statistics.
    auto statistics = m_statistics.report();
    if (!statistics)
        return statistics.error();

    if (timing)
        timing->readNs = elapsed.nsecsElapsed();

    // ---- the rules' inputs ------------------------------------------------
    QList<PilotReports> reports;
    std::map<Id, qsizetype> reportsIndex;
    QList<PilotOfCertificate> pilotsOfCertificate;
    for (const auto &p : *pilots) {
        reportsIndex[p.id] = reports.size();
        reports.push_back(PilotReports{p.id, p.name, p.active, p.startDate, {}});
        pilotsOfCertificate.push_back({p.id, p.name, p.certificate, p.active});
    }
    for (const auto &row : reportRows->rows) {
        const auto it = reportsIndex.find(row[0].toLongLong());
        if (it != reportsIndex.end())
            reports[it->second].submittedAt.insert(storeDate(row[1]), parseStoreTime(row[2].toString()));
    }
    QSet<QDate> exempt;
    for (const auto &row : exemptRows->rows)
        exempt.insert(storeDate(row[0]));
    std::map<Id, QStringList> certificatesOfSite;
    for (const auto &row : siteCertificateRows->rows)
        certificatesOfSite[row[0].toLongLong()].push_back(row[1].toString());
    QList<SiteOfCertificates> sitesOfCertificates;
    for (const auto &s : *agreements)
        sitesOfCertificates.push_back({s.siteId, s.siteName, certificatesOfSite[s.siteId]});

    // ---- the rules ----------------------------------------------------------
    QList<ComplianceFlag> found = weeklyReportFlags(reports, exempt, now);
    found += certificateCountFlags(*colleges);
    found += qualifiedTeacherFlags(*staffing, *qualifications, board.today);
    found += siteAgreementFlags(*agreements, board.today);
    found += cancelledCertificateFlags(*cancellations, pilotsOfCertificate, sitesOfCertificates, board.today);
    board.ruleFlags = found;
    board.statisticsFlags = statistics->flags;

    std::map<Id, const PilotSummary *> pilotById;
    for (const auto &p : *pilots)
        pilotById[p.id] = &p;
    std::map<Id, QString> siteName;
    std::map<Id, bool> siteWithdrawn;
    QList<Id> siteOrder; // by name
    for (const auto &row : siteRows->rows) {
        siteOrder.push_back(row[0].toLongLong());
        siteName[row[0].toLongLong()] = row[1].toString();
        siteWithdrawn[row[0].toLongLong()] = !row[2].isNull();
    }
    std::map<Id, QString> collegeName;
    for (const auto &c : *colleges)
        collegeName[c.collegeId] = c.collegeName;
    const auto subjectName = [&](const QString &kind, Id id) -> QString {
        if (kind == kPilot)
            return pilotById.count(id) ? pilotById[id]->name : QString();
        if (kind == kSite)
            return siteName.count(id) ? siteName[id] : QString();
        return collegeName.count(id) ? collegeName[id] : QString();
    };
    const auto collegeOf = [&](const QString &kind, Id id) -> Id {
        if (kind == kPilot)
            return pilotById.count(id) ? pilotById[id]->collegeId : 0;
        return kind == kCollege ? id : 0;
    };

    for (const auto &f : found) {
        BoardFlag b;
        b.article = complianceArticle(f.rule);
        b.warning = f.severity == ComplianceSeverity::Warning;
        b.subjectKind = f.subjectKind;
        b.subjectId = f.subjectId;
        b.subjectName = subjectName(f.subjectKind, f.subjectId);
        b.collegeId = collegeOf(f.subjectKind, f.subjectId);
        b.weeks = f.weeks;
        b.objects = f.objects;
        b.numerator = f.numerator;
        b.denominator = f.denominator;
        b.message = f.message;
        b.key = caseKeyOf(f, board.today);
        board.flags.push_back(std::move(b));
    }
    for (const auto &f : statistics->flags) {
        BoardFlag b;
        b.article = statisticsFlagArticle(f);
        b.subjectKind = kPilot;
        b.subjectId = f.pilotId;
        b.subjectName = subjectName(kPilot, f.pilotId);
        b.collegeId = collegeOf(kPilot, f.pilotId);
        QStringList ids;
        for (const auto &s : f.sessions) {
            b.sessions.push_back(s.sessionId);
            ids.push_back(QString::number(s.sessionId));
            if (f.sessions.size() == 1) {
                b.numerator = s.numerator;
                b.denominator = s.denominator;
            }
        }
        b.message = f.message;
        b.key = caseKeyOf(f);
        board.flags.push_back(std::move(b));
    }
    if (collegeScope) {
        board.flags.erase(std::remove_if(board.flags.begin(), board.flags.end(),
                                         [&](const BoardFlag &b) { return b.collegeId != *collegeScope; }),
                          board.flags.end());
    }

    // ---- cases ------------------------------------------------------------
    // The newest case of each flag key, and the newest open case of each
    // row and article.
    std::map<QString, BoardCase> caseOfKey;
    std::map<QString, BoardCase> openCaseOf; // "article|kind|id"
    for (const auto &row : caseRows->rows) {
        BoardCase c{row[0].toLongLong(), row[5].toString(), !row[6].isNull()};
        if (!row[4].isNull())
            caseOfKey[row[4].toString()] = c;
        if (!c.closed)
            openCaseOf[QStringLiteral("%1|%2|%3").arg(row[1].toString(), row[2].toString()).arg(row[3].toLongLong())]
                = c;
    }
    for (auto &b : board.flags) {
        if (b.key.isEmpty())
            continue;
        const auto it = caseOfKey.find(b.key);
        if (it != caseOfKey.end())
            b.followedBy = it->second;
    }

    // ---- the rows -------------------------------------------------------
    const QStringList articles = complianceArticles();
    const auto makeRow = [&](const QString &kind, Id id, const QString &name, Id college) {
        BoardRow r;
        r.kind = kind;
        r.id = id;
        r.name = name;
        r.collegeId = college;
        for (const auto &a : articles) {
            BoardCell cell;
            if (articleSubjectKind(a) == kind) {
                cell.state = CellState::Ok;
                const auto open = openCaseOf.find(QStringLiteral("%1|%2|%3").arg(a, kind).arg(id));
                if (open != openCaseOf.end())
                    cell.openCase = open->second;
            }
            r.cells.push_back(std::move(cell));
        }
        return r;
    };
    std::map<QString, qsizetype> rowIndex; // "kind|id"
    for (const auto &p : *pilots) {
        if (collegeScope && p.collegeId != *collegeScope)
            continue;
        BoardRow r = makeRow(kPilot, p.id, p.name, p.collegeId);
        r.registered = p.registered;
        r.active = p.active;
        r.withdrawn = p.withdrawn;
        r.approvedCount = p.approvedCount;
        r.registrations = p.candidates;
        rowIndex[QStringLiteral("pilot|%1").arg(p.id)] = board.rows.size();
        board.rows.push_back(std::move(r));
    }
    if (!collegeScope) {
        for (Id id : siteOrder) {
            BoardRow r = makeRow(kSite, id, siteName[id], 0);
            r.withdrawn = siteWithdrawn[id];
            r.active = !r.withdrawn;
            rowIndex[QStringLiteral("site|%1").arg(id)] = board.rows.size();
            board.rows.push_back(std::move(r));
        }
    }
    for (const auto &c : *colleges) {
        if (collegeScope && c.collegeId != *collegeScope)
            continue;
        rowIndex[QStringLiteral("college|%1").arg(c.collegeId)] = board.rows.size();
        board.rows.push_back(makeRow(kCollege, c.collegeId, c.collegeName, c.collegeId));
    }
    for (qsizetype i = 0; i < board.flags.size(); ++i) {
        const auto &b = board.flags[i];
        const auto row = rowIndex.find(QStringLiteral("%1|%2").arg(b.subjectKind).arg(b.subjectId));
        const qsizetype column = articles.indexOf(b.article);
        if (row == rowIndex.end() || column < 0)
            continue;
        auto &cell = board.rows[row->second].cells[column];
        cell.flags.push_back(i);
        if (b.warning) {
            if (cell.state == CellState::Ok)
                cell.state = CellState::Warning;
        } else {
            cell.state = CellState::Flag;
        }
    }
    if (timing)
        timing->totalNs = elapsed.nsecsElapsed();
    return board;
}

} // namespace kaodian::server
