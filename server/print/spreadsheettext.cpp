#include "print/spreadsheettext.h"

namespace kaodian::server {

QString spreadsheetSafeText(const QString &text)
{
    static const QString formulaStarts = QStringLiteral("=+-@\t\r");
    if (!text.isEmpty() && formulaStarts.contains(text.front()))
        return QLatin1Char('\'') + text;
    return text;
}

} // namespace kaodian::server
