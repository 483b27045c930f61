#include "import/basedataimport.h"

#include "import/rosterfields.h"
#include "import/sheet.h"
#include "import/sheetfile.h"

#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <functional>

namespace kaodian::server {

Q_LOGGING_CATEGORY(lcBaseDataImport, "kaodian.import.basedata")

namespace {

struct Column
{
    QString name;
    QStringList aliases;
    bool required = true;
};

QString quoted(const QString &s)
{
    return QStringLiteral("“%1”").arg(s);
}

const QString kAsText = QStringLiteral("请把这一列的单元格格式设为“文本”后重新输入。");
constexpr qsizetype kMaxCellLength = 200;

// One sheet read against a list of columns: the header found and mapped,
// then each data row handed to the caller's reader with the cell helpers
// below. Belongs to one parse.
class Table
{
public:
    Table(const LoadedSheet &sheet, const QList<Column> &columns, const QString &what, ProblemCollector &problems)
        : m_sheet(sheet), m_columns(columns), m_what(what), m_problems(problems),
          m_column(columns.size(), -1), m_header(columns.size()), m_cells(columns.size(), nullptr)
    {
    }

    // Finds and maps the header; false (problems noted) when the file has
    // no usable header or no data rows.
    bool mapHeader(QStringList *ignored, QHash<QString, QString> *headers)
    {
        const QList<SheetRow> &rows = m_sheet.rows;
        if (rows.isEmpty()) {
            m_problems.addForFile(QStringLiteral("文件中没有内容。请检查是否选对了文件。"));
            return false;
        }
        // A title row or two of one cell each may stand above the header.
        for (qsizetype i = 0; i < std::min<qsizetype>(rows.size(), 4); ++i) {
            if (recognised(rows[i]) > 0) {
                m_headerIndex = i;
                break;
            }
            if (rows[i].cells.size() > 1)
                break;
        }
        if (m_headerIndex < 0) {
            QStringList names;
            for (const Column &c : m_columns)
                names << quoted(c.name);
            QString message = QStringLiteral("没有找到%1的表头：第一行应当是列名，如%2。请使用模板的表头。")
                                  .arg(m_what, names.mid(0, 4).join(QString()));
            if (m_sheet.encoding == u"GB18030")
                message += QStringLiteral("如果表头看起来是乱码，可能是文件编码不对，请在 Excel 中另存为"
                                          "“CSV UTF-8(逗号分隔)”或“Excel 工作簿(.xlsx)”后重新导入。");
            m_problems.add(rows.first().line, QString(), message);
            return false;
        }
        const SheetRow &header = rows.at(m_headerIndex);
        for (const SheetCell &cell : header.cells) {
            if (cell.text.isEmpty())
                continue;
            const int f = fieldOf(cell.text);
            if (f < 0) {
                ignored->append(cell.text);
                continue;
            }
            if (m_column[f] >= 0) {
                m_problems.add(header.line, cell.text,
                               QStringLiteral("这一列与%1列重复（都表示%2），请删除其中一列。")
                                   .arg(quoted(m_header[f]), quoted(m_columns[f].name)));
                continue;
            }
            m_column[f] = cell.column;
            m_header[f] = cell.text;
            headers->insert(m_columns[f].name, cell.text);
        }
        for (qsizetype f = 0; f < m_columns.size(); ++f) {
            if (m_column[f] >= 0 || !m_columns[f].required)
                continue;
            QString message = QStringLiteral("缺少%1列。").arg(quoted(m_columns[f].name));
            if (!m_columns[f].aliases.isEmpty()) {
                QStringList names;
                for (const QString &alias : m_columns[f].aliases)
                    names << quoted(alias);
                message += QStringLiteral("（也可以写作%1）").arg(names.join(QStringLiteral("或")));
            }
            m_problems.add(header.line, QString(), message);
        }
        if (!m_problems.isEmpty())
            return false;
        if (m_headerIndex + 1 == rows.size()) {
            m_problems.addForFile(QStringLiteral("文件中没有数据：表头下面没有任何%1行。").arg(m_what));
            return false;
        }
        return true;
    }

