#include "import/rosterimport.h"

#include "import/csvreader.h"
#include "import/rosterfields.h"
#include "import/sheet.h"
#include "import/sheetfile.h"
#include "import/xlsxreader.h"

#include <QCryptographicHash>
#include <QHash>
#include <QLoggingCategory>
#include <QRegularExpression>

#include <algorithm>
#include <array>
#include <cmath>

namespace kaodian::server {

Q_LOGGING_CATEGORY(lcRosterImport, "kaodian.import.roster")

namespace {

// Indexes into rosterColumns(), in its order.
enum Field : int {
    Ticket,
    Name,
    IdNumber,
    StudentNumber,
    Major,
    ClassName,
    College,
    Certificate,
    Level,
    TrainingOrganisation,
    Site,
    Room,
    Seat,
    ExamDate,
    StartTime,
    EndTime,
    FieldCount
};

const QString kResave
    = QStringLiteral("请在 Excel 中打开名单，另存为“Excel 工作簿(.xlsx)”或“CSV UTF-8(逗号分隔)”后重新导入。");
const QString kAsText = QStringLiteral("请把这一列的单元格格式设为“文本”后重新输入。");

QString quoted(const QString &s)
{
    return QStringLiteral("“%1”").arg(s);
}

struct Sheet
{
    QList<SheetRow> rows;
    bool csv = true;
    bool date1904 = false;
    QString encoding;
};

// A problem within one row, kept until the row is done so that the row's
// problems are listed left to right.
struct RowProblem
{
    int column = 0;
    QString header;
    QString message;
};

// Checks a sheet's rows against the roster's columns and each other. Belongs
// to one parse.
class RosterChecker
{
public:
    RosterChecker(const Sheet &sheet, ProblemCollector &problems) : m_sheet(sheet), m_problems(problems)
    {
        m_column.fill(-1);
    }

    // Fills file->rows and file->ignoredColumns; problems go to the collector.
    void check(RosterFile *file)
    {
        const qsizetype headerIndex = findHeader();
        if (headerIndex < 0) {
            m_problems.addForFile(QStringLiteral("文件中没有内容。请检查是否选对了文件。"));
            return;
        }
        const SheetRow &header = m_sheet.rows.at(headerIndex);
        if (!mapColumns(header, &file->ignoredColumns))
            return;
        for (int f = 0; f < FieldCount; ++f) {
            if (m_column[f] >= 0)
                file->columnHeaders.insert(rosterColumns().at(f).name, m_header[f]);
        }
        if (headerIndex + 1 == m_sheet.rows.size()) {
            m_problems.addForFile(QStringLiteral("文件中没有考生数据：表头下面没有任何考生行。"));
            return;
        }
        for (qsizetype i = headerIndex + 1; i < m_sheet.rows.size(); ++i) {
            if (auto row = checkRow(m_sheet.rows.at(i)))
                file->rows.append(std::move(*row));
        }
    }

private:
    [[nodiscard]] static int recognised(const SheetRow &row)
    {
        int n = 0;
        for (const SheetCell &cell : row.cells)
            n += fieldOfHeader(cell.text) >= 0;
        return n;
    }

    [[nodiscard]] static int fieldOfHeader(const QString &text)
    {
        static const QHash<QString, int> kFields = [] {
            QHash<QString, int> fields;
            const QList<RosterColumn> &columns = rosterColumns();
            for (int f = 0; f < columns.size(); ++f) {
                fields.insert(headerKey(columns[f].name), f);
                for (const QString &alias : columns[f].aliases)
                    fields.insert(headerKey(alias), f);
            }
            return fields;
        }();
        return kFields.value(headerKey(text), -1);
    }

