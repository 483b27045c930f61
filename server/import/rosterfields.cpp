#include "import/rosterfields.h"

#include "core/ticket.h"

#include <QRegularExpression>

#include <algorithm>
#include <array>
#include <cmath>

namespace kaodian::server {

namespace {

bool allAsciiDigits(QStringView text)
{
    return std::all_of(text.begin(), text.end(), [](QChar c) { return c >= u'0' && c <= u'9'; });
}

const QString kExcelNumberHint = QStringLiteral(
    "如果最后几位变成了 0，是 Excel 把身份证号当成了数字，请把这一列的单元格格式设为“文本”后重新输入。");

} // namespace

QString toHalfWidth(QStringView text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u >= 0xFF01 && u <= 0xFF5E)
            out += QChar(static_cast<char16_t>(u - 0xFEE0));
        else if (u == 0x3000)
            out += u' ';
        else
            out += c;
    }
    return out;
}

QChar idNumberCheckCharacter(QStringView first17)
{
    if (first17.size() != 17 || !allAsciiDigits(first17))
        return {};
    static constexpr std::array<int, 17> kWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static constexpr char kCheck[] = "10X98765432";
    int sum = 0;
    for (qsizetype i = 0; i < 17; ++i)
        sum += (first17[i].unicode() - u'0') * kWeights[static_cast<std::size_t>(i)];
    return QLatin1Char(kCheck[sum % 11]);
}

QString normaliseIdNumber(QStringView text)
{
    return toHalfWidth(text).trimmed().replace(QLatin1Char('x'), QLatin1Char('X'));
}

QString idNumberProblem(QStringView id, QDate examDate)
{
    if (id.size() == 15 && allAsciiDigits(id))
        return QStringLiteral("这是 15 位的第一代身份证号，请换成 18 位的身份证号。");
    if (looksLikeScientific(id))
        return QStringLiteral("身份证号被 Excel 当成了数字，显示成了科学计数法，后几位已经丢失。"
                              "请把这一列的单元格格式设为“文本”后重新输入。");
    if (id.size() != 18)
        return QStringLiteral("身份证号应为 18 位，这里是 %1 位。").arg(id.size());
    const QStringView first17 = id.first(17);
    const QChar last = id[17];
    if (!allAsciiDigits(first17) || !((last >= u'0' && last <= u'9') || last == u'X'))
        return QStringLiteral("身份证号只能由数字组成，最后一位可以是 X。");
    const QDate birth(
        first17.sliced(6, 4).toInt(), first17.sliced(10, 2).toInt(), first17.sliced(12, 2).toInt());
    if (!birth.isValid() || birth.year() < 1900)
        return QStringLiteral("身份证号中的出生日期（第 7–14 位）不是有效的日期，请对照身份证核对。");
    if (examDate.isValid() && birth > examDate)
        return QStringLiteral("身份证号中的出生日期（第 7–14 位）晚于考试日期，请对照身份证核对。");
    if (idNumberCheckCharacter(first17) != last) {
        QString message
            = QStringLiteral("身份证号校验不通过（最后一位与前 17 位对不上），请对照身份证逐位核对。");
        if (id.endsWith(u"000"))
            message += kExcelNumberHint;
        return message;
    }
    return {};
}

QString normaliseTicketNumber(QStringView text)
{
    return toHalfWidth(text).trimmed().toUpper();
}

QString ticketNumberProblem(QStringView ticketNumber)
{
    if (looksLikeScientific(ticketNumber))
        return QStringLiteral("准考证号被 Excel 当成了数字，显示成了科学计数法，后几位已经丢失。"
                              "请把这一列的单元格格式设为“文本”后重新输入。");
    if (ticketNumber.size() > kaodian::kTicketNumberMaxLength)
        return QStringLiteral("准考证号最长 %1 位，这里有 %2 位。")
            .arg(kaodian::kTicketNumberMaxLength)
            .arg(ticketNumber.size());
    for (const QChar c : ticketNumber) {
        const bool ok = (c >= u'0' && c <= u'9') || (c >= u'A' && c <= u'Z') || c == u'-';
        if (!ok)
            return QStringLiteral("准考证号只能包含数字、英文字母和“-”，这里有“%1”。").arg(c);
    }
    return {};
}

