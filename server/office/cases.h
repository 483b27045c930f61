#pragma once

// Cases (问题, DESIGN.md "Cases"; docs/compliance.md "How a case moves"):
// every flag and every finding becomes a case that the office and 教务处
// move through core/caselife.h's life, and that the college it concerns
// sees and records its rectification on. openCasesForFlags opens the
// flags' cases (the compliance board calls it); recordFinding opens a
// finding's; moveCase makes one move. Both front doors call these; every
// change is audited in the store's transaction.
//
// Thread-safety: as the ServerStore it is given (one thread at a time).

#include "import/attachmentcheck.h"
#include "core/caselife.h"
#include "office/officeerror.h"
#include "store/serverstore.h"

#include "core/compliance.h"
#include "core/statistics.h"

namespace kaodian::server::office {

// A flag as a case needs it. The key names the rule, the subject and what
// the flag saw that makes it this flag and not a later one: a run of
// weeks by its first week, a session, a pair of sessions, an agreement by
// its last day, the majors or certificates named. One case per key, ever
// (migration 16): a flag still showing after its case closed (不属实,
// 已整改) opens no other; one that sees something new does.
struct CaseFlag
{
    QString rule;        // "第七条(二)" …
    QString subjectKind; // "pilot", "site", "college"
    Id subjectId = 0;
    QString key;         // "第七条(二)|pilot:3|2026-03-09" …
    QString summary;     // the flag's message
};

// today: the day the flags were computed for (第九条(五)'s days past give
// the agreement's last day). A warning (an agreement ending within 60
// days) is no case: nullopt.
std::optional<CaseFlag> caseFlagOf(const ComplianceFlag &flag, const QDate &today);
// 第七条(五) and 第七条(六) from the statistics; a reminder is no case: nullopt.
std::optional<CaseFlag> caseFlagOf(const Flag &flag);

struct OpenedCases
{
    QList<Id> opened;  // new cases, in the flags' order
    int known = 0;     // flags whose key had a case already
    QHash<QString, Id> caseOfKey; // every flag key given → its (newest) case
};

// Opens one case (待核查) per flag key that has none: idempotent, so a
// retry or two processes at once never double a case. today: as for
// caseFlagOf. actor: who asked (the board's caller, or a command).
OfficeResult<OpenedCases> openCasesForFlags(ServerStore &store, const QList<ComplianceFlag> &flags,
                                            const QList<Flag> &statisticsFlags, const QDate &today,
                                            const QString &actor);

// The compliance board (store/compliancequery.h) with every flag's case
// opened first (openCasesForFlags over every college, whatever the scope),
// so each flag shows the case that follows it. actor: who looked at the
// board (the cases say they were opened by the board on their view).
OfficeResult<ComplianceBoard> complianceBoard(ServerStore &store, std::optional<Id> collegeScope,
                                              const QString &actor);

// The rules a person records as findings, and what each is about:
// 第七条(三)(四)(七) a pilot, 第九条(二)(三)(四)(六) a site.
QStringList findingRules();
QString findingSubjectKind(const QString &rule); // "pilot", "site"; empty for no finding rule

struct FindingInput
{
    QString rule;
    QString subjectKind;
    Id subjectId = 0;
    QString note; // the evidence note: what was found, where, by whom
    std::optional<std::pair<QString, QByteArray>> file;
};
OfficeResult<Id> recordFinding(ServerStore &store, const FindingInput &finding, const QString &actor);

struct MoveInput
{
    Id caseId = 0;
    QString from; // the state the person saw, in words ("核查中")
    QString to;
    QString reason;
    QDate deadline; // 整改中 only
    std::optional<std::pair<QString, QByteArray>> file;
};
// actor kind: the office and 教务处 (CaseActor::Office), or the college
// (collegeScope its own: another college's case is not found).
OfficeResult<CaseMoved> moveCase(ServerStore &store, const MoveInput &move, CaseActor kind,
                                 std::optional<Id> collegeScope, const QString &actor);

} // namespace kaodian::server::office
