#include "import/proctorimport.h"

#include "import/rosterfields.h"
#include "import/sheet.h"
#include "import/sheetfile.h"

#include <QHash>
#include <QRegularExpression>

#include <array>

namespace kaodian::server {

namespace {

enum Field : int { Session, Room, Staff, Name, Phone, FieldCount };

int fieldOfHeader(const QString &text)
{
    static const QHash<QString, int> kFields = [] {
        QHash<QString, int> f;
        for (auto [name, field] :
             {std::pair{"场次编号", Session}, std::pair{"场次", Session}, std::pair{"场次ID", Session},
              std::pair{"考场", Room}, std::pair{"考场号", Room}, std::pair{"考场编号", Room},
              std::pair{"工号", Staff}, std::pair{"教工号", Staff}, std::pair{"职工号", Staff},
              std::pair{"姓名", Name}, std::pair{"监考姓名", Name}, std::pair{"监考员", Name},
              std::pair{"手机号", Phone}, std::pair{"手机", Phone}, std::pair{"电话", Phone}, std::pair{"联系电话", Phone}})
            f.insert(headerKey(QString::fromUtf8(name)), field);
        return f;
    }();
    return kFields.value(headerKey(text), -1);
}

const std::array<QString, FieldCount> kNames = {QStringLiteral("场次编号"), QStringLiteral("考场"), QStringLiteral("工号"),
                                                QStringLiteral("姓名"), QStringLiteral("手机号")};

} // namespace

QString maskPhone(const QString &phone)
{
    if (phone.size() < 7)
        return QString(phone.size(), QLatin1Char('*'));
    return phone.left(3) + QString(phone.size() - 7, QLatin1Char('*')) + phone.right(4);
}

std::optional<ProctorFile> readProctorFile(const QByteArray &bytes, const QString &fileName, ProblemCollector &problems)
{
    ProblemCollector readProblems;
    auto sheet = loadSheetFile(bytes, fileName, QStringLiteral("监考安排"), problems, readProblems);
    if (!sheet)
        return std::nullopt;
    ProctorFile file;
    file.sha256 = sheet->sha256;
    file.encoding = sheet->encoding;
    file.xlsx = sheet->xlsx;
    const QList<SheetRow> &rows = sheet->rows;
    if (rows.isEmpty()) {
        problems.addForFile(QStringLiteral("文件中没有内容。请检查是否选对了文件。"));
        return std::nullopt;
    }
    std::array<int, FieldCount> column;
    std::array<QString, FieldCount> header = kNames;
    column.fill(-1);
    const SheetRow &head = rows.first();
    for (const SheetCell &cell : head.cells) {
        const int f = fieldOfHeader(cell.text);
        if (f < 0)
            continue;
        if (column[f] >= 0) {
            problems.add(head.line, cell.text,
                         QStringLiteral("这一列与“%1”列重复，请删除其中一列。").arg(header[f]));
            continue;
        }
        column[f] = cell.column;
        header[f] = cell.text;
    }
    bool headerOk = true;
    for (int f : {Session, Room, Staff, Name}) {
        if (column[f] < 0) {
            problems.add(head.line, QString(),
                         QStringLiteral("缺少“%1”列。监考安排的表头应为：场次编号、考场、工号、姓名、手机号（可不填）。")
                             .arg(kNames[f]));
            headerOk = false;
        }
    }
    if (!headerOk)
        return std::nullopt;
    file.sessionHeader = header[Session];
    file.roomHeader = header[Room];
    file.staffHeader = header[Staff];
    if (rows.size() == 1) {
        problems.addForFile(QStringLiteral("文件中没有监考安排：表头下面没有任何行。"));
        return file;
    }
    static const QRegularExpression staffPattern(QStringLiteral("^[0-9A-Za-z-]{1,20}$"));
    static const QRegularExpression phonePattern(QStringLiteral("^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$"));
    // A staff number names one person: the same 工号 with two names is a mistake.
    QHash<QString, std::pair<QString, int>> nameOfStaff;
    QHash<QString, int> seen; // "session|staff" -> line
    for (qsizetype i = 1; i < rows.size(); ++i) {
        const SheetRow &r = rows[i];
        std::array<QString, FieldCount> text;
        for (const SheetCell &c : r.cells)
            for (int f = 0; f < FieldCount; ++f)
                if (column[f] == c.column)
                    text[f] = toHalfWidth(c.text).trimmed();
        ProctorRow row;
        row.line = r.line;
        bool ok = true;
        const auto note = [&](int f, const QString &message) {
            problems.add(r.line, header[f], message);
            ok = false;
        };
        bool idOk = false;
        row.sessionId = text[Session].toLongLong(&idOk);
        if (text[Session].isEmpty())
            note(Session, QStringLiteral("场次编号不能为空：填写控制台场次页上的编号（如 12）。"));
        else if (!idOk || row.sessionId <= 0)
            note(Session, QStringLiteral("“%1”不是场次编号：应为正整数（控制台场次页上的编号）。").arg(text[Session]));
        row.room = text[Room];
        if (row.room.isEmpty())
            note(Room, QStringLiteral("考场不能为空。"));
        row.staffNumber = text[Staff];
        if (row.staffNumber.isEmpty())
            note(Staff, QStringLiteral("工号不能为空。"));
        else if (!staffPattern.match(row.staffNumber).hasMatch())
            note(Staff, QStringLiteral("工号“%1”只能由字母、数字和“-”组成，最多 20 位。").arg(row.staffNumber));
        row.name = text[Name];
        if (row.name.isEmpty())
            note(Name, QStringLiteral("姓名不能为空。"));
        else if (row.name.size() > 30)
            note(Name, QStringLiteral("姓名过长（最多 30 个字）。"));
        row.phone = text[Phone];
        row.phone.remove(QLatin1Char(' '));
        if (!row.phone.isEmpty() && !phonePattern.match(row.phone).hasMatch())
            note(Phone, QStringLiteral("手机号“%1”不是 11 位手机号或带区号的电话。").arg(row.phone));
        if (!row.staffNumber.isEmpty() && !row.name.isEmpty()) {
            const auto known = nameOfStaff.constFind(row.staffNumber);
            if (known != nameOfStaff.constEnd() && known->first != row.name)
                note(Name, QStringLiteral("工号 %1 在第 %2 行是“%3”，这里是“%4”：同一工号只能是一个人。")
                               .arg(row.staffNumber)
                               .arg(known->second)
                               .arg(known->first, row.name));
            else if (known == nameOfStaff.constEnd())
                nameOfStaff.insert(row.staffNumber, {row.name, r.line});
        }
        if (idOk && !row.staffNumber.isEmpty()) {
            const QString key = QString::number(row.sessionId) + QLatin1Char('|') + row.staffNumber;
            if (const auto dup = seen.constFind(key); dup != seen.constEnd())
                note(Staff, QStringLiteral("工号 %1 在第 %2 行已安排到本场次：一位监考一场只在一个考场。")
                                .arg(row.staffNumber)
                                .arg(*dup));
            else
                seen.insert(key, r.line);
        }
        if (ok)
            file.rows.push_back(row);
    }
    problems.append(readProblems);
    return file;
}

} // namespace kaodian::server