    // The header is the first row, unless rows above it hold a single cell
    // each (a title such as "2026年6月1+X考试名单") and no column name.
    [[nodiscard]] qsizetype findHeader() const
    {
        const QList<SheetRow> &rows = m_sheet.rows;
        if (rows.isEmpty())
            return -1;
        for (qsizetype i = 0; i < std::min<qsizetype>(rows.size(), 4); ++i) {
            if (recognised(rows[i]) > 0)
                return i;
            const auto filled = std::count_if(rows[i].cells.cbegin(), rows[i].cells.cend(),
                [](const SheetCell &c) { return !c.text.isEmpty(); });
            if (filled > 1)
                break;
        }
        return 0;
    }

    bool mapColumns(const SheetRow &header, QStringList *ignored)
    {
        const QList<RosterColumn> &columns = rosterColumns();
        const int line = header.line;
        if (recognised(header) == 0) {
            QString message
                = QStringLiteral("没有找到名单的表头：第一行应当是列名，如“准考证号”“姓名”“身份证号”。"
                                 "请使用名单模板的表头。");
            if (m_sheet.encoding == u"GB18030")
                message += QStringLiteral("如果表头看起来是乱码，可能是文件编码不对，") + kResave;
            m_problems.add(line, QString(), message);
        }
        for (const SheetCell &cell : header.cells) {
            if (cell.text.isEmpty())
                continue;
            m_headerWidth = cell.column + 1;
            const int f = fieldOfHeader(cell.text);
            if (f < 0) {
                ignored->append(cell.text);
                continue;
            }
            if (m_column[f] >= 0) {
                m_problems.add(line, cell.text,
                    QStringLiteral("这一列与%1列重复（都表示%2），请删除其中一列。")
                        .arg(quoted(m_header[f]), quoted(columns[f].name)));
                continue;
            }
            m_column[f] = cell.column;
            m_header[f] = cell.text;
            m_fieldOfColumn.insert(cell.column, f);
        }
        bool any = false;
        for (int f = 0; f < FieldCount; ++f) {
            any = any || m_column[f] >= 0;
            if (m_column[f] >= 0 || !columns[f].required)
                continue;
            QString message = QStringLiteral("缺少%1列。").arg(quoted(columns[f].name));
            if (!columns[f].aliases.isEmpty()) {
                QStringList names;
                for (const QString &alias : columns[f].aliases)
                    names.append(quoted(alias));
                message += QStringLiteral("（也可以写作%1）").arg(names.join(QStringLiteral("或")));
            }
            m_problems.add(line, QString(), message);
        }
        return any;
    }

    // One cell of the current row: its text, or nullopt when it cannot be used
    // (the problem, if any, already noted). An empty optional column gives "".
    std::optional<QString> text(Field f)
    {
        const RosterColumn &spec = rosterColumns().at(f);
        if (m_column[f] < 0)
            return spec.required ? std::nullopt : std::optional<QString>(QString());
        const SheetCell *cell = m_cells[f];
        if (cell == nullptr || cell->text.isEmpty()) {
            if (!spec.required)
                return QString();
            note(f, QStringLiteral("%1不能为空。").arg(quoted(m_header[f])));
            return std::nullopt;
        }
        if (cell->kind == SheetCell::Kind::Error) {
            note(f, QStringLiteral("单元格是公式的错误值 %1，请改为实际内容。").arg(cell->text));
            return std::nullopt;
        }
        const bool code = f == Ticket || f == IdNumber || f == StudentNumber;
        if (code
            && (looksLikeScientific(cell->text)
                || (cell->kind == SheetCell::Kind::Number
                    && (cell->text.contains(u'E', Qt::CaseInsensitive) || longNumber(cell->text))))) {
            note(f,
                QStringLiteral("%1被 Excel 当成了数字，显示成了科学计数法或丢失了后几位。")
                        .arg(quoted(m_header[f]))
                    + kAsText);
            return std::nullopt;
        }
        if (cell->text.size() > kRosterMaxCellLength) {
            note(f,
                QStringLiteral("内容太长（超过 %1 个字），请检查是否把几列内容填到了一起。")
                    .arg(kRosterMaxCellLength));
            return std::nullopt;
        }
        return cell->text;
    }

