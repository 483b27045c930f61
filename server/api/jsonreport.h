#pragma once

// The statistics report, rosters, incidents and conflicts as JSON (API).
// The statistics' keys and values come from the report tables
// (print/statisticstables.h) that the CSV, Excel and PDF exports draw too.
// Thread-safe: pure functions.

#include "print/statisticstables.h"
#include "store/serverstore.h"

#include <QJsonArray>
#include <QJsonObject>

namespace kaodian::server {

QJsonObject flagToJson(const Flag &flag);
QJsonObject statisticsToJson(const StatisticsReport &report);
QJsonArray rosterToJson(const QList<RosterEntry> &roster);
QJsonArray incidentsToJson(const QList<IncidentRow> &incidents);
// A session's room incidents (no candidate), oldest first.
QJsonArray roomIncidentsToJson(const QList<RoomIncidentRow> &incidents);
// A session's sign-offs by room: each room's standing (signed or reopened),
// its last sign-off (counts, signers, when) and every sign-off and reopening.
QJsonArray signOffsToJson(const QList<SignOffRow> &rows);
// A session's proctors (phone masked), by room.
QJsonArray proctorsToJson(const QList<AssignedProctor> &proctors);
// The office's results of a session (imported, replaced, corrected): scores as
// the office writes them ("85.5"), and the value each replaced.
QJsonArray officeResultsToJson(const QList<StoredResult> &results);
QJsonObject resultValueToJson(const ResultValue &value);

// The compliance board: its articles, rows (each cell's state, flags and
// open case) and every flag with what it names (GET /api/v1/compliance).
QJsonObject complianceToJson(const ComplianceBoard &board);

QString attendanceKey(Attendance a);     // "not_checked_in", "checked_in", "absent", "excused"

} // namespace kaodian::server
