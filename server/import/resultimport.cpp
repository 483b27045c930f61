#include "import/resultimport.h"

#include "import/rosterfields.h"
#include "import/sheet.h"
#include "import/sheetfile.h"

#include <QLoggingCategory>
#include <QRegularExpression>

#include <array>
#include <cmath>

namespace kaodian::server {

Q_LOGGING_CATEGORY(lcResultImport, "kaodian.import.results")

namespace {

enum Field : int { Ticket, Name, IdNumber, Certificate, Level, Outcome_, Theory, Practical, Total, FieldCount };

struct Column
{
    QString name;
    QStringList aliases;
};

const std::array<Column, FieldCount> &columns()
{
    static const std::array<Column, FieldCount> c = {{
        {QStringLiteral("准考证号"), {QStringLiteral("准考证编号")}},
        {QStringLiteral("姓名"), {QStringLiteral("考生姓名")}},
        {QStringLiteral("身份证号"), {QStringLiteral("身份证号码"), QStringLiteral("证件号码")}},
        {QStringLiteral("证书"), {QStringLiteral("证书名称"), QStringLiteral("X证书")}},
        {QStringLiteral("等级"), {QStringLiteral("证书等级")}},
        {QStringLiteral("考核结果"), {QStringLiteral("是否通过"), QStringLiteral("结果"), QStringLiteral("考试结果")}},
        {QStringLiteral("理论成绩"), {QStringLiteral("理论"), QStringLiteral("理论考试成绩")}},
        {QStringLiteral("实操成绩"), {QStringLiteral("实操"), QStringLiteral("技能成绩"), QStringLiteral("实操考核成绩")}},
        {QStringLiteral("总成绩"), {QStringLiteral("总分"), QStringLiteral("成绩")}},
    }};
    return c;
}

int fieldOfHeader(const QString &text)
{
    static const QHash<QString, int> kFields = [] {
        QHash<QString, int> fields;
        for (int f = 0; f < FieldCount; ++f) {
            fields.insert(headerKey(columns()[f].name), f);
            for (const QString &alias : columns()[f].aliases)
                fields.insert(headerKey(alias), f);
        }
        return fields;
    }();
    return kFields.value(headerKey(text), -1);
}

QString quoted(const QString &s)
{
    return QStringLiteral("“%1”").arg(s);
}

const QString kAsText = QStringLiteral("请把这一列的单元格格式设为“文本”后重新输入。");

class ResultChecker
{
public:
    ResultChecker(const LoadedSheet &sheet, ProblemCollector &problems) : m_sheet(sheet), m_problems(problems)
    {
        m_column.fill(-1);
    }

