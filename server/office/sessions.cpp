#include "office/sessions.h"

#include "auth/password.h"

namespace kaodian::server::office {

Status<OfficeError> setPublishedCount(ServerStore &store, Id sessionId, std::optional<int> count, const QString &actor)
{
    if (count && *count < 0)
        return OfficeError::badInput(QStringLiteral("公布考试人数须为非负整数，或留空表示未公布"));
    if (auto s = store.rosters().setPublishedCount(sessionId, count, actor); !s)
        return OfficeError::fromStore(s.error());
    return {};
}

OfficeResult<Id> addUser(ServerStore &store, const QString &username, const QString &password, Role role,
                         std::optional<Id> collegeId, const QString &actor)
{
    const QString name = username.trimmed();
    if (name.isEmpty() || name.size() > 100)
        return OfficeError::badInput(QStringLiteral("用户名须为 1–100 个字符"));
    QString why;
    if (!passwordAcceptable(password, &why))
        return OfficeError::badInput(why);
    if (role == Role::CollegeViewer && (!collegeId || *collegeId < 1))
        return OfficeError::badInput(QStringLiteral("二级学院用户须指定所属二级学院"));
    auto id = store.accounts().addUser(name, hashPassword(password), role,
                                       role == Role::CollegeViewer ? collegeId : std::nullopt, actor);
    if (!id)
        return OfficeError::fromStore(id.error());
    return *id;
}

} // namespace kaodian::server::office
