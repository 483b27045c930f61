#include "import/xlsxreader.h"

#include <QDir>
#include <QLoggingCategory>
#include <QXmlStreamReader>

#include <unzip.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace kaodian::server {

Q_LOGGING_CATEGORY(lcXlsx, "kaodian.import.xlsx")

namespace {

const QString kResave
    = QStringLiteral("请在 Excel 中打开名单，另存为“Excel 工作簿(.xlsx)”或“CSV UTF-8(逗号分隔)”后重新导入。");
const QString kDamaged = QStringLiteral("Excel 工作簿已损坏，无法读取。") + kResave;

constexpr int kMaxColumns = 16384; // XFD, Excel's last column

// minizip reads the archive through these callbacks straight from memory.
struct MemoryFile
{
    QByteArrayView data;
    ZPOS64_T pos = 0;
};

voidpf ZCALLBACK memoryOpen(voidpf opaque, const void * /*name*/, int mode)
{
    if ((mode & ZLIB_FILEFUNC_MODE_WRITE) != 0)
        return nullptr;
    auto *file = static_cast<MemoryFile *>(opaque);
    file->pos = 0;
    return file;
}

uLong ZCALLBACK memoryRead(voidpf /*opaque*/, voidpf stream, void *buf, uLong size)
{
    auto *file = static_cast<MemoryFile *>(stream);
    const auto total = static_cast<ZPOS64_T>(file->data.size());
    const ZPOS64_T n = std::min<ZPOS64_T>(size, total - std::min(file->pos, total));
    if (n > 0)
        std::memcpy(buf, file->data.data() + file->pos, static_cast<std::size_t>(n));
    file->pos += n;
    return static_cast<uLong>(n);
}

uLong ZCALLBACK memoryWrite(voidpf, voidpf, const void *, uLong)
{
    return 0;
}

ZPOS64_T ZCALLBACK memoryTell(voidpf /*opaque*/, voidpf stream)
{
    return static_cast<MemoryFile *>(stream)->pos;
}

long ZCALLBACK memorySeek(voidpf /*opaque*/, voidpf stream, ZPOS64_T offset, int origin)
{
    auto *file = static_cast<MemoryFile *>(stream);
    const auto total = static_cast<ZPOS64_T>(file->data.size());
    ZPOS64_T base = 0;
    switch (origin) {
    case ZLIB_FILEFUNC_SEEK_SET:
        base = 0;
        break;
    case ZLIB_FILEFUNC_SEEK_CUR:
        base = file->pos;
        break;
    case ZLIB_FILEFUNC_SEEK_END:
        base = total;
        break;
    default:
        return -1;
    }
    if (offset > total || base > total - offset)
        return -1;
    file->pos = base + offset;
    return 0;
}

int ZCALLBACK memoryClose(voidpf, voidpf)
{
    return 0;
}

int ZCALLBACK memoryError(voidpf, voidpf)
{
    return 0;
}

// A ZIP archive held in memory. Not copyable: minizip keeps a pointer to m_file.
class ZipArchive
{
public:
    enum class ReadError : std::uint8_t { None, Missing, TooLarge, Damaged };

    explicit ZipArchive(QByteArrayView data) : m_file {data, 0}
    {
        zlib_filefunc64_def funcs {};
        funcs.zopen64_file = memoryOpen;
        funcs.zread_file = memoryRead;
        funcs.zwrite_file = memoryWrite;
        funcs.ztell64_file = memoryTell;
        funcs.zseek64_file = memorySeek;
        funcs.zclose_file = memoryClose;
        funcs.zerror_file = memoryError;
        funcs.opaque = &m_file;
        m_zip.reset(unzOpen2_64("memory", &funcs));
    }
    ZipArchive(const ZipArchive &) = delete;
    ZipArchive &operator=(const ZipArchive &) = delete;

    [[nodiscard]] bool isOpen() const { return m_zip != nullptr; }

    [[nodiscard]] bool contains(const QString &name) const
    {
        return unzLocateFile(m_zip.get(), name.toUtf8().constData(), 2) == UNZ_OK;
    }

