#pragma once

// What a room event carries beyond KioskEvent's common fields, as the
// compact JSON of its `detail` (docs/api.md, "Room events"):
//   sign_off     {"expected":N,"sat":N,"late":N,"absent":N,"excused":N,"not_yet":N,
//                 "signers":[{"staff_number":"…","name":"…"}, …]}
//   proctor_pin  {"pin_hash":"pbkdf2$…"}  (core/pinhash.h: never the PIN)
// reopen carries its reason in `reason`; a room incident is an incident with
// registration_id 0, its category and note as a candidate's.
// Thread-safety: plain values and pure functions; safe from any thread.

#include "core/domain.h"

#include <QList>
#include <QString>

#include <optional>

namespace kaodian::protocol {

// A proctor as a sign-off names them.
struct Signer
{
    QString staffNumber; // 工号; empty when signed under the shared PIN
    QString name;
    friend bool operator==(const Signer &, const Signer &) = default;
};

// The counts of a room as the proctors signed them.
struct SignOffFacts
{
    int expected = 0;
    int sat = 0; // checked in, late included
    int late = 0;
    int absent = 0;
    int excused = 0;
    int notYet = 0;
    QList<Signer> signers;
    friend bool operator==(const SignOffFacts &, const SignOffFacts &) = default;
};

QString signOffDetail(const SignOffFacts &facts);
// Nothing when the detail is not a sign-off's (a count negative or missing, no signer).
std::optional<SignOffFacts> parseSignOffDetail(const QString &detail);

QString proctorPinDetail(const QByteArray &pinHash);
// The hash, or nothing when the detail holds none of the right shape.
std::optional<QByteArray> parseProctorPinDetail(const QString &detail);

} // namespace kaodian::protocol
