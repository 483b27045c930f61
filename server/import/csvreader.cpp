#include "import/csvreader.h"

#include <QLoggingCategory>
#include <QStringDecoder>

#include <algorithm>

namespace kaodian::server {

Q_LOGGING_CATEGORY(lcCsv, "kaodian.import.csv")

namespace {

const QString kNotText
    = QStringLiteral("文件不是文本格式的名单，也不是 Excel 工作簿（.xlsx），无法读取。请在 Excel 中打开名单，"
                     "另存为“CSV UTF-8(逗号分隔)”或“Excel 工作簿(.xlsx)”后重新导入。");

const QString kSaveAsUtf8 = QStringLiteral("请用 Excel 打开名单，另存为“CSV UTF-8(逗号分隔)”后重新导入。");

enum class Utf16 : std::uint8_t { No, LittleEndian, BigEndian };

// Calls f(line, bytes of the line) for each physical line: LF, CRLF or a lone
// CR end a line, as splitCsv counts them. Safe for UTF-8 and GB18030, whose
// multi-byte sequences never contain 0x0A or 0x0D.
template <typename F> void forEachLine(QByteArrayView bytes, F f)
{
    int line = 1;
    qsizetype start = 0;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const char c = bytes[i];
        if (c != '\n' && c != '\r')
            continue;
        f(line, bytes.sliced(start, i - start));
        if (c == '\r' && i + 1 < bytes.size() && bytes[i + 1] == '\n')
            ++i;
        ++line;
        start = i + 1;
    }
    if (start < bytes.size())
        f(line, bytes.sliced(start));
}

bool isAscii(QByteArrayView bytes)
{
    for (const char c : bytes) {
        if (static_cast<unsigned char>(c) >= 0x80)
            return false;
    }
    return true;
}

// UTF-16 without a BOM shows itself by the zero byte of every ASCII character.
Utf16 sniffUtf16(QByteArrayView bytes)
{
    const qsizetype n = std::min<qsizetype>(bytes.size(), 4096) & ~qsizetype(1);
    if (n < 4)
        return Utf16::No;
    qsizetype evenZeros = 0;
    qsizetype oddZeros = 0;
    for (qsizetype i = 0; i < n; i += 2) {
        evenZeros += bytes[i] == '\0';
        oddZeros += bytes[i + 1] == '\0';
    }
    const qsizetype pairs = n / 2;
    if (oddZeros * 4 > pairs && evenZeros * 20 < pairs)
        return Utf16::LittleEndian;
    if (evenZeros * 4 > pairs && oddZeros * 20 < pairs)
        return Utf16::BigEndian;
    return Utf16::No;
}

// Lines whose bytes a decoder made by `make` refuses.
template <typename MakeDecoder> QList<int> undecodableLines(QByteArrayView bytes, MakeDecoder make)
{
    QList<int> lines;
    forEachLine(bytes, [&](int line, QByteArrayView content) {
        QStringDecoder decoder = make();
        const QString text = decoder.decode(content); // converts only when made a QString
        if (decoder.hasError())
            lines.append(line);
    });
    return lines;
}

int countLines(QByteArrayView bytes)
{
    int n = 0;
    forEachLine(bytes, [&](int, QByteArrayView) { ++n; });
    return n;
}

void reportLines(const QList<int> &lines, const QString &message, ProblemCollector &problems)
{
    for (const int line : lines)
        problems.add(line, QString(), message);
}

std::optional<DecodedText> decodeUtf16(QByteArrayView bytes, Utf16 order, ProblemCollector &problems)
{
    const bool le = order == Utf16::LittleEndian;
    QStringDecoder decoder(
        le ? QStringDecoder::Utf16LE : QStringDecoder::Utf16BE, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    // Qt lets a lone surrogate through; look for those ourselves.
    bool bad = decoder.hasError() || (bytes.size() % 2) != 0;
    int line = 1;
    int lastReported = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c == u'\n' || (c == u'\r' && (i + 1 == text.size() || text[i + 1] != u'\n'))) {
            ++line;
            continue;
        }
        bool lone = false;
        if (c.isHighSurrogate())
            lone = i + 1 == text.size() || !text[i + 1].isLowSurrogate();
        else if (c.isLowSurrogate())
            lone = i == 0 || !text[i - 1].isHighSurrogate();
        if ((lone || c == QChar::ReplacementCharacter) && line != lastReported) {
            problems.add(line, QString(),
                QStringLiteral("这一行有无法识别的字符（UTF-16 编码已损坏）。") + kSaveAsUtf8);
            lastReported = line;
            bad = true;
        }
    }
    if (bad) {
        if (lastReported == 0)
            problems.addForFile(
                QStringLiteral("文件的 UTF-16 编码不完整，可能只上传了一部分。") + kSaveAsUtf8);
        return std::nullopt;
    }
    return DecodedText {text, le ? QStringLiteral("UTF-16LE") : QStringLiteral("UTF-16BE")};
}

