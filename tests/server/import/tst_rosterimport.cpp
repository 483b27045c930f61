#include "import/csvreader.h"
#include "import/rosterfields.h"
#include "import/rosterimport.h"
#include "import/xlsxreader.h"

#include <QCryptographicHash>
#include <QFile>
#include <QRandomGenerator>
#include <QStringDecoder>
#include <QStringEncoder>
#include <QTemporaryDir>
#include <QTest>

#include <xlsxwriter.h>
#include <zip.h>

#include <algorithm>
#include <functional>

using namespace kaodian;
using namespace kaodian::server;

namespace {

const QString kTemplatePath = QStringLiteral(KAODIAN_DOCS_DIR "/roster-template.csv");

const QStringList kHeader = {
    QStringLiteral("准考证号"),
    QStringLiteral("姓名"),
    QStringLiteral("身份证号"),
    QStringLiteral("学号"),
    QStringLiteral("专业"),
    QStringLiteral("班级"),
    QStringLiteral("二级学院"),
    QStringLiteral("证书"),
    QStringLiteral("等级"),
    QStringLiteral("培训评价组织"),
    QStringLiteral("考点"),
    QStringLiteral("考场"),
    QStringLiteral("座位号"),
    QStringLiteral("考试日期"),
    QStringLiteral("开始时间"),
    QStringLiteral("结束时间"),
};

int col(const QString &name)
{
    const auto i = static_cast<int>(kHeader.indexOf(name));
    Q_ASSERT(i >= 0);
    return i;
}

// A valid ID-card number for candidate i (1 ≤ i ≤ 899): born 2004-03-15 in 福州鼓楼.
QString idFor(int i)
{
    const QString first17 = QStringLiteral("35010220040315") + QString::number(100 + i);
    return first17 + idNumberCheckCharacter(first17);
}

// Row i of a valid roster: one session, every candidate distinct.
QStringList validCells(int i)
{
    return {QStringLiteral("T2026-%1").arg(i, 4, 10, QLatin1Char('0')), QStringLiteral("考生%1").arg(i),
        idFor(i), QStringLiteral("2022%1").arg(i, 6, 10, QLatin1Char('0')), QStringLiteral("计算机应用技术"),
        QStringLiteral("计应2201"), QStringLiteral("信息工程学院"), QStringLiteral("Web前端开发"),
        QStringLiteral("中级"), QStringLiteral("工业和信息化部教育与考试中心"), QStringLiteral("实训楼考点"),
        QStringLiteral("01"), QString::number(i), QStringLiteral("2026-06-01"), QStringLiteral("09:00"),
        QStringLiteral("11:00")};
}

RosterRow expectedRow(int i, int line)
{
    RosterRow r;
    r.line = line;
    r.ticketNumber = QStringLiteral("T2026-%1").arg(i, 4, 10, QLatin1Char('0'));
    r.name = QStringLiteral("考生%1").arg(i);
    r.idNumber = idFor(i);
    r.studentNumber = QStringLiteral("2022%1").arg(i, 6, 10, QLatin1Char('0'));
    r.major = QStringLiteral("计算机应用技术");
    r.className = QStringLiteral("计应2201");
    r.college = QStringLiteral("信息工程学院");
    r.certificate = QStringLiteral("Web前端开发");
    r.level = CertificateLevel::Intermediate;
    r.trainingOrganisation = QStringLiteral("工业和信息化部教育与考试中心");
    r.site = QStringLiteral("实训楼考点");
    r.room = QStringLiteral("01");
    r.seat = QString::number(i);
    r.examDate = QDate(2026, 6, 1);
    r.startTime = QTime(9, 0);
    r.endTime = QTime(11, 0);
    return r;
}

QString csvCell(const QString &cell, QChar separator)
{
    if (cell.contains(separator) || cell.contains(u'"') || cell.contains(u'\n') || cell.contains(u'\r')) {
        QString escaped = cell;
        escaped.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        return QLatin1Char('"') + escaped + QLatin1Char('"');
    }
    return cell;
}

QString csvText(const QList<QStringList> &rows, QChar separator = QLatin1Char(','),
    const QString &eol = QStringLiteral("\n"))
{
    QString out;
    for (const QStringList &row : rows) {
        QStringList cells;
        for (const QString &cell : row)
            cells.append(csvCell(cell, separator));
        out += cells.join(separator) + eol;
    }
    return out;
}

QByteArray utf8(const QString &text, bool bom = false)
{
    return (bom ? QByteArray("\xEF\xBB\xBF") : QByteArray()) + text.toUtf8();
}

// A roster of n valid rows, with `edit` applied to the cells of each row.
QByteArray roster(int n, const std::function<void(int, QStringList &)> &edit = {})
{
    QList<QStringList> rows {kHeader};
    for (int i = 1; i <= n; ++i) {
        QStringList cells = validCells(i);
        if (edit)
            edit(i, cells);
        rows.append(cells);
    }
    return utf8(csvText(rows));
}

QString describe(const QList<ImportProblem> &problems)
{
    QStringList lines;
    for (const ImportProblem &p : problems)
        lines.append(QStringLiteral("[line %1 | %2] %3").arg(p.line).arg(p.column, p.message));
    return lines.join(u'\n');
}

using ParseResult = Result<RosterFile, QList<ImportProblem>>;

QList<ImportProblem> problemsOf(const ParseResult &result)
{
    return result.ok() ? QList<ImportProblem>() : result.error();
}

// Exactly one problem, at line and column, whose message contains fragment.
bool onlyProblem(
    const ParseResult &result, int line, const QString &column, const QString &fragment, QString *why)
{
    const QList<ImportProblem> problems = problemsOf(result);
    *why = QStringLiteral("expected one problem at line %1 [%2] containing \"%3\", got %4:\n%5")
               .arg(line)
               .arg(column, fragment)
               .arg(problems.size())
               .arg(describe(problems));
    return problems.size() == 1 && problems[0].line == line && problems[0].column == column
        && problems[0].message.contains(fragment);
}

#define VERIFY_ONLY_PROBLEM(result, line, column, fragment)                                                  \
    do {                                                                                                     \
        QString why_;                                                                                        \
        QVERIFY2(onlyProblem(result, line, column, fragment, &why_), qPrintable(why_));                      \
    } while (false)

#define VERIFY_OK(result) QVERIFY2((result).ok(), qPrintable(describe(problemsOf(result))))

QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

// A ZIP archive of the given entries, written with minizip.
QByteArray zipOf(const QList<std::pair<QString, QByteArray>> &entries)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.zip"));
    zipFile zf = zipOpen64(path.toUtf8().constData(), APPEND_STATUS_CREATE);
    if (zf == nullptr)
        return {};
    for (const auto &[name, bytes] : entries) {
        zip_fileinfo info {};
        zipOpenNewFileInZip64(zf, name.toUtf8().constData(), &info, nullptr, 0, nullptr, 0, nullptr,
            Z_DEFLATED, Z_DEFAULT_COMPRESSION, 0);
        zipWriteInFileInZip(zf, bytes.constData(), static_cast<unsigned>(bytes.size()));
        zipCloseFileInZip(zf);
    }
    zipClose(zf, nullptr);
    return readFile(path);
}

// An .xlsx written with libxlsxwriter: `fill` writes the first sheet ("名单");
// a second sheet ("说明") holds a different table the importer must not read.
QByteArray buildXlsx(
    const std::function<void(lxw_workbook *, lxw_worksheet *)> &fill, bool constantMemory = false)
{
    QTemporaryDir dir;
    const QByteArray path = dir.filePath(QStringLiteral("roster.xlsx")).toUtf8();
    lxw_workbook_options options {};
    options.constant_memory = constantMemory ? LXW_TRUE : LXW_FALSE;
    lxw_workbook *workbook = workbook_new_opt(path.constData(), &options);
    if (workbook == nullptr)
        return {};
    lxw_worksheet *sheet = workbook_add_worksheet(workbook, "名单");
    fill(workbook, sheet);
    lxw_worksheet *notes = workbook_add_worksheet(workbook, "说明");
    worksheet_write_string(notes, 0, 0, "准考证号", nullptr);
    worksheet_write_string(notes, 1, 0, "这一页不是名单", nullptr);
    if (workbook_close(workbook) != LXW_NO_ERROR)
        return {};
    return readFile(QString::fromUtf8(path));
}

struct XlsxFormats
{
    lxw_format *date = nullptr;
    lxw_format *time = nullptr;
};

XlsxFormats addFormats(lxw_workbook *workbook)
{
    XlsxFormats formats {workbook_add_format(workbook), workbook_add_format(workbook)};
    format_set_num_format(formats.date, "yyyy-mm-dd");
    format_set_num_format(formats.time, "hh:mm");
    return formats;
}

