#pragma once

// Use cases on the data the regulation's rules need (docs/compliance.md,
// "The data the rules need"): import a file of majors, pilots, teachers and
// qualifications, or sites and agreements; cancel a certificate. Both front
// doors (API and CLI) call these; each change is audited, a refused file too.
//
// Thread-safety: as the ServerStore it is given (one thread at a time).

#include "office/officeerror.h"
#include "store/serverstore.h"

namespace kaodian::server::office {

enum class BaseDataKind : std::uint8_t { Majors, Pilots, Teachers, Sites };

// "majors", "pilots", "teachers", "sites" (the API's and CLI's words), and back.
QString baseDataKindKey(BaseDataKind kind);
std::optional<BaseDataKind> baseDataKindFromKey(const QString &key);
// "专业名单", "试点名单", "师资名单", "考点名单".
QString baseDataKindName(BaseDataKind kind);

// Parsed and applied all or nothing. Refused: Kind::Refused, code
// "invalid_file", every problem with its line and column (the file's own,
// or, when it reads, the store's). The same file again: a summary with
// nothing changed.
OfficeResult<BaseDataSummary> importBaseData(ServerStore &store, BaseDataKind kind, const QByteArray &bytes,
                                             const QString &fileName, const QString &actor);

// 取消 of a certificate (every level): date as YYYY-MM-DD or as a clerk
// writes it, the document number (文件号). true when recorded, false when
// it already was so.
OfficeResult<bool> cancelCertificate(ServerStore &store, const QString &certificate, const QString &date,
                                     const QString &document, const QString &actor);

} // namespace kaodian::server::office
