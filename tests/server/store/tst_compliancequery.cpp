// The compliance board over the store (issue #14 item 5), against both
// stores: what each article's rule finds in the store's data, laid out one
// row per pilot, site and college with the case that follows a flag; a
// college's scope sees its own rows and flags only. The rules' edges are
// tst_compliance's (shared/core); this proves the store feeds them.

#include "store/compliancequery.h"
#include "store/serverstore.h"

#include "freshstore.h"

#include <QTest>

using namespace kaodian;
using namespace kaodian::server;

namespace {

// Wednesday 2026-11-18, 10:00 China time.
const QDateTime kNow(QDate(2026, 11, 18), QTime(2, 0), Qt::UTC);

qint64 insert(ServerStore &s, const QString &sql, const QVariantList &params)
{
    auto r = s.sql().query(sql, params);
    if (!r)
        qFatal("insert failed: %s", qPrintable(r.error().message));
    auto id = s.sql().query(QStringLiteral("SELECT max(id) FROM %1").arg(sql.section(QLatin1Char(' '), 2, 2)));
    return id ? id->first().first().toLongLong() : 0;
}

const BoardRow *rowOf(const ComplianceBoard &b, const QString &kind, Id id)
{
    for (const auto &r : b.rows)
        if (r.kind == kind && r.id == id)
            return &r;
    return nullptr;
}

CellState stateOf(const ComplianceBoard &b, const QString &kind, Id id, const QString &article)
{
    const BoardRow *r = rowOf(b, kind, id);
    const qsizetype column = complianceArticles().indexOf(article);
    if (!r || column < 0)
        return CellState::NotApplicable;
    return r->cells[column].state;
}

QList<const BoardFlag *> flagsOf(const ComplianceBoard &b, const QString &article)
{
    QList<const BoardFlag *> out;
    for (const auto &f : b.flags)
        if (f.article == article)
            out.push_back(&f);
    return out;
}

} // namespace

class TestComplianceQuery : public QObject
{
    Q_OBJECT

