#pragma once

// A kiosk for view-model tests: a real encrypted store in a temporary folder
// (fast KDF), provisioned with a small package signed by a test key, tickets
// from kaodian::issueTicket, and a clock the test sets.
//
// Exam day 2026-06-13 (times UTC+8), kiosk KIOSK-T1 in room 01:
//   session 10 Web前端开发（中级）   09:00–11:00, published 10, room 01: 1001–1004, room 02: 1005
//   session 20 大数据应用开发（初级） 14:00–16:00, published 4, room 01: 2001
//   session 30 云计算平台运维（中级） next day 09:00, no published count, room 01: 3001
// 1004's ticket was re-issued: serial 1 is revoked, serial 2 is current.

#include "kioskservices.h"

#include "core/ticket.h"

#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>

namespace kaodian::kiosk::test {

inline const QString kPassphrase = QStringLiteral("考点口令-2026");
inline const QString kPin = QStringLiteral("2468");
inline const QDate kExamDay(2026, 6, 13);

// A time on the exam day (or a day after), China Standard Time, as UTC.
inline QDateTime examTime(int hour, int minute, int dayOffset = 0)
{
    return QDateTime(kExamDay.addDays(dayOffset), QTime(hour, minute), QTimeZone(8 * 3600)).toUTC();
}

struct KioskFixture
{
    QTemporaryDir dir;
    SigningKey key = *SigningKey::generate();
    SigningKey stranger = *SigningKey::generate();
    QDateTime now = examTime(9, 5);
    SessionPackage package;
    std::unique_ptr<KioskServices> services;

    // edit, when given, changes the package before it is provisioned.
    explicit KioskFixture(const std::function<void(SessionPackage &)> &edit = {})
    {
        package = makePackage();
        if (edit)
            edit(package);
        auto store = KioskStore::create(paths(), kPassphrase, kMinKdfIterations);
        if (!store)
            qFatal("store: %s", qPrintable(store.error().message));
        if (!store->setIdentity({QStringLiteral("KIOSK-T1"), QStringLiteral("测试考点"), QStringLiteral("01"),
                                 key.verifyKey().raw()}))
            qFatal("identity");
        if (!store->provision(package))
            qFatal("provision");
        if (!store->setProctorPin(kPin))
            qFatal("pin");
        services = std::make_unique<KioskServices>(paths(), [this] { return now; });
        services->adopt(std::move(store).value());
    }

    [[nodiscard]] KioskPaths paths() const { return KioskPaths{dir.path()}; }

    SessionPackage makePackage() const
    {
        SessionPackage p;
        p.generatedAt = examTime(7, 0, -1);
        p.site = QStringLiteral("测试考点");
        auto session = [](Id id, const QString &title, int day, QTime start, QTime end, std::optional<int> published) {
            PackageSession s;
            s.id = id;
            s.title = title;
            s.site = QStringLiteral("测试考点");
            s.examDate = kExamDay.addDays(day);
            s.startTime = start;
            s.endTime = end;
            s.publishedCount = published;
            s.checkInOpensMinutes = 60;
            s.lateAfterMinutes = 15;
            return s;
        };
        p.sessions = {session(10, QStringLiteral("Web前端开发（中级）"), 0, QTime(9, 0), QTime(11, 0), 10),
                      session(20, QStringLiteral("大数据应用开发（初级）"), 0, QTime(14, 0), QTime(16, 0), 4),
                      session(30, QStringLiteral("云计算平台运维（中级）"), 1, QTime(9, 0), QTime(11, 0), std::nullopt)};
        auto candidate = [](Id reg, Id session, const QString &ticket, const QString &name, const QString &id,
                            const QString &room, const QString &seat, int serial = 1) {
            return RosterCandidate{reg, session, ticket, name, maskIdNumber(id), room, seat, serial, {}};
        };
        p.roster = {
            candidate(1001, 10, QStringLiteral("2026100101"), QStringLiteral("张三丰"), QStringLiteral("350102199001011234"), QStringLiteral("01"), QStringLiteral("01")),
            candidate(1002, 10, QStringLiteral("2026100102"), QStringLiteral("欧阳娜娜"), QStringLiteral("11010519491231002X"), QStringLiteral("01"), QStringLiteral("02")),
            candidate(1003, 10, QStringLiteral("2026100103"), QStringLiteral("林则徐"), QStringLiteral("350103200512307788"), QStringLiteral("01"), QStringLiteral("03")),
            candidate(1004, 10, QStringLiteral("2026100104"), QStringLiteral("李四"), QStringLiteral("350104200301015678"), QStringLiteral("01"), QStringLiteral("04"), 2),
            candidate(1005, 10, QStringLiteral("2026100201"), QStringLiteral("王五"), QStringLiteral("350121200302025555"), QStringLiteral("02"), QStringLiteral("01")),
            candidate(2001, 20, QStringLiteral("2026200101"), QStringLiteral("赵六"), QStringLiteral("350181200404046666"), QStringLiteral("01"), QStringLiteral("01")),
            candidate(3001, 30, QStringLiteral("2026300101"), QStringLiteral("孙七"), QStringLiteral("350203200505057777"), QStringLiteral("01"), QStringLiteral("01")),
        };
        p.ticketKeys = {key.verifyKey().raw()};
        p.revocations = {{QStringLiteral("2026100104"), 1, examTime(16, 30, -1)}};
        return p;
    }

    // The QR text of a ticket, signed by the test key unless told otherwise.
    QByteArray ticket(const QString &number, Id sessionId, int serial = 1, const SigningKey *signer = nullptr) const
    {
        TicketClaims claims;
        claims.ticketNumber = number;
        claims.sessionId = static_cast<std::uint32_t>(sessionId);
        claims.serial = static_cast<std::uint16_t>(serial);
        claims.validFrom = QDateTime::fromSecsSinceEpoch(examTime(0, 0, -30).toSecsSinceEpoch(), QTimeZone::utc());
        claims.validUntil = QDateTime::fromSecsSinceEpoch(examTime(0, 0, 3).toSecsSinceEpoch(), QTimeZone::utc());
        auto text = issueTicket(claims, signer ? *signer : key);
        if (!text)
            qFatal("ticket: %s", qPrintable(text.error()));
        return *text;
    }
};

} // namespace kaodian::kiosk::test
