#include "office/cases.h"

#include <algorithm>

namespace kaodian::server::office {

namespace {

std::optional<OfficeError> badFile(const std::optional<std::pair<QString, QByteArray>> &file,
                                   std::optional<StoredAttachment> *out)
{
    if (!file)
        return std::nullopt;
    const AttachmentCheck check = checkAttachment(file->first, file->second);
    if (!check.attachment)
        return OfficeError::badInput(check.problem, QStringLiteral("invalid_attachment"));
    const Attachment &a = *check.attachment;
    *out = StoredAttachment{a.name, a.type, a.sha256, a.bytes};
    return std::nullopt;
}

} // namespace

std::optional<CaseFlag> caseFlagOf(const ComplianceFlag &flag, const QDate &today)
{
    const QString key = caseKeyOf(flag, today);
    if (key.isEmpty())
        return std::nullopt;
    return CaseFlag{complianceArticle(flag.rule), flag.subjectKind, flag.subjectId, key, flag.message};
}

std::optional<CaseFlag> caseFlagOf(const Flag &flag)
{
    const QString key = caseKeyOf(flag);
    if (key.isEmpty())
        return std::nullopt;
    return CaseFlag{statisticsFlagArticle(flag), QStringLiteral("pilot"), flag.pilotId, key, flag.message};
}

OfficeResult<ComplianceBoard> complianceBoard(ServerStore &store, std::optional<Id> collegeScope,
                                              const QString &actor)
{
    auto full = store.compliance().board();
    if (!full)
        return OfficeError::fromStore(full.error());
    auto opened = openCasesForFlags(store, full->ruleFlags, full->statisticsFlags, full->today,
                                    QStringLiteral("%1（合规看板）").arg(actor));
    if (!opened)
        return opened.error();
    if (opened->opened.isEmpty() && !collegeScope)
        return std::move(*full);
    // Read again: the new cases, and only the college's rows.
    auto board = store.compliance().board(collegeScope);
    if (!board)
        return OfficeError::fromStore(board.error());
    return std::move(*board);
}

OfficeResult<OpenedCases> openCasesForFlags(ServerStore &store, const QList<ComplianceFlag> &flags,
                                            const QList<Flag> &statisticsFlags, const QDate &today,
                                            const QString &actor)
{
    QList<CaseFlag> all;
    for (const auto &f : flags)
        if (auto c = caseFlagOf(f, today))
            all.push_back(*c);
    for (const auto &f : statisticsFlags)
        if (auto c = caseFlagOf(f))
            all.push_back(*c);
    OpenedCases out;
    QStringList keys;
    for (const auto &c : all)
        keys << c.key;
    auto known = store.cases().casesByFlagKey(keys);
    if (!known)
        return OfficeError::fromStore(known.error());
    QSet<QString> seen;
    for (const auto &c : all) {
        if (seen.contains(c.key))
            continue;
        seen.insert(c.key);
        if (known->contains(c.key)) {
            ++out.known;
            out.caseOfKey.insert(c.key, known->value(c.key).id);
            continue;
        }
        auto id = store.cases().openForFlag({c.rule, c.subjectKind, c.subjectId, c.key, c.summary, c.summary, std::nullopt},
                                            actor);
        if (!id)
            return OfficeError::fromStore(id.error());
        if (id->has_value()) {
            out.opened.push_back(**id);
            out.caseOfKey.insert(c.key, **id);
        } else {
            // Another process opened it between our read and our insert.
            ++out.known;
            auto again = store.cases().casesByFlagKey({c.key});
            if (!again)
                return OfficeError::fromStore(again.error());
            if (again->contains(c.key))
                out.caseOfKey.insert(c.key, again->value(c.key).id);
        }
    }
    return out;
}

QStringList findingRules()
{
    return {QStringLiteral("第七条(三)"), QStringLiteral("第七条(四)"), QStringLiteral("第七条(七)"),
            QStringLiteral("第九条(二)"), QStringLiteral("第九条(三)"), QStringLiteral("第九条(四)"),
            QStringLiteral("第九条(六)")};
}

QString findingSubjectKind(const QString &rule)
{
    if (!findingRules().contains(rule))
        return {};
    return rule.startsWith(QStringLiteral("第七条")) ? QStringLiteral("pilot") : QStringLiteral("site");
}

OfficeResult<Id> recordFinding(ServerStore &store, const FindingInput &finding, const QString &actor)
{
    const QString kind = findingSubjectKind(finding.rule);
    if (kind.isEmpty())
        return OfficeError::badInput(QStringLiteral("人工记录的问题须为 %1 之一").arg(findingRules().join(QStringLiteral("、"))));
    if (finding.subjectKind != kind)
        return OfficeError::badInput(kind == QLatin1String("pilot")
                                         ? QStringLiteral("%1 是关于试点的条款，请选择一个试点").arg(finding.rule)
                                         : QStringLiteral("%1 是关于考点的条款，请选择一个考点").arg(finding.rule));
    const QString note = finding.note.trimmed();
    if (note.isEmpty())
        return OfficeError::badInput(QStringLiteral("请写明核查依据（发现了什么、在哪里、由谁发现）"));
    if (note.size() > kMaxCaseReason)
        return OfficeError::badInput(QStringLiteral("说明不能超过 %1 字").arg(kMaxCaseReason));
    std::optional<StoredAttachment> attachment;
    if (auto bad = badFile(finding.file, &attachment))
        return *bad;
    const QString firstLine = note.section(QLatin1Char('\n'), 0, 0).left(100);
    const QString summary = QStringLiteral("%1：%2").arg(finding.rule, firstLine);
    auto id = store.cases().openFinding({finding.rule, kind, finding.subjectId, QString(), summary, note, attachment},
                                        actor);
    if (!id)
        return OfficeError::fromStore(id.error());
    return *id;
}

OfficeResult<CaseMoved> moveCase(ServerStore &store, const MoveInput &move, CaseActor kind,
                                 std::optional<Id> collegeScope, const QString &actor)
{
    const auto from = caseStateFromWord(move.from);
    const auto to = caseStateFromWord(move.to);
    if (!from || !to)
        return OfficeError::badInput(QStringLiteral("案件状态须为 待核查、核查中、不属实、属实、整改中、已整改、未整改、取消试点、取消考点 之一"));
    std::optional<StoredAttachment> attachment;
    if (auto bad = badFile(move.file, &attachment))
        return *bad;
    CaseMoveRequest request;
    request.caseId = move.caseId;
    request.from = *from;
    request.to = *to;
    request.actor = kind;
    request.collegeScope = collegeScope;
    request.reason = move.reason;
    request.deadline = move.deadline;
    request.attachment = attachment;
    auto moved = store.cases().move(request, actor);
    if (!moved)
        return OfficeError::fromStore(moved.error());
    return *moved;
}

} // namespace kaodian::server::office
