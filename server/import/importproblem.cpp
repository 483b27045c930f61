#include "import/importproblem.h"

namespace kaodian::server {

void ProblemCollector::add(int line, const QString &column, const QString &message)
{
    ++m_total;
    if (m_listed.size() < kMaxListedProblems)
        m_listed.append(ImportProblem {line, column, message});
}

void ProblemCollector::append(const ProblemCollector &other)
{
    for (const ImportProblem &p : other.m_listed)
        add(p.line, p.column, p.message);
    m_total += other.m_total - other.m_listed.size();
}

QList<ImportProblem> ProblemCollector::report() const
{
    QList<ImportProblem> out = m_listed;
    const qsizetype left = m_total - m_listed.size();
    if (left > 0)
        out.append(ImportProblem {0, QString(), QStringLiteral("…还有 %1 处错误").arg(left)});
    return out;
}

} // namespace kaodian::server
