#pragma once

// A candidate checked in (and not undone) more than once — typically at two
// kiosks while offline — and its JSON: the "conflicts" of GET /sessions/{id}
// (docs/api.md) and of the session package (docs/session-package.md), which
// the kiosk also keeps as it came. The server finds them in its event log;
// the kiosk shows them to proctors. Both events stay; the earliest counts.
//
// Thread-safety: plain values and pure functions; safe from any thread.

#include "core/domain.h"

#include <QDateTime>
#include <QJsonArray>
#include <QList>
#include <QString>

namespace kaodian::protocol {

struct CheckInConflict
{
    // One of its check-ins, as the server saw it.
    struct CheckIn
    {
        QString kioskId;
        QString kioskName;    // empty for a kiosk no longer known
        QDateTime deviceTime; // by that kiosk's clock, UTC
        bool counts = false;  // the earliest: the one the statistics use
        qint64 eventId = 0;   // the kiosk's event id (0: not known)
        QDateTime receivedAt; // the server's receipt time (null: not known)
    };
    Id sessionId = 0;
    Id registrationId = 0;
    QString ticketNumber;
    QString name;
    QList<CheckIn> checkIns; // in the order they happened
};
using ConflictCheckIn = CheckInConflict::CheckIn;

// The "conflicts" array, both ways. The writer writes every field (times in
// UTC, ISO 8601 with milliseconds); the reader takes what is there and
// drops any entry without a registration or with fewer than two check-ins.
QJsonArray conflictsToJson(const QList<CheckInConflict> &conflicts);
QList<CheckInConflict> conflictsFromJson(const QJsonArray &array);

} // namespace kaodian::protocol
