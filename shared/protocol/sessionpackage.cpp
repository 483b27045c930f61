#include "protocol/sessionpackage.h"

#include "core/pinhash.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace kaodian::protocol {

namespace {

constexpr char kFormat[] = "kaodian-session-package/1";

QJsonObject sessionToJson(const PackageSession &s)
{
    QJsonObject o{{"id", s.id},
            {"title", s.title},
            {"site", s.site},
            {"exam_date", s.examDate.toString(Qt::ISODate)},
            {"start_time", s.startTime.toString("HH:mm")},
            {"end_time", s.endTime.isValid() ? s.endTime.toString("HH:mm") : QString()},
            {"published_count", s.publishedCount ? QJsonValue(*s.publishedCount) : QJsonValue()},
            {"check_in_opens_minutes", s.checkInOpensMinutes},
            {"late_after_minutes", s.lateAfterMinutes}};
    // Optional (added later): omitted when unknown, so older kiosks read the same body.
    if (s.registeredCount)
        o.insert("registered_count", *s.registeredCount);
    if (s.roomCount)
        o.insert("room_count", *s.roomCount);
    return o;
}

std::optional<PackageSession> sessionFromJson(const QJsonObject &o)
{
    PackageSession s;
    s.id = o.value("id").toInteger();
    s.title = o.value("title").toString();
    s.site = o.value("site").toString();
    s.examDate = QDate::fromString(o.value("exam_date").toString(), Qt::ISODate);
    s.startTime = QTime::fromString(o.value("start_time").toString(), "HH:mm");
    s.endTime = QTime::fromString(o.value("end_time").toString(), "HH:mm");
    if (!o.value("published_count").isNull())
        s.publishedCount = o.value("published_count").toInt();
    s.checkInOpensMinutes = o.value("check_in_opens_minutes").toInt(60);
    s.lateAfterMinutes = o.value("late_after_minutes").toInt(15);
    if (o.value("registered_count").isDouble())
        s.registeredCount = o.value("registered_count").toInt();
    if (o.value("room_count").isDouble())
        s.roomCount = o.value("room_count").toInt();
    if (s.id <= 0 || !s.examDate.isValid() || !s.startTime.isValid() || s.registeredCount.value_or(0) < 0
        || s.roomCount.value_or(0) < 0)
        return std::nullopt;
    return s;
}

QJsonObject packageBody(const SessionPackage &p)
{
    QJsonArray sessions, roster, keys, revocations;
    for (const auto &s : p.sessions)
        sessions.append(sessionToJson(s));
    for (const auto &c : p.roster) {
        QJsonObject o{{"registration_id", c.registrationId},
                      {"session_id", c.sessionId},
                      {"ticket_number", c.ticketNumber},
                      {"name", c.name},
                      {"id_number_masked", c.maskedIdNumber},
                      {"room", c.room},
                      {"seat", c.seat},
                      {"ticket_serial", c.ticketSerial}};
        if (!c.excusedReason.isEmpty())
            o.insert("excused_reason", c.excusedReason);
        if (!c.photoSha256.isEmpty())
            o.insert("photo", c.photoSha256);
        roster.append(o);
    }
    for (const auto &k : p.ticketKeys)
        keys.append(QString::fromLatin1(k.toBase64()));
    for (const auto &r : p.revocations) {
        QJsonObject o{{"ticket_number", r.ticketNumber},
                      {"serial", r.serial},
                      {"replaced_at", r.replacedAt.toUTC().toString(Qt::ISODate)}};
        if (r.withdrawn)
            o.insert("withdrawn", true);
        revocations.append(o);
    }
    QJsonObject body{{"format", QString::fromLatin1(kFormat)},
                           {"generated_at", p.generatedAt.toUTC().toString(Qt::ISODate)},
                           {"site", p.site},
                           {"room", p.room},
                           {"sessions", sessions},
                           {"roster", roster},
                           {"ticket_keys", keys},
                           {"revocations", revocations}};
    if (p.version.isSet()) { // absent in packages made before versions (and in unversioned samples)
        body.insert("day", p.version.day.toString(Qt::ISODate));
        body.insert("version", p.version.number);
    }
    if (!p.conflicts.isEmpty()) // optional: a package without conflicts is byte for byte as before
        body.insert("conflicts", conflictsToJson(p.conflicts));
    if (!p.proctors.isEmpty()) { // optional, likewise
        QJsonArray proctors;
        for (const auto &pr : p.proctors) {
            QJsonObject o{{"session_id", pr.sessionId},
                          {"room", pr.room},
                          {"staff_number", pr.staffNumber},
                          {"name", pr.name}};
            if (!pr.pinHash.isEmpty())
                o.insert("pin_hash", QString::fromLatin1(pr.pinHash));
            proctors.append(o);
        }
        body.insert("proctors", proctors);
    }
    return body;
}

QByteArray contentTagOf(QJsonObject body)
{
    body.remove(QStringLiteral("generated_at"));
    body.remove(QStringLiteral("version"));
    return '"'
        + QCryptographicHash::hash(QJsonDocument(body).toJson(QJsonDocument::Compact), QCryptographicHash::Sha256)
              .toHex()
              .left(32)
        + '"';
}

bool isSha256Hex(const QString &s)
{
    if (s.size() != 64)
        return false;
    for (QChar c : s)
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return false;
    return true;
}

} // namespace

