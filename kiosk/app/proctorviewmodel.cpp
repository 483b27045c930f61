#include "proctorviewmodel.h"

#include "storeerrortext.h"

#include "kioskservices.h"

#include "core/pinhash.h"
#include "core/statistics.h"

#include <QCoreApplication>
#include <QEvent>

namespace kaodian::kiosk {

ProctorViewModel::ProctorViewModel(QObject *parent) : ProctorViewModel(KioskServices::instance(), parent) {}

ProctorViewModel::ProctorViewModel(KioskServices *services, QObject *parent)
    : QObject(parent), m_services(services), m_roster(this)
{
    if (m_services) {
        connect(m_services, &KioskServices::unlockedChanged, this, [this] {
            // Locked: the PIN is asked again. A new package from the sync
            // (also announced here) keeps the proctor in, to see what it brought.
            if (!m_services->store())
                setAuthenticated(false);
            reloadSessions();
        });
        connect(m_services, &KioskServices::sessionsChanged, this, &ProctorViewModel::reloadSessions);
        connect(m_services, &KioskServices::eventsChanged, this, &ProctorViewModel::refresh);
        m_idleSeconds = m_services->proctorIdleSeconds();
    }
    // Proctor mode locks itself after a while without a touch (issue #15, item 7).
    m_idle.setSingleShot(true);
    m_idle.setInterval(m_idleSeconds * 1000);
    connect(&m_idle, &QTimer::timeout, this, [this] {
        if (!m_authenticated)
            return;
        leave();
        Q_EMIT idleLocked();
    });
    // Every touch, click or key anywhere in the app counts as activity.
    if (QCoreApplication *app = QCoreApplication::instance())
        app->installEventFilter(this);
    reloadSessions();
}

bool ProctorViewModel::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::MouseButtonPress:
    case QEvent::TouchBegin:
    case QEvent::KeyPress:
    case QEvent::Wheel:
        if (m_authenticated)
            m_idle.start();
        break;
    default: break;
    }
    return QObject::eventFilter(watched, event);
}

void ProctorViewModel::touched()
{
    if (m_authenticated)
        m_idle.start();
}

void ProctorViewModel::setIdleLockSeconds(int seconds)
{
    seconds = std::max(1, seconds);
    if (seconds == m_idleSeconds)
        return;
    m_idleSeconds = seconds;
    m_idle.setInterval(seconds * 1000);
    if (m_idle.isActive())
        m_idle.start();
    Q_EMIT idleLockSecondsChanged();
}

void ProctorViewModel::reloadProctors()
{
    QVariantList list;
    if (CheckInService *s = service()) {
        for (const auto &p : s->proctorsHere())
            list.push_back(QVariantMap{{QStringLiteral("staffNumber"), p.staffNumber},
                                       {QStringLiteral("name"), p.name},
                                       {QStringLiteral("hasPin"), !s->store().proctorPinHash(p.staffNumber).isEmpty()}});
    }
    if (list != m_proctors) {
        m_proctors = list;
        Q_EMIT proctorsChanged();
    }
}

QString ProctorViewModel::proctorName() const
{
    for (const QVariant &v : m_proctors) {
        const QVariantMap m = v.toMap();
        if (m.value(QStringLiteral("staffNumber")).toString() == m_proctorStaff)
            return m.value(QStringLiteral("name")).toString();
    }
    return {};
}

bool ProctorViewModel::isSettingPin() const
{
    KioskStore *store = m_services ? m_services->store() : nullptr;
    return store && !m_proctorStaff.isEmpty() && store->proctorPinHash(m_proctorStaff).isEmpty();
}

void ProctorViewModel::chooseProctor(const QString &staffNumber)
{
    m_proctorStaff = staffNumber;
    m_firstPin.clear();
    m_pinMessage.clear();
    m_pinLocked = false;
    Q_EMIT pinChanged();
}

void ProctorViewModel::clearProctor()
{
    chooseProctor(QString());
}

CheckInService *ProctorViewModel::service() const
{
    return m_services ? m_services->checkIn() : nullptr;
}

