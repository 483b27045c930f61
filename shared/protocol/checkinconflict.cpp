#include "protocol/checkinconflict.h"

#include <QJsonObject>

namespace kaodian::protocol {

namespace {

QString wireTime(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QDateTime fromWireTime(const QJsonValue &v)
{
    const QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
    return t.isValid() ? t.toUTC() : QDateTime();
}

} // namespace

QJsonArray conflictsToJson(const QList<CheckInConflict> &conflicts)
{
    QJsonArray out;
    for (const auto &c : conflicts) {
        QJsonArray checkIns;
        for (const auto &ci : c.checkIns)
            checkIns.append(QJsonObject{{"kiosk_id", ci.kioskId},
                                        {"kiosk_name", ci.kioskName},
                                        {"event_id", ci.eventId},
                                        {"device_time", wireTime(ci.deviceTime)},
                                        {"received_at", wireTime(ci.receivedAt)},
                                        {"counts", ci.counts}});
        out.append(QJsonObject{{"session_id", c.sessionId},
                               {"registration_id", c.registrationId},
                               {"ticket_number", c.ticketNumber},
                               {"name", c.name},
                               {"check_ins", checkIns}});
    }
    return out;
}

QList<CheckInConflict> conflictsFromJson(const QJsonArray &array)
{
    QList<CheckInConflict> out;
    for (const auto &v : array) {
        const QJsonObject o = v.toObject();
        CheckInConflict c;
        c.sessionId = o.value("session_id").toInteger();
        c.registrationId = o.value("registration_id").toInteger();
        c.ticketNumber = o.value("ticket_number").toString();
        c.name = o.value("name").toString();
        for (const auto &ci : o.value("check_ins").toArray()) {
            const QJsonObject i = ci.toObject();
            CheckInConflict::CheckIn in;
            in.kioskId = i.value("kiosk_id").toString();
            in.kioskName = i.value("kiosk_name").toString();
            in.deviceTime = fromWireTime(i.value("device_time"));
            in.counts = i.value("counts").toBool();
            in.eventId = i.value("event_id").toInteger();
            in.receivedAt = fromWireTime(i.value("received_at"));
            c.checkIns.push_back(std::move(in));
        }
        if (c.registrationId > 0 && c.checkIns.size() >= 2)
            out.push_back(std::move(c));
    }
    return out;
}

} // namespace kaodian::protocol
