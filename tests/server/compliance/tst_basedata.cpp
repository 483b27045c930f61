// The data the regulation's rules need (issue #14 item 1), against both
// stores: the imports of majors, pilots, teachers and sites with every
// problem by line and column, in the encodings and the .xlsx Excel saves;
// the same file again changing nothing; the roster's checks (a 未登记
// pilot, more candidates than 批准人数, a site whose agreement does not
// hold); a certificate's cancellation; single edits audited; and the
// compliance rules' inputs read back (store/compliancedata.h).

#include "import/rosterfields.h"
#include "office/basedata.h"
#include "office/rosters.h"

#include "core/compliance.h"

#include "freshstore.h"

#include <QStringEncoder>
#include <algorithm>
#include <QTemporaryDir>
#include <QTest>

#include <xlsxwriter.h>

using namespace kaodian;
using namespace kaodian::server;
using office::BaseDataKind;

namespace {

const QString kInfo = QStringLiteral("信息工程学院");
const QString kWeb = QStringLiteral("Web前端开发");

QString idNumber(int serial)
{
    const QString first17 = QStringLiteral("35010220000101%1").arg(serial, 3, 10, QLatin1Char('0'));
    return first17 + idNumberCheckCharacter(first17);
}

QByteArray utf8(const QStringList &lines)
{
    return lines.join(QStringLiteral("\r\n")).toUtf8();
}

// Majors as Excel on Chinese Windows saves them: GB18030, trailing blank rows.
QByteArray majorsGb18030()
{
    return QStringEncoder("GB18030").encode(QStringList{
        QStringLiteral("二级学院,专业代码,专业名称,状态"),
        QStringLiteral("信息工程学院,510201,计算机应用技术,在招"),
        QStringLiteral("信息工程学院,510203,软件技术,在招"),
        QStringLiteral("机电工程学院,460104,数控技术,停招"),
        QStringLiteral(",,,"),
        QStringLiteral(",,,"),
    }.join(QStringLiteral("\r\n")));
}

// A roster of n candidates of one pilot at a site on a date.
QByteArray roster(const QString &site, const QString &date, int first, int n, const QString &certificate = kWeb)
{
    QStringList lines{QStringLiteral("准考证号,姓名,身份证号,学号,专业,二级学院,证书,等级,考点,考场,座位号,考试日期,开始时间")};
    for (int i = first; i < first + n; ++i)
        lines << QStringLiteral("T%1,考生%2,%3,2024%4,软件技术,信息工程学院,%5,中级,%6,01,%7,%8,09:00")
                     .arg(i, 4, 10, QLatin1Char('0'))
                     .arg(i)
                     .arg(idNumber(i))
                     .arg(i, 3, 10, QLatin1Char('0'))
                     .arg(certificate, site)
                     .arg(i)
                     .arg(date);
    return utf8(lines);
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString problemsText(const OfficeError &e)
{
    QStringList out{e.message};
    for (const auto &p : e.problems)
        out << QStringLiteral("%1|%2|%3").arg(p.line).arg(p.column, p.message);
    return out.join(QLatin1Char('\n'));
}

} // namespace

class TestBaseData : public QObject
{
    Q_OBJECT

    std::unique_ptr<testing::FreshStore> m_fresh;
    std::unique_ptr<ServerStore> m_store;

    qint64 count(const QString &sql, const QVariantList &params = {})
    {
        auto r = m_store->sql().query(sql, params);
        return r ? r->first().first().toLongLong() : -1;
    }

    OfficeResult<BaseDataSummary> import(BaseDataKind kind, const QByteArray &bytes, const QString &name = QStringLiteral("f.csv"))
    {
        return office::importBaseData(*m_store, kind, bytes, name, QStringLiteral("jiaowu"));
    }

    void importOk(BaseDataKind kind, const QByteArray &bytes)
    {
        auto r = import(kind, bytes);
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(problemsText(r.error())));
    }