bool ProctorViewModel::hasPin() const
{
    return m_services && m_services->store() && m_services->store()->hasProctorPin();
}

void ProctorViewModel::setAuthenticated(bool authenticated)
{
    if (authenticated == m_authenticated)
        return;
    m_authenticated = authenticated;
    if (CheckInService *s = service())
        s->setActingProctor(authenticated ? m_proctorStaff : QString());
    if (authenticated) {
        m_idle.start();
        m_signers = m_proctorStaff.isEmpty() ? QStringList() : QStringList{m_proctorStaff};
    } else {
        m_idle.stop();
        select(0);
        m_roster.setFilter({});
        setMessage({}, false);
        m_proctorStaff.clear();
        m_firstPin.clear();
        m_signers.clear();
        Q_EMIT pinChanged();
    }
    Q_EMIT signersChanged();
    Q_EMIT authenticatedChanged();
}

bool ProctorViewModel::enterPin(const QString &pin)
{
    KioskStore *store = m_services ? m_services->store() : nullptr;
    QString message;
    bool locked = false;
    if (store && hasNamedProctors()) {
        if (m_proctorStaff.isEmpty()) {
            message = tr("请先点选您的姓名");
        } else if (isSettingPin()) {
            // First use: the new PIN typed twice, then set (its hash goes to the server).
            if (m_firstPin.isEmpty()) {
                if (const auto problem = pinProblem(pin)) {
                    message = tr("PIN 须为 4–12 位数字");
                } else {
                    m_firstPin = pin;
                    m_pinMessage = tr("请再输入一次新的 PIN");
                    Q_EMIT pinChanged();
                    return false;
                }
            } else if (pin != m_firstPin) {
                m_firstPin.clear();
                message = tr("两次输入的 PIN 不一致，请重新设置");
            } else {
                m_firstPin.clear();
                auto set = store->setProctorPinAtFirstUse(m_proctorStaff, m_sessionId, pin, m_services->now());
                if (!set) {
                    message = tr("无法设置 PIN：%1").arg(storeErrorText(set.error()));
                } else {
                    // Stored with its outbox entry: the sync sends it on.
                    Q_EMIT m_services->eventsChanged();
                    reloadProctors();
                    m_pinMessage.clear();
                    Q_EMIT pinChanged();
                    reloadSessions();
                    setAuthenticated(true);
                    return true;
                }
            }
        } else if (const auto check = store->checkNamedProctorPin(m_proctorStaff, pin, m_services->now()); !check) {
            message = tr("无法核对监考 PIN：%1").arg(storeErrorText(check.error()));
        } else if (*check == KioskStore::PinCheck::Ok) {
            m_pinLocked = false;
            m_pinMessage.clear();
            Q_EMIT pinChanged();
            reloadSessions();
            setAuthenticated(true);
            return true;
        } else if (*check == KioskStore::PinCheck::Wrong) {
            message = tr("PIN 不正确，请重试");
        } else {
            locked = true;
            message = tr("PIN 连续输错次数过多，已锁定至 %1").arg(examClock(store->proctorPinLockedUntil(m_proctorStaff)));
        }
        m_pinLocked = locked;
        m_pinMessage = message;
        Q_EMIT pinChanged();
        return false;
    }
    if (!store) {
        message = tr("本机已锁定，请先用考点口令解锁");
    } else if (!store->hasProctorPin()) {
        message = tr("本机未设置监考 PIN，请重新配置本机");
    } else if (const auto check = store->checkProctorPin(pin, m_services->now()); !check) {
        // The attempt could not be counted, or the PIN not computed: the
        // store's reason; proctor mode stays closed.
        message = tr("无法核对监考 PIN：%1").arg(storeErrorText(check.error()));
    } else {
        switch (*check) {
        case KioskStore::PinCheck::Ok:
            m_pinLocked = false;
            m_pinMessage.clear();
            Q_EMIT pinChanged();
            reloadSessions();
            setAuthenticated(true);
            return true;
        case KioskStore::PinCheck::Wrong: message = tr("PIN 不正确，请重试"); break;
        case KioskStore::PinCheck::Locked:
            locked = true;
            message = tr("PIN 连续输错次数过多，已锁定至 %1").arg(examClock(store->pinLockedUntil()));
            break;
        }
    }
    m_pinLocked = locked;
    m_pinMessage = message;
    Q_EMIT pinChanged();
    return false;
}

