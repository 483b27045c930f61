#include "kiosk/core/kioskstore.h"

#include "kiosk/core/passphraserule.h"
#include "kiosk/core/unlockthrottle.h"
#include "protocol/eventjson.h"

#include "core/atomicfile.h"
#include "core/pinhash.h"
#include "protocol/roomevents.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSaveFile>

#include <limits>

#include <openssl/crypto.h>

namespace kaodian::kiosk {

Q_LOGGING_CATEGORY(lcKioskStore, "kaodian.kiosk.store")

namespace {

constexpr int kPinMaxFailures = 5;
constexpr int kPinLockSeconds = 300;

StoreOptions kioskSchema()
{
    StoreOptions o;
    o.migrations = {
        {1, R"SQL(
CREATE TABLE setting (key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE exam_session (
  id INTEGER PRIMARY KEY, title TEXT NOT NULL, site TEXT NOT NULL, exam_date TEXT NOT NULL,
  start_time TEXT NOT NULL, end_time TEXT NOT NULL, published_count INTEGER,
  opens_minutes INTEGER NOT NULL, late_minutes INTEGER NOT NULL);
CREATE TABLE roster (
  registration_id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL, ticket_number TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL, id_masked TEXT NOT NULL, room TEXT NOT NULL, seat TEXT NOT NULL, ticket_serial INTEGER NOT NULL);
CREATE TABLE ticket_key (raw BLOB PRIMARY KEY);
CREATE TABLE revocation (ticket_number TEXT NOT NULL, serial INTEGER NOT NULL, replaced_at TEXT NOT NULL,
  PRIMARY KEY (ticket_number, serial));
-- Append-only: nothing in the kiosk updates or deletes an event.
CREATE TABLE event (
  event_id INTEGER PRIMARY KEY, kind TEXT NOT NULL, session_id INTEGER NOT NULL, registration_id INTEGER NOT NULL,
  device_time TEXT NOT NULL, target_kiosk_id TEXT NOT NULL, target_event_id INTEGER NOT NULL, late INTEGER NOT NULL,
  method INTEGER NOT NULL, incident INTEGER, outcome INTEGER, score INTEGER, reason TEXT NOT NULL);
CREATE TRIGGER event_no_update BEFORE UPDATE ON event BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER event_no_delete BEFORE DELETE ON event BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TABLE outbox (event_id INTEGER PRIMARY KEY REFERENCES event(event_id));
CREATE TABLE session_close (session_id INTEGER PRIMARY KEY, signed_by TEXT NOT NULL, closed_at TEXT NOT NULL);
)SQL"},
        // The session's totals across every room (package field registered_count, room_count).
        {2, R"SQL(
ALTER TABLE exam_session ADD COLUMN registered_count INTEGER;
ALTER TABLE exam_session ADD COLUMN room_count INTEGER;
)SQL"},
        // Registration changes from the office (package fields excused_reason, withdrawn).
        {3, R"SQL(
ALTER TABLE roster ADD COLUMN excused_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE revocation ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0;
)SQL"},
        // Named proctors (package field proctors) and room events: who acted,
        // the room, and a sign-off's counts and signers or a PIN's hash
        // (protocol/roomevents.h). A PIN set here at first use is kept in
        // proctor_pin until a package brings the server's; a sign-off is
        // an event now (session_close stays for sign-offs made before).
        {4, R"SQL(
ALTER TABLE event ADD COLUMN room TEXT NOT NULL DEFAULT '';
ALTER TABLE event ADD COLUMN proctor TEXT NOT NULL DEFAULT '';
ALTER TABLE event ADD COLUMN detail TEXT NOT NULL DEFAULT '';
CREATE TABLE package_proctor (
  session_id INTEGER NOT NULL, room TEXT NOT NULL, staff_number TEXT NOT NULL, name TEXT NOT NULL,
  pin_hash TEXT NOT NULL DEFAULT '', PRIMARY KEY (session_id, room, staff_number));
CREATE TABLE proctor_pin (staff_number TEXT PRIMARY KEY, pin_hash TEXT NOT NULL, set_at TEXT NOT NULL);
)SQL"},
        // Candidates' photos (package field "photo", docs/photos.md): the
        // JPEGs by SHA-256, kept only while the roster names them.
        {5, R"SQL(
ALTER TABLE roster ADD COLUMN photo_sha256 TEXT NOT NULL DEFAULT '';
CREATE TABLE photo (sha256 TEXT PRIMARY KEY, jpeg BLOB NOT NULL);
)SQL"},
    };
    return o;
}

QString timeText(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

QDateTime parseTime(const QString &s)
{
    return QDateTime::fromString(s, Qt::ISODateWithMs).toUTC();
}

StoreError sqlFailure(const QString &message)
{
    return StoreError {StoreError::Code::Sql, message, {}};
}

StoreError cryptoFailure(const QString &what)
{
    return StoreError {StoreError::Code::Crypto, QStringLiteral("%1（加密库错误），请联系技术人员").arg(what), {}};
}

} // namespace

QString KioskPaths::database() const
{
    return QDir(dir).filePath(QStringLiteral("kiosk.db"));
}
QString KioskPaths::keyFile() const
{
    return QDir(dir).filePath(QStringLiteral("kiosk.key"));
}
QString KioskPaths::unlockAttempts() const
{
    return QDir(dir).filePath(QStringLiteral("kiosk.unlock"));
}

KioskStore::KioskStore(Database db, KioskPaths paths) : m_db(std::move(db)), m_paths(std::move(paths)) { }

Result<KioskStore, StoreError> KioskStore::create(
    const KioskPaths &paths, const QString &passphrase, int kdfIterations)
{
    if (!QDir().mkpath(paths.dir))
        return StoreError {StoreError::Code::Io, QStringLiteral("无法创建目录 %1").arg(paths.dir), paths.dir};
    auto db = Database::create(paths.database(), paths.keyFile(), passphrase, kioskSchema(), kdfIterations);
    if (!db)
        return db.error();
    KioskStore store(std::move(db).value(), paths);
    if (auto s = store.load(); !s)
        return s.error();
    return store;
}

namespace {

StoreError mustWait(const KioskPaths &paths, int seconds)
{
    return StoreError {StoreError::Code::TooManyAttempts,
        QStringLiteral("考点口令连续输错，请 %1 秒后再试").arg(seconds), paths.unlockAttempts()};
}

} // namespace

int KioskStore::unlockWait(const KioskPaths &paths, const QDateTime &now)
{
    return UnlockThrottle(paths.unlockAttempts()).secondsToWait(now);
}

Result<KioskStore, StoreError> KioskStore::open(const KioskPaths &paths, const QString &passphrase,
                                                const QDateTime &now)
{
    // No key file, no store: nothing to guess at, and nothing is written.
    const bool counted = QFileInfo::exists(paths.keyFile());
    UnlockThrottle throttle(paths.unlockAttempts());
    if (counted) {
        if (const int wait = throttle.secondsToWait(now); wait > 0)
            return mustWait(paths, wait);
        if (auto s = throttle.countAttempt(now); !s)
            return s.error();
    }
    auto db = Database::open(paths.database(), paths.keyFile(), passphrase, kioskSchema());
    // Only a wrong passphrase counts: a store that fails for another reason
    // (a full disk, damage) is no guess, and must not lock the proctor out.
    if (!db && (!counted || db.error().code == StoreError::Code::WrongPassphrase))
        return db.error();
    // The passphrase was right: the count starts again. Not being able to
    // say so only makes a later wrong attempt wait sooner; the store opens.
    if (counted) {
        if (auto s = throttle.clear(); !s)
            qCWarning(lcKioskStore) << "unlock attempts not cleared:" << s.error().message;
    }
    if (!db)
        return db.error();
    KioskStore store(std::move(db).value(), paths);
    if (auto s = store.load(); !s)
        return s.error();
    return store;
}

namespace {

// A setting's value (empty when there is none), or why it could not be read.
Result<QByteArray, StoreError> readSetting(Database &db, const QString &key)
{
    auto st = db.prepare(QStringLiteral("SELECT value FROM setting WHERE key = ?"));
    if (!st)
        return st.error();
    st->bind(1, key);
    auto row = st->step();
    if (!row)
        return row.error();
    return *row ? st->blob(0) : QByteArray();
}

QByteArray setting(Database &db, const char *key)
{
    auto st = db.prepare(QStringLiteral("SELECT value FROM setting WHERE key = ?"));
    if (!st)
        return {};
    st->bind(1, QString::fromLatin1(key));
    auto row = st->step();
    if (!row || !*row)
        return {};
    return st->blob(0);
}

Status<StoreError> putSetting(Database &db, const QString &key, const QByteArray &value)
{
    auto st = db.prepare(QStringLiteral("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)"));
    if (!st)
        return st.error();
    st->bind(1, key).bind(2, value);
    return st->run();
}

Result<QByteArray, StoreError> readSetting(Database &db, const char *key)
{
    return readSetting(db, QString::fromLatin1(key));
}

Status<StoreError> putSetting(Database &db, const char *key, const QByteArray &value)
{
    return putSetting(db, QString::fromLatin1(key), value);
}

} // namespace

Status<StoreError> KioskStore::load()
{
    m_identity.kioskId = QString::fromUtf8(setting(m_db, "kiosk_id"));
    m_identity.site = QString::fromUtf8(setting(m_db, "site"));
    m_identity.room = QString::fromUtf8(setting(m_db, "room"));
    m_identity.trustedKeyRaw = setting(m_db, "trusted_key");

    m_package = SessionPackage {};
    m_package.site = QString::fromUtf8(setting(m_db, "package_site"));
    m_package.room = QString::fromUtf8(setting(m_db, "package_room"));
    m_package.generatedAt = parseTime(QString::fromUtf8(setting(m_db, "package_generated_at")));
    m_package.version.day = QDate::fromString(QString::fromUtf8(setting(m_db, "package_day")), Qt::ISODate);
    m_package.version.number = setting(m_db, "package_version").toLongLong();
    m_package.conflicts = protocol::conflictsFromJson(QJsonDocument::fromJson(setting(m_db, "package_conflicts")).array());
    auto sessions = m_db.prepare(
        QStringLiteral("SELECT id, title, site, exam_date, start_time, end_time, published_count,"
                       " opens_minutes, late_minutes, registered_count, room_count FROM exam_session"
                       " ORDER BY exam_date, start_time, id"));
    if (!sessions)
        return sessions.error();
    if (auto status = sessions->forEachRow([&](Statement &) {
            PackageSession s;
            s.id = sessions->int64(0);
            s.title = sessions->text(1);
            s.site = sessions->text(2);
            s.examDate = QDate::fromString(sessions->text(3), Qt::ISODate);
            s.startTime = QTime::fromString(sessions->text(4), QStringLiteral("HH:mm"));
            s.endTime = QTime::fromString(sessions->text(5), QStringLiteral("HH:mm"));
            if (!sessions->isNull(6))
                s.publishedCount = static_cast<int>(sessions->int64(6));
            s.checkInOpensMinutes = static_cast<int>(sessions->int64(7));
            s.lateAfterMinutes = static_cast<int>(sessions->int64(8));
            if (!sessions->isNull(9))
                s.registeredCount = static_cast<int>(sessions->int64(9));
            if (!sessions->isNull(10))
                s.roomCount = static_cast<int>(sessions->int64(10));
            m_package.sessions.push_back(s);
        });
        !status)
        return status;
    auto roster = m_db.prepare(
        QStringLiteral("SELECT registration_id, session_id, ticket_number, name, id_masked, room, seat,"
                       " ticket_serial, excused_reason, photo_sha256 FROM roster ORDER BY session_id, room, seat"));
    if (!roster)
        return roster.error();
    if (auto status = roster->forEachRow([&](Statement &) {
            m_package.roster.push_back({roster->int64(0), roster->int64(1), roster->text(2), roster->text(3),
                roster->text(4), roster->text(5), roster->text(6), static_cast<int>(roster->int64(7)),
                roster->text(8), roster->text(9)});
        });
        !status)
        return status;
    auto keys = m_db.prepare(QStringLiteral("SELECT raw FROM ticket_key"));
    if (!keys)
        return keys.error();
    if (auto status = keys->forEachRow([&](Statement &) { m_package.ticketKeys.push_back(keys->blob(0)); });
        !status)
        return status;
    auto revocations
        = m_db.prepare(QStringLiteral("SELECT ticket_number, serial, replaced_at, withdrawn FROM revocation"));
    if (!revocations)
        return revocations.error();
    if (auto status = revocations->forEachRow([&](Statement &) {
            m_package.revocations.push_back({revocations->text(0), static_cast<int>(revocations->int64(1)),
                parseTime(revocations->text(2)), revocations->int64(3) != 0});
        });
        !status)
        return status;
    m_events.clear();
    auto events = m_db.prepare(
        QStringLiteral("SELECT event_id, kind, session_id, registration_id, device_time, target_kiosk_id,"
                       " target_event_id, late, method, incident, outcome, score, reason, room, proctor, detail"
                       " FROM event ORDER BY event_id"));
    if (!events)
        return events.error();
    if (auto status = events->forEachRow([&](Statement &) {
            KioskEvent e;
            e.kioskId = m_identity.kioskId;
            e.eventId = events->int64(0);
            e.kind = eventKindFromKey(events->text(1)).value_or(EventKind::Incident);
            e.sessionId = events->int64(2);
            e.registrationId = events->int64(3);
            e.deviceTime = parseTime(events->text(4));
            e.targetKioskId = events->text(5);
            e.targetEventId = events->int64(6);
            e.late = events->int64(7) != 0;
            e.method = static_cast<CheckInMethod>(events->int64(8));
            if (!events->isNull(9))
                e.incident = static_cast<IncidentCategory>(events->int64(9));
            if (!events->isNull(10))
                e.outcome = static_cast<Outcome>(events->int64(10));
            if (!events->isNull(11))
                e.score = static_cast<int>(events->int64(11));
            e.reason = events->text(12);
            e.room = events->text(13);
            e.proctor = events->text(14);
            e.detail = events->text(15);
            m_events.push_back(std::move(e));
        });
        !status)
        return status;
    m_closedSessions.clear();
    m_signOffs.clear();
    auto closed = m_db.prepare(QStringLiteral("SELECT session_id, signed_by, closed_at FROM session_close"));
    if (!closed)
        return closed.error();
    if (auto status = closed->forEachRow([&](Statement &) {
            const SessionSignOff signOff{closed->int64(0), closed->text(1), parseTime(closed->text(2)), std::nullopt};
            m_closedSessions.insert(signOff.sessionId);
            m_signOffs.insert(signOff.sessionId, signOff);
        });
        !status)
        return status;
    // Sign-offs and reopenings are events now: the last of them says.
    for (const auto &e : m_events)
        noteRoomEvent(e);
    m_localPins.clear();
    auto pins = m_db.prepare(QStringLiteral("SELECT staff_number, pin_hash FROM proctor_pin"));
    if (!pins)
        return pins.error();
    if (auto status = pins->forEachRow([&](Statement &) { m_localPins.insert(pins->text(0), pins->blob(1)); }); !status)
        return status;
    auto proctors = m_db.prepare(QStringLiteral(
        "SELECT session_id, room, staff_number, name, pin_hash FROM package_proctor ORDER BY session_id, room, name"));
    if (!proctors)
        return proctors.error();
    if (auto status = proctors->forEachRow([&](Statement &) {
            m_package.proctors.push_back({proctors->int64(0), proctors->text(1), proctors->text(2), proctors->text(3),
                                          proctors->text(4).toLatin1()});
        });
        !status)
        return status;
    return {};
}

Status<StoreError> KioskStore::setIdentity(const KioskIdentity &identity)
{
    Transaction tx(m_db);
    if (!tx.begun())
        return tx.beginStatus();
    for (auto [key, value] :
        {std::pair {"kiosk_id", identity.kioskId.toUtf8()}, std::pair {"site", identity.site.toUtf8()},
            std::pair {"room", identity.room.toUtf8()}, std::pair {"trusted_key", identity.trustedKeyRaw}}) {
        if (auto s = putSetting(m_db, key, value); !s)
            return s;
    }
    if (auto s = tx.commit(); !s)
        return s;
    m_identity = identity;
    for (auto &e : m_events)
        e.kioskId = identity.kioskId;
    return {};
}

Status<StoreError> KioskStore::setEnrolment(const QString &code)
{
    return putSetting(m_db, "enrolment", code.toUtf8());
}

QString KioskStore::enrolment() const
{
    return QString::fromUtf8(setting(const_cast<Database &>(m_db), "enrolment"));
}

Status<StoreError> KioskStore::setInstallationId(const QByteArray &id)
{
    return putSetting(m_db, "installation_id", id);
}

QByteArray KioskStore::installationId() const
{
    return setting(const_cast<Database &>(m_db), "installation_id");
}

Status<StoreError> KioskStore::setDeviceKey(const SigningKey &key)
{
    QByteArray seed = key.rawSeed();
    if (seed.size() != 32)
        return sqlFailure(QStringLiteral("无法读取本机设备密钥"));
    auto stored = putSetting(m_db, "device_key", seed);
    OPENSSL_cleanse(seed.data(), static_cast<size_t>(seed.size()));
    return stored;
}

std::optional<SigningKey> KioskStore::deviceKey() const
{
    QByteArray seed = setting(const_cast<Database &>(m_db), "device_key");
    auto key = seed.isEmpty() ? std::nullopt : SigningKey::fromRaw(seed);
    OPENSSL_cleanse(seed.data(), static_cast<size_t>(seed.size()));
    return key;
}

Status<StoreError> KioskStore::provision(const SessionPackage &p)
{
    // Never back to an older package (protocol::PackageVersion): it would
    // bring back serials revoked since. The same version again is a
    // re-delivery; the package held stays as it is.
    if (p.version.isOlderThan(m_package.version))
        return StoreError {StoreError::Code::Refused,
            QStringLiteral("数据包比本机现有的旧（%1 第 %2 版，本机为 %3 第 %4 版），未导入")
                .arg(p.version.day.toString(Qt::ISODate), QString::number(p.version.number),
                    m_package.version.day.toString(Qt::ISODate), QString::number(m_package.version.number)),
            {}};
    Transaction tx(m_db);
    if (!tx.begun())
        return tx.beginStatus();
    if (auto s
        = m_db.exec(QStringLiteral("DELETE FROM exam_session; DELETE FROM roster; DELETE FROM ticket_key;"
                                   " DELETE FROM revocation; DELETE FROM package_proctor;"));
        !s)
        return s;
    auto session = m_db.prepare(
        QStringLiteral("INSERT INTO exam_session (id, title, site, exam_date, start_time, end_time,"
                       " published_count, opens_minutes, late_minutes, registered_count, room_count)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    if (!session)
        return session.error();
    for (const auto &s : p.sessions) {
        session->reset();
        session->bind(1, s.id)
            .bind(2, s.title)
            .bind(3, s.site)
            .bind(4, s.examDate.toString(Qt::ISODate))
            .bind(5, s.startTime.toString(QStringLiteral("HH:mm")))
            .bind(6, s.endTime.isValid() ? s.endTime.toString(QStringLiteral("HH:mm")) : QStringLiteral(""));
        session->bind(7, s.publishedCount).bind(8, s.checkInOpensMinutes).bind(9, s.lateAfterMinutes);
        session->bind(10, s.registeredCount).bind(11, s.roomCount);
        if (auto r = session->run(); !r)
            return r;
    }
    auto roster = m_db.prepare(
        QStringLiteral("INSERT INTO roster (registration_id, session_id, ticket_number, name, id_masked,"
                       " room, seat, ticket_serial, excused_reason, photo_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    if (!roster)
        return roster.error();
    for (const auto &c : p.roster) {
        roster->reset();
        roster->bind(1, c.registrationId)
            .bind(2, c.sessionId)
            .bind(3, c.ticketNumber)
            .bind(4, c.name)
            .bind(5, c.maskedIdNumber)
            .bind(6, c.room)
            .bind(7, c.seat)
            .bind(8, c.ticketSerial)
            .bind(9, c.excusedReason.isEmpty() ? QStringLiteral("") : c.excusedReason) // a null QString binds NULL
            .bind(10, c.photoSha256.isEmpty() ? QStringLiteral("") : c.photoSha256);
        if (auto r = roster->run(); !r)
            return r;
    }
    // The photos: those the package brings, and none the new roster does
    // not name (a photo is kept for its day only, like the roster).
    if (auto s = m_db.exec(QStringLiteral("DELETE FROM photo WHERE sha256 NOT IN (SELECT photo_sha256 FROM roster)")); !s)
        return s;
    if (auto s = insertPhotos(p.photos); !s)
        return s;
    auto key = m_db.prepare(QStringLiteral("INSERT OR IGNORE INTO ticket_key (raw) VALUES (?)"));
    if (!key)
        return key.error();
    for (const auto &k : p.ticketKeys) {
        key->reset();
        key->bind(1, k);
        if (auto r = key->run(); !r)
            return r;
    }
    auto revocation
        = m_db.prepare(QStringLiteral("INSERT OR IGNORE INTO revocation (ticket_number, serial, replaced_at, withdrawn)"
                                      " VALUES (?, ?, ?, ?)"));
    if (!revocation)
        return revocation.error();
    for (const auto &r : p.revocations) {
        revocation->reset();
        revocation->bind(1, r.ticketNumber).bind(2, r.serial).bind(3, timeText(r.replacedAt)).bind(4, r.withdrawn ? 1 : 0);
        if (auto s = revocation->run(); !s)
            return s;
    }
    auto proctor = m_db.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO package_proctor (session_id, room, staff_number, name, pin_hash) VALUES (?, ?, ?, ?, ?)"));
    if (!proctor)
        return proctor.error();
    for (const auto &pr : p.proctors) {
        proctor->reset();
        proctor->bind(1, pr.sessionId).bind(2, pr.room.isNull() ? QStringLiteral("") : pr.room).bind(3, pr.staffNumber);
        proctor->bind(4, pr.name).bind(5, QString::fromLatin1(pr.pinHash));
        if (auto s = proctor->run(); !s)
            return s;
    }
    for (auto [k, v] :
        {std::pair {"package_site", p.site.toUtf8()}, std::pair {"package_room", p.room.toUtf8()},
            std::pair {"package_generated_at", timeText(p.generatedAt).toUtf8()},
            std::pair {"package_day", p.version.day.toString(Qt::ISODate).toUtf8()},
            std::pair {"package_version", QByteArray::number(p.version.number)},
            std::pair {"package_conflicts",
                QJsonDocument(protocol::conflictsToJson(p.conflicts)).toJson(QJsonDocument::Compact)}}) {
        if (auto s = putSetting(m_db, k, v); !s)
            return s;
    }
    if (auto s = tx.commit(); !s)
        return s;
    return load();
}

Status<StoreError> KioskStore::setProctorPin(const QString &pin)
{
    if (pin.size() < 4 || pin.size() > 12)
        return sqlFailure(QStringLiteral("监考 PIN 须为 4–12 位"));
    const auto hash = hashPin(pin);
    if (!hash)
        return cryptoFailure(QStringLiteral("无法计算监考 PIN 的摘要，PIN 未设置"));
    Transaction tx(m_db);
    if (!tx.begun())
        return tx.beginStatus();
    if (auto s = putSetting(m_db, "pin_hash", *hash); !s)
        return s;
    if (auto s = putSetting(m_db, "pin_failures", "0"); !s)
        return s;
    if (auto s = putSetting(m_db, "pin_locked_until", ""); !s)
        return s;
    return tx.commit();
}

bool KioskStore::hasProctorPin() const
{
    return !setting(const_cast<Database &>(m_db), "pin_hash").isEmpty();
}

QDateTime KioskStore::pinLockedUntil() const
{
    return parseTime(QString::fromUtf8(setting(const_cast<Database &>(m_db), "pin_locked_until")));
}

Result<KioskStore::PinCheck, StoreError> KioskStore::checkProctorPin(const QString &pin, const QDateTime &now)
{
    const auto hash = readSetting(m_db, "pin_hash");
    if (!hash)
        return hash.error();
    return checkPinWithCount(*hash, QStringLiteral("pin_failures"), QStringLiteral("pin_locked_until"), pin, now);
}

Result<KioskStore::PinCheck, StoreError> KioskStore::checkPinWithCount(const QByteArray &hash, const QString &failuresKey,
                                                                       const QString &lockedKey, const QString &pin,
                                                                       const QDateTime &now)
{
    const auto lockedText = readSetting(m_db, lockedKey);
    if (!lockedText)
        return lockedText.error();
    const QDateTime locked = parseTime(QString::fromUtf8(*lockedText));
    if (locked.isValid() && locked > now)
        return PinCheck::Locked;
    const QList<QByteArray> parts = hash.split('$');
    if (parts.size() != 4 || parts[0] != "pbkdf2")
        return StoreError {StoreError::Code::Damaged, QStringLiteral("监考 PIN 的记录已损坏，请重新设置监考 PIN"), {}};
    const auto failuresText = readSetting(m_db, failuresKey);
    if (!failuresText)
        return failuresText.error();
    // This attempt is counted before the PIN is checked: a counter that
    // cannot be written refuses the check (error) rather than allow
    // guesses that are never counted.
    const int failures = failuresText->toInt() + 1;
    if (auto s = putSetting(m_db, failuresKey, QByteArray::number(failures)); !s)
        return s.error();
    const auto matches = pinMatches(pin, hash);
    if (!matches)
        return cryptoFailure(QStringLiteral("无法核对监考 PIN"));
    if (*matches) {
        if (auto s = putSetting(m_db, failuresKey, "0"); !s)
            return s.error();
        return PinCheck::Ok;
    }
    if (failures < kPinMaxFailures)
        return PinCheck::Wrong;
    Transaction tx(m_db);
    if (!tx.begun())
        return tx.beginStatus().error();
    if (auto s = putSetting(m_db, lockedKey, timeText(now.addSecs(kPinLockSeconds)).toUtf8()); !s)
        return s.error();
    if (auto s = putSetting(m_db, failuresKey, "0"); !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return PinCheck::Locked;
}

Result<KioskEvent, StoreError> KioskStore::appendEvent(KioskEvent e, const std::function<Status<StoreError>()> &alsoInTransaction)
{
    e.kioskId = m_identity.kioskId;
    e.eventId = m_events.empty() ? 1 : m_events.back().eventId + 1;
    Transaction tx(m_db);
    if (!tx.begun())
        return tx.beginStatus().error();
    auto st = m_db.cached(
        QStringLiteral("INSERT INTO event (event_id, kind, session_id, registration_id, device_time,"
                       " target_kiosk_id, target_event_id, late, method, incident, outcome, score, reason,"
                       " room, proctor, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    if (!st)
        return st.error();
    (*st)->bind(1, e.eventId)
        .bind(2, eventKindKey(e.kind))
        .bind(3, e.sessionId)
        .bind(4, e.registrationId)
        .bind(5, timeText(e.deviceTime))
        .bind(6, e.targetKioskId.isNull() ? QStringLiteral("") : e.targetKioskId)
        .bind(7, e.targetEventId)
        .bind(8, e.late ? 1 : 0)
        .bind(9, static_cast<int>(e.method));
    const auto asInt = [](auto v) { return v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt; };
    const auto notNull = [](const QString &text) { return text.isNull() ? QStringLiteral("") : text; };
    (*st)->bind(10, asInt(e.incident)).bind(11, asInt(e.outcome)).bind(12, e.score);
    (*st)->bind(13, notNull(e.reason)).bind(14, notNull(e.room)).bind(15, notNull(e.proctor)).bind(16, notNull(e.detail));
    if (auto s = (*st)->run(); !s)
        return s.error();
    auto outbox = m_db.cached(QStringLiteral("INSERT INTO outbox (event_id) VALUES (?)"));
    if (!outbox)
        return outbox.error();
    (*outbox)->bind(1, e.eventId);
    if (auto s = (*outbox)->run(); !s)
        return s.error();
    if (alsoInTransaction) {
        if (auto s = alsoInTransaction(); !s)
            return s.error();
    }
    if (auto s = tx.commit(); !s)
        return s.error();
    m_events.push_back(e);
    noteRoomEvent(e);
    return e;
}

void KioskStore::noteRoomEvent(const KioskEvent &e)
{
    if (e.kind == EventKind::SignOff) {
        const auto facts = protocol::parseSignOffDetail(e.detail);
        SessionSignOff signOff{e.sessionId, {}, e.deviceTime, std::nullopt};
        if (facts) {
            QStringList names;
            for (const auto &signer : facts->signers)
                names << signer.name;
            signOff.signedBy = names.join(QStringLiteral("、"));
            signOff.facts = *facts;
        }
        m_closedSessions.insert(e.sessionId);
        m_signOffs.insert(e.sessionId, signOff);
    } else if (e.kind == EventKind::Reopen) {
        m_closedSessions.remove(e.sessionId);
        m_signOffs.remove(e.sessionId);
    } else if (e.kind == EventKind::ProctorPin) {
        if (const auto hash = protocol::parseProctorPinDetail(e.detail))
            m_localPins.insert(e.proctor, *hash);
    }
}

int KioskStore::outboxSize() const
{
    auto st = const_cast<Database &>(m_db).prepare(QStringLiteral("SELECT count(*) FROM outbox"));
    if (!st || !st->step())
        return -1;
    return static_cast<int>(st->int64(0));
}

QList<KioskEvent> KioskStore::outboxBatch(int limit) const
{
    QList<KioskEvent> out;
    auto st = const_cast<Database &>(m_db).prepare(
        QStringLiteral("SELECT event_id FROM outbox ORDER BY event_id LIMIT ?"));
    if (!st)
        return out;
    st->bind(1, limit);
    while (true) {
        auto row = st->step();
        if (!row || !*row)
            break;
        const qint64 id = st->int64(0);
        if (id >= 1 && id <= qint64(m_events.size()))
            out.push_back(m_events[static_cast<std::size_t>(id - 1)]);
    }
    return out;
}

Status<StoreError> KioskStore::acknowledge(const QList<qint64> &eventIds)
{
    Transaction tx(m_db);
    if (!tx.begun())
        return tx.beginStatus();
    auto st = m_db.prepare(QStringLiteral("DELETE FROM outbox WHERE event_id = ?"));
    if (!st)
        return st.error();
    for (qint64 id : eventIds) {
        st->reset();
        st->bind(1, id);
        if (auto s = st->run(); !s)
            return s;
    }
    return tx.commit();
}

Status<StoreError> KioskStore::exportOutbox(const QString &path) const
{
    const protocol::KioskEventsFile file{m_identity.kioskId, QDateTime::currentDateTimeUtc(),
                                         outboxBatch(std::numeric_limits<int>::max())};
    const QByteArray body = protocol::encodeKioskEventsFile(file);
    // Signed when the kiosk has a device key; a kiosk enrolled before device
    // keys writes the unsigned /1 file, which the office imports only with a
    // reason (docs/api.md).
    const auto key = deviceKey();
    const QByteArray bytes = key ? protocol::signKioskEventsFile(body, *key) : body;
    if (bytes.isEmpty())
        return StoreError {StoreError::Code::Io, QStringLiteral("无法签名导出文件 %1").arg(path), path};
    if (auto written = writeFileAtomically(path, bytes, 0600); !written)
        return StoreError {StoreError::Code::Io, QStringLiteral("无法写入导出文件：%1").arg(written.error()), path};
    return {};
}

Status<StoreError> KioskStore::eraseRoster()
{
    Transaction tx(m_db);
    if (!tx.begun())
        return tx.beginStatus();
    if (auto s = m_db.exec(QStringLiteral("DELETE FROM roster; DELETE FROM revocation; DELETE FROM photo;"
                                          " DELETE FROM package_proctor;"
                                          " DELETE FROM setting WHERE key = 'package_conflicts';"));
        !s)
        return s;
    if (auto s = tx.commit(); !s)
        return s;
    // Rewrite freed pages so the names are gone from the file, not just unlinked.
    if (auto s = m_db.exec(QStringLiteral("VACUUM")); !s)
        return s;
    m_package.roster.clear();
    m_package.revocations.clear();
    m_package.conflicts.clear();
    m_package.proctors.clear();
    return {};
}

Status<StoreError> KioskStore::insertPhotos(const QHash<QString, QByteArray> &photos)
{
    auto insert = m_db.prepare(QStringLiteral("INSERT OR REPLACE INTO photo (sha256, jpeg) SELECT ?, ?"
                                              " WHERE EXISTS (SELECT 1 FROM roster WHERE photo_sha256 = ?)"));
    if (!insert)
        return insert.error();
    for (auto it = photos.cbegin(); it != photos.cend(); ++it) {
        if (!protocol::photoMatches(it.key(), it.value()))
            continue; // never a photo under another's name
        insert->reset();
        insert->bind(1, it.key()).bind(2, it.value()).bind(3, it.key());
        if (auto r = insert->run(); !r)
            return r;
    }
    return {};
}

Status<StoreError> KioskStore::addPhotos(const QHash<QString, QByteArray> &photos)
{
    Transaction tx(m_db);
    if (!tx.begun())
        return tx.beginStatus();
    if (auto s = insertPhotos(photos); !s)
        return s;
    return tx.commit();
}

QStringList KioskStore::missingPhotos() const
{
    QStringList out;
    auto q = const_cast<Database &>(m_db).prepare(QStringLiteral(
        "SELECT DISTINCT photo_sha256 FROM roster WHERE photo_sha256 <> ''"
        " AND photo_sha256 NOT IN (SELECT sha256 FROM photo) ORDER BY photo_sha256"));
    if (!q)
        return out;
    (void)q->forEachRow([&](Statement &) { out.push_back(q->text(0)); });
    return out;
}

QByteArray KioskStore::photo(const QString &sha256) const
{
    if (sha256.isEmpty())
        return {};
    auto q = const_cast<Database &>(m_db).prepare(QStringLiteral("SELECT jpeg FROM photo WHERE sha256 = ?"));
    if (!q)
        return {};
    q->bind(1, sha256);
    QByteArray out;
    (void)q->forEachRow([&](Statement &) { out = q->blob(0); });
    return out;
}

bool KioskStore::isRevoked() const
{
    return !setting(const_cast<Database &>(m_db), "revoked_at").isEmpty();
}

Status<StoreError> KioskStore::markRevoked(const QString &reason, const QDateTime &at)
{
    Transaction tx(m_db);
    if (!tx.begun())
        return tx.beginStatus();
    if (auto s = putSetting(m_db, "revoked_at", timeText(at).toUtf8()); !s)
        return s;
    if (auto s = putSetting(m_db, "revoked_reason", reason.toUtf8()); !s)
        return s;
    return tx.commit();
}

bool KioskStore::isSessionClosed(Id sessionId) const
{
    return m_closedSessions.contains(sessionId);
}

std::optional<SessionSignOff> KioskStore::signOff(Id sessionId) const
{
    const auto it = m_signOffs.constFind(sessionId);
    return it == m_signOffs.constEnd() ? std::nullopt : std::optional(*it);
}

QByteArray KioskStore::proctorPinHash(const QString &staffNumber) const
{
    // The package's (the office's, or one set at a kiosk and synced) wins;
    // else the one set here at first use.
    for (const auto &p : m_package.proctors)
        if (p.staffNumber == staffNumber && !p.pinHash.isEmpty())
            return p.pinHash;
    return m_localPins.value(staffNumber);
}

Result<KioskEvent, StoreError> KioskStore::setProctorPinAtFirstUse(const QString &staffNumber, Id sessionId,
                                                                   const QString &pin, const QDateTime &now)
{
    if (!proctorPinHash(staffNumber).isEmpty())
        return StoreError{StoreError::Code::Refused, QStringLiteral("这位监考已设置 PIN"), {}};
    if (const auto problem = pinProblem(pin))
        return StoreError{StoreError::Code::Refused, *problem, {}};
    const auto hash = hashPin(pin);
    if (!hash)
        return cryptoFailure(QStringLiteral("无法计算监考 PIN 的摘要，PIN 未设置"));
    KioskEvent e;
    e.kind = EventKind::ProctorPin;
    e.sessionId = sessionId;
    e.deviceTime = now;
    e.room = m_identity.room;
    e.proctor = staffNumber;
    e.detail = protocol::proctorPinDetail(*hash);
    // The PIN and the event that carries its hash to the server: both or neither.
    return appendEvent(e, [&]() -> Status<StoreError> {
        auto st = m_db.prepare(
            QStringLiteral("INSERT OR REPLACE INTO proctor_pin (staff_number, pin_hash, set_at) VALUES (?, ?, ?)"));
        if (!st)
            return st.error();
        st->bind(1, staffNumber).bind(2, *hash).bind(3, timeText(now));
        return st->run();
    });
}

QDateTime KioskStore::proctorPinLockedUntil(const QString &staffNumber) const
{
    return parseTime(QString::fromUtf8(
        setting(const_cast<Database &>(m_db), ("pin_locked_until:" + staffNumber).toUtf8().constData())));
}

Result<KioskStore::PinCheck, StoreError> KioskStore::checkNamedProctorPin(const QString &staffNumber, const QString &pin,
                                                                          const QDateTime &now)
{
    const QByteArray hash = proctorPinHash(staffNumber);
    if (hash.isEmpty())
        return StoreError{StoreError::Code::Refused, QStringLiteral("这位监考还没有设置 PIN"), {}};
    return checkPinWithCount(hash, QStringLiteral("pin_failures:") + staffNumber,
                             QStringLiteral("pin_locked_until:") + staffNumber, pin, now);
}

Status<StoreError> KioskStore::changePassphrase(const QString &current, const QString &next, const QDateTime &now,
                                                int kdfIterations)
{
    if (passphraseProblem(next))
        return StoreError {StoreError::Code::Refused, QStringLiteral("新的考点口令不符合要求"), {}};
    UnlockThrottle throttle(m_paths.unlockAttempts());
    if (const int wait = throttle.secondsToWait(now); wait > 0)
        return mustWait(m_paths, wait);
    if (auto s = throttle.countAttempt(now); !s)
        return s;
    if (auto s = kaodian::changePassphrase(m_paths.keyFile(), current, next, kdfIterations); !s)
        return s;
    if (auto s = throttle.clear(); !s)
        qCWarning(lcKioskStore) << "unlock attempts not cleared:" << s.error().message;
    return {};
}

} // namespace kaodian::kiosk