    std::unique_ptr<testing::FreshStore> m_fresh;
    std::unique_ptr<ServerStore> m_store;
    Id m_collegeA = 0, m_collegeB = 0;
    Id m_p1 = 0, m_p2 = 0, m_p3 = 0, m_p4 = 0;
    Id m_s1 = 0, m_s2 = 0, m_s3 = 0;
    Id m_session = 0;

private slots:
    void init()
    {
        m_fresh = std::make_unique<testing::FreshStore>();
        QVERIFY2(m_fresh->ok(), qPrintable(m_fresh->error()));
        auto s = ServerStore::open(m_fresh->location(), [] { return kNow; });
        QVERIFY(s.ok());
        m_store = std::move(s).value();
        auto &st = *m_store;
        m_collegeA = insert(st, QStringLiteral("INSERT INTO college (name) VALUES (?)"), {QStringLiteral("信息工程学院")});
        m_collegeB = insert(st, QStringLiteral("INSERT INTO college (name) VALUES (?)"), {QStringLiteral("机电工程学院")});
        // College A: one major 在招, one 停招; college B: one 在招.
        const Id m1 = insert(st, QStringLiteral("INSERT INTO major (college_id, name, code, active) VALUES (?, ?, ?, 1)"),
                             {m_collegeA, QStringLiteral("软件技术"), QStringLiteral("510203")});
        insert(st, QStringLiteral("INSERT INTO major (college_id, name, code, active) VALUES (?, ?, ?, 0)"),
               {m_collegeA, QStringLiteral("计算机网络技术"), QStringLiteral("510202")});
        insert(st, QStringLiteral("INSERT INTO major (college_id, name, code, active) VALUES (?, ?, ?, 1)"),
               {m_collegeB, QStringLiteral("机电一体化技术"), QStringLiteral("460301")});
        const Id web = insert(st, QStringLiteral("INSERT INTO certificate (name) VALUES (?)"), {QStringLiteral("Web前端开发")});
        const Id big = insert(st, QStringLiteral("INSERT INTO certificate (name) VALUES (?)"), {QStringLiteral("大数据应用开发")});
        const Id plc = insert(st, QStringLiteral("INSERT INTO certificate (name, cancelled_on, cancel_document) VALUES (?, ?, ?)"),
                              {QStringLiteral("可编程控制器系统应用"), QStringLiteral("2026-11-01"), QStringLiteral("教职成司函〔2026〕12号")});
        const QString pilot = QStringLiteral(
            "INSERT INTO pilot (college_id, certificate_id, level, registered, active, start_date, approved_count, withdrawn_at)"
            " VALUES (?, ?, ?, 1, 1, ?, ?, ?)");
        m_p1 = insert(st, pilot, {m_collegeA, web, 2, QStringLiteral("2026-10-05"), 1, QVariant()});
        m_p2 = insert(st, pilot, {m_collegeA, big, 2, QVariant(), QVariant(), QVariant()});
        m_p3 = insert(st, pilot, {m_collegeB, plc, 1, QVariant(), QVariant(), QVariant()});
        m_p4 = insert(st, pilot, {m_collegeB, plc, 2, QVariant(), QVariant(), QStringLiteral("2026-11-02T00:00:00.000Z")});
        for (Id p : {m_p1, m_p2})
            QVERIFY(st.sql().query(QStringLiteral("INSERT INTO pilot_major (pilot_id, major_id) VALUES (?, ?)"), {p, m1}).ok());
        // A teacher of 软件技术 qualified for Web前端开发 until today; one for 大数据 whose qualification ended yesterday.
        const Id t1 = insert(st, QStringLiteral("INSERT INTO teacher (staff_number, name, college_id, major_id) VALUES (?, ?, ?, ?)"),
                             {QStringLiteral("T001"), QStringLiteral("李𪚥"), m_collegeA, m1});
        const Id t2 = insert(st, QStringLiteral("INSERT INTO teacher (staff_number, name, college_id, major_id) VALUES (?, ?, ?, ?)"),
                             {QStringLiteral("T002"), QStringLiteral("买买提·艾力"), m_collegeA, m1});
        const QString qualification = QStringLiteral(
            "INSERT INTO qualification (teacher_id, kind, certificate_id, level, valid_from, valid_until) VALUES (?, ?, ?, 2, ?, ?)");
        insert(st, qualification, {t1, 1, web, QStringLiteral("2025-01-01"), QStringLiteral("2026-11-18")});
        insert(st, qualification, {t2, 2, big, QStringLiteral("2025-01-01"), QStringLiteral("2026-11-17")});
        // Sites: an agreement that holds until today (a warning), one that ended yesterday, one good for long.
        const QString site = QStringLiteral("INSERT INTO site (name, agreement_number, agreement_expires) VALUES (?, ?, ?)");
        m_s1 = insert(st, site, {QStringLiteral("实训楼A"), QStringLiteral("HZ-2024-01"), QStringLiteral("2026-11-18")});
        m_s2 = insert(st, site, {QStringLiteral("实训楼B"), QStringLiteral("HZ-2023-07"), QStringLiteral("2026-11-17")});
        m_s3 = insert(st, site, {QStringLiteral("图书馆"), QStringLiteral("HZ-2025-03"), QStringLiteral("2028-06-30")});
        // P3 (a cancelled certificate) examined at 图书馆 after the cancellation, nobody published or checked in.
        m_session = insert(st, QStringLiteral("INSERT INTO exam_session (pilot_id, site_id, exam_date, start_time) VALUES (?, ?, ?, ?)"),
                           {m_p3, m_s3, QStringLiteral("2026-11-10"), QStringLiteral("09:00")});
        // P1's weekly reports: on time for 10-05 and 10-12, none for 10-19 and 10-26 (a flag), on time
        // for 11-02, none for 11-09 (alone: no flag), and 11-16 still open.
        const QString report = QStringLiteral(
            "INSERT INTO weekly_report (pilot_id, week_monday, body, submitted_at, submitted_by) VALUES (?, ?, ?, ?, ?)");
        for (const auto &[week, at] : {std::pair{"2026-10-05", "2026-10-12T15:59:59.000Z"},
                                       std::pair{"2026-10-12", "2026-10-19T10:00:00.000Z"},
                                       std::pair{"2026-11-02", "2026-11-09T01:00:00.000Z"}})
            insert(st, report, {m_p1, QString::fromLatin1(week), QStringLiteral("本周完成培训 8 学时"), QString::fromLatin1(at),
                                QStringLiteral("xinxi")});
    }
    void cleanup()
    {
        m_store.reset();
        m_fresh.reset();
    }