void ProctorViewModel::leave()
{
    setAuthenticated(false);
}

void ProctorViewModel::lockKiosk()
{
    setAuthenticated(false);
    if (m_services)
        m_services->lock();
}

void ProctorViewModel::reloadSessions()
{
    QVariantList sessions;
    qint64 preferred = 0;
    bool selectedStillThere = false;
    if (CheckInService *s = service()) {
        for (const auto &session : s->sessionsHere()) { // not those held in other rooms only
            sessions.push_back(QVariantMap{
                {QStringLiteral("id"), session.id},
                {QStringLiteral("title"), session.title},
                {QStringLiteral("time"), QStringLiteral("%1 %2–%3")
                                             .arg(session.examDate.toString(tr("M月d日")),
                                                  session.startTime.toString(QStringLiteral("HH:mm")),
                                                  session.endTime.toString(QStringLiteral("HH:mm")))},
                {QStringLiteral("closed"), s->store().isSessionClosed(session.id)},
            });
            selectedStillThere = selectedStillThere || session.id == m_sessionId;
        }
        preferred = s->proctorSession(); // the service chooses (kiosk/core)
    }
    reloadProctors();
    if (sessions != m_sessions) {
        m_sessions = sessions;
        Q_EMIT sessionsChanged();
    }
    const qint64 id = selectedStillThere ? m_sessionId : preferred;
    if (id != m_sessionId) {
        setSessionId(id);
    } else {
        m_roster.setSource(service(), m_sessionId);
        refreshCounts();
        refreshConflicts();
        Q_EMIT sessionChanged();
        Q_EMIT selectionChanged();
    }
}

void ProctorViewModel::setSessionId(qint64 id)
{
    if (id == m_sessionId)
        return;
    m_sessionId = id;
    m_selected = 0;
    m_roster.setSource(service(), id);
    refreshCounts();
    refreshConflicts();
    Q_EMIT sessionChanged();
    Q_EMIT selectionChanged();
}

QString ProctorViewModel::sessionTitle() const
{
    CheckInService *s = service();
    const auto session = s ? s->session(m_sessionId) : std::nullopt;
    return session ? session->title : QString();
}

bool ProctorViewModel::isSessionClosed() const
{
    CheckInService *s = service();
    return s && s->store().isSessionClosed(m_sessionId);
}

void ProctorViewModel::refresh()
{
    m_roster.refreshStates();
    refreshCounts();
    Q_EMIT selectionChanged();
}

void ProctorViewModel::refreshConflicts()
{
    QVariantList list;
    if (CheckInService *s = service()) {
        for (const auto &c : s->store().package().conflicts) {
            if (c.sessionId != m_sessionId)
                continue;
            QStringList where;
            for (const auto &ci : c.checkIns) {
                const QString kiosk = ci.kioskName.isEmpty() ? ci.kioskId : ci.kioskName;
                where.push_back(ci.counts ? tr("%1 %2（计入）").arg(kiosk, examClock(ci.deviceTime))
                                          : tr("%1 %2").arg(kiosk, examClock(ci.deviceTime)));
            }
            list.push_back(QVariantMap{
                {QStringLiteral("registrationId"), c.registrationId},
                {QStringLiteral("name"), c.name},
                {QStringLiteral("ticketNumber"), c.ticketNumber},
                {QStringLiteral("text"), tr("%1（准考证 %2）签到 %3 次：%4")
                                             .arg(c.name, c.ticketNumber)
                                             .arg(c.checkIns.size())
                                             .arg(where.join(tr("、")))},
            });
        }
    }
    if (list != m_conflicts) {
        m_conflicts = list;
        Q_EMIT conflictsChanged();
    }
}

void ProctorViewModel::refreshCounts()
{
    CheckInService *s = service();
    m_counts = s && m_sessionId ? s->counts(m_sessionId) : SessionCounts{};
    Q_EMIT countsChanged();
}

