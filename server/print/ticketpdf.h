#pragma once

// Admission tickets (准考证) as a printable PDF: A4 with 4 tickets a page
// (A6 each), 2 a page (A4 landscape, A5 each) or 1 a page, cut lines
// between them. Each ticket shows its signed QR (drawn as vector modules,
// 0.75 mm at 4 a page), the candidate's name, masked ID number, ticket
// number, the photo (or 无照片), certificate and level, site, room, seat, exam date and time, and
// the rules a candidate must follow (考生须知). The CJK font is embedded
// (ticketfont.h), so the file prints the same on any machine.
//
// Thread-safety: renderTicketPdf may run on several threads at once (each
// call owns its writer and painter); it needs a QGuiApplication.

#include "tickets/ticketsigning.h"

#include "qr/qrcodec.h"

namespace kaodian::server {

struct TicketPdfOptions
{
    int perPage = 4; // 1, 2 or 4
    QString title; // the PDF's title; default "准考证"
};

// 1, 2 or 4.
bool isValidTicketsPerPage(int perPage);

// The QR module size in millimetres a layout prints a symbol of the given
// width (in modules) at; never below kMinQrModuleMm.
inline constexpr double kMinQrModuleMm = 0.5;
double ticketQrModuleMm(int perPage, int symbolWidth);

// The rules printed on every ticket, one item a line.
QStringList candidateRules();

// The whole document, or a message a person can act on (no font, no tickets…).
Result<QByteArray, QString> renderTicketPdf(
    const QList<AdmissionTicket> &tickets, const TicketPdfOptions &options = {});

} // namespace kaodian::server