    void note(Field f, const QString &message)
    {
        m_rowProblems.append(RowProblem {m_column[f], m_header[f], message});
    }

    [[nodiscard]] double number(Field f) const
    {
        const SheetCell *cell = m_cells[f];
        bool ok = false;
        const double v
            = cell != nullptr && cell->kind == SheetCell::Kind::Number ? cell->text.toDouble(&ok) : 0;
        return ok ? v : std::nan("");
    }

    [[nodiscard]] bool isNumber(Field f) const
    {
        return m_cells[f] != nullptr && m_cells[f]->kind == SheetCell::Kind::Number;
    }

    std::optional<QDate> examDate()
    {
        const auto t = text(ExamDate);
        if (!t)
            return std::nullopt;
        std::optional<QDate> date;
        if (isNumber(ExamDate)) {
            const double v = number(ExamDate);
            if (v >= 1 && v != std::floor(v)) {
                note(ExamDate, QStringLiteral("考试日期单元格里还带有时间，请只填日期。"));
                return std::nullopt;
            }
            date = dateFromExcelSerial(v, m_sheet.date1904);
        } else {
            date = parseExamDate(*t);
        }
        if (!date) {
            note(ExamDate,
                QStringLiteral("考试日期%1无法识别。请写成 2026-06-01、2026/6/1、2026.6.1、"
                               "2026年6月1日 或 20260601。")
                    .arg(quoted(*t)));
            return std::nullopt;
        }
        if (date->year() < 2000 || date->year() > 2099) {
            note(ExamDate,
                QStringLiteral("考试日期 %1 的年份不对，请检查。").arg(date->toString(Qt::ISODate)));
            return std::nullopt;
        }
        return date;
    }

    // nullopt: unusable (problem noted); an invalid QTime: optional and absent.
    std::optional<QTime> clockTime(Field f)
    {
        const auto t = text(f);
        if (!t || t->isEmpty())
            return t ? std::optional<QTime>(QTime()) : std::nullopt;
        std::optional<QTime> time;
        if (isNumber(f)) {
            const double v = number(f);
            if (v >= 1) {
                note(f,
                    QStringLiteral("%1单元格里带有日期，请只填时间（如 9:00）。").arg(quoted(m_header[f])));
                return std::nullopt;
            }
            time = timeFromExcelFraction(v);
        } else {
            time = parseClockTime(*t);
        }
        if (!time) {
            note(f,
                QStringLiteral("%1%2无法识别。请写成 9:00、09:00、09:00:00 或 9时30分。")
                    .arg(quoted(m_header[f]), quoted(*t)));
            return std::nullopt;
        }
        return time;
    }

    // A row with most required cells empty is a total, a note or a half-typed
    // row: one problem naming the empty columns says more than one per cell.
    bool mostlyEmpty(int line)
    {
        const QList<RosterColumn> &columns = rosterColumns();
        int present = 0;
        QStringList empty;
        for (int f = 0; f < FieldCount; ++f) {
            if (!columns[f].required || m_column[f] < 0)
                continue;
            ++present;
            if (m_cells[f] == nullptr || m_cells[f]->text.isEmpty())
                empty.append(quoted(m_header[f]));
        }
        if (present < 4 || empty.size() * 2 <= present)
            return false;
        m_problems.add(line, QString(),
            QStringLiteral("这一行的必填项大多是空的（%1 都没有填），可能是合计、备注或说明行。"
                           "请删除这一行，或把它填写完整。")
                .arg(empty.join(QStringLiteral("、"))));
        return true;
    }