QString ProctorViewModel::publishedText() const
{
    return m_counts.published ? QString::number(*m_counts.published) : tr("未公布");
}

QString ProctorViewModel::participationText() const
{
    return formatPercent(m_counts.checkedIn, m_counts.published.value_or(0));
}

QString ProctorViewModel::participationVerdictKey() const
{
    const auto verdict = participationVerdict(m_counts.checkedIn, m_counts.published);
    if (verdict != ParticipationVerdict::NoPublishedCount && !m_counts.wholeSessionHere())
        return QStringLiteral("server"); // other rooms count too: judged on the server
    switch (verdict) {
    case ParticipationVerdict::Ok: return QStringLiteral("ok");
    case ParticipationVerdict::Low: return QStringLiteral("low");
    case ParticipationVerdict::NoPublishedCount: break;
    case ParticipationVerdict::NotHeld: return QStringLiteral("server"); // not asked: a door in use is held
    }
    return QStringLiteral("no_published");
}

bool ProctorViewModel::isBelowThirtyPercent() const
{
    // Exact integers: attended * 10 < published * 3; exactly 30% is not below.
    // Only for a session wholly in this room: one room of several is not the session.
    return m_counts.wholeSessionHere() && m_counts.published && *m_counts.published > 0
           && kaodian::belowThirtyPercent(m_counts.checkedIn, *m_counts.published);
}

QString ProctorViewModel::participationWarning() const
{
    switch (participationVerdict(m_counts.checkedIn, m_counts.published)) {
    case ParticipationVerdict::Ok: return {};
    case ParticipationVerdict::Low:
        if (!m_counts.wholeSessionHere())
            return {}; // participationNote says who judges it
        return tr("%1：实际参加考试 %2 人，低于公布考试人数 %3 人的 30%")
            .arg(tr("第七条(五)"))
            .arg(m_counts.checkedIn)
            .arg(*m_counts.published);
    case ParticipationVerdict::NoPublishedCount: break;
    case ParticipationVerdict::NotHeld: return {}; // not asked: a door in use is held
    }
    return tr("%1：本场未公布考试人数，无法判断参考率").arg(tr("第七条(五)"));
}

QString ProctorViewModel::room() const
{
    return m_services ? m_services->room() : QString();
}

QString ProctorViewModel::roomFiguresText() const
{
    const QString where = room().isEmpty() ? tr("本机") : tr("第 %1 考场").arg(room());
    return tr("%1：实到 %2 人 / 应到 %3 人（%4）")
        .arg(where)
        .arg(m_counts.checkedIn)
        .arg(m_counts.expected)
        .arg(formatPercent(m_counts.checkedIn, m_counts.expected));
}

QString ProctorViewModel::sessionFiguresText() const
{
    if (m_counts.wholeSessionHere())
        return tr("全场次：本场考生都在本考场，实到 %1 人 / 公布考试人数 %2 人　参考率 %3")
            .arg(m_counts.checkedIn)
            .arg(publishedText(), participationText());
    QString where;
    if (m_counts.sessionRegistered && m_counts.sessionRooms)
        where = tr("共 %1 个考场，报名 %2 人").arg(*m_counts.sessionRooms).arg(*m_counts.sessionRegistered);
    else
        where = tr("其他考场的人数本机未知");
    return tr("全场次：公布考试人数 %1 人（%2）").arg(publishedText(), where);
}

QString ProctorViewModel::participationNote() const
{
    if (m_counts.wholeSessionHere() || !m_counts.published || *m_counts.published <= 0)
        return {};
    return tr("公布考试人数是整个场次的。本场次的参考率和%1的 30% 规则，由服务器汇总所有考场的签到后判定；"
              "本机只签本考场。")
        .arg(tr("第七条(五)"));
}

QString ProctorViewModel::signedBy() const
{
    CheckInService *s = service();
    const auto signOff = s ? s->store().signOff(m_sessionId) : std::nullopt;
    return signOff ? signOff->signedBy : QString();
}

