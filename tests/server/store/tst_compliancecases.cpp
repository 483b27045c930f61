// Weekly reports (周报) and cases (问题), against both stores (issue #14
// items 2 and 4): a week's first submission decides on time or late (Monday
// 23:59:59 China time on time, Tuesday 00:00:00 late), resubmission appends,
// a retry is not stored twice; attachments are checked by content (a PDF, a
// DOCX, an XLSX pass; a renamed program and 10 MB + 1 do not); the grid's
// states and the exemption calendar; a college sees only its own; cases
// move through their life to 取消试点, every step audited; opening cases for
// flags twice, or from two connections at once, opens each once; and a
// withdrawn pilot's new session is refused at roster import.

#include "office/cases.h"
#include "office/weeklyreports.h"
#include "sample/sampleroster.h"
#include "store/rosterapply.h"

#include "core/examzone.h"

#include "freshstore.h"

#include <QTemporaryDir>
#include <QTest>

#include <thread>
#include <zip.h>

using namespace kaodian;
using namespace kaodian::server;

namespace {

QDateTime china(int y, int m, int d, int h = 0, int min = 0, int s = 0)
{
    return QDateTime(QDate(y, m, d), QTime(h, min, s), QTimeZone(8 * 3600)).toUTC();
}

// 2026-03-02 is a Monday.
const QDate w1(2026, 3, 2);
const QDate w2 = w1.addDays(7);
const QDate w3 = w1.addDays(14);
const QDate w4 = w1.addDays(21);

// A ZIP archive of the given entries, written with minizip.
QByteArray zipOf(const QList<std::pair<QString, QByteArray>> &entries)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.zip"));
    zipFile zf = zipOpen64(path.toUtf8().constData(), APPEND_STATUS_CREATE);
    if (zf == nullptr)
        return {};
    for (const auto &[name, bytes] : entries) {
        zip_fileinfo info{};
        zipOpenNewFileInZip64(zf, name.toUtf8().constData(), &info, nullptr, 0, nullptr, 0, nullptr, Z_DEFLATED,
                              Z_DEFAULT_COMPRESSION, 0);
        zipWriteInFileInZip(zf, bytes.constData(), static_cast<unsigned>(bytes.size()));
        zipCloseFileInZip(zf);
    }
    zipClose(zf, nullptr);
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QByteArray pdf(qsizetype size = 0)
{
    QByteArray b("%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n");
    if (size > b.size())
        b.append(QByteArray(size - b.size(), ' '));
    return b;
}

} // namespace

class TestComplianceCases : public QObject
{
    Q_OBJECT

    std::unique_ptr<testing::FreshStore> m_fresh;
    std::unique_ptr<ServerStore> m_store;
    QDateTime m_now = china(2026, 3, 10, 9);
    Id m_pilotA = 0, m_pilotB = 0; // of two colleges
    Id m_collegeA = 0, m_collegeB = 0;

    qint64 scalar(const QString &sql, const QVariantList &params = {})
    {
        auto r = m_store->sql().query(sql, params);
        return r && !r->isEmpty() ? r->first().first().toLongLong() : -1;
    }
    Clock clock()
    {
        return [this] { return m_now; };
    }

private slots:
    void init()
    {
        m_fresh = std::make_unique<testing::FreshStore>();
        QVERIFY2(m_fresh->ok(), qPrintable(m_fresh->error()));
        auto s = ServerStore::open(m_fresh->location(), clock());
        QVERIFY(s.ok());
        m_store = std::move(s).value();
        auto file = parseRosterFile(sampleRosterCsv({.candidates = 40, .seed = 4}), QStringLiteral("roster.csv"));
        QVERIFY(file.ok());
        QVERIFY(m_store->rosters().applyRoster(*file, "roster.csv", "office").ok());
        // Two pilots of two colleges, started in the week of w1.
        auto r = m_store->sql().query(QStringLiteral("SELECT min(id), college_id FROM pilot GROUP BY college_id"
                                                     " ORDER BY college_id"));
        QVERIFY(r.ok() && r->rows.size() >= 2);
        m_pilotA = r->rows[0][0].toLongLong();
        m_collegeA = r->rows[0][1].toLongLong();
        m_pilotB = r->rows[1][0].toLongLong();
        m_collegeB = r->rows[1][1].toLongLong();
        QVERIFY(m_store->sql()
                    .query(QStringLiteral("UPDATE pilot SET registered = 1, start_date = ?"), {w1.addDays(2).toString(Qt::ISODate)})
                    .ok());
    }
    void cleanup()
    {
        m_store.reset();
        m_fresh.reset();
    }