    // Calls read(line) for each data row, with the row's cells set.
    void eachRow(const std::function<void(int)> &read)
    {
        for (qsizetype i = m_headerIndex + 1; i < m_sheet.rows.size(); ++i) {
            const SheetRow &row = m_sheet.rows.at(i);
            std::fill(m_cells.begin(), m_cells.end(), nullptr);
            for (const SheetCell &c : row.cells) {
                for (qsizetype f = 0; f < m_columns.size(); ++f) {
                    if (m_column[f] == c.column)
                        m_cells[f] = &c;
                }
            }
            m_line = row.line;
            m_rowOk = true;
            read(row.line);
        }
    }

    [[nodiscard]] bool rowOk() const { return m_rowOk; }
    [[nodiscard]] int line() const { return m_line; }
    [[nodiscard]] QString header(int f) const { return m_column[f] >= 0 ? m_header[f] : m_columns[f].name; }
    [[nodiscard]] bool present(int f) const { return m_column[f] >= 0; }

    void note(int f, const QString &message)
    {
        m_problems.add(m_line, m_column[f] >= 0 ? m_header[f] : QString(), message);
        m_rowOk = false;
    }
    void noteRow(const QString &message)
    {
        m_problems.add(m_line, QString(), message);
        m_rowOk = false;
    }

    // The cell's text ("" when empty or the column is absent); nullopt
    // (problem noted) for an error value, a mangled number or an overlong text.
    std::optional<QString> text(int f, bool code = false)
    {
        const SheetCell *c = m_cells[f];
        if (c == nullptr || c->text.isEmpty())
            return QString();
        if (c->kind == SheetCell::Kind::Error) {
            note(f, QStringLiteral("单元格是公式的错误值 %1，请改为实际内容。").arg(c->text));
            return std::nullopt;
        }
        if (code
            && (looksLikeScientific(c->text)
                || (c->kind == SheetCell::Kind::Number
                    && (c->text.contains(u'E', Qt::CaseInsensitive) || c->text.contains(u'.') || longNumber(c->text))))) {
            note(f, QStringLiteral("%1被 Excel 当成了数字，显示成了科学计数法或丢失了后几位。").arg(quoted(header(f)))
                        + kAsText);
            return std::nullopt;
        }
        if (c->text.size() > kMaxCellLength) {
            note(f, QStringLiteral("内容太长（超过 %1 个字），请检查是否把几列内容填到了一起。").arg(kMaxCellLength));
            return std::nullopt;
        }
        return code ? toHalfWidth(c->text).trimmed() : c->text;
    }

    // A required cell: its text, or nullopt with "不能为空".
    std::optional<QString> required(int f, bool code = false)
    {
        auto t = text(f, code);
        if (t && t->isEmpty()) {
            note(f, QStringLiteral("%1不能为空。").arg(quoted(header(f))));
            return std::nullopt;
        }
        return t;
    }

    // A date cell: an invalid QDate when empty; nullopt (problem noted) when unreadable.
    std::optional<QDate> date(int f)
    {
        const SheetCell *c = m_cells[f];
        const auto t = text(f);
        if (!t)
            return std::nullopt;
        if (t->isEmpty())
            return QDate();
        std::optional<QDate> d;
        if (c->kind == SheetCell::Kind::Number) {
            bool ok = false;
            const double v = c->text.toDouble(&ok);
            if (ok && v >= 1 && v != std::floor(v)) {
                note(f, QStringLiteral("%1单元格里还带有时间，请只填日期。").arg(quoted(header(f))));
                return std::nullopt;
            }
            if (ok)
                d = dateFromExcelSerial(v, m_sheet.date1904);
            if (d && (d->year() < 1990 || d->year() > 2099))
                d.reset();
        } else {
            d = parseExamDate(*t);
        }
        if (!d || d->year() < 1990 || d->year() > 2099) {
            note(f, QStringLiteral("%1%2无法识别。请写成 2026-06-01、2026/6/1、2026.6.1、2026年6月1日 或 20260601。")
                        .arg(quoted(header(f)), quoted(*t)));
            return std::nullopt;
        }
        return d;
    }

