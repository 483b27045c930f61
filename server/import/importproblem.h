#pragma once

// What an importer hands back when it refuses a file: every problem it found,
// each where a clerk can find it, capped so a wholly wrong file still gives a
// readable report. ImportProblem is a plain value; a ProblemCollector belongs
// to one import and is not thread-safe.

#include <QList>
#include <QString>

namespace kaodian::server {

// At most this many problems are listed; the rest are counted in one last entry.
inline constexpr qsizetype kMaxListedProblems = 200;

// One reason a file is refused: the line as Excel numbers it (the header is
// line 1; 0 when it is about the file as a whole), the column's header as the
// file writes it (empty when no one column is at fault), and what to do, in
// Simplified Chinese.
struct ImportProblem
{
    int line = 0;
    QString column;
    QString message;

    friend bool operator==(const ImportProblem &, const ImportProblem &) = default;
};

// Keeps problems in the order found: the first kMaxListedProblems, and a count
// of the rest.
class ProblemCollector
{
public:
    void add(int line, const QString &column, const QString &message);
    void addForFile(const QString &message) { add(0, QString(), message); }
    // Adds other's problems after these, as if they had been added here.
    void append(const ProblemCollector &other);

    [[nodiscard]] bool isEmpty() const { return m_total == 0; }
    [[nodiscard]] qsizetype total() const { return m_total; }

    // The listed problems, then "…还有 N 处错误" (line 0) if some were left out.
    [[nodiscard]] QList<ImportProblem> report() const;

private:
    QList<ImportProblem> m_listed;
    qsizetype m_total = 0;
};

} // namespace kaodian::server
