#include "protocol/eventjson.h"

#include "protocol/roomevents.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace kaodian::protocol {

QJsonObject eventToJson(const KioskEvent &e, const QString &ownKioskId)
{
    QJsonObject o{{"event_id", e.eventId},
                  {"kind", eventKindKey(e.kind)},
                  {"session_id", e.sessionId},
                  {"registration_id", e.registrationId},
                  {"device_time", e.deviceTime.toUTC().toString(Qt::ISODateWithMs)},
                  {"late", e.late},
                  {"method", e.method == CheckInMethod::Manual ? "manual" : "scan"},
                  {"reason", e.reason}};
    if (e.kind == EventKind::Annul) {
        o.insert("target_kiosk_id", e.targetKioskId.isEmpty() ? ownKioskId : e.targetKioskId);
        o.insert("target_event_id", e.targetEventId);
    }
    if (e.incident)
        o.insert("incident", static_cast<int>(*e.incident));
    if (e.outcome)
        o.insert("outcome", *e.outcome == Outcome::Pass ? "pass" : "fail");
    if (e.score)
        o.insert("score", *e.score);
    // Added with room events and named proctors: absent when empty, so a
    // candidate's event by scan is byte for byte as before.
    if (!e.room.isEmpty())
        o.insert("room", e.room);
    if (!e.proctor.isEmpty())
        o.insert("proctor", e.proctor);
    if (!e.detail.isEmpty())
        o.insert("detail", QJsonDocument::fromJson(e.detail.toUtf8()).object());
    return o;
}

std::optional<KioskEvent> eventFromJson(const QJsonObject &o, const QString &kioskId, QString *why)
{
    KioskEvent e;
    e.kioskId = kioskId;
    const auto kind = eventKindFromKey(o.value("kind").toString());
    if (!kind) {
        *why = QStringLiteral("kind 无效");
        return std::nullopt;
    }
    e.kind = *kind;
    const qint64 eventId = o.value("event_id").toInteger(-1);
    if (eventId < 1) {
        *why = QStringLiteral("event_id 须为正整数");
        return std::nullopt;
    }
    e.eventId = eventId;
    e.sessionId = o.value("session_id").toInteger(0);
    e.registrationId = o.value("registration_id").toInteger(0);
    // A room's events (sign-off, reopen, PIN, room incident) name no candidate.
    const bool roomEvent = e.registrationId == 0
        && (e.kind == EventKind::SignOff || e.kind == EventKind::Reopen || e.kind == EventKind::ProctorPin
            || e.kind == EventKind::Incident);
    if (e.sessionId < 1 || (e.registrationId < 1 && !roomEvent)) {
        *why = QStringLiteral("session_id 与 registration_id 须为正整数");
        return std::nullopt;
    }
    if (!roomEvent && (e.kind == EventKind::SignOff || e.kind == EventKind::Reopen || e.kind == EventKind::ProctorPin)) {
        *why = QStringLiteral("%1 是考场事件，registration_id 须为 0").arg(eventKindKey(e.kind));
        return std::nullopt;
    }
    e.room = o.value("room").toString().left(40);
    e.proctor = o.value("proctor").toString().left(40);
    if (const QJsonValue detail = o.value("detail"); detail.isObject())
        e.detail = QString::fromUtf8(QJsonDocument(detail.toObject()).toJson(QJsonDocument::Compact));
    e.deviceTime = QDateTime::fromString(o.value("device_time").toString(), Qt::ISODateWithMs);
    if (!e.deviceTime.isValid()) {
        *why = QStringLiteral("device_time 须为 ISO 8601 时间");
        return std::nullopt;
    }
    e.deviceTime = e.deviceTime.toUTC();
    e.targetKioskId = o.value("target_kiosk_id").toString();
    e.targetEventId = o.value("target_event_id").toInteger(0);
    if (e.kind == EventKind::Annul && (e.targetEventId < 1 || e.targetKioskId.isEmpty())) {
        *why = QStringLiteral("撤销须指明 target_kiosk_id 与 target_event_id");
        return std::nullopt;
    }
    e.late = o.value("late").toBool(false);
    e.method = o.value("method").toString() == QLatin1String("manual") ? CheckInMethod::Manual : CheckInMethod::Scan;
    if (o.contains("incident") && !o.value("incident").isNull()) {
        const int c = o.value("incident").toInt(0);
        if (c < 1 || c > 5) {
            *why = QStringLiteral("incident 须为 1–5");
            return std::nullopt;
        }
        e.incident = static_cast<IncidentCategory>(c);
    }
    if (o.contains("outcome") && !o.value("outcome").isNull()) {
        const QString outcome = o.value("outcome").toString();
        if (outcome != QLatin1String("pass") && outcome != QLatin1String("fail")) {
            *why = QStringLiteral("outcome 须为 pass 或 fail");
            return std::nullopt;
        }
        e.outcome = outcome == QLatin1String("pass") ? Outcome::Pass : Outcome::Fail;
    }
    if (e.kind == EventKind::Result && !e.outcome) {
        *why = QStringLiteral("成绩事件须有 outcome");
        return std::nullopt;
    }
    if (o.contains("score") && !o.value("score").isNull())
        e.score = o.value("score").toInt();
    e.reason = o.value("reason").toString().left(500);
    if (e.kind == EventKind::SignOff && !parseSignOffDetail(e.detail)) {
        *why = QStringLiteral("签字确认（sign_off）须有 detail：各项人数（非负整数）与至少一位签字人");
        return std::nullopt;
    }
    if (e.kind == EventKind::Reopen && e.reason.trimmed().isEmpty()) {
        *why = QStringLiteral("重新开放（reopen）须有 reason");
        return std::nullopt;
    }
    if (e.kind == EventKind::ProctorPin && (e.proctor.isEmpty() || !parseProctorPinDetail(e.detail))) {
        *why = QStringLiteral("监考 PIN（proctor_pin）须有 proctor 与 detail.pin_hash（PBKDF2 摘要）");
        return std::nullopt;
    }
    if (e.kind != EventKind::SignOff && e.kind != EventKind::ProctorPin)
        e.detail.clear();
    return e;
}

