#include "checkinviewmodel.h"

#include "camerascanner.h"
#include "kioskservices.h"
#include "soundfeedback.h"

namespace kaodian::kiosk {

namespace {

// Amber: a genuine candidate who must wait or go elsewhere. Red: the ticket
// cannot be accepted, or the check-in was not recorded.
QString toneOf(ScanResult r)
{
    switch (r) {
    case ScanResult::CheckedIn: return QStringLiteral("success");
    case ScanResult::CheckedInLate: return QStringLiteral("late");
    case ScanResult::OtherSession:
    case ScanResult::OtherRoom:
    case ScanResult::OtherDay:
    case ScanResult::AlreadyCheckedIn:
    case ScanResult::NotOpenYet: return QStringLiteral("warning");
    case ScanResult::BadTicket:
    case ScanResult::Revoked:
    case ScanResult::Withdrawn:
    case ScanResult::NotOnRoster:
    case ScanResult::SessionClosed:
    case ScanResult::StoreFailure: return QStringLiteral("danger");
    case ScanResult::KioskRevoked: return QStringLiteral("danger");
    }
    return QStringLiteral("danger");
}

} // namespace

CheckInViewModel::CheckInViewModel(QObject *parent) : CheckInViewModel(KioskServices::instance(), parent) {}

CheckInViewModel::CheckInViewModel(KioskServices *services, QObject *parent) : QObject(parent), m_services(services)
{
    m_resetTimer.setSingleShot(true);
    m_resetTimer.setInterval(2500);
    connect(&m_resetTimer, &QTimer::timeout, this, &CheckInViewModel::reset);
    if (m_services) {
        connect(m_services, &KioskServices::eventsChanged, this, &CheckInViewModel::refreshStatus);
        connect(m_services, &KioskServices::sessionsChanged, this, &CheckInViewModel::refreshStatus);
        connect(m_services, &KioskServices::unlockedChanged, this, &CheckInViewModel::reset);
    }
    refreshStatus();
}

bool CheckInViewModel::cameraAvailable() const
{
    static const bool available = CameraScanner::isAvailable(); // device enumeration: once
    return available;
}

void CheckInViewModel::setResetDelay(int ms)
{
    if (ms == m_resetTimer.interval())
        return;
    m_resetTimer.setInterval(ms);
    Q_EMIT resetDelayChanged();
}

void CheckInViewModel::refreshStatus()
{
    QString title, time, room;
    int checkedIn = 0, expected = 0;
    if (CheckInService *service = m_services ? m_services->checkIn() : nullptr) {
        room = service->store().identity().room;
        if (const auto session = service->currentSession()) {
            title = session->title;
            time = QStringLiteral("%1–%2").arg(session->startTime.toString(QStringLiteral("HH:mm")),
                                                session->endTime.toString(QStringLiteral("HH:mm")));
            const SessionCounts counts = service->counts(session->id);
            checkedIn = counts.checkedIn;
            expected = counts.expected;
        }
    }
    if (title == m_currentSessionTitle && time == m_currentSessionTime && room == m_kioskRoom
        && checkedIn == m_checkedInCount && expected == m_expectedCount)
        return;
    m_currentSessionTitle = title;
    m_currentSessionTime = time;
    m_kioskRoom = room;
    m_checkedInCount = checkedIn;
    m_expectedCount = expected;
    Q_EMIT statusChanged();
}

void CheckInViewModel::submitScan(const QString &text)
{
    CheckInService *service = m_services ? m_services->checkIn() : nullptr;
    if (!service)
        return; // locked: nothing to check against
    // A check-in stored is announced by the service (eventAppended): the
    // counts, the roster and the sync follow from there.
    show(service->scan(text.toUtf8()));
}

void CheckInViewModel::reset()
{
    m_resetTimer.stop();
    if (m_state == Ready && m_resultCode.isEmpty())
        return;
    m_state = Ready;
    m_tone = QStringLiteral("ready");
    m_resultCode.clear();
    m_ticketError.clear();
    m_headline.clear();
    m_detail.clear();
    m_name.clear();
    m_maskedId.clear();
    m_photo.clear();
    m_room.clear();
    m_seat.clear();
    m_sessionTitle.clear();
    Q_EMIT cardChanged();
}

void CheckInViewModel::show(const ScanOutcome &outcome)
{
    m_state = outcome.success() ? Success : Refused;
    m_tone = toneOf(outcome.result);
    m_resultCode = scanResultCode(outcome.result);
    m_ticketError = outcome.result == ScanResult::BadTicket ? ticketErrorCode(outcome.ticketError) : QString();
    m_name = outcome.candidate ? outcome.candidate->name : QString();
    m_maskedId = outcome.candidate ? outcome.candidate->maskedIdNumber : QString();
    m_photo = outcome.candidate ? outcome.candidate->photoSha256 : QString();
    m_room = outcome.candidate ? outcome.candidate->room : QString();
    m_seat = outcome.candidate ? outcome.candidate->seat : QString();
    m_sessionTitle = outcome.sessionTitle;
    switch (outcome.result) {
    case ScanResult::CheckedIn: m_headline = tr("签到成功"); break;
    case ScanResult::CheckedInLate: m_headline = tr("签到成功（迟到）"); break;
    case ScanResult::BadTicket: m_headline = tr("准考证无效"); break;
    case ScanResult::Revoked: m_headline = tr("准考证已作废"); break;
    case ScanResult::NotOnRoster: m_headline = tr("不在本考场名单"); break;
    case ScanResult::OtherSession: m_headline = tr("不是本场考试"); break;
    case ScanResult::OtherRoom: m_headline = tr("请到其他考场"); break;
    case ScanResult::OtherDay: m_headline = tr("不是今天的考试"); break;
    case ScanResult::AlreadyCheckedIn: m_headline = tr("已经签到"); break;
    case ScanResult::NotOpenYet: m_headline = tr("签到尚未开始"); break;
    case ScanResult::SessionClosed: m_headline = tr("本场签到已结束"); break;
    case ScanResult::StoreFailure: m_headline = tr("签到未能保存"); break;
    case ScanResult::KioskRevoked: m_headline = tr("本机已停用"); break;
    case ScanResult::Withdrawn: m_headline = tr("已退考"); break;
    }
    m_detail = words(outcome);
    Q_EMIT cardChanged();

    if (SoundFeedback *sound = m_services ? m_services->sound() : nullptr)
        sound->play(outcome.success() ? SoundFeedback::Cue::Success
                    : m_tone == QLatin1String("warning") ? SoundFeedback::Cue::Warning
                                                          : SoundFeedback::Cue::Refusal);
    m_resetTimer.start();
}

QString CheckInViewModel::ticketErrorWords(TicketError error)
{
    switch (error) {
    case TicketError::Empty: return tr("没有读到内容，请重新扫码");
    case TicketError::TooLong:
    case TicketError::NotATicket: return tr("这不是准考证二维码，请出示准考证上的二维码");
    case TicketError::UnsupportedVersion: return tr("准考证格式较新，本机无法识别，请联系监考老师");
    case TicketError::BadEncoding:
    case TicketError::Truncated:
    case TicketError::Malformed: return tr("二维码已损坏或不完整，请重新扫码或联系监考老师");
    case TicketError::UnknownKey: return tr("准考证不是本考点签发，请联系监考老师");
    case TicketError::BadSignature: return tr("准考证签名无效：伪造或已被改动，请联系监考老师");
    case TicketError::NotYetValid: return tr("准考证尚未生效，请联系监考老师");
    case TicketError::Expired: return tr("准考证已过期，请联系监考老师");
    }
    return tr("准考证无效，请联系监考老师");
}

// The reason in words, through tr() so the English translation covers it;
// built from the outcome's codes and facts (the core has no words).
QString CheckInViewModel::words(const ScanOutcome &o) const
{
    const std::optional<PackageSession> &session = o.session;
    switch (o.result) {
    case ScanResult::CheckedIn:
        return tr("请到第 %1 考场 %2 号座位就座").arg(m_room, m_seat);
    case ScanResult::CheckedInLate:
        return tr("已记为迟到。请到第 %1 考场 %2 号座位就座").arg(m_room, m_seat);
    case ScanResult::BadTicket: return ticketErrorWords(o.ticketError);
    case ScanResult::Revoked:
        return o.replacedAt.isValid()
                   ? tr("此准考证已作废（%1 已重新打印），请出示新准考证").arg(examClock(o.replacedAt, tr("M月d日 HH:mm")))
                   : tr("此准考证已作废（已重新打印），请出示新准考证");
    case ScanResult::NotOnRoster:
        return tr("此准考证不在本考场名单中，请联系监考老师");
    case ScanResult::OtherSession:
        if (session)
            return tr("您的考试是 %1 %2 开始的「%3」，不是本场")
                .arg(session->examDate.toString(tr("M月d日")), session->startTime.toString(QStringLiteral("HH:mm")),
                     session->title);
        return tr("准考证与场次不符，请联系监考老师");
    case ScanResult::OtherRoom:
        return tr("您的考场是第 %1 考场，本考场为第 %2 考场").arg(m_room, o.doorRoom);
    case ScanResult::OtherDay:
        if (session)
            return tr("您的考试在 %1 %2，不是今天")
                .arg(session->examDate.toString(tr("M月d日")), session->startTime.toString(QStringLiteral("HH:mm")));
        return tr("您的考试不是今天");
    case ScanResult::AlreadyCheckedIn:
        return o.previousHere ? tr("已于 %1 在本机签到，请勿重复扫码").arg(examClock(o.previousAt))
                              : tr("已于 %1 在 %2 签到，请勿重复扫码").arg(examClock(o.previousAt), o.previousKiosk);
    case ScanResult::NotOpenYet:
        return tr("%1 开始签到，请稍候").arg(examClock(o.opensAt));
    case ScanResult::SessionClosed:
        return tr("监考老师已结束本场签到，请联系监考老师");
    case ScanResult::StoreFailure:
        return tr("签到未能保存，请到监考老师处登记");
    case ScanResult::KioskRevoked:
        return tr("本机已停用，请到监考老师处签到");
    case ScanResult::Withdrawn:
        return tr("此准考证的报名已退考，不能参加本场考试；如有疑问请联系监考老师");
    }
    return {}; // every result is named above
}

} // namespace kaodian::kiosk
