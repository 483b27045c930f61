#pragma once

// Applies a parsed roster file to the server's store: all of it in one
// transaction or none of it. Colleges, majors, certificates, pilots, sites,
// rooms and sessions are found by name or created; candidates by ID-card
// number; registrations by ticket number. The same file again changes
// nothing; a row that contradicts what is stored refuses the whole file with
// its line and column.

#include "import/rosterimport.h"
#include "store/serverstore.h"

namespace kaodian::server {

// What an import did.
struct ImportSummary
{
    bool alreadyImported = false; // the same file (by SHA-256) was imported before
    int rows = 0;
    int newCandidates = 0;
    int newRegistrations = 0;
    int unchangedRegistrations = 0;
    int newSessions = 0;
};

// Refusal: problems in the file's terms (line, column), or a store failure.
struct ImportFailure
{
    QList<ImportProblem> problems;
    std::optional<StoreError> storeError;
};

Result<ImportSummary, ImportFailure> applyRoster(ServerStore &store, const RosterFile &file,
                                                 const QString &fileName, const QString &actor);

} // namespace kaodian::server