    std::optional<RosterRow> checkRow(const SheetRow &sheetRow)
    {
        m_cells.fill(nullptr);
        m_rowProblems.clear();
        qsizetype extra = 0;
        for (const SheetCell &cell : sheetRow.cells) {
            if (const auto it = m_fieldOfColumn.constFind(cell.column); it != m_fieldOfColumn.cend())
                m_cells[*it] = &cell;
            else if (m_sheet.csv && cell.column >= m_headerWidth && !cell.text.isEmpty())
                ++extra;
        }
        if (mostlyEmpty(sheetRow.line))
            return std::nullopt;

        RosterRow row;
        row.line = sheetRow.line;
        bool ok = true;
        const auto take = [&](Field f, QString *out) {
            const auto t = text(f);
            if (t)
                *out = *t;
            ok = ok && t.has_value();
            return t.has_value();
        };

        if (take(Ticket, &row.ticketNumber)) {
            row.ticketNumber = normaliseTicketNumber(row.ticketNumber);
            if (const QString problem = ticketNumberProblem(row.ticketNumber); !problem.isEmpty()) {
                note(Ticket, problem);
                ok = false;
            }
        }
        take(Name, &row.name);
        const auto date = examDate();
        if (date)
            row.examDate = *date;
        else
            ok = false;
        if (take(IdNumber, &row.idNumber)) {
            row.idNumber = normaliseIdNumber(row.idNumber);
            if (const QString problem = idNumberProblem(row.idNumber, row.examDate); !problem.isEmpty()) {
                note(IdNumber, problem);
                ok = false;
            }
        }
        if (take(StudentNumber, &row.studentNumber))
            row.studentNumber = toHalfWidth(row.studentNumber).trimmed();
        take(Major, &row.major);
        if (take(ClassName, &row.className))
            row.className = toHalfWidth(row.className).trimmed();
        take(College, &row.college);
        take(Certificate, &row.certificate);
        QString levelText;
        bool levelOk = false;
        if (take(Level, &levelText)) {
            if (const auto level = levelFromName(levelText)) {
                row.level = *level;
                levelOk = true;
            } else {
                note(Level,
                    QStringLiteral("等级只能是“初级”“中级”或“高级”，这里是%1。").arg(quoted(levelText)));
                ok = false;
            }
        }
        take(TrainingOrganisation, &row.trainingOrganisation);
        take(Site, &row.site);
        if (take(Room, &row.room))
            row.room = toHalfWidth(row.room).trimmed();
        if (take(Seat, &row.seat))
            row.seat = toHalfWidth(row.seat).trimmed();
        const auto start = clockTime(StartTime);
        const auto end = clockTime(EndTime);
        if (start)
            row.startTime = *start;
        if (end)
            row.endTime = *end;
        ok = ok && start && end;
        if (start && end && end->isValid() && *end <= *start) {
            note(EndTime,
                QStringLiteral("结束时间 %1 不晚于开始时间 %2，请检查。")
                    .arg(end->toString(QStringLiteral("H:mm")), start->toString(QStringLiteral("H:mm"))));
            ok = false;
        }

        std::stable_sort(m_rowProblems.begin(), m_rowProblems.end(),
            [](const RowProblem &a, const RowProblem &b) { return a.column < b.column; });
        if (extra > 0) {
            m_problems.add(row.line, QString(),
                QStringLiteral("这一行比表头多出 %1 个单元格，可能某个单元格里的逗号没有用英文双引号括起来，"
                               "导致后面的内容错位。请检查这一行。")
                    .arg(extra));
            ok = false;
        }
        for (const RowProblem &p : std::as_const(m_rowProblems))
            m_problems.add(row.line, p.header, p.message);

        ok = checkAgainstEarlierRows(row, date.has_value() && start.has_value() && levelOk) && ok;
        if (!ok)
            return std::nullopt;
        return row;
    }