QString ProctorViewModel::signOffText() const
{
    CheckInService *s = service();
    const auto signOff = s ? s->store().signOff(m_sessionId) : std::nullopt;
    if (!signOff)
        return {};
    return tr("本场已于 %1 结束签到，由 %2 签字确认")
        .arg(examClock(signOff->closedAt, tr("M月d日 HH:mm")), signOff->signedBy);
}

void ProctorViewModel::select(qint64 registrationId)
{
    if (registrationId == m_selected)
        return;
    m_selected = registrationId;
    Q_EMIT selectionChanged();
}

QString ProctorViewModel::selectedName() const
{
    const auto c = m_roster.candidate(m_selected);
    return c ? c->name : QString();
}

QString ProctorViewModel::selectedTicket() const
{
    const auto c = m_roster.candidate(m_selected);
    return c ? c->ticketNumber : QString();
}

QString ProctorViewModel::selectedSeat() const
{
    const auto c = m_roster.candidate(m_selected);
    return c ? c->seat : QString();
}

QString ProctorViewModel::selectedMaskedId() const
{
    const auto c = m_roster.candidate(m_selected);
    return c ? c->maskedIdNumber : QString();
}

QString ProctorViewModel::selectedStatus() const
{
    return hasSelection() ? attendanceText(m_roster.state(m_selected)) : QString();
}

QString ProctorViewModel::selectedStatusKey() const
{
    return hasSelection() ? attendanceKey(m_roster.state(m_selected)) : QString();
}

QString ProctorViewModel::selectedResult() const
{
    return hasSelection() ? resultText(m_roster.state(m_selected)) : QString();
}

QVariantList ProctorViewModel::incidentCategories() const
{
    QVariantList out;
    for (auto [value, label] : {std::pair{Misconduct, tr("违纪")}, std::pair{EquipmentFailure, tr("设备故障")},
                                std::pair{Illness, tr("身体不适")}, std::pair{PowerOrNetwork, tr("停电/断网")},
                                std::pair{OtherIncident, tr("其他")}})
        out.push_back(QVariantMap{{QStringLiteral("value"), int(value)}, {QStringLiteral("label"), label}});
    return out;
}

QString ProctorViewModel::incidentLabel(int category) const
{
    for (const QVariant &v : incidentCategories()) {
        const QVariantMap m = v.toMap();
        if (m.value(QStringLiteral("value")).toInt() == category)
            return m.value(QStringLiteral("label")).toString();
    }
    return {};
}

void ProctorViewModel::setMessage(const QString &message, bool error)
{
    m_message = message;
    m_messageIsError = error;
    Q_EMIT messageChanged();
}

bool ProctorViewModel::requireSelection()
{
    if (!m_authenticated) {
        setMessage(tr("请先输入监考 PIN"), true);
        return false;
    }
    if (!service()) {
        setMessage(tr("本机已锁定"), true);
        return false;
    }
    if (!hasSelection()) {
        setMessage(tr("请先在名单中选择考生"), true);
        return false;
    }
    return true;
}

// The roster, the counts and the check-in screen follow the service's
// eventAppended (through KioskServices::eventsChanged): nothing to tell here.
bool ProctorViewModel::act(const Status<ActionError> &status, const QString &done)
{
    if (!status) {
        setMessage(refusalText(status.error()), true);
        return false;
    }
    setMessage(done, false);
    return true;
}

QString ProctorViewModel::refusalText(const ActionError &error) const
{
    switch (error.refusal) {
    case ActionRefusal::NotOnRoster: return tr("名单中没有这位考生");
    case ActionRefusal::ManualReasonRequired: return tr("手工签到须填写原因（如：准考证遗失）");
    case ActionRefusal::AlreadyCheckedIn:
        return tr("该考生已于 %1 签到").arg(error.at.isValid() ? examClock(error.at) : QString());
    case ActionRefusal::AnnulReasonRequired: return tr("撤销签到须填写原因");
    case ActionRefusal::NothingToAnnul: return tr("该考生没有可撤销的签到");
    case ActionRefusal::LateNeedsCheckIn: return tr("考生须先签到才能标记迟到");
    case ActionRefusal::ExcuseReasonRequired: return tr("免考须填写原因");
    case ActionRefusal::IncidentNoteRequired: return tr("“其他”类情况须填写说明");
    case ActionRefusal::ResultNeedsCheckIn: return tr("只能为已参加考试的考生录入成绩");
    case ActionRefusal::ScoreOutOfRange: return tr("分数须在 0–100 之间");
    case ActionRefusal::SignerRequired: return tr("请填写签字人姓名");
    case ActionRefusal::SessionAlreadyClosed: return tr("本场已签字确认结束签到；如需更改，请先重新开放");
    case ActionRefusal::SessionNotClosed: return tr("本场尚未签字确认，无需重新开放");
    case ActionRefusal::ReopenReasonRequired: return tr("重新开放须选择原因");
    case ActionRefusal::StoreFailure: return error.storeMessage; // the store says why (core/storeerror.h)
    }
    return {};
}

