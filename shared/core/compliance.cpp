#include "core/compliance.h"

#include "core/examzone.h"

#include <algorithm>

namespace kaodian {

QString complianceArticle(ComplianceRule rule)
{
    switch (rule) {
    case ComplianceRule::WeeklyReports: return QStringLiteral("第七条(二)");
    case ComplianceRule::CertificatesVsMajors: return QStringLiteral("第二条(三)");
    case ComplianceRule::QualifiedTeachers: return QStringLiteral("第十六条(二)");
    case ComplianceRule::SiteAgreement: return QStringLiteral("第九条(五)");
    case ComplianceRule::CancelledPilot: return QStringLiteral("第七条(一)");
    case ComplianceRule::CancelledSite: return QStringLiteral("第九条(一)");
    }
    return {};
}

namespace {

QString iso(const QDate &d)
{
    return d.toString(Qt::ISODate);
}

// "2026-03-02 至 2026-03-08"
QString weekWords(const QDate &monday)
{
    return QStringLiteral("%1 至 %2").arg(iso(monday), iso(monday.addDays(6)));
}

} // namespace

// ---- 第七条(二) --------------------------------------------------------

QDate weekOf(const QDate &date)
{
    return date.isValid() ? date.addDays(1 - date.dayOfWeek()) : QDate();
}

QDateTime reportDeadline(const QDate &weekMonday)
{
    // The end of the following Monday: Tuesday 00:00 China time, exclusive.
    return examTime(weekMonday.addDays(8), QTime(0, 0));
}

bool reportOnTime(const QDate &weekMonday, const QDateTime &submittedAt)
{
    return submittedAt.isValid() && submittedAt < reportDeadline(weekMonday);
}

QList<std::pair<QDate, WeekState>> weekStates(const PilotReports &pilot, const QSet<QDate> &exempt,
                                              const QDateTime &now)
{
    QList<std::pair<QDate, WeekState>> out;
    if (!pilot.active || !pilot.startDate.isValid() || !now.isValid())
        return out;
    const QDate last = weekOf(examDate(now));
    // Instants compared as milliseconds since the epoch (as QDateTime
    // compares them), each week's deadline made once: two years of weeks
    // for 200 pilots are 20,000 of them.
    const qint64 nowMs = now.toMSecsSinceEpoch();
    for (QDate week = weekOf(pilot.startDate); week <= last; week = week.addDays(7)) {
        WeekState state;
        if (exempt.contains(week)) {
            state = WeekState::NotOwed;
        } else {
            const qint64 deadline = reportDeadline(week).toMSecsSinceEpoch();
            const auto it = pilot.submittedAt.constFind(week);
            const bool submitted
                = it != pilot.submittedAt.constEnd() && it->isValid() && it->toMSecsSinceEpoch() <= nowMs;
            if (submitted && it->toMSecsSinceEpoch() < deadline)
                state = WeekState::OnTime;
            else if (nowMs < deadline)
                state = WeekState::Open;
            else
                state = submitted ? WeekState::Late : WeekState::Missing;
        }
        out.push_back({week, state});
    }
    return out;
}

QList<ComplianceFlag> weeklyReportFlags(const QList<PilotReports> &pilots, const QSet<QDate> &exempt,
                                        const QDateTime &now)
{
    QList<ComplianceFlag> flags;
    for (const auto &pilot : pilots) {
        QList<QDate> run;
        int runLate = 0;
        auto close = [&] {
            if (run.size() >= 2) {
                ComplianceFlag f;
                f.rule = ComplianceRule::WeeklyReports;
                f.subjectKind = QStringLiteral("pilot");
                f.subjectId = pilot.pilotId;
                f.weeks = run;
                f.numerator = run.size();
                QStringList words;
                for (const QDate &w : run)
                    words << weekWords(w);
                f.message = QStringLiteral("%1：%2 连续 %3 周未按时提交周报（%4）%5")
                                .arg(complianceArticle(f.rule), pilot.pilotName)
                                .arg(run.size())
                                .arg(words.join(QStringLiteral("；")))
                                .arg(runLate ? QStringLiteral("，其中 %1 周逾期补交").arg(runLate) : QString());
                flags.push_back(std::move(f));
            }
            run.clear();
            runLate = 0;
        };
        for (const auto &[week, state] : weekStates(pilot, exempt, now)) {
            switch (state) {
            case WeekState::NotOwed:
            case WeekState::Open:
                break; // neither missing nor breaking a run
            case WeekState::OnTime:
                close();
                break;
            case WeekState::Late:
                ++runLate;
                run.push_back(week);
                break;
            case WeekState::Missing:
                run.push_back(week);
                break;
            }
        }
        close();
    }
    return flags;
}

// ---- 第二条(三) --------------------------------------------------------

QList<ComplianceFlag> certificateCountFlags(const QList<CollegeOffer> &colleges)
{
    QList<ComplianceFlag> flags;
    for (const auto &c : colleges) {
        QStringList distinct;
        for (const QString &name : c.activePilotCertificates)
            if (!distinct.contains(name))
                distinct.push_back(name);
        if (distinct.size() <= c.activeMajors)
            continue;
        ComplianceFlag f;
        f.rule = ComplianceRule::CertificatesVsMajors;
        f.subjectKind = QStringLiteral("college");
        f.subjectId = c.collegeId;
        f.objects = distinct;
        f.numerator = distinct.size();
        f.denominator = c.activeMajors;
        f.message = QStringLiteral("%1：%2 在办试点涉及 %3 种证书（%4），多于在办专业 %5 个")
                        .arg(complianceArticle(f.rule), c.collegeName)
                        .arg(distinct.size())
                        .arg(distinct.join(QStringLiteral("、")))
                        .arg(c.activeMajors);
        flags.push_back(std::move(f));
    }
    return flags;
}

// ---- 第十六条(二) -------------------------------------------------------

bool qualificationValidOn(const Qualification &q, const QDate &date)
{
    return date.isValid() && (!q.validFrom.isValid() || q.validFrom <= date)
           && (!q.validUntil.isValid() || date <= q.validUntil);
}

QList<ComplianceFlag> qualifiedTeacherFlags(const QList<PilotStaffing> &pilots,
                                            const QList<Qualification> &qualifications, const QDate &today)
{
    QList<ComplianceFlag> flags;
    for (const auto &p : pilots) {
        if (!p.active)
            continue;
        QStringList lacking;
        for (const QString &major : p.approvedMajors) {
            const bool covered = std::any_of(qualifications.begin(), qualifications.end(), [&](const Qualification &q) {
                return q.major == major && q.certificate == p.certificate && qualificationValidOn(q, today);
            });
            if (!covered && !lacking.contains(major))
                lacking.push_back(major);
        }
        if (lacking.isEmpty())
            continue;
        ComplianceFlag f;
        f.rule = ComplianceRule::QualifiedTeachers;
        f.subjectKind = QStringLiteral("pilot");
        f.subjectId = p.pilotId;
        f.objects = lacking;
        f.numerator = lacking.size();
        f.denominator = p.approvedMajors.size();
        f.message = QStringLiteral("%1：%2 的试点专业 %3 没有持有效「%4」培训教师或考评员资格的本专业教师")
                        .arg(complianceArticle(f.rule), p.pilotName, lacking.join(QStringLiteral("、")), p.certificate);
        flags.push_back(std::move(f));
    }
    return flags;
}

// ---- 第九条(五) --------------------------------------------------------

bool agreementHoldsOn(const SiteAgreement &site, const QDate &date)
{
    return site.validUntil.isValid() && date.isValid() && date <= site.validUntil;
}

namespace {

// "（XY-2024-07）", or nothing when no number is recorded.
QString numberWords(const SiteAgreement &s)
{
    return s.agreementNumber.isEmpty() ? QString() : QStringLiteral("（%1）").arg(s.agreementNumber);
}

} // namespace

QList<ComplianceFlag> siteAgreementFlags(const QList<SiteAgreement> &sites, const QDate &today)
{
    QList<ComplianceFlag> flags;
    for (const auto &s : sites) {
        ComplianceFlag f;
        f.rule = ComplianceRule::SiteAgreement;
        f.subjectKind = QStringLiteral("site");
        f.subjectId = s.siteId;
        if (!s.validUntil.isValid()) {
            f.message = QStringLiteral("%1：%2 没有登记合作协议").arg(complianceArticle(f.rule), s.siteName);
        } else if (!agreementHoldsOn(s, today)) {
            f.numerator = s.validUntil.daysTo(today); // days past
            f.message = QStringLiteral("%1：%2 的合作协议%3已于 %4 到期（已过 %5 天）")
                            .arg(complianceArticle(f.rule), s.siteName, numberWords(s), iso(s.validUntil))
                            .arg(f.numerator);
        } else if (today.daysTo(s.validUntil) < kAgreementWarningDays) {
            f.severity = ComplianceSeverity::Warning;
            f.numerator = today.daysTo(s.validUntil); // days left, 0 on the last day
            f.message = QStringLiteral("%1：%2 的合作协议%3将于 %4 到期（还有 %5 天）")
                            .arg(complianceArticle(f.rule), s.siteName, numberWords(s), iso(s.validUntil))
                            .arg(f.numerator);
        } else {
            continue;
        }
        flags.push_back(std::move(f));
    }
    return flags;
}

QString sessionRefusedAtSite(const SiteAgreement &site, const QDate &examDate)
{
    if (agreementHoldsOn(site, examDate))
        return {};
    if (!site.validUntil.isValid())
        return QStringLiteral("考点「%1」没有登记合作协议，不能安排考试（第九条(五)）").arg(site.siteName);
    return QStringLiteral("考点「%1」的合作协议于 %2 到期，不能安排 %3 的考试（第九条(五)）")
        .arg(site.siteName, iso(site.validUntil), iso(examDate));
}

// ---- 第七条(一), 第九条(一) ---------------------------------------------

QList<ComplianceFlag> cancelledCertificateFlags(const QList<CertificateCancellation> &cancellations,
                                                const QList<PilotOfCertificate> &pilots,
                                                const QList<SiteOfCertificates> &sites, const QDate &today)
{
    QHash<QString, const CertificateCancellation *> inForce;
    for (const auto &c : cancellations)
        if (c.cancelledOn.isValid() && c.cancelledOn <= today)
            inForce.insert(c.certificate, &c);
    auto words = [](const CertificateCancellation &c) {
        return QStringLiteral("证书「%1」已于 %2 取消（%3）").arg(c.certificate, iso(c.cancelledOn), c.document);
    };
    QList<ComplianceFlag> flags;
    for (const auto &p : pilots) {
        const auto *c = inForce.value(p.certificate);
        if (!p.active || !c)
            continue;
        ComplianceFlag f;
        f.rule = ComplianceRule::CancelledPilot;
        f.subjectKind = QStringLiteral("pilot");
        f.subjectId = p.pilotId;
        f.objects = {p.certificate};
        f.message = QStringLiteral("%1：%2 仍在办，%3").arg(complianceArticle(f.rule), p.pilotName, words(*c));
        flags.push_back(std::move(f));
    }
    for (const auto &s : sites) {
        QStringList cancelled;
        QStringList reasons;
        for (const QString &name : s.certificates) {
            const auto *c = inForce.value(name);
            if (c && !cancelled.contains(name)) {
                cancelled.push_back(name);
                reasons.push_back(words(*c));
            }
        }
        if (cancelled.isEmpty())
            continue;
        ComplianceFlag f;
        f.rule = ComplianceRule::CancelledSite;
        f.subjectKind = QStringLiteral("site");
        f.subjectId = s.siteId;
        f.objects = cancelled;
        f.message = QStringLiteral("%1：%2 是已取消证书的考点：%3")
                        .arg(complianceArticle(f.rule), s.siteName, reasons.join(QStringLiteral("；")));
        flags.push_back(std::move(f));
    }
    return flags;
}

} // namespace kaodian
