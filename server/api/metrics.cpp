#include "api/metrics.h"

#include "api/api.h"

namespace kaodian::server {

namespace {

// A label value as the format writes it: backslash, double quote and line feed escaped.
QByteArray labelValue(const QString &value)
{
    QByteArray out;
    const QByteArray utf8 = value.toUtf8();
    out.reserve(utf8.size());
    for (const char c : utf8) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

// name{a="x",b="y"} — labels given as (name, value) pairs in order.
QByteArray series(const QByteArray &name, std::initializer_list<std::pair<const char *, QString>> labels)
{
    QByteArray out = name;
    if (labels.size() == 0)
        return out;
    out += '{';
    bool first = true;
    for (const auto &[label, value] : labels) {
        if (!first)
            out += ',';
        first = false;
        out += label;
        out += "=\"" + labelValue(value) + '"';
    }
    out += '}';
    return out;
}

QByteArray number(double v)
{
    return QByteArray::number(v, 'g', 15);
}

QByteArray number(quint64 v)
{
    return QByteArray::number(v);
}

// The # HELP and # TYPE lines of one metric family.
void family(QByteArray &out, const char *name, const char *type, const char *help)
{
    out += QByteArray("# HELP ") + name + ' ' + help + '\n';
    out += QByteArray("# TYPE ") + name + ' ' + type + '\n';
}

void sample(QByteArray &out, const QByteArray &seriesName, const QByteArray &value)
{
    out += seriesName + ' ' + value + '\n';
}

void storeHistogram(QByteArray &out, const QueryTimes &times)
{
    const char *name = "kaodian_store_query_duration_seconds";
    family(out, name, "histogram", "Time of each statement and commit this process sent to the store.");
    const std::pair<StoreOperation, const char *> operations[]
        = {{StoreOperation::Statement, "statement"}, {StoreOperation::Commit, "commit"}};
    for (const auto &[operation, label] : operations) {
        const QueryTimes::Snapshot s = times.snapshot(operation);
        const QString op = QString::fromLatin1(label);
        quint64 cumulative = 0;
        for (std::size_t i = 0; i < QueryTimes::kBuckets; ++i) {
            cumulative += s.perBucket[i];
            const QString le = i < QueryTimes::kBucketSeconds.size()
                ? QString::fromLatin1(number(QueryTimes::kBucketSeconds[i]))
                : QStringLiteral("+Inf");
            sample(out,
                series("kaodian_store_query_duration_seconds_bucket", {{"operation", op}, {"le", le}}),
                number(cumulative));
        }
        sample(out, series("kaodian_store_query_duration_seconds_sum", {{"operation", op}}),
            number(s.sumSeconds));
        sample(
            out, series("kaodian_store_query_duration_seconds_count", {{"operation", op}}), number(s.count));
    }
}

void kioskGauges(QByteArray &out, const QList<KioskRecord> &kiosks, const QDateTime &now)
{
    quint64 active = 0, revoked = 0, neverSeen = 0, held = 0;
    for (const KioskRecord &k : kiosks) {
        held += static_cast<quint64>(k.eventsReceived);
        if (k.revokedAt.isValid()) {
            ++revoked;
            continue;
        }
        ++active;
        if (!k.lastSeenAt.isValid())
            ++neverSeen;
    }
    family(out, "kaodian_kiosks", "gauge", "Enrolled kiosks by state, from the store.");
    sample(out, series("kaodian_kiosks", {{"state", QStringLiteral("active")}}), number(active));
    sample(out, series("kaodian_kiosks", {{"state", QStringLiteral("revoked")}}), number(revoked));
    family(out, "kaodian_kiosks_never_seen", "gauge", "Active kiosks that have never uploaded.");
    sample(out, "kaodian_kiosks_never_seen", number(neverSeen));
    family(out, "kaodian_events_stored", "gauge", "Kiosk events held in the store, from every kiosk.");
    sample(out, "kaodian_events_stored", number(held));

    family(out, "kaodian_kiosk_last_seen_age_seconds", "gauge",
        "Seconds since each active kiosk last uploaded, by the server's clock (kiosks never seen are "
        "absent).");
    for (const KioskRecord &k : kiosks)
        if (!k.revokedAt.isValid() && k.lastSeenAt.isValid())
            sample(out,
                series("kaodian_kiosk_last_seen_age_seconds",
                    {{"kiosk", k.id}, {"site", k.siteName}, {"room", k.roomCode}}),
                number(std::max<qint64>(0, k.lastSeenAt.msecsTo(now)) / 1000.0));
    family(out, "kaodian_kiosk_events_waiting", "gauge",
        "Events each active kiosk said it still had to send after its last upload (absent until one says).");
    for (const KioskRecord &k : kiosks)
        if (!k.revokedAt.isValid() && k.eventsWaiting)
            sample(out,
                series("kaodian_kiosk_events_waiting",
                    {{"kiosk", k.id}, {"site", k.siteName}, {"room", k.roomCode}}),
                number(static_cast<quint64>(std::max<qint64>(0, *k.eventsWaiting))));
    family(out, "kaodian_kiosk_events_stored", "gauge", "Events held from each active kiosk.");
    for (const KioskRecord &k : kiosks)
        if (!k.revokedAt.isValid())
            sample(out,
                series("kaodian_kiosk_events_stored",
                    {{"kiosk", k.id}, {"site", k.siteName}, {"room", k.roomCode}}),
                number(static_cast<quint64>(k.eventsReceived)));
}

} // namespace

ApiMetrics::ApiMetrics() : m_processStart(QDateTime::currentDateTimeUtc()) { }

void ApiMetrics::countRequest(const Route *route, const QByteArray &method, int status)
{
    RequestKey key;
    if (route) {
        key = {route->method, routeLabel(*route), status};
    } else {
        static const QList<QByteArray> usual = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"};
        key = {usual.contains(method) ? method : QByteArray("other"), QStringLiteral("unmatched"), status};
    }
    QMutexLocker lock(&m_mutex);
    ++m_requests[key];
}

void ApiMetrics::countEvents(qint64 stored, qint64 duplicates)
{
    m_eventsStored.fetch_add(static_cast<quint64>(std::max<qint64>(0, stored)), std::memory_order_relaxed);
    m_eventsDuplicate.fetch_add(
        static_cast<quint64>(std::max<qint64>(0, duplicates)), std::memory_order_relaxed);
}

ApiMetrics::Snapshot ApiMetrics::snapshot() const
{
    Snapshot s;
    {
        QMutexLocker lock(&m_mutex);
        s.requests = m_requests;
    }
    s.eventsStored = m_eventsStored.load(std::memory_order_relaxed);
    s.eventsDuplicate = m_eventsDuplicate.load(std::memory_order_relaxed);
    s.processStart = m_processStart;
    return s;
}

QString routeLabel(const Route &route)
{
    return QStringLiteral("/api/v1/") + route.pattern.join(QLatin1Char('/'));
}

QByteArray metricsText(const ApiMetrics::Snapshot &counters, const QList<KioskRecord> &kiosks,
    const QDateTime &now, const QueryTimes &times)
{
    QByteArray out;
    family(out, "kaodian_http_requests_total", "counter",
        "API requests this process answered, by method, route pattern and status.");
    for (const auto &[key, count] : counters.requests) {
        const auto &[method, route, status] = key;
        sample(out,
            series("kaodian_http_requests_total",
                {{"method", QString::fromLatin1(method)}, {"route", route},
                    {"status", QString::number(status)}}),
            number(count));
    }
    family(out, "kaodian_events_ingested_total", "counter",
        "Kiosk events this process took in (uploads and events files): stored anew, or already held.");
    sample(out, series("kaodian_events_ingested_total", {{"result", QStringLiteral("stored")}}),
        number(counters.eventsStored));
    sample(out, series("kaodian_events_ingested_total", {{"result", QStringLiteral("duplicate")}}),
        number(counters.eventsDuplicate));
    storeHistogram(out, times);
    kioskGauges(out, kiosks, now);
    family(out, "kaodian_process_start_time_seconds", "gauge",
        "When this process started, in seconds since 1970.");
    sample(out, "kaodian_process_start_time_seconds",
        number(counters.processStart.toMSecsSinceEpoch() / 1000.0));
    return out;
}

HttpResponse Api::metrics(ApiContext &ctx)
{
    auto kiosks = ctx.store.kiosks().all();
    if (!kiosks)
        return storeFailure(kiosks.error());
    HttpResponse r;
    r.status = 200;
    r.contentType = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metricsText(m_metrics.snapshot(), *kiosks, now(), QueryTimes::process());
    return r;
}

} // namespace kaodian::server
