#pragma once

// The life of a case (问题, DESIGN.md "Cases"; docs/compliance.md "How a case
// moves"): every flag and every finding becomes a case that moves
//   待核查 → 核查中 → 不属实 (closed)
//                   → 属实 → 整改中 (with a deadline) → 已整改 (closed)
//                                                   → 未整改 → 取消试点 / 取消考点 (closed)
// This says which moves exist, who may make each and what each needs; the
// store (server/store/casestore.h) only applies what it allows. Words are
// Simplified Chinese, for the person who asked.
// Thread-safe: pure functions.

#include "core/compliance.h"
#include "core/statistics.h"

#include <QDate>
#include <QList>
#include <QString>

#include <cstdint>
#include <optional>

namespace kaodian {

enum class CaseState : std::uint8_t {
    Pending,        // 待核查
    Investigating,  // 核查中
    Unfounded,      // 不属实 (closed)
    Confirmed,      // 属实
    Rectifying,     // 整改中 (with a deadline)
    Rectified,      // 已整改 (closed)
    NotRectified,   // 未整改
    PilotWithdrawn, // 取消试点 (closed)
    SiteWithdrawn,  // 取消考点 (closed)
};

QString caseStateWord(CaseState state); // "待核查" …
std::optional<CaseState> caseStateFromWord(const QString &word);
// 不属实, 已整改, 取消试点, 取消考点: nothing moves it any more.
bool caseClosed(CaseState state);

// Who moves a case: the office and 教务处 decide; the college (its own
// cases only) records its rectification while the case is 整改中.
enum class CaseActor : std::uint8_t { Office, College };

// What a case is about.
enum class CaseSubject : std::uint8_t { Pilot, Site, College };

// The states a case in `from` may move to, for this actor and subject, in
// the order a page shows them. A college's rectification record keeps the
// state (整改中 → 整改中).
QList<CaseState> caseMovesFrom(CaseState from, CaseActor actor, CaseSubject subject);

// One move asked for.
struct CaseMove
{
    CaseState from = CaseState::Pending;
    CaseState to = CaseState::Investigating;
    CaseActor actor = CaseActor::Office;
    CaseSubject subject = CaseSubject::Pilot;
    QString reason;  // why (for a rectification record: what was done); always needed
    QDate deadline;  // 整改中 only: the rectification's last day, not before today
    QDate today;     // China time
};

constexpr int kMaxCaseReason = 1000; // characters

// Why the move is refused, or empty when it is allowed.
QString caseMoveProblem(const CaseMove &move);

// ---- the flag a case follows ----------------------------------------

// The key of the case a flag opens (compliance_case.flag_key; one case per
// key, ever): the rule, the subject, and what the flag saw that makes it
// this flag and not a later one — a run of weeks by its first week, the
// majors or certificates named, an agreement by its last day (today less
// the days past; "none" when none was recorded), the sessions of 第七条(五)
// (a missing published count marked "no-count:") and (六). Empty for a
// warning or a reminder: they open no case. today: the day the flag was
// computed for.
QString caseKeyOf(const ComplianceFlag &flag, const QDate &today);
QString caseKeyOf(const Flag &flag);
// The article of a statistics flag: 第七条(五) or 第七条(六).
QString statisticsFlagArticle(const Flag &flag);

} // namespace kaodian
