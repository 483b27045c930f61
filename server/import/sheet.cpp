#include "import/sheet.h"

namespace kaodian::server {

namespace {

bool invisible(QChar c)
{
    return c.isSpace() || c == QChar(0x200B) || c == QChar(0xFEFF) || c == QChar(0x2060);
}

QStringView trimInvisible(QStringView text)
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && invisible(text[begin]))
        ++begin;
    while (end > begin && invisible(text[end - 1]))
        --end;
    return text.sliced(begin, end - begin);
}

} // namespace

QString trimCell(QStringView text)
{
    QStringView t = trimInvisible(text);
    if (t.size() >= 3 && t.startsWith(u"=\"") && t.endsWith(u'"'))
        t = trimInvisible(t.sliced(2, t.size() - 3));
    return t.toString();
}

bool longNumber(QStringView number)
{
    qsizetype digits = 0;
    for (const QChar c : number) {
        if (c == u'e' || c == u'E')
            break;
        digits += c.isDigit();
    }
    return digits > 15;
}

} // namespace kaodian::server
