#include "import/sheetfile.h"

#include "import/csvreader.h"
#include "import/rosterfields.h"
#include "import/xlsxreader.h"

#include <QCryptographicHash>
#include <QRegularExpression>

#include <algorithm>

namespace kaodian::server {

namespace {

QString resaveAdvice(const QString &what)
{
    return QStringLiteral("请在 Excel 中打开%1，另存为“Excel 工作簿(.xlsx)”或“CSV UTF-8(逗号分隔)”后重新导入。").arg(what);
}


// What the first bytes say the file is, when that is something other than the file the caller expects.
QString refusalByContent(QByteArrayView bytes, const QString &suffix, const QString &what)
{
    const QString kResave = resaveAdvice(what);
    const auto has
        = [&](const char *magic, qsizetype size) { return bytes.startsWith(QByteArrayView(magic, size)); };
    if (has("\x89PNG", 4) || has("\xFF\xD8\xFF", 3) || has("GIF8", 4)
        || (has("RIFF", 4) && bytes.size() >= 12 && bytes.sliced(8, 4) == "WEBP"))
        return QStringLiteral("这是一个图片文件，不是%1。请上传 CSV 或 Excel 工作簿（.xlsx）。").arg(what);
    if (has("%PDF-", 5))
        return QStringLiteral("这是一个 PDF 文件，无法从中读取%1。请上传 CSV 或 Excel 工作簿（.xlsx）。").arg(what);
    if (has("Rar!\x1A\x07", 6) || has("7z\xBC\xAF\x27\x1C", 6) || has("\x1F\x8B", 2))
        return QStringLiteral("这是一个压缩包。请先解压，再上传其中的 .xlsx 或 .csv %1。").arg(what);
    if (has("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
        return QStringLiteral("这是旧版 Excel 97-2003 文件（.xls），或设置了打开密码的工作簿，无法读取。"
                              "如有密码请先取消，")
            + kResave;
    if (suffix == u"xlsx" || suffix == u"xlsm")
        return QStringLiteral(
                   "文件扩展名是 .%1，但内容不是 Excel 工作簿（文件可能已损坏，或是改了扩展名的其他文件）。")
                   .arg(suffix)
            + kResave;
    QByteArrayView head = bytes.first(std::min<qsizetype>(bytes.size(), 512));
    if (head.startsWith("\xEF\xBB\xBF"))
        head = head.sliced(3);
    head = head.trimmed();
    if (head.startsWith('<'))
        return QStringLiteral("这是网页（HTML）或 XML 格式的表格，常见于从其他系统导出的“.xls”文件，"
                              "不是真正的 Excel 工作簿。")
            + kResave;
    return {};
}

} // namespace

QString headerKey(QStringView header)
{
    static const QRegularExpression kNote(QStringLiteral(R"([(\[【][^()\[\]【】]*[)\]】]$)"));
    static const QRegularExpression kNoise(QStringLiteral(R"([\s*]+)"));
    QString key = toHalfWidth(header);
    key.remove(kNoise);
    key.remove(kNote);
    return key.toUpper();
}

std::optional<LoadedSheet> loadSheetFile(const QByteArray &bytes, const QString &fileName, const QString &what,
                                         ProblemCollector &problems, ProblemCollector &readProblems)
{
    const qsizetype dot = fileName.lastIndexOf(QLatin1Char('.'));
    const QString suffix = dot < 0 ? QString() : fileName.mid(dot + 1).trimmed().toLower();
    LoadedSheet sheet;
    sheet.sha256 = QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    if (looksLikeZip(bytes)) {
        auto xlsx = readXlsxFirstSheet(bytes, problems);
        if (!xlsx)
            return std::nullopt;
        sheet.rows = std::move(xlsx->rows);
        sheet.xlsx = true;
        sheet.date1904 = xlsx->date1904;
        sheet.encoding = QStringLiteral("UTF-8");
        return sheet;
    }
    if (const QString refusal = refusalByContent(bytes, suffix, what); !refusal.isEmpty()) {
        problems.addForFile(refusal);
        return std::nullopt;
    }
    const auto text = decodeText(bytes, problems);
    if (!text)
        return std::nullopt;
    sheet.rows = splitCsv(text->text, detectSeparator(text->text), readProblems);
    sheet.encoding = text->encoding;
    return sheet;
}

} // namespace kaodian::server