    void firstSubmissionDecidesAndRetriesAreNotDoubled()
    {
        office::ReportSubmission s{m_pilotA, w1.addDays(3), QStringLiteral("第一周：组织报名"), std::nullopt};
        m_now = china(2026, 3, 9, 23, 59, 59); // w1's Monday after: the last second on time
        auto first = office::submitWeeklyReport(*m_store, m_collegeA, s, "college-a");
        QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.error().message));
        QVERIFY(first->first && first->onTime && !first->repeated);
        // The same again (a retry): answered as the first, not stored twice.
        m_now = china(2026, 3, 10, 0, 0, 5);
        auto retry = office::submitWeeklyReport(*m_store, m_collegeA, s, "college-a");
        QVERIFY(retry.ok());
        QVERIFY(retry->repeated);
        QCOMPARE(retry->id, first->id);
        QVERIFY(retry->onTime);
        // A new text appends; the week stays on time.
        s.body = QStringLiteral("第一周：补充培训安排");
        auto more = office::submitWeeklyReport(*m_store, m_collegeA, s, "college-a");
        QVERIFY(more.ok());
        QVERIFY(!more->first && !more->repeated);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM weekly_report")), 2);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM audit_log WHERE action = 'report.submit'")), 2);
        // Tuesday 00:00:00 is late for w2's … no: for w1 it would be; w1 is decided.
        // Another pilot's w1 at Tuesday 00:00:00 China time: late.
        m_now = china(2026, 3, 10, 0, 0, 0);
        auto late = office::submitWeeklyReport(*m_store, m_collegeB, {m_pilotB, w1, QStringLiteral("迟交"), std::nullopt},
                                               "college-b");
        QVERIFY(late.ok());
        QVERIFY(late->first && !late->onTime);
    }

    void refusesWhatIsNotTheCollegesToSend()
    {
        m_now = china(2026, 3, 10, 9);
        // Another college's pilot is no pilot at all.
        auto other = office::submitWeeklyReport(*m_store, m_collegeB, {m_pilotA, w1, QStringLiteral("x"), std::nullopt}, "b");
        QVERIFY(!other.ok());
        QCOMPARE(other.error().kind, OfficeError::Kind::NotFound);
        auto empty = office::submitWeeklyReport(*m_store, m_collegeA, {m_pilotA, w1, QStringLiteral("  "), std::nullopt}, "a");
        QCOMPARE(empty.error().message, QStringLiteral("请填写周报内容"));
        auto future = office::submitWeeklyReport(*m_store, m_collegeA, {m_pilotA, w3, QStringLiteral("x"), std::nullopt}, "a");
        QVERIFY(!future.ok());
        QVERIFY2(future.error().message.contains(QStringLiteral("还没开始")), qPrintable(future.error().message));
        auto before = office::submitWeeklyReport(*m_store, m_collegeA,
                                                 {m_pilotA, w1.addDays(-7), QStringLiteral("x"), std::nullopt}, "a");
        QVERIFY(!before.ok());
        QVERIFY2(before.error().message.contains(QStringLiteral("不需要周报")), qPrintable(before.error().message));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM weekly_report")), 0);
    }

    void attachmentsAreCheckedByContent()
    {
        m_now = china(2026, 3, 10, 9);
        const QByteArray docx = zipOf({{QStringLiteral("[Content_Types].xml"), "<Types/>"},
                                       {QStringLiteral("word/document.xml"), "<w:document/>"}});
        const QByteArray xlsx = zipOf({{QStringLiteral("xl/workbook.xml"), "<workbook/>"}});
        const QByteArray exe = QByteArray("MZ\x90\x00\x03\x00\x00\x00", 8) + QByteArray(4000, '\0');
        const QByteArray plainZip = zipOf({{QStringLiteral("notes.txt"), "hello"}});
        struct Case
        {
            QString name;
            QByteArray bytes;
            QString type; // empty: refused
            QString fragment;
        };
        const QList<Case> cases{
            {QStringLiteral("周报.pdf"), pdf(), QStringLiteral("pdf"), {}},
            {QStringLiteral("周报.docx"), docx, QStringLiteral("docx"), {}},
            {QStringLiteral("台账.xlsx"), xlsx, QStringLiteral("xlsx"), {}},
            {QStringLiteral("exactly10mb.pdf"), pdf(kMaxAttachmentBytes), QStringLiteral("pdf"), {}},
            {QStringLiteral("setup.pdf"), exe, {}, QStringLiteral("不是 PDF、Word（.docx）或 Excel（.xlsx）文件")},
            {QStringLiteral("notes.docx"), plainZip, {}, QStringLiteral("不是 PDF")},
            {QStringLiteral("big.pdf"), pdf(kMaxAttachmentBytes + 1), {}, QStringLiteral("超过 10 MB")},
            {QStringLiteral("empty.pdf"), QByteArray(), {}, QStringLiteral("空文件")},
        };
        for (const auto &c : cases) {
            const AttachmentCheck check = checkAttachment(c.name, c.bytes);
            QCOMPARE(check.attachment ? check.attachment->type : QString(), c.type);
            if (!c.fragment.isEmpty())
                QVERIFY2(check.problem.contains(c.fragment), qPrintable(c.name + QStringLiteral("：") + check.problem));
        }
        // Through the use case: refused with the reason, nothing stored; kept and read back whole.
        auto refused = office::submitWeeklyReport(*m_store, m_collegeA,
                                                  {m_pilotA, w1, QStringLiteral("附件"), std::make_pair(QStringLiteral("a.pdf"), exe)},
                                                  "a");
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, QStringLiteral("invalid_attachment"));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM weekly_report")), 0);
        auto kept = office::submitWeeklyReport(*m_store, m_collegeA,
                                               {m_pilotA, w1, QStringLiteral("附件"), std::make_pair(QStringLiteral("dir/周报.docx"), docx)},
                                               "a");
        QVERIFY(kept.ok());
        auto back = office::reportAttachment(*m_store, kept->id, m_collegeA);
        QVERIFY(back.ok());
        QCOMPARE(back->second.bytes, docx);
        QCOMPARE(back->second.name, QStringLiteral("周报.docx"));
        QCOMPARE(back->second.type, QStringLiteral("docx"));
        // Another college cannot read it; the office can.
        QCOMPARE(office::reportAttachment(*m_store, kept->id, m_collegeB).error().kind, OfficeError::Kind::NotFound);
        QVERIFY(office::reportAttachment(*m_store, kept->id, std::nullopt).ok());
    }

    void gridStatesAndTheExemptionCalendar()
    {
        // w1 on time, w2 late, w3 exempt, w4 missing, w5 open (now is w5's Wednesday... its deadline not passed).
        m_now = china(2026, 3, 9, 12);
        QVERIFY(office::submitWeeklyReport(*m_store, m_collegeA, {m_pilotA, w1, QStringLiteral("w1"), std::nullopt}, "a").ok());
        m_now = china(2026, 3, 17, 0, 0, 0);
        QVERIFY(office::submitWeeklyReport(*m_store, m_collegeA, {m_pilotA, w2, QStringLiteral("w2"), std::nullopt}, "a").ok());
        auto notMonday = office::setReportExemption(*m_store, w3.addDays(1), QStringLiteral("寒假"), "office");
        QVERIFY(!notMonday.ok());
        QVERIFY(notMonday.error().message.contains(QStringLiteral("不是周一")));
        QVERIFY(!office::setReportExemption(*m_store, w3, QStringLiteral(" "), "office").ok());
        auto set = office::setReportExemption(*m_store, w3, QStringLiteral("寒假"), "office");
        QVERIFY(set.ok() && *set);
        QVERIFY(!*office::setReportExemption(*m_store, w3, QStringLiteral("寒假"), "office")); // already so
        QVERIFY(*office::setReportExemption(*m_store, w4.addDays(7), QStringLiteral("清明"), "office"));
        QVERIFY(*office::removeReportExemption(*m_store, w4.addDays(7), "office"));
        QVERIFY(!*office::removeReportExemption(*m_store, w4.addDays(7), "office"));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM audit_log WHERE action LIKE 'report.exemption.%'")), 3);
        m_now = china(2026, 4, 1, 9); // Wednesday of w5 (2026-03-30)
        auto grid = office::reportGrid(*m_store, w1, w4.addDays(7), std::nullopt);
        QVERIFY(grid.ok());
        QCOMPARE(grid->weeks.size(), 5);
        const office::ReportGridRow *a = nullptr;
        for (const auto &row : grid->pilots)
            if (row.pilot.id == m_pilotA)
                a = &row;
        QVERIFY(a);
        QCOMPARE(a->states, (QList<QString>{QStringLiteral("on_time"), QStringLiteral("late"), QStringLiteral("exempt"),
                                            QStringLiteral("missing"), QStringLiteral("open")}));
        // A college sees its own pilots and reports only.
        auto mine = office::reportGrid(*m_store, w1, w4, m_collegeB);
        QVERIFY(mine.ok());
        for (const auto &row : mine->pilots)
            QCOMPARE(row.pilot.collegeId, m_collegeB);
        QVERIFY(mine->reports.isEmpty());
        QCOMPARE(grid->reports.size(), 2);
        // The rule sees the same weeks: w2 late and w4 missing around exempt w3 make one run.
        auto reports = m_store->reports().pilotReports();
        auto exempt = m_store->reports().exemptWeeks();
        QVERIFY(reports.ok() && exempt.ok());
        QList<PilotReports> onlyA;
        for (const auto &p : *reports)
            if (p.pilotId == m_pilotA)
                onlyA.push_back(p);
        const auto flags = weeklyReportFlags(onlyA, *exempt, m_now);
        QCOMPARE(flags.size(), 1);
        QCOMPARE(flags.first().weeks, (QList<QDate>{w2, w4}));
    }

    void aCaseWalksToPilotWithdrawalAndTheRosterIsRefused()
    {
        m_now = china(2026, 3, 10, 9);
        office::FindingInput f{QStringLiteral("第九条(二)"), QStringLiteral("pilot"), m_pilotA, QStringLiteral("x"), std::nullopt};
        auto wrongSubject = office::recordFinding(*m_store, f, "office");
        QVERIFY(!wrongSubject.ok());
        QVERIFY(wrongSubject.error().message.contains(QStringLiteral("考点")));
        f.rule = QStringLiteral("第七条(五)"); // computed, not a finding
        QVERIFY(!office::recordFinding(*m_store, f, "office").ok());
        f = {QStringLiteral("第七条(四)"), QStringLiteral("pilot"), m_pilotA,
             QStringLiteral("强制学生参加培训：学生反映须缴费方可毕业"), std::make_pair(QStringLiteral("证据.pdf"), pdf())};
        auto opened = office::recordFinding(*m_store, f, "office");
        QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message));
        const Id caseId = *opened;

        auto move = [&](const QString &from, const QString &to, const QString &reason, QDate deadline = {},
                        CaseActor kind = CaseActor::Office, std::optional<Id> scope = std::nullopt) {
            return office::moveCase(*m_store, {caseId, from, to, reason, deadline, std::nullopt}, kind, scope,
                                    kind == CaseActor::Office ? QStringLiteral("jiaowu") : QStringLiteral("college-a"));
        };
        // Skipping a step, no reason, no deadline: refused with words.
        QCOMPARE(move("待核查", "属实", "x").error().message, QStringLiteral("案件处于「待核查」，不能改为「属实」"));
        QVERIFY(!move("待核查", "核查中", " ").ok());
        QVERIFY(move("待核查", "核查中", "派员核查").ok());
        // A retry of the same move: not made twice.
        auto retry = move("待核查", "核查中", "派员核查");
        QVERIFY(retry.ok());
        QVERIFY(!retry->changed);
        QVERIFY(move("核查中", "属实", "学生访谈属实").ok());
        QCOMPARE(move("属实", "整改中", "限期整改").error().message, QStringLiteral("改为整改中须给出整改期限"));
        QVERIFY(move("属实", "整改中", "限期整改", QDate(2026, 4, 10)).ok());
        // The college records its rectification; another college cannot see the case.
        QCOMPARE(move("整改中", "整改中", "已退还费用", {}, CaseActor::College, m_collegeB).error().kind,
                 OfficeError::Kind::NotFound);
        auto rect = move("整改中", "整改中", "已退还费用", {}, CaseActor::College, m_collegeA);
        QVERIFY2(rect.ok(), qPrintable(rect.ok() ? QString() : rect.error().message));
        QVERIFY(!move("整改中", "整改中", "已退还费用", {}, CaseActor::College, m_collegeA)->changed); // a retry
        QCOMPARE(move("整改中", "已整改", "x", {}, CaseActor::College, m_collegeA).error().kind, OfficeError::Kind::Refused);
        QVERIFY(move("整改中", "未整改", "逾期未整改").ok());
        auto done = move("未整改", "取消试点", "经调查属实且不整改（第七条）");
        QVERIFY(done.ok());
        QCOMPARE(done->record.state, CaseState::PilotWithdrawn);
        QVERIFY(done->record.closedAt.isValid());
        QCOMPARE(done->record.steps.size(), 7); // opened, 5 moves, 1 rectification
        QCOMPARE(done->record.steps.first().attachmentName, QStringLiteral("证据.pdf"));
        QVERIFY(!move("取消试点", "核查中", "重开").ok());
        QCOMPARE(scalar(QStringLiteral("SELECT withdrawn_case FROM pilot WHERE id = ?"), {m_pilotA}), caseId);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM audit_log WHERE action LIKE 'case.%'")), 7);
        // The college sees it; the other does not.
        QVERIFY(m_store->cases().caseById(caseId, m_collegeA)->has_value());
        QVERIFY(!m_store->cases().caseById(caseId, m_collegeB)->has_value());
        QVERIFY(m_store->cases().cases(CaseFilter{m_collegeB, std::nullopt, {}, {}, std::nullopt}).value().isEmpty());

        // A withdrawn pilot takes no new session; its sessions from before stay.
        const qint64 sessionsBefore = scalar(QStringLiteral("SELECT count(*) FROM exam_session WHERE pilot_id = ?"), {m_pilotA});
        QVERIFY(sessionsBefore > 0);
        auto later = parseRosterFile(sampleRosterCsv({.candidates = 40, .seed = 4, .firstExamDate = QDate(2026, 9, 1)}),
                                     QStringLiteral("later.csv"));
        QVERIFY(later.ok());
        auto refused = m_store->rosters().applyRoster(*later, "later.csv", "office");
        QVERIFY(!refused.ok());
        bool named = false;
        for (const auto &p : refused.error().problems)
            named = named || (p.message.contains(QStringLiteral("已于 2026-03-10 取消（案件 #%1）").arg(caseId))
                              && p.message.contains(QStringLiteral("不能再安排新的考试场次")));
        QVERIFY2(named, qPrintable(refused.error().problems.isEmpty() ? QString() : refused.error().problems.first().message));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM exam_session WHERE pilot_id = ?"), {m_pilotA}), sessionsBefore);
        // A pilot not withdrawn still takes its new sessions.
        QVERIFY(m_store->sql().query(QStringLiteral("UPDATE pilot SET withdrawn_at = NULL, withdrawn_case = NULL")).ok());
        QVERIFY(m_store->rosters().applyRoster(*later, "later.csv", "office").ok());
    }

    void flagsOpenOneCaseEachEvenTwiceAtOnce()
    {
        m_now = china(2026, 4, 1, 9);
        ComplianceFlag weekly;
        weekly.rule = ComplianceRule::WeeklyReports;
        weekly.subjectKind = QStringLiteral("pilot");
        weekly.subjectId = m_pilotA;
        weekly.weeks = {w2, w3};
        weekly.message = QStringLiteral("第七条(二)：连续 2 周未按时提交周报");
        ComplianceFlag grown = weekly; // the same run a week later: the same case
        grown.weeks = {w2, w3, w4};
        ComplianceFlag warning;
        warning.rule = ComplianceRule::SiteAgreement;
        warning.severity = ComplianceSeverity::Warning;
        warning.subjectKind = QStringLiteral("site");
        warning.subjectId = 1;
        ComplianceFlag college;
        college.rule = ComplianceRule::CertificatesVsMajors;
        college.subjectKind = QStringLiteral("college");
        college.subjectId = m_collegeB;
        college.objects = {QStringLiteral("云计算"), QStringLiteral("Web前端开发")};
        college.message = QStringLiteral("第二条(三)");
        Flag low;
        low.kind = FlagKind::LowParticipation;
        low.pilotId = m_pilotB;
        low.sessions = {{scalar(QStringLiteral("SELECT min(id) FROM exam_session")), QDate(2026, 6, 1), 3, 40}};
        low.message = QStringLiteral("第七条(五)");
        Flag reminder = low;
        reminder.kind = FlagKind::PublishedCountReminder;

        QCOMPARE(office::caseFlagOf(weekly, m_now.date())->key, office::caseFlagOf(grown, m_now.date())->key);
        QVERIFY(!office::caseFlagOf(warning, m_now.date()));
        QVERIFY(!office::caseFlagOf(reminder));

        // Two connections at once, each opening the same flags, three times.
        std::atomic<int> opened{0}, failures{0};
        auto run = [&] {
            auto s = ServerStore::open(m_fresh->location(), clock());
            if (!s) {
                ++failures;
                return;
            }
            for (int i = 0; i < 3; ++i) {
                auto r = office::openCasesForFlags(**s, {weekly, warning, college, grown}, {low, reminder}, QDate(2026, 4, 1),
                                                   QStringLiteral("board"));
                if (!r)
                    ++failures;
                else
                    opened += int(r->opened.size());
            }
        };
        std::thread t1(run), t2(run);
        t1.join();
        t2.join();
        QCOMPARE(failures.load(), 0);
        QCOMPARE(opened.load(), 3);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM compliance_case")), 3);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM case_step")), 3);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM audit_log WHERE action = 'case.flag'")), 3);
        // The college's case belongs to it; the pilot's to the pilot's college.
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM compliance_case WHERE college_id = ?"), {m_collegeB}), 2);
        // A closed case's flag opens no other; a new run of weeks does.
        auto again = office::openCasesForFlags(*m_store, {weekly}, {}, QDate(2026, 4, 1), "board");
        QVERIFY(again.ok());
        QCOMPARE(again->opened.size(), 0);
        QCOMPARE(again->known, 1);
        QVERIFY(again->caseOfKey.contains(office::caseFlagOf(weekly, m_now.date())->key));
        ComplianceFlag newRun = weekly;
        newRun.weeks = {w4.addDays(14), w4.addDays(21)};
        QCOMPARE(office::openCasesForFlags(*m_store, {newRun}, {}, QDate(2026, 4, 1), "board")->opened.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestComplianceCases)
#include "tst_compliancecases.moc"
