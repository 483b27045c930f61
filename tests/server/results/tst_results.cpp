// Results (成绩单) against both stores (issue #16 items 1–3): the import
// with every problem by line and column, the encodings and the .xlsx Excel
// saves, the same file twice, replacement with audit, a result surviving
// later kiosk events, corrections, final refused while results are pending,
// re-opening, and pending results never entering a pass rate.

#include "import/resultimport.h"
#include "import/rosterfields.h"
#include "import/rosterimport.h"
#include "office/registrations.h"
#include "office/results.h"
#include "office/rosters.h"

#include "freshstore.h"

#include <QStringEncoder>
#include <QTemporaryDir>
#include <QTest>

#include <xlsxwriter.h>

using namespace kaodian;
using namespace kaodian::server;

namespace {

const QString kCert = QStringLiteral("Web前端开发");

// A valid ID-card number for a serial (check character per GB 11643).
QString idNumber(int serial)
{
    const QString first17 = QStringLiteral("35010220000101%1").arg(serial, 3, 10, QLatin1Char('0'));
    return first17 + idNumberCheckCharacter(first17);
}

struct Person
{
    QString ticket;
    QString name;
};

// R1–R3 and R6 check in, R4 is marked absent, R5 never comes.
const QList<Person> kPeople = {
    {QStringLiteral("T2026001"), QStringLiteral("李𪚥")},
    {QStringLiteral("T2026002"), QStringLiteral("买买提·艾力")},
    {QStringLiteral("T2026003"), QStringLiteral("王芳")},
    {QStringLiteral("T2026004"), QStringLiteral("张伟")},
    {QStringLiteral("T2026005"), QStringLiteral("刘洋")},
    {QStringLiteral("0020260006"), QStringLiteral("陈静")},
};

QByteArray rosterCsv()
{
    QStringList lines{QStringLiteral("准考证号,姓名,身份证号,学号,专业,班级,二级学院,证书,等级,培训评价组织,考点,考场,座位号,考试日期,开始时间")};
    for (int i = 0; i < kPeople.size(); ++i)
        lines << QStringLiteral("%1,%2,%3,2024%4,软件技术,软件2401,信息工程学院,%5,初级,某评价组织,实训楼考点,01,%6,2026-06-01,09:00")
                     .arg(kPeople[i].ticket, kPeople[i].name, idNumber(i + 1))
                     .arg(i + 1, 3, 10, QLatin1Char('0'))
                     .arg(kCert)
                     .arg(i + 1);
    return lines.join(QLatin1Char('\n')).toUtf8();
}

QByteArray csv(const QStringList &lines, QChar separator = QLatin1Char(','))
{
    QStringList out;
    for (const QString &l : lines)
        out << QString(l).replace(QLatin1Char(','), separator);
    return out.join(QStringLiteral("\r\n")).toUtf8();
}

const QString kHeader = QStringLiteral("准考证号,姓名,考核结果,理论成绩,实操成绩,总成绩");

// Every candidate who sat or was absent, as the 培训评价组织 reports them.
QStringList goodLines()
{
    return {kHeader,
            QStringLiteral("T2026001,李𪚥,通过,80,91,85.5"),
            QStringLiteral("T2026002,买买提•艾力,不通过,40,50,45"),
            QStringLiteral("T2026003,王芳,合格,,,"),
            QStringLiteral("T2026004,张伟,缺考,,,"),
            QStringLiteral("0020260006,陈静,不合格,,,59.5")};
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestResults : public QObject
{
    Q_OBJECT

    std::unique_ptr<testing::FreshStore> m_fresh;
    std::unique_ptr<ServerStore> m_store;
    QHash<QString, Id> m_reg; // ticket -> registration
    Id m_session = 0;
    qint64 m_nextEvent = 1;

    qint64 count(const QString &sql)
    {
        auto r = m_store->sql().query(sql);
        return r ? r->first().first().toLongLong() : -1;
    }

    void event(EventKind kind, const QString &ticket, std::optional<Outcome> outcome = std::nullopt)
    {
        KioskEvent e;
        e.kioskId = QStringLiteral("K1");
        e.eventId = m_nextEvent++;
        e.kind = kind;
        e.sessionId = m_session;
        e.registrationId = m_reg.value(ticket);
        e.deviceTime = QDateTime(QDate(2026, 6, 1), QTime(0, 50), Qt::UTC).addSecs(m_nextEvent);
        e.outcome = outcome;
        auto r = m_store->events().ingest(QStringLiteral("K1"), {e}, QDateTime::currentDateTimeUtc());
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
    }

    OfficeResult<ResultsSummary> import(const QByteArray &bytes, const QString &name = QStringLiteral("成绩.csv"),
                                        bool replace = false, const QString &reason = {})
    {
        return office::importResults(*m_store, bytes, name, replace, reason, QStringLiteral("office"));
    }

    SessionTally tally()
    {
        auto report = m_store->statistics().report(std::nullopt);
        if (!report || report->sessions.isEmpty())
            return {};
        return report->sessions.first().tally;
    }

    QString problemsText(const OfficeError &e)
    {
        QStringList out;
        for (const auto &p : e.problems)
            out << QStringLiteral("%1|%2|%3").arg(p.line).arg(p.column, p.message);
        return out.join(QLatin1Char('\n'));
    }

private slots:
    void init()
    {
        m_fresh = std::make_unique<testing::FreshStore>();
        QVERIFY2(m_fresh->ok(), qPrintable(m_fresh->error()));
        auto s = ServerStore::open(m_fresh->location());
        QVERIFY(s.ok());
        m_store = std::move(s).value();
        auto roster = office::importRoster(*m_store, rosterCsv(), QStringLiteral("名单.csv"), QStringLiteral("office"));
        QVERIFY2(roster.ok(), roster.ok() ? "" : qPrintable(roster.error().message + problemsText(roster.error())));
        auto regs = m_store->sql().query(QStringLiteral("SELECT ticket_number, id, session_id FROM registration"));
        QVERIFY(regs.ok());
        for (const auto &row : regs->rows) {
            m_reg.insert(row[0].toString(), row[1].toLongLong());
            m_session = row[2].toLongLong();
        }
        QCOMPARE(m_reg.size(), kPeople.size());
        m_nextEvent = 1;
        for (const QString &t : {QStringLiteral("T2026001"), QStringLiteral("T2026002"), QStringLiteral("T2026003"),
                                 QStringLiteral("0020260006")})
            event(EventKind::CheckIn, t);
        event(EventKind::MarkAbsent, QStringLiteral("T2026004"));
        QCOMPARE(tally().sat, 4);
    }
    void cleanup()
    {
        m_store.reset();
        m_fresh.reset();
        m_reg.clear();
    }

    void importsAndCounts()
    {
        auto r = import(csv(goodLines()));
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(problemsText(r.error())));
        QCOMPARE(r->rows, 5);
        QCOMPARE(r->recorded, 5);
        const SessionTally t = tally();
        QCOMPARE(t.sat, 4);
        QCOMPARE(t.passed, 2);
        QCOMPARE(t.failed, 2);
        QCOMPARE(t.pending(), 0);
        // Scores kept exactly, in tenths.
        QCOMPARE(count(QStringLiteral("SELECT total_tenths FROM result_record WHERE registration_id = %1")
                           .arg(m_reg.value(QStringLiteral("T2026001")))),
                 855);
        auto results = m_store->results().officeResults(m_session);
        QVERIFY(results.ok());
        QCOMPARE(results->size(), 5);
        QCOMPARE(results->first().value.words(), QStringLiteral("通过（理论 80，实操 91，总成绩 85.5）"));
    }

    void sameFileTwiceChangesNothing()
    {
        const QByteArray bytes = csv(goodLines());
        QVERIFY(import(bytes).ok());
        const qint64 audit = count(QStringLiteral("SELECT count(*) FROM audit_log"));
        const qint64 records = count(QStringLiteral("SELECT count(*) FROM result_record"));
        auto again = import(bytes);
        QVERIFY(again.ok());
        QVERIFY(again->alreadyImported);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM audit_log")), audit);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM result_record")), records);
        // The same results in other bytes (GB18030 this time): every row unchanged.
        auto gb = import(QStringEncoder("GB18030").encode(goodLines().join(QStringLiteral("\r\n"))));
        QVERIFY(gb.ok());
        QVERIFY(!gb->alreadyImported);
        QCOMPARE(gb->unchanged, 5);
        QCOMPARE(gb->recorded, 0);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM result_record")), records);
    }

    void everyProblemWithLineAndColumn()
    {
        const QByteArray bytes = csv({kHeader,
                                      QStringLiteral("T2026099,某人,通过,,,"),          // 2 unknown
                                      QStringLiteral("T2026001,李四,通过,,,"),          // 3 name
                                      QStringLiteral("T2026004,张伟,通过,,,"),          // 4 absent at the kiosk
                                      QStringLiteral("T2026005,刘洋,不通过,,,"),        // 5 never checked in
                                      QStringLiteral("T2026002,买买提·艾力,缺考,,,"),   // 6 checked in
                                      QStringLiteral("T2026003,王芳,通过,,,"),          // 7 fine
                                      QStringLiteral("T2026003,王芳,通过,,,"),          // 8 twice
                                      QStringLiteral("0020260006,陈静,通过,101,,"),     // 9 out of range
                                      QStringLiteral("T2026001,李𪚥,优秀,,,")});        // 10 unknown word
        auto r = import(bytes);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, OfficeError::Kind::Refused);
        const QString text = problemsText(r.error());
        qDebug().noquote() << text;
        const auto has = [&](int line, const QString &column, const QString &words) {
            for (const auto &p : r.error().problems)
                if (p.line == line && p.column == column && p.message.contains(words))
                    return true;
            return false;
        };
        // Every problem at once, by line: the file's own and the store's.
        QVERIFY2(has(2, QStringLiteral("准考证号"), QStringLiteral("没有准考证号为 T2026099")), qPrintable(text));
        QVERIFY2(has(3, QStringLiteral("姓名"), QStringLiteral("“李𪚥”")), qPrintable(text));
        QVERIFY2(has(4, QStringLiteral("考核结果"), QStringLiteral("缺考")), qPrintable(text));
        QVERIFY2(has(5, QStringLiteral("考核结果"), QStringLiteral("未签到")), qPrintable(text));
        QVERIFY2(has(6, QStringLiteral("考核结果"), QStringLiteral("已签到参加考试")), qPrintable(text));
        QVERIFY2(has(8, QStringLiteral("准考证号"), QStringLiteral("与第 7 行是同一位考生")), qPrintable(text));
        QVERIFY2(has(9, QStringLiteral("理论成绩"), QStringLiteral("超出范围")), qPrintable(text));
        QVERIFY2(has(10, QStringLiteral("考核结果"), QStringLiteral("无法识别")), qPrintable(text));
        QCOMPARE(r.error().problems.size(), 8);
        for (qsizetype i = 1; i < r.error().problems.size(); ++i)
            QVERIFY(r.error().problems[i - 1].line <= r.error().problems[i].line);
        // All or nothing: line 7 was fine, and nothing is recorded.
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM result_record")), 0);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM import_batch")), 1); // the roster's
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM audit_log WHERE action = 'results.refused'")), 1);
    }

    void foundByIdNumberWithCertificateAndLevel()
    {
        auto r = import(csv({QStringLiteral("身份证号,姓名,证书,等级,是否通过"),
                             idNumber(1) + QStringLiteral(",李𪚥,") + kCert + QStringLiteral(",初级,通过"),
                             idNumber(2) + QStringLiteral(",买买提·艾力,") + kCert + QStringLiteral(",中级,通过"),
                             idNumber(3) + QStringLiteral(",张三,") + kCert + QStringLiteral(",初级,通过")}));
        QVERIFY(!r.ok());
        const QString text = problemsText(r.error());
        QCOMPARE(r.error().problems.size(), 2);
        QVERIFY2(r.error().problems[0].line == 3 && r.error().problems[0].column == QStringLiteral("身份证号")
                     && r.error().problems[0].message.contains(QStringLiteral("中级")),
                 qPrintable(text));
        QVERIFY2(r.error().problems[1].line == 4 && r.error().problems[1].column == QStringLiteral("姓名")
                     && r.error().problems[1].message.contains(QStringLiteral("王芳")),
                 qPrintable(text));
        // The ID number is never shown whole (PIPL).
        QVERIFY(!text.contains(idNumber(3)));
        auto ok = import(csv({QStringLiteral("身份证号,姓名,证书,等级,是否通过"),
                              idNumber(1) + QStringLiteral(",李𪚥,") + kCert + QStringLiteral(",初级,是")}));
        QVERIFY2(ok.ok(), ok.ok() ? "" : qPrintable(problemsText(ok.error())));
        QCOMPARE(tally().passed, 1);
    }

    void encodingsAndBoms_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        const QString text = goodLines().join(QStringLiteral("\r\n"));
        QTest::newRow("UTF-8") << text.toUtf8();
        QTest::newRow("UTF-8 BOM") << QByteArray("\xEF\xBB\xBF") + text.toUtf8();
        QTest::newRow("GB18030") << QByteArray(QStringEncoder("GB18030").encode(text));
        QStringEncoder le(QStringEncoder::Utf16LE, QStringEncoder::Flag::WriteBom);
        QTest::newRow("UTF-16LE tabs (Unicode text)") << QByteArray(le.encode(QString(text).replace(QLatin1Char(','), QLatin1Char('\t'))));
        QStringEncoder be(QStringEncoder::Utf16BE, QStringEncoder::Flag::WriteBom);
        QTest::newRow("UTF-16BE") << QByteArray(be.encode(text));
    }
    void encodingsAndBoms()
    {
        QFETCH(QByteArray, bytes);
        auto parsed = parseResultFile(bytes, QStringLiteral("成绩.csv"));
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->rows.first().name, QStringLiteral("李𪚥")); // U+2A6A5, four bytes in GB18030
        QCOMPARE(parsed->rows.at(1).name, QStringLiteral("买买提•艾力"));
        auto r = import(bytes);
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(problemsText(r.error())));
        QCOMPARE(r->recorded, 5);
        QCOMPARE(tally().passed, 2);
    }

    void xlsxAsExcelSavesIt()
    {
        QTemporaryDir dir;
        const QByteArray path = dir.filePath(QStringLiteral("成绩.xlsx")).toUtf8();
        lxw_workbook *wb = workbook_new(path.constData());
        lxw_worksheet *ws = workbook_add_worksheet(wb, "成绩");
        // A title row above the header, as the organisation's sheets have.
        worksheet_write_string(ws, 0, 0, "2026年6月 Web前端开发（初级）成绩", nullptr);
        const char *header[] = {"准考证号", "姓名", "考核结果", "理论成绩", "实操成绩", "总成绩"};
        for (int c = 0; c < 6; ++c)
            worksheet_write_string(ws, 1, static_cast<lxw_col_t>(c), header[c], nullptr);
        worksheet_write_string(ws, 2, 0, "T2026001", nullptr);
        worksheet_write_string(ws, 2, 1, "李𪚥", nullptr);
        worksheet_write_string(ws, 2, 2, "通过", nullptr);
        worksheet_write_number(ws, 2, 3, 78.3, nullptr); // 78.299999999999997 in the file
        worksheet_write_number(ws, 2, 4, 90, nullptr);
        worksheet_write_formula_num(ws, 2, 5, "=ROUND((D3+E3)/2,1)", nullptr, 84.2);
        // 0020260006 typed into a General cell: Excel keeps the number 20260006.
        worksheet_write_number(ws, 3, 0, 20260006, nullptr);
        worksheet_write_string(ws, 3, 1, "陈静", nullptr);
        worksheet_write_string(ws, 3, 2, "通过", nullptr);
        QCOMPARE(workbook_close(wb), LXW_NO_ERROR);
        const QByteArray bytes = readFile(QString::fromUtf8(path));
        auto r = import(bytes, QStringLiteral("成绩.xlsx"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().problems.size(), 1);
        QCOMPARE(r.error().problems.first().line, 4);
        QVERIFY2(r.error().problems.first().message.contains(QStringLiteral("开头的 0")), qPrintable(problemsText(r.error())));

        lxw_workbook *wb2 = workbook_new(path.constData());
        lxw_worksheet *ws2 = workbook_add_worksheet(wb2, "成绩");
        for (int c = 0; c < 6; ++c)
            worksheet_write_string(ws2, 0, static_cast<lxw_col_t>(c), header[c], nullptr);
        worksheet_write_string(ws2, 1, 0, "T2026001", nullptr);
        worksheet_write_string(ws2, 1, 1, "李𪚥", nullptr);
        worksheet_write_string(ws2, 1, 2, "通过", nullptr);
        worksheet_write_number(ws2, 1, 3, 78.3, nullptr);
        worksheet_write_number(ws2, 1, 4, 90, nullptr);
        worksheet_write_formula_num(ws2, 1, 5, "=ROUND((D2+E2)/2,1)", nullptr, 84.2);
        worksheet_write_string(ws2, 2, 0, "0020260006", nullptr);
        worksheet_write_string(ws2, 2, 1, "陈静", nullptr);
        worksheet_write_string(ws2, 2, 2, "不通过", nullptr);
        QCOMPARE(workbook_close(wb2), LXW_NO_ERROR);
        auto ok = import(readFile(QString::fromUtf8(path)), QStringLiteral("成绩.xlsx"));
        QVERIFY2(ok.ok(), ok.ok() ? "" : qPrintable(problemsText(ok.error())));
        QCOMPARE(ok->recorded, 2);
        auto results = m_store->results().officeResults(m_session);
        QVERIFY(results.ok());
        QCOMPARE(results->first().value.theory, std::optional<int>(783));
        QCOMPARE(results->first().value.total, std::optional<int>(842));
    }

    void scientificTicketRefused()
    {
        auto r = import(csv({kHeader, QStringLiteral("2.0261E+11,某人,通过,,,")}));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().problems.size(), 1);
        QVERIFY(r.error().problems.first().message.contains(QStringLiteral("科学计数法")));
    }

    void changedResultsNeedReplaceWithReason()
    {
        QVERIFY(import(csv(goodLines())).ok());
        QStringList changed = goodLines();
        changed[1] = QStringLiteral("T2026001,李𪚥,不通过,50,50,50");
        auto refused = import(csv(changed));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().problems.size(), 1);
        QCOMPARE(refused.error().problems.first().line, 2);
        QVERIFY(refused.error().problems.first().message.contains(QStringLiteral("已有成绩“通过（理论 80，实操 91，总成绩 85.5）”")));
        auto noReason = import(csv(changed), QStringLiteral("成绩.csv"), true, QStringLiteral("  "));
        QVERIFY(!noReason.ok());
        QCOMPARE(noReason.error().kind, OfficeError::Kind::BadInput);
        auto replaced = import(csv(changed), QStringLiteral("成绩（更正）.csv"), true, QStringLiteral("评价组织来函更正"));
        QVERIFY2(replaced.ok(), replaced.ok() ? "" : qPrintable(problemsText(replaced.error())));
        QCOMPARE(replaced->replaced, 1);
        QCOMPARE(replaced->unchanged, 4);
        QCOMPARE(tally().passed, 1);
        // The old value is kept, in the record and in the audit log.
        QCOMPARE(count(QStringLiteral("SELECT previous_total_tenths FROM result_record WHERE source = 'replacement'")), 855);
        auto audit = m_store->sql().query(QStringLiteral("SELECT detail FROM audit_log WHERE action = 'results.replace'"));
        QVERIFY(audit.ok());
        QCOMPARE(audit->rows.size(), 1);
        const QString detail = audit->first().first().toString();
        QVERIFY2(detail.contains(QStringLiteral("由“通过（理论 80，实操 91，总成绩 85.5）”改为“不通过"))
                     && detail.contains(QStringLiteral("评价组织来函更正")),
                 qPrintable(detail));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM result_record")), 6); // append-only
    }

    void resultOutlivesKioskEvents()
    {
        QVERIFY(import(csv({kHeader, QStringLiteral("T2026001,李𪚥,不通过,,,40")})).ok());
        // A kiosk batch after the import: its result event and another check-in.
        event(EventKind::Result, QStringLiteral("T2026001"), Outcome::Pass);
        event(EventKind::MarkLate, QStringLiteral("T2026001"));
        QCOMPARE(count(QStringLiteral("SELECT outcome FROM registration WHERE id = %1").arg(m_reg.value(QStringLiteral("T2026001")))), 2);
        QCOMPARE(tally().failed, 1);
        QCOMPARE(tally().passed, 0);
        // A kiosk result where no office result exists still counts.
        event(EventKind::Result, QStringLiteral("T2026002"), Outcome::Pass);
        QCOMPARE(tally().passed, 1);
    }

    void correctionsAreAuditedWithTheOldValue()
    {
        QVERIFY(import(csv(goodLines())).ok());
        const Id r2 = m_reg.value(QStringLiteral("T2026002"));
        ResultValue pass{ResultOutcome::Pass, std::nullopt, std::nullopt, 605};
        auto noReason = office::correctResult(*m_store, m_session, r2, pass, QString(), QStringLiteral("office"));
        QVERIFY(!noReason.ok());
        QCOMPARE(noReason.error().kind, OfficeError::Kind::BadInput);
        auto done = office::correctResult(*m_store, m_session, r2, pass, QStringLiteral("复核后改判"), QStringLiteral("office"));
        QVERIFY(done.ok());
        QVERIFY(*done);
        QCOMPARE(tally().passed, 3);
        auto again = office::correctResult(*m_store, m_session, r2, pass, QStringLiteral("复核后改判"), QStringLiteral("office"));
        QVERIFY(again.ok());
        QVERIFY(!*again);
        auto results = m_store->results().officeResults(m_session);
        QVERIFY(results.ok());
        const auto it = std::find_if(results->begin(), results->end(), [&](const StoredResult &s) { return s.registrationId == r2; });
        QVERIFY(it != results->end());
        QCOMPARE(it->source, QStringLiteral("correction"));
        QCOMPARE(it->reason, QStringLiteral("复核后改判"));
        QVERIFY(it->previous.has_value());
        QCOMPARE(it->previous->outcome, ResultOutcome::Fail);
        QCOMPARE(it->versions, 2);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM audit_log WHERE action = 'results.correct'")), 1);
        // The kiosks' attendance rules correction too; another session's registration is not found.
        auto absent = office::correctResult(*m_store, m_session, m_reg.value(QStringLiteral("T2026005")), pass,
                                            QStringLiteral("x"), QStringLiteral("office"));
        QVERIFY(!absent.ok());
        QCOMPARE(absent.error().kind, OfficeError::Kind::Conflict);
        auto elsewhere = office::correctResult(*m_store, m_session + 1000, r2, pass, QStringLiteral("x"), QStringLiteral("office"));
        QVERIFY(!elsewhere.ok());
        QCOMPARE(elsewhere.error().kind, OfficeError::Kind::NotFound);
    }

    void finalRefusedWhilePendingThenReopened()
    {
        // Everyone who sat is pending: no pass rate, no 第七条(六) verdict.
        SessionTally t = tally();
        QCOMPARE(t.pending(), 4);
        QCOMPARE(t.decided(), 0);
        QCOMPARE(formatPercent(t.passed, t.decided()), QStringLiteral("—"));
        auto refused = office::setResultsFinal(*m_store, m_session, true, {}, QStringLiteral("office"));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().kind, OfficeError::Kind::Conflict);
        QCOMPARE(refused.error().code, QStringLiteral("results_pending"));
        QCOMPARE(refused.error().problems.size(), 4);
        QVERIFY(refused.error().problems.first().message.startsWith(QStringLiteral("李𪚥（准考证号 T2026001")));
        QVERIFY(!tally().resultsFinal);

        QVERIFY(import(csv(goodLines())).ok());
        QVERIFY(office::setResultsFinal(*m_store, m_session, true, {}, QStringLiteral("office")).ok());
        QVERIFY(tally().resultsComplete());
        // After final: no correction, no import, until re-opened with a reason.
        const Id r2 = m_reg.value(QStringLiteral("T2026002"));
        ResultValue pass{ResultOutcome::Pass, std::nullopt, std::nullopt, std::nullopt};
        auto late = office::correctResult(*m_store, m_session, r2, pass, QStringLiteral("改判"), QStringLiteral("office"));
        QVERIFY(!late.ok());
        QCOMPARE(late.error().kind, OfficeError::Kind::Conflict);
        QStringList changed = goodLines();
        changed[2] = QStringLiteral("T2026002,买买提·艾力,通过,,,");
        auto imported = import(csv(changed), QStringLiteral("b.csv"), true, QStringLiteral("更正"));
        QVERIFY(!imported.ok());
        QVERIFY(imported.error().problems.first().message.contains(QStringLiteral("已确认为最终结果")));
        auto noReason = office::setResultsFinal(*m_store, m_session, false, QStringLiteral(" "), QStringLiteral("office"));
        QVERIFY(!noReason.ok());
        QCOMPARE(noReason.error().kind, OfficeError::Kind::BadInput);
        QVERIFY(office::setResultsFinal(*m_store, m_session, false, QStringLiteral("评价组织复核"), QStringLiteral("office")).ok());
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM audit_log WHERE action = 'session.results_reopened'"
                                      " AND detail LIKE '%评价组织复核%'")),
                 1);
        QVERIFY(office::correctResult(*m_store, m_session, r2, pass, QStringLiteral("改判"), QStringLiteral("office")).ok());
        QVERIFY(office::setResultsFinal(*m_store, m_session, true, {}, QStringLiteral("office")).ok());

        // A kiosk's check-in that arrives after final: the session is no
        // longer complete, and the newcomer is pending, never a failure.
        event(EventKind::CheckIn, QStringLiteral("T2026005"));
        t = tally();
        QVERIFY(t.resultsFinal);
        QCOMPARE(t.pending(), 1);
        QVERIFY(!t.resultsComplete());
        QCOMPARE(t.decided(), 4);
        QCOMPARE(passRateFlags({t, t}).size(), 0);
    }

    // A withdrawn registration (退考) counts nowhere: a results row for it is
    // a problem naming the withdrawal, it cannot be corrected, and a check-in
    // made offline that arrives after the withdrawal leaves nobody pending.
    void withdrawnTakeNoResult()
    {
        auto w = office::withdrawRegistration(*m_store, QStringLiteral("T2026005"), QDate(2026, 5, 30),
                                              QStringLiteral("本人申请退考"), QStringLiteral("office"));
        QVERIFY2(w.ok(), w.ok() ? "" : qPrintable(w.error().message));
        QStringList lines = goodLines();
        lines << QStringLiteral("T2026005,刘洋,缺考,,,");
        auto refused = import(csv(lines));
        QVERIFY(!refused.ok());
        const QString text = problemsText(refused.error());
        QVERIFY2(text.contains(QStringLiteral("7|准考证号|")) && text.contains(QStringLiteral("已于 2026-05-30 退考")), qPrintable(text));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM result_record")), 0);
        ResultValue fail{ResultOutcome::Fail, std::nullopt, std::nullopt, std::nullopt};
        auto corrected = office::correctResult(*m_store, m_session, m_reg.value(QStringLiteral("T2026005")), fail,
                                               QStringLiteral("补录"), QStringLiteral("office"));
        QVERIFY(!corrected.ok());
        QVERIFY2(corrected.error().message.contains(QStringLiteral("退考")), qPrintable(corrected.error().message));

        event(EventKind::CheckIn, QStringLiteral("T2026005")); // made offline before the withdrawal reached the door
        QVERIFY(import(csv(goodLines())).ok());
        QCOMPARE(tally().pending(), 0);
        auto final = office::setResultsFinal(*m_store, m_session, true, {}, QStringLiteral("office"));
        QVERIFY2(final.ok(), final.ok() ? "" : qPrintable(final.error().message + problemsText(final.error())));
    }

    void pendingNeverCountsAsFailure()
    {
        // The case: 12 sat, all pending, marked final by mistake.
        SessionTally a;
        a.sessionId = 1;
        a.pilotId = 1;
        a.examDate = QDate(2026, 6, 1);
        a.resultsFinal = true;
        a.held = true;
        a.count(Attendance::CheckedIn, std::nullopt, 12);
        SessionTally b = a;
        b.sessionId = 2;
        b.examDate = QDate(2026, 6, 8);
        QCOMPARE(a.pending(), 12);
        QCOMPARE(passRateFlags({a, b}).size(), 0);
        // Complete and low: flagged.
        SessionTally c = a, d = b;
        c.sat = d.sat = 0;
        c.count(Attendance::CheckedIn, Outcome::Fail, 12);
        d.count(Attendance::CheckedIn, Outcome::Fail, 12);
        QCOMPARE(passRateFlags({c, d}).size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestResults)
#include "tst_results.moc"
