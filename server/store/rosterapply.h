#pragma once

// What applying a roster file (RosterStore::applyRoster) answers.
// Thread-safety: plain values.

#include "import/rosterimport.h"
#include "core/storeerror.h"

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

} // namespace kaodian::server
