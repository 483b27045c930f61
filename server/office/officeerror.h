#pragma once

// The error every office use case answers with: what kind of refusal, a
// message a person can act on (Simplified Chinese), and, for a refused
// file, its problems by line and column. The two front doors translate the
// kind: the API into an HTTP status and code, the CLI into an exit code.
//
// Thread-safety: plain values.

#include "import/importproblem.h"

#include "core/result.h"
#include "core/storeerror.h"

#include <QList>
#include <QString>

#include <optional>

namespace kaodian::server {

struct OfficeError
{
    enum class Kind : std::uint8_t {
        BadInput,    // the request or file is wrong; message says how
        NotFound,    // what it names does not exist
        Conflict,    // it exists already
        Refused,     // a file or batch the rules refuse (problems may list why)
        Forbidden,   // the caller may not act on this data (another site's candidate)
        Unavailable, // the store failed; message is for the log, not the user
        Failed,      // the server could not make the output (a font, a signature)
    };
    Kind kind = Kind::BadInput;
    QString code;    // a stable machine word for the API: "invalid_file", "bad_event", …
    QString message;
    QList<ImportProblem> problems;

    static OfficeError badInput(const QString &message, const QString &code = QStringLiteral("bad_request"))
    {
        return {Kind::BadInput, code, message, {}};
    }
    static OfficeError notFound(const QString &message) { return {Kind::NotFound, QStringLiteral("not_found"), message, {}}; }
    static OfficeError failed(const QString &code, const QString &message) { return {Kind::Failed, code, message, {}}; }
    // A store error in office terms: exists → Conflict, missing → NotFound,
    // refused → Refused, anything else → Unavailable.
    static OfficeError fromStore(const StoreError &e)
    {
        switch (e.code) {
        case StoreError::Code::AlreadyExists: return {Kind::Conflict, QStringLiteral("conflict"), e.message, {}};
        case StoreError::Code::DatabaseMissing: return {Kind::NotFound, QStringLiteral("not_found"), e.message, {}};
        case StoreError::Code::Refused: return {Kind::Refused, QStringLiteral("bad_request"), e.message, {}};
        default: return {Kind::Unavailable, QStringLiteral("store_unavailable"), e.message, {}};
        }
    }
};

template<typename T>
using OfficeResult = Result<T, OfficeError>;

} // namespace kaodian::server