QStringList rosterPhotoHashes(const QList<RosterCandidate> &roster)
{
    QStringList out;
    QSet<QString> seen;
    for (const auto &c : roster)
        if (!c.photoSha256.isEmpty() && !seen.contains(c.photoSha256)) {
            seen.insert(c.photoSha256);
            out.push_back(c.photoSha256);
        }
    return out;
}

bool photoMatches(const QString &sha256, const QByteArray &jpeg)
{
    return !jpeg.isEmpty()
        && QCryptographicHash::hash(jpeg, QCryptographicHash::Sha256).toHex() == sha256.toLatin1().toLower();
}

QByteArray sessionPackageContentTag(const SessionPackage &package)
{
    return contentTagOf(packageBody(package));
}

QByteArray encodeSessionPackage(const SessionPackage &p, const SigningKey &key, QByteArray *contentTag)
{
    const QJsonObject body = packageBody(p);
    const QByteArray bytes = QJsonDocument(body).toJson(QJsonDocument::Compact);
    if (contentTag)
        *contentTag = contentTagOf(body);
    QJsonObject envelope{{"package", QString::fromLatin1(bytes.toBase64())},
                         {"signature", QString::fromLatin1(key.sign(bytes).toBase64())},
                         {"public_key", QString::fromLatin1(key.verifyKey().raw().toBase64())}};
    if (!p.photos.isEmpty()) {
        QJsonObject photos;
        for (auto it = p.photos.cbegin(); it != p.photos.cend(); ++it)
            photos.insert(it.key(), QString::fromLatin1(it.value().toBase64()));
        envelope.insert("photos", photos);
    }
    return QJsonDocument(envelope).toJson(QJsonDocument::Indented);
}

std::optional<VerifyKey> packageSigner(const QByteArray &bytes)
{
    const QJsonObject envelope = QJsonDocument::fromJson(bytes).object();
    return VerifyKey::fromRaw(QByteArray::fromBase64(envelope.value("public_key").toString().toLatin1()));
}