    // The unpacked bytes of one entry (names compare without case, as OPC says).
    QByteArray read(const QString &name, ReadError *error) const
    {
        *error = ReadError::None;
        unzFile zip = m_zip.get();
        if (unzLocateFile(zip, name.toUtf8().constData(), 2) != UNZ_OK) {
            *error = ReadError::Missing;
            return {};
        }
        unz_file_info64 info {};
        if (unzGetCurrentFileInfo64(zip, &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK
            || (info.flag & 1U) != 0) { // bit 0: encrypted
            *error = ReadError::Damaged;
            return {};
        }
        if (info.uncompressed_size > static_cast<ZPOS64_T>(kXlsxMaxPartBytes)) {
            *error = ReadError::TooLarge;
            return {};
        }
        if (unzOpenCurrentFile(zip) != UNZ_OK) {
            *error = ReadError::Damaged;
            return {};
        }
        QByteArray out;
        out.reserve(static_cast<qsizetype>(info.uncompressed_size));
        char buffer[64 * 1024];
        for (;;) {
            const int n = unzReadCurrentFile(zip, buffer, sizeof buffer);
            if (n < 0) {
                *error = ReadError::Damaged;
                break;
            }
            if (n == 0)
                break;
            // The size in the header may lie; the cap holds regardless.
            if (out.size() + n > kXlsxMaxPartBytes) {
                *error = ReadError::TooLarge;
                break;
            }
            out.append(buffer, n);
        }
        // Closing checks the CRC once the entry was read whole.
        const int closed = unzCloseCurrentFile(zip);
        if (*error == ReadError::None && closed != UNZ_OK)
            *error = ReadError::Damaged;
        return *error == ReadError::None ? out : QByteArray();
    }

private:
    MemoryFile m_file;
    std::unique_ptr<void, int (*)(unzFile)> m_zip {nullptr, &unzClose};
};

struct Relationship
{
    QString id;
    QString type;
    QString target; // resolved to a path inside the archive
};

// "worksheets/sheet1.xml" from "xl/workbook.xml" -> "xl/worksheets/sheet1.xml".
QString resolvePart(const QString &sourcePart, const QString &target)
{
    if (target.startsWith(QLatin1Char('/')))
        return QDir::cleanPath(target.mid(1));
    const qsizetype slash = sourcePart.lastIndexOf(QLatin1Char('/'));
    const QString dir = slash < 0 ? QString() : sourcePart.left(slash + 1);
    return QDir::cleanPath(dir + target);
}

// The relationships part of `part` ("xl/workbook.xml" -> "xl/_rels/workbook.xml.rels").
QString relationshipsPart(const QString &part)
{
    const qsizetype slash = part.lastIndexOf(QLatin1Char('/'));
    return part.left(slash + 1) + QStringLiteral("_rels/") + part.mid(slash + 1) + QStringLiteral(".rels");
}

std::optional<QList<Relationship>> parseRelationships(const QByteArray &xmlBytes, const QString &sourcePart)
{
    QList<Relationship> out;
    QXmlStreamReader xml(xmlBytes);
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement() || xml.name() != u"Relationship")
            continue;
        const auto attrs = xml.attributes();
        if (attrs.value(QLatin1String("TargetMode")) != u"External") {
            out.append(Relationship {attrs.value(QLatin1String("Id")).toString(),
                attrs.value(QLatin1String("Type")).toString(),
                resolvePart(sourcePart, attrs.value(QLatin1String("Target")).toString())});
        }
    }
    if (xml.hasError())
        return std::nullopt;
    return out;
}

struct WorkbookSheet
{
    QString name;
    QString relationshipId;
};

struct Workbook
{
    bool date1904 = false;
    QList<WorkbookSheet> sheets;
};

std::optional<Workbook> parseWorkbook(const QByteArray &xmlBytes)
{
    Workbook workbook;
    QXmlStreamReader xml(xmlBytes);
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        if (xml.name() == u"workbookPr") {
            const auto v = xml.attributes().value(QLatin1String("date1904"));
            workbook.date1904 = v == u"1" || v == u"true";
        } else if (xml.name() == u"sheet") {
            WorkbookSheet sheet;
            for (const auto &attr : xml.attributes()) {
                if (attr.name() == u"name")
                    sheet.name = attr.value().toString();
                else if (attr.name() == u"id") // r:id
                    sheet.relationshipId = attr.value().toString();
            }
            workbook.sheets.append(sheet);
        }
    }
    if (xml.hasError())
        return std::nullopt;
    return workbook;
}

// The text of a string item (<si> or <is>), leaving out phonetic runs (<rPh>).
QString readStringItem(QXmlStreamReader &xml)
{
    QString text;
    const QString end = xml.name().toString();
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isEndElement() && xml.name() == end)
            break;
        if (!xml.isStartElement())
            continue;
        if (xml.name() == u"t")
            text += xml.readElementText(QXmlStreamReader::IncludeChildElements);
        else if (xml.name() == u"rPh" || xml.name() == u"phoneticPr")
            xml.skipCurrentElement();
    }
    return text;
}

