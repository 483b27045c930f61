#include "core/schoolterm.h"

#include <QRegularExpression>

namespace kaodian {

std::optional<SchoolTerm> SchoolTerm::fromKey(const QString &key)
{
    static const QRegularExpression pattern(QStringLiteral("^(20[0-9]{2})-([12])$"));
    const auto m = pattern.match(key);
    if (!m.hasMatch())
        return std::nullopt;
    return SchoolTerm(m.captured(1).toInt(), m.captured(2).toInt());
}

SchoolTerm SchoolTerm::of(const QDate &date)
{
    const int y = date.year();
    const int m = date.month();
    if (m >= 8)
        return {y, 1};
    if (m == 1)
        return {y - 1, 1};
    return {y - 1, 2};
}

QString SchoolTerm::key() const
{
    return QStringLiteral("%1-%2").arg(m_startYear).arg(m_half);
}

QString SchoolTerm::label() const
{
    return QStringLiteral("%1–%2 学年第%3学期")
        .arg(m_startYear)
        .arg(m_startYear + 1)
        .arg(m_half == 1 ? QStringLiteral("一") : QStringLiteral("二"));
}

QDate SchoolTerm::first() const
{
    return m_half == 1 ? QDate(m_startYear, 8, 1) : QDate(m_startYear + 1, 2, 1);
}

QDate SchoolTerm::last() const
{
    return m_half == 1 ? QDate(m_startYear + 1, 1, 31) : QDate(m_startYear + 1, 7, 31);
}

} // namespace kaodian