std::optional<DecodedText> decodeUtf8(QByteArrayView body, bool hadBom, ProblemCollector &problems)
{
    if (!body.isValidUtf8()) {
        QList<int> lines;
        forEachLine(body, [&](int line, QByteArrayView content) {
            if (!content.isValidUtf8())
                lines.append(line);
        });
        const QString where
            = hadBom ? QStringLiteral("文件标明是 UTF-8 编码") : QStringLiteral("文件其余部分是 UTF-8 编码");
        reportLines(lines,
            QStringLiteral("这一行有无法识别的字符：%1，但这一行不是（可能是从别的文件粘贴进来的）。"
                           "请在 Excel 中重新输入这一行，另存为“CSV UTF-8(逗号分隔)”后重新导入。")
                .arg(where),
            problems);
        return std::nullopt;
    }
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    return DecodedText {decoder.decode(body), QStringLiteral("UTF-8")};
}

std::optional<DecodedText> decodeGb18030(QByteArrayView bytes, ProblemCollector &problems)
{
    auto make = [] { return QStringDecoder("GB18030", QStringDecoder::Flag::Stateless); };
    QStringDecoder decoder = make();
    if (!decoder.isValid()) {
        qCWarning(lcCsv) << "no GB18030 decoder: Qt was built without ICU";
        problems.addForFile(
            QStringLiteral("文件不是 UTF-8 编码，而本服务器无法读取 GB18030 编码。") + kSaveAsUtf8);
        return std::nullopt;
    }
    QString text = decoder.decode(bytes);
    if (!decoder.hasError())
        return DecodedText {text, QStringLiteral("GB18030")};

    const QList<int> lines = undecodableLines(bytes, make);
    const int total = countLines(bytes);
    if (lines.isEmpty() || (lines.size() > 10 && lines.size() * 4 > total)) {
        // Most of it does not decode: not text in any encoding we know.
        problems.addForFile(kNotText);
        return std::nullopt;
    }
    reportLines(lines,
        QStringLiteral("这一行有无法识别的字符：文件既不是 UTF-8 编码，也不是简体中文 Windows 的"
                       "GB18030 编码，或者这一行已损坏。")
            + kSaveAsUtf8,
        problems);
    return std::nullopt;
}

// Control characters other than tab and line breaks: a few are noise from old
// tools (Ctrl-Z at the end) and are dropped; many mean the file is not text.
bool stripControls(QString &text, ProblemCollector &problems)
{
    qsizetype controls = 0;
    for (const QChar c : std::as_const(text)) {
        const char16_t u = c.unicode();
        if (u == 0) {
            problems.addForFile(kNotText);
            return false;
        }
        if ((u < 0x20 && u != u'\t' && u != u'\n' && u != u'\r') || u == 0x7F)
            ++controls;
    }
    if (controls == 0)
        return true;
    if (controls > 16 && controls * 1000 > text.size()) {
        problems.addForFile(kNotText);
        return false;
    }
    text.removeIf([](QChar c) {
        const char16_t u = c.unicode();
        return (u < 0x20 && u != u'\t' && u != u'\n' && u != u'\r') || u == 0x7F;
    });
    return true;
}

} // namespace

