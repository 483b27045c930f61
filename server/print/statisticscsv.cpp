#include "print/statisticscsv.h"

#include "print/spreadsheettext.h"
#include "print/statisticstables.h"

namespace kaodian::server {

namespace {

QString csvField(const QString &s)
{
    // Quote always; neutralise spreadsheet formulas (spreadsheettext.h).
    QString v = spreadsheetSafeText(s);
    v.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + v + QLatin1Char('"');
}

QString csvLine(const QStringList &fields)
{
    QStringList quoted;
    quoted.reserve(fields.size());
    for (const auto &f : fields)
        quoted << csvField(f);
    return quoted.join(QLatin1Char(',')) + QStringLiteral("\r\n");
}

} // namespace

QByteArray reportTableToCsv(const ReportTable &table)
{
    QString out = csvLine(table.peopleLabels());
    for (qsizetype r = 0; r < table.rows.size(); ++r) {
        QStringList fields;
        for (const auto &cell : table.peopleRow(r))
            fields << cell.text();
        out += csvLine(fields);
    }
    return QByteArray("\xEF\xBB\xBF") + out.toUtf8();
}

QByteArray statisticsToCsv(const StatisticsReport &report)
{
    return reportTableToCsv(sessionTable(report.sessions));
}

} // namespace kaodian::server