// Writes row i of validCells to `sheet` at Excel row `excelRow` (0-based), the
// way a clerk's workbook holds it: dates and times as Excel numbers, the seat
// as a number, the name as a formula with its result, everything else as text.
void writeXlsxRow(const XlsxFormats &formats, lxw_worksheet *sheet, lxw_row_t excelRow, int i)
{
    lxw_format *dateFormat = formats.date;
    lxw_format *timeFormat = formats.time;
    const QStringList cells = validCells(i);
    for (int c = 0; c < cells.size(); ++c) {
        const auto column = static_cast<lxw_col_t>(c);
        if (c == col(QStringLiteral("考试日期"))) {
            lxw_datetime date {2026, 6, 1, 0, 0, 0};
            worksheet_write_datetime(sheet, excelRow, column, &date, dateFormat);
        } else if (c == col(QStringLiteral("开始时间"))) {
            worksheet_write_number(sheet, excelRow, column, 9.0 / 24, timeFormat);
        } else if (c == col(QStringLiteral("结束时间"))) {
            worksheet_write_number(sheet, excelRow, column, 11.0 / 24, timeFormat);
        } else if (c == col(QStringLiteral("座位号"))) {
            worksheet_write_number(sheet, excelRow, column, i, nullptr);
        } else if (c == col(QStringLiteral("姓名"))) {
            // A formula with its cached result (t="str").
            const QByteArray formula = QStringLiteral("=\"%1\"").arg(cells[c]).toUtf8();
            worksheet_write_formula_str(
                sheet, excelRow, column, formula.constData(), nullptr, cells[c].toUtf8().constData());
        } else {
            worksheet_write_string(sheet, excelRow, column, cells[c].toUtf8().constData(), nullptr);
        }
    }
}

void writeXlsxHeader(lxw_worksheet *sheet, lxw_row_t excelRow)
{
    for (int c = 0; c < kHeader.size(); ++c)
        worksheet_write_string(
            sheet, excelRow, static_cast<lxw_col_t>(c), kHeader[c].toUtf8().constData(), nullptr);
}

} // namespace

// The roster-file parser the exam office imports candidates with (docs/roster-import.md).
class TestRosterImport : public QObject
{
    Q_OBJECT

private slots:
    // ---- the template and encodings -------------------------------------

    void templateParses()
    {
        const QByteArray bytes = readFile(kTemplatePath);
        QVERIFY2(
            bytes.startsWith("\xEF\xBB\xBF"), "the template is UTF-8 with a BOM, as Excel writes CSV UTF-8");
        const auto result = parseRosterFile(bytes, QStringLiteral("roster-template.csv"));
        VERIFY_OK(result);
        QCOMPARE(result->rows.size(), 2);
        QCOMPARE(result->encoding, QStringLiteral("UTF-8"));
        QCOMPARE(result->format, RosterFormat::Csv);
        QVERIFY(result->ignoredColumns.isEmpty());
        QCOMPARE(result->sha256,
            QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex()));

