#include "office/registrations.h"

#include "import/rosterfields.h"

#include "core/examzone.h"

namespace kaodian::server::office {

namespace {

std::optional<OfficeError> badReason(const QString &reason, const QString &what)
{
    if (reason.trimmed().isEmpty())
        return OfficeError::badInput(QStringLiteral("%1须写明原因").arg(what));
    if (reason.trimmed().size() > kMaxChangeReason)
        return OfficeError::badInput(QStringLiteral("%1原因不能超过 %2 字").arg(what).arg(kMaxChangeReason));
    return std::nullopt;
}

OfficeResult<RegistrationChange> answer(Result<RegistrationChange, StoreError> r)
{
    if (!r)
        return OfficeError::fromStore(r.error());
    return *r;
}

} // namespace

OfficeResult<RegistrationChange> withdrawRegistration(ServerStore &store, const QString &ticketNumber,
                                                      const QDate &on, const QString &reason, const QString &actor)
{
    if (auto bad = badReason(reason, QStringLiteral("退考")))
        return *bad;
    const QDate day = on.isValid() ? on : examDate(store.now());
    return answer(store.rosters().withdraw(ticketNumber, day, reason, actor));
}

OfficeResult<RegistrationChange> moveRegistration(ServerStore &store, const QString &ticketNumber,
                                                  const QString &room, const QString &seat, const QString &actor)
{
    if (room.trimmed().isEmpty() || seat.trimmed().isEmpty())
        return OfficeError::badInput(QStringLiteral("调整考场座位须写明考场和座位号"));
    return answer(store.rosters().move(ticketNumber, room, seat, actor));
}

OfficeResult<RegistrationChange> replaceCandidate(ServerStore &store, const QString &ticketNumber,
                                                  const ReplacementCandidate &newcomer, const QString &reason,
                                                  const QString &actor)
{
    if (auto bad = badReason(reason, QStringLiteral("替换考生")))
        return *bad;
    ReplacementCandidate c = newcomer;
    c.idNumber = normaliseIdNumber(c.idNumber);
    c.ticketNumber = normaliseTicketNumber(c.ticketNumber);
    c.name = c.name.trimmed();
    c.studentNumber = toHalfWidth(c.studentNumber).trimmed();
    c.className = c.className.trimmed();
    if (c.name.isEmpty() || c.studentNumber.isEmpty())
        return OfficeError::badInput(QStringLiteral("替换考生须写明新考生的姓名和学号"));
    if (const QString problem = idNumberProblem(c.idNumber); !problem.isEmpty())
        return OfficeError::badInput(QStringLiteral("新考生的身份证号：%1").arg(problem));
    if (const QString problem = ticketNumberProblem(c.ticketNumber); !problem.isEmpty())
        return OfficeError::badInput(QStringLiteral("新准考证号：%1").arg(problem));
    return answer(store.rosters().replace(ticketNumber, c, reason, actor));
}

OfficeResult<RegistrationChange> excuseRegistration(ServerStore &store, const QString &ticketNumber,
                                                    const QString &reason, const QString &actor)
{
    if (auto bad = badReason(reason, QStringLiteral("请假")))
        return *bad;
    return answer(store.rosters().excuse(ticketNumber, reason, actor));
}

} // namespace kaodian::server::office
