#pragma once

// The version numbers of session packages (protocol::PackageVersion): one
// counter for the whole server, kept in the store, so that a kiosk can
// refuse a package older than the one it holds (a copy made before a
// ticket was re-issued would bring the revoked serial back).
//
// A package made for a site, room and day keeps its number while its
// content (sessions, roster, keys, revocations, conflicts: its content tag)
// stays the same, so the same package delivered again is equal, not newer;
// when the content changes it takes the next number. The next number is
// the greater of the last one plus one and the clock's milliseconds since
// 1970 (a hybrid logical clock): it never goes backwards when the clock is
// set back, and a store restored from an older backup still gives numbers
// above every one that kiosks were given since (its clock has moved on).
// Allocation updates the one counter row first, so servers over one
// PostgreSQL allocate one at a time and never give one number twice.
//
// Thread-safety: as its SqlConnection (one thread at a time).

#include "store/sqlconnection.h"

#include "core/clock.h"
#include "core/domain.h"

#include <QDate>

namespace kaodian::server {

class PackageVersions
{
public:
    PackageVersions(SqlConnection &sql, const Clock &clock) : m_sql(sql), m_clock(clock) { }

    // The number of the package of site, room and day whose content has
    // contentTag: the one it had if unchanged, else a new one above every
    // number given so far.
    Result<qint64, StoreError> versionFor(Id siteId, const QString &room, const QDate &day,
                                          const QByteArray &contentTag);

private:
    Result<std::optional<qint64>, StoreError> unchanged(Id siteId, const QString &room, const QDate &day,
                                                        const QByteArray &contentTag);

    SqlConnection &m_sql;
    const Clock &m_clock;
};

} // namespace kaodian::server
