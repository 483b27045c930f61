#pragma once

// Realistic sample data for demonstrations and tests: a signed session
// package of a few hundred candidates with Chinese names (ID numbers only
// ever kept masked), today's sessions placed around the current time so a
// kiosk is ready to check people in, and sample ticket texts for each kind
// of scan. For `kaodian-kiosk --demo` and the tests; not part of the
// production UI library.
//
// Thread-safety: pure functions, apart from prepareDemo's files (one
// caller per data folder at a time).

#include "kiosk/core/kioskstore.h"

#include "core/result.h"

#include <QList>
#include <QString>

namespace kaodian::kiosk {

// A ticket text and what it should do at the door.
struct SampleTicket
{
    QString label; // e.g. "签到成功：张伟 第01考场 05号"
    QByteArray text;
};

struct SampleData
{
    SessionPackage package;
    QList<SampleTicket> tickets;
};

struct SampleOptions
{
    QString site = QStringLiteral("福州职业技术学院 旗山校区考点");
    QString room = QStringLiteral("01");   // the kiosk's room
    int candidatesPerSession = 60;         // five sessions: 300 candidates
    quint32 seed = 2026;
};

// Five sessions (two in this room today, one beside it in room 02 at the
// same time, two on later days), now being a UTC time; tickets signed by key.
SampleData makeSampleData(const SigningKey &key, const QDateTime &now, const SampleOptions &options = {});

// A plausible 18-digit ID-card number with its check digit (for masking only).
QString sampleIdNumber(quint32 index, quint32 seed);

// The demo data folder: creates the store (passphrase, PIN) with a sample
// package signed by DIR/demo-ticket-key.pem (created if missing), or, when
// the store exists but has no session left today, provisions a fresh one.
// A folder whose store is a real kiosk's (it does not trust the demo key
// beside it, or it is enrolled with a server) is refused, left untouched.
// Writes DIR/demo-package.json and DIR/sample-tickets.txt. The store is
// closed again: the kiosk still starts locked.
Status<QString> prepareDemo(const QString &dir, const QString &passphrase, const QString &pin,
                            const QDateTime &now, int kdfIterations);

} // namespace kaodian::kiosk
