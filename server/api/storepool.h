#pragma once

// A pool of ServerStore connections for the worker threads: a handler takes
// one for the length of a request and gives it back. Thread-safe.

#include "store/serverstore.h"

#include <QMutex>

#include <memory>
#include <vector>

namespace kaodian::server {

class StorePool
{
public:
    // Every store opened from the pool reads time from clock.
    explicit StorePool(StoreLocation location, Clock clock = systemClock())
        : m_location(std::move(location)), m_clock(std::move(clock))
    {
    }

    // A connection borrowed from the pool; returned when destroyed.
    class Lease
    {
    public:
        Lease(StorePool *pool, std::unique_ptr<ServerStore> store) : m_pool(pool), m_store(std::move(store)) {}
        Lease(Lease &&) noexcept = default;
        Lease &operator=(Lease &&) noexcept = default;
        ~Lease()
        {
            if (m_pool && m_store)
                m_pool->giveBack(std::move(m_store));
        }
        ServerStore *operator->() const { return m_store.get(); }
        ServerStore &operator*() const { return *m_store; }
        // Drop a connection that failed (e.g. PostgreSQL restarted).
        void discard() { m_store.reset(); }

    private:
        StorePool *m_pool = nullptr;
        std::unique_ptr<ServerStore> m_store;
    };

    Result<Lease, StoreError> acquire()
    {
        {
            QMutexLocker lock(&m_mutex);
            if (!m_idle.empty()) {
                auto store = std::move(m_idle.back());
                m_idle.pop_back();
                return Lease(this, std::move(store));
            }
        }
        auto store = ServerStore::open(m_location, m_clock);
        if (!store)
            return store.error();
        return Lease(this, std::move(store).value());
    }

    [[nodiscard]] const StoreLocation &location() const { return m_location; }
    [[nodiscard]] const Clock &clock() const { return m_clock; }

private:
    void giveBack(std::unique_ptr<ServerStore> store)
    {
        QMutexLocker lock(&m_mutex);
        if (m_idle.size() < 16)
            m_idle.push_back(std::move(store));
    }

    StoreLocation m_location;
    Clock m_clock;
    QMutex m_mutex;
    std::vector<std::unique_ptr<ServerStore>> m_idle;
};

} // namespace kaodian::server