    void check(ResultFile *file)
    {
        const QList<SheetRow> &rows = m_sheet.rows;
        qsizetype headerIndex = -1;
        // The header is the first row naming a column; title rows above it
        // ("2026年6月成绩") hold one cell each.
        for (qsizetype i = 0; i < std::min<qsizetype>(rows.size(), 4); ++i) {
            int recognised = 0;
            for (const SheetCell &cell : rows[i].cells)
                recognised += fieldOfHeader(cell.text) >= 0;
            if (recognised > 0) {
                headerIndex = i;
                break;
            }
            if (rows[i].cells.size() > 1)
                break;
        }
        if (rows.isEmpty()) {
            m_problems.addForFile(QStringLiteral("文件中没有内容。请检查是否选对了文件。"));
            return;
        }
        if (headerIndex < 0) {
            QString message = QStringLiteral("没有找到成绩单的表头：第一行应当是列名，如“准考证号”“姓名”“考核结果”。"
                                             "请使用成绩单模板的表头。");
            if (m_sheet.encoding == u"GB18030")
                message += QStringLiteral("如果表头看起来是乱码，可能是文件编码不对，请在 Excel 中另存为"
                                          "“CSV UTF-8(逗号分隔)”或“Excel 工作簿(.xlsx)”后重新导入。");
            m_problems.add(rows.first().line, QString(), message);
            return;
        }
        const SheetRow &header = rows.at(headerIndex);
        for (const SheetCell &cell : header.cells) {
            if (cell.text.isEmpty())
                continue;
            const int f = fieldOfHeader(cell.text);
            if (f < 0) {
                file->ignoredColumns.append(cell.text);
                continue;
            }
            if (m_column[f] >= 0) {
                m_problems.add(header.line, cell.text,
                               QStringLiteral("这一列与%1列重复（都表示%2），请删除其中一列。")
                                   .arg(quoted(m_header[f]), quoted(columns()[f].name)));
                continue;
            }
            m_column[f] = cell.column;
            m_header[f] = cell.text;
            m_fieldOfColumn.insert(cell.column, f);
            file->columnHeaders.insert(columns()[f].name, cell.text);
        }
        if (m_column[Outcome_] < 0)
            m_problems.add(header.line, QString(),
                           QStringLiteral("缺少“考核结果”列（也可以写作“是否通过”或“结果”）。"));
        const bool byId = m_column[IdNumber] >= 0 && m_column[Certificate] >= 0 && m_column[Level] >= 0;
        if (m_column[Ticket] < 0 && !byId)
            m_problems.add(header.line, QString(),
                           QStringLiteral("缺少“准考证号”列：每位考生要么用准考证号找到，要么用“身份证号”加“证书”和“等级”找到。"));
        if (!m_problems.isEmpty())
            return;
        if (headerIndex + 1 == rows.size()) {
            m_problems.addForFile(QStringLiteral("文件中没有成绩数据：表头下面没有任何考生行。"));
            return;
        }
        for (qsizetype i = headerIndex + 1; i < rows.size(); ++i) {
            if (auto row = checkRow(rows.at(i)))
                file->rows.append(std::move(*row));
        }
    }

private:
    const SheetCell *cell(Field f) const { return m_cells[f]; }
    QString text(Field f) const { return m_cells[f] ? m_cells[f]->text : QString(); }
    void note(Field f, const QString &message) { m_problems.add(m_line, m_header[f], message); }

    // A code column (准考证号, 身份证号) that Excel turned into a number.
    bool mangledCode(Field f)
    {
        const SheetCell *c = cell(f);
        if (c == nullptr)
            return false;
        if (looksLikeScientific(c->text)
            || (c->kind == SheetCell::Kind::Number
                && (c->text.contains(u'E', Qt::CaseInsensitive) || c->text.contains(u'.') || longNumber(c->text)))) {
            note(f, QStringLiteral("%1被 Excel 当成了数字，显示成了科学计数法或丢失了后几位。").arg(quoted(m_header[f]))
                        + kAsText);
            return true;
        }
        return false;
    }

    std::optional<int> score(Field f, bool *ok)
    {
        const SheetCell *c = cell(f);
        if (c == nullptr || c->text.isEmpty())
            return std::nullopt;
        if (c->kind == SheetCell::Kind::Error) {
            note(f, QStringLiteral("单元格是公式的错误值 %1，请改为实际分数。").arg(c->text));
            *ok = false;
            return std::nullopt;
        }
        const auto tenths = parseScoreTenths(c->text, c->kind == SheetCell::Kind::Number);
        if (!tenths) {
            note(f, QStringLiteral("%1“%2”不是分数：请填 0–100 的数字，最多一位小数（如 85 或 85.5）。")
                        .arg(m_header[f], c->text));
            *ok = false;
            return std::nullopt;
        }
        if (*tenths < 0 || *tenths > kMaxScoreTenths) {
            note(f, QStringLiteral("%1“%2”超出范围：分数应在 0 到 100 之间。").arg(m_header[f], c->text));
            *ok = false;
            return std::nullopt;
        }
        return tenths;
    }

