#pragma once

// The signed QR text of an admission ticket as the server issues it: the
// claims (docs/ticket-format.md) with the validity window the office uses,
// signed with the server's ticket key. Used by `ticket`, `reissue`,
// `tickets` and the API, so every ticket of a registration and serial is
// the same text (Ed25519 signatures are deterministic).
// Thread-safe: pure functions.

#include "store/rosterstore.h"

#include "core/ticket.h"

namespace kaodian::server {

// Valid on the exam day in China Standard Time (UTC+8), from 18:00 the
// evening before (early arrivals) until midnight after the exam day.
TicketClaims admissionClaims(const QString &ticketNumber, Id sessionId, int serial, const QDate &examDate);

// The QR text for those claims, or what is wrong with them.
Result<QByteArray, QString> signAdmissionTicket(
    const QString &ticketNumber, Id sessionId, int serial, const QDate &examDate, const SigningKey &key);

// A ticket ready to print: what it shows and its signed QR text.
struct AdmissionTicket
{
    TicketPrintRow row;
    QByteArray qrText;
    QByteArray photoJpeg; // the candidate's photo (office/photos.h); empty: 无照片
};

// Signs every row's ticket, in order; the first failure names its ticket number.
Result<QList<AdmissionTicket>, QString> signAdmissionTickets(
    const QList<TicketPrintRow> &rows, const SigningKey &key);

} // namespace kaodian::server
