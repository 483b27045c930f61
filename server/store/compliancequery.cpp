#include "store/compliancequery.h"

#include "store/storeutil.h"

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

// What the board knows of a pilot beyond the rules' inputs.
struct PilotFacts
{
    Id id = 0;
    Id collegeId = 0;
    QString name;
    QString certificate;
    bool registered = true;
    bool active = true;
    bool withdrawn = false;
    QDate startDate;
    std::optional<int> approvedCount;
};

QString statisticsArticle(const Flag &f)
{
    return f.kind == FlagKind::ConsecutiveLowPassRate ? QStringLiteral("第七条(六)") : QStringLiteral("第七条(五)");
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
    const QString todayText = board.today.toString(Qt::ISODate);

    // ---- what the rules read --------------------------------------------
    auto pilotRows = m_sql.query(QStringLiteral(
        "SELECT p.id, p.college_id, c.name, ce.name, p.level, p.registered, p.active, p.withdrawn_at,"
        " p.start_date, p.approved_count FROM pilot p JOIN college c ON c.id = p.college_id"
        " JOIN certificate ce ON ce.id = p.certificate_id ORDER BY c.name, ce.name, p.level, p.id"));
    if (!pilotRows)
        return pilotRows.error();
    // A teacher is "of" a pilot's major when their majors bear the same
    // name (a major of the same name in another college is the same major).
    auto pilotMajors = m_sql.query(QStringLiteral(
        "SELECT pm.pilot_id, m.name FROM pilot_major pm JOIN major m ON m.id = pm.major_id ORDER BY pm.pilot_id, m.name"));
    if (!pilotMajors)
        return pilotMajors.error();
    auto collegeRows = m_sql.query(QStringLiteral(
        "SELECT c.id, c.name, (SELECT count(*) FROM major m WHERE m.college_id = c.id AND m.active = 1)"
        " FROM college c ORDER BY c.name, c.id"));
    if (!collegeRows)
        return collegeRows.error();
    // Only the qualifications valid today can staff a pilot: the rest stay
    // in the store (core/compliance checks the bounds again).
    auto qualificationRows = m_sql.query(
        QStringLiteral("SELECT m.name, ce.name, q.kind, q.valid_from, q.valid_until FROM qualification q"
                       " JOIN teacher t ON t.id = q.teacher_id JOIN major m ON m.id = t.major_id"
                       " JOIN certificate ce ON ce.id = q.certificate_id WHERE (q.valid_until IS NULL OR q.valid_until >= ?)"
                       " AND (q.valid_from IS NULL OR q.valid_from <= ?)"),
        {todayText, todayText});
    if (!qualificationRows)
        return qualificationRows.error();
    auto siteRows = m_sql.query(QStringLiteral(
        "SELECT id, name, agreement_number, agreement_expires, withdrawn_at FROM site ORDER BY name, id"));
    if (!siteRows)
        return siteRows.error();
    auto cancelledRows = m_sql.query(QStringLiteral(
        "SELECT name, cancelled_on, cancel_document FROM certificate WHERE cancelled_on IS NOT NULL"));
    if (!cancelledRows)
        return cancelledRows.error();
    // A site examines a cancelled certificate when it holds a session of it
    // on or after the day the cancellation took force.
    auto siteCertificateRows = m_sql.query(QStringLiteral(
        "SELECT DISTINCT s.site_id, ce.name FROM exam_session s JOIN pilot p ON p.id = s.pilot_id"
        " JOIN certificate ce ON ce.id = p.certificate_id"
        " WHERE ce.cancelled_on IS NOT NULL AND s.exam_date >= ce.cancelled_on"));
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
    // 第七条(五)(六) and each pilot's registrations come from the statistics.
    auto statistics = m_statistics.report();
    if (!statistics)
        return statistics.error();

    if (timing)
        timing->readNs = elapsed.nsecsElapsed();

    // ---- the rules' inputs ------------------------------------------------
    std::map<Id, QStringList> majorsOfPilot;
    for (const auto &row : pilotMajors->rows)
        majorsOfPilot[row[0].toLongLong()].push_back(row[1].toString());
    std::map<Id, PilotReports> reportsOfPilot;
    QList<PilotFacts> pilots;
    QList<PilotStaffing> staffing;
    QList<PilotOfCertificate> pilotsOfCertificate;
    std::map<Id, QStringList> certificatesOfCollege;
    for (const auto &row : pilotRows->rows) {
        PilotFacts p;
        p.id = row[0].toLongLong();
        p.collegeId = row[1].toLongLong();
        p.certificate = row[3].toString();
        p.name = QStringLiteral("%1 %2（%3）")
                     .arg(p.certificate, levelName(static_cast<CertificateLevel>(row[4].toLongLong())),
                          row[2].toString());
        p.registered = row[5].toLongLong() != 0;
        p.withdrawn = !row[7].isNull();
        p.active = row[6].toLongLong() != 0 && !p.withdrawn;
        p.startDate = storeDate(row[8]);
        if (!row[9].isNull())
            p.approvedCount = static_cast<int>(row[9].toLongLong());
        reportsOfPilot[p.id] = PilotReports{p.id, p.name, p.active, p.startDate, {}};
        staffing.push_back({p.id, p.name, p.certificate, p.active, majorsOfPilot[p.id]});
        pilotsOfCertificate.push_back({p.id, p.name, p.certificate, p.active});
        if (p.active)
            certificatesOfCollege[p.collegeId].push_back(p.certificate);
        pilots.push_back(std::move(p));
    }
    for (const auto &row : reportRows->rows) {
        const auto it = reportsOfPilot.find(row[0].toLongLong());
        if (it != reportsOfPilot.end())
            it->second.submittedAt.insert(storeDate(row[1]), parseStoreTime(row[2].toString()));
    }
    QList<PilotReports> reports;
    for (const auto &p : pilots)
        reports.push_back(std::move(reportsOfPilot[p.id]));
    QSet<QDate> exempt;
    for (const auto &row : exemptRows->rows)
        exempt.insert(storeDate(row[0]));

    QList<CollegeOffer> colleges;
    for (const auto &row : collegeRows->rows) {
        const Id id = row[0].toLongLong();
        colleges.push_back({id, row[1].toString(), static_cast<int>(row[2].toLongLong()), certificatesOfCollege[id]});
    }
    QList<Qualification> qualifications;
    for (const auto &row : qualificationRows->rows) {
        Qualification q;
        q.major = row[0].toString();
        q.certificate = row[1].toString();
        q.kind = static_cast<QualificationKind>(row[2].toLongLong());
        q.validFrom = storeDate(row[3]);
        q.validUntil = storeDate(row[4]);
        qualifications.push_back(std::move(q));
    }
    QList<SiteAgreement> sites;
    std::map<Id, bool> siteWithdrawn;
    for (const auto &row : siteRows->rows) {
        sites.push_back({row[0].toLongLong(), row[1].toString(), row[2].toString(), storeDate(row[3])});
        siteWithdrawn[row[0].toLongLong()] = !row[4].isNull();
    }
    QList<CertificateCancellation> cancellations;
    for (const auto &row : cancelledRows->rows)
        cancellations.push_back({row[0].toString(), storeDate(row[1]), row[2].toString()});
    std::map<Id, QStringList> certificatesOfSite;
    for (const auto &row : siteCertificateRows->rows)
        certificatesOfSite[row[0].toLongLong()].push_back(row[1].toString());
    QList<SiteOfCertificates> sitesOfCertificates;
    for (const auto &s : sites)
        if (!siteWithdrawn[s.siteId])
            sitesOfCertificates.push_back({s.siteId, s.siteName, certificatesOfSite[s.siteId]});
    // A withdrawn site (取消考点) is judged no more: what happened stays in its cases.
    QList<SiteAgreement> judgedSites;
    for (const auto &s : sites)
        if (!siteWithdrawn[s.siteId])
            judgedSites.push_back(s);

    // ---- the rules ----------------------------------------------------------
    QList<ComplianceFlag> found = weeklyReportFlags(reports, exempt, now);
    found += certificateCountFlags(colleges);
    found += qualifiedTeacherFlags(staffing, qualifications, board.today);
    found += siteAgreementFlags(judgedSites, board.today);
    found += cancelledCertificateFlags(cancellations, pilotsOfCertificate, sitesOfCertificates, board.today);

    std::map<Id, const PilotFacts *> pilotById;
    for (const auto &p : pilots)
        pilotById[p.id] = &p;
    std::map<Id, QString> siteName;
    for (const auto &s : sites)
        siteName[s.siteId] = s.siteName;
    std::map<Id, QString> collegeName;
    for (const auto &c : colleges)
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
        b.key = QStringLiteral("%1|%2|%3").arg(b.article, b.subjectKind).arg(b.subjectId);
        if (!b.weeks.isEmpty())
            b.key += QLatin1Char('|') + b.weeks.first().toString(Qt::ISODate);
        if (b.warning)
            b.key += QStringLiteral("|warning");
        board.flags.push_back(std::move(b));
    }
    std::map<Id, int> registrationsOfPilot;
    for (const auto &s : statistics->sessions)
        registrationsOfPilot[s.tally.pilotId] += s.tally.registered;
    for (const auto &f : statistics->flags) {
        BoardFlag b;
        b.article = statisticsArticle(f);
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
        b.key = QStringLiteral("%1|pilot|%2|%3").arg(b.article).arg(f.pilotId).arg(ids.join(QLatin1Char(',')));
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
    for (const auto &p : pilots) {
        if (collegeScope && p.collegeId != *collegeScope)
            continue;
        BoardRow r = makeRow(kPilot, p.id, p.name, p.collegeId);
        r.registered = p.registered;
        r.active = p.active;
        r.withdrawn = p.withdrawn;
        r.approvedCount = p.approvedCount;
        r.registrations = registrationsOfPilot[p.id];
        rowIndex[QStringLiteral("pilot|%1").arg(p.id)] = board.rows.size();
        board.rows.push_back(std::move(r));
    }
    if (!collegeScope) {
        for (const auto &s : sites) {
            BoardRow r = makeRow(kSite, s.siteId, s.siteName, 0);
            r.withdrawn = siteWithdrawn[s.siteId];
            r.active = !r.withdrawn;
            rowIndex[QStringLiteral("site|%1").arg(s.siteId)] = board.rows.size();
            board.rows.push_back(std::move(r));
        }
    }
    for (const auto &c : colleges) {
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