bool ProctorViewModel::manualCheckIn(const QString &reason)
{
    if (!requireSelection())
        return false;
    return act(service()->manualCheckIn(m_selected, reason), tr("已为 %1 手工签到").arg(selectedName()));
}

bool ProctorViewModel::annul(const QString &reason)
{
    if (!requireSelection())
        return false;
    return act(service()->annul(m_selected, reason), tr("已撤销 %1 的签到").arg(selectedName()));
}

bool ProctorViewModel::markLate()
{
    if (!requireSelection())
        return false;
    return act(service()->markLate(m_selected), tr("已将 %1 标记为迟到").arg(selectedName()));
}

bool ProctorViewModel::markAbsent()
{
    if (!requireSelection())
        return false;
    return act(service()->markAbsent(m_selected), tr("已将 %1 标记为缺考").arg(selectedName()));
}

bool ProctorViewModel::markExcused(const QString &reason)
{
    if (!requireSelection())
        return false;
    return act(service()->markExcused(m_selected, reason), tr("已将 %1 标记为免考").arg(selectedName()));
}

bool ProctorViewModel::incident(int category, const QString &note)
{
    if (!requireSelection())
        return false;
    if (category < int(IncidentCategory::Misconduct) || category > int(IncidentCategory::Other)) {
        setMessage(tr("请选择情况类别"), true);
        return false;
    }
    const auto c = static_cast<IncidentCategory>(category);
    return act(service()->recordIncident(m_selected, c, note),
               tr("已记录 %1 的情况：%2").arg(selectedName(), incidentLabel(category)));
}

bool ProctorViewModel::result(bool passed, const QString &score)
{
    if (!requireSelection())
        return false;
    std::optional<int> value;
    if (!score.trimmed().isEmpty()) {
        bool ok = false;
        const int n = score.trimmed().toInt(&ok);
        if (!ok || n < 0 || n > 100) {
            setMessage(tr("分数须为 0–100 的整数，或留空"), true);
            return false;
        }
        value = n;
    }
    return act(service()->recordResult(m_selected, passed ? Outcome::Pass : Outcome::Fail, value),
               tr("已录入 %1 的成绩：%2").arg(selectedName(), passed ? tr("通过") : tr("未通过")));
}

bool ProctorViewModel::closeSession(const QString &signedBy)
{
    if (!m_authenticated) {
        setMessage(tr("请先输入监考 PIN"), true);
        return false;
    }
    CheckInService *s = service();
    if (!s || !m_sessionId) {
        setMessage(tr("没有可结束的场次"), true);
        return false;
    }
    refreshCounts();
    const QString summary = tr("本场已结束签到，由 %1 签字确认。%2；%3")
                                .arg(signedBy.trimmed(), roomFiguresText(), sessionFiguresText());
    const qint64 closed = m_sessionId;
    // The service announces the sign-off (sessionClosed): the session list follows.
    if (!act(s->closeSession(closed, signedBy), summary))
        return false;
    // Stay on the session just closed so its sign-off stays in view.
    if (m_sessionId != closed)
        setSessionId(closed);
    Q_EMIT sessionChanged();
    return true;
}

void ProctorViewModel::toggleSigner(const QString &staffNumber)
{
    if (m_signers.contains(staffNumber))
        m_signers.removeAll(staffNumber);
    else
        m_signers.push_back(staffNumber);
    Q_EMIT signersChanged();
}

