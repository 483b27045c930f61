#pragma once

// A ticket's QR as an image the office can send to a candidate's phone: the
// code large enough to scan off a screen, with the ticket number, the exam's
// date, time, site, room and seat beneath — no name and no ID number, so an
// image sent to the wrong person gives little away.
// Thread-safety: may run on several threads at once; needs a QGuiApplication.

#include "tickets/ticketsigning.h"

#include <QImage>

namespace kaodian::server {

// The image (about 720 px wide), or a message a person can act on.
Result<QImage, QString> renderTicketPhoneImage(const AdmissionTicket &ticket);

// The same as PNG bytes.
Result<QByteArray, QString> renderTicketPhonePng(const AdmissionTicket &ticket);

} // namespace kaodian::server
