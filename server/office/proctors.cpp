#include "office/proctors.h"

#include "core/pinhash.h"

namespace kaodian::server::office {

OfficeResult<ProctorImportSummary> importProctors(ServerStore &store, const QByteArray &bytes, const QString &fileName,
                                                  const QString &actor)
{
    ProblemCollector fileProblems;
    auto parsed = readProctorFile(bytes, fileName, fileProblems);
    QList<ImportProblem> problems = fileProblems.report();
    if (parsed && fileProblems.isEmpty()) {
        auto applied = store.proctors().importAssignments(*parsed, fileName, actor);
        if (applied)
            return *applied;
        if (applied.error().storeError)
            return OfficeError::fromStore(*applied.error().storeError);
        problems = applied.error().problems;
    }
    if (auto s = store.audit().append(actor, QStringLiteral("proctors.refused"),
                                      QStringLiteral("%1：%2 处问题").arg(fileName).arg(problems.size()));
        !s)
        return OfficeError::fromStore(s.error());
    return OfficeError{OfficeError::Kind::Refused, QStringLiteral("invalid_file"),
                       QStringLiteral("文件有 %1 处问题，未导入任何监考安排").arg(problems.size()), problems};
}

Status<OfficeError> setProctorPin(ServerStore &store, const QString &staffNumber, const QString &pin,
                                  const QString &actor)
{
    if (const auto problem = pinProblem(pin))
        return OfficeError::badInput(*problem, QStringLiteral("bad_pin"));
    const auto hash = hashPin(pin);
    if (!hash)
        return OfficeError{OfficeError::Kind::Unavailable, QStringLiteral("crypto_failed"),
                           QStringLiteral("无法计算 PIN 的摘要（加密库错误），PIN 未设置"), {}};
    if (auto s = store.proctors().setPinHash(staffNumber, *hash, actor); !s)
        return OfficeError::fromStore(s.error());
    return {};
}

} // namespace kaodian::server::office
