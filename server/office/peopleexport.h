#pragma once

// The people export (issue #16 item 5): a session's or a term's roster with
// attendance and results, as CSV (UTF-8 with BOM) or Excel, drawn from the
// people table (print/peopletable.h), both neutralised against formulas.
//
// Who may export what (DESIGN.md, "every role sees only its scope"; PIPL):
// - the exam office: any session or term, ID numbers masked; in full only
//   with a reason, and every full export is in the audit log (who, which
//   session or term, how many people, why) before the file is made;
// - a college viewer: its own college's sessions only (the same people its
//   session pages already show, masked), never full ID numbers — the
//   college checks its own candidates' attendance and results, and has no
//   need of a whole ID number (PIPL minimisation). Another college's
//   session is NotFound, as GET /sessions/{id} answers it.
//
// Thread-safety: as the ServerStore it is given (one thread at a time).

#include "office/officeerror.h"
#include "store/peoplequery.h"
#include "store/serverstore.h"

#include <QByteArray>

namespace kaodian::server::office {

enum class PeopleFormat : std::uint8_t { Csv, Xlsx };

// "csv" or "xlsx".
std::optional<PeopleFormat> peopleFormatFromKey(const QString &key);

struct PeopleExportRequest
{
    std::optional<Id> sessionId;    // one session, or
    std::optional<SchoolTerm> term; // one term, or neither: everything in scope
    PeopleFormat format = PeopleFormat::Csv;
    IdNumbers idNumbers = IdNumbers::Masked;
    QString reason;                 // required for IdNumbers::Full
};

// Who asks: the office (collegeScope empty) or a college viewer of one college.
struct PeopleExportCaller
{
    QString actor;
    bool office = false;
    std::optional<Id> collegeScope;
};

struct PeopleExport
{
    QByteArray bytes;
    QString fileName;        // "people-session-12.csv", "people-2025-2.xlsx"
    QByteArray contentType;
    int rows = 0;
};

// Forbidden: full ID numbers asked by someone other than the office.
// BadInput: full ID numbers without a reason. NotFound: an unknown session,
// or another college's. Failed: the workbook could not be written.
OfficeResult<PeopleExport> exportPeople(ServerStore &store, const PeopleExportRequest &request,
                                        const PeopleExportCaller &caller);

} // namespace kaodian::server::office