        RosterRow first;
        first.line = 2;
        first.ticketNumber = QStringLiteral("2026060100101");
        first.name = QStringLiteral("林晓燕");
        first.idNumber = QStringLiteral("350121200311082466");
        first.studentNumber = QStringLiteral("2022030101");
        first.major = QStringLiteral("计算机应用技术");
        first.className = QStringLiteral("计应2201");
        first.college = QStringLiteral("信息工程学院");
        first.certificate = QStringLiteral("Web前端开发");
        first.level = CertificateLevel::Intermediate;
        first.trainingOrganisation = QStringLiteral("工业和信息化部教育与考试中心");
        first.site = QStringLiteral("实训楼考点");
        first.room = QStringLiteral("01");
        first.seat = QStringLiteral("01");
        first.examDate = QDate(2026, 6, 1);
        first.startTime = QTime(9, 0);
        first.endTime = QTime(11, 0);
        QCOMPARE(result->rows[0], first);
        QCOMPARE(result->rows[1].line, 3);
        QCOMPARE(result->rows[1].name, QStringLiteral("陈志强"));
        QCOMPARE(result->rows[1].idNumber, QStringLiteral("35010220040315101X"));
        QCOMPARE(result->rows[1].seat, QStringLiteral("02"));
    }

    void templateHeaderIsTheColumnList()
    {
        const QString text = QString::fromUtf8(readFile(kTemplatePath)).remove(QChar(0xFEFF));
        QStringList names;
        for (const RosterColumn &c : rosterColumns())
            names.append(c.name);
        QCOMPARE(text.section(QLatin1Char('\n'), 0, 0), names.join(QLatin1Char(',')));
    }

    void gb18030ParsesToTheSameRows()
    {
        const QByteArray utf8Bytes = readFile(kTemplatePath);
        const QString text = QString::fromUtf8(utf8Bytes.mid(3));
        QStringEncoder encoder("GB18030");
        QVERIFY(encoder.isValid());
        const QByteArray gb = encoder.encode(text);
        QVERIFY(!encoder.hasError());
        QVERIFY2(!gb.isValidUtf8(), "the GB18030 bytes must not pass for UTF-8");

        const auto fromUtf8 = parseRosterFile(utf8Bytes, QStringLiteral("a.csv"));
        const auto fromGb = parseRosterFile(gb, QStringLiteral("a.csv"));
        VERIFY_OK(fromUtf8);
        VERIFY_OK(fromGb);
        QCOMPARE(fromGb->encoding, QStringLiteral("GB18030"));
        QCOMPARE(fromGb->rows, fromUtf8->rows);
        QVERIFY(fromGb->sha256 != fromUtf8->sha256);
    }

    void gb18030CharactersOutsideGbk()
    {
        // 𠀀 (U+20000) needs a four-byte GB18030 sequence; a name may have it.
        const QByteArray gb = QStringEncoder("GB18030").encode(
            QString::fromUtf8(roster(1, [](int, QStringList &c) { c[1] = QStringLiteral("王𠀀"); })));
        const auto result = parseRosterFile(gb, QStringLiteral("a.csv"));
        VERIFY_OK(result);
        QCOMPARE(result->rows[0].name, QStringLiteral("王𠀀"));
    }

    void withAndWithoutBom()
    {
        const QString text = csvText({kHeader, validCells(1), validCells(2)});
        const auto withBom = parseRosterFile(utf8(text, true), QStringLiteral("a.csv"));
        const auto without = parseRosterFile(utf8(text, false), QStringLiteral("a.csv"));
        VERIFY_OK(withBom);
        VERIFY_OK(without);
        QCOMPARE(withBom->rows, (QList<RosterRow> {expectedRow(1, 2), expectedRow(2, 3)}));
        QCOMPARE(without->rows, withBom->rows);
        QCOMPARE(without->encoding, QStringLiteral("UTF-8"));
    }

    void lineEndings_data()
    {
        QTest::addColumn<QString>("eol");
        QTest::newRow("CRLF") << QStringLiteral("\r\n");
        QTest::newRow("LF") << QStringLiteral("\n");
        QTest::newRow("CR") << QStringLiteral("\r");
    }

    void lineEndings()
    {
        QFETCH(QString, eol);
        // Trailing empty lines, and a blank line in the middle, are no rows.
        const QString text = csvText({kHeader, validCells(1)}, QLatin1Char(','), eol) + eol
            + csvText({validCells(2)}, QLatin1Char(','), eol) + eol + eol + QStringLiteral(",,,") + eol;
        const auto result = parseRosterFile(utf8(text), QStringLiteral("a.csv"));
        VERIFY_OK(result);
        QCOMPARE(result->rows, (QList<RosterRow> {expectedRow(1, 2), expectedRow(2, 4)}));
    }

    void utf16()
    {
        // Excel's "Unicode text": UTF-16LE with a BOM, tab-separated.
        const QString text
            = csvText({kHeader, validCells(1), validCells(2)}, QLatin1Char('\t'), QStringLiteral("\r\n"));
        QStringEncoder le(QStringEncoder::Utf16LE, QStringEncoder::Flag::WriteBom);
        const auto fromLe = parseRosterFile(le.encode(text), QStringLiteral("名单.txt"));
        VERIFY_OK(fromLe);
        QCOMPARE(fromLe->encoding, QStringLiteral("UTF-16LE"));
        QCOMPARE(fromLe->rows, (QList<RosterRow> {expectedRow(1, 2), expectedRow(2, 3)}));

        QStringEncoder be(QStringEncoder::Utf16BE, QStringEncoder::Flag::WriteBom);
        const auto fromBe = parseRosterFile(be.encode(text), QStringLiteral("名单.txt"));
        VERIFY_OK(fromBe);
        QCOMPARE(fromBe->encoding, QStringLiteral("UTF-16BE"));
        QCOMPARE(fromBe->rows, fromLe->rows);

        QStringEncoder noBom(QStringEncoder::Utf16LE);
        const auto withoutBom = parseRosterFile(noBom.encode(text), QStringLiteral("名单.txt"));
        VERIFY_OK(withoutBom);
        QCOMPARE(withoutBom->rows, fromLe->rows);
    }

    void separators_data()
    {
        QTest::addColumn<QChar>("separator");
        QTest::newRow("comma") << QChar(u',');
        QTest::newRow("tab") << QChar(u'\t');
        QTest::newRow("semicolon") << QChar(u';');
    }

    void separators()
    {
        QFETCH(QChar, separator);
        // A comma inside a cell of a tab- or semicolon-separated file is just text.
        QStringList second = validCells(2);
        second[col(QStringLiteral("培训评价组织"))] = QStringLiteral("某公司,北京分公司");
        const QString text = csvText({kHeader, validCells(1), second}, separator);
        QCOMPARE(detectSeparator(text), separator);
        const auto result = parseRosterFile(utf8(text), QStringLiteral("a.csv"));
        VERIFY_OK(result);
        QCOMPARE(result->rows.size(), 2);
        QCOMPARE(result->rows[1].trainingOrganisation, QStringLiteral("某公司,北京分公司"));
    }

    // ---- CSV syntax ----------------------------------------------------------

    void quotedFields()
    {
        const QString header = kHeader.join(QLatin1Char(','));
        QStringList r1 = validCells(1);
        r1[col(QStringLiteral("班级"))] = QStringLiteral("\"软件\n2301\""); // spans lines 2–3
        QStringList r2 = validCells(2);
        r2[col(QStringLiteral("专业"))] = QStringLiteral("\"计算机应用技术,软件方向\"");
        r2[col(QStringLiteral("培训评价组织"))] = QStringLiteral("\"北京\"\"新大陆\"\"科技\"");
        r2[col(QStringLiteral("姓名"))] = QStringLiteral("  \"考生2\"  "); // spaces around a quoted cell
        QStringList r3 = validCells(3);
        r3[col(QStringLiteral("等级"))] = QStringLiteral("\"专家\r\n级\""); // spans lines 5–6, and is wrong
        QStringList r4 = validCells(4);
        r4[col(QStringLiteral("等级"))] = QStringLiteral("特级");
        const QString text = header + QStringLiteral("\r\n") + r1.join(u',') + QStringLiteral("\r\n")
            + r2.join(u',') + QStringLiteral("\r\n") + r3.join(u',') + QStringLiteral("\r\n") + r4.join(u',')
            + QStringLiteral("\r\n");

        const auto result = parseRosterFile(utf8(text), QStringLiteral("a.csv"));
        const QList<ImportProblem> problems = problemsOf(result);
        QCOMPARE(problems.size(), 2);
        QCOMPARE(problems[0].line, 5);
        QCOMPARE(problems[0].column, QStringLiteral("等级"));
        QCOMPARE(problems[1].line, 7);

        // Without the bad rows it parses, with the cells as written.
        const QString good = text.section(QStringLiteral("\r\n"), 0, 2) + QStringLiteral("\r\n");
        const auto ok = parseRosterFile(utf8(good), QStringLiteral("a.csv"));
        VERIFY_OK(ok);
        QCOMPARE(ok->rows.size(), 2);
        QCOMPARE(ok->rows[0].line, 2);
        QCOMPARE(ok->rows[0].className, QStringLiteral("软件\n2301"));
        QCOMPARE(ok->rows[1].line, 4);
        QCOMPARE(ok->rows[1].major, QStringLiteral("计算机应用技术,软件方向"));
        QCOMPARE(ok->rows[1].trainingOrganisation, QStringLiteral("北京\"新大陆\"科技"));
        QCOMPARE(ok->rows[1].name, QStringLiteral("考生2"));
    }

    void splitCsvDirectly()
    {
        ProblemCollector problems;
        const QList<SheetRow> rows
            = splitCsv(u"a,\"b\"\"c\",\"d\ne\"\n\n x ,,\"\"\n", QLatin1Char(','), problems);
        QVERIFY(problems.isEmpty());
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows[0].line, 1);
        QCOMPARE(rows[0].cells.size(), 3);
        QCOMPARE(rows[0].cells[1].text, QStringLiteral("b\"c"));
        QCOMPARE(rows[0].cells[2].text, QStringLiteral("d\ne"));
        QCOMPARE(rows[1].line, 4);
        QCOMPARE(rows[1].cells.size(), 3);
        QCOMPARE(rows[1].cells[0].text, QStringLiteral("x"));
    }

    void unclosedQuote()
    {
        QStringList r2 = validCells(2);
        r2[col(QStringLiteral("专业"))] = QStringLiteral("\"计算机应用技术");
        const QString text = csvText({kHeader, validCells(1)}) + r2.join(u',') + QStringLiteral("\n")
            + csvText({validCells(3), validCells(4)});
        VERIFY_ONLY_PROBLEM(
            parseRosterFile(utf8(text), QStringLiteral("a.csv")), 3, QString(), QStringLiteral("引号"));
    }

    void extraCellsFromAnUnquotedComma()
    {
        QStringList r1 = validCells(1);
        r1[col(QStringLiteral("结束时间"))] = QStringLiteral("11:00,备注");
        const QString text = kHeader.join(u',') + QStringLiteral("\n") + r1.join(u',') + QStringLiteral("\n");
        VERIFY_ONLY_PROBLEM(parseRosterFile(utf8(text), QStringLiteral("a.csv")), 2, QString(),
            QStringLiteral("多出 1 个单元格"));
    }

    void cellsAreTrimmedAndNormalised()
    {
        const auto result = parseRosterFile(
            roster(1,
                [](int, QStringList &c) {
                    c[col(QStringLiteral("姓名"))] = QStringLiteral("\u3000考生1\u00A0");
                    c[col(QStringLiteral("准考证号"))] = QStringLiteral("ｔ２０２６－０００１");
                    c[col(QStringLiteral("身份证号"))] = QStringLiteral("=\"%1\"").arg(idFor(1));
                    c[col(QStringLiteral("开始时间"))] = QStringLiteral("９：００");
                    c[col(QStringLiteral("等级"))] = QStringLiteral(" 中级\t");
                }),
            QStringLiteral("a.csv"));
        VERIFY_OK(result);
        QCOMPARE(result->rows, QList<RosterRow> {expectedRow(1, 2)});
    }

    void codesWithAnEAreNotScientific()
    {
        const auto result
            = parseRosterFile(roster(1,
                                  [](int, QStringList &c) {
                                      c[col(QStringLiteral("学号"))] = QStringLiteral("2022E001");
                                      c[col(QStringLiteral("准考证号"))] = QStringLiteral("2026E12");
                                  }),
                QStringLiteral("a.csv"));
        VERIFY_OK(result);
        QCOMPARE(result->rows[0].studentNumber, QStringLiteral("2022E001"));
    }

    void lowerCaseTicketAndIdAreUpperCased()
    {
        const auto result = parseRosterFile(
            roster(1,
                [](int, QStringList &c) {
                    c[col(QStringLiteral("准考证号"))] = QStringLiteral("kd-2026-a1");
                    c[col(QStringLiteral("身份证号"))] = QStringLiteral("35010220040315101x");
                }),
            QStringLiteral("a.csv"));
        VERIFY_OK(result);
        QCOMPARE(result->rows[0].ticketNumber, QStringLiteral("KD-2026-A1"));
        QCOMPARE(result->rows[0].idNumber, QStringLiteral("35010220040315101X"));
    }

    // ---- headers ---------------------------------------------------------------

    void headersInAnyOrderWithAliases()
    {
        // Reversed, aliases for every column that has one, an unknown column and an unnamed one.
        QStringList header;
        for (const RosterColumn &c : rosterColumns())
            header.append(c.aliases.isEmpty() ? c.name : c.aliases.last());
        header.append(QStringLiteral("备注"));
        header.append(QString());
        std::reverse(header.begin(), header.end());
        QList<QStringList> rows {header};
        for (int i = 1; i <= 2; ++i) {
            QStringList cells = validCells(i);
            cells.append(QStringLiteral("补考"));
            cells.append(QStringLiteral("无表头的一列"));
            std::reverse(cells.begin(), cells.end());
            rows.append(cells);
        }
        const auto result = parseRosterFile(utf8(csvText(rows)), QStringLiteral("a.csv"));
        VERIFY_OK(result);
        QCOMPARE(result->rows, (QList<RosterRow> {expectedRow(1, 2), expectedRow(2, 3)}));
        QCOMPARE(result->ignoredColumns, QStringList {QStringLiteral("备注")});
        QCOMPARE(result->columnHeaders.size(), kHeader.size());
        QCOMPARE(result->columnHeaders.value(QStringLiteral("身份证号")), QStringLiteral("证件号码"));
        QCOMPARE(result->columnHeaders.value(QStringLiteral("姓名")), QStringLiteral("姓名"));
    }

    void headerDecorations()
    {
        QStringList header = kHeader;
        header[col(QStringLiteral("姓名"))] = QStringLiteral("*姓名");
        header[col(QStringLiteral("考试日期"))] = QStringLiteral("考试日期（yyyy-mm-dd）");
        header[col(QStringLiteral("证书"))] = QStringLiteral("x证书");
        header[col(QStringLiteral("身份证号"))] = QStringLiteral("\u3000身份证 号 ");
        const auto result = parseRosterFile(utf8(csvText({header, validCells(1)})), QStringLiteral("a.csv"));
        VERIFY_OK(result);
        QCOMPARE(result->rows, QList<RosterRow> {expectedRow(1, 2)});
    }

    void titleRowAboveTheHeader()
    {
        QStringList title {QStringLiteral("2026年6月1+X证书考试名单")};
        title.resize(kHeader.size());
        const auto result
            = parseRosterFile(utf8(csvText({title, kHeader, validCells(1)})), QStringLiteral("a.csv"));
        VERIFY_OK(result);
        QCOMPARE(result->rows, QList<RosterRow> {expectedRow(1, 3)});
    }

    void missingColumns()
    {
        QStringList header = kHeader;
        const int idColumn = col(QStringLiteral("身份证号"));
        const int roomColumn = col(QStringLiteral("考场"));
        header.removeAt(roomColumn);
        header.removeAt(idColumn);
        QStringList cells = validCells(1);
        cells.removeAt(roomColumn);
        cells.removeAt(idColumn);
        const auto result = parseRosterFile(utf8(csvText({header, cells})), QStringLiteral("a.csv"));
        const QList<ImportProblem> problems = problemsOf(result);
        QCOMPARE(problems.size(), 2);
        QCOMPARE(problems[0].line, 1);
        QCOMPARE(problems[0].column, QString());
        QVERIFY2(
            problems[0].message.contains(QStringLiteral("缺少“身份证号”列")), qPrintable(describe(problems)));
        QVERIFY2(problems[0].message.contains(QStringLiteral("身份证号码")), "names the aliases");
        QCOMPARE(problems[1].line, 1);
        QVERIFY2(
            problems[1].message.contains(QStringLiteral("缺少“考场”列")), qPrintable(describe(problems)));
    }

    void optionalColumnsMayBeMissing()
    {
        QStringList header = kHeader;
        QStringList cells = validCells(1);
        for (const QString &name :
            {QStringLiteral("结束时间"), QStringLiteral("培训评价组织"), QStringLiteral("班级")}) {
            cells.removeAt(header.indexOf(name));
            header.removeAll(name);
        }
        const auto result = parseRosterFile(utf8(csvText({header, cells})), QStringLiteral("a.csv"));
        VERIFY_OK(result);
        QVERIFY(!result->rows[0].endTime.isValid());
        QVERIFY(result->rows[0].trainingOrganisation.isEmpty());
        QVERIFY(result->rows[0].className.isEmpty());
    }

    void duplicateHeader()
    {
        QStringList header = kHeader;
        header.append(QStringLiteral("学院"));
        QStringList cells = validCells(1);
        cells.append(QStringLiteral("信息工程学院"));
        VERIFY_ONLY_PROBLEM(parseRosterFile(utf8(csvText({header, cells})), QStringLiteral("a.csv")), 1,
            QStringLiteral("学院"), QStringLiteral("“二级学院”"));
    }

    void noHeaderAtAll()
    {
        const auto result
            = parseRosterFile(utf8(csvText({validCells(1), validCells(2)})), QStringLiteral("a.csv"));
        const QList<ImportProblem> problems = problemsOf(result);
        // The hint first, then one problem per required column.
        QCOMPARE(problems.size(), 1 + 13);
        QVERIFY(problems[0].message.contains(QStringLiteral("没有找到名单的表头")));
        for (const ImportProblem &p : problems)
            QCOMPARE(p.line, 1);
    }

    void headerOnly()
    {
        VERIFY_ONLY_PROBLEM(parseRosterFile(utf8(csvText({kHeader}), true), QStringLiteral("a.csv")), 0,
            QString(), QStringLiteral("文件中没有考生数据"));
        VERIFY_ONLY_PROBLEM(
            parseRosterFile(utf8(csvText({kHeader}) + QStringLiteral("\n,,,\n\n")), QStringLiteral("a.csv")),
            0, QString(), QStringLiteral("文件中没有考生数据"));
    }

    void footerRowIsOneProblem()
    {
        QStringList footer {QStringLiteral("合计：2 人")};
        footer.resize(kHeader.size());
        const QString text = csvText({kHeader, validCells(1), validCells(2), footer});
        const auto result = parseRosterFile(utf8(text), QStringLiteral("a.csv"));
        VERIFY_ONLY_PROBLEM(result, 4, QString(), QStringLiteral("可能是合计、备注或说明行"));
        QVERIFY(result.error()[0].message.contains(QStringLiteral("“姓名”、“身份证号”")));
        QVERIFY(!result.error()[0].message.contains(QStringLiteral("“准考证号”")));
    }

    // ---- one bad cell, one problem at its line and column --------------------

    void badCell_data()
    {
        QTest::addColumn<QString>("column");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("fragment");

        QTest::newRow("name empty") << QStringLiteral("姓名") << QString() << QStringLiteral("不能为空");
        QTest::newRow("site blank") << QStringLiteral("考点") << QStringLiteral("\u3000 ")
                                    << QStringLiteral("不能为空");
        QTest::newRow("ticket bad character") << QStringLiteral("准考证号") << QStringLiteral("T2026_01")
                                              << QStringLiteral("只能包含数字、英文字母和“-”，这里有“_”");
        QTest::newRow("ticket Chinese")
            << QStringLiteral("准考证号") << QStringLiteral("考2026") << QStringLiteral("只能包含");
        QTest::newRow("ticket too long")
            << QStringLiteral("准考证号") << QStringLiteral("123456789012345678901")
            << QStringLiteral("最长 20 位，这里有 21 位");
        QTest::newRow("ticket scientific")
            << QStringLiteral("准考证号") << QStringLiteral("2.02606E+12") << QStringLiteral("科学计数法");
        QTest::newRow("id checksum") << QStringLiteral("身份证号") << QStringLiteral("350102200403151238")
                                     << QStringLiteral("校验不通过");
        QTest::newRow("id zeros from Excel")
            << QStringLiteral("身份证号") << QStringLiteral("350102200403151000")
            << QStringLiteral("设为“文本”");
        QTest::newRow("id 17 characters") << QStringLiteral("身份证号") << QStringLiteral("35010220040315123")
                                          << QStringLiteral("应为 18 位，这里是 17 位");
        QTest::newRow("id 15 digits")
            << QStringLiteral("身份证号") << QStringLiteral("350102040315123") << QStringLiteral("15 位");
        QTest::newRow("id letters") << QStringLiteral("身份证号") << QStringLiteral("3501022004031512A9")
                                    << QStringLiteral("只能由数字组成");
        QTest::newRow("id X not last") << QStringLiteral("身份证号") << QStringLiteral("35010220040315X239")
                                       << QStringLiteral("只能由数字组成");
        QTest::newRow("id birth 30 Feb")
            << QStringLiteral("身份证号") << idWithBirth(QStringLiteral("20040230"))
            << QStringLiteral("出生日期");
        QTest::newRow("id birth 1899")
            << QStringLiteral("身份证号") << idWithBirth(QStringLiteral("18991231"))
            << QStringLiteral("出生日期");
        QTest::newRow("id born after the exam")
            << QStringLiteral("身份证号") << idWithBirth(QStringLiteral("20260602"))
            << QStringLiteral("晚于考试日期");
        QTest::newRow("id scientific")
            << QStringLiteral("身份证号") << QStringLiteral("3.50102E+17") << QStringLiteral("科学计数法");
        QTest::newRow("student scientific")
            << QStringLiteral("学号") << QStringLiteral("2.02203E+15") << QStringLiteral("科学计数法");
        QTest::newRow("level") << QStringLiteral("等级") << QStringLiteral("专家")
                               << QStringLiteral("“专家”");
        QTest::newRow("level English") << QStringLiteral("等级") << QStringLiteral("Junior")
                                       << QStringLiteral("只能是“初级”“中级”或“高级”");
        QTest::newRow("date US order")
            << QStringLiteral("考试日期") << QStringLiteral("6/1/2026") << QStringLiteral("无法识别");
        QTest::newRow("date month 13")
            << QStringLiteral("考试日期") << QStringLiteral("2026-13-01") << QStringLiteral("无法识别");
        QTest::newRow("date 31 June")
            << QStringLiteral("考试日期") << QStringLiteral("2026年6月31日") << QStringLiteral("无法识别");
        QTest::newRow("date mixed separators")
            << QStringLiteral("考试日期") << QStringLiteral("2026-6/1") << QStringLiteral("无法识别");
        QTest::newRow("date year") << QStringLiteral("考试日期") << QStringLiteral("1926-06-01")
                                   << QStringLiteral("年份不对");
        QTest::newRow("start 25h") << QStringLiteral("开始时间") << QStringLiteral("25:00")
                                   << QStringLiteral("无法识别");
        QTest::newRow("start dot") << QStringLiteral("开始时间") << QStringLiteral("9.30")
                                   << QStringLiteral("无法识别");
        QTest::newRow("start empty") << QStringLiteral("开始时间") << QString() << QStringLiteral("不能为空");
        QTest::newRow("end before start")
            << QStringLiteral("结束时间") << QStringLiteral("8:30") << QStringLiteral("不晚于开始时间 9:00");
        QTest::newRow("end equals start")
            << QStringLiteral("结束时间") << QStringLiteral("9时") << QStringLiteral("不晚于开始时间");
        QTest::newRow("end bad") << QStringLiteral("结束时间") << QStringLiteral("中午")
                                 << QStringLiteral("无法识别");
        QTest::newRow("major too long")
            << QStringLiteral("专业") << QString(101, QChar(u'专')) << QStringLiteral("太长");
    }

    void badCell()
    {
        QFETCH(QString, column);
        QFETCH(QString, value);
        QFETCH(QString, fragment);
        // Row 3 of four is the bad one.
        const QByteArray bytes = roster(4, [&](int i, QStringList &c) {
            if (i == 2)
                c[col(column)] = value;
        });
        VERIFY_ONLY_PROBLEM(parseRosterFile(bytes, QStringLiteral("a.csv")), 3, column, fragment);
    }

    void badCellsReportTheHeaderAsWritten()
    {
        QStringList header = kHeader;
        header[col(QStringLiteral("身份证号"))] = QStringLiteral("证件号码");
        QStringList cells = validCells(1);
        cells[col(QStringLiteral("身份证号"))] = QStringLiteral("123");
        VERIFY_ONLY_PROBLEM(parseRosterFile(utf8(csvText({header, cells})), QStringLiteral("a.csv")), 2,
            QStringLiteral("证件号码"), QStringLiteral("18 位"));
    }

    void problemsNeverRepeatAnIdNumber()
    {
        const QString bad = QStringLiteral("350102200403151238");
        const auto result = parseRosterFile(
            roster(1, [&](int, QStringList &c) { c[col(QStringLiteral("身份证号"))] = bad; }),
            QStringLiteral("a.csv"));
        const QList<ImportProblem> problems = problemsOf(result);
        QCOMPARE(problems.size(), 1);
        QVERIFY(!problems[0].message.contains(bad));
    }

    void everyProblemInARowAndAcrossRows()
    {
        const QByteArray bytes = roster(5, [](int i, QStringList &c) {
            if (i == 2) {
                c[col(QStringLiteral("开始时间"))] = QStringLiteral("九点");
                c[col(QStringLiteral("姓名"))] = QString();
                c[col(QStringLiteral("等级"))] = QStringLiteral("顶级");
            }
            if (i == 4) {
                c[col(QStringLiteral("考试日期"))] = QStringLiteral("明天");
                c[col(QStringLiteral("准考证号"))] = QStringLiteral("#1");
            }
        });
        const QList<ImportProblem> problems = problemsOf(parseRosterFile(bytes, QStringLiteral("a.csv")));
        QList<std::pair<int, QString>> where;
        for (const ImportProblem &p : problems)
            where.append({p.line, p.column});
        // Line by line, and left to right within a line.
        const QList<std::pair<int, QString>> expected = {
            {3, QStringLiteral("姓名")},
            {3, QStringLiteral("等级")},
            {3, QStringLiteral("开始时间")},
            {5, QStringLiteral("准考证号")},
            {5, QStringLiteral("考试日期")},
        };
        QVERIFY2(where == expected, qPrintable(describe(problems)));
    }

    void manyBadRowsAreAllCountedAndTheListCapped()
    {
        const QByteArray bytes = roster(
            250, [](int, QStringList &c) { c[col(QStringLiteral("等级"))] = QStringLiteral("特级"); });
        const QList<ImportProblem> problems = problemsOf(parseRosterFile(bytes, QStringLiteral("a.csv")));
        QCOMPARE(problems.size(), kMaxListedProblems + 1);
        for (int i = 0; i < kMaxListedProblems; ++i) {
            QCOMPARE(problems[i].line, i + 2);
            QCOMPARE(problems[i].column, QStringLiteral("等级"));
        }
        QCOMPARE(problems.last(), (ImportProblem {0, QString(), QStringLiteral("…还有 50 处错误")}));
    }

    void exactlyTwoHundredProblemsHaveNoSummary()
    {
        const QByteArray bytes = roster(
            200, [](int, QStringList &c) { c[col(QStringLiteral("等级"))] = QStringLiteral("特级"); });
        const QList<ImportProblem> problems = problemsOf(parseRosterFile(bytes, QStringLiteral("a.csv")));
        QCOMPARE(problems.size(), 200);
        QCOMPARE(problems.last().line, 201);
    }

    // ---- rules across rows -------------------------------------------------------

    void sameTicketTwice()
    {
        const QByteArray bytes = roster(4, [](int i, QStringList &c) {
            if (i == 4)
                c[col(QStringLiteral("准考证号"))] = QStringLiteral("t2026-0002"); // row 2's, in lower case
        });
        VERIFY_ONLY_PROBLEM(parseRosterFile(bytes, QStringLiteral("a.csv")), 5, QStringLiteral("准考证号"),
            QStringLiteral("与第 3 行重复"));
    }

    void samePersonTwiceInOneSession()
    {
        const QByteArray bytes = roster(3, [](int i, QStringList &c) {
            if (i == 3) {
                c = validCells(1);
                c[col(QStringLiteral("准考证号"))] = QStringLiteral("T2026-0003");
                c[col(QStringLiteral("座位号"))] = QStringLiteral("3");
            }
        });
        VERIFY_ONLY_PROBLEM(parseRosterFile(bytes, QStringLiteral("a.csv")), 4, QStringLiteral("身份证号"),
            QStringLiteral("已在第 2 行报名了同一场考试"));
    }

    void samePersonInAnotherSessionIsFine()
    {
        const QByteArray bytes = roster(2, [](int i, QStringList &c) {
            if (i == 2) {
                c = validCells(1);
                c[col(QStringLiteral("准考证号"))] = QStringLiteral("T2026-0002");
                c[col(QStringLiteral("证书"))] = QStringLiteral("数据采集");
                c[col(QStringLiteral("等级"))] = QStringLiteral("初级");
                c[col(QStringLiteral("开始时间"))] = QStringLiteral("14:00");
                c[col(QStringLiteral("结束时间"))] = QStringLiteral("16:00");
            }
        });
        const auto result = parseRosterFile(bytes, QStringLiteral("a.csv"));
        VERIFY_OK(result);
        QCOMPARE(result->rows.size(), 2);
    }

    void sameSeatTwiceInOneSession()
    {
        const QByteArray bytes = roster(3, [](int i, QStringList &c) {
            if (i == 3)
                c[col(QStringLiteral("座位号"))] = QStringLiteral("01"); // row 1's seat "1"
        });
        VERIFY_ONLY_PROBLEM(parseRosterFile(bytes, QStringLiteral("a.csv")), 4, QStringLiteral("座位号"),
            QStringLiteral("已分配给第 2 行的考生"));
    }

    void sameSeatInAnotherSessionIsFine()
    {
        const QByteArray bytes = roster(2, [](int i, QStringList &c) {
            if (i == 2) {
                c[col(QStringLiteral("座位号"))] = QStringLiteral("1");
                c[col(QStringLiteral("考试日期"))] = QStringLiteral("2026-06-02");
            }
        });
        VERIFY_OK(parseRosterFile(bytes, QStringLiteral("a.csv")));
    }

    void oneIdNumberTwoNames()
    {
        const QByteArray bytes = roster(3, [](int i, QStringList &c) {
            if (i == 3) {
                const QStringList first = validCells(1);
                c[col(QStringLiteral("身份证号"))] = first[col(QStringLiteral("身份证号"))];
                c[col(QStringLiteral("学号"))] = first[col(QStringLiteral("学号"))];
                c[col(QStringLiteral("证书"))] = QStringLiteral("数据采集"); // another session
            }
        });
        VERIFY_ONLY_PROBLEM(parseRosterFile(bytes, QStringLiteral("a.csv")), 4, QStringLiteral("姓名"),
            QStringLiteral("在第 2 行的姓名是“考生1”，这里是“考生3”"));
    }

    void oneIdNumberTwoStudentNumbers()
    {
        const QByteArray bytes = roster(3, [](int i, QStringList &c) {
            if (i == 3) {
                c = validCells(1);
                c[col(QStringLiteral("准考证号"))] = QStringLiteral("T2026-0003");
                c[col(QStringLiteral("学号"))] = QStringLiteral("2022999999");
                c[col(QStringLiteral("考试日期"))] = QStringLiteral("2026-06-08"); // another session
            }
        });
        VERIFY_ONLY_PROBLEM(parseRosterFile(bytes, QStringLiteral("a.csv")), 4, QStringLiteral("学号"),
            QStringLiteral("在第 2 行的学号是“2022000001”"));
    }

    void oneStudentNumberTwoPeople()
    {
        const QByteArray bytes = roster(3, [](int i, QStringList &c) {
            if (i == 3)
                c[col(QStringLiteral("学号"))] = validCells(2)[col(QStringLiteral("学号"))];
        });
        VERIFY_ONLY_PROBLEM(parseRosterFile(bytes, QStringLiteral("a.csv")), 4, QStringLiteral("学号"),
            QStringLiteral("在第 3 行已属于另一位考生"));
    }

    // ---- dates, times, ID numbers --------------------------------------------------

    void acceptedDates_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QDate>("date");
        const QDate d(2026, 6, 1);
        QTest::newRow("iso") << QStringLiteral("2026-06-01") << d;
        QTest::newRow("iso short") << QStringLiteral("2026-6-1") << d;
        QTest::newRow("slash") << QStringLiteral("2026/6/1") << d;
        QTest::newRow("slash padded") << QStringLiteral("2026/06/01") << d;
        QTest::newRow("dot") << QStringLiteral("2026.6.1") << d;
        QTest::newRow("chinese") << QStringLiteral("2026年6月1日") << d;
        QTest::newRow("chinese no day mark") << QStringLiteral("2026年06月01") << d;
        QTest::newRow("compact") << QStringLiteral("20260601") << d;
        QTest::newRow("with midnight") << QStringLiteral("2026/6/1 0:00") << d;
        QTest::newRow("full-width") << QStringLiteral("２０２６－０６－０１") << d;
        QTest::newRow("leap day") << QStringLiteral("2028-02-29") << QDate(2028, 2, 29);
    }

    void acceptedDates()
    {
        QFETCH(QString, text);
        QFETCH(QDate, date);
        QCOMPARE(parseExamDate(text), std::optional<QDate>(date));
        const auto result = parseRosterFile(
            roster(1, [&](int, QStringList &c) { c[col(QStringLiteral("考试日期"))] = text; }),
            QStringLiteral("a.csv"));
        VERIFY_OK(result);
        QCOMPARE(result->rows[0].examDate, date);
    }

    void refusedDates()
    {
        for (const QString &text :
            {QStringLiteral("2027-02-29"), QStringLiteral("2026-6"), QStringLiteral("26-06-01"),
                QStringLiteral("2026/6/1 9:00"), QStringLiteral("202661"), QString()})
            QVERIFY2(!parseExamDate(text), qPrintable(text));
    }

    void acceptedTimes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QTime>("time");
        QTest::newRow("H:mm") << QStringLiteral("9:00") << QTime(9, 0);
        QTest::newRow("HH:mm") << QStringLiteral("09:00") << QTime(9, 0);
        QTest::newRow("HH:mm:ss") << QStringLiteral("09:00:00") << QTime(9, 0);
        QTest::newRow("seconds") << QStringLiteral("13:45:30") << QTime(13, 45, 30);
        QTest::newRow("时分") << QStringLiteral("9时30分") << QTime(9, 30);
        QTest::newRow("时") << QStringLiteral("14时") << QTime(14, 0);
        QTest::newRow("点") << QStringLiteral("9点30") << QTime(9, 30);
        QTest::newRow("下午") << QStringLiteral("下午2时30分") << QTime(14, 30);
        QTest::newRow("上午 12") << QStringLiteral("上午12:15") << QTime(0, 15);
        QTest::newRow("PM") << QStringLiteral("2:30 PM") << QTime(14, 30);
        QTest::newRow("full-width colon") << QStringLiteral("14：00") << QTime(14, 0);
    }

    void acceptedTimes()
    {
        QFETCH(QString, text);
        QFETCH(QTime, time);
        QCOMPARE(parseClockTime(text), std::optional<QTime>(time));
    }

    void refusedTimes()
    {
        for (const QString &text :
            {QStringLiteral("24:00"), QStringLiteral("9:60"), QStringLiteral("9"), QStringLiteral("9:5"),
                QStringLiteral("下午13:00"), QStringLiteral("9.30"), QStringLiteral("九点"), QString()})
            QVERIFY2(!parseClockTime(text), qPrintable(text));
    }

    void idNumberChecksum_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<bool>("valid");
        // Valid ones: the check characters computed independently (Python, ISO 7064 MOD 11-2);
        // 11010519491231002X is the example printed in GB 11643-1999.
        QTest::newRow("GB example") << QStringLiteral("11010519491231002X") << true;
        QTest::newRow("福州 2004") << QStringLiteral("350102200403151239") << true;
        QTest::newRow("福州 2003") << QStringLiteral("350121200311082466") << true;
        QTest::newRow("深圳") << QStringLiteral("440304200501010013") << true;
        QTest::newRow("昆山") << QStringLiteral("320583200411205676") << true;
        QTest::newRow("check 0") << QStringLiteral("350102200403150009") << true;
        QTest::newRow("born on 29 Feb") << QStringLiteral("510107200402290124") << true;
        QTest::newRow("X 1") << QStringLiteral("35010220040315101X") << true;
        QTest::newRow("X 2") << QStringLiteral("35010220040315128X") << true;
        QTest::newRow("GB example, wrong check") << QStringLiteral("110105194912310021") << false;
        QTest::newRow("one digit changed") << QStringLiteral("350102200403151229") << false;
        QTest::newRow("digits swapped") << QStringLiteral("350102200403152139") << false;
        QTest::newRow("X where 9 belongs") << QStringLiteral("35010220040315123X") << false;
        QTest::newRow("0 where X belongs") << QStringLiteral("350102200403151010") << false;
    }

    void idNumberChecksum()
    {
        QFETCH(QString, id);
        QFETCH(bool, valid);
        QCOMPARE(idNumberProblem(id).isEmpty(), valid);
        QCOMPARE(idNumberCheckCharacter(QStringView(id).first(17)) == id.back(), valid);
    }

    void idCheckCharacterNeedsSeventeenDigits()
    {
        QVERIFY(idNumberCheckCharacter(u"3501022004031512").isNull());
        QVERIFY(idNumberCheckCharacter(u"35010220040315123X").isNull());
        QVERIFY(idNumberCheckCharacter(u"3501022004031512a").isNull());
        QCOMPARE(normaliseIdNumber(u" ３５０１０２２００４０３１５１０１ｘ "),
            QStringLiteral("35010220040315101X"));
    }

    void excelSerials()
    {
        QCOMPARE(dateFromExcelSerial(46174, false), std::optional<QDate>(QDate(2026, 6, 1)));
        QCOMPARE(dateFromExcelSerial(44712, true), std::optional<QDate>(QDate(2026, 6, 1)));
        QCOMPARE(dateFromExcelSerial(61, false), std::optional<QDate>(QDate(1900, 3, 1)));
        QVERIFY(!dateFromExcelSerial(46174.5, false));
        QVERIFY(!dateFromExcelSerial(0, false));
        QVERIFY(!dateFromExcelSerial(-3, false));
        QCOMPARE(timeFromExcelFraction(0.375), std::optional<QTime>(QTime(9, 0)));
        QCOMPARE(timeFromExcelFraction(14.5 / 24), std::optional<QTime>(QTime(14, 30)));
        QCOMPARE(timeFromExcelFraction(0.99999), std::optional<QTime>(QTime(23, 59, 59)));
        QVERIFY(!timeFromExcelFraction(1.0));
        QVERIFY(!timeFromExcelFraction(-0.1));
        QVERIFY(looksLikeScientific(u"3.50102E+17"));
        QVERIFY(looksLikeScientific(u"3.501021990010112e+17"));
        QVERIFY(!looksLikeScientific(u"350102200403151239"));
        QVERIFY(!looksLikeScientific(u"T2026E1"));
        QVERIFY(!looksLikeScientific(u"2022E001")); // a student number, not Excel's doing
    }

    // ---- refused files -------------------------------------------------------------

    void junk_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QString>("fragment");

        QByteArray random(4096, '\0');
        QRandomGenerator rng(20260601);
        for (char &c : random)
            c = static_cast<char>(rng.bounded(256));

        QTest::newRow("empty") << QByteArray() << QStringLiteral("a.csv") << QStringLiteral("文件是空的");
        QTest::newRow("BOM only") << QByteArray("\xEF\xBB\xBF") << QStringLiteral("a.csv")
                                  << QStringLiteral("没有内容");
        QTest::newRow("blank lines") << QByteArray(" \r\n\r\n,,,\r\n\t\r\n") << QStringLiteral("a.csv")
                                     << QStringLiteral("没有内容");
        QTest::newRow("empty workbook") << buildXlsx([](lxw_workbook *, lxw_worksheet *) {})
                                        << QStringLiteral("a.xlsx") << QStringLiteral("没有内容");
        QTest::newRow("too large") << QByteArray(kRosterMaxFileBytes + 1, 'a') << QStringLiteral("a.csv")
                                   << QStringLiteral("不能超过 20 MB");
        QTest::newRow("png") << QByteArray("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16) << QStringLiteral("名单.csv")
                             << QStringLiteral("图片");
        QTest::newRow("jpeg") << QByteArray("\xFF\xD8\xFF\xE0\0\x10JFIF", 10) << QStringLiteral("a.xlsx")
                              << QStringLiteral("图片");
        QTest::newRow("pdf") << QByteArray("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n") << QStringLiteral("a.csv")
                             << QStringLiteral("PDF");
        QTest::newRow("xls") << QByteArray("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0", 10)
                             << QStringLiteral("a.xls") << QStringLiteral("Excel 97-2003");
        QTest::newRow("rar") << QByteArray("Rar!\x1A\x07\x01\x00") << QStringLiteral("a.csv")
                             << QStringLiteral("压缩包");
        QTest::newRow("html xls") << QByteArray(
            "\xEF\xBB\xBF<html><body><table><tr><td>准考证号</td></tr></table>")
                                  << QStringLiteral("export.xls") << QStringLiteral("网页（HTML）");
        QTest::newRow("random") << random << QStringLiteral("a.csv") << QStringLiteral("不是文本格式");
        QTest::newRow("nul bytes") << QByteArray("准考证号,姓名\n\0\0\0\0\0\0\0\0\0\0\0", 30)
                                   << QStringLiteral("a.csv") << QStringLiteral("不是文本格式");
        QTest::newRow("csv named xlsx")
            << roster(1) << QStringLiteral("名单.XLSX") << QStringLiteral("扩展名是 .xlsx");
        QTest::newRow("utf-32") << QByteArray("\xFF\xFE\0\0a\0\0\0", 8) << QStringLiteral("a.csv")
                                << QStringLiteral("UTF-32");
        QTest::newRow("plain zip") << zipOf({{QStringLiteral("名单.csv"), roster(1)}})
                                   << QStringLiteral("a.zip") << QStringLiteral("ZIP 压缩包");
        QTest::newRow("zip named xlsx") << zipOf({{QStringLiteral("notes.txt"), "hello"}})
                                        << QStringLiteral("a.xlsx") << QStringLiteral("ZIP 压缩包");
        QTest::newRow("docx") << zipOf({{QStringLiteral("word/document.xml"), "<w:document/>"}})
                              << QStringLiteral("名单.docx") << QStringLiteral("Word 文档");
        QTest::newRow("zip header only")
            << QByteArray("PK\x03\x04garbage") << QStringLiteral("a.xlsx") << QStringLiteral("已损坏");
    }

    void junk()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, fileName);
        QFETCH(QString, fragment);
        VERIFY_ONLY_PROBLEM(parseRosterFile(bytes, fileName), 0, QString(), fragment);
    }

    void undecodableLines()
    {
        // A UTF-8 file (with BOM) with GB18030 bytes pasted into line 3.
        QByteArray bytes = roster(3);
        QList<QByteArray> lines = bytes.split('\n');
        const QByteArray gbName = QStringEncoder("GB18030").encode(QStringLiteral("考生2"));
        lines[2].replace(QStringLiteral("考生2").toUtf8(), gbName);
        VERIFY_ONLY_PROBLEM(parseRosterFile("\xEF\xBB\xBF" + lines.join('\n'), QStringLiteral("a.csv")), 3,
            QString(), QStringLiteral("不是"));
        // The same without a BOM: still mostly UTF-8, so still line 3.
        VERIFY_ONLY_PROBLEM(parseRosterFile(lines.join('\n'), QStringLiteral("a.csv")), 3, QString(),
            QStringLiteral("无法识别的字符"));

        // A GB18030 file with a broken byte sequence on line 4.
        const QByteArray gbRoster = QStringEncoder("GB18030").encode(QString::fromUtf8(roster(4)));
        QList<QByteArray> gb = gbRoster.split('\n');
        gb[3].append("\x81\x20");
        VERIFY_ONLY_PROBLEM(
            parseRosterFile(gb.join('\n'), QStringLiteral("a.csv")), 4, QString(), QStringLiteral("GB18030"));
    }

    void sameBytesSameHash()
    {
        const QByteArray bytes = roster(2);
        const auto a = parseRosterFile(bytes, QStringLiteral("a.csv"));
        const auto b = parseRosterFile(bytes, QStringLiteral("b.csv"));
        const auto c = parseRosterFile(roster(3), QStringLiteral("a.csv"));
        VERIFY_OK(a);
        VERIFY_OK(b);
        VERIFY_OK(c);
        QCOMPARE(a->sha256, b->sha256);
        QCOMPARE(a->sha256.size(), 64);
        QVERIFY(a->sha256 != c->sha256);
    }

    // ---- .xlsx -----------------------------------------------------------------------

    void xlsxSharedStrings()
    {
        const QByteArray bytes = buildXlsx([](lxw_workbook *wb, lxw_worksheet *ws) {
            const XlsxFormats f = addFormats(wb);
            writeXlsxHeader(ws, 0);
            for (int i = 1; i <= 3; ++i)
                writeXlsxRow(f, ws, static_cast<lxw_row_t>(i), i);
        });
        QVERIFY(!bytes.isEmpty());
        const auto result = parseRosterFile(bytes, QStringLiteral("名单.xlsx"));
        VERIFY_OK(result);
        QCOMPARE(result->format, RosterFormat::Xlsx);
        QCOMPARE(result->rows, (QList<RosterRow> {expectedRow(1, 2), expectedRow(2, 3), expectedRow(3, 4)}));
    }

    void xlsxInlineStrings()
    {
        // constant_memory mode writes inline strings (t="inlineStr").
        const QByteArray bytes = buildXlsx(
            [](lxw_workbook *wb, lxw_worksheet *ws) {
                const XlsxFormats f = addFormats(wb);
                writeXlsxHeader(ws, 0);
                for (int i = 1; i <= 2; ++i)
                    writeXlsxRow(f, ws, static_cast<lxw_row_t>(i), i);
            },
            true);
        QVERIFY(!bytes.isEmpty());
        const auto result = parseRosterFile(bytes, QStringLiteral("名单.xlsx"));
        VERIFY_OK(result);
        QCOMPARE(result->rows, (QList<RosterRow> {expectedRow(1, 2), expectedRow(2, 3)}));
    }

    void xlsxTitleRowAndGaps()
    {
        // A merged title in row 1, the header in row 2, an empty row 4: lines are Excel's rows.
        const QByteArray bytes = buildXlsx([](lxw_workbook *wb, lxw_worksheet *ws) {
            const XlsxFormats f = addFormats(wb);
            worksheet_merge_range(ws, 0, 0, 0, 15, "2026年6月1+X证书考试名单", nullptr);
            writeXlsxHeader(ws, 1);
            writeXlsxRow(f, ws, 2, 1);
            writeXlsxRow(f, ws, 4, 2);
        });
        const auto result = parseRosterFile(bytes, QStringLiteral("名单.xlsx"));
        VERIFY_OK(result);
        QCOMPARE(result->rows, (QList<RosterRow> {expectedRow(1, 3), expectedRow(2, 5)}));
    }

    void xlsxIdNumberStoredAsNumber()
    {
        const QByteArray bytes = buildXlsx([](lxw_workbook *wb, lxw_worksheet *ws) {
            const XlsxFormats f = addFormats(wb);
            writeXlsxHeader(ws, 0);
            writeXlsxRow(f, ws, 1, 1);
            writeXlsxRow(f, ws, 2, 2);
            worksheet_write_number(ws, 2, static_cast<lxw_col_t>(col(QStringLiteral("身份证号"))),
                350102200403151239.0, nullptr);
        });
        VERIFY_ONLY_PROBLEM(parseRosterFile(bytes, QStringLiteral("名单.xlsx")), 3,
            QStringLiteral("身份证号"), QStringLiteral("设为“文本”"));
    }

    void xlsxDateWithTime()
    {
        const QByteArray bytes = buildXlsx([](lxw_workbook *wb, lxw_worksheet *ws) {
            writeXlsxHeader(ws, 0);
            writeXlsxRow(addFormats(wb), ws, 1, 1);
            worksheet_write_number(
                ws, 1, static_cast<lxw_col_t>(col(QStringLiteral("考试日期"))), 46174.375, nullptr);
            worksheet_write_number(
                ws, 1, static_cast<lxw_col_t>(col(QStringLiteral("开始时间"))), 46174.375, nullptr);
        });
        const QList<ImportProblem> problems = problemsOf(parseRosterFile(bytes, QStringLiteral("名单.xlsx")));
        QCOMPARE(problems.size(), 2);
        QCOMPARE(problems[0].column, QStringLiteral("考试日期"));
        QVERIFY(problems[0].message.contains(QStringLiteral("带有时间")));
        QCOMPARE(problems[1].column, QStringLiteral("开始时间"));
        QVERIFY(problems[1].message.contains(QStringLiteral("带有日期")));
    }

    // A hand-written workbook: the first sheet in tab order is not sheet1.xml,
    // dates count from 1904, a shared string carries a phonetic run, one cell
    // is an error value.
    void xlsxHandWritten()
    {
        const auto bytes = handWrittenXlsx(QStringLiteral("<c r=\"L2\" t=\"s\"><v>2</v></c>"));
        const auto result = parseRosterFile(bytes, QStringLiteral("a.xlsx"));
        VERIFY_OK(result);
        QCOMPARE(result->rows, QList<RosterRow> {expectedRow(1, 2)});

        const auto withError = handWrittenXlsx(QStringLiteral("<c r=\"L2\" t=\"e\"><v>#N/A</v></c>"));
        VERIFY_ONLY_PROBLEM(parseRosterFile(withError, QStringLiteral("a.xlsx")), 2, QStringLiteral("考场"),
            QStringLiteral("#N/A"));
    }

    void xlsxDamaged()
    {
        const QByteArray good = buildXlsx([](lxw_workbook *wb, lxw_worksheet *ws) {
            writeXlsxHeader(ws, 0);
            writeXlsxRow(addFormats(wb), ws, 1, 1);
        });
        VERIFY_OK(parseRosterFile(good, QStringLiteral("a.xlsx")));
        VERIFY_ONLY_PROBLEM(parseRosterFile(good.left(good.size() / 2), QStringLiteral("a.xlsx")), 0,
            QString(), QStringLiteral("已损坏"));
        // Damage the packed worksheet: its local header names it, its data follows.
        const qsizetype at = good.indexOf("xl/worksheets/sheet1.xml");
        QVERIFY(at > 0);
        QByteArray flipped = good;
        for (qsizetype i = at + 40; i < at + 90; ++i)
            flipped[i] = static_cast<char>(flipped[i] ^ 0x5A);
        VERIFY_ONLY_PROBLEM(
            parseRosterFile(flipped, QStringLiteral("a.xlsx")), 0, QString(), QStringLiteral("已损坏"));
    }

    void xlsxPartTooLarge()
    {
        // 65 MiB of sheet XML deflates to well under the 20 MiB file limit.
        QByteArray huge = "<worksheet><sheetData>";
        huge += QByteArray(kXlsxMaxPartBytes + 1024, ' ');
        huge += "</sheetData></worksheet>";
        const QByteArray bytes = zipOf({
            {QStringLiteral("xl/workbook.xml"),
                "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
                "<sheets><sheet name=\"a\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"},
            {QStringLiteral("xl/_rels/workbook.xml.rels"),
                "<Relationships><Relationship Id=\"rId1\" "
                "Type=\"http://schemas.openxmlformats.org/officeDocument/"
                "2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"},
            {QStringLiteral("xl/worksheets/sheet1.xml"), huge},
        });
        QVERIFY(bytes.size() < kRosterMaxFileBytes);
        VERIFY_ONLY_PROBLEM(
            parseRosterFile(bytes, QStringLiteral("a.xlsx")), 0, QString(), QStringLiteral("太大"));
    }

