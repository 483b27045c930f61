// The statistics in four formats from one report-table model: the CSV
// header, the Excel workbook's strings and the PDF's text (read back with
// unzip and pdftotext) carry the same labels and the same words (未公布,
// 已确认/未确认, 低于 30%); the JSON keeps its keys and null semantics and
// carries the server's verdicts. Built from plain values, no store.
// Needs unzip, pdftotext (poppler-utils) and fonts-wqy-microhei.

#include "api/jsonreport.h"
#include "print/pdfreport.h"
#include "print/statisticscsv.h"
#include "print/statisticstables.h"
#include "print/xlsxexport.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace kaodian;
using namespace kaodian::server;

namespace {

SessionStats session(Id id, std::optional<int> published, int sat, int passed, bool final)
{
    SessionStats s;
    s.tally.sessionId = id;
    s.tally.pilotId = 7;
    s.tally.examDate = QDate(2026, 6, int(id));
    s.tally.startTime = QTime(9, 0);
    s.tally.publishedCount = published;
    s.tally.resultsFinal = final;
    s.tally.held = true;
    s.tally.registered = 40;
    s.tally.sat = sat;
    s.tally.absent = 40 - sat;
    s.tally.passed = passed;
    s.tally.failed = final ? sat - passed : 0;
    s.collegeId = 1;
    s.collegeName = QStringLiteral("信息工程学院");
    s.certificateId = 2;
    s.certificateName = QStringLiteral("Web前端开发");
    s.level = CertificateLevel::Intermediate;
    s.siteName = QStringLiteral("信息楼考点");
    s.participation = participationVerdict(sat, published);
    return s;
}

GroupStats group(Id id, const QString &name, std::optional<Id> college = std::nullopt)
{
    GroupStats g;
    g.id = id;
    g.name = name;
    g.collegeId = college;
    g.sessions = 3;
    g.published = 130;
    g.sessionsWithoutPublished = 1;
    g.registered = 120;
    g.sat = 75;
    g.absent = 45;
    g.passed = 38;
    g.failed = 10;
    return g;
}

// Three sessions: no published count and results not final; 29 of 100
// (low) with results final; exactly 30% (not low) with a low pass rate.
StatisticsReport sampleReport()
{
    StatisticsReport r;
    r.sessions = {session(1, std::nullopt, 25, 0, false), session(2, 100, 29, 20, true), session(3, 30, 9, 2, true)};
    r.pilots = {group(7, QStringLiteral("信息工程学院 · Web前端开发 · 中级"), 1)};
    r.certificates = {group(2, QStringLiteral("Web前端开发"))};
    r.colleges = {group(1, QStringLiteral("信息工程学院"))};
    std::vector<SessionTally> tallies;
    for (const auto &s : r.sessions)
        tallies.push_back(s.tally);
    r.flags = participationFlags(tallies);
    return r;
}

QString run(const QString &program, const QStringList &args)
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        qWarning() << program << args << p.readAllStandardError();
        return {};
    }
    return QString::fromUtf8(p.readAllStandardOutput());
}

} // namespace

class ReportsTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        for (const char *tool : {"unzip", "pdftotext"})
            QVERIFY2(!QStandardPaths::findExecutable(QString::fromLatin1(tool)).isEmpty(), tool);
        QVERIFY(m_dir.isValid());
        m_report = sampleReport();
        m_tables = statisticsTables(m_report);
    }

    // The words people read are chosen once, in the model.
    void modelChoosesOneWordForEach()
    {
        const auto &t = m_tables.sessions;
        QStringList labels = t.peopleLabels();
        QCOMPARE(labels.removeDuplicates(), 0);
        auto text = [&](qsizetype row, const QString &key) {
            for (qsizetype c = 0; c < t.columns.size(); ++c)
                if (t.columns[c].key == key)
                    return t.rows[row][c].text();
            return QStringLiteral("<no column %1>").arg(key);
        };
        QCOMPARE(text(0, "published"), QStringLiteral("未公布"));
        QCOMPARE(text(0, "results_final"), QStringLiteral("未确认"));
        QCOMPARE(text(1, "results_final"), QStringLiteral("已确认"));
        QCOMPARE(text(0, "participation"), QStringLiteral("未公布人数"));
        QCOMPARE(text(1, "participation"), QStringLiteral("低于 30%"));
        QCOMPARE(text(2, "participation"), QStringLiteral("达标"));
        QCOMPARE(text(0, "id"), QStringLiteral("1"));
        QCOMPARE(t.warnings, (QList<bool>{true, true, false}));
    }

    void csvHeaderIsTheModelsLabels()
    {
        const QByteArray csv = statisticsToCsv(m_report);
        QVERIFY(csv.startsWith("\xEF\xBB\xBF"));
        const QStringList lines = QString::fromUtf8(csv.mid(3)).split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1 + m_report.sessions.size());
        const QStringList header = QString(lines.first()).remove(QLatin1Char('"')).split(QLatin1Char(','));
        QCOMPARE(header, m_tables.sessions.peopleLabels());
        const QStringList first = QString(lines[1]).remove(QLatin1Char('"')).split(QLatin1Char(','));
        QCOMPARE(first.size(), header.size());
        QCOMPARE(first[header.indexOf("公布考试人数")], QStringLiteral("未公布"));
        QCOMPARE(first[header.indexOf("成绩状态")], QStringLiteral("未确认"));
        QCOMPARE(first[header.indexOf("第七条(五)")], QStringLiteral("未公布人数"));
        const QStringList second = QString(lines[2]).remove(QLatin1Char('"')).split(QLatin1Char(','));
        QCOMPARE(second[header.indexOf("成绩状态")], QStringLiteral("已确认"));
        QCOMPARE(second[header.indexOf("第七条(五)")], QStringLiteral("低于 30%"));
        QCOMPARE(second[header.indexOf("参考率")], QStringLiteral("29.0%"));
    }

    void xlsxSheetsAreTheModelsTables()
    {
        const QByteArray xlsx = statisticsToXlsx(m_report);
        QVERIFY(xlsx.startsWith("PK\x03\x04"));
        const QString path = m_dir.filePath(QStringLiteral("statistics.xlsx"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly) && f.write(xlsx) == xlsx.size());
        }
        const QString book = run(QStringLiteral("unzip"), {QStringLiteral("-p"), path, QStringLiteral("xl/workbook.xml")});
        const QString strings = run(QStringLiteral("unzip"), {QStringLiteral("-p"), path, QStringLiteral("xl/sharedStrings.xml")});
        QVERIFY2(!strings.isEmpty(), "no shared strings in the workbook");
        QStringList cells;
        static const QRegularExpression t(QStringLiteral("<t[^>]*>([^<]*)</t>"));
        for (auto it = t.globalMatch(strings); it.hasNext();)
            cells << it.next().captured(1);
        // Sheet n is the n-th table; its first row is the table's labels, in order.
        static const QRegularExpression firstRow(QStringLiteral("<row r=\"1\"[^>]*>(.*?)</row>"));
        static const QRegularExpression sharedIndex(QStringLiteral("<c [^>]*t=\"s\"[^>]*><v>(\\d+)</v></c>"));
        int sheet = 0;
        for (const ReportTable *table : {&m_tables.sessions, &m_tables.pilots, &m_tables.certificates,
                                         &m_tables.colleges, &m_tables.flags}) {
            ++sheet;
            QVERIFY2(book.contains(QStringLiteral("name=\"%1\"").arg(table->title)), qPrintable(table->title));
            const QString xml = run(QStringLiteral("unzip"),
                {QStringLiteral("-p"), path, QStringLiteral("xl/worksheets/sheet%1.xml").arg(sheet)});
            const auto row = firstRow.match(xml);
            QVERIFY2(row.hasMatch(), qPrintable(xml.left(500)));
            QStringList header;
            for (auto it = sharedIndex.globalMatch(row.captured(1)); it.hasNext();)
                header << cells.value(it.next().captured(1).toInt());
            QCOMPARE(header, table->peopleLabels());
        }
        for (const char *word : {"未公布", "未确认", "已确认", "低于 30%", "未公布人数", "达标", "参考率低于 30%"})
            QVERIFY2(cells.contains(QString::fromUtf8(word)), word);
        // The old words are gone.
        for (const char *word : {"是", "否", "低于30%"})
            QVERIFY2(!cells.contains(QString::fromUtf8(word)), word);
    }

    void pdfShowsTheModelsLabelsAndWords()
    {
        PdfReportOptions options;
        options.scope = QStringLiteral("全部二级学院");
        options.generatedAt = QDateTime(QDate(2026, 6, 10), QTime(2, 0), QTimeZone::utc());
        auto pdf = statisticsToPdf(m_report, options);
        QVERIFY2(bool(pdf), pdf ? "" : qPrintable(pdf.error()));
        const QString path = m_dir.filePath(QStringLiteral("statistics.pdf"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly) && f.write(*pdf) == pdf->size());
        }
        // -layout keeps a table's row on one line, its cells apart.
        const QString text = run(QStringLiteral("pdftotext"),
            {QStringLiteral("-layout"), QStringLiteral("-enc"), QStringLiteral("UTF-8"), path, QStringLiteral("-")});
        QVERIFY2(text.contains(QStringLiteral("统计报告")), qPrintable(text.left(300)));
        QList<QStringList> lines;
        for (const auto &line : text.split(QLatin1Char('\n')))
            lines << line.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
        // Each table's header row is its labels, whole and in order.
        for (const ReportTable *table : {&m_tables.sessions, &m_tables.pilots, &m_tables.certificates,
                                         &m_tables.colleges})
            QVERIFY2(lines.contains(table->peopleLabels()),
                qPrintable(table->title + QStringLiteral(": no header row ") + table->peopleLabels().join(' ') + "\n" + text));
        auto rowOf = [&](const QString &id, const QString &date) {
            for (const auto &l : lines)
                if (l.size() > 2 && l[0] == id && l[1] == date)
                    return l;
            return QStringList();
        };
        const QStringList first = rowOf("1", "2026-06-01");
        QVERIFY2(first.contains("未公布") && first.contains("未确认") && first.contains("未公布人数"), qPrintable(first.join(' ')));
        const QStringList second = rowOf("2", "2026-06-02");
        QVERIFY2(second.contains("已确认") && second.join(' ').contains("低于 30%"), qPrintable(second.join(' ')));
    }

    // JSON: the keys the API documents, null for a count not published,
    // booleans stay booleans, and the server's verdicts for the dashboard.
    void jsonKeepsKeysAndCarriesVerdicts()
    {
        const QJsonObject json = statisticsToJson(m_report);
        const QJsonArray sessions = json.value("sessions").toArray();
        QCOMPARE(sessions.size(), 3);
        const QJsonObject none = sessions[0].toObject();
        const QJsonObject low = sessions[1].toObject();
        const QJsonObject edge = sessions[2].toObject();
        const QStringList keys{"id", "pilot_id", "exam_date", "start_time", "college", "certificate", "level", "site",
                               "published", "registered", "sat", "absent", "excused", "passed", "failed", "pending",
                               "results_final", "participation", "participation_rate", "pass_rate",
                               "participation_per_mille", "pass_rate_per_mille", "pass_rate_low", "held"};
        QStringList sorted = keys;
        sorted.sort();
        QCOMPARE(none.keys(), sorted);
        QVERIFY(none.value("published").isNull());
        QCOMPARE(none.value("results_final"), QJsonValue(false));
        QCOMPARE(low.value("results_final"), QJsonValue(true));
        QCOMPARE(none.value("participation").toString(), QStringLiteral("no_published_count"));
        QCOMPARE(low.value("participation").toString(), QStringLiteral("low"));
        QCOMPARE(edge.value("participation").toString(), QStringLiteral("ok")); // exactly 30% is not below
        QCOMPARE(none.value("participation_rate").toString(), QStringLiteral("—"));
        QVERIFY(none.value("participation_per_mille").isNull());
        QCOMPARE(low.value("participation_per_mille").toInteger(), 290);
        QCOMPARE(low.value("college").toObject(), (QJsonObject{{"id", 1}, {"name", "信息工程学院"}}));
        QCOMPARE(low.value("id").toInteger(), 2);
        QCOMPARE(low.value("published").toInt(), 100);
        QCOMPARE(low.value("pass_rate_per_mille").toInteger(), 690); // 20 of 29
        QCOMPARE(low.value("pass_rate_low"), QJsonValue(false));
        QCOMPARE(edge.value("pass_rate_low"), QJsonValue(true));      // 2 of 9
        // 25 sat, every result pending: no pass rate at all, never "low" (issue #16 item 3).
        QCOMPARE(none.value("pass_rate_low"), QJsonValue(false));
        QVERIFY(none.value("pass_rate_per_mille").isNull());
        QCOMPARE(none.value("pass_rate").toString(), QStringLiteral("—"));
        const QJsonObject pilot = json.value("pilots").toArray().first().toObject();
        QCOMPARE(pilot.value("college_id").toInteger(), 1);
        QCOMPARE(pilot.value("participation").toString(), QStringLiteral("ok")); // 75 of 130
        QVERIFY(!json.value("colleges").toArray().first().toObject().contains("college_id"));
        const QJsonObject flag = json.value("flags").toArray().first().toObject();
        QCOMPARE(flag.keys(), (QStringList{"kind", "message", "pilot_id", "rule", "sessions"}));
        QCOMPARE(flag.value("kind").toString(), QStringLiteral("missing_published_count"));
        QCOMPARE(flag.value("pilot_id").toInteger(), 7);
        QCOMPARE(flag.value("sessions").toArray().first().toObject().value("session_id").toInteger(), 1);
        QCOMPARE(flagToJson(m_report.flags.first()), flag);
    }

private:
    QTemporaryDir m_dir;
    StatisticsReport m_report;
    StatisticsTables m_tables;
};

QTEST_MAIN(ReportsTest)
#include "tst_reports.moc"
