#pragma once

// What the kiosk benchmarks share: percentiles, a big room's package and
// the tickets of its candidates. Header-only; each bench is one binary.

#include "protocol/sessionpackage.h"

#include "core/ticket.h"

#include <QDateTime>

#include <algorithm>
#include <utility>
#include <vector>

namespace kaodian::bench {

inline std::pair<double, double> p50p99(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return {v[v.size() / 2], v[std::min(v.size() - 1, v.size() * 99 / 100)]};
}

// One session in room 01 with `candidates` candidates, signed tickets valid in June 2026.
inline protocol::SessionPackage bigPackage(int candidates, const SigningKey &key)
{
    protocol::SessionPackage p;
    p.site = QStringLiteral("实训楼考点");
    p.room = QStringLiteral("01");
    p.generatedAt = QDateTime::currentDateTimeUtc();
    p.sessions = {{1, QStringLiteral("Web前端开发（中级）"), p.site, QDate(2026, 6, 1), QTime(9, 0), QTime(11, 0),
                   candidates, 600, 600, candidates, 1}};
    for (int i = 1; i <= candidates; ++i)
        p.roster.push_back({i, 1, QStringLiteral("2026%1").arg(i, 8, 10, QLatin1Char('0')), QStringLiteral("考生%1").arg(i),
                            QStringLiteral("3501**********%1").arg(i % 10000, 4, 10, QLatin1Char('0')), QStringLiteral("01"),
                            QString::number(i), 1, {}});
    p.ticketKeys = {key.verifyKey().raw()};
    return p;
}

inline QByteArray ticketFor(const protocol::RosterCandidate &c, const SigningKey &key)
{
    TicketClaims t;
    t.ticketNumber = c.ticketNumber;
    t.sessionId = static_cast<std::uint32_t>(c.sessionId);
    t.validFrom = QDateTime(QDate(2026, 5, 1), QTime(0, 0), Qt::UTC);
    t.validUntil = QDateTime(QDate(2026, 7, 1), QTime(0, 0), Qt::UTC);
    return *issueTicket(t, key);
}

} // namespace kaodian::bench
