#pragma once

// Small pieces every server store uses: the stored form of a time, the
// error value a store returns, nullable parameters, natural ordering of
// room and seat codes.
// Thread-safety: pure functions.

#include "core/storeerror.h"

#include <QDateTime>
#include <QString>
#include <QVariant>

#include <optional>

namespace kaodian::server {

// Time stamps are stored as ISO 8601 UTC text with milliseconds.
QString storeTime(const QDateTime &t);
QDateTime parseStoreTime(const QString &s);

StoreError storeError(StoreError::Code code, const QString &message);

// An optional integer as a query parameter (null when empty).
QVariant nullable(const std::optional<int> &v);

// "2" before "10" when both are numbers; otherwise as text.
bool naturalLess(const QString &a, const QString &b);

// The order of a room's paper and lists: by room, then seat (each
// naturalLess), then registration id. Row has room, seat, registrationId.
template<typename Row>
bool bySeat(const Row &a, const Row &b)
{
    if (a.room != b.room)
        return naturalLess(a.room, b.room);
    if (a.seat != b.seat)
        return naturalLess(a.seat, b.seat);
    return a.registrationId < b.registrationId;
}

} // namespace kaodian::server
