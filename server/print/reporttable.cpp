#include "print/reporttable.h"

namespace kaodian::server {

ReportCell ReportCell::textCell(const QString &text, const QJsonValue &json)
{
    return {CellType::Text, text, json, 0};
}

ReportCell ReportCell::countCell(qint64 n)
{
    return {CellType::Count, QString(), QJsonValue(), n};
}

ReportCell ReportCell::percentCell(const QString &rate)
{
    return {CellType::Percent, rate, rate, 0};
}

ReportCell ReportCell::missingCell(const QString &words)
{
    return {CellType::Missing, words, QJsonValue(), 0};
}

ReportCell ReportCell::jsonOnly(const QJsonValue &json)
{
    return {CellType::Text, QString(), json, 0};
}

QString ReportCell::text() const
{
    return m_type == CellType::Count ? QString::number(m_count) : m_text;
}

QJsonValue ReportCell::json() const
{
    return m_type == CellType::Count ? QJsonValue(m_count) : m_json;
}

QList<qsizetype> ReportTable::peopleColumns() const
{
    QList<qsizetype> out;
    for (qsizetype c = 0; c < columns.size(); ++c)
        if (columns[c].shownToPeople())
            out << c;
    return out;
}

QStringList ReportTable::peopleLabels() const
{
    QStringList out;
    for (const auto &c : columns)
        if (c.shownToPeople())
            out << c.label;
    return out;
}

QList<ReportCell> ReportTable::peopleRow(qsizetype r) const
{
    QList<ReportCell> out;
    const auto &row = rows.at(r);
    for (qsizetype c = 0; c < columns.size(); ++c)
        if (columns[c].shownToPeople())
            out << row.value(c);
    return out;
}

QJsonObject ReportTable::rowToJson(qsizetype r) const
{
    QJsonObject o;
    const auto &row = rows.at(r);
    for (qsizetype c = 0; c < columns.size() && c < row.size(); ++c)
        if (QJsonValue v = row[c].json(); !v.isUndefined())
            o.insert(columns[c].key, v);
    return o;
}

QJsonArray ReportTable::toJson() const
{
    QJsonArray out;
    for (qsizetype r = 0; r < rows.size(); ++r)
        out.append(rowToJson(r));
    return out;
}

} // namespace kaodian::server
