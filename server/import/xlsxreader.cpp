#include "import/xlsxreader.h"
#include "import/ziparchive.h"

#include <QDir>
#include <QLoggingCategory>
#include <QXmlStreamReader>

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
    const QByteArray packageRels = zip.read(QStringLiteral("_rels/.rels"), &error, kXlsxMaxPartBytes);
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

    const QByteArray workbookXml = zip.read(workbookPart, &error, kXlsxMaxPartBytes);
    if (error != ZipArchive::ReadError::None) {
        problems.addForFile(readProblem(error));
        return std::nullopt;
    }
    const auto workbook = parseWorkbook(workbookXml);
    const QByteArray workbookRelsXml = zip.read(relationshipsPart(workbookPart), &error, kXlsxMaxPartBytes);
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
        const QByteArray xml = zip.read(rel.target, &error, kXlsxMaxPartBytes);
        const auto strings = error == ZipArchive::ReadError::None ? parseSharedStrings(xml) : std::nullopt;
        if (!strings) {
            problems.addForFile(readProblem(error));
            return std::nullopt;
        }
        sharedStrings = *strings;
        break;
    }

    const QByteArray sheetXml = zip.read(sheetPart, &error, kXlsxMaxPartBytes);
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
