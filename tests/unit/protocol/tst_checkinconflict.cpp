// Check-in conflicts on the wire: the one writer (API response and session
// package alike) and its reader.

#include "protocol/checkinconflict.h"

#include <QJsonObject>
#include <QTest>

using namespace kaodian;
using namespace kaodian::protocol;

class TestCheckInConflict : public QObject
{
    Q_OBJECT

    static CheckInConflict sample()
    {
        CheckInConflict c;
        c.sessionId = 57;
        c.registrationId = 3401;
        c.ticketNumber = QStringLiteral("202606010100001");
        c.name = QStringLiteral("林晓燕");
        CheckInConflict::CheckIn first;
        first.kioskId = QStringLiteral("K7f3a");
        first.kioskName = QStringLiteral("01 门口");
        first.deviceTime = QDateTime(QDate(2026, 6, 1), QTime(0, 41, 7, 123), Qt::UTC);
        first.counts = true;
        first.eventId = 18;
        first.receivedAt = QDateTime(QDate(2026, 6, 1), QTime(1, 2), Qt::UTC);
        CheckInConflict::CheckIn second;
        second.kioskId = QStringLiteral("K90b2");
        second.deviceTime = QDateTime(QDate(2026, 6, 1), QTime(0, 43, 30), Qt::UTC);
        second.eventId = 5;
        c.checkIns = {first, second};
        return c;
    }

private Q_SLOTS:
    // Every field of docs/api.md and docs/session-package.md, times in UTC with milliseconds.
    void writesEveryField()
    {
        const QJsonArray array = conflictsToJson({sample()});
        QCOMPARE(array.size(), 1);
        const QJsonObject c = array[0].toObject();
        QCOMPARE(c.keys(), (QStringList{"check_ins", "name", "registration_id", "session_id", "ticket_number"}));
        QCOMPARE(c["session_id"].toInteger(), 57);
        QCOMPARE(c["registration_id"].toInteger(), 3401);
        const QJsonObject first = c["check_ins"].toArray()[0].toObject();
        QCOMPARE(first.keys(), (QStringList{"counts", "device_time", "event_id", "kiosk_id", "kiosk_name", "received_at"}));
        QCOMPARE(first["device_time"].toString(), QStringLiteral("2026-06-01T00:41:07.123Z"));
        QCOMPARE(first["received_at"].toString(), QStringLiteral("2026-06-01T01:02:00.000Z"));
        QCOMPARE(first["event_id"].toInteger(), 18);
        QCOMPARE(first["counts"].toBool(), true);
        // A time given in another zone is written in UTC.
        CheckInConflict shifted = sample();
        shifted.checkIns[0].deviceTime = shifted.checkIns[0].deviceTime.toOffsetFromUtc(8 * 3600);
        QCOMPARE(conflictsToJson({shifted})[0].toObject()["check_ins"].toArray()[0].toObject()["device_time"].toString(),
                 QStringLiteral("2026-06-01T00:41:07.123Z"));
        // Unknown receipt time: an empty string, not a made-up one.
        QCOMPARE(c["check_ins"].toArray()[1].toObject()["received_at"].toString(), QString());
    }

    void readsWhatItWrites()
    {
        const auto back = conflictsFromJson(conflictsToJson({sample()}));
        QCOMPARE(back.size(), 1);
        const CheckInConflict &c = back[0];
        QCOMPARE(c.sessionId, 57);
        QCOMPARE(c.registrationId, 3401);
        QCOMPARE(c.ticketNumber, QStringLiteral("202606010100001"));
        QCOMPARE(c.name, QStringLiteral("林晓燕"));
        QCOMPARE(c.checkIns.size(), 2);
        QCOMPARE(c.checkIns[0].kioskId, QStringLiteral("K7f3a"));
        QCOMPARE(c.checkIns[0].kioskName, QStringLiteral("01 门口"));
        QCOMPARE(c.checkIns[0].deviceTime, sample().checkIns[0].deviceTime);
        QCOMPARE(c.checkIns[0].receivedAt, sample().checkIns[0].receivedAt);
        QCOMPARE(c.checkIns[0].eventId, 18);
        QVERIFY(c.checkIns[0].counts);
        QVERIFY(!c.checkIns[1].counts);
        QVERIFY(!c.checkIns[1].receivedAt.isValid());
    }

    // Packages made before event_id and received_at were written still read.
    void readsTheOlderPackageForm()
    {
        const QJsonArray older{QJsonObject{
            {"session_id", 1}, {"registration_id", 1}, {"ticket_number", "T1"}, {"name", "林晓燕"},
            {"check_ins", QJsonArray{QJsonObject{{"kiosk_id", "A"}, {"kiosk_name", "01"},
                                                 {"device_time", "2026-06-01T00:41:07.123Z"}, {"counts", true}},
                                     QJsonObject{{"kiosk_id", "B"}, {"kiosk_name", "02"},
                                                 {"device_time", "2026-06-01T00:43:30.000Z"}, {"counts", false}}}}}};
        const auto read = conflictsFromJson(older);
        QCOMPARE(read.size(), 1);
        QCOMPARE(read[0].checkIns[1].kioskId, QStringLiteral("B"));
        QCOMPARE(read[0].checkIns[0].eventId, 0);
        QCOMPARE(read[0].checkIns[0].deviceTime, QDateTime(QDate(2026, 6, 1), QTime(0, 41, 7, 123), Qt::UTC));
    }

    // One check-in, or no registration, is no conflict.
    void dropsWhatIsNoConflict()
    {
        CheckInConflict single = sample();
        single.checkIns.removeLast();
        CheckInConflict nobody = sample();
        nobody.registrationId = 0;
        QVERIFY(conflictsFromJson(conflictsToJson({single, nobody})).isEmpty());
        QCOMPARE(conflictsFromJson(conflictsToJson({single, sample(), nobody})).size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestCheckInConflict)
#include "tst_checkinconflict.moc"