std::optional<DecodedText> decodeText(const QByteArray &bytes, ProblemCollector &problems)
{
    const QByteArrayView all(bytes);
    std::optional<DecodedText> decoded;
    if (all.startsWith("\xEF\xBB\xBF")) {
        decoded = decodeUtf8(all.sliced(3), true, problems);
    } else if (all.startsWith(QByteArrayView("\xFF\xFE\0\0", 4))
        || all.startsWith(QByteArrayView("\0\0\xFE\xFF", 4))) {
        problems.addForFile(QStringLiteral("文件是 UTF-32 编码，无法读取。") + kSaveAsUtf8);
        return std::nullopt;
    } else if (all.startsWith("\xFF\xFE")) {
        decoded = decodeUtf16(all.sliced(2), Utf16::LittleEndian, problems);
    } else if (all.startsWith("\xFE\xFF")) {
        decoded = decodeUtf16(all.sliced(2), Utf16::BigEndian, problems);
    } else if (const Utf16 order = sniffUtf16(all); order != Utf16::No) {
        decoded = decodeUtf16(all, order, problems);
    } else if (all.contains('\0')) {
        problems.addForFile(kNotText);
        return std::nullopt;
    } else if (all.isValidUtf8()) {
        decoded = decodeUtf8(all, false, problems);
    } else {
        // Mostly UTF-8 with a few lines pasted in from elsewhere is UTF-8 with
        // faults, not GB18030: Chinese text in GB18030 is almost never valid UTF-8.
        qsizetype utf8Lines = 0;
        qsizetype otherLines = 0;
        forEachLine(all, [&](int, QByteArrayView line) {
            if (isAscii(line))
                return;
            if (line.isValidUtf8())
                ++utf8Lines;
            else
                ++otherLines;
        });
        if (utf8Lines > 0 && utf8Lines >= otherLines)
            decoded = decodeUtf8(all, false, problems);
        else
            decoded = decodeGb18030(all, problems);
    }
    if (!decoded)
        return std::nullopt;
    if (decoded->text.startsWith(QChar(0xFEFF)))
        decoded->text.remove(0, 1);
    if (!stripControls(decoded->text, problems))
        return std::nullopt;
    return decoded;
}

QChar detectSeparator(QStringView text)
{
    qsizetype commas = 0;
    qsizetype tabs = 0;
    qsizetype semicolons = 0;
    bool inQuotes = false;
    bool blank = true;
    int linesTried = 0;
    for (qsizetype i = 0; i <= text.size(); ++i) {
        const QChar c = i < text.size() ? text[i] : QChar(u'\n');
        if (c == u'"') {
            inQuotes = !inQuotes;
            blank = false;
        } else if (inQuotes) {
            continue;
        } else if (c == u'\n' || c == u'\r') {
            if (commas + tabs + semicolons > 0 || (!blank && ++linesTried >= 5))
                break;
            blank = true;
        } else if (c == u',') {
            ++commas;
        } else if (c == u'\t') {
            ++tabs;
        } else if (c == u';') {
            ++semicolons;
        } else if (!c.isSpace()) {
            blank = false;
        }
    }
    if (tabs > commas && tabs >= semicolons)
        return QLatin1Char('\t');
    if (semicolons > commas)
        return QLatin1Char(';');
    return QLatin1Char(',');
}

QList<SheetRow> splitCsv(QStringView text, QChar separator, ProblemCollector &problems)
{
    QList<SheetRow> rows;
    SheetRow row;
    QString cell;
    int line = 1;
    int recordLine = 1;
    bool inQuotes = false;
    bool quoted = false; // the current cell opened with a quote

    auto endCell = [&] {
        row.cells.append(
            SheetCell {static_cast<int>(row.cells.size()), SheetCell::Kind::Text, trimCell(cell)});
        cell.clear();
        quoted = false;
    };
    auto endRecord = [&] {
        endCell();
        const bool empty = std::all_of(
            row.cells.cbegin(), row.cells.cend(), [](const SheetCell &c) { return c.text.isEmpty(); });
        if (!empty) {
            row.line = recordLine;
            rows.append(std::move(row));
        }
        row = SheetRow();
    };

    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = text[i];
        const bool crlf = c == u'\r' && i + 1 < n && text[i + 1] == u'\n';
        if (inQuotes) {
            if (c == u'"') {
                if (i + 1 < n && text[i + 1] == u'"') {
                    cell += u'"';
                    ++i;
                } else {
                    inQuotes = false;
                }
            } else if (c == u'\n' || c == u'\r') {
                cell += u'\n';
                if (crlf)
                    ++i;
                ++line;
            } else {
                cell += c;
            }
        } else if (c == separator) {
            endCell();
        } else if (c == u'\n' || c == u'\r') {
            if (crlf)
                ++i;
            endRecord();
            ++line;
            recordLine = line;
        } else if (c == u'"' && !quoted && trimCell(cell).isEmpty()) {
            // A quote opens a quoted cell only at its start (spaces before it aside).
            inQuotes = true;
            quoted = true;
            cell.clear();
        } else {
            // Text after a closing quote, or a quote inside an unquoted cell:
            // kept as written, as Excel does.
            cell += c;
        }
    }
    if (inQuotes) {
        problems.add(recordLine, QString(),
            QStringLiteral("从这一行开始的引号（\"）没有结束，后面的内容都被当成了同一个单元格。"
                           "请检查这一行是否多了或少了一个英文双引号。"));
    } else if (!cell.isEmpty() || !row.cells.isEmpty()) {
        endRecord();
    }
    return rows;
}

} // namespace kaodian::server
