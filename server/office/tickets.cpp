#include "office/tickets.h"

#include "office/photos.h"
#include "print/ticketimage.h"
#include "print/ticketpdf.h"
#include "tickets/ticketsigning.h"

#include <QLoggingCategory>

namespace kaodian::server::office {

Q_LOGGING_CATEGORY(lcTickets, "kaodian.office.tickets")

namespace {

// The tickets could not be made (no font, a claim out of range): the
// reason goes to the log, since it may name files on the server.
OfficeError ticketsFailed(const QString &why)
{
    qCWarning(lcTickets) << "admission tickets:" << why;
    return OfficeError::failed(QStringLiteral("tickets_failed"),
                               QStringLiteral("无法生成准考证（服务器日志中有原因，例如缺少中文字体）"));
}

} // namespace

OfficeResult<PrintedTickets> printTickets(ServerStore &store, const SigningKey &key, const TicketSelection &which,
                                          int perPage, const QString &actor)
{
    if (!isValidTicketsPerPage(perPage))
        return OfficeError::badInput(QStringLiteral("每页张数须为 1、2 或 4"));
    auto rows = which.sessionId ? store.rosters().ticketPrintRows(*which.sessionId)
                                : store.rosters().ticketPrintRows(which.ticketNumbers);
    if (!rows)
        return OfficeError::fromStore(rows.error());
    if (rows->isEmpty())
        return OfficeError::notFound(which.sessionId ? QStringLiteral("本场次没有考生，无准考证可打印")
                                                     : QStringLiteral("没有给出准考证号"));
    auto tickets = signAdmissionTickets(*rows, key);
    if (!tickets)
        return ticketsFailed(tickets.error());
    QList<Id> registrations;
    for (const auto &r : *rows)
        registrations.push_back(r.registrationId);
    auto photos = photosOf(store, key, registrations);
    if (!photos)
        return photos.error();
    for (auto &t : *tickets)
        t.photoJpeg = photos->value(t.row.registrationId).jpeg;
    TicketPdfOptions options;
    options.perPage = perPage;
    options.title = which.sessionId ? QStringLiteral("准考证 · 场次 #%1").arg(*which.sessionId) : QStringLiteral("准考证");
    auto pdf = renderTicketPdf(*tickets, options);
    if (!pdf)
        return ticketsFailed(pdf.error());
    const QString what = which.sessionId ? QStringLiteral("场次 #%1").arg(*which.sessionId)
                                         : which.ticketNumbers.join(QLatin1Char(','));
    if (auto s = store.audit().append(actor, QStringLiteral("ticket.print"),
                                      QStringLiteral("%1：%2 张准考证（每页 %3 张）").arg(what).arg(tickets->size()).arg(perPage));
        !s)
        return OfficeError::fromStore(s.error());
    const int count = static_cast<int>(tickets->size());
    return PrintedTickets{*pdf, count, (count + perPage - 1) / perPage};
}

OfficeResult<QByteArray> ticketQrText(ServerStore &store, const SigningKey &key, const QString &ticketNumber)
{
    // Known and not withdrawn (a withdrawn registration's ticket is revoked).
    if (auto rows = store.rosters().ticketPrintRows(QStringList{ticketNumber}); !rows)
        return OfficeError::fromStore(rows.error());
    auto subject = store.rosters().ticketSubject(ticketNumber);
    if (!subject)
        return OfficeError::fromStore(subject.error());
    if (!subject->has_value())
        return OfficeError::notFound(QStringLiteral("没有准考证号为 %1 的报名").arg(ticketNumber));
    const auto &s = **subject;
    auto text = signAdmissionTicket(ticketNumber, s.sessionId, s.serial, s.examDate, key);
    if (!text)
        return ticketsFailed(text.error());
    return *text;
}

OfficeResult<QByteArray> ticketPhoneImage(ServerStore &store, const SigningKey &key, const QString &ticketNumber,
                                          const QString &actor)
{
    auto rows = store.rosters().ticketPrintRows(QStringList{ticketNumber});
    if (!rows)
        return OfficeError::fromStore(rows.error());
    auto tickets = signAdmissionTickets(*rows, key);
    if (!tickets)
        return ticketsFailed(tickets.error());
    auto png = renderTicketPhonePng(tickets->first());
    if (!png)
        return ticketsFailed(png.error());
    if (auto s = store.audit().append(actor, QStringLiteral("ticket.image"),
                                      QStringLiteral("准考证 %1 第 %2 版二维码图片")
                                          .arg(ticketNumber, QString::number(rows->first().serial)));
        !s)
        return OfficeError::fromStore(s.error());
    return *png;
}

OfficeResult<ReissuedTicket> reissueTicket(ServerStore &store, const SigningKey &key, const QString &ticketNumber,
                                           const QString &actor)
{
    auto reissued = store.rosters().reissueTicket(ticketNumber, actor);
    if (!reissued)
        return OfficeError::fromStore(reissued.error());
    const auto &s = reissued->subject;
    auto text = signAdmissionTicket(ticketNumber, s.sessionId, s.serial, s.examDate, key);
    if (!text)
        return ticketsFailed(text.error());
    return ReissuedTicket{*reissued, *text};
}

} // namespace kaodian::server::office
