#include "core/domain.h"

namespace kaodian {

QString levelName(CertificateLevel level)
{
    switch (level) {
    case CertificateLevel::Junior: return QStringLiteral("初级");
    case CertificateLevel::Intermediate: return QStringLiteral("中级");
    case CertificateLevel::Senior: return QStringLiteral("高级");
    }
    return {};
}

std::optional<CertificateLevel> levelFromName(const QString &name)
{
    const QString n = name.trimmed();
    if (n == QStringLiteral("初级"))
        return CertificateLevel::Junior;
    if (n == QStringLiteral("中级"))
        return CertificateLevel::Intermediate;
    if (n == QStringLiteral("高级"))
        return CertificateLevel::Senior;
    return std::nullopt;
}

QString eventKindKey(EventKind kind)
{
    switch (kind) {
    case EventKind::CheckIn: return QStringLiteral("check_in");
    case EventKind::Annul: return QStringLiteral("annul");
    case EventKind::MarkLate: return QStringLiteral("mark_late");
    case EventKind::MarkAbsent: return QStringLiteral("mark_absent");
    case EventKind::MarkExcused: return QStringLiteral("mark_excused");
    case EventKind::Incident: return QStringLiteral("incident");
    case EventKind::Result: return QStringLiteral("result");
    case EventKind::SignOff: return QStringLiteral("sign_off");
    case EventKind::Reopen: return QStringLiteral("reopen");
    case EventKind::ProctorPin: return QStringLiteral("proctor_pin");
    }
    return {};
}

std::optional<EventKind> eventKindFromKey(const QString &key)
{
    for (auto kind : {EventKind::CheckIn, EventKind::Annul, EventKind::MarkLate,
                      EventKind::MarkAbsent, EventKind::MarkExcused, EventKind::Incident,
                      EventKind::Result, EventKind::SignOff, EventKind::Reopen, EventKind::ProctorPin}) {
        if (eventKindKey(kind) == key)
            return kind;
    }
    return std::nullopt;
}

bool isRoomEvent(EventKind kind, Id registrationId)
{
    switch (kind) {
    case EventKind::SignOff:
    case EventKind::Reopen:
    case EventKind::ProctorPin: return true;
    case EventKind::Incident: return registrationId == 0;
    default: return false;
    }
}

QString incidentCategoryName(IncidentCategory category)
{
    switch (category) {
    case IncidentCategory::Misconduct: return QStringLiteral("违纪");
    case IncidentCategory::EquipmentFailure: return QStringLiteral("设备故障");
    case IncidentCategory::Illness: return QStringLiteral("身体不适");
    case IncidentCategory::PowerOrNetwork: return QStringLiteral("停电/断网");
    case IncidentCategory::Other: return QStringLiteral("其他");
    }
    return {};
}

QString maskIdNumber(const QString &idNumber)
{
    const QString id = idNumber.trimmed();
    constexpr qsizetype kKeep = 4;
    if (id.size() <= 2 * kKeep + 1)
        return QString(id.size(), QLatin1Char('*'));
    return id.left(kKeep) + QString(id.size() - 2 * kKeep, QLatin1Char('*')) + id.right(kKeep);
}

} // namespace kaodian