Result<KioskEventsFile, QString> parseKioskEventsFile(const QByteArray &bytes)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return QStringLiteral("这不是考场终端导出的事件文件（不是 JSON）");
    const QJsonObject o = doc.object();
    if (o.value("format").toString() != QLatin1String(kKioskEventsFormat))
        return QStringLiteral("文件格式不是 %1").arg(QLatin1String(kKioskEventsFormat));
    KioskEventsFile file;
    file.kioskId = o.value("kiosk_id").toString();
    if (file.kioskId.isEmpty())
        return QStringLiteral("文件未写明考场终端编号（kiosk_id）");
    file.exportedAt = QDateTime::fromString(o.value("exported_at").toString(), Qt::ISODateWithMs);
    const QJsonValue events = o.value("events");
    if (!events.isArray())
        return QStringLiteral("文件中没有事件列表（events）");
    const QJsonArray array = events.toArray();
    file.events.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        QString why;
        auto e = eventFromJson(array[i].toObject(), file.kioskId, &why);
        if (!e)
            return QStringLiteral("第 %1 条事件：%2").arg(i + 1).arg(why);
        file.events.push_back(std::move(*e));
    }
    return file;
}

QByteArray encodeKioskEventsFile(const KioskEventsFile &file)
{
    QJsonArray events;
    for (const auto &e : file.events)
        events.append(eventToJson(e, file.kioskId));
    const QJsonObject o{{"format", QLatin1String(kKioskEventsFormat)},
                        {"kiosk_id", file.kioskId},
                        {"exported_at", file.exportedAt.toUTC().toString(Qt::ISODateWithMs)},
                        {"events", events}};
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

QByteArray signKioskEventsFile(const QByteArray &body, const SigningKey &deviceKey)
{
    const QByteArray signature = deviceKey.sign(body);
    if (signature.isEmpty())
        return {};
    const QJsonObject o{{"format", QLatin1String(kSignedKioskEventsFormat)},
                        {"body", QString::fromLatin1(body.toBase64())},
                        {"signature", QString::fromLatin1(signature.toBase64())},
                        {"public_key", QString::fromLatin1(deviceKey.verifyKey().raw().toBase64())}};
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

Result<KioskEventsEnvelope, QString> openKioskEventsFile(const QByteArray &bytes)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return QStringLiteral("这不是考场终端导出的事件文件（不是 JSON）");
    const QJsonObject o = doc.object();
    const QString format = o.value("format").toString();
    if (format == QLatin1String(kKioskEventsFormat))
        return KioskEventsEnvelope{bytes, {}, {}};
    if (format != QLatin1String(kSignedKioskEventsFormat))
        return QStringLiteral("文件格式不是 %1").arg(QLatin1String(kSignedKioskEventsFormat));
    const auto base64 = [&](const char *key) {
        const auto decoded = QByteArray::fromBase64Encoding(o.value(QLatin1String(key)).toString().toLatin1(),
                                                             QByteArray::AbortOnBase64DecodingErrors);
        return decoded ? *decoded : QByteArray();
    };
    KioskEventsEnvelope envelope{base64("body"), base64("signature"), base64("public_key")};
    if (envelope.body.isEmpty() || envelope.signature.size() != 64 || envelope.publicKey.size() != 32)
        return QStringLiteral("签名文件不完整（body、signature 或 public_key 缺失或无效）");
    return envelope;
}

} // namespace kaodian::protocol
