#include "rostermodel.h"

#include "kioskservices.h"

namespace kaodian::kiosk {

QString attendanceKey(const RegistrationState &s)
{
    switch (s.attendance) {
    case Attendance::CheckedIn: return s.late ? QStringLiteral("late") : QStringLiteral("checked_in");
    case Attendance::Absent: return QStringLiteral("absent");
    case Attendance::Excused: return QStringLiteral("excused");
    case Attendance::NotCheckedIn: break;
    }
    return QStringLiteral("not_yet");
}

QString attendanceText(const RegistrationState &s)
{
    switch (s.attendance) {
    case Attendance::CheckedIn: {
        const QString at = s.checkedInAt ? examClock(*s.checkedInAt) : QString();
        return s.late ? RosterModel::tr("迟到 %1").arg(at) : RosterModel::tr("已签到 %1").arg(at);
    }
    case Attendance::Absent: return RosterModel::tr("缺考");
    case Attendance::Excused: return RosterModel::tr("免考");
    case Attendance::NotCheckedIn: break;
    }
    return RosterModel::tr("未签到");
}

QString resultText(const RegistrationState &s)
{
    if (!s.outcome)
        return {};
    QString text = *s.outcome == Outcome::Pass ? RosterModel::tr("通过") : RosterModel::tr("未通过");
    if (s.score)
        text += QLatin1Char(' ') + QString::number(*s.score);
    return text;
}

RosterModel::RosterModel(QObject *parent) : QAbstractListModel(parent) {}

void RosterModel::setSource(CheckInService *service, Id sessionId)
{
    beginResetModel();
    m_service = service;
    m_sessionId = sessionId;
    m_all.clear();
    if (m_service)
        for (const auto &c : m_service->roster(sessionId))
            m_all.push_back({c, m_service->state(c.registrationId)});
    rebuild();
    endResetModel();
    Q_EMIT countChanged();
}

void RosterModel::refreshStates()
{
    if (!m_service)
        return;
    for (auto &row : m_all)
        row.state = m_service->state(row.candidate.registrationId);
    if (!m_visible.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_visible.size()) - 1),
                           {StatusKeyRole, StatusTextRole, ResultTextRole, IncidentsRole});
}

void RosterModel::setFilter(const QString &filter)
{
    if (filter == m_filter)
        return;
    beginResetModel();
    m_filter = filter;
    rebuild();
    endResetModel();
    Q_EMIT filterChanged();
    Q_EMIT countChanged();
}

bool RosterModel::matches(const Row &row) const
{
    const QString f = m_filter.trimmed();
    if (f.isEmpty())
        return true;
    const auto &c = row.candidate;
    return c.name.contains(f, Qt::CaseInsensitive) || c.ticketNumber.contains(f, Qt::CaseInsensitive)
           || c.seat == f || c.maskedIdNumber.right(4).contains(f, Qt::CaseInsensitive);
}

void RosterModel::rebuild()
{
    m_visible.clear();
    for (int i = 0; i < m_all.size(); ++i)
        if (matches(m_all[i]))
            m_visible.push_back(i);
}

int RosterModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_visible.size());
}

QVariant RosterModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_all[m_visible[index.row()]];
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return row.candidate.name;
    case RegistrationIdRole: return row.candidate.registrationId;
    case TicketNumberRole: return row.candidate.ticketNumber;
    case MaskedIdRole: return row.candidate.maskedIdNumber;
    case RoomRole: return row.candidate.room;
    case SeatRole: return row.candidate.seat;
    case StatusKeyRole: return attendanceKey(row.state);
    case StatusTextRole:
        // Excused in advance by the office (请假), not by a proctor here: its reason.
        if (row.state.attendance == Attendance::Excused && !row.candidate.excusedReason.isEmpty())
            return tr("请假：%1").arg(row.candidate.excusedReason);
        return attendanceText(row.state);
    case ResultTextRole: return resultText(row.state);
    case IncidentsRole: return row.state.incidents;
    case PhotoRole: return row.candidate.photoSha256;
    default: return {};
    }
}

QHash<int, QByteArray> RosterModel::roleNames() const
{
    return {{RegistrationIdRole, "registrationId"},
            {TicketNumberRole, "ticketNumber"},
            {NameRole, "name"},
            {MaskedIdRole, "maskedId"},
            {RoomRole, "room"},
            {SeatRole, "seat"},
            {StatusKeyRole, "statusKey"},
            {StatusTextRole, "statusText"},
            {ResultTextRole, "resultText"},
            {IncidentsRole, "incidents"},
            {PhotoRole, "photo"}};
}

int RosterModel::rowOf(qint64 registrationId) const
{
    for (int i = 0; i < m_visible.size(); ++i)
        if (m_all[m_visible[i]].candidate.registrationId == registrationId)
            return i;
    return -1;
}

std::optional<RosterCandidate> RosterModel::candidate(Id registrationId) const
{
    for (const auto &row : m_all)
        if (row.candidate.registrationId == registrationId)
            return row.candidate;
    return std::nullopt;
}

RegistrationState RosterModel::state(Id registrationId) const
{
    for (const auto &row : m_all)
        if (row.candidate.registrationId == registrationId)
            return row.state;
    return {};
}

} // namespace kaodian::kiosk
