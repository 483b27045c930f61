#include "print/compliancetables.h"

namespace kaodian::server {

QString cellStateKey(CellState s)
{
    switch (s) {
    case CellState::NotApplicable: return QStringLiteral("n/a");
    case CellState::Ok: return QStringLiteral("ok");
    case CellState::Warning: return QStringLiteral("warning");
    case CellState::Flag: return QStringLiteral("flag");
    }
    return QStringLiteral("n/a");
}

QString cellWords(const BoardCell &cell)
{
    if (cell.state == CellState::NotApplicable)
        return QStringLiteral("—");
    if (cell.openCase)
        return cell.openCase->state;
    switch (cell.state) {
    case CellState::Ok: return QStringLiteral("正常");
    case CellState::Warning: return QStringLiteral("预警");
    case CellState::Flag: return QStringLiteral("违规");
    case CellState::NotApplicable: break;
    }
    return QStringLiteral("—");
}

QString rowKindWords(const QString &kind)
{
    if (kind == QLatin1String("pilot"))
        return QStringLiteral("试点");
    if (kind == QLatin1String("site"))
        return QStringLiteral("考点");
    return QStringLiteral("二级学院");
}

namespace {

// A pilot's or site's standing, beside its name: 未登记, 已结束, 已取消.
QString rowStanding(const BoardRow &r)
{
    QStringList words;
    if (r.withdrawn)
        words << (r.kind == QLatin1String("site") ? QStringLiteral("已取消考点") : QStringLiteral("已取消试点"));
    else if (!r.active)
        words << QStringLiteral("已结束");
    if (r.kind == QLatin1String("pilot") && !r.registered)
        words << QStringLiteral("未登记");
    if (r.approvedCount && r.registrations > *r.approvedCount)
        words << QStringLiteral("报名 %1 人，超过批准人数 %2 人").arg(r.registrations).arg(*r.approvedCount);
    return words.join(QStringLiteral("；"));
}

} // namespace

ReportTable boardTable(const ComplianceBoard &board)
{
    ReportTable t;
    t.title = QStringLiteral("合规总览");
    t.columns = {{QStringLiteral("kind"), QStringLiteral("类别")},
                 {QStringLiteral("name"), QStringLiteral("名称")},
                 {QStringLiteral("standing"), QStringLiteral("状态")}};
    const QStringList articles = complianceArticles();
    for (const auto &a : articles)
        t.columns.push_back({a, a});
    for (const auto &r : board.rows) {
        QList<ReportCell> cells{ReportCell::textCell(rowKindWords(r.kind)), ReportCell::textCell(r.name),
                                ReportCell::textCell(rowStanding(r))};
        bool warn = false;
        for (const auto &c : r.cells) {
            cells.push_back(ReportCell::textCell(cellWords(c)));
            warn = warn || c.state == CellState::Flag;
        }
        t.rows.push_back(std::move(cells));
        t.warnings.push_back(warn);
    }
    return t;
}

ReportTable boardFlagTable(const ComplianceBoard &board)
{
    ReportTable t;
    t.title = QStringLiteral("预警与违规");
    t.columns = {{QStringLiteral("rule"), QStringLiteral("条款")},
                 {QStringLiteral("severity"), QStringLiteral("类别")},
                 {QStringLiteral("subject"), QStringLiteral("对象")},
                 {QStringLiteral("message"), QStringLiteral("说明")},
                 {QStringLiteral("case"), QStringLiteral("案件")}};
    for (const auto &f : board.flags) {
        const QString caseWords = f.followedBy ? QStringLiteral("#%1 %2").arg(f.followedBy->id).arg(f.followedBy->state)
                                               : QStringLiteral("—");
        t.rows.push_back({ReportCell::textCell(f.article),
                          ReportCell::textCell(f.warning ? QStringLiteral("预警") : QStringLiteral("违规")),
                          ReportCell::textCell(f.subjectName), ReportCell::textCell(f.message),
                          ReportCell::textCell(caseWords)});
        t.warnings.push_back(!f.warning);
    }
    return t;
}

} // namespace kaodian::server
