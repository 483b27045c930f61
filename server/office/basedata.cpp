#include "office/basedata.h"

#include "import/rosterfields.h"

namespace kaodian::server::office {

QString baseDataKindKey(BaseDataKind kind)
{
    switch (kind) {
    case BaseDataKind::Majors: return QStringLiteral("majors");
    case BaseDataKind::Pilots: return QStringLiteral("pilots");
    case BaseDataKind::Teachers: return QStringLiteral("teachers");
    case BaseDataKind::Sites: return QStringLiteral("sites");
    }
    return {};
}

std::optional<BaseDataKind> baseDataKindFromKey(const QString &key)
{
    for (BaseDataKind k : {BaseDataKind::Majors, BaseDataKind::Pilots, BaseDataKind::Teachers, BaseDataKind::Sites}) {
        if (key == baseDataKindKey(k))
            return k;
    }
    return std::nullopt;
}

QString baseDataKindName(BaseDataKind kind)
{
    switch (kind) {
    case BaseDataKind::Majors: return QStringLiteral("专业名单");
    case BaseDataKind::Pilots: return QStringLiteral("试点名单");
    case BaseDataKind::Teachers: return QStringLiteral("师资名单");
    case BaseDataKind::Sites: return QStringLiteral("考点名单");
    }
    return {};
}

namespace {

template<typename File>
Result<BaseDataSummary, BaseDataFailure> apply(ServerStore &store, const File &file, const QString &fileName,
                                               const QString &actor);

template<>
Result<BaseDataSummary, BaseDataFailure> apply(ServerStore &store, const MajorFile &file, const QString &fileName,
                                               const QString &actor)
{
    return store.baseData().applyMajors(file, fileName, actor);
}
template<>
Result<BaseDataSummary, BaseDataFailure> apply(ServerStore &store, const PilotFile &file, const QString &fileName,
                                               const QString &actor)
{
    return store.baseData().applyPilots(file, fileName, actor);
}
template<>
Result<BaseDataSummary, BaseDataFailure> apply(ServerStore &store, const TeacherFile &file, const QString &fileName,
                                               const QString &actor)
{
    return store.baseData().applyTeachers(file, fileName, actor);
}
template<>
Result<BaseDataSummary, BaseDataFailure> apply(ServerStore &store, const SiteFile &file, const QString &fileName,
                                               const QString &actor)
{
    return store.baseData().applySites(file, fileName, actor);
}

template<typename File>
OfficeResult<BaseDataSummary> readAndApply(ServerStore &store, BaseDataKind kind, const std::optional<File> &parsed,
                                           const ProblemCollector &fileProblems, const QString &fileName,
                                           const QString &actor)
{
    QList<ImportProblem> problems = fileProblems.report();
    if (parsed && fileProblems.isEmpty()) {
        auto applied = apply(store, *parsed, fileName, actor);
        if (applied)
            return *applied;
        if (applied.error().storeError)
            return OfficeError::fromStore(*applied.error().storeError);
        problems = applied.error().problems;
    }
    // The refusal is on record even though nothing was imported.
    if (auto s = store.audit().append(actor, QStringLiteral("basedata.%1.refused").arg(baseDataKindKey(kind)),
                                      QStringLiteral("%1：%2 处问题").arg(fileName).arg(problems.size()));
        !s)
        return OfficeError::fromStore(s.error());
    return OfficeError{OfficeError::Kind::Refused, QStringLiteral("invalid_file"),
                       QStringLiteral("%1有 %2 处问题，未导入任何数据").arg(baseDataKindName(kind)).arg(problems.size()),
                       problems};
}

} // namespace

OfficeResult<BaseDataSummary> importBaseData(ServerStore &store, BaseDataKind kind, const QByteArray &bytes,
                                             const QString &fileName, const QString &actor)
{
    ProblemCollector problems;
    switch (kind) {
    case BaseDataKind::Majors:
        return readAndApply(store, kind, readMajorFile(bytes, fileName, problems), problems, fileName, actor);
    case BaseDataKind::Pilots:
        return readAndApply(store, kind, readPilotFile(bytes, fileName, problems), problems, fileName, actor);
    case BaseDataKind::Teachers:
        return readAndApply(store, kind, readTeacherFile(bytes, fileName, problems), problems, fileName, actor);
    case BaseDataKind::Sites:
        return readAndApply(store, kind, readSiteFile(bytes, fileName, problems), problems, fileName, actor);
    }
    return OfficeError::badInput(QStringLiteral("未知的导入类型"));
}

OfficeResult<bool> cancelCertificate(ServerStore &store, const QString &certificate, const QString &date,
                                     const QString &document, const QString &actor)
{
    if (certificate.trimmed().isEmpty())
        return OfficeError::badInput(QStringLiteral("须给出证书名称"));
    const auto on = parseExamDate(date);
    if (!on)
        return OfficeError::badInput(
            QStringLiteral("取消日期“%1”无法识别，请写成 2026-06-01").arg(date.left(40)));
    if (document.trimmed().isEmpty())
        return OfficeError::badInput(QStringLiteral("须填写取消依据的文件号（如 教职成司函〔2026〕12号）"));
    auto r = store.baseData().cancelCertificate(certificate, *on, document, actor);
    if (!r)
        return OfficeError::fromStore(r.error());
    return *r;
}

} // namespace kaodian::server::office
