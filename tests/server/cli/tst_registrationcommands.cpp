// The command line's registration changes (issue #16 item 4) through the
// real kaodian-server binary: registration withdraw | move | replace |
// excuse, each retried without a second change, and a roster file that
// changes stored registrations refused until previewed and confirmed; and
// import-results, the results file's command.

#include "serverchild.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStringEncoder>
#include <QTemporaryDir>
#include <QTest>

using namespace kaodian::testing;

class TestRegistrationCommands : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_data, m_roster;
    QList<QByteArray> m_lines;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    qint64 registered()
    {
        const auto r = runServerCommand({QStringLiteral("stats"), QStringLiteral("--data"), m_data});
        if (r.exitCode != 0)
            return -1;
        qint64 n = 0;
        for (const auto &s : QJsonDocument::fromJson(r.out).object().value("sessions").toArray())
            n += s.toObject().value("registered").toInteger();
        return n;
    }

    QByteArray ticketOf(int line) const { return m_lines[line - 1].split(',')[0]; }

private slots:
    void initTestCase()
    {
        m_data = path(QStringLiteral("data"));
        m_roster = path(QStringLiteral("roster.csv"));
        QProcessEnvironment env = serverChildEnvironment();
        env.insert(QStringLiteral("KAODIAN_ADMIN_PASSWORD"), QStringLiteral("correct horse battery staple"));
        auto r = runServerCommand({QStringLiteral("init"), QStringLiteral("--data"), m_data}, env);
        QVERIFY2(r.finished && r.exitCode == 0, r.describe().constData());
        r = runServerCommand({QStringLiteral("sample-roster"), QStringLiteral("--out"), m_roster,
                              QStringLiteral("--candidates"), QStringLiteral("60")});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        r = runServerCommand({QStringLiteral("import"), QStringLiteral("--data"), m_data, m_roster});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QFile f(m_roster);
        QVERIFY(f.open(QIODevice::ReadOnly));
        m_lines = f.readAll().split('\n');
        QCOMPARE(registered(), 60);
    }

    // The rules' data through the binary (issue #14 item 1): import-majors
    // from a GB18030 file, again changing nothing; a refused file with its
    // line and column (exit 3); certificate cancel, per certificate (a
    // --level is refused with the reason), run again changing nothing.
    void rulesDataThroughTheCommands()
    {
        const QString majors = path(QStringLiteral("专业.csv"));
        {
            QFile f(majors);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QStringEncoder("GB18030").encode(
                QStringLiteral("二级学院,专业代码,专业名称,状态\r\n信息工程学院,510201,计算机应用技术,在招\r\n")));
        }
        auto r = runServerCommand({QStringLiteral("import-majors"), QStringLiteral("--data"), m_data, majors});
        QVERIFY2(r.exitCode == 0 && r.out.contains("1 rows; 0 created, 1 updated"), r.describe().constData());
        r = runServerCommand({QStringLiteral("import-majors"), QStringLiteral("--data"), m_data, majors});
        QVERIFY2(r.exitCode == 0 && r.out.contains("nothing changed"), r.describe().constData());
        const QString sites = path(QStringLiteral("考点.csv"));
        {
            QFile f(sites);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QStringLiteral("考点,合作协议编号,协议止\n实训楼考点,XY-1,2026-13-01\n").toUtf8());
        }
        r = runServerCommand({QStringLiteral("import-sites"), QStringLiteral("--data"), m_data, sites});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(QString::fromUtf8(r.err).contains(QStringLiteral("协议止")), r.describe().constData());
        r = runServerCommand({QStringLiteral("certificate"), QStringLiteral("cancel"), QStringLiteral("--data"), m_data,
                              QStringLiteral("--name"), QStringLiteral("Web前端开发"), QStringLiteral("--level"), QStringLiteral("中级"),
                              QStringLiteral("--date"), QStringLiteral("2026-12-01"), QStringLiteral("--document"), QStringLiteral("文〔2026〕1号")});
        QVERIFY2(r.exitCode == 1 && QString::fromUtf8(r.err).contains(QStringLiteral("各等级一并取消")), r.describe().constData());
        for (const char *expected : {"cancelled: Web前端开发", "nothing changed"}) {
            r = runServerCommand({QStringLiteral("certificate"), QStringLiteral("cancel"), QStringLiteral("--data"), m_data,
                                  QStringLiteral("--name"), QStringLiteral("Web前端开发"), QStringLiteral("--date"),
                                  QStringLiteral("2026-12-01"), QStringLiteral("--document"), QStringLiteral("文〔2026〕1号")});
            QVERIFY2(r.exitCode == 0 && r.out.contains(expected), r.describe().constData());
        }
    }

    // import-results through the binary (issue #16 item 1): a refused file
    // prints every problem with its line and column (exit 3), a good one is
    // counted, the same file again changes nothing, --replace needs a reason.
    void resultsFileThroughTheCommand()
    {
        auto cells = [&](int line) { return QString::fromUtf8(m_lines[line - 1]).split(QLatin1Char(',')); };
        const QString header = QStringLiteral("准考证号,姓名,考核结果,总成绩");
        const QString bad = path(QStringLiteral("bad-results.csv"));
        const QString good = path(QStringLiteral("results.csv"));
        auto write = [](const QString &file, const QStringList &lines) {
            QFile f(file);
            return f.open(QIODevice::WriteOnly) && f.write(lines.join(QStringLiteral("\r\n")).toUtf8()) > 0;
        };
        // Nobody has checked in: a pass is a problem, 缺考 is what happened.
        QVERIFY(write(bad, {header, cells(20)[0] + QLatin1Char(',') + cells(20)[1] + QStringLiteral(",通过,88"),
                            cells(21)[0] + QLatin1Char(',') + cells(21)[1] + QStringLiteral(",缺考,")}));
        auto r = runServerCommand({QStringLiteral("import-results"), QStringLiteral("--data"), m_data, bad});
        QCOMPARE(r.exitCode, 3);
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.contains(QStringLiteral("refused, nothing imported (1 problems)")), r.err.constData());
        QVERIFY2(err.contains(QStringLiteral("第 2 行「考核结果」")), r.err.constData());
        // Every option is declared once (Qt warns about a second declaration).
        QVERIFY2(!r.err.contains("QCommandLineParser"), r.err.constData());

        QVERIFY(write(good, {header, cells(20)[0] + QLatin1Char(',') + cells(20)[1] + QStringLiteral(",缺考,"),
                             cells(21)[0] + QLatin1Char(',') + cells(21)[1] + QStringLiteral(",缺考,")}));
        r = runServerCommand({QStringLiteral("import-results"), QStringLiteral("--data"), m_data, good});
        QVERIFY2(r.exitCode == 0 && r.out.contains("2 rows; 2 new results"), r.describe().constData());
        r = runServerCommand({QStringLiteral("import-results"), QStringLiteral("--data"), m_data, good});
        QVERIFY2(r.exitCode == 0 && r.out.contains("imported before; nothing changed"), r.describe().constData());
        r = runServerCommand({QStringLiteral("import-results"), QStringLiteral("--data"), m_data,
                              QStringLiteral("--replace"), QStringLiteral(" "), good});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("--replace needs the reason"), r.err.constData());
        QCOMPARE(registered(), 60);
    }

    // import-proctors through the binary (issue #15 item 2): a file in
    // UTF-16 with its BOM (Excel's "Unicode text"); a refused one prints
    // every problem with its line and column (exit 3) and assigns nobody.
    void proctorsFileThroughTheCommand()
    {
        const auto stats = runServerCommand({QStringLiteral("stats"), QStringLiteral("--data"), m_data});
        QCOMPARE(stats.exitCode, 0);
        const qint64 session =
            QJsonDocument::fromJson(stats.out).object().value("sessions").toArray().first().toObject().value("id").toInteger();
        QVERIFY(session > 0);
        auto write = [](const QString &file, const QString &text) {
            QFile f(file);
            const QByteArray bytes = QByteArray("\xFF\xFE")
                + QByteArray(reinterpret_cast<const char *>(text.utf16()), text.size() * 2);
            return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
        };
        const QString bad = path(QStringLiteral("bad-proctors.txt"));
        QVERIFY(write(bad, QStringLiteral("场次编号\t考场\t工号\t姓名\t手机号\r\n%1\t01\tT001\t王老师\t1381234\r\n"
                                          "%1\t99\tT002\t李老师\t\r\n")
                               .arg(session)));
        auto r = runServerCommand({QStringLiteral("import-proctors"), QStringLiteral("--data"), m_data, bad});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(QString::fromUtf8(r.err).contains(QStringLiteral("第 2 行「手机号」")), r.err.constData());
        QVERIFY2(!r.err.contains("QCommandLineParser"), r.err.constData());
        const QString good = path(QStringLiteral("proctors.txt"));
        QVERIFY(write(good, QStringLiteral("场次编号\t考场\t工号\t姓名\t手机号\r\n%1\t01\tT001\t王老师\t13812345678\r\n"
                                           "%1\t01\tT002\t李老师\t\r\n")
                                .arg(session)));
        r = runServerCommand({QStringLiteral("import-proctors"), QStringLiteral("--data"), m_data, good});
        QVERIFY2(r.exitCode == 0 && r.out.contains("2 proctors assigned in 1 sessions (2 new)"), r.describe().constData());
    }

    void changesEachOnceWithTheirReasons()
    {
        const QString withdrawn = QString::fromLatin1(ticketOf(2));
        auto r = runServerCommand({QStringLiteral("registration"), QStringLiteral("withdraw"), QStringLiteral("--data"),
                                   m_data, QStringLiteral("--ticket-number"), withdrawn, QStringLiteral("--reason"),
                                   QStringLiteral("本人申请退考"), QStringLiteral("--date"), QStringLiteral("2026-05-29")});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QVERIFY2(r.out.contains("withdrawn; serial 1 revoked"), r.out.constData());
        QCOMPARE(registered(), 59);
        r = runServerCommand({QStringLiteral("registration"), QStringLiteral("withdraw"), QStringLiteral("--data"),
                              m_data, QStringLiteral("--ticket-number"), withdrawn, QStringLiteral("--reason"),
                              QStringLiteral("再来一次")});
        QVERIFY2(r.exitCode == 0 && r.out.contains("nothing changed"), r.describe().constData());
        QCOMPARE(registered(), 59);

        // No reason: refused in Chinese.
        r = runServerCommand({QStringLiteral("registration"), QStringLiteral("excuse"), QStringLiteral("--data"), m_data,
                              QStringLiteral("--ticket-number"), QString::fromLatin1(ticketOf(3))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(QString::fromUtf8(r.err).contains(QStringLiteral("请假须写明原因")), r.err.constData());
        r = runServerCommand({QStringLiteral("registration"), QStringLiteral("excuse"), QStringLiteral("--data"), m_data,
                              QStringLiteral("--ticket-number"), QString::fromLatin1(ticketOf(3)),
                              QStringLiteral("--reason"), QStringLiteral("病假")});
        QVERIFY2(r.exitCode == 0, r.describe().constData());

        const QString moved = QString::fromLatin1(ticketOf(4));
        const QStringList move{QStringLiteral("registration"), QStringLiteral("move"), QStringLiteral("--data"), m_data,
                               QStringLiteral("--ticket-number"), moved, QStringLiteral("--room"),
                               QString::fromLatin1(m_lines[3].split(',')[11]), QStringLiteral("--seat"),
                               QStringLiteral("88")};
        r = runServerCommand(move);
        QVERIFY2(r.exitCode == 0 && r.out.contains("ticket serial 2"), r.describe().constData());
        r = runServerCommand(move);
        QVERIFY2(r.exitCode == 0 && r.out.contains("nothing changed"), r.describe().constData());

        r = runServerCommand({QStringLiteral("registration"), QStringLiteral("replace"), QStringLiteral("--data"), m_data,
                              QStringLiteral("--ticket-number"), QString::fromLatin1(ticketOf(5)),
                              QStringLiteral("--id-number"), QStringLiteral("650102200001010012"),
                              QStringLiteral("--name"), QStringLiteral("买买提·艾力"), QStringLiteral("--student-number"),
                              QStringLiteral("2024880001"), QStringLiteral("--new-ticket-number"),
                              QStringLiteral("T-NEW-7"), QStringLiteral("--reason"), QStringLiteral("原考生因病")});
        QVERIFY2(r.exitCode == 0 && r.out.contains("T-NEW-7"), r.describe().constData());
        QCOMPARE(registered(), 59);
    }

    // The weekly reports' exemption calendar (issue #14 item 2): a Monday
    // set once, refused for another day, removed once.
    void reportExemptionCalendar()
    {
        auto cmd = [&](const QString &action, const QString &date, const QString &reason = {}) {
            QStringList args{QStringLiteral("report-exemption"), action, QStringLiteral("--data"), m_data,
                             QStringLiteral("--date"), date};
            if (!reason.isEmpty())
                args << QStringLiteral("--reason") << reason;
            return runServerCommand(args);
        };
        auto r = cmd(QStringLiteral("set"), QStringLiteral("2026-07-07"), QStringLiteral("暑假"));
        QVERIFY2(r.exitCode != 0 && r.err.contains("不是周一"), r.describe().constData());
        r = cmd(QStringLiteral("set"), QStringLiteral("2026-07-06"));
        QVERIFY2(r.exitCode != 0 && r.err.contains("请写明免报原因"), r.describe().constData());
        r = cmd(QStringLiteral("set"), QStringLiteral("2026-07-06"), QStringLiteral("暑假"));
        QVERIFY2(r.exitCode == 0 && r.out.contains("exempt from weekly reports"), r.describe().constData());
        r = cmd(QStringLiteral("set"), QStringLiteral("2026-07-06"), QStringLiteral("暑假"));
        QVERIFY2(r.exitCode == 0 && r.out.contains("nothing changed"), r.describe().constData());
        r = cmd(QStringLiteral("remove"), QStringLiteral("2026-07-06"));
        QVERIFY2(r.exitCode == 0 && r.out.contains("owes a weekly report again"), r.describe().constData());
        r = cmd(QStringLiteral("remove"), QStringLiteral("2026-07-06"));
        QVERIFY2(r.exitCode == 0 && r.out.contains("nothing changed"), r.describe().constData());
    }

    void aChangingRosterWaitsForItsConfirmation()
    {
        // The first file again, one row left out (withdrawn), one moved to seat 77.
        QList<QByteArray> lines = m_lines;
        const QByteArray gone = ticketOf(10);
        QList<QByteArray> cells = lines[10].split(',');
        cells[12] = "77";
        lines[10] = cells.join(',');
        lines.removeAt(9);
        // The rows changed above as the office changed them: the moved one on
        // its new seat, the replacement instead of the one it replaced, the
        // withdrawn one left out (a withdrawn ticket number is not taken back).
        QList<QByteArray> movedCells = lines[3].split(',');
        movedCells[12] = "88";
        lines[3] = movedCells.join(',');
        QList<QByteArray> newcomer = lines[4].split(',');
        newcomer[0] = "T-NEW-7";
        newcomer[1] = QStringLiteral("买买提·艾力").toUtf8();
        newcomer[2] = "650102200001010012";
        newcomer[3] = "2024880001";
        lines[4] = newcomer.join(',');
        lines.removeAt(1);
        const QString next = path(QStringLiteral("next.csv"));
        QFile f(next);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(lines.join('\n'));
        f.close();

        auto r = runServerCommand({QStringLiteral("import"), QStringLiteral("--data"), m_data, next});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(QString::fromUtf8(r.err).contains(QStringLiteral("请先预览差异")), r.err.constData());
        QCOMPARE(registered(), 59);

        r = runServerCommand({QStringLiteral("import"), QStringLiteral("--data"), m_data, QStringLiteral("--preview"), next});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        const QString out = QString::fromUtf8(r.out);
        QVERIFY2(out.contains(QStringLiteral("退考 ") + QString::fromLatin1(gone)), r.out.constData());
        QVERIFY2(out.contains(QStringLiteral("→ 考场")) && out.contains(QStringLiteral("座位 77")), r.out.constData());
        QVERIFY2(out.contains(QStringLiteral("1 changed (tickets re-issued), 1 withdrawn")), r.out.constData());
        const auto sha = QRegularExpression(QStringLiteral("sha256 ([0-9a-f]{64})")).match(out);
        QVERIFY(sha.hasMatch());
        QCOMPARE(registered(), 59);

        // Another file's SHA-256 is not a confirmation of this one.
        r = runServerCommand({QStringLiteral("import"), QStringLiteral("--data"), m_data, QStringLiteral("--confirm"),
                              QString(64, QLatin1Char('0')), next});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(QString::fromUtf8(r.err).contains(QStringLiteral("SHA-256 不符")), r.err.constData());
        r = runServerCommand({QStringLiteral("import"), QStringLiteral("--data"), m_data, QStringLiteral("--confirm"),
                              sha.captured(1), next});
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QVERIFY2(r.out.contains("1 changed (tickets re-issued), 1 withdrawn"), r.out.constData());
        QCOMPARE(registered(), 58);
    }
};

QTEST_GUILESS_MAIN(TestRegistrationCommands)
#include "tst_registrationcommands.moc"
