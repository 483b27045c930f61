#pragma once

// Cases (问题, DESIGN.md "Cases"; migrations 12 and 16): one per flag (by
// its flag key, ever) or per finding entered by a person, each with its
// steps — who, when, from which state to which, why, the deadline and the
// evidence (a note, optionally one attachment). Which moves are allowed is
// core/caselife.h; this applies them: the case's row is taken before it is
// read, so two people moving one case at once run one after the other and
// the second finds it moved. 取消试点 and 取消考点 mark the pilot or site
// withdrawn (withdrawn_at, withdrawn_case) in the same transaction. Every
// change writes its audit entry in its transaction.
//
// Thread-safety: as its SqlConnection (one thread at a time).

#include "store/auditlog.h"
#include "store/reportstore.h"
#include "store/sqlconnection.h"

#include "core/caselife.h"
#include "core/clock.h"
#include "core/domain.h"

#include <optional>

namespace kaodian::server {

struct CaseStep
{
    Id id = 0;
    QDateTime at;
    QString actor;
    std::optional<CaseState> from; // none: the case was opened
    CaseState to = CaseState::Pending;
    QString reason;
    QDate deadline;
    QString attachmentName, attachmentType;
    qint64 attachmentBytes = 0;
};

struct CaseRecord
{
    Id id = 0;
    QString rule;        // "第七条(二)" …
    QString subjectKind; // "pilot", "site", "college"
    Id subjectId = 0;
    QString subjectName; // in words
    std::optional<Id> collegeId; // the college it concerns (a site's case: none)
    QString flagKey;     // empty: a finding
    QString summary;
    CaseState state = CaseState::Pending;
    QDate deadline;      // while 整改中 and after: the rectification's last day
    QDateTime openedAt;
    QString openedBy;
    QDateTime updatedAt;
    QDateTime closedAt;  // invalid while open
    QList<CaseStep> steps; // oldest first (caseById only)
};

// A case to open.
struct NewCase
{
    QString rule;
    QString subjectKind;
    Id subjectId = 0;
    QString flagKey; // empty for a finding
    QString summary;
    QString note;    // the first step's reason (a finding's evidence note)
    std::optional<StoredAttachment> attachment;
};

struct CaseFilter
{
    std::optional<Id> collegeId; // a college's own cases only
    std::optional<CaseState> state;
    QString rule;
    QString subjectKind;
    std::optional<bool> open;    // true: open only; false: closed only
};

// A move asked of the store: from is the state the person saw.
struct CaseMoveRequest
{
    Id caseId = 0;
    CaseState from = CaseState::Pending;
    CaseState to = CaseState::Investigating;
    CaseActor actor = CaseActor::Office;
    std::optional<Id> collegeScope; // a college user's college: another's case is not found
    QString reason;
    QDate deadline;
    std::optional<StoredAttachment> attachment;
};

struct CaseMoved
{
    CaseRecord record; // after the move, with its steps
    bool changed = false; // false: a retry of a move already made
};

class CaseStore
{
public:
    CaseStore(SqlConnection &sql, AuditLog &audit, const Clock &clock) : m_sql(sql), m_audit(audit), m_clock(clock) {}

    // A finding's case, 待核查. DatabaseMissing when the subject does not exist.
    Result<Id, StoreError> openFinding(const NewCase &c, const QString &actor);
    // A flag's case, 待核查, unless its flag key has a case already (open
    // or closed): then nullopt. Two processes at once open one.
    Result<std::optional<Id>, StoreError> openForFlag(const NewCase &c, const QString &actor);

    Result<QList<CaseRecord>, StoreError> cases(const CaseFilter &filter = {});
    // With its steps; nullopt when there is none (or, with collegeScope, not the college's).
    Result<std::optional<CaseRecord>, StoreError> caseById(Id caseId, std::optional<Id> collegeScope = std::nullopt);
    // The newest case of each key asked for.
    Result<QHash<QString, CaseRecord>, StoreError> casesByFlagKey(const QStringList &keys);

    // Refused (StoreError::Refused) with caselife's words; DatabaseMissing
    // for no such case.
    Result<CaseMoved, StoreError> move(const CaseMoveRequest &request, const QString &actor);

    // A step's attachment, with the case it belongs to.
    Result<std::optional<std::pair<CaseRecord, StoredAttachment>>, StoreError>
    stepAttachment(Id caseId, Id stepId, std::optional<Id> collegeScope = std::nullopt);

private:
    Result<Id, StoreError> insertCase(const NewCase &c, const QString &actor, bool ignoreKnownKey, bool *inserted);
    Status<StoreError> fillNames(QList<CaseRecord> &cases);

    SqlConnection &m_sql;
    AuditLog &m_audit;
    const Clock &m_clock;
};

CaseSubject caseSubjectOf(const QString &subjectKind);

} // namespace kaodian::server