Result<SessionPackage, QString> decodeSessionPackage(const QByteArray &bytes, const VerifyKey &trustedKey)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return QStringLiteral("这不是考点场次数据包");
    const QJsonObject envelope = doc.object();
    const QByteArray body = QByteArray::fromBase64(envelope.value("package").toString().toLatin1());
    const QByteArray signature = QByteArray::fromBase64(envelope.value("signature").toString().toLatin1());
    if (body.isEmpty() || signature.size() != 64)
        return QStringLiteral("数据包不完整");
    if (!trustedKey.verify(body, signature))
        return QStringLiteral("数据包签名无效：不是本考点服务器签发，或已被改动");
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    if (o.value("format").toString() != QLatin1String(kFormat))
        return QStringLiteral("数据包格式不受支持");
    SessionPackage p;
    p.generatedAt = QDateTime::fromString(o.value("generated_at").toString(), Qt::ISODate);
    if (o.contains("version")) {
        p.version.day = QDate::fromString(o.value("day").toString(), Qt::ISODate);
        p.version.number = o.value("version").toInteger();
        if (!p.version.isSet())
            return QStringLiteral("数据包的版本无效");
    }
    p.site = o.value("site").toString();
    p.room = o.value("room").toString();
    for (const auto &v : o.value("sessions").toArray()) {
        auto s = sessionFromJson(v.toObject());
        if (!s)
            return QStringLiteral("数据包中的场次信息不完整");
        p.sessions.push_back(*s);
    }
    for (const auto &v : o.value("roster").toArray()) {
        const QJsonObject c = v.toObject();
        RosterCandidate r;
        r.registrationId = c.value("registration_id").toInteger();
        r.sessionId = c.value("session_id").toInteger();
        r.ticketNumber = c.value("ticket_number").toString();
        r.name = c.value("name").toString();
        r.maskedIdNumber = c.value("id_number_masked").toString();
        r.room = c.value("room").toString();
        r.seat = c.value("seat").toString();
        r.ticketSerial = c.value("ticket_serial").toInt(1);
        r.excusedReason = c.value("excused_reason").toString();
        r.photoSha256 = c.value("photo").toString().toLower();
        if (!r.photoSha256.isEmpty() && !isSha256Hex(r.photoSha256))
            return QStringLiteral("数据包中的照片名无效");
        if (r.registrationId <= 0 || r.ticketNumber.isEmpty())
            return QStringLiteral("数据包中的考生信息不完整");
        // Defence in depth: never keep more than the masked form.
        r.maskedIdNumber = r.maskedIdNumber.contains(QLatin1Char('*')) ? r.maskedIdNumber : maskIdNumber(r.maskedIdNumber);
        p.roster.push_back(r);
    }
    for (const auto &v : o.value("ticket_keys").toArray()) {
        const QByteArray raw = QByteArray::fromBase64(v.toString().toLatin1());
        if (!VerifyKey::fromRaw(raw))
            return QStringLiteral("数据包中的准考证公钥无效");
        p.ticketKeys.push_back(raw);
    }
    for (const auto &v : o.value("revocations").toArray()) {
        const QJsonObject r = v.toObject();
        p.revocations.push_back({r.value("ticket_number").toString(), r.value("serial").toInt(),
                                 QDateTime::fromString(r.value("replaced_at").toString(), Qt::ISODate),
                                 r.value("withdrawn").toBool(false)});
    }
    p.conflicts = conflictsFromJson(o.value("conflicts").toArray());
    for (const auto &v : o.value("proctors").toArray()) {
        const QJsonObject pr = v.toObject();
        PackageProctor proctor{pr.value("session_id").toInteger(), pr.value("room").toString(),
                               pr.value("staff_number").toString(), pr.value("name").toString(),
                               pr.value("pin_hash").toString().toLatin1()};
        if (proctor.sessionId <= 0 || proctor.staffNumber.isEmpty() || proctor.name.isEmpty()
            || (!proctor.pinHash.isEmpty() && !isPinHash(proctor.pinHash)))
            return QStringLiteral("数据包中的监考信息不完整");
        p.proctors.push_back(proctor);
    }
    // The photos: only those the signed roster names, each checked by its hash.
    const QStringList namedList = rosterPhotoHashes(p.roster);
    const QSet<QString> named(namedList.cbegin(), namedList.cend());
    const QJsonObject photos = envelope.value("photos").toObject();
    for (auto it = photos.constBegin(); it != photos.constEnd(); ++it) {
        const QString sha = it.key().toLower();
        if (!named.contains(sha))
            return QStringLiteral("数据包中有名单以外的照片");
        const QByteArray jpeg = QByteArray::fromBase64(it.value().toString().toLatin1());
        if (!photoMatches(sha, jpeg))
            return QStringLiteral("数据包中的照片与签名的名单不符：已被改动");
        p.photos.insert(sha, jpeg);
    }
    return p;
}

} // namespace kaodian::protocol
