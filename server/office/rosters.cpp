#include "office/rosters.h"

#include "import/rosterimport.h"

namespace kaodian::server::office {

OfficeResult<ImportSummary> importRoster(ServerStore &store, const QByteArray &bytes, const QString &fileName,
                                         const QString &actor, ImportMode mode, const QString &confirmSha256)
{
    QList<ImportProblem> problems;
    auto parsed = parseRosterFile(bytes, fileName);
    if (!parsed) {
        problems = parsed.error();
    } else {
        if (mode == ImportMode::Confirm && confirmSha256.trimmed().toLower() != parsed->sha256)
            return OfficeError{OfficeError::Kind::Refused, QStringLiteral("preview_mismatch"),
                               QStringLiteral("文件与预览时的不是同一份（SHA-256 不符），未导入任何数据：请重新预览后再确认"),
                               {}};
        auto applied = store.rosters().applyRoster(*parsed, fileName, actor, mode);
        if (applied)
            return *applied;
        if (applied.error().storeError)
            return OfficeError::fromStore(*applied.error().storeError);
        if (const auto &u = applied.error().unconfirmed)
            return OfficeError{OfficeError::Kind::Refused, QStringLiteral("needs_confirmation"),
                               QStringLiteral("文件会改动已有报名（调整考场座位 %1 人，退考 %2 人），未导入任何数据："
                                              "请先预览差异，确认后再导入")
                                   .arg(u->changedRegistrations)
                                   .arg(u->withdrawnRegistrations),
                               {}};
        problems = applied.error().problems;
    }
    // The refusal is on record even though nothing was imported.
    if (auto s = store.audit().append(actor, QStringLiteral("roster.refused"),
                                      QStringLiteral("%1：%2 处问题").arg(fileName).arg(problems.size()));
        !s)
        return OfficeError::fromStore(s.error());
    return OfficeError{OfficeError::Kind::Refused, QStringLiteral("invalid_file"),
                       QStringLiteral("文件有 %1 处问题，未导入任何数据").arg(problems.size()), problems};
}

} // namespace kaodian::server::office
