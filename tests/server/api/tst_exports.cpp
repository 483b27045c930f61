// Exports of people (issue #16 item 5), on both stores, read back: the
// roster with attendance and results as CSV (BOM, UTF-8, real names,
// neutralised formulas) and Excel (the sheet XML through `unzip -p`: text
// cells for ID and ticket numbers, neutralised cells, no formula), masked
// against full ID numbers and the audit row of a full export, a college
// viewer's scope, the term the overview sends (statistics too), and the
// `export-roster` command of the real binary.

#include "api/api.h"
#include "auth/password.h"

#include "freshstore.h"
#include "termfixture.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace kaodian;
using namespace kaodian::server;
using namespace kaodian::testing;

namespace {

const QString kPassword = QStringLiteral("correct-horse-battery");
const QString kFullId = QStringLiteral("350102199001011234");
const QString kMaskedId = QStringLiteral("3501**********1234");
const QString kRareName = QStringLiteral("李\U0002A6A5");             // 李𪚥, CJK Ext. B
const QString kDotName = QStringLiteral("买买提·艾力");
const QString kHostileClass = QStringLiteral("=HYPERLINK(\"http://evil.example\",\"x\")");
const QString kHostileStudent = QStringLiteral("+8613800000000");
const QString kTabName = QStringLiteral("\t@SUM(1)");
const QString kTicket = QStringLiteral("0012026001"); // leading zeros must survive

HttpRequest request(const QByteArray &target, const QByteArray &cookie = {})
{
    HttpRequest r;
    r.method = "GET";
    r.target = target;
    r.peerAddress = QStringLiteral("127.0.0.1");
    r.headers.insert("host", "kaodian.test");
    if (!cookie.isEmpty())
        r.headers.insert("cookie", "kd_session=" + cookie);
    return r;
}

QByteArray header(const HttpResponse &r, const QByteArray &name)
{
    for (const auto &[k, v] : r.headers)
        if (k.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    return {};
}

// The CSV's fields, row by row (every field quoted, as the export writes).
QList<QStringList> parseCsv(const QByteArray &bytes)
{
    QList<QStringList> rows;
    const QString text = QString::fromUtf8(bytes.startsWith("\xEF\xBB\xBF") ? bytes.mid(3) : bytes);
    QStringList row;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == QLatin1Char('"') && i + 1 < text.size() && text[i + 1] == QLatin1Char('"')) {
                field += c;
                ++i;
            } else if (c == QLatin1Char('"')) {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            row << field;
            field.clear();
        } else if (c == QLatin1Char('\n')) {
            row << field;
            field.clear();
            rows << row;
            row.clear();
        } else if (c != QLatin1Char('\r')) {
            field += c;
        }
    }
    return rows;
}

// One column of a parsed CSV (by its header label).
QStringList column(const QList<QStringList> &rows, const QString &label)
{
    QStringList out;
    const qsizetype c = rows.value(0).indexOf(label);
    for (qsizetype r = 1; r < rows.size(); ++r)
        out << rows[r].value(c);
    return out;
}

bool startsLikeAFormula(const QString &s)
{
    return !s.isEmpty() && QStringLiteral("=+-@\t\r").contains(s.front());
}

QString xmlUnescape(QString s)
{
    s.replace(QStringLiteral("&lt;"), QStringLiteral("<"));
    s.replace(QStringLiteral("&gt;"), QStringLiteral(">"));
    s.replace(QStringLiteral("&quot;"), QStringLiteral("\""));
    s.replace(QStringLiteral("&apos;"), QStringLiteral("'"));
    s.replace(QStringLiteral("&#9;"), QStringLiteral("\t"));
    s.replace(QStringLiteral("&amp;"), QStringLiteral("&"));
    return s;
}

// The first sheet of an .xlsx as rows of cell texts (shared strings
// resolved), and whether each cell was a string cell; read with `unzip -p`.
struct Sheet
{
    QByteArray xml;
    QList<QStringList> rows;
    QList<QList<bool>> isString;
};

QByteArray unzipMember(const QString &file, const QString &member)
{
    QProcess p;
    p.start(QStringLiteral("unzip"), {QStringLiteral("-p"), file, member});
    if (!p.waitForFinished(30000))
        return {};
    return p.readAllStandardOutput();
}