    // A whole number ≥ minimum; nullopt (problem noted) otherwise; an empty cell gives -1.
    std::optional<int> count(int f, int minimum)
    {
        const auto t = text(f);
        if (!t)
            return std::nullopt;
        if (t->isEmpty())
            return -1;
        static const QRegularExpression kWhole(QStringLiteral(R"(^\d{1,6}(?:\.0+)?$)"));
        const QString v = toHalfWidth(*t).trimmed().remove(QLatin1Char(','));
        if (!kWhole.match(v).hasMatch() || static_cast<int>(v.toDouble()) < minimum) {
            note(f, QStringLiteral("%1%2不是人数：请填 %3 以上的整数。").arg(quoted(header(f)), quoted(*t)).arg(minimum));
            return std::nullopt;
        }
        return static_cast<int>(v.toDouble());
    }

    std::optional<CertificateLevel> level(int f)
    {
        const auto t = required(f);
        if (!t)
            return std::nullopt;
        const auto l = levelFromName(toHalfWidth(*t).trimmed());
        if (!l)
            note(f, QStringLiteral("等级只能是“初级”“中级”或“高级”，这里是%1。").arg(quoted(*t)));
        return l;
    }

private:
    [[nodiscard]] int fieldOf(const QString &text) const
    {
        const QString key = headerKey(text);
        for (qsizetype f = 0; f < m_columns.size(); ++f) {
            if (headerKey(m_columns[f].name) == key)
                return static_cast<int>(f);
            for (const QString &alias : m_columns[f].aliases)
                if (headerKey(alias) == key)
                    return static_cast<int>(f);
        }
        return -1;
    }
    [[nodiscard]] int recognised(const SheetRow &row) const
    {
        int n = 0;
        for (const SheetCell &c : row.cells)
            n += fieldOf(c.text) >= 0;
        return n;
    }

