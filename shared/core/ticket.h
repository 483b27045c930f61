#pragma once

// The signed admission-ticket codec: the compact text a ticket's QR code
// carries, signed with Ed25519, with no personal data in clear. The byte
// format is specified in docs/ticket-format.md. Thread-safe: TicketVerifier
// is immutable once its keys are added; issueTicket is a pure function.

#include "core/ed25519.h"
#include "core/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QString>

#include <cstdint>

namespace kaodian {

// Limits of format version 1.
inline constexpr int kTicketVersion = 1;
inline constexpr qsizetype kTicketNumberMaxLength = 20;
inline constexpr qsizetype kTicketTextMaxLength = 256; // longer input is refused unread
inline constexpr char kTicketPrefix[] = "KD1.";

// What a ticket says, once its signature checks out.
struct TicketClaims
{
    QString ticketNumber;          // 准考证号: 1–20 of 0-9 A-Z '-'
    std::uint32_t sessionId = 0;   // the ExamSession it admits to
    std::uint16_t serial = 1;      // bumped on re-issue
    QDateTime validFrom;           // UTC, whole seconds
    QDateTime validUntil;          // UTC, whole seconds, after validFrom
    QByteArray keyId;              // 4 bytes, filled in by issueTicket

    friend bool operator==(const TicketClaims &, const TicketClaims &) = default;
};

// Why a scanned text is not a valid ticket; each has words for the kiosk.
enum class TicketError : std::uint8_t {
    Empty = 1,          // nothing scanned
    TooLong,            // more than kTicketTextMaxLength bytes
    NotATicket,         // does not start with a ticket prefix
    UnsupportedVersion, // a later format than this kiosk reads
    BadEncoding,        // not canonical base32 after the prefix
    Truncated,          // fewer bytes than the fields need
    Malformed,          // fields out of range, or bytes after the signature
    UnknownKey,         // signed by a key this kiosk does not hold
    BadSignature,       // forged or damaged
    NotYetValid,        // before validFrom
    Expired,            // after validUntil
};

// A stable ASCII code, e.g. "bad_signature". The words for the candidate are
// the kiosk's view model's (kiosk/app/checkinviewmodel.cpp), in each language.
QString ticketErrorCode(TicketError error);

// The signed bytes of a ticket (docs/ticket-format.md); empty if the claims
// cannot be encoded (bad ticket number, times out of range).
QByteArray encodeTicketPayload(const TicketClaims &claims, const QByteArray &keyId);

// The QR text for claims signed by key, or an explanation of what is wrong
// with the claims.
Result<QByteArray, QString> issueTicket(const TicketClaims &claims, const SigningKey &key);

// Checks scanned ticket texts against the ticket keys the kiosk holds.
class TicketVerifier
{
public:
    void addKey(const VerifyKey &key);
    [[nodiscard]] bool isEmpty() const { return m_keys.isEmpty(); }

    // Format, key and signature; not the validity window.
    [[nodiscard]] Result<TicketClaims, TicketError> verify(QByteArrayView text) const;
    // As verify(), then NotYetValid / Expired against now.
    [[nodiscard]] Result<TicketClaims, TicketError> verifyAt(QByteArrayView text,
                                                             const QDateTime &now) const;

private:
    QHash<QByteArray, VerifyKey> m_keys; // by key id
};

} // namespace kaodian
