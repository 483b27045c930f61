#pragma once

// The writes a registration change is made of, shared by RosterStore's
// changes (registrationchange.cpp) and a confirmed roster file
// (rosterapply.cpp). The caller holds the transaction and has checked the
// registration may change. Thread-safety: as the SqlConnection.

#include "store/sqlconnection.h"

#include "core/domain.h"

#include <QDate>
#include <QDateTime>

namespace kaodian::server::registrationwrite {

// Withdrawn (退考) as of `at` (whole seconds): its seat freed ('退考#<id>',
// the seat kept in withdrawn_seat) and its current serial revoked as a
// withdrawal.
Status<StoreError> withdraw(SqlConnection &sql, Id registrationId, const QString &ticketNumber, int serial,
                            const QDate &on, const QString &reason, const QDateTime &at);
// The ticket re-issued: serial + 1 (the new serial answered), the old one
// revoked as replaced. Refused at serial 65535.
Result<int, StoreError> reissue(SqlConnection &sql, Id registrationId, const QString &ticketNumber, int serial,
                                const QDateTime &at);

} // namespace kaodian::server::registrationwrite