private:
    static QString idWithBirth(const QString &yyyymmdd)
    {
        const QString first17 = QStringLiteral("350102") + yyyymmdd + QStringLiteral("123");
        return first17 + idNumberCheckCharacter(first17);
    }

    // Row 1 header and row 2 = validCells(1); the 考场 cell (column L) is `roomCell`.
    static QByteArray handWrittenXlsx(const QString &roomCell)
    {
        // Shared strings: 0 the header's 考场, 1 unused, 2 "01" with a phonetic run.
        QString sheet
            = QStringLiteral("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                             "<sheetData><row r=\"1\">");
        const QStringList cells = validCells(1);
        const auto ref = [](int c, int row) { return QString(QChar(u'A' + c)) + QString::number(row); };
        for (int c = 0; c < kHeader.size(); ++c) {
            if (kHeader[c] == QStringLiteral("考场"))
                sheet += QStringLiteral("<c r=\"%1\" t=\"s\"><v>0</v></c>").arg(ref(c, 1));
            else
                sheet += QStringLiteral("<c r=\"%1\" t=\"inlineStr\"><is><t>%2</t></is></c>")
                             .arg(ref(c, 1), kHeader[c]);
        }
        sheet += QStringLiteral("</row><row r=\"2\">");
        for (int c = 0; c < kHeader.size(); ++c) {
            const QString &name = kHeader[c];
            if (name == QStringLiteral("考场"))
                sheet += roomCell;
            else if (name == QStringLiteral("考试日期")) // the 1904 date system
                sheet += QStringLiteral("<c r=\"%1\" s=\"1\"><v>44712</v></c>").arg(ref(c, 2));
            else if (name == QStringLiteral("开始时间"))
                sheet += QStringLiteral("<c r=\"%1\"><v>0.375</v></c>").arg(ref(c, 2));
            else if (name == QStringLiteral("结束时间"))
                sheet += QStringLiteral("<c r=\"%1\" t=\"n\"><v>0.45833333333333331</v></c>").arg(ref(c, 2));
            else if (name == QStringLiteral("姓名")) // rich text in two runs
                sheet += QStringLiteral(
                    "<c r=\"%1\" t=\"inlineStr\"><is><r><t>考</t></r><r><rPr><b/></rPr><t>生1</t></r>"
                    "</is></c>")
                             .arg(ref(c, 2));
            else
                sheet += QStringLiteral(
                    "<c r=\"%1\" t=\"inlineStr\"><is><t xml:space=\"preserve\"> %2 </t></is></c>")
                             .arg(ref(c, 2), cells[c].toHtmlEscaped());
        }
        sheet += QStringLiteral("</row></sheetData></worksheet>");

        const QByteArray decoy
            = "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>准考证号</t>"
              "</is></c></row></sheetData></worksheet>";
        return zipOf({
            {QStringLiteral("[Content_Types].xml"), "<Types/>"},
            {QStringLiteral("_rels/.rels"),
                "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                "<Relationship Id=\"rId1\" "
                "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                "officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"},
            {QStringLiteral("xl/workbook.xml"),
                "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
                "<workbookPr date1904=\"1\"/><sheets>"
                "<sheet name=\"名单\" sheetId=\"2\" r:id=\"rId2\"/><sheet name=\"旧\" sheetId=\"1\" "
                "r:id=\"rId1\"/>"
                "</sheets></workbook>"},
            {QStringLiteral("xl/_rels/workbook.xml.rels"),
                "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                "<Relationship Id=\"rId1\" "
                "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                "<Relationship Id=\"rId2\" "
                "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                "worksheet\" Target=\"/xl/worksheets/sheet2.xml\"/>"
                "<Relationship Id=\"rId3\" "
                "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                "sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>"},
            {QStringLiteral("xl/sharedStrings.xml"),
                QStringLiteral(
                    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                    "<si><t>考场</t><rPh sb=\"0\" eb=\"2\"><t>kao chang</t></rPh></si>"
                    "<si><t>unused</t></si>"
                    "<si><r><t>0</t></r><r><t>1</t></r><rPh sb=\"0\" eb=\"1\"><t>ling yi</t></rPh></si>"
                    "</sst>")
                    .toUtf8()},
            {QStringLiteral("xl/worksheets/sheet1.xml"), decoy},
            {QStringLiteral("xl/worksheets/sheet2.xml"), sheet.toUtf8()},
        });
    }
};

QTEST_GUILESS_MAIN(TestRosterImport)
#include "tst_rosterimport.moc"