    std::optional<ResultRow> checkRow(const SheetRow &sheetRow)
    {
        m_cells.fill(nullptr);
        m_line = sheetRow.line;
        for (const SheetCell &c : sheetRow.cells) {
            if (const auto it = m_fieldOfColumn.constFind(c.column); it != m_fieldOfColumn.cend())
                m_cells[*it] = &c;
        }
        ResultRow row;
        row.line = sheetRow.line;
        bool ok = true;

        // Which registration.
        if (!text(Ticket).isEmpty()) {
            if (mangledCode(Ticket)) {
                ok = false;
            } else {
                row.ticketNumber = normaliseTicketNumber(text(Ticket));
                row.ticketWasNumber = cell(Ticket)->kind == SheetCell::Kind::Number;
                if (const QString p = ticketNumberProblem(row.ticketNumber); !p.isEmpty()) {
                    note(Ticket, p);
                    ok = false;
                }
            }
        }
        if (!text(IdNumber).isEmpty()) {
            if (mangledCode(IdNumber)) {
                ok = false;
            } else {
                row.idNumber = normaliseIdNumber(text(IdNumber));
                if (const QString p = idNumberProblem(row.idNumber); !p.isEmpty()) {
                    note(IdNumber, p);
                    ok = false;
                }
            }
        }
        row.name = text(Name);
        row.certificate = text(Certificate);
        if (!text(Level).isEmpty()) {
            row.level = levelFromName(toHalfWidth(text(Level)).trimmed());
            if (!row.level) {
                note(Level, QStringLiteral("等级只能是“初级”“中级”或“高级”，这里是%1。").arg(quoted(text(Level))));
                ok = false;
            }
        }
        if (text(Ticket).isEmpty()) {
            QStringList missing;
            for (Field f : {IdNumber, Certificate, Level}) {
                if (text(f).isEmpty())
                    missing.append(quoted(m_column[f] >= 0 ? m_header[f] : columns()[f].name));
            }
            if (!missing.isEmpty()) {
                m_problems.add(m_line, m_column[Ticket] >= 0 ? m_header[Ticket] : QString(),
                               QStringLiteral("这一行没有准考证号，也没有可以代替它的%1，无法找到考生。")
                                   .arg(missing.join(QStringLiteral("、"))));
                ok = false;
            }
        }

        // The outcome.
        const QString outcomeText = text(Outcome_);
        if (outcomeText.isEmpty()) {
            note(Outcome_, QStringLiteral("%1不能为空：请填“通过”“不通过”或“缺考”。").arg(quoted(m_header[Outcome_])));
            ok = false;
        } else if (const auto outcome = resultOutcomeFromWord(outcomeText)) {
            row.outcome = *outcome;
        } else {
            note(Outcome_, QStringLiteral("%1%2无法识别：请填“通过”（或“合格”）、“不通过”（或“不合格”）或“缺考”。")
                               .arg(quoted(m_header[Outcome_]), quoted(outcomeText)));
            ok = false;
        }
        row.theory = score(Theory, &ok);
        row.practical = score(Practical, &ok);
        row.total = score(Total, &ok);
        if (ok && row.outcome == ResultOutcome::Absent && (row.theory || row.practical || row.total)) {
            m_problems.add(m_line, m_header[Outcome_], QStringLiteral("缺考的考生不应有成绩：请删去分数，或改正考核结果。"));
            ok = false;
        }
        if (!ok)
            return std::nullopt;
        return row;
    }

