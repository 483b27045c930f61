// libFuzzer target: roster import (CSV in any encoding, and .xlsx). Every
// input is either parsed into rows or refused with problems; never a crash,
// never a refusal without a reason.
#include "import/rosterimport.h"

#include <cstdlib>

using namespace kaodian::server;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    for (const char *name : {"roster.csv", "roster.xlsx"}) {
        const auto r = parseRosterFile(bytes, QString::fromLatin1(name));
        if (!r.ok() && r.error().isEmpty())
            std::abort();
        if (r.ok() && r->rows.isEmpty())
            std::abort();
    }
    return 0;
}