    void everyArticleOverTheStore()
    {
        auto board = m_store->compliance().board();
        QVERIFY2(board.ok(), board.ok() ? "" : qPrintable(board.error().message));
        const auto &b = *board;
        QCOMPARE(b.today, QDate(2026, 11, 18));
        QCOMPARE(b.rows.size(), 4 + 3 + 2);

        // 第七条(二): P1 missed 10-19 and 10-26; the lone 11-09 is no flag.
        const auto weekly = flagsOf(b, QStringLiteral("第七条(二)"));
        QCOMPARE(weekly.size(), 1);
        QCOMPARE(weekly[0]->subjectId, m_p1);
        QCOMPARE(weekly[0]->weeks, (QList<QDate>{QDate(2026, 10, 19), QDate(2026, 10, 26)}));
        QVERIFY2(weekly[0]->message.contains(QStringLiteral("Web前端开发")), qPrintable(weekly[0]->message));
        QCOMPARE(stateOf(b, QStringLiteral("pilot"), m_p1, QStringLiteral("第七条(二)")), CellState::Flag);
        QCOMPARE(stateOf(b, QStringLiteral("pilot"), m_p2, QStringLiteral("第七条(二)")), CellState::Ok);

        // 第二条(三): college A has two certificates for one major 在招; B one for one.
        const auto offer = flagsOf(b, QStringLiteral("第二条(三)"));
        QCOMPARE(offer.size(), 1);
        QCOMPARE(offer[0]->subjectId, m_collegeA);
        QCOMPARE(offer[0]->numerator, 2);
        QCOMPARE(offer[0]->denominator, 1);
        QCOMPARE(stateOf(b, QStringLiteral("college"), m_collegeB, QStringLiteral("第二条(三)")), CellState::Ok);

        // 第十六条(二): P1's teacher is valid until today; P2's ended yesterday.
        QCOMPARE(stateOf(b, QStringLiteral("pilot"), m_p1, QStringLiteral("第十六条(二)")), CellState::Ok);
        QCOMPARE(stateOf(b, QStringLiteral("pilot"), m_p2, QStringLiteral("第十六条(二)")), CellState::Flag);
        QCOMPARE(flagsOf(b, QStringLiteral("第十六条(二)")).front()->objects, QStringList{QStringLiteral("软件技术")});

        // 第九条(五): ending today is a warning, ended yesterday a flag.
        QCOMPARE(stateOf(b, QStringLiteral("site"), m_s1, QStringLiteral("第九条(五)")), CellState::Warning);
        QCOMPARE(stateOf(b, QStringLiteral("site"), m_s2, QStringLiteral("第九条(五)")), CellState::Flag);
        QCOMPARE(stateOf(b, QStringLiteral("site"), m_s3, QStringLiteral("第九条(五)")), CellState::Ok);

        // 第七条(一) / 第九条(一): the cancelled certificate's active pilot and the site
        // that examined it after; the withdrawn pilot is judged no more.
        QCOMPARE(stateOf(b, QStringLiteral("pilot"), m_p3, QStringLiteral("第七条(一)")), CellState::Flag);
        QCOMPARE(stateOf(b, QStringLiteral("pilot"), m_p4, QStringLiteral("第七条(一)")), CellState::Ok);
        QCOMPARE(stateOf(b, QStringLiteral("site"), m_s3, QStringLiteral("第九条(一)")), CellState::Flag);
        QCOMPARE(stateOf(b, QStringLiteral("site"), m_s1, QStringLiteral("第九条(一)")), CellState::Ok);
        const BoardRow *withdrawn = rowOf(b, QStringLiteral("pilot"), m_p4);
        QVERIFY(withdrawn && withdrawn->withdrawn && !withdrawn->active);

        // 第七条(五): P3's session was held (its date is past) with no published count.
        const auto participation = flagsOf(b, QStringLiteral("第七条(五)"));
        QCOMPARE(participation.size(), 1);
        QCOMPARE(participation[0]->sessions, QList<Id>{m_session});
        QCOMPARE(stateOf(b, QStringLiteral("pilot"), m_p3, QStringLiteral("第七条(五)")), CellState::Flag);

        // An article not about a row's kind is no cell.
        QCOMPARE(stateOf(b, QStringLiteral("site"), m_s1, QStringLiteral("第七条(二)")), CellState::NotApplicable);
        QCOMPARE(stateOf(b, QStringLiteral("college"), m_collegeA, QStringLiteral("第九条(五)")), CellState::NotApplicable);
    }

