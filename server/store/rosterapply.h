#pragma once

// What applying a roster file (RosterStore::applyRoster) answers.
// Thread-safety: plain values.

#include "import/rosterimport.h"
#include "core/storeerror.h"

namespace kaodian::server {

// How a roster file is applied (docs/roster-import.md, "Changing
// registrations"): Apply refuses a file that would change or withdraw stored
// registrations (ImportFailure::unconfirmed); Preview says what the file
// would do and changes nothing; Confirm applies the file, changes and
// withdrawals included, all or nothing.
enum class ImportMode : std::uint8_t { Apply, Preview, Confirm };

// One line of a roster file's difference from what is stored.
struct RosterDifference
{
    enum class Kind : std::uint8_t { New, Changed, Withdrawn };
    Kind kind = Kind::New;
    int line = 0; // the file's line; 0 for a withdrawal (not in the file)
    Id sessionId = 0; // 0 for a new registration in a session the file creates
    QString ticketNumber, name;
    QString fromRoom, fromSeat; // Changed, Withdrawn: as stored
    QString room, seat;         // New, Changed: as the file has it
};

// What an import did (or, previewed, would do).
struct ImportSummary
{
    bool alreadyImported = false; // the same file (by SHA-256) was imported before
    bool previewed = false;       // nothing was written
    QString sha256;               // the file's, to confirm by
    int rows = 0;
    int newCandidates = 0;
    int newRegistrations = 0;
    int unchangedRegistrations = 0;
    int changedRegistrations = 0;   // moved to another room or seat: ticket re-issued
    int withdrawnRegistrations = 0; // of the file's sessions, missing from the file
    int newSessions = 0;
    QList<RosterDifference> differences; // new, changed and withdrawn, in that order
    // What does not refuse the file but must be seen (docs/compliance.md):
    // a pilot nobody registered (未登记, made or kept by this file), more
    // candidates than the pilot's 批准人数, a site with no agreement recorded.
    QStringList warnings;
};

// Refusal: problems in the file's terms (line, column), or a store failure,
// or (Apply) a file that changes stored registrations and was not confirmed.
struct ImportFailure
{
    QList<ImportProblem> problems;
    std::optional<StoreError> storeError;
    std::optional<ImportSummary> unconfirmed;
};

} // namespace kaodian::server
