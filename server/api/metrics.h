#pragma once

// GET /api/v1/metrics in the Prometheus text exposition format (0.0.4).
// Two kinds of number:
// - this process's own counters (ApiMetrics, QueryTimes): API requests by
//   route pattern and status, kiosk events taken in, store query time.
//   Several `serve` processes each count their own, as Prometheus expects
//   of counters; sum them in the query.
// - gauges read from the store on each scrape, so every process answers
//   the same: kiosks by state, seconds since each active kiosk was last
//   seen, events each still has to send, events held.
// Label values are bounded: a route's pattern from the route table
// (routes.h), never the raw path; kiosks are as many as the office enrols.
//
// Thread-safety: ApiMetrics is shared by the worker threads (a mutex around
// the request counts, atomics for the rest); metricsText() is pure.

#include "api/routes.h"
#include "store/kioskregistry.h"
#include "store/querytimes.h"

#include <QByteArray>
#include <QDateTime>
#include <QMutex>

#include <atomic>
#include <map>
#include <tuple>

namespace kaodian::server {

// What the API counts in this process.
class ApiMetrics
{
public:
    // (method, route pattern, status) → requests answered.
    using RequestKey = std::tuple<QByteArray, QString, int>;

    struct Snapshot
    {
        std::map<RequestKey, quint64> requests;
        quint64 eventsStored = 0;
        quint64 eventsDuplicate = 0;
        QDateTime processStart;
    };

    ApiMetrics();

    // route: the table's route, or nullptr for a request that matched none
    // (counted as route "unmatched" with its method if a usual one).
    void countRequest(const Route *route, const QByteArray &method, int status);
    void countEvents(qint64 stored, qint64 duplicates);
    [[nodiscard]] Snapshot snapshot() const;

private:
    mutable QMutex m_mutex;
    std::map<RequestKey, quint64> m_requests;
    std::atomic<quint64> m_eventsStored {0};
    std::atomic<quint64> m_eventsDuplicate {0};
    QDateTime m_processStart;
};

// A route's pattern as metrics label it: "/api/v1/sessions/{session}".
QString routeLabel(const Route &route);

// The exposition text: the process's counters, the store's kiosks (as
// KioskRegistry::all() reads them) judged at now, and the store timings.
QByteArray metricsText(const ApiMetrics::Snapshot &counters, const QList<KioskRecord> &kiosks,
    const QDateTime &now, const QueryTimes &times);

} // namespace kaodian::server
