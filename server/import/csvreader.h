#pragma once

// Reads a CSV (or tab- or semicolon-separated) text file into sheet rows: finds
// the encoding (UTF-8 with or without BOM; GB18030, which Excel on Chinese
// Windows writes; UTF-16 as Excel's "Unicode text" writes), the separator, and
// splits records per RFC 4180. Pure functions, thread-safe.

#include "import/importproblem.h"
#include "import/sheet.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace kaodian::server {

// Text decoded from a file, and the name of the encoding it was in
// ("UTF-8", "GB18030", "UTF-16LE", "UTF-16BE").
struct DecodedText
{
    QString text;
    QString encoding;
};

// Decodes bytes that should be text. A BOM decides; otherwise valid UTF-8 is
// UTF-8 and anything else is taken for GB18030. Bytes that do not decode are a
// problem on their line; bytes that are not text at all are one problem for the
// file. nullopt when any problem was added.
std::optional<DecodedText> decodeText(const QByteArray &bytes, ProblemCollector &problems);

// The separator the first non-blank line uses outside quotes: tab or ';' when
// the line has more of them than commas, else ','.
QChar detectSeparator(QStringView text);

// Splits text into rows per RFC 4180: "" inside quotes is one quote, quoted
// cells may hold separators and line breaks, CRLF, LF or CR end a record.
// Each row's line is the physical line where its record starts; rows whose
// cells are all empty are left out. A quote left open is a problem at the line
// where its record starts; the rows before it are still returned.
QList<SheetRow> splitCsv(QStringView text, QChar separator, ProblemCollector &problems);

} // namespace kaodian::server
