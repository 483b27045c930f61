#pragma once

// The compliance board (issue #14, docs/compliance.md): every checkable
// article of the regulation over the store's data, one row per pilot, site
// and college, one column per article. The rules themselves are
// core/compliance and core/statistics; this only reads what they need, runs
// them, and lays the flags out with the cases that follow them.
//
// Thread-safety: as its SqlConnection (one thread at a time).

#include "store/compliancedata.h"
#include "store/sqlconnection.h"
#include "store/statisticsquery.h"

#include "core/clock.h"
#include "core/compliance.h"

#include <optional>

namespace kaodian::server {

// The articles the board shows, as GET /api/v1/compliance names them, in
// the board's column order.
QStringList complianceArticles(); // "第二条(三)", "第七条(一)", …

// Which rows an article has cells in: "pilot", "site" or "college".
QString articleSubjectKind(const QString &article);

// A case following a flag or a finding (compliance_case), as the board shows it.
struct BoardCase
{
    Id id = 0;
    QString state; // 待核查 … 取消试点
    bool closed = false;
};

// One flag (or warning) of any article, with what it names.
struct BoardFlag
{
    QString article;      // "第七条(二)"
    bool warning = false; // not yet a breach (an agreement ending within 60 days, 批准人数 exceeded)
    QString subjectKind;  // "pilot", "site", "college"
    Id subjectId = 0;
    QString subjectName;
    Id collegeId = 0;     // the college the subject belongs to (0 for a site)
    QString key;          // the flag's case key (core/caselife.h caseKeyOf); empty for a warning
    QList<QDate> weeks;   // 第七条(二)
    QList<Id> sessions;   // 第七条(五)(六)
    QStringList objects;  // majors, certificates
    qint64 numerator = 0;
    qint64 denominator = 0;
    QString message;
    std::optional<BoardCase> followedBy;
};

// One cell: the state of one article for one row.
enum class CellState : std::uint8_t {
    NotApplicable, // the article is not about this kind of row
    Ok,
    Warning,
    Flag,
};

struct BoardCell
{
    CellState state = CellState::NotApplicable;
    QList<qsizetype> flags;           // indexes into ComplianceBoard::flags
    std::optional<BoardCase> openCase; // the newest case on this row and article not closed
};

struct BoardRow
{
    QString kind; // "pilot", "site", "college"
    Id id = 0;
    QString name;
    Id collegeId = 0;
    // Pilots: registered by the pilots file (false: made by a roster, 未登记),
    // its 状态, withdrawn (取消试点); sites: withdrawn (取消考点).
    bool registered = true;
    bool active = true;
    bool withdrawn = false;
    std::optional<int> approvedCount; // pilots: 批准人数
    int registrations = 0;            // pilots: registrations not withdrawn
    QList<BoardCell> cells;           // one per complianceArticles()
};

struct ComplianceBoard
{
    QDate today; // China time
    QList<BoardRow> rows; // pilots (by college, certificate, level), sites, colleges
    QList<BoardFlag> flags;
    // The rules' own flags, over every college whatever the scope: what
    // office::openCasesForFlags opens cases for.
    QList<ComplianceFlag> ruleFlags;
    QList<Flag> statisticsFlags;
};

// Where a board's time went (for bench_compliance): reading the store (its
// own queries and the statistics report) against the whole.
struct ComplianceTiming
{
    qint64 readNs = 0;
    qint64 totalNs = 0;
};

class ComplianceQuery
{
public:
    ComplianceQuery(SqlConnection &sql, StatisticsQuery &statistics, ComplianceDataQuery &data, Clock clock)
        : m_sql(sql), m_statistics(statistics), m_data(data), m_clock(std::move(clock))
    {
    }

    // The board as of now; with a college scope, that college's pilots and
    // row, and the flags about them (sites are every college's: left out).
    Result<ComplianceBoard, StoreError> board(std::optional<Id> collegeScope = std::nullopt,
                                              ComplianceTiming *timing = nullptr);

private:
    SqlConnection &m_sql;
    StatisticsQuery &m_statistics;
    ComplianceDataQuery &m_data;
    Clock m_clock;
};

} // namespace kaodian::server