    void importPilots(int approved)
    {
        importOk(BaseDataKind::Pilots,
                 utf8({QStringLiteral("二级学院,证书,等级,培训评价组织,试点专业,批准人数,批准日期,开始日期,状态"),
                       QStringLiteral("信息工程学院,Web前端开发,中级,工信部教育与考试中心,软件技术；计算机应用技术,%1,2026-03-01,2026-03-02,试点中")
                           .arg(approved)}));
    }

private slots:
    void init()
    {
        m_fresh = std::make_unique<testing::FreshStore>();
        QVERIFY2(m_fresh->ok(), qPrintable(m_fresh->error()));
        auto s = ServerStore::open(m_fresh->location());
        QVERIFY(s.ok());
        m_store = std::move(s).value();
    }
    void cleanup()
    {
        m_store.reset();
        m_fresh.reset();
    }

    void majorsFromGb18030ThenTheSameFileChangesNothing()
    {
        auto r = import(BaseDataKind::Majors, majorsGb18030(), QStringLiteral("专业.csv"));
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(problemsText(r.error())));
        QCOMPARE(r->rows, 3);
        QCOMPARE(r->created, 3);
        QVERIFY(r->changed());
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM college")), 2);
        QCOMPARE(count(QStringLiteral("SELECT active FROM major WHERE code = '460104'")), 0);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM audit_log WHERE action = 'basedata.majors.import'")), 1);

