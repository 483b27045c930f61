#include "api/xlsxexport.h"

#include "api/jsonreport.h"

#include <QFile>
#include <QTemporaryDir>

#include <xlsxwriter.h>

namespace kaodian::server {

namespace {

// Writes rows of cells; numbers stay numbers so Excel can sum them.
class SheetWriter
{
public:
    SheetWriter(lxw_workbook *book, const char *name, lxw_format *bold)
        : m_sheet(workbook_add_worksheet(book, name)), m_bold(bold)
    {
    }
    void header(const QStringList &names)
    {
        for (int c = 0; c < names.size(); ++c) {
            worksheet_write_string(m_sheet, 0, static_cast<lxw_col_t>(c), names[c].toUtf8().constData(), m_bold);
            worksheet_set_column(m_sheet, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), 12, nullptr);
        }
        worksheet_freeze_panes(m_sheet, 1, 0);
        m_row = 1;
    }
    SheetWriter &text(const QString &s)
    {
        if (!s.isEmpty())
            worksheet_write_string(m_sheet, m_row, m_col, s.toUtf8().constData(), nullptr);
        ++m_col;
        return *this;
    }
    SheetWriter &number(double v)
    {
        worksheet_write_number(m_sheet, m_row, m_col++, v, nullptr);
        return *this;
    }
    void endRow()
    {
        ++m_row;
        m_col = 0;
    }

private:
    lxw_worksheet *m_sheet;
    lxw_format *m_bold;
    lxw_row_t m_row = 0;
    lxw_col_t m_col = 0;
};

void groupSheet(lxw_workbook *book, const char *name, lxw_format *bold, const QList<GroupStats> &groups)
{
    SheetWriter w(book, name, bold);
    w.header({"编号", "名称", "场次数", "公布考试人数", "未公布人数的场次", "报名", "参加考试", "缺考", "免考",
              "通过", "未通过", "待定", "参考率", "通过率"});
    for (const auto &g : groups) {
        w.number(double(g.id)).text(g.name).number(g.sessions).number(double(g.published))
            .number(g.sessionsWithoutPublished).number(double(g.registered)).number(double(g.sat))
            .number(double(g.absent)).number(double(g.excused)).number(double(g.passed)).number(double(g.failed))
            .number(double(g.pending())).text(formatPercent(g.sat, g.published)).text(formatPercent(g.passed, g.sat));
        w.endRow();
    }
}

} // namespace

QByteArray statisticsToXlsx(const StatisticsReport &report)
{
    QTemporaryDir dir;
    if (!dir.isValid())
        return {};
    const QByteArray path = QFile::encodeName(dir.filePath(QStringLiteral("statistics.xlsx")));
    lxw_workbook_options options{};
    const QByteArray tmp = QFile::encodeName(dir.path());
    options.tmpdir = const_cast<char *>(tmp.constData());
    lxw_workbook *book = workbook_new_opt(path.constData(), &options);
    if (!book)
        return {};
    lxw_format *bold = workbook_add_format(book);
    format_set_bold(bold);

    {
        SheetWriter w(book, "场次", bold);
        w.header({"场次", "考试日期", "开始时间", "二级学院", "证书", "等级", "考点", "公布考试人数", "报名",
                  "参加考试", "缺考", "免考", "通过", "未通过", "待定", "参考率", "通过率", "成绩已确定", "第七条(五)"});
        for (const auto &s : report.sessions) {
            const auto &t = s.tally;
            w.number(double(t.sessionId)).text(t.examDate.toString(Qt::ISODate)).text(t.startTime.toString("HH:mm"))
                .text(s.collegeName).text(s.certificateName).text(levelName(s.level)).text(s.siteName);
            if (t.publishedCount)
                w.number(*t.publishedCount);
            else
                w.text(QString());
            w.number(t.registered).number(t.sat).number(t.absent).number(t.excused).number(t.passed)
                .number(t.failed).number(t.pending()).text(formatPercent(t.sat, t.publishedCount.value_or(0)))
                .text(formatPercent(t.passed, t.sat)).text(t.resultsFinal ? QStringLiteral("是") : QStringLiteral("否"))
                .text(s.participation == ParticipationVerdict::Low ? QStringLiteral("低于30%")
                      : s.participation == ParticipationVerdict::NoPublishedCount ? QStringLiteral("未公布人数")
                                                                                  : QString());
            w.endRow();
        }
    }
    groupSheet(book, "试点", bold, report.pilots);
    groupSheet(book, "证书", bold, report.certificates);
    groupSheet(book, "二级学院", bold, report.colleges);
    {
        SheetWriter w(book, "预警", bold);
        w.header({"条款", "类别", "试点", "场次", "说明"});
        for (const auto &f : report.flags) {
            QStringList ids;
            for (const auto &fs : f.sessions)
                ids << QString::number(fs.sessionId);
            w.text(ruleArticle(f.rule)).text(flagKindKey(f.kind)).number(double(f.pilotId)).text(ids.join(", "))
                .text(f.message);
            w.endRow();
        }
    }
    if (workbook_close(book) != LXW_NO_ERROR)
        return {};
    QFile f(QString::fromUtf8(path));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

} // namespace kaodian::server