    const LoadedSheet &m_sheet;
    const QList<Column> &m_columns;
    QString m_what;
    ProblemCollector &m_problems;
    qsizetype m_headerIndex = -1;
    std::vector<int> m_column;
    std::vector<QString> m_header;
    std::vector<const SheetCell *> m_cells;
    int m_line = 0;
    bool m_rowOk = true;
};

// Reads the file and its header; the rows are the caller's.
template<typename Row>
std::optional<BaseDataFile<Row>> readTable(const QByteArray &bytes, const QString &fileName, const QString &what,
                                           const QList<Column> &columns, ProblemCollector &problems,
                                           const std::function<void(Table &, BaseDataFile<Row> &)> &readRows)
{
    if (bytes.isEmpty()) {
        problems.addForFile(QStringLiteral("文件是空的（0 字节）。请检查是否选对了文件。"));
        return std::nullopt;
    }
    if (bytes.size() > kBaseDataMaxFileBytes) {
        problems.addForFile(QStringLiteral("文件太大：%1不能超过 %2 MB。请检查是否选对了文件。")
                                .arg(what)
                                .arg(kBaseDataMaxFileBytes / 1024 / 1024));
        return std::nullopt;
    }
    ProblemCollector readProblems;
    auto sheet = loadSheetFile(bytes, fileName, what, problems, readProblems);
    if (!sheet)
        return std::nullopt;
    BaseDataFile<Row> file;
    file.sha256 = sheet->sha256;
    file.encoding = sheet->encoding;
    file.xlsx = sheet->xlsx;
    Table table(*sheet, columns, what, problems);
    if (table.mapHeader(&file.ignoredColumns, &file.columnHeaders))
        readRows(table, file);
    problems.append(readProblems);
    if (!problems.isEmpty()) {
        qCInfo(lcBaseDataImport) << what << fileName << "refused with" << problems.total() << "problems";
        return std::nullopt;
    }
    qCInfo(lcBaseDataImport) << what << fileName << "read:" << file.rows.size() << "rows," << file.encoding;
    return file;
}

QString normalName(const QString &s)
{
    return s.trimmed();
}

} // namespace

std::optional<bool> majorActiveFromWord(const QString &word)
{
    const QString w = toHalfWidth(word).remove(QRegularExpression(QStringLiteral(R"(\s)")));
    if (w.isEmpty() || w == u"在招" || w == u"招生" || w == u"正常")
        return true;
    if (w == u"停招" || w == u"停止招生")
        return false;
    return std::nullopt;
}

std::optional<bool> pilotActiveFromWord(const QString &word)
{
    const QString w = toHalfWidth(word).remove(QRegularExpression(QStringLiteral(R"(\s)")));
    if (w.isEmpty() || w == u"试点中" || w == u"在办" || w == u"进行中")
        return true;
    if (w == u"已结束" || w == u"结束" || w == u"停办")
        return false;
    return std::nullopt;
}

std::optional<QualificationKind> qualificationKindFromWord(const QString &word)
{
    const QString w = toHalfWidth(word).remove(QRegularExpression(QStringLiteral(R"(\s)")));
    if (w == u"培训教师" || w == u"培训师")
        return QualificationKind::Trainer;
    if (w == u"考评员")
        return QualificationKind::Assessor;
    return std::nullopt;
}

QString qualificationKindName(QualificationKind kind)
{
    return kind == QualificationKind::Trainer ? QStringLiteral("培训教师") : QStringLiteral("考评员");
}

QStringList splitMajors(const QString &cell)
{
    static const QRegularExpression kSeparators(QStringLiteral("[、;；,，/\\n\\r]+"));
    QStringList out;
    for (const QString &part : cell.split(kSeparators, Qt::SkipEmptyParts)) {
        const QString m = trimCell(part);
        if (!m.isEmpty() && !out.contains(m))
            out.append(m);
    }
    return out;
}

// ---- 专业 --------------------------------------------------------------

std::optional<MajorFile> readMajorFile(const QByteArray &bytes, const QString &fileName, ProblemCollector &problems)
{
    enum { College, Code, Name, State };
    static const QList<Column> columns = {
        {QStringLiteral("二级学院"), {QStringLiteral("学院"), QStringLiteral("所在学院")}, true},
        {QStringLiteral("专业代码"), {QStringLiteral("代码")}, true},
        {QStringLiteral("专业名称"), {QStringLiteral("专业")}, true},
        {QStringLiteral("状态"), {QStringLiteral("招生状态")}, false},
    };
    return readTable<MajorRow>(bytes, fileName, QStringLiteral("专业名单"), columns, problems,
                               [](Table &t, MajorFile &file) {
        QHash<QString, int> codeLines, nameLines;
        t.eachRow([&](int line) {
            MajorRow row;
            row.line = line;
            const auto college = t.required(College);
            const auto code = t.required(Code, true);
            const auto name = t.required(Name);
            const auto state = t.text(State);
            if (state) {
                if (const auto active = majorActiveFromWord(*state))
                    row.active = *active;
                else
                    t.note(State, QStringLiteral("状态只能是“在招”或“停招”，这里是%1。").arg(quoted(*state)));
            }
            if (!t.rowOk() || !college || !code || !name)
                return;
            row.college = normalName(*college);
            row.code = code->toUpper();
            row.name = normalName(*name);
            const QString codeKey = row.college + QChar(0x1F) + row.code;
            const QString nameKey = row.college + QChar(0x1F) + row.name;
            if (const int first = codeLines.value(codeKey)) {
                t.note(Code, QStringLiteral("%1的专业代码 %2 与第 %3 行重复。").arg(row.college, row.code).arg(first));
                return;
            }
            if (const int first = nameLines.value(nameKey)) {
                t.note(Name, QStringLiteral("%1的专业%2与第 %3 行重复。").arg(row.college, quoted(row.name)).arg(first));
                return;
            }
            codeLines.insert(codeKey, line);
            nameLines.insert(nameKey, line);
            file.rows.append(row);
        });
    });
}

// ---- 试点 --------------------------------------------------------------

std::optional<PilotFile> readPilotFile(const QByteArray &bytes, const QString &fileName, ProblemCollector &problems)
{
    enum { College, Certificate, Level, Org, Majors, Approved, ApprovedOn, Start, State };
    static const QList<Column> columns = {
        {QStringLiteral("二级学院"), {QStringLiteral("学院"), QStringLiteral("所在学院")}, true},
        {QStringLiteral("证书"), {QStringLiteral("证书名称"), QStringLiteral("X证书")}, true},
        {QStringLiteral("等级"), {QStringLiteral("证书等级")}, true},
        {QStringLiteral("培训评价组织"), {QStringLiteral("评价组织")}, false},
        {QStringLiteral("试点专业"), {QStringLiteral("专业")}, true},
        {QStringLiteral("批准人数"), {QStringLiteral("批准试点人数"), QStringLiteral("试点人数")}, true},
        {QStringLiteral("批准日期"), {QStringLiteral("批准时间")}, false},
        {QStringLiteral("开始日期"), {QStringLiteral("开始时间"), QStringLiteral("试点开始日期")}, true},
        {QStringLiteral("状态"), {QStringLiteral("试点状态")}, false},
    };
    return readTable<PilotRow>(bytes, fileName, QStringLiteral("试点名单"), columns, problems,
                               [](Table &t, PilotFile &file) {
        QHash<QString, int> lines;
        t.eachRow([&](int line) {
            PilotRow row;
            row.line = line;
            const auto college = t.required(College);
            const auto certificate = t.required(Certificate);
            const auto level = t.level(Level);
            const auto org = t.text(Org);
            const auto majors = t.required(Majors);
            const auto approved = t.count(Approved, 1);
            if (approved && *approved < 0)
                t.note(Approved, QStringLiteral("%1不能为空：请填批准的试点人数。").arg(quoted(t.header(Approved))));
            const auto approvedOn = t.date(ApprovedOn);
            const auto start = t.date(Start);
            if (start && !start->isValid())
                t.note(Start, QStringLiteral("%1不能为空：周报从试点开始的那一周算起。").arg(quoted(t.header(Start))));
            if (approvedOn && start && approvedOn->isValid() && start->isValid() && *start < *approvedOn)
                t.note(Start, QStringLiteral("开始日期 %1 早于批准日期 %2，请检查。")
                                  .arg(start->toString(Qt::ISODate), approvedOn->toString(Qt::ISODate)));
            if (const auto state = t.text(State)) {
                if (const auto active = pilotActiveFromWord(*state))
                    row.active = *active;
                else
                    t.note(State, QStringLiteral("状态只能是“试点中”或“已结束”，这里是%1。").arg(quoted(*state)));
            }
            if (!t.rowOk() || !college || !certificate || !level || !org || !majors)
                return;
            row.college = normalName(*college);
            row.certificate = normalName(*certificate);
            row.level = *level;
            row.trainingOrg = normalName(*org);
            row.majors = splitMajors(*majors);
            row.approvedCount = *approved;
            row.approvedOn = *approvedOn;
            row.startDate = *start;
            const QString key = QStringList{row.college, row.certificate, levelName(row.level)}.join(QChar(0x1F));
            if (const int first = lines.value(key)) {
                t.noteRow(QStringLiteral("%1 %2（%3）与第 %4 行是同一个试点，请合并为一行（试点专业用“、”分隔）。")
                              .arg(row.certificate, levelName(row.level), row.college)
                              .arg(first));
                return;
            }
            lines.insert(key, line);
            file.rows.append(row);
        });
    });
}

// ---- 师资 --------------------------------------------------------------

std::optional<TeacherFile> readTeacherFile(const QByteArray &bytes, const QString &fileName,
                                           ProblemCollector &problems)
{
    enum { Staff, Name, College, Major, Kind, Certificate, Level, Number, From, Until };
    static const QList<Column> columns = {
        {QStringLiteral("工号"), {QStringLiteral("教工号"), QStringLiteral("职工号")}, true},
        {QStringLiteral("姓名"), {QStringLiteral("教师姓名")}, true},
        {QStringLiteral("二级学院"), {QStringLiteral("学院"), QStringLiteral("所在学院")}, true},
        {QStringLiteral("专业"), {QStringLiteral("所属专业"), QStringLiteral("专业名称")}, true},
        {QStringLiteral("资格"), {QStringLiteral("资格类型"), QStringLiteral("资格类别")}, true},
        {QStringLiteral("证书"), {QStringLiteral("证书名称"), QStringLiteral("X证书")}, true},
        {QStringLiteral("等级"), {QStringLiteral("证书等级")}, true},
        {QStringLiteral("证书编号"), {QStringLiteral("资格证书编号"), QStringLiteral("编号")}, false},
        {QStringLiteral("有效期起"), {QStringLiteral("有效期开始"), QStringLiteral("发证日期")}, false},
        {QStringLiteral("有效期止"), {QStringLiteral("有效期至"), QStringLiteral("有效期截止")}, false},
    };
    return readTable<TeacherRow>(bytes, fileName, QStringLiteral("师资名单"), columns, problems,
                                 [](Table &t, TeacherFile &file) {
        struct Teacher
        {
            int line;
            QString name, college, major;
        };
        QHash<QString, Teacher> teachers;
        QHash<QString, int> qualificationLines;
        t.eachRow([&](int line) {
            TeacherRow row;
            row.line = line;
            const auto staff = t.required(Staff, true);
            const auto name = t.required(Name);
            const auto college = t.required(College);
            const auto major = t.text(Major);
            const auto kind = t.text(Kind);
            const auto certificate = t.text(Certificate);
            const auto levelText = t.text(Level);
            const auto number = t.text(Number, true);
            const auto from = t.date(From);
            const auto until = t.date(Until);
            if (!kind || !certificate || !levelText)
                return;
            const bool anyQualification = !kind->isEmpty() || !certificate->isEmpty() || !levelText->isEmpty()
                || (number && !number->isEmpty()) || (from && from->isValid()) || (until && until->isValid());
            if (anyQualification) {
                if (kind->isEmpty())
                    t.note(Kind, QStringLiteral("%1不能为空：请填“培训教师”或“考评员”（没有资格的教师，资格、证书、等级都留空）。")
                                     .arg(quoted(t.header(Kind))));
                else if (const auto k = qualificationKindFromWord(*kind))
                    row.kind = k;
                else
                    t.note(Kind, QStringLiteral("资格只能是“培训教师”或“考评员”，这里是%1。").arg(quoted(*kind)));
                if (certificate->isEmpty())
                    t.note(Certificate, QStringLiteral("%1不能为空：资格是哪个证书的。").arg(quoted(t.header(Certificate))));
                if (levelText->isEmpty())
                    t.note(Level, QStringLiteral("%1不能为空：请填“初级”“中级”或“高级”。").arg(quoted(t.header(Level))));
                else if (const auto l = levelFromName(toHalfWidth(*levelText).trimmed()))
                    row.level = *l;
                else
                    t.note(Level, QStringLiteral("等级只能是“初级”“中级”或“高级”，这里是%1。").arg(quoted(*levelText)));
            }
            if (from && until && from->isValid() && until->isValid() && *until < *from)
                t.note(Until, QStringLiteral("有效期止 %1 早于有效期起 %2，请检查。")
                                  .arg(until->toString(Qt::ISODate), from->toString(Qt::ISODate)));
            if (!t.rowOk() || !staff || !name || !college || !major || !number || !from || !until)
                return;
            row.staffNumber = staff->toUpper();
            row.name = normalName(*name);
            row.college = normalName(*college);
            row.major = normalName(*major);
            row.certificate = normalName(*certificate);
            row.number = *number;
            row.validFrom = *from;
            row.validUntil = *until;
            // One teacher: the same name, college and major on every row.
            const auto it = teachers.constFind(row.staffNumber);
            if (it == teachers.cend()) {
                teachers.insert(row.staffNumber, Teacher{line, row.name, row.college, row.major});
            } else {
                if (it->name != row.name)
                    t.note(Name, QStringLiteral("工号 %1 在第 %2 行的姓名是%3，这里是%4。同一位教师的姓名应当一致。")
                                     .arg(row.staffNumber)
                                     .arg(it->line)
                                     .arg(quoted(it->name), quoted(row.name)));
                if (it->college != row.college || it->major != row.major)
                    t.note(College, QStringLiteral("工号 %1 在第 %2 行属于%3 %4，这里是%5 %6。同一位教师的学院和专业应当一致。")
                                        .arg(row.staffNumber)
                                        .arg(it->line)
                                        .arg(it->college, it->major, row.college, row.major));
            }
            if (row.kind) {
                const QString key = QStringList{row.staffNumber, qualificationKindName(*row.kind), row.certificate,
                                                levelName(row.level)}
                                        .join(QChar(0x1F));
                if (const int first = qualificationLines.value(key))
                    t.noteRow(QStringLiteral("工号 %1 的%2资格（%3 %4）与第 %5 行重复。")
                                  .arg(row.staffNumber, qualificationKindName(*row.kind), row.certificate,
                                       levelName(row.level))
                                  .arg(first));
                else
                    qualificationLines.insert(key, line);
            }
            if (t.rowOk())
                file.rows.append(row);
        });
    });
}

// ---- 考点 --------------------------------------------------------------

std::optional<SiteFile> readSiteFile(const QByteArray &bytes, const QString &fileName, ProblemCollector &problems)
{
    enum { Name, Address, Number, Starts, Ends };
    static const QList<Column> columns = {
        {QStringLiteral("考点"), {QStringLiteral("考点名称")}, true},
        {QStringLiteral("地址"), {QStringLiteral("考点地址")}, false},
        {QStringLiteral("合作协议编号"), {QStringLiteral("协议编号"), QStringLiteral("合同编号")}, true},
        {QStringLiteral("协议起"), {QStringLiteral("协议开始日期"), QStringLiteral("协议生效日期")}, false},
        {QStringLiteral("协议止"), {QStringLiteral("协议到期日期"), QStringLiteral("协议截止日期"), QStringLiteral("协议至")}, true},
    };
    return readTable<SiteRow>(bytes, fileName, QStringLiteral("考点名单"), columns, problems,
                              [](Table &t, SiteFile &file) {
        QHash<QString, int> lines;
        t.eachRow([&](int line) {
            SiteRow row;
            row.line = line;
            const auto name = t.required(Name);
            const auto address = t.text(Address);
            const auto number = t.text(Number, true);
            const auto starts = t.date(Starts);
            const auto ends = t.date(Ends);
            if (number && ends && number->isEmpty() != !ends->isValid()) {
                if (number->isEmpty())
                    t.note(Number, QStringLiteral("填写了协议止，也须填写合作协议编号。"));
                else
                    t.note(Ends, QStringLiteral("填写了合作协议编号，也须填写协议止（协议的最后一天）。"));
            }
            if (starts && ends && starts->isValid() && ends->isValid() && *ends < *starts)
                t.note(Ends, QStringLiteral("协议止 %1 早于协议起 %2，请检查。")
                                 .arg(ends->toString(Qt::ISODate), starts->toString(Qt::ISODate)));
            if (starts && ends && number && number->isEmpty() && starts->isValid() && !ends->isValid())
                t.note(Ends, QStringLiteral("填写了协议起，也须填写协议止（协议的最后一天）。"));
            if (!t.rowOk() || !name || !address || !number || !starts || !ends)
                return;
            row.name = normalName(*name);
            row.address = normalName(*address);
            row.agreementNumber = *number;
            row.agreementStarts = *starts;
            row.agreementEnds = *ends;
            if (const int first = lines.value(row.name)) {
                t.note(Name, QStringLiteral("考点%1与第 %2 行重复。").arg(quoted(row.name)).arg(first));
                return;
            }
            lines.insert(row.name, line);
            file.rows.append(row);
        });
    });
}

} // namespace kaodian::server
