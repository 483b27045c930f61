#pragma once

// Opens a file the exam office uploads (a roster, a results file) as sheet
// rows, whatever Excel saved it as: the first worksheet of an .xlsx, or a
// CSV / tab-separated text in UTF-8 (BOM or not), GB18030 or UTF-16. Files
// that are something else (a picture, a PDF, an old .xls, an HTML "xls") are
// refused with words saying what they are. Also the header rule every
// importer shares. Pure functions, thread-safe.

#include "import/importproblem.h"
#include "import/sheet.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace kaodian::server {

struct LoadedSheet
{
    QList<SheetRow> rows;
    bool xlsx = false;
    bool date1904 = false;
    QString encoding; // "UTF-8", "GB18030", "UTF-16LE", "UTF-16BE"; "UTF-8" for .xlsx
    QString sha256;   // lower-case hex of the file's bytes
};

// Reads bytes as a sheet. `what` names the file in messages ("名单",
// "成绩单"). Problems about the file as a whole go to `problems` (and then
// nullopt); problems the CSV splitter found near the file's end go to
// `readProblems`, for the caller to list after the rows' own.
std::optional<LoadedSheet> loadSheetFile(const QByteArray &bytes, const QString &fileName, const QString &what,
                                         ProblemCollector &problems, ProblemCollector &readProblems);

// How a header compares: full-width forms folded, spaces and the '*' that
// marks a required column dropped, a trailing note in brackets dropped, case
// ignored.
QString headerKey(QStringView header);

} // namespace kaodian::server
