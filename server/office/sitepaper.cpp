#include "office/sitepaper.h"

#include "office/photos.h"
#include "print/peopletable.h"

#include "core/examzone.h"

#include <QLoggingCategory>

namespace kaodian::server::office {

Q_LOGGING_CATEGORY(lcPaper, "kaodian.office.paper")

namespace {

QString weekday(const QDate &d)
{
    static const char16_t *const names[] = {u"一", u"二", u"三", u"四", u"五", u"六", u"日"};
    return QStringLiteral("星期") + QString::fromUtf16(names[d.dayOfWeek() - 1]);
}

// The words of a candidate's status on the sign-in sheet.
QString statusWords(const RosterEntry &e)
{
    switch (e.attendance) {
    case Attendance::CheckedIn:
        return QStringLiteral("%1 %2").arg(attendanceWords(e.attendance, e.late), examClock(e.checkedInAt));
    case Attendance::Excused:
        return e.excusedReason.isEmpty() ? QStringLiteral("请假/免考") : QStringLiteral("请假：%1").arg(e.excusedReason);
    case Attendance::Absent:
    case Attendance::NotCheckedIn:
        return attendanceWords(e.attendance, false);
    }
    return {};
}

} // namespace

std::optional<SitePaperKind> sitePaperKind(const QString &name)
{
    if (name == QLatin1String("signin"))
        return SitePaperKind::SignIn;
    if (name == QLatin1String("door"))
        return SitePaperKind::Door;
    if (name == QLatin1String("record"))
        return SitePaperKind::Record;
    return std::nullopt;
}

QString sitePaperName(SitePaperKind kind)
{
    switch (kind) {
    case SitePaperKind::SignIn: return QStringLiteral("签到表");
    case SitePaperKind::Door: return QStringLiteral("考场门贴");
    case SitePaperKind::Record: return QStringLiteral("考场记录单");
    }
    return {};
}

OfficeResult<PaperSignOff> roomSignOff(ServerStore &store, Id sessionId, const QString &room)
{
    PaperSignOff out;
    // The proctors: those who signed the room's standing sign-off, or, before
    // one, those the office assigned to the room.
    auto signOffs = store.events().signOffs(sessionId);
    if (!signOffs)
        return OfficeError::fromStore(signOffs.error());
    std::optional<SignOffRow> last;
    for (const auto &s : *signOffs)
        if (s.room == room)
            last = s; // by time: the last says whether the room stands signed
    if (last && !last->reopen) {
        out.signedAt = last->deviceTime;
        for (const auto &signer : last->facts.signers)
            out.proctors << (signer.staffNumber.isEmpty()
                                 ? signer.name
                                 : QStringLiteral("%1（工号 %2）").arg(signer.name, signer.staffNumber));
    }
    if (out.proctors.isEmpty()) {
        auto assigned = store.proctors().assignments(sessionId);
        if (!assigned)
            return OfficeError::fromStore(assigned.error());
        for (const auto &p : *assigned)
            if (p.room == room)
                out.proctors << QStringLiteral("%1（工号 %2）").arg(p.name, p.staffNumber);
    }
    auto incidents = store.events().roomIncidents(sessionId, room);
    if (!incidents)
        return OfficeError::fromStore(incidents.error());
    for (const auto &i : *incidents) {
        QString words = incidentCategoryName(i.category);
        if (!i.note.isEmpty())
            words += QStringLiteral(" — ") + i.note;
        if (!i.proctorName.isEmpty())
            words += QStringLiteral("（%1）").arg(i.proctorName);
        out.roomIncidents.push_back({examClock(i.deviceTime, QStringLiteral("HH:mm")), words});
    }
    return out;
}

OfficeResult<PrintedPaper> printSitePaper(ServerStore &store, const SigningKey &ticketKey, SitePaperKind kind,
                                          Id sessionId, const QString &room, const QString &actor)
{
    auto rows = store.rosters().ticketPrintRows(sessionId);
    if (!rows)
        return OfficeError::fromStore(rows.error());
    if (rows->isEmpty())
        return OfficeError::notFound(QStringLiteral("场次 #%1 不存在或没有考生").arg(sessionId));
    auto roster = store.rosters().roster(sessionId);
    if (!roster)
        return OfficeError::fromStore(roster.error());
    QHash<Id, RosterEntry> entries;
    bool anyCheckIn = false;
    for (const auto &e : *roster) {
        entries.insert(e.registrationId, e);
        anyCheckIn = anyCheckIn || e.attendance == Attendance::CheckedIn || e.checkedInAt.isValid();
    }
    const TicketPrintRow &first = rows->first();
    PaperSession session;
    session.id = sessionId;
    session.title = QStringLiteral("%1（%2）").arg(first.certificate, levelName(first.level));
    session.site = first.site;
    session.date = QStringLiteral("%1年%2月%3日（%4）")
                       .arg(first.examDate.year())
                       .arg(first.examDate.month())
                       .arg(first.examDate.day())
                       .arg(weekday(first.examDate));
    session.time = first.endTime.isValid()
        ? QStringLiteral("%1 – %2").arg(first.startTime.toString(QStringLiteral("HH:mm")),
                                        first.endTime.toString(QStringLiteral("HH:mm")))
        : QStringLiteral("%1 开考").arg(first.startTime.toString(QStringLiteral("HH:mm")));
    session.generatedAt = store.now();
    // Held (DESIGN.md): the exam day is past, or someone checked in.
    session.held = first.examDate < examDate(store.now()) || anyCheckIn;

    QList<Id> wanted;
    QList<PaperRoom> rooms;
    QHash<Id, qsizetype> roomOf;
    QHash<Id, std::pair<qsizetype, qsizetype>> position; // room, row
    for (const auto &r : *rows) {
        if (!room.isEmpty() && r.room != room)
            continue;
        if (rooms.isEmpty() || rooms.last().room != r.room)
            rooms.push_back(PaperRoom{r.room, {}, {}, {}, {}, {}, {}});
        const RosterEntry e = entries.value(r.registrationId);
        PaperCandidate c{r.seat, r.name, r.maskedIdNumber, r.ticketNumber, session.held ? statusWords(e) : QString(), {}};
        rooms.last().candidates.push_back(c);
        roomOf.insert(r.registrationId, rooms.size() - 1);
        position.insert(r.registrationId, {rooms.size() - 1, rooms.last().candidates.size() - 1});
        wanted.push_back(r.registrationId);
        auto &counts = rooms.last().counts;
        ++counts.expected;
        const bool sat = e.attendance == Attendance::CheckedIn;
        counts.sat += sat ? 1 : 0;
        counts.late += sat && e.late ? 1 : 0;
        counts.excused += e.attendance == Attendance::Excused ? 1 : 0;
        // Before the exam only those marked absent; once held, everyone
        // who neither sat nor was excused.
        const bool absent = e.attendance == Attendance::Absent
            || (session.held && e.attendance == Attendance::NotCheckedIn);
        if (absent) {
            ++counts.absent;
            rooms.last().absentees.push_back(
                QStringLiteral("%1 号 %2（%3）").arg(r.seat, r.name, attendanceWords(e.attendance, false)));
        }
    }
    if (rooms.isEmpty())
        return OfficeError::notFound(QStringLiteral("场次 #%1 在考场 %2 没有考生").arg(sessionId).arg(room));

    if (kind == SitePaperKind::SignIn) {
        auto photos = photosOf(store, ticketKey, wanted);
        if (!photos)
            return photos.error();
        for (auto it = position.cbegin(); it != position.cend(); ++it)
            rooms[it->first].candidates[it->second].photoJpeg = photos->value(it.key()).jpeg;
    }
    if (kind == SitePaperKind::Record) {
        auto incidents = store.events().incidents(sessionId);
        if (!incidents)
            return OfficeError::fromStore(incidents.error());
        for (const auto &i : *incidents) {
            const auto at = roomOf.constFind(i.registrationId);
            if (at == roomOf.cend())
                continue;
            const QString seat = entries.value(i.registrationId).seat;
            rooms[*at].incidents.push_back(QStringLiteral("%1　%2 号 %3：%4%5")
                                               .arg(examClock(i.deviceTime), seat, i.name,
                                                    incidentCategoryName(i.category),
                                                    i.note.isEmpty() ? QString() : QStringLiteral("（%1）").arg(i.note)));
        }
        auto conflicts = store.events().conflicts(sessionId);
        if (!conflicts)
            return OfficeError::fromStore(conflicts.error());
        for (const auto &c : *conflicts) {
            const auto at = roomOf.constFind(c.registrationId);
            if (at == roomOf.cend())
                continue;
            QStringList where;
            for (const auto &ci : c.checkIns)
                where.push_back(QStringLiteral("%1 %2%3")
                                    .arg(ci.kioskName.isEmpty() ? ci.kioskId : ci.kioskName, examClock(ci.deviceTime),
                                         ci.counts ? QStringLiteral("（以此为准）") : QString()));
            rooms[*at].conflicts.push_back(
                QStringLiteral("%1（%2）：%3").arg(c.name, c.ticketNumber, where.join(QStringLiteral("，"))));
        }
        for (auto &paperRoom : rooms) {
            auto signOff = roomSignOff(store, sessionId, paperRoom.room);
            if (!signOff)
                return signOff.error();
            paperRoom.signOff = *signOff;
        }
    }

    auto render = [&]() -> Result<QByteArray, QString> {
        switch (kind) {
        case SitePaperKind::SignIn: return renderSignInSheet(session, rooms);
        case SitePaperKind::Door: return renderDoorList(session, rooms);
        case SitePaperKind::Record: return renderRoomRecord(session, rooms);
        }
        return QStringLiteral("unknown paper");
    };
    const auto pdf = render();
    if (!pdf) {
        qCWarning(lcPaper) << "site paper:" << pdf.error();
        return OfficeError::failed(QStringLiteral("paper_failed"),
                                   QStringLiteral("无法生成%1（服务器日志中有原因，例如缺少中文字体）").arg(sitePaperName(kind)));
    }
    PrintedPaper printed{*pdf, int(rooms.size()), int(wanted.size())};
    if (auto s = store.audit().append(actor, QStringLiteral("paper.print"),
                                      QStringLiteral("场次 #%1 %2：%3（%4 个考场，%5 人）")
                                          .arg(sessionId)
                                          .arg(room.isEmpty() ? QStringLiteral("全部考场") : QStringLiteral("考场 %1").arg(room),
                                               sitePaperName(kind))
                                          .arg(printed.rooms)
                                          .arg(printed.candidates));
        !s)
        return OfficeError::fromStore(s.error());
    return printed;
}

} // namespace kaodian::server::office
