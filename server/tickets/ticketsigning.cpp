#include "tickets/ticketsigning.h"
#include "core/examzone.h"

#include <QTimeZone>

namespace kaodian::server {

TicketClaims admissionClaims(const QString &ticketNumber, Id sessionId, int serial, const QDate &examDate)
{
    const QDateTime dayStart(examDate, QTime(0, 0), examZone());
    TicketClaims claims;
    claims.ticketNumber = ticketNumber;
    claims.sessionId = static_cast<std::uint32_t>(sessionId);
    claims.serial = static_cast<std::uint16_t>(serial);
    claims.validFrom = dayStart.addSecs(-6 * 3600).toUTC();
    claims.validUntil = dayStart.addDays(1).toUTC();
    return claims;
}

Result<QByteArray, QString> signAdmissionTicket(
    const QString &ticketNumber, Id sessionId, int serial, const QDate &examDate, const SigningKey &key)
{
    if (sessionId < 1 || sessionId > 0xFFFFFFFFLL)
        return QStringLiteral("准考证 %1：场次编号 %2 超出范围").arg(ticketNumber).arg(sessionId);
    if (serial < 1 || serial > 0xFFFF)
        return QStringLiteral("准考证 %1：版本号 %2 超出范围").arg(ticketNumber).arg(serial);
    if (!examDate.isValid())
        return QStringLiteral("准考证 %1：考试日期无效").arg(ticketNumber);
    auto text = issueTicket(admissionClaims(ticketNumber, sessionId, serial, examDate), key);
    if (!text)
        return QStringLiteral("准考证 %1：%2").arg(ticketNumber, text.error());
    return *text;
}

Result<QList<AdmissionTicket>, QString> signAdmissionTickets(
    const QList<TicketPrintRow> &rows, const SigningKey &key)
{
    QList<AdmissionTicket> out;
    out.reserve(rows.size());
    for (const auto &row : rows) {
        auto text = signAdmissionTicket(row.ticketNumber, row.sessionId, row.serial, row.examDate, key);
        if (!text)
            return text.error();
        out.push_back({row, *text});
    }
    return out;
}

} // namespace kaodian::server
