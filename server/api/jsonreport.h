#pragma once

// The statistics report and rosters as JSON (API) and CSV (exports).
// Thread-safe: pure functions.

#include "store/serverstore.h"

#include <QJsonArray>
#include <QJsonObject>

namespace kaodian::server {

QJsonObject flagToJson(const Flag &flag);
QJsonObject statisticsToJson(const StatisticsReport &report);
QJsonArray rosterToJson(const QList<RosterEntry> &roster);
QJsonArray incidentsToJson(const QList<ServerStore::IncidentRow> &incidents);
// UTF-8 with BOM, so Excel on Chinese Windows opens it as it is.
QByteArray statisticsToCsv(const StatisticsReport &report);

QString attendanceKey(Attendance a);     // "not_checked_in", "checked_in", "absent", "excused"
QString participationKey(ParticipationVerdict v); // "ok", "low", "no_published_count"
QString flagKindKey(FlagKind k);

} // namespace kaodian::server