    // Rules across rows, each on values that passed their own checks.
    // sessionFieldsOk: the exam date, start time and level are valid.
    bool checkAgainstEarlierRows(const RosterRow &row, bool sessionFieldsOk)
    {
        const bool ticketOk = !row.ticketNumber.isEmpty() && ticketNumberProblem(row.ticketNumber).isEmpty();
        const bool idOk = !row.idNumber.isEmpty() && idNumberProblem(row.idNumber, row.examDate).isEmpty();
        bool ok = true;
        const auto add = [&](Field f, const QString &message) {
            m_problems.add(row.line, m_header[f], message);
            ok = false;
        };

        if (ticketOk) {
            if (const int first = m_ticketLines.value(row.ticketNumber); first > 0)
                add(Ticket, QStringLiteral("准考证号 %1 与第 %2 行重复。").arg(row.ticketNumber).arg(first));
            else
                m_ticketLines.insert(row.ticketNumber, row.line);
        }

        // The same person: one name and one student number throughout the file.
        if (idOk) {
            const auto it = m_people.constFind(row.idNumber);
            if (it == m_people.cend()) {
                m_people.insert(row.idNumber, Person {row.line, row.name, row.studentNumber});
            } else {
                if (!row.name.isEmpty() && !it->name.isEmpty() && row.name != it->name)
                    add(Name,
                        QStringLiteral("这个身份证号在第 %1 行的姓名是%2，这里是%3。同一个人的姓名应当一致。")
                            .arg(it->line)
                            .arg(quoted(it->name), quoted(row.name)));
                if (!row.studentNumber.isEmpty() && !it->studentNumber.isEmpty()
                    && row.studentNumber != it->studentNumber)
                    add(StudentNumber,
                        QStringLiteral("这个身份证号在第 %1 行的学号是%2，这里是%3。同一个人的学号应当一致。")
                            .arg(it->line)
                            .arg(quoted(it->studentNumber), quoted(row.studentNumber)));
            }
            if (!row.studentNumber.isEmpty()) {
                const auto owner = m_studentOwners.constFind(row.studentNumber);
                if (owner == m_studentOwners.cend())
                    m_studentOwners.insert(row.studentNumber, {row.line, row.idNumber});
                else if (owner->second != row.idNumber)
                    add(StudentNumber,
                        QStringLiteral("学号%1在第 %2 行已属于另一位考生（身份证号不同）。")
                            .arg(quoted(row.studentNumber))
                            .arg(owner->first));
            }
        }

        // One session: the same certificate and level of the same college, at
        // the same site, date and start time.
        const bool sessionOk = sessionFieldsOk && !row.certificate.isEmpty() && !row.college.isEmpty()
            && !row.site.isEmpty() && row.startTime.isValid();
        if (!sessionOk)
            return ok;
        const QString session = QStringList {row.certificate, levelName(row.level), row.college, row.site,
            row.examDate.toString(Qt::ISODate), row.startTime.toString(QStringLiteral("HH:mm:ss"))}
                                    .join(QChar(0x1F));
        if (idOk) {
            const QString key = session + QChar(0x1F) + row.idNumber;
            if (const int first = m_idInSession.value(key); first > 0)
                add(IdNumber,
                    QStringLiteral("这位考生（身份证号相同）已在第 %1 行报名了同一场考试"
                                   "（证书、等级、二级学院、考点、考试日期和开始时间都相同）。")
                        .arg(first));
            else
                m_idInSession.insert(key, row.line);
        }
        if (!row.room.isEmpty() && !row.seat.isEmpty()) {
            const QString key = session + QChar(0x1F) + seatKey(row.room) + QChar(0x1F) + seatKey(row.seat);
            if (const int first = m_seatInSession.value(key); first > 0)
                add(Seat,
                    QStringLiteral("同一场考试中，考场%1的座位%2已分配给第 %3 行的考生。")
                        .arg(quoted(row.room), quoted(row.seat))
                        .arg(first));
            else
                m_seatInSession.insert(key, row.line);
        }
        return ok;
    }

    // "07" and "7" are the same room or seat.
    static QString seatKey(const QString &s)
    {
        qsizetype zeros = 0;
        while (zeros + 1 < s.size() && s[zeros] == u'0' && s[zeros + 1].isDigit())
            ++zeros;
        return s.mid(zeros).toUpper();
    }

    struct Person
    {
        int line = 0;
        QString name;
        QString studentNumber;
    };