    const LoadedSheet &m_sheet;
    ProblemCollector &m_problems;
    std::array<int, FieldCount> m_column {};
    std::array<QString, FieldCount> m_header;
    QHash<int, int> m_fieldOfColumn;
    std::array<const SheetCell *, FieldCount> m_cells {};
    int m_line = 0;
};

} // namespace

QString resultOutcomeName(ResultOutcome outcome)
{
    switch (outcome) {
    case ResultOutcome::Pass: return QStringLiteral("通过");
    case ResultOutcome::Fail: return QStringLiteral("不通过");
    case ResultOutcome::Absent: return QStringLiteral("缺考");
    }
    return {};
}

QString resultOutcomeKey(ResultOutcome outcome)
{
    switch (outcome) {
    case ResultOutcome::Pass: return QStringLiteral("pass");
    case ResultOutcome::Fail: return QStringLiteral("fail");
    case ResultOutcome::Absent: return QStringLiteral("absent");
    }
    return {};
}

std::optional<ResultOutcome> resultOutcomeFromKey(const QString &key)
{
    if (key == u"pass")
        return ResultOutcome::Pass;
    if (key == u"fail")
        return ResultOutcome::Fail;
    if (key == u"absent")
        return ResultOutcome::Absent;
    return std::nullopt;
}

std::optional<ResultOutcome> resultOutcomeFromWord(const QString &word)
{
    const QString w = toHalfWidth(word).remove(QRegularExpression(QStringLiteral(R"(\s)")));
    if (w == u"通过" || w == u"合格" || w == u"是")
        return ResultOutcome::Pass;
    if (w == u"不通过" || w == u"未通过" || w == u"不合格" || w == u"否")
        return ResultOutcome::Fail;
    if (w == u"缺考")
        return ResultOutcome::Absent;
    return std::nullopt;
}

std::optional<int> parseScoreTenths(const QString &text, bool excelNumber)
{
    const QString t = toHalfWidth(text).trimmed();
    if (excelNumber) {
        // A double as the workbook wrote it: 78.3 may be 78.299999999999997.
        bool ok = false;
        const double v = t.toDouble(&ok);
        if (!ok || !std::isfinite(v) || std::fabs(v) > 1e6)
            return std::nullopt;
        const double tenths = std::round(v * 10);
        if (std::fabs(v * 10 - tenths) > 1e-6)
            return std::nullopt;
        return static_cast<int>(tenths);
    }
    static const QRegularExpression kScore(QStringLiteral(R"(^(-?)(\d{1,6})(?:\.(\d)(0*))?$)"));
    const auto m = kScore.match(t);
    if (!m.hasMatch())
        return std::nullopt;
    const int tenths = m.captured(2).toInt() * 10 + (m.captured(3).isEmpty() ? 0 : m.captured(3).toInt());
    return m.captured(1).isEmpty() ? tenths : -tenths;
}

QString formatScoreTenths(int tenths)
{
    if (tenths % 10 == 0)
        return QString::number(tenths / 10);
    return QStringLiteral("%1%2.%3").arg(tenths < 0 ? QStringLiteral("-") : QString()).arg(std::abs(tenths) / 10).arg(std::abs(tenths) % 10);
}

Result<ResultFile, QList<ImportProblem>> parseResultFile(const QByteArray &bytes, const QString &fileName)
{
    ProblemCollector problems;
    auto file = readResultFile(bytes, fileName, problems);
    if (!problems.isEmpty() || !file)
        return problems.report();
    return *file;
}

std::optional<ResultFile> readResultFile(const QByteArray &bytes, const QString &fileName, ProblemCollector &problems)
{
    if (bytes.isEmpty()) {
        problems.addForFile(QStringLiteral("文件是空的（0 字节）。请检查是否选对了文件。"));
        return std::nullopt;
    }
    if (bytes.size() > kResultsMaxFileBytes) {
        problems.addForFile(QStringLiteral("文件太大：成绩单不能超过 %1 MB。请检查是否选对了文件。")
                                .arg(kResultsMaxFileBytes / 1024 / 1024));
        return std::nullopt;
    }
    ProblemCollector readProblems;
    auto sheet = loadSheetFile(bytes, fileName, QStringLiteral("成绩单"), problems, readProblems);
    if (!sheet)
        return std::nullopt;
    ResultFile file;
    file.sha256 = sheet->sha256;
    file.encoding = sheet->encoding;
    file.xlsx = sheet->xlsx;
    const qsizetype before = problems.total();
    ResultChecker(*sheet, problems).check(&file);
    const bool headerOk = file.columnHeaders.contains(QStringLiteral("考核结果"));
    problems.append(readProblems);
    if (!problems.isEmpty()) {
        qCInfo(lcResultImport) << "results" << fileName << "has" << problems.total() - before << "problems";
        if (!headerOk)
            return std::nullopt;
        return file; // the rows that read, for the store's checks to find the rest
    }
    qCInfo(lcResultImport) << "results" << fileName << "read:" << file.rows.size() << "rows," << file.encoding;
    return file;
}

} // namespace kaodian::server
