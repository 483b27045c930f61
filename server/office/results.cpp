#include "office/results.h"

namespace kaodian::server::office {

namespace {

std::optional<OfficeError> reasonProblem(const QString &reason, const QString &what)
{
    if (reason.trimmed().isEmpty())
        return OfficeError::badInput(QStringLiteral("%1须填写原因").arg(what), QStringLiteral("reason_required"));
    if (reason.size() > kMaxReasonLength)
        return OfficeError::badInput(QStringLiteral("原因最多 %1 个字").arg(kMaxReasonLength));
    return std::nullopt;
}

} // namespace

OfficeResult<ResultsSummary> importResults(ServerStore &store, const QByteArray &bytes, const QString &fileName,
                                           bool replace, const QString &reason, const QString &actor)
{
    if (replace) {
        if (auto p = reasonProblem(reason, QStringLiteral("替换已有成绩")))
            return *p;
    }
    // Every problem at once: the file's own, then (for the rows that read)
    // the store's, listed by line.
    ProblemCollector fileProblems;
    auto parsed = readResultFile(bytes, fileName, fileProblems);
    QList<ImportProblem> problems = fileProblems.report();
    if (parsed) {
        auto applied = store.results().applyResults(*parsed, fileName, replace, reason.trimmed(), actor,
                                                    !fileProblems.isEmpty());
        if (applied && fileProblems.isEmpty())
            return *applied;
        if (!applied && applied.error().storeError)
            return OfficeError::fromStore(*applied.error().storeError);
        if (!applied) {
            ProblemCollector all;
            QList<ImportProblem> merged = fileProblems.report();
            merged += applied.error().problems;
            std::stable_sort(merged.begin(), merged.end(),
                             [](const ImportProblem &a, const ImportProblem &b) { return a.line < b.line; });
            for (const auto &p : merged)
                all.add(p.line, p.column, p.message);
            problems = all.report();
        }
    }
    if (auto s = store.audit().append(actor, QStringLiteral("results.refused"),
                                      QStringLiteral("%1：%2 处问题").arg(fileName).arg(problems.size()));
        !s)
        return OfficeError::fromStore(s.error());
    return OfficeError{OfficeError::Kind::Refused, QStringLiteral("invalid_file"),
                       QStringLiteral("文件有 %1 处问题，未导入任何成绩").arg(problems.size()), problems};
}

OfficeResult<bool> correctResult(ServerStore &store, Id sessionId, Id registrationId, const ResultValue &value,
                                 const QString &reason, const QString &actor)
{
    if (auto p = reasonProblem(reason, QStringLiteral("更正成绩")))
        return *p;
    for (const auto &score : {value.theory, value.practical, value.total}) {
        if (score && (*score < 0 || *score > kMaxScoreTenths))
            return OfficeError::badInput(QStringLiteral("分数应在 0 到 100 之间，最多一位小数"));
    }
    if (value.outcome == ResultOutcome::Absent && (value.theory || value.practical || value.total))
        return OfficeError::badInput(QStringLiteral("缺考的考生不应有成绩"));
    auto r = store.results().correct(sessionId, registrationId, value, reason.trimmed(), actor);
    if (!r && r.error().code == StoreError::Code::Refused)
        return OfficeError{OfficeError::Kind::Conflict, QStringLiteral("result_refused"), r.error().message, {}};
    if (!r)
        return OfficeError::fromStore(r.error());
    return *r;
}

Status<OfficeError> setResultsFinal(ServerStore &store, Id sessionId, bool final, const QString &reason,
                                    const QString &actor)
{
    if (!final) {
        if (auto p = reasonProblem(reason, QStringLiteral("重新开放成绩")))
            return *p;
    }
    auto pending = store.results().setFinal(sessionId, final, reason.trimmed(), actor);
    if (!pending)
        return OfficeError::fromStore(pending.error());
    if (pending->isEmpty())
        return {};
    OfficeError e{OfficeError::Kind::Conflict, QStringLiteral("results_pending"),
                  QStringLiteral("还有 %1 名参加考试的考生没有成绩，不能确认成绩。请先导入或录入他们的成绩。")
                      .arg(pending->size()),
                  {}};
    for (const PendingResult &p : *pending)
        e.problems.append(ImportProblem{0, p.ticketNumber,
                                        QStringLiteral("%1（准考证号 %2，考场 %3 座位 %4）已签到参加考试，没有成绩")
                                            .arg(p.name, p.ticketNumber, p.room, p.seat)});
    return e;
}

} // namespace kaodian::server::office