    const Sheet &m_sheet;
    ProblemCollector &m_problems;
    std::array<int, FieldCount> m_column {}; // sheet column of each field, -1 if absent
    std::array<QString, FieldCount> m_header; // header as written
    QHash<int, int> m_fieldOfColumn;
    int m_headerWidth = 0;
    std::array<const SheetCell *, FieldCount> m_cells {}; // the current row's cells
    QList<RowProblem> m_rowProblems; // the current row's own problems
    QHash<QString, int> m_ticketLines;
    QHash<QString, Person> m_people; // by ID number
    QHash<QString, std::pair<int, QString>> m_studentOwners; // student number -> line, ID number
    QHash<QString, int> m_idInSession;
    QHash<QString, int> m_seatInSession;
};

} // namespace

const QList<RosterColumn> &rosterColumns()
{
    static const QList<RosterColumn> columns = {
        {QStringLiteral("准考证号"), {QStringLiteral("准考证编号")}, true},
        {QStringLiteral("姓名"), {}, true},
        {QStringLiteral("身份证号"), {QStringLiteral("身份证号码"), QStringLiteral("证件号码")}, true},
        {QStringLiteral("学号"), {}, true},
        {QStringLiteral("专业"), {QStringLiteral("专业名称")}, true},
        {QStringLiteral("班级"), {}, false},
        {QStringLiteral("二级学院"), {QStringLiteral("学院"), QStringLiteral("所在学院")}, true},
        {QStringLiteral("证书"), {QStringLiteral("证书名称"), QStringLiteral("X证书")}, true},
        {QStringLiteral("等级"), {QStringLiteral("证书等级")}, true},
        {QStringLiteral("培训评价组织"), {}, false},
        {QStringLiteral("考点"), {QStringLiteral("考点名称")}, true},
        {QStringLiteral("考场"), {QStringLiteral("考场号")}, true},
        {QStringLiteral("座位号"), {QStringLiteral("座位")}, true},
        {QStringLiteral("考试日期"), {QStringLiteral("日期")}, true},
        {QStringLiteral("开始时间"), {}, true},
        {QStringLiteral("结束时间"), {}, false},
    };
    return columns;
}

Result<RosterFile, QList<ImportProblem>> parseRosterFile(const QByteArray &bytes, const QString &fileName)
{
    ProblemCollector problems;
    if (bytes.isEmpty()) {
        problems.addForFile(QStringLiteral("文件是空的（0 字节）。请检查是否选对了文件。"));
        return problems.report();
    }
    if (bytes.size() > kRosterMaxFileBytes) {
        problems.addForFile(QStringLiteral("文件太大（%1 MB）：名单文件不能超过 %2 MB。请检查是否选对了文件，"
                                           "或把名单分成几个文件导入。")
                                .arg(QString::number(double(bytes.size()) / (1024 * 1024), 'f', 1))
                                .arg(kRosterMaxFileBytes / 1024 / 1024));
        return problems.report();
    }

    RosterFile file;

    Sheet sheet;
    ProblemCollector readProblems; // listed after the rows' own problems (they come from the file's end)
    auto loaded = loadSheetFile(bytes, fileName, QStringLiteral("名单"), problems, readProblems);
    if (!loaded)
        return problems.report();
    sheet.rows = std::move(loaded->rows);
    sheet.csv = !loaded->xlsx;
    sheet.date1904 = loaded->date1904;
    file.format = loaded->xlsx ? RosterFormat::Xlsx : RosterFormat::Csv;
    file.encoding = loaded->encoding;
    sheet.encoding = file.encoding;
    file.sha256 = loaded->sha256;

    RosterChecker(sheet, problems).check(&file);
    problems.append(readProblems);
    if (!problems.isEmpty()) {
        qCInfo(lcRosterImport) << "roster" << fileName << "refused with" << problems.total() << "problems";
        return problems.report();
    }
    qCInfo(lcRosterImport) << "roster" << fileName << "read:" << file.rows.size() << "rows," << file.encoding;
    return file;
}

} // namespace kaodian::server
