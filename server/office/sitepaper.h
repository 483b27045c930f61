#pragma once

// Use case: print a session's site paper — 签到表 (sign-in sheet), 考场门贴
// (door list) or 考场记录单 (room record) — for one room or every room of
// the session, from the store as it is now (print/sitepaper.h draws them).
// Audited as `paper.print` (the sheets carry names and photos).
//
// Thread-safety: as the ServerStore it is given (one thread at a time).

#include "office/officeerror.h"
#include "print/sitepaper.h"
#include "store/serverstore.h"

#include "core/ed25519.h"

namespace kaodian::server::office {

enum class SitePaperKind : std::uint8_t { SignIn, Door, Record };

// "signin", "door", "record"; nullopt for anything else.
std::optional<SitePaperKind> sitePaperKind(const QString &name);
QString sitePaperName(SitePaperKind kind); // "签到表", "考场门贴", "考场记录单"

struct PrintedPaper
{
    QByteArray pdf;
    int rooms = 0;
    int candidates = 0;
};

// The room's sign-off as the kiosks reported it: the proctors who signed,
// when, and the incidents of the room itself (no candidate). This is the one
// place the room record reads them from; until sign-off events and room
// incidents reach the server it answers an empty sign-off, and the record
// prints its blank signature lines and 尚未签收.
OfficeResult<PaperSignOff> roomSignOff(ServerStore &store, Id sessionId, const QString &room);

// NotFound for an unknown session (or one without registrations) and for a
// room with none of its candidates; every room of the session when room is
// empty, each from a new page.
OfficeResult<PrintedPaper> printSitePaper(ServerStore &store, const SigningKey &ticketKey, SitePaperKind kind,
                                          Id sessionId, const QString &room, const QString &actor);

} // namespace kaodian::server::office
