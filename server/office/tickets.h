#pragma once

// Use cases on admission tickets: print a session's (or some candidates')
// tickets to PDF, a ticket's QR for a phone, a ticket's signed QR text, and
// re-issue (new serial, the old one revoked). Each is audited where it
// hands out a ticket.
//
// Thread-safety: as the ServerStore it is given (one thread at a time);
// the PDF renderer may run on several threads at once.

#include "office/officeerror.h"
#include "store/serverstore.h"

#include "core/ed25519.h"

namespace kaodian::server::office {

// Which tickets: a whole session (by room, then seat) or ticket numbers.
struct TicketSelection
{
    std::optional<Id> sessionId;
    QStringList ticketNumbers;
};

struct PrintedTickets
{
    QByteArray pdf;
    int tickets = 0;
    int pages = 0;
};

// NotFound for a session with no registrations or an unknown number;
// BadInput for a page layout other than 1, 2 or 4 a page.
OfficeResult<PrintedTickets> printTickets(ServerStore &store, const SigningKey &key, const TicketSelection &which,
                                          int perPage, const QString &actor);

// The signed QR text of a ticket's current serial.
OfficeResult<QByteArray> ticketQrText(ServerStore &store, const SigningKey &key, const QString &ticketNumber);

// The ticket's QR as a PNG to send to a phone.
OfficeResult<QByteArray> ticketPhoneImage(ServerStore &store, const SigningKey &key, const QString &ticketNumber,
                                          const QString &actor);

struct ReissuedTicket
{
    Reissue reissue;
    QByteArray qrText; // of the new serial
};
OfficeResult<ReissuedTicket> reissueTicket(ServerStore &store, const SigningKey &key, const QString &ticketNumber,
                                           const QString &actor);

} // namespace kaodian::server::office