    // A flag's case (compliance_case with its key) follows it; a closed
    // case leaves the cell to the flag.
    void casesFollowFlags()
    {
        auto first = m_store->compliance().board();
        QVERIFY(first.ok());
        const auto weekly = flagsOf(*first, QStringLiteral("第七条(二)"));
        QCOMPARE(weekly.size(), 1);
        QVERIFY(!weekly[0]->followedBy);
        const QString key = weekly[0]->key;
        QVERIFY(key.contains(QStringLiteral("2026-10-19")));
        const Id caseId = insert(*m_store,
                                 QStringLiteral("INSERT INTO compliance_case (rule, subject_kind, subject_id, college_id, flag_key,"
                                                " summary, state, opened_at, opened_by, updated_at)"
                                                " VALUES (?, 'pilot', ?, ?, ?, ?, ?, ?, 'office', ?)"),
                                 {QStringLiteral("第七条(二)"), m_p1, m_collegeA, key, weekly[0]->message,
                                  QStringLiteral("核查中"), QStringLiteral("2026-11-18T01:00:00.000Z"),
                                  QStringLiteral("2026-11-18T01:00:00.000Z")});
        auto second = m_store->compliance().board();
        QVERIFY(second.ok());
        const auto followed = flagsOf(*second, QStringLiteral("第七条(二)"));
        QVERIFY(followed[0]->followedBy);
        QCOMPARE(followed[0]->followedBy->id, caseId);
        const qsizetype column = complianceArticles().indexOf(QStringLiteral("第七条(二)"));
        const BoardRow *p1 = rowOf(*second, QStringLiteral("pilot"), m_p1);
        QVERIFY(p1 && p1->cells[column].openCase);
        QCOMPARE(p1->cells[column].openCase->state, QStringLiteral("核查中"));

        QVERIFY(m_store->sql()
                    .query(QStringLiteral("UPDATE compliance_case SET state = ?, closed_at = ? WHERE id = ?"),
                           {QStringLiteral("不属实"), QStringLiteral("2026-11-18T01:30:00.000Z"), caseId})
                    .ok());
        auto third = m_store->compliance().board();
        QVERIFY(third.ok());
        p1 = rowOf(*third, QStringLiteral("pilot"), m_p1);
        QVERIFY(p1 && !p1->cells[column].openCase);
        QCOMPARE(p1->cells[column].state, CellState::Flag);
        QVERIFY(flagsOf(*third, QStringLiteral("第七条(二)"))[0]->followedBy->closed);
    }

    // A college sees its own pilots and row, and the flags about them; no site.
    void aCollegeSeesItsOwn()
    {
        auto board = m_store->compliance().board(m_collegeA);
        QVERIFY(board.ok());
        QCOMPARE(board->rows.size(), 3);
        for (const auto &r : board->rows) {
            QVERIFY(r.kind != QLatin1String("site"));
            QCOMPARE(r.collegeId, m_collegeA);
        }
        for (const auto &f : board->flags)
            QCOMPARE(f.collegeId, m_collegeA);
        QCOMPARE(flagsOf(*board, QStringLiteral("第九条(五)")).size(), 0);
        QCOMPARE(flagsOf(*board, QStringLiteral("第七条(二)")).size(), 1);
        // P1's one registration-free approval: 批准人数 1, none registered yet.
        const BoardRow *p1 = rowOf(*board, QStringLiteral("pilot"), m_p1);
        QVERIFY(p1 && p1->approvedCount == 1 && p1->registrations == 0);
    }
};

QTEST_GUILESS_MAIN(TestComplianceQuery)
#include "tst_compliancequery.moc"