bool ProctorViewModel::signOff()
{
    if (!m_authenticated) {
        setMessage(tr("请先输入监考 PIN"), true);
        return false;
    }
    CheckInService *s = service();
    if (!s || !m_sessionId) {
        setMessage(tr("没有可结束的场次"), true);
        return false;
    }
    if (m_signers.isEmpty()) {
        setMessage(tr("请选择签字的监考"), true);
        return false;
    }
    QList<protocol::Signer> signers;
    QStringList names;
    for (const QVariant &v : m_proctors) {
        const QVariantMap m = v.toMap();
        const QString staff = m.value(QStringLiteral("staffNumber")).toString();
        if (m_signers.contains(staff)) {
            signers.push_back({staff, m.value(QStringLiteral("name")).toString()});
            names << m.value(QStringLiteral("name")).toString();
        }
    }
    refreshCounts();
    const QString summary = tr("本场已结束签到，由 %1 签字确认。%2；%3")
                                .arg(names.join(tr("、")), roomFiguresText(), sessionFiguresText());
    const qint64 closed = m_sessionId;
    if (!act(s->signOff(closed, signers), summary))
        return false;
    if (m_sessionId != closed)
        setSessionId(closed);
    refreshCounts();
    Q_EMIT sessionChanged();
    return true;
}

QStringList ProctorViewModel::reopenReasons() const
{
    return {tr("签字过早，考生仍在入场"), tr("签到记录有误，需更正"), tr("误点结束签到")};
}

bool ProctorViewModel::reopen(const QString &reason)
{
    if (!m_authenticated) {
        setMessage(tr("请先输入监考 PIN"), true);
        return false;
    }
    CheckInService *s = service();
    if (!s || !m_sessionId) {
        setMessage(tr("没有可重新开放的场次"), true);
        return false;
    }
    const qint64 session = m_sessionId;
    if (!act(s->reopen(session, reason), tr("本场已重新开放签到：%1").arg(reason.trimmed())))
        return false;
    if (m_sessionId != session)
        setSessionId(session);
    refreshCounts();
    Q_EMIT sessionChanged();
    return true;
}

QVariantList ProctorViewModel::roomIncidentCategories() const
{
    QVariantList out;
    for (auto [value, label] : {std::pair{PowerOrNetwork, tr("停电/断网")}, std::pair{EquipmentFailure, tr("设备故障")},
                                std::pair{OtherIncident, tr("其他")}})
        out.push_back(QVariantMap{{QStringLiteral("value"), int(value)}, {QStringLiteral("label"), label}});
    return out;
}

QVariantList ProctorViewModel::roomIncidents() const
{
    QVariantList out;
    CheckInService *s = service();
    if (!s)
        return out;
    for (const auto &e : s->roomIncidents(m_sessionId)) {
        const QString label = incidentLabel(e.incident ? int(*e.incident) : int(OtherIncident));
        out.push_back(QVariantMap{{QStringLiteral("text"), e.reason.isEmpty()
                                                              ? tr("%1　%2").arg(examClock(e.deviceTime), label)
                                                              : tr("%1　%2：%3").arg(examClock(e.deviceTime), label, e.reason)}});
    }
    return out;
}

bool ProctorViewModel::roomIncident(int category, const QString &note)
{
    if (!m_authenticated) {
        setMessage(tr("请先输入监考 PIN"), true);
        return false;
    }
    CheckInService *s = service();
    if (!s || !m_sessionId) {
        setMessage(tr("没有可记录的场次"), true);
        return false;
    }
    if (category < int(IncidentCategory::Misconduct) || category > int(IncidentCategory::Other)) {
        setMessage(tr("请选择情况类别"), true);
        return false;
    }
    if (!act(s->recordRoomIncident(m_sessionId, static_cast<IncidentCategory>(category), note),
             tr("已记录考场情况：%1").arg(incidentLabel(category))))
        return false;
    Q_EMIT countsChanged(); // roomIncidents follows
    return true;
}

} // namespace kaodian::kiosk
