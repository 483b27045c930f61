#pragma once

// The domain's shared vocabulary (../shared/DESIGN.md): ids, certificate
// levels, the kinds of event a kiosk records and the event itself, result
// outcomes, ID-number masking. Entities (sessions, candidates, pilots …)
// live with the store that keeps them (server/store), not here.
// Plain values: copyable; thread-safe to read from several threads once built.

#include <QDate>
#include <QDateTime>
#include <QString>
#include <QTime>

#include <cstdint>
#include <optional>

namespace kaodian {

using Id = qint64; // long long: converts to QVariant as is

// 证书等级: 初级 / 中级 / 高级.
enum class CertificateLevel : std::uint8_t { Junior = 1, Intermediate = 2, Senior = 3 };

QString levelName(CertificateLevel level); // "初级" …
std::optional<CertificateLevel> levelFromName(const QString &name);

// Kinds of event a kiosk records. Events are append-only; state is derived.
enum class EventKind : std::uint8_t {
    CheckIn = 1,   // 签到 (by scan or by hand)
    Annul = 2,     // undo of a mistaken check-in
    MarkLate = 3,  // 迟到
    MarkAbsent = 4, // 缺考
    MarkExcused = 5, // 免考/请假
    Incident = 6,  // 违纪, 设备故障, …
    Result = 7,    // 通过 / 未通过, optional score
    // Of a room, not a candidate (registrationId 0, room set):
    SignOff = 8,    // the proctors sign the room off: the counts as signed, who signed (detail)
    Reopen = 9,     // a proctor reopens a signed-off room, with a reason
    ProctorPin = 10, // a proctor set a PIN at first use: its slow hash (detail), never the PIN
};

// Of a room rather than of a candidate: registrationId is 0 and room names it.
// A room incident is an Incident with registrationId 0.
bool isRoomEvent(EventKind kind, Id registrationId);

QString eventKindKey(EventKind kind); // stable ASCII key for storage and API
std::optional<EventKind> eventKindFromKey(const QString &key);

// How a check-in came about.
enum class CheckInMethod : std::uint8_t { Scan = 1, Manual = 2 };

// Incident categories a proctor chooses from.
enum class IncidentCategory : std::uint8_t {
    Misconduct = 1,     // 违纪
    EquipmentFailure = 2, // 设备故障
    Illness = 3,        // 身体不适
    PowerOrNetwork = 4, // 停电/断网
    Other = 5,          // 其他
};

QString incidentCategoryName(IncidentCategory category); // Chinese label

// Pass or fail of a registration once results are entered.
enum class Outcome : std::uint8_t { Pass = 1, Fail = 2 };

// One event recorded by a kiosk, unique by (kioskId, eventId).
struct KioskEvent
{
    QString kioskId;
    qint64 eventId = 0; // per-kiosk sequence, starts at 1
    EventKind kind = EventKind::CheckIn;
    Id sessionId = 0;
    Id registrationId = 0;
    QDateTime deviceTime;                 // when it happened, by the kiosk's clock (UTC)
    std::optional<QDateTime> receivedAt;  // when the server stored it (UTC)
    QString targetKioskId;                // Annul: the kiosk of the check-in it undoes
    qint64 targetEventId = 0;       // Annul: the check-in it undoes
    bool late = false;                    // CheckIn: made after the late threshold
    CheckInMethod method = CheckInMethod::Scan;
    std::optional<IncidentCategory> incident;
    std::optional<Outcome> outcome;
    std::optional<int> score;
    QString reason; // manual check-in, annul, incident note, reopen
    QString room;    // room events: the kiosk's room ("" for a kiosk of every room)
    QString proctor; // the 工号 of the proctor who acted; "" for a scan, or under the shared PIN
    QString detail;  // SignOff and ProctorPin: compact JSON (protocol/roomevents.h)
};

// Mask an ID-card number for display: keep the first 4 and last 4 characters,
// star the rest ("350102199001011234" -> "3501**********1234"). Short or empty
// input is starred whole so nothing leaks.
QString maskIdNumber(const QString &idNumber);

} // namespace kaodian
