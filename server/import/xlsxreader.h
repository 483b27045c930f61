#pragma once

// Reads the first worksheet of an Excel workbook (.xlsx, Office Open XML) from
// memory: shared and inline strings, numbers as the file writes them, formula
// results, error values, and the workbook's date system. minizip unpacks, with
// every part capped at kXlsxMaxPartBytes unpacked; QXmlStreamReader parses.
// Nothing touches the disk. Pure function, thread-safe.

#include "import/importproblem.h"
#include "import/sheet.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace kaodian::server {

inline constexpr qsizetype kXlsxMaxPartBytes = qsizetype(64) * 1024 * 1024;

// The first worksheet, in the workbook's tab order.
struct XlsxSheet
{
    QString name;
    bool date1904 = false; // dates count from 1904-01-01 (old Mac workbooks)
    QList<SheetRow> rows; // line = Excel's row number; cells without a value left out
};

// Whether the bytes start like a ZIP archive (an .xlsx is one).
bool looksLikeZip(QByteArrayView bytes);

// Whether the bytes are a readable ZIP archive holding an entry of this name
// (compared without case): a .docx holds word/document.xml, an .xlsx
// xl/workbook.xml (import/attachmentcheck.h).
bool zipHolds(const QByteArray &bytes, const QString &entry);

// Reads the first worksheet; nullopt with one problem for the file when the
// bytes are not a readable workbook (damaged, a plain ZIP, a Word document, an
// .ods or .xlsb, a part too large).
std::optional<XlsxSheet> readXlsxFirstSheet(const QByteArray &bytes, ProblemCollector &problems);

} // namespace kaodian::server
