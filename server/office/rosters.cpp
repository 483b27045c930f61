#include "office/rosters.h"

#include "import/rosterimport.h"

namespace kaodian::server::office {

OfficeResult<ImportSummary> importRoster(ServerStore &store, const QByteArray &bytes, const QString &fileName,
                                         const QString &actor)
{
    QList<ImportProblem> problems;
    auto parsed = parseRosterFile(bytes, fileName);
    if (!parsed) {
        problems = parsed.error();
    } else {
        auto applied = store.rosters().applyRoster(*parsed, fileName, actor);
        if (applied)
            return *applied;
        if (applied.error().storeError)
            return OfficeError::fromStore(*applied.error().storeError);
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
