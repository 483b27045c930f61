#include "store/querytimes.h"

#include <algorithm>

namespace kaodian::server {

void QueryTimes::record(StoreOperation operation, std::chrono::nanoseconds elapsed)
{
    Series &s = m_series[static_cast<std::size_t>(operation)];
    const double seconds = std::chrono::duration<double>(elapsed).count();
    const auto bound = std::lower_bound(kBucketSeconds.begin(), kBucketSeconds.end(), seconds);
    s.perBucket[static_cast<std::size_t>(bound - kBucketSeconds.begin())].fetch_add(
        1, std::memory_order_relaxed);
    s.sumNanoseconds.fetch_add(
        static_cast<quint64>(std::max<std::int64_t>(0, elapsed.count())), std::memory_order_relaxed);
    s.count.fetch_add(1, std::memory_order_relaxed);
}

QueryTimes::Snapshot QueryTimes::snapshot(StoreOperation operation) const
{
    const Series &s = m_series[static_cast<std::size_t>(operation)];
    Snapshot out;
    for (std::size_t i = 0; i < kBuckets; ++i) {
        out.perBucket[i] = s.perBucket[i].load(std::memory_order_relaxed);
        out.count += out.perBucket[i]; // so that +Inf and _count agree within one snapshot
    }
    out.sumSeconds = static_cast<double>(s.sumNanoseconds.load(std::memory_order_relaxed)) / 1e9;
    return out;
}

QueryTimes &QueryTimes::process()
{
    static QueryTimes times;
    return times;
}

} // namespace kaodian::server
