#include "core/caselife.h"

#include <algorithm>
#include <array>

namespace kaodian {

namespace {

struct StateWord
{
    CaseState state;
    const char16_t *word;
};

constexpr std::array<StateWord, 9> kWords{{
    {CaseState::Pending, u"待核查"},
    {CaseState::Investigating, u"核查中"},
    {CaseState::Unfounded, u"不属实"},
    {CaseState::Confirmed, u"属实"},
    {CaseState::Rectifying, u"整改中"},
    {CaseState::Rectified, u"已整改"},
    {CaseState::NotRectified, u"未整改"},
    {CaseState::PilotWithdrawn, u"取消试点"},
    {CaseState::SiteWithdrawn, u"取消考点"},
}};

} // namespace

QString caseStateWord(CaseState state)
{
    for (const auto &w : kWords)
        if (w.state == state)
            return QString::fromUtf16(w.word);
    return {};
}

std::optional<CaseState> caseStateFromWord(const QString &word)
{
    for (const auto &w : kWords)
        if (word == QString::fromUtf16(w.word))
            return w.state;
    return std::nullopt;
}

bool caseClosed(CaseState state)
{
    return state == CaseState::Unfounded || state == CaseState::Rectified || state == CaseState::PilotWithdrawn
           || state == CaseState::SiteWithdrawn;
}

QList<CaseState> caseMovesFrom(CaseState from, CaseActor actor, CaseSubject subject)
{
    if (actor == CaseActor::College)
        return from == CaseState::Rectifying ? QList<CaseState>{CaseState::Rectifying} : QList<CaseState>{};
    switch (from) {
    case CaseState::Pending: return {CaseState::Investigating};
    case CaseState::Investigating: return {CaseState::Confirmed, CaseState::Unfounded};
    case CaseState::Confirmed: return {CaseState::Rectifying};
    case CaseState::Rectifying: return {CaseState::Rectified, CaseState::NotRectified};
    case CaseState::NotRectified:
        // Withdrawal ends a case about what can be withdrawn: a pilot (取消试点)
        // or a site (取消考点). A case about a college (第二条(三)) stays 未整改
        // until a case about one of its pilots withdraws it.
        if (subject == CaseSubject::Pilot)
            return {CaseState::PilotWithdrawn};
        if (subject == CaseSubject::Site)
            return {CaseState::SiteWithdrawn};
        return {};
    case CaseState::Unfounded:
    case CaseState::Rectified:
    case CaseState::PilotWithdrawn:
    case CaseState::SiteWithdrawn: return {};
    }
    return {};
}

QString caseMoveProblem(const CaseMove &move)
{
    const QString from = caseStateWord(move.from);
    const QString to = caseStateWord(move.to);
    if (caseClosed(move.from))
        return QStringLiteral("案件已结案（%1），不能再变更").arg(from);
    if (!caseMovesFrom(move.from, move.actor, move.subject).contains(move.to)) {
        if (move.actor == CaseActor::College)
            return move.from == CaseState::Rectifying
                       ? QStringLiteral("二级学院只能在整改中记录整改情况")
                       : QStringLiteral("案件处于「%1」，二级学院只能在整改中记录整改情况").arg(from);
        if (move.to == CaseState::PilotWithdrawn && move.from == CaseState::NotRectified)
            return QStringLiteral("只有针对试点的案件可以取消试点");
        if (move.to == CaseState::SiteWithdrawn && move.from == CaseState::NotRectified)
            return QStringLiteral("只有针对考点的案件可以取消考点");
        return QStringLiteral("案件处于「%1」，不能改为「%2」").arg(from, to);
    }
    const QString reason = move.reason.trimmed();
    if (reason.isEmpty())
        return move.actor == CaseActor::College ? QStringLiteral("请写明整改情况")
                                                : QStringLiteral("请写明改为「%1」的理由").arg(to);
    if (reason.size() > kMaxCaseReason)
        return QStringLiteral("理由不能超过 %1 字").arg(kMaxCaseReason);
    const bool setsDeadline = move.to == CaseState::Rectifying && move.from != CaseState::Rectifying;
    if (setsDeadline) {
        if (!move.deadline.isValid())
            return QStringLiteral("改为整改中须给出整改期限");
        if (move.today.isValid() && move.deadline < move.today)
            return QStringLiteral("整改期限 %1 早于今天").arg(move.deadline.toString(Qt::ISODate));
    } else if (move.deadline.isValid()) {
        return QStringLiteral("只有改为整改中时才给出整改期限");
    }
    return {};
}

QString caseKeyOf(const ComplianceFlag &flag, const QDate &today)
{
    if (flag.severity != ComplianceSeverity::Flag)
        return {};
    QString saw;
    switch (flag.rule) {
    case ComplianceRule::WeeklyReports:
        // A run grows week by week: its first week names it.
        saw = flag.weeks.isEmpty() ? QString() : flag.weeks.first().toString(Qt::ISODate);
        break;
    case ComplianceRule::CertificatesVsMajors:
    case ComplianceRule::QualifiedTeachers:
    case ComplianceRule::CancelledPilot:
    case ComplianceRule::CancelledSite: {
        QStringList objects = flag.objects;
        std::sort(objects.begin(), objects.end());
        saw = objects.join(QLatin1Char(','));
        break;
    }
    case ComplianceRule::SiteAgreement:
        // Days past (numerator) grow daily; the agreement's last day does not.
        // None recorded at all: numerator 0 (an ended one is at least 1 day past).
        saw = flag.numerator > 0 ? today.addDays(-flag.numerator).toString(Qt::ISODate) : QStringLiteral("none");
        break;
    }
    return QStringLiteral("%1|%2:%3|%4").arg(complianceArticle(flag.rule), flag.subjectKind).arg(flag.subjectId).arg(saw);
}

QString statisticsFlagArticle(const Flag &flag)
{
    return flag.kind == FlagKind::ConsecutiveLowPassRate ? QStringLiteral("第七条(六)") : QStringLiteral("第七条(五)");
}

QString caseKeyOf(const Flag &flag)
{
    if (flag.kind == FlagKind::PublishedCountReminder || flag.sessions.isEmpty())
        return {};
    QStringList sessions;
    for (const auto &s : flag.sessions)
        sessions << QString::number(s.sessionId);
    if (flag.kind == FlagKind::MissingPublishedCount)
        sessions.first().prepend(QStringLiteral("no-count:"));
    return QStringLiteral("%1|pilot:%2|sessions:%3")
        .arg(statisticsFlagArticle(flag))
        .arg(flag.pilotId)
        .arg(sessions.join(QLatin1Char(',')));
}

} // namespace kaodian