std::optional<QStringList> parseSharedStrings(const QByteArray &xmlBytes)
{
    QStringList strings;
    QXmlStreamReader xml(xmlBytes);
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == u"si")
            strings.append(readStringItem(xml));
    }
    if (xml.hasError())
        return std::nullopt;
    return strings;
}

// 0-based column of a cell reference ("AB12" -> 27); -1 when it has no letters.
int columnOfReference(QStringView ref)
{
    int column = 0;
    qsizetype i = 0;
    for (; i < ref.size(); ++i) {
        const char16_t c = QChar::toUpper(ref[i].unicode());
        if (c < u'A' || c > u'Z')
            break;
        column = column * 26 + (c - u'A' + 1);
        if (column > kMaxColumns)
            return kMaxColumns; // out of range, dropped by the caller
    }
    return i == 0 ? -1 : column - 1;
}

// Reads one <c> element into a cell; false when it holds no value.
bool readCell(
    QXmlStreamReader &xml, const QStringList &sharedStrings, int *lastColumn, SheetCell *cell, bool *badIndex)
{
    const auto attrs = xml.attributes();
    const int column = columnOfReference(attrs.value(QLatin1String("r")));
    cell->column = column >= 0 ? column : *lastColumn + 1;
    *lastColumn = cell->column;
    const QString type = attrs.value(QLatin1String("t")).toString();

    QString value;
    QString inlineText;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isEndElement() && xml.name() == u"c")
            break;
        if (!xml.isStartElement())
            continue;
        if (xml.name() == u"v")
            value = xml.readElementText(QXmlStreamReader::IncludeChildElements);
        else if (xml.name() == u"is")
            inlineText = readStringItem(xml);
        else
            xml.skipCurrentElement(); // <f>, <extLst>
    }

    cell->kind = SheetCell::Kind::Text;
    if (type == u"s") {
        bool ok = false;
        const qsizetype index = value.toLongLong(&ok);
        if (!ok || index < 0 || index >= sharedStrings.size()) {
            *badIndex = true;
            return false;
        }
        cell->text = trimCell(sharedStrings.at(index));
    } else if (type == u"inlineStr") {
        cell->text = trimCell(inlineText);
    } else if (type == u"str" || type == u"d") {
        cell->text = trimCell(value);
    } else if (type == u"b") {
        if (value.isEmpty())
            return false;
        cell->text = value.trimmed() == u"1" ? QStringLiteral("TRUE") : QStringLiteral("FALSE");
    } else if (type == u"e") {
        cell->kind = SheetCell::Kind::Error;
        cell->text = value.trimmed();
    } else { // "n" or none
        cell->kind = SheetCell::Kind::Number;
        cell->text = value.trimmed();
    }
    return !cell->text.isEmpty() && cell->column < kMaxColumns;
}

std::optional<QList<SheetRow>> parseWorksheet(const QByteArray &xmlBytes, const QStringList &sharedStrings)
{
    QList<SheetRow> rows;
    QXmlStreamReader xml(xmlBytes);
    int lastRow = 0;
    bool badIndex = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement() || xml.name() != u"row")
            continue;
        bool ok = false;
        const int number = xml.attributes().value(QLatin1String("r")).toInt(&ok);
        SheetRow row;
        row.line = ok && number > 0 ? number : lastRow + 1;
        lastRow = row.line;
        int lastColumn = -1;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isEndElement() && xml.name() == u"row")
                break;
            if (!xml.isStartElement())
                continue;
            if (xml.name() != u"c") {
                xml.skipCurrentElement();
                continue;
            }
            SheetCell cell;
            if (readCell(xml, sharedStrings, &lastColumn, &cell, &badIndex))
                row.cells.append(std::move(cell));
        }
        if (!row.cells.isEmpty()) {
            std::stable_sort(row.cells.begin(), row.cells.end(),
                [](const SheetCell &a, const SheetCell &b) { return a.column < b.column; });
            rows.append(std::move(row));
        }
    }
    if (xml.hasError() || badIndex) {
        qCWarning(lcXlsx) << "worksheet does not parse:" << xml.errorString()
                          << "bad string index:" << badIndex;
        return std::nullopt;
    }
    return rows;
}

QString readProblem(ZipArchive::ReadError error)
{
    if (error == ZipArchive::ReadError::TooLarge)
        return QStringLiteral("工作簿太大（其中一部分解压后超过 %1 MB），请确认它只包含考生名单。")
            .arg(kXlsxMaxPartBytes / 1024 / 1024);
    return kDamaged;
}

