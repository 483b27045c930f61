#pragma once

// How long the store takes: every statement and every commit this process
// sends to SQLCipher or PostgreSQL, timed into a histogram that GET
// /api/v1/metrics shows (kaodian_store_query_duration_seconds). The counts
// are this process's own, like any Prometheus counter.
//
// Thread-safety: record() and snapshot() from any thread (atomics; a
// snapshot taken while others record may be a few counts apart between
// buckets, never torn within one).

#include <QtGlobal>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace kaodian::server {

enum class StoreOperation : std::uint8_t { Statement, Commit };

class QueryTimes
{
public:
    // Upper bounds of the buckets, in seconds; a last one, +Inf, follows.
    static constexpr std::array<double, 14> kBucketSeconds {
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};
    static constexpr std::size_t kBuckets = kBucketSeconds.size() + 1;

    struct Snapshot
    {
        std::array<quint64, kBuckets> perBucket {}; // not cumulative; the last is above every bound
        quint64 count = 0;
        double sumSeconds = 0;
    };

    void record(StoreOperation operation, std::chrono::nanoseconds elapsed);
    [[nodiscard]] Snapshot snapshot(StoreOperation operation) const;

    // The process's histogram, which the connections record into.
    static QueryTimes &process();

private:
    struct Series
    {
        std::array<std::atomic<quint64>, kBuckets> perBucket {};
        std::atomic<quint64> count {0};
        std::atomic<quint64> sumNanoseconds {0};
    };
    std::array<Series, 2> m_series;
};

// Times one store operation into QueryTimes::process() as it goes out of scope.
class QueryTimer
{
public:
    explicit QueryTimer(StoreOperation operation)
        : m_operation(operation), m_start(std::chrono::steady_clock::now())
    { }
    ~QueryTimer() { QueryTimes::process().record(m_operation, std::chrono::steady_clock::now() - m_start); }
    QueryTimer(const QueryTimer &) = delete;
    QueryTimer &operator=(const QueryTimer &) = delete;

private:
    StoreOperation m_operation;
    std::chrono::steady_clock::time_point m_start;
};

} // namespace kaodian::server