Sheet readSheet(const QByteArray &xlsx, const QString &dir)
{
    const QString file = QDir(dir).filePath(QStringLiteral("read.xlsx"));
    QFile f(file);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(xlsx) != xlsx.size())
        return {};
    f.close();
    Sheet sheet;
    sheet.xml = unzipMember(file, QStringLiteral("xl/worksheets/sheet1.xml"));
    const QString shared = QString::fromUtf8(unzipMember(file, QStringLiteral("xl/sharedStrings.xml")));
    QStringList strings;
    static const QRegularExpression si(QStringLiteral("<si>(.*?)</si>"), QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression t(QStringLiteral("<t[^>]*>(.*?)</t>"), QRegularExpression::DotMatchesEverythingOption);
    for (auto it = si.globalMatch(shared); it.hasNext();) {
        QString text;
        const QString inner = it.next().captured(1);
        for (auto jt = t.globalMatch(inner); jt.hasNext();)
            text += xmlUnescape(jt.next().captured(1));
        strings << text;
    }
    static const QRegularExpression row(QStringLiteral("<row[^>]*>(.*?)</row>"), QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression cell(QStringLiteral("<c ([^>]*?)(?:/>|>(.*?)</c>)"),
                                         QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression value(QStringLiteral("<v>(.*?)</v>"));
    static const QRegularExpression reference(QStringLiteral("r=\"([A-Z]+)[0-9]+\""));
    const QString xml = QString::fromUtf8(sheet.xml);
    for (auto it = row.globalMatch(xml); it.hasNext();) {
        QStringList texts;
        QList<bool> kinds;
        const QString inner = it.next().captured(1);
        for (auto jt = cell.globalMatch(inner); jt.hasNext();) {
            const auto m = jt.next();
            // Empty cells are left out of the XML: place each by its reference (r="C2").
            const QString ref = reference.match(m.captured(1)).captured(1);
            qsizetype c = 0;
            for (const QChar ch : ref)
                c = c * 26 + (ch.unicode() - 'A' + 1);
            --c;
            while (texts.size() < c) {
                texts << QString();
                kinds << false;
            }
            const bool isShared = m.captured(1).contains(QStringLiteral("t=\"s\""));
            const QString v = value.match(m.captured(2)).captured(1);
            texts << (isShared ? strings.value(v.toInt()) : v);
            kinds << isShared;
        }
        sheet.rows << texts;
        sheet.isString << kinds;
    }
    return sheet;
}

struct Finished
{
    bool ok = false;
    int exitCode = -1;
    QByteArray out, err;
};

} // namespace

class TestExports : public QObject
{
    Q_OBJECT

    std::unique_ptr<FreshStore> m_fresh;
    std::unique_ptr<StorePool> m_pool;
    std::unique_ptr<Api> m_api;
    QDateTime m_now = QDateTime(QDate(2026, 6, 1), QTime(9, 0), Qt::UTC);
    QTemporaryDir m_dir;
    Id m_collegeA = 0, m_collegeB = 0;
    Id m_springA = 0, m_autumnA = 0, m_springB = 0;

    QByteArray login(const QString &user)
    {
        HttpRequest r = request("/api/v1/login");
        r.method = "POST";
        r.headers.insert("content-type", "application/json");
        r.body = QJsonDocument(QJsonObject{{"username", user}, {"password", kPassword}}).toJson(QJsonDocument::Compact);
        const auto resp = m_api->handle(r);
        if (resp.status != 200)
            return {};
        return header(resp, "Set-Cookie").split(';').first().mid(QByteArray("kd_session=").size());
    }

    HttpResponse get(const QByteArray &target, const QString &user = QStringLiteral("office"))
    {
        return m_api->handle(request(target, login(user)));
    }

    qint64 auditRows(const QString &action)
    {
        auto store = m_pool->acquire();
        return (*store)->sql().query("SELECT count(*) FROM audit_log WHERE action = ?", {action})->first()[0].toLongLong();
    }

    QString lastAudit(const QString &action, QString *actor = nullptr)
    {
        auto store = m_pool->acquire();
        auto r = (*store)->sql().query("SELECT actor, detail FROM audit_log WHERE action = ? ORDER BY id DESC", {action});
        if (!r || r->isEmpty())
            return {};
        if (actor)
            *actor = r->first()[0].toString();
        return r->first()[1].toString();
    }

private slots:
    void init()
    {
        m_fresh = std::make_unique<FreshStore>();
        QVERIFY2(m_fresh->ok(), qPrintable(m_fresh->error()));
        m_pool = std::make_unique<StorePool>(m_fresh->location(), [this] { return m_now; });
        m_api = std::make_unique<Api>(*m_pool, ApiConfig{});
        auto held = m_pool->acquire();
        QVERIFY(held.ok());
        ServerStore &s = **held;
        {
            SqlTransaction tx(s.sql());
            const Id site = insertId(s, "INSERT INTO site (name) VALUES (?)", {QStringLiteral("信息楼考点")});
            const Id room = insertId(s, "INSERT INTO room (site_id, code) VALUES (?, ?)", {site, QStringLiteral("01")});
            m_collegeA = insertId(s, "INSERT INTO college (name) VALUES (?)", {QStringLiteral("信息工程学院")});
            m_collegeB = insertId(s, "INSERT INTO college (name) VALUES (?)", {QStringLiteral("机电工程学院")});
            const Id majorA = insertId(s, "INSERT INTO major (college_id, name) VALUES (?, ?)", {m_collegeA, QStringLiteral("软件技术")});
            const Id majorB = insertId(s, "INSERT INTO major (college_id, name) VALUES (?, ?)", {m_collegeB, QStringLiteral("机电一体化")});
            const Id cert = insertId(s, "INSERT INTO certificate (name) VALUES (?)", {QStringLiteral("Web 前端开发")});
            const Id pilotA = insertId(s, "INSERT INTO pilot (college_id, certificate_id, level) VALUES (?, ?, 2)", {m_collegeA, cert});
            const Id pilotB = insertId(s, "INSERT INTO pilot (college_id, certificate_id, level) VALUES (?, ?, 2)", {m_collegeB, cert});
            auto session = [&](Id pilot, const char *date) {
                return insertId(s, "INSERT INTO exam_session (pilot_id, site_id, exam_date, start_time, published_count)"
                                   " VALUES (?, ?, ?, '09:00', 10)",
                                {pilot, site, QString::fromLatin1(date)});
            };
            m_springA = session(pilotA, "2026-03-10"); // term 2025-2
            m_autumnA = session(pilotA, "2025-10-15"); // term 2025-1
            m_springB = session(pilotB, "2026-03-12"); // term 2025-2
            auto person = [&](Id session, Id major, const QString &idNumber, const QString &name, const QString &student,
                              const QString &className, const QString &ticket, const QString &seat) {
                const Id cand = insertId(s, "INSERT INTO candidate (id_number, name, student_number, major_id, class_name)"
                                            " VALUES (?, ?, ?, ?, ?)",
                                         {idNumber, name, student, major, className});
                return insertId(s, "INSERT INTO registration (session_id, candidate_id, ticket_number, room_id, seat)"
                                   " VALUES (?, ?, ?, ?, ?)",
                                {session, cand, ticket, room, seat});
            };
            const Id rare = person(m_springA, majorA, kFullId, kRareName, QStringLiteral("2023010101"),
                                   QStringLiteral("软件2301"), kTicket, QStringLiteral("01"));
            const Id dot = person(m_springA, majorA, QStringLiteral("65010219950505123X"), kDotName, kHostileStudent,
                                  kHostileClass, QStringLiteral("0012026002"), QStringLiteral("02"));
            const Id tab = person(m_springA, majorA, QStringLiteral("110101200001011111"), kTabName, QStringLiteral("-1+1"),
                                  QStringLiteral("@软件2302"), QStringLiteral("0012026003"), QStringLiteral("03"));
            // 买买提·艾力 withdrew (退考); the third was excused in advance (请假).
            QVERIFY(s.sql().query("UPDATE registration SET withdrawn_at = ?, withdrawn_on = '2026-03-01',"
                                  " withdrawn_reason = '转专业' WHERE id = ?",
                                  {QStringLiteral("2026-03-01T02:00:00.000Z"), dot}).ok());
            QVERIFY(s.sql().query("UPDATE registration SET excused_reason = '病假', excused_at = ? WHERE id = ?",
                                  {QStringLiteral("2026-03-09T02:00:00.000Z"), tab}).ok());
            person(m_autumnA, majorA, QStringLiteral("110101200001012222"), QStringLiteral("秋季考生"),
                   QStringLiteral("2023010199"), QStringLiteral("软件2301"), QStringLiteral("0012025901"), QStringLiteral("01"));
            person(m_springB, majorB, QStringLiteral("110101200001013333"), QStringLiteral("机电考生"),
                   QStringLiteral("2023020101"), QStringLiteral("机电2301"), QStringLiteral("0022026001"), QStringLiteral("01"));
            // 李𪚥 checked in late at 09:05 Beijing time and passed with 88.
            QVERIFY(s.sql().query("UPDATE registration SET attendance = 1, late = 1, checked_in_at = ?, outcome = 1,"
                                  " score = 88 WHERE id = ?",
                                  {QStringLiteral("2026-03-10T01:05:00.000Z"), rare}).ok());
            // The results file's scores for 李𪚥, in tenths.
            QVERIFY(s.sql().query("INSERT INTO result_record (registration_id, outcome, theory_tenths, practical_tenths,"
                                  " total_tenths, source, actor, recorded_at) VALUES (?, 1, 800, 915, 855, 'import', 'office', ?)",
                                  {rare, QStringLiteral("2026-04-01T02:00:00.000Z")}).ok());
            QVERIFY(tx.commit().ok());
        }
        const QString hash = hashPassword(kPassword);
        QVERIFY(s.accounts().addUser("office", hash, Role::Admin, std::nullopt, "test").ok());
        QVERIFY(s.accounts().addUser("college-a", hash, Role::CollegeViewer, m_collegeA, "test").ok());
    }

    void cleanup()
    {
        m_api.reset();
        m_pool.reset();
        m_fresh.reset();
    }

    // The term rule as the overview's terms.js counts it: January is the
    // autumn term's, February to July the spring term's.
    void schoolTermsAsTheOverviewCountsThem()
    {
        QCOMPARE(SchoolTerm::of(QDate(2025, 8, 1)).key(), QStringLiteral("2025-1"));
        QCOMPARE(SchoolTerm::of(QDate(2026, 1, 31)).key(), QStringLiteral("2025-1"));
        QCOMPARE(SchoolTerm::of(QDate(2026, 2, 1)).key(), QStringLiteral("2025-2"));
        QCOMPARE(SchoolTerm::of(QDate(2026, 7, 31)).key(), QStringLiteral("2025-2"));
        QCOMPARE(SchoolTerm::of(QDate(2026, 8, 1)).key(), QStringLiteral("2026-1"));
        const auto spring = SchoolTerm::fromKey(QStringLiteral("2025-2"));
        QVERIFY(spring);
        QCOMPARE(spring->first(), QDate(2026, 2, 1));
        QCOMPARE(spring->last(), QDate(2026, 7, 31));
        QCOMPARE(spring->label(), QStringLiteral("2025–2026 学年第二学期"));
        QCOMPARE(SchoolTerm::fromKey(QStringLiteral("2025-1"))->last(), QDate(2026, 1, 31));
        for (const char *bad : {"2025-3", "2025", "25-1", "2025-1 ", "all", ""})
            QVERIFY2(!SchoolTerm::fromKey(QString::fromLatin1(bad)), bad);
    }

    void csvHasBomRealNamesStateAndNeutralisedCells()
    {
        const auto r = get("/api/v1/exports/people?format=csv&session=" + QByteArray::number(m_springA));
        QCOMPARE(r.status, 200);
        QVERIFY(r.contentType.startsWith("text/csv"));
        QVERIFY(header(r, "Content-Disposition").contains("people-session-"));
        QVERIFY(r.body.startsWith("\xEF\xBB\xBF"));           // Excel reads UTF-8
        QVERIFY(r.body.contains(kRareName.toUtf8()));          // 4-byte UTF-8 survives
        QVERIFY(r.body.contains(kDotName.toUtf8()));
        const auto rows = parseCsv(r.body);
        QCOMPARE(rows.size(), 1 + 3);
        for (const auto &row : rows)
            for (const auto &field : row)
                QVERIFY2(!startsLikeAFormula(field), qPrintable(field));
        QVERIFY(column(rows, "班级").contains(QLatin1Char('\'') + kHostileClass));
        QVERIFY(column(rows, "学号").contains(QLatin1Char('\'') + kHostileStudent));
        QVERIFY(column(rows, "学号").contains(QStringLiteral("'-1+1")));
        QVERIFY(column(rows, "姓名").contains(QLatin1Char('\'') + kTabName));
        QVERIFY(column(rows, "班级").contains(QStringLiteral("'@软件2302")));
        QCOMPARE(column(rows, "姓名").first(), kRareName);
        QCOMPARE(column(rows, "准考证号").first(), kTicket);
        QCOMPARE(column(rows, "身份证号").first(), kMaskedId);
        QVERIFY(!r.body.contains(kFullId.toUtf8()));
        QCOMPARE(column(rows, "考勤").first(), QStringLiteral("迟到签到"));
        QCOMPARE(column(rows, "签到时间").first(), QStringLiteral("2026-03-10 09:05:00"));
        QCOMPARE(column(rows, "考试结果").first(), QStringLiteral("通过"));
        QCOMPARE(column(rows, "成绩").first(), QStringLiteral("88"));
        QCOMPARE(column(rows, "考勤").last(), QStringLiteral("未签到"));
        // Registration status and the results file's scores.
        QCOMPARE(column(rows, "报名状态"),
                 (QStringList{QStringLiteral("正常"), QStringLiteral("已退考（2026-03-01：转专业）"), QStringLiteral("请假：病假")}));
        QCOMPARE(column(rows, "理论成绩").first(), QStringLiteral("80"));
        QCOMPARE(column(rows, "实操成绩").first(), QStringLiteral("91.5"));
        QCOMPARE(column(rows, "总成绩").first(), QStringLiteral("85.5"));
        QCOMPARE(column(rows, "总成绩").last(), QString());
        // Nothing of another session.
        QVERIFY(!r.body.contains("秋季考生"));
        QVERIFY(!r.body.contains("机电考生"));
        // A masked export is not a disclosure: no audit row.
        QCOMPARE(auditRows("export.people.full_id"), 0);
    }

    void xlsxKeepsNumbersAsTextAndNeutralisesCells()
    {
        if (QStandardPaths::findExecutable("unzip").isEmpty())
            QSKIP("needs unzip");
        const auto r = get("/api/v1/exports/people?format=xlsx&session=" + QByteArray::number(m_springA));
        QCOMPARE(r.status, 200);
        QVERIFY(header(r, "Content-Disposition").contains(".xlsx"));
        const Sheet sheet = readSheet(r.body, m_dir.path());
        QCOMPARE(sheet.rows.size(), 1 + 3);
        QVERIFY(!sheet.xml.contains("<f>"));                   // no formula anywhere
        const QStringList labels = sheet.rows.first();
        const auto col = [&](const QString &label) { return labels.indexOf(label); };
        QVERIFY(col("身份证号") >= 0 && col("准考证号") >= 0 && col("成绩") >= 0);
        const QStringList rare = sheet.rows[1];
        QCOMPARE(rare[col("姓名")], kRareName);
        QCOMPARE(rare[col("准考证号")], kTicket);              // leading zeros kept
        QVERIFY(sheet.isString[1][col("准考证号")]);           // a string cell, not 12026001
        QCOMPARE(rare[col("身份证号")], kMaskedId);
        QVERIFY(sheet.isString[1][col("身份证号")]);
        QCOMPARE(rare[col("成绩")], QStringLiteral("88"));
        QVERIFY(!sheet.isString[1][col("成绩")]);             // a score stays a number
        QCOMPARE(sheet.rows[2][col("姓名")], kDotName);
        QCOMPARE(sheet.rows[2][col("班级")], QLatin1Char('\'') + kHostileClass);
        QCOMPARE(sheet.rows[2][col("学号")], QLatin1Char('\'') + kHostileStudent);
        QCOMPARE(sheet.rows[3][col("姓名")], QLatin1Char('\'') + kTabName);
        for (qsizetype r = 0; r < sheet.rows.size(); ++r)
            for (qsizetype c = 0; c < sheet.rows[r].size(); ++c)
                if (sheet.isString[r][c])
                    QVERIFY2(!startsLikeAFormula(sheet.rows[r][c]), qPrintable(sheet.rows[r][c]));
        QVERIFY(!sheet.xml.contains(kFullId.toUtf8()));
    }

    void fullIdsAreTheOfficesWithAReasonAndAudited()
    {
        const QByteArray base = "/api/v1/exports/people?format=xlsx&session=" + QByteArray::number(m_springA);
        // No reason: refused, nothing audited.
        QCOMPARE(get(base + "&full_id=1").status, 400);
        QCOMPARE(get(base + "&full_id=1&reason=%20%20").status, 400);
        QCOMPARE(auditRows("export.people.full_id"), 0);
        // With a reason: the full number, in a string cell, and one audit row.
        const auto r = get(base + "&full_id=1&reason=" + QUrl::toPercentEncoding(QStringLiteral("人社厅证书核发")));
        QCOMPARE(r.status, 200);
        if (!QStandardPaths::findExecutable("unzip").isEmpty()) {
            const Sheet sheet = readSheet(r.body, m_dir.path());
            const qsizetype c = sheet.rows.first().indexOf(QStringLiteral("身份证号"));
            QCOMPARE(sheet.rows[1][c], kFullId);
            QVERIFY(sheet.isString[1][c]); // not 3.50102E+17
            QCOMPARE(sheet.rows[2][c], QStringLiteral("65010219950505123X"));
        }
        QCOMPARE(auditRows("export.people.full_id"), 1);
        QString actor;
        const QString detail = lastAudit("export.people.full_id", &actor);
        QCOMPARE(actor, QStringLiteral("office"));
        QVERIFY2(detail.contains(QStringLiteral("人社厅证书核发")), qPrintable(detail));
        QVERIFY2(detail.contains(QStringLiteral("场次 #%1").arg(m_springA)), qPrintable(detail));
        QVERIFY2(detail.contains(QStringLiteral("3 人")), qPrintable(detail));
        // The CSV too.
        const auto csv = get("/api/v1/exports/people?format=csv&full_id=1&reason=x&term=2025-2");
        QCOMPARE(csv.status, 200);
        QVERIFY(csv.body.contains(kFullId.toUtf8()));
        QCOMPARE(auditRows("export.people.full_id"), 2);
        QVERIFY(lastAudit("export.people.full_id").contains(QStringLiteral("2025–2026 学年第二学期")));
    }

    void aCollegeViewerGetsItsOwnCollegeMaskedOnly()
    {
        // Its own session, masked.
        const auto own = get("/api/v1/exports/people?format=csv&session=" + QByteArray::number(m_springA),
                             QStringLiteral("college-a"));
        QCOMPARE(own.status, 200);
        QVERIFY(own.body.contains(kMaskedId.toUtf8()));
        // Another college's session does not exist for it.
        QCOMPARE(get("/api/v1/exports/people?format=csv&session=" + QByteArray::number(m_springB),
                     QStringLiteral("college-a")).status, 404);
        // A term: its own college's people only.
        const auto term = get("/api/v1/exports/people?format=csv&term=2025-2", QStringLiteral("college-a"));
        QCOMPARE(term.status, 200);
        QVERIFY(term.body.contains(kRareName.toUtf8()));
        QVERIFY(!term.body.contains("机电考生"));
        const auto all = get("/api/v1/exports/people?format=xlsx", QStringLiteral("college-a"));
        QCOMPARE(all.status, 200);
        QVERIFY(!all.body.isEmpty());
        // Never full ID numbers, reason or not; nothing audited.
        const auto full = get("/api/v1/exports/people?format=csv&full_id=1&reason=x&session="
                                  + QByteArray::number(m_springA),
                              QStringLiteral("college-a"));
        QCOMPARE(full.status, 403);
        QVERIFY(!full.body.contains(kFullId.toUtf8()));
        QCOMPARE(auditRows("export.people.full_id"), 0);
        // Not logged in: nothing.
        QCOMPARE(m_api->handle(request("/api/v1/exports/people?format=csv")).status, 401);
    }

    void aTermKeepsOnlyItsSessions()
    {
        const auto autumn = get("/api/v1/exports/people?format=csv&term=2025-1");
        QCOMPARE(autumn.status, 200);
        QVERIFY(header(autumn, "Content-Disposition").contains("people-2025-1.csv"));
        const auto rows = parseCsv(autumn.body);
        QCOMPARE(column(rows, "姓名"), QStringList{QStringLiteral("秋季考生")});
        const auto spring = parseCsv(get("/api/v1/exports/people?format=csv&term=2025-2").body);
        QCOMPARE(column(spring, "考试日期"),
                 (QStringList{"2026-03-10", "2026-03-10", "2026-03-10", "2026-03-12"}));
        const auto every = parseCsv(get("/api/v1/exports/people?format=csv&term=all").body);
        QCOMPARE(every.size(), 1 + 5);
        // Nonsense is refused, not read as "everything".
        QCOMPARE(get("/api/v1/exports/people?format=csv&term=2025-3").status, 400);
        QCOMPARE(get("/api/v1/exports/people?format=pdf&term=2025-1").status, 400);
        QCOMPARE(get("/api/v1/exports/people?format=csv&session=abc").status, 400);
        QCOMPARE(get("/api/v1/exports/people?format=csv&session=999999").status, 404);

        // The statistics' exports honour the term as well.
        const auto stats = get("/api/v1/statistics?format=csv&term=2025-1");
        QCOMPARE(stats.status, 200);
        QVERIFY(header(stats, "Content-Disposition").contains("statistics-2025-1.csv"));
        const auto statRows = parseCsv(stats.body);
        QCOMPARE(column(statRows, "考试日期"), QStringList{QStringLiteral("2025-10-15")});
        const auto statsSpring = parseCsv(get("/api/v1/statistics?format=csv&term=2025-2").body);
        QCOMPARE(column(statsSpring, "考试日期"), (QStringList{"2026-03-10", "2026-03-12"}));
        const auto json = QJsonDocument::fromJson(get("/api/v1/statistics?term=2025-1").body).object();
        QCOMPARE(json["sessions"].toArray().size(), 1);
        QCOMPARE(get("/api/v1/statistics?format=csv&term=autumn").status, 400);
        QCOMPARE(parseCsv(get("/api/v1/statistics?format=csv").body).size(), 1 + 3);
    }

    void theCommandExportsAndAuditsFullIds()
    {
        const QString binary = QStringLiteral(KAODIAN_SERVER_BINARY);
        const StoreLocation location = m_fresh->location();
        // The binary opens the store itself.
        m_api.reset();
        m_pool.reset();
        QStringList where;
        if (!location.postgresUrl.isEmpty())
            where << QStringLiteral("--postgres") << location.postgresUrl;
        else
            where << QStringLiteral("--data") << location.dataDir;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("KAODIAN_POSTGRES_URL"));
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        auto run = [&](const QStringList &args) {
            QProcess p;
            p.setProcessEnvironment(env);
            p.start(binary, QStringList{QStringLiteral("export-roster")} + where + args);
            Finished f;
            if (p.waitForStarted(10000) && p.waitForFinished(60000)) {
                f.ok = p.exitStatus() == QProcess::NormalExit;
                f.exitCode = p.exitCode();
            }
            f.out = p.readAllStandardOutput();
            f.err = p.readAllStandardError();
            return f;
        };
        const QString csv = m_dir.filePath(QStringLiteral("term.csv"));
        auto f = run({"--term", "2025-2", "--format", "csv", "--out", csv});
        QVERIFY2(f.ok && f.exitCode == 0, f.err.constData());
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(bytes.startsWith("\xEF\xBB\xBF"));
        QCOMPARE(parseCsv(bytes).size(), 1 + 4);
        QVERIFY(bytes.contains(kMaskedId.toUtf8()));
        QVERIFY(!bytes.contains(kFullId.toUtf8()));

        // --full-id needs --reason.
        const QString xlsx = m_dir.filePath(QStringLiteral("full.xlsx"));
        f = run({"--session", QString::number(m_springA), "--format", "xlsx", "--full-id", "--out", xlsx});
        QVERIFY(f.ok);
        QCOMPARE(f.exitCode, 1);
        QVERIFY(!QFile::exists(xlsx));
        f = run({"--session", QString::number(m_springA), "--format", "xlsx", "--full-id", "--reason",
                 QStringLiteral("补办证书"), "--out", xlsx});
        QVERIFY2(f.ok && f.exitCode == 0, f.err.constData());
        if (!QStandardPaths::findExecutable("unzip").isEmpty()) {
            QFile x(xlsx);
            QVERIFY(x.open(QIODevice::ReadOnly));
            const Sheet sheet = readSheet(x.readAll(), m_dir.path());
            QCOMPARE(sheet.rows[1][sheet.rows.first().indexOf(QStringLiteral("身份证号"))], kFullId);
        }
        auto store = ServerStore::open(location);
        QVERIFY(store.ok());
        auto audit = (*store)->sql().query("SELECT actor, detail FROM audit_log WHERE action = 'export.people.full_id'");
        QVERIFY(audit.ok());
        QCOMPARE(audit->rows.size(), 1);
        QCOMPARE(audit->first()[0].toString(), QStringLiteral("cli"));
        QVERIFY(audit->first()[1].toString().contains(QStringLiteral("补办证书")));
        // Neither a session nor a term: a usage error.
        f = run({"--format", "csv", "--out", csv});
        QCOMPARE(f.exitCode, 1);
    }
};

QTEST_GUILESS_MAIN(TestExports)
#include "tst_exports.moc"