// A ZIP that is not an .xlsx workbook: say what it is.
QString notAWorkbook(const ZipArchive &zip)
{
    if (zip.contains(QStringLiteral("word/document.xml")))
        return QStringLiteral("这是一个 Word 文档，不是名单表格。") + kResave;
    if (zip.contains(QStringLiteral("content.xml")) && zip.contains(QStringLiteral("mimetype")))
        return QStringLiteral("这是 WPS 或 LibreOffice 的 ODS 表格。") + kResave;
    if (zip.contains(QStringLiteral("xl/workbook.bin")))
        return QStringLiteral("这是 Excel 二进制工作簿（.xlsb），无法读取。") + kResave;
    return QStringLiteral(
        "这是一个 ZIP 压缩包，不是 Excel 工作簿。请先解压，再上传其中的 .xlsx 或 .csv 名单。");
}

} // namespace

bool looksLikeZip(QByteArrayView bytes)
{
    return bytes.startsWith("PK\x03\x04") || bytes.startsWith("PK\x05\x06");
}

bool zipHolds(const QByteArray &bytes, const QString &entry)
{
    if (!looksLikeZip(bytes))
        return false;
    const ZipArchive zip(bytes);
    return zip.isOpen() && zip.contains(entry);
}

std::optional<XlsxSheet> readXlsxFirstSheet(const QByteArray &bytes, ProblemCollector &problems)
{
    const ZipArchive zip(bytes);
    if (!zip.isOpen()) {
        problems.addForFile(kDamaged);
        return std::nullopt;
    }
    ZipArchive::ReadError error = ZipArchive::ReadError::None;

    // _rels/.rels names the workbook part; xl/workbook.xml is where everyone puts it.
    QString workbookPart = QStringLiteral("xl/workbook.xml");
    const QByteArray packageRels = zip.read(QStringLiteral("_rels/.rels"), &error);
    if (error == ZipArchive::ReadError::None) {
        const auto rels = parseRelationships(packageRels, QString());
        if (!rels) {
            problems.addForFile(kDamaged);
            return std::nullopt;
        }
        for (const Relationship &rel : *rels) {
            if (rel.type.endsWith(u"/officeDocument")) {
                workbookPart = rel.target;
                break;
            }
        }
    }
    if (!workbookPart.endsWith(u".xml", Qt::CaseInsensitive) || !zip.contains(workbookPart)) {
        problems.addForFile(notAWorkbook(zip));
        return std::nullopt;
    }

    const QByteArray workbookXml = zip.read(workbookPart, &error);
    if (error != ZipArchive::ReadError::None) {
        problems.addForFile(readProblem(error));
        return std::nullopt;
    }
    const auto workbook = parseWorkbook(workbookXml);
    const QByteArray workbookRelsXml = zip.read(relationshipsPart(workbookPart), &error);
    const auto workbookRels = error == ZipArchive::ReadError::None
        ? parseRelationships(workbookRelsXml, workbookPart)
        : std::nullopt;
    if (!workbook || !workbookRels) {
        problems.addForFile(error == ZipArchive::ReadError::TooLarge ? readProblem(error) : kDamaged);
        return std::nullopt;
    }

    // The first sheet in tab order that is a worksheet (not a chart sheet).
    XlsxSheet result;
    result.date1904 = workbook->date1904;
    QString sheetPart;
    for (const WorkbookSheet &sheet : workbook->sheets) {
        for (const Relationship &rel : *workbookRels) {
            if (rel.id == sheet.relationshipId && rel.type.endsWith(u"/worksheet")) {
                sheetPart = rel.target;
                result.name = sheet.name;
                break;
            }
        }
        if (!sheetPart.isEmpty())
            break;
    }
    if (sheetPart.isEmpty()) {
        problems.addForFile(QStringLiteral("工作簿里没有工作表。") + kResave);
        return std::nullopt;
    }

    QStringList sharedStrings;
    for (const Relationship &rel : *workbookRels) {
        if (!rel.type.endsWith(u"/sharedStrings"))
            continue;
        const QByteArray xml = zip.read(rel.target, &error);
        const auto strings = error == ZipArchive::ReadError::None ? parseSharedStrings(xml) : std::nullopt;
        if (!strings) {
            problems.addForFile(readProblem(error));
            return std::nullopt;
        }
        sharedStrings = *strings;
        break;
    }

    const QByteArray sheetXml = zip.read(sheetPart, &error);
    if (error != ZipArchive::ReadError::None) {
        problems.addForFile(readProblem(error));
        return std::nullopt;
    }
    auto rows = parseWorksheet(sheetXml, sharedStrings);
    if (!rows) {
        problems.addForFile(kDamaged);
        return std::nullopt;
    }
    result.rows = std::move(*rows);
    return result;
}

} // namespace kaodian::server