std::optional<QDate> parseExamDate(QStringView text)
{
    static const QString kMidnight = QStringLiteral(R"((?:[T ]+0{1,2}:00(?::00(?:\.0+)?)?Z?)?)");
    static const QRegularExpression kSeparated(
        QStringLiteral(R"(^(\d{4})([-/.])(\d{1,2})\2(\d{1,2}))") + kMidnight + QLatin1Char('$'));
    static const QRegularExpression kChinese(
        QStringLiteral(R"(^(\d{4}) *年 *(\d{1,2}) *月 *(\d{1,2}) *日?$)"));
    static const QRegularExpression kCompact(QStringLiteral(R"(^(\d{4})(\d{2})(\d{2})$)"));

    const QString t = toHalfWidth(text).trimmed();
    int y = 0;
    int m = 0;
    int d = 0;
    if (const auto match = kSeparated.match(t); match.hasMatch()) {
        y = match.captured(1).toInt();
        m = match.captured(3).toInt();
        d = match.captured(4).toInt();
    } else if (const auto match = kChinese.match(t); match.hasMatch()) {
        y = match.captured(1).toInt();
        m = match.captured(2).toInt();
        d = match.captured(3).toInt();
    } else if (const auto match = kCompact.match(t); match.hasMatch()) {
        y = match.captured(1).toInt();
        m = match.captured(2).toInt();
        d = match.captured(3).toInt();
    } else {
        return std::nullopt;
    }
    const QDate date(y, m, d);
    if (!date.isValid())
        return std::nullopt;
    return date;
}

std::optional<QTime> parseClockTime(QStringView text)
{
    static const QRegularExpression kColon(
        QStringLiteral(R"(^(上午|下午)? *(\d{1,2}):(\d{2})(?::(\d{2}))? *(AM|PM)?$)"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression kChinese(
        QStringLiteral(R"(^(上午|下午)? *(\d{1,2}) *[时点](?: *(\d{1,2}) *(?:分(?: *(\d{1,2}) *秒)?)?)?$)"));

    const QString t = toHalfWidth(text).trimmed();
    QRegularExpressionMatch match = kColon.match(t);
    QString meridiem;
    if (match.hasMatch()) {
        meridiem = match.captured(1).isEmpty() ? match.captured(5).toUpper() : match.captured(1);
    } else {
        match = kChinese.match(t);
        if (!match.hasMatch())
            return std::nullopt;
        meridiem = match.captured(1);
    }
    int h = match.captured(2).toInt();
    const int m = match.captured(3).isEmpty() ? 0 : match.captured(3).toInt();
    const int s = match.captured(4).isEmpty() ? 0 : match.captured(4).toInt();
    const bool pm = meridiem == QStringLiteral("下午") || meridiem == QStringLiteral("PM");
    const bool am = meridiem == QStringLiteral("上午") || meridiem == QStringLiteral("AM");
    if (pm || am) {
        if (h < 1 || h > 12)
            return std::nullopt;
        h = (h % 12) + (pm ? 12 : 0);
    }
    const QTime time(h, m, s);
    if (!time.isValid())
        return std::nullopt;
    return time;
}

std::optional<QDate> dateFromExcelSerial(double serial, bool date1904)
{
    // 2958465 is 9999-12-31, the last day Excel shows.
    if (!std::isfinite(serial) || serial < 1 || serial > 2958465 || serial != std::floor(serial))
        return std::nullopt;
    // Base 1899-12-30 absorbs Excel's fictitious 1900-02-29 for every date after it.
    const QDate base = date1904 ? QDate(1904, 1, 1) : QDate(1899, 12, 30);
    return base.addDays(static_cast<qint64>(serial));
}

std::optional<QTime> timeFromExcelFraction(double fraction)
{
    if (!std::isfinite(fraction) || fraction < 0 || fraction >= 1)
        return std::nullopt;
    const auto seconds = static_cast<int>(std::llround(fraction * 86400.0));
    if (seconds >= 86400)
        return std::nullopt;
    return QTime(0, 0).addSecs(seconds);
}

bool looksLikeScientific(QStringView text)
{
    static const QRegularExpression kScientific(
        QStringLiteral(R"(^\d+(?:\.\d*)?E[+-]\d+$)"), QRegularExpression::CaseInsensitiveOption);
    return text.contains(u'E', Qt::CaseInsensitive) && kScientific.match(text).hasMatch();
}

} // namespace kaodian::server