        auto again = import(BaseDataKind::Majors, majorsGb18030(), QStringLiteral("专业.csv"));
        QVERIFY(again.ok());
        QVERIFY(!again->changed());
        QCOMPARE(again->unchanged, 3);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM major")), 3);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM audit_log WHERE action = 'basedata.majors.import'")), 1);

        // A major a roster made (no code) gets its code; a changed state is an update.
        QVERIFY(office::importRoster(*m_store, roster(QStringLiteral("信息楼考点"), QStringLiteral("2026-06-01"), 1, 1)
                                                  .replace("软件技术", "云计算技术应用"),
                                     QStringLiteral("r.csv"), QStringLiteral("office"))
                    .ok());
        auto more = import(BaseDataKind::Majors,
                           utf8({QStringLiteral("二级学院,专业代码,专业名称,状态"),
                                 QStringLiteral("信息工程学院,510202,云计算技术应用,在招"),
                                 QStringLiteral("机电工程学院,460104,数控技术,在招")}));
        QVERIFY2(more.ok(), more.ok() ? "" : qPrintable(problemsText(more.error())));
        QCOMPARE(more->updated, 2);
        QCOMPARE(more->created, 0);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM major WHERE code = '510202'")), 1);
    }

    void aBadMajorsFileIsRefusedWithEveryProblem()
    {
        auto r = import(BaseDataKind::Majors,
                        utf8({QStringLiteral("学院,代码,专业名称,状态"),
                              QStringLiteral("信息工程学院,,软件技术,在招"),
                              QStringLiteral("信息工程学院,510201,计算机应用技术,招满"),
                              QStringLiteral("信息工程学院,510203,软件技术,在招"),
                              QStringLiteral("信息工程学院,510203,云计算技术应用,在招")}));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("invalid_file"));
        const auto &p = r.error().problems;
        QCOMPARE(p.size(), 3);
        QCOMPARE(p[0].line, 2);
        QCOMPARE(p[0].column, QStringLiteral("代码"));
        QCOMPARE(p[0].message, QStringLiteral("“代码”不能为空。"));
        QCOMPARE(p[1].line, 3);
        QCOMPARE(p[1].column, QStringLiteral("状态"));
        QVERIFY(p[1].message.contains(QStringLiteral("“招满”")));
        QCOMPARE(p[2].line, 5);
        QVERIFY2(p[2].message.contains(QStringLiteral("与第 4 行重复")), qPrintable(problemsText(r.error())));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM major")), 0);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM audit_log WHERE action = 'basedata.majors.refused'")), 1);

        // A file with no header the importer knows.
        auto none = import(BaseDataKind::Majors, utf8({QStringLiteral("a,b"), QStringLiteral("1,2")}));
        QVERIFY(!none.ok());
        QVERIFY(none.error().problems.first().message.contains(QStringLiteral("没有找到专业名单的表头")));
    }

    void pilotsFromXlsxRegisterThePilot()
    {
        importOk(BaseDataKind::Majors, majorsGb18030());
        QTemporaryDir dir;
        const QByteArray path = dir.filePath(QStringLiteral("试点.xlsx")).toUtf8();
        auto write = [&](const char *majors) {
            lxw_workbook *wb = workbook_new(path.constData());
            lxw_worksheet *ws = workbook_add_worksheet(wb, "试点");
            const char *header[] = {"二级学院", "证书", "等级", "培训评价组织", "试点专业", "批准人数", "批准日期", "开始日期"};
            for (int c = 0; c < 8; ++c)
                worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), header[c], nullptr);
            worksheet_write_string(ws, 1, 0, "信息工程学院", nullptr);
            worksheet_write_string(ws, 1, 1, "Web前端开发", nullptr);
            worksheet_write_string(ws, 1, 2, "中级", nullptr);
            worksheet_write_string(ws, 1, 3, "工信部教育与考试中心", nullptr);
            worksheet_write_string(ws, 1, 4, majors, nullptr);
            worksheet_write_number(ws, 1, 5, 80, nullptr);
            // A date typed into a date cell: Excel keeps its serial number.
            worksheet_write_number(ws, 1, 6, QDate(1899, 12, 30).daysTo(QDate(2026, 3, 1)), nullptr);
            worksheet_write_string(ws, 1, 7, "2026/3/2", nullptr);
            QCOMPARE(workbook_close(wb), LXW_NO_ERROR);
        };
        write("软件技术、计算机应用技术");
        auto r = import(BaseDataKind::Pilots, readFile(QString::fromUtf8(path)), QStringLiteral("试点.xlsx"));
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(problemsText(r.error())));
        QCOMPARE(r->created, 1);
        auto pilots = m_store->baseData().pilots();
        QVERIFY(pilots.ok());
        QCOMPARE(pilots->size(), 1);
        const PilotRecord &p = pilots->first();
        QVERIFY(p.registered);
        QVERIFY(p.approvedCount == 80);
        QCOMPARE(p.approvedOn, QDate(2026, 3, 1));
        QCOMPARE(p.startDate, QDate(2026, 3, 2));
        QCOMPARE(p.majors, (QStringList{QStringLiteral("计算机应用技术"), QStringLiteral("软件技术")}));
        QCOMPARE(p.name(), QStringLiteral("Web前端开发 中级（信息工程学院）"));
        auto again = import(BaseDataKind::Pilots, readFile(QString::fromUtf8(path)), QStringLiteral("试点.xlsx"));
        QVERIFY(again.ok() && !again->changed());

        // A major the college does not have: refused at its line and column.
        write("软件技术、大数据技术");
        auto bad = import(BaseDataKind::Pilots, readFile(QString::fromUtf8(path)), QStringLiteral("试点.xlsx"));
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().problems.size(), 1);
        QCOMPARE(bad.error().problems.first().line, 2);
        QCOMPARE(bad.error().problems.first().column, QStringLiteral("试点专业"));
        QVERIFY2(bad.error().problems.first().message.contains(QStringLiteral("“大数据技术”不在信息工程学院的专业名单中")),
                 qPrintable(problemsText(bad.error())));
        QCOMPARE(m_store->baseData().pilots()->first().majors.size(), 2);
    }

    void teachersFromUtf16WithTheirQualifications()
    {
        importOk(BaseDataKind::Majors, majorsGb18030());
        const QStringList header{QStringLiteral("工号\t姓名\t二级学院\t专业\t资格\t证书\t等级\t证书编号\t有效期起\t有效期止")};
        const QString trainer = QStringLiteral("2019001\t李𪚥\t信息工程学院\t软件技术\t培训教师\tWeb前端开发\t中级\tPX-0137\t2025-07-01\t2028-06-30");
        const QString assessor = QStringLiteral("2019001\t李𪚥\t信息工程学院\t软件技术\t考评员\tWeb前端开发\t中级\tKP-0086\t2025-07-01\t2026-12-02");
        const QString none = QStringLiteral("2016042\t买买提·艾力\t机电工程学院\t数控技术\t\t\t\t\t\t");
        QStringEncoder le(QStringEncoder::Utf16LE, QStringEncoder::Flag::WriteBom);
        auto r = import(BaseDataKind::Teachers, le.encode((header + QStringList{trainer, assessor, none}).join(QStringLiteral("\r\n"))));
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(problemsText(r.error())));
        QCOMPARE(r->created, 4); // two teachers, two qualifications
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM qualification")), 2);

        // The file's rows are the teacher's qualifications: one left out is removed.
        auto fewer = import(BaseDataKind::Teachers, utf8({header.first(), trainer, none}).replace('\t', ','));
        QVERIFY2(fewer.ok(), fewer.ok() ? "" : qPrintable(problemsText(fewer.error())));
        QCOMPARE(fewer->removed, 1);
        QCOMPARE(fewer->unchanged, 3);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM qualification")), 1);
        auto teachers = m_store->baseData().teachers();
        QVERIFY(teachers.ok());
        QCOMPARE(teachers->size(), 2);

        // One teacher, two names; an unknown major; a kind that is not one.
        auto bad = import(BaseDataKind::Teachers,
                          utf8({header.first(), trainer, QString(assessor).replace(QStringLiteral("李𪚥"), QStringLiteral("李四")),
                                QStringLiteral("2020007\t王芳\t信息工程学院\t软件技术\t讲师\tWeb前端开发\t中级\t\t\t")})
                              .replace('\t', ','));
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().problems.size(), 2);
        QCOMPARE(bad.error().problems[0].line, 3);
        QCOMPARE(bad.error().problems[0].column, QStringLiteral("姓名"));
        QCOMPARE(bad.error().problems[1].line, 4);
        QCOMPARE(bad.error().problems[1].column, QStringLiteral("资格"));
        auto unknown = import(BaseDataKind::Teachers,
                              utf8({header.first(), QString(trainer).replace(QStringLiteral("软件技术"), QStringLiteral("大数据技术"))})
                                  .replace('\t', ','));
        QVERIFY(!unknown.ok());
        QCOMPARE(unknown.error().problems.first().column, QStringLiteral("专业"));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM qualification")), 1);
    }

    void theRosterChecksTheRulesData()
    {
        importOk(BaseDataKind::Majors, majorsGb18030());
        importOk(BaseDataKind::Sites,
                 utf8({QStringLiteral("考点,地址,合作协议编号,协议起,协议止"),
                       QStringLiteral("实训楼考点,学府路 8 号,XY-2024-07,2024-06-01,2026-05-31"),
                       QStringLiteral("信息楼考点,学府路 8 号,XY-2025-02,2025-03-01,2027-12-31")}));
        // A session at a site whose agreement ended the day before: refused with the reason.
        auto refused = office::importRoster(*m_store, roster(QStringLiteral("实训楼考点"), QStringLiteral("2026-06-01"), 1, 2),
                                            QStringLiteral("r1.csv"), QStringLiteral("office"));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().problems.size(), 1);
        QCOMPARE(refused.error().problems.first().line, 2);
        QCOMPARE(refused.error().problems.first().column, QStringLiteral("考点"));
        QCOMPARE(refused.error().problems.first().message,
                 QStringLiteral("考点「实训楼考点」的合作协议于 2026-05-31 到期，不能安排 2026-06-01 的考试（第九条(五)）"));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM exam_session")), 0);
        // The last day it holds is fine.
        auto lastDay = office::importRoster(*m_store, roster(QStringLiteral("实训楼考点"), QStringLiteral("2026-05-31"), 1, 1),
                                            QStringLiteral("r2.csv"), QStringLiteral("office"));
        QVERIFY2(lastDay.ok(), lastDay.ok() ? "" : qPrintable(problemsText(lastDay.error())));

        // A pilot nobody registered: made 未登记, and said.
        QCOMPARE(count(QStringLiteral("SELECT registered FROM pilot")), 0);
        QVERIFY2(lastDay->warnings.join(QLatin1Char('\n')).contains(QStringLiteral("试点 Web前端开发 中级（信息工程学院） 未登记")),
                 qPrintable(lastDay->warnings.join(QLatin1Char('\n'))));

        // A site with no agreement recorded: imported, and said.
        auto noAgreement = office::importRoster(*m_store, roster(QStringLiteral("图书馆考点"), QStringLiteral("2026-06-08"), 10, 1),
                                                QStringLiteral("r3.csv"), QStringLiteral("office"));
        QVERIFY(noAgreement.ok());
        QVERIFY(noAgreement->warnings.contains(
            QStringLiteral("考点「图书馆考点」没有登记合作协议（第九条(五)）：本名单照常导入，请教务处导入考点名单")));

        // Registered with 批准人数 2 (two candidates so far): no warning; a third is one.
        importPilots(2);
        QCOMPARE(count(QStringLiteral("SELECT registered FROM pilot")), 1);
        auto third = office::importRoster(*m_store, roster(QStringLiteral("信息楼考点"), QStringLiteral("2026-06-15"), 20, 1),
                                          QStringLiteral("r4.csv"), QStringLiteral("office"));
        QVERIFY2(third.ok(), third.ok() ? "" : qPrintable(problemsText(third.error())));
        QCOMPARE(third->warnings, QStringList{QStringLiteral("试点 Web前端开发 中级（信息工程学院） 已报名 3 人，超过批准人数 2 人")});
        // A registered pilot's majors stay the approved ones (the roster's 软件技术 is one of them anyway).
        QCOMPARE(m_store->baseData().pilots()->first().majors.size(), 2);
        // The pilots file again warns too.
        auto again = import(BaseDataKind::Pilots,
                            utf8({QStringLiteral("二级学院,证书,等级,培训评价组织,试点专业,批准人数,批准日期,开始日期,状态"),
                                  QStringLiteral("信息工程学院,Web前端开发,中级,工信部教育与考试中心,软件技术；计算机应用技术,2,2026-03-01,2026-03-02,试点中")}));
        QVERIFY(again.ok() && !again->changed());
        QCOMPARE(again->warnings.size(), 1);
    }

    void aCertificateIsCancelledAtEveryLevel()
    {
        importOk(BaseDataKind::Majors, majorsGb18030());
        importPilots(80);
        auto r = office::cancelCertificate(*m_store, kWeb, QStringLiteral("2026年12月1日"), QStringLiteral("教职成司函〔2026〕12号"),
                                           QStringLiteral("jiaowu"));
        QVERIFY2(r.ok() && *r, r.ok() ? "" : qPrintable(r.error().message));
        auto again = office::cancelCertificate(*m_store, kWeb, QStringLiteral("2026-12-01"), QStringLiteral("教职成司函〔2026〕12号"),
                                               QStringLiteral("jiaowu"));
        QVERIFY(again.ok() && !*again);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM audit_log WHERE action = 'certificate.cancel'")), 1);
        auto unknown = office::cancelCertificate(*m_store, QStringLiteral("不存在的证书"), QStringLiteral("2026-12-01"),
                                                 QStringLiteral("x"), QStringLiteral("jiaowu"));
        QVERIFY(!unknown.ok());
        QVERIFY(unknown.error().kind == OfficeError::Kind::NotFound);
        auto badDate = office::cancelCertificate(*m_store, kWeb, QStringLiteral("下个月"), QStringLiteral("x"), QStringLiteral("jiaowu"));
        QVERIFY(!badDate.ok());
        QVERIFY(badDate.error().kind == OfficeError::Kind::BadInput);
        auto certificates = m_store->baseData().certificates();
        QVERIFY(certificates.ok());
        QCOMPARE(certificates->first().cancelledOn, QDate(2026, 12, 1));
        QCOMPARE(certificates->first().cancelledBy, QStringLiteral("jiaowu"));
    }

    void editsAreCheckedAndAudited()
    {
        importOk(BaseDataKind::Majors, majorsGb18030());
        importPilots(80);
        importOk(BaseDataKind::Sites, utf8({QStringLiteral("考点,合作协议编号,协议止"), QStringLiteral("信息楼考点,XY-2025-02,2027-12-31")}));
        auto majors = m_store->baseData().majors();
        QVERIFY(majors.ok());
        const Id software = std::find_if(majors->cbegin(), majors->cend(), [](const MajorRecord &m) { return m.code == u"510203"; })->id;
        auto &data = m_store->baseData();
        // A name another major of the college has: refused.
        auto clash = data.updateMajor(software, MajorEdit{std::nullopt, QStringLiteral("计算机应用技术"), std::nullopt}, QStringLiteral("jiaowu"));
        QVERIFY(!clash.ok());
        QVERIFY(clash.error().code == StoreError::Code::Refused);
        auto stop = data.updateMajor(software, MajorEdit{std::nullopt, std::nullopt, false}, QStringLiteral("jiaowu"));
        QVERIFY(stop.ok() && *stop);
        auto same = data.updateMajor(software, MajorEdit{std::nullopt, std::nullopt, false}, QStringLiteral("jiaowu"));
        QVERIFY(same.ok() && !*same);

        const Id pilot = data.pilots()->first().id;
        PilotEdit pe;
        pe.majors = QStringList{QStringLiteral("软件技术")};
        pe.approvedCount = std::optional<int>(60);
        auto edited = data.updatePilot(pilot, pe, QStringLiteral("jiaowu"));
        QVERIFY2(edited.ok() && *edited, edited.ok() ? "unchanged" : qPrintable(edited.error().message));
        QVERIFY(data.pilots()->first().approvedCount == 60);
        pe.majors = QStringList{QStringLiteral("大数据技术")};
        QVERIFY(!data.updatePilot(pilot, pe, QStringLiteral("jiaowu")).ok());

        const Id site = data.sites()->first().id;
        SiteEdit se;
        se.agreementEnds = QDate(); // an agreement number without its last day
        QVERIFY(!data.updateSite(site, se, QStringLiteral("jiaowu")).ok());
        se.agreementEnds = QDate(2028, 12, 31);
        auto siteEdited = data.updateSite(site, se, QStringLiteral("jiaowu"));
        QVERIFY(siteEdited.ok() && *siteEdited);
        QVERIFY(!data.updateSite(999999, se, QStringLiteral("jiaowu")).ok());
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM audit_log WHERE action IN ('basedata.major.update',"
                                      " 'basedata.pilot.update', 'basedata.site.update')")),
                 3);
    }

    void theRulesInputsReadBack()
    {
        importOk(BaseDataKind::Majors, majorsGb18030());
        importPilots(80);
        importOk(BaseDataKind::Sites, utf8({QStringLiteral("考点,合作协议编号,协议起,协议止"),
                                            QStringLiteral("信息楼考点,XY-2025-02,2025-03-01,2026-12-31")}));
        importOk(BaseDataKind::Teachers,
                 utf8({QStringLiteral("工号,姓名,二级学院,专业,资格,证书,等级,证书编号,有效期起,有效期止"),
                       QStringLiteral("2019001,李𪚥,信息工程学院,软件技术,考评员,Web前端开发,中级,KP-0086,2025-07-01,2026-12-02")}));
        QVERIFY(office::importRoster(*m_store, roster(QStringLiteral("信息楼考点"), QStringLiteral("2026-06-01"), 1, 2),
                                     QStringLiteral("r.csv"), QStringLiteral("office"))
                    .ok());
        QVERIFY(office::importRoster(*m_store, roster(QStringLiteral("信息楼考点"), QStringLiteral("2026-06-02"), 5, 1, QStringLiteral("云计算")),
                                     QStringLiteral("r2.csv"), QStringLiteral("office"))
                    .ok());
        QVERIFY(office::cancelCertificate(*m_store, QStringLiteral("云计算"), QStringLiteral("2026-11-30"), QStringLiteral("文件〔2026〕1号"),
                                          QStringLiteral("jiaowu"))
                    .ok());

        auto in = m_store->complianceData().read();
        QVERIFY2(in.ok(), in.ok() ? "" : qPrintable(in.error().message));
        // 第二条(三): 信息工程学院 has two active majors and two certificates (one pilot 未登记).
        const auto info = std::find_if(in->colleges.cbegin(), in->colleges.cend(),
                                       [](const CollegeOffer &c) { return c.collegeName == u"信息工程学院"; });
        QVERIFY(info != in->colleges.cend());
        QCOMPARE(info->activeMajors, 2);
        QCOMPARE(info->activePilotCertificates, (QStringList{QStringLiteral("Web前端开发"), QStringLiteral("云计算")}));
        QCOMPARE(in->pilots.size(), 2);
        QCOMPARE(in->pilots[0].name, QStringLiteral("Web前端开发 中级（信息工程学院）"));
        QVERIFY(in->pilots[0].registered);
        QCOMPARE(in->pilots[0].candidates, 2);
        QVERIFY(!in->pilots[1].registered);
        // 第十六条(二): the approved majors, and the teacher's qualification by major.
        QCOMPARE(in->staffing[0].approvedMajors, (QStringList{QStringLiteral("计算机应用技术"), QStringLiteral("软件技术")}));
        QCOMPARE(in->qualifications.size(), 1);
        QCOMPARE(in->qualifications.first().major, QStringLiteral("软件技术"));
        QCOMPARE(in->qualifications.first().validUntil, QDate(2026, 12, 2));
        QVERIFY(in->qualifications.first().kind == QualificationKind::Assessor);
        // 第九条(五): both sites, one without an agreement.
        QCOMPARE(in->sites.size(), 1);
        QCOMPARE(in->sites.first().agreementNumber, QStringLiteral("XY-2025-02"));
        QCOMPARE(in->sites.first().validUntil, QDate(2026, 12, 31));
        // 第七条(一), 第九条(一).
        QCOMPARE(in->cancellations.size(), 1);
        QCOMPARE(in->cancellations.first().certificate, QStringLiteral("云计算"));
        QCOMPARE(in->sitesOfCertificates.size(), 1);
        QCOMPARE(in->sitesOfCertificates.first().certificates, (QStringList{QStringLiteral("Web前端开发"), QStringLiteral("云计算")}));

        // The rules over them, today 2026-12-02.
        const QDate today(2026, 12, 2);
        const auto count = certificateCountFlags(in->colleges);
        QCOMPARE(count.size(), 0); // 2 certificates, 2 active majors
        const auto staffing = qualifiedTeacherFlags(in->staffing, in->qualifications, today);
        QCOMPARE(staffing.size(), 2); // Web: 计算机应用技术 has no qualified teacher; 云计算 (未登记): 软件技术 neither
        const auto cancelled = cancelledCertificateFlags(in->cancellations, in->pilotsOfCertificates, in->sitesOfCertificates, today);
        QCOMPARE(cancelled.size(), 2); // the 云计算 pilot and 信息楼考点
    }
};

QTEST_GUILESS_MAIN(TestBaseData)
#include "tst_basedata.moc"
