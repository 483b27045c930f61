#include "store/casestore.h"

#include "store/storeutil.h"

#include "core/examzone.h"

namespace kaodian::server {

namespace {

const QString kCaseSelect = QStringLiteral(
    "SELECT id, rule, subject_kind, subject_id, college_id, flag_key, summary, state, deadline, opened_at,"
    " opened_by, updated_at, closed_at FROM compliance_case");

CaseRecord caseOf(const QVariantList &row)
{
    CaseRecord c;
    c.id = row[0].toLongLong();
    c.rule = row[1].toString();
    c.subjectKind = row[2].toString();
    c.subjectId = row[3].toLongLong();
    if (!row[4].isNull())
        c.collegeId = row[4].toLongLong();
    c.flagKey = row[5].toString();
    c.summary = row[6].toString();
    c.state = caseStateFromWord(row[7].toString()).value_or(CaseState::Pending);
    c.deadline = QDate::fromString(row[8].toString(), Qt::ISODate);
    c.openedAt = parseStoreTime(row[9].toString());
    c.openedBy = row[10].toString();
    c.updatedAt = parseStoreTime(row[11].toString());
    if (!row[12].isNull())
        c.closedAt = parseStoreTime(row[12].toString());
    return c;
}

StoreError refused(const QString &message)
{
    return storeError(StoreError::Code::Refused, message);
}

StoreError noCase()
{
    return storeError(StoreError::Code::DatabaseMissing, QStringLiteral("没有这个案件"));
}

QVariant attachmentField(const std::optional<StoredAttachment> &a, int which)
{
    if (!a)
        return {};
    switch (which) {
    case 0: return a->name;
    case 1: return a->type;
    default: return a->bytes;
    }
}

} // namespace

CaseSubject caseSubjectOf(const QString &subjectKind)
{
    if (subjectKind == QLatin1String("site"))
        return CaseSubject::Site;
    if (subjectKind == QLatin1String("college"))
        return CaseSubject::College;
    return CaseSubject::Pilot;
}

Result<Id, StoreError> CaseStore::insertCase(const NewCase &c, const QString &actor, bool ignoreKnownKey, bool *inserted)
{
    *inserted = false;
    // The college the case concerns, and whether its subject exists.
    std::optional<Id> college;
    QString subjectName;
    if (c.subjectKind == QLatin1String("pilot")) {
        auto r = m_sql.query(QStringLiteral("SELECT p.college_id, ce.name, p.level, co.name FROM pilot p"
                                            " JOIN certificate ce ON ce.id = p.certificate_id"
                                            " JOIN college co ON co.id = p.college_id WHERE p.id = ?"),
                             {c.subjectId});
        if (!r)
            return r.error();
        if (r->isEmpty())
            return storeError(StoreError::Code::DatabaseMissing, QStringLiteral("没有这个试点"));
        college = r->first()[0].toLongLong();
        subjectName = pilotWords(r->first()[1].toString(), static_cast<int>(r->first()[2].toLongLong()),
                                 r->first()[3].toString());
    } else if (c.subjectKind == QLatin1String("site")) {
        auto r = m_sql.query(QStringLiteral("SELECT name FROM site WHERE id = ?"), {c.subjectId});
        if (!r)
            return r.error();
        if (r->isEmpty())
            return storeError(StoreError::Code::DatabaseMissing, QStringLiteral("没有这个考点"));
        subjectName = r->first()[0].toString();
    } else if (c.subjectKind == QLatin1String("college")) {
        auto r = m_sql.query(QStringLiteral("SELECT name FROM college WHERE id = ?"), {c.subjectId});
        if (!r)
            return r.error();
        if (r->isEmpty())
            return storeError(StoreError::Code::DatabaseMissing, QStringLiteral("没有这个二级学院"));
        college = c.subjectId;
        subjectName = r->first()[0].toString();
    } else {
        return refused(QStringLiteral("案件对象须为试点、考点或二级学院"));
    }
    const QString at = storeTime(m_clock());
    const QString pending = caseStateWord(CaseState::Pending);
    const QVariantList params{c.rule,  c.subjectKind, c.subjectId, college ? QVariant(*college) : QVariant(),
                              c.flagKey.isEmpty() ? QVariant() : QVariant(c.flagKey),
                              c.summary, pending, at, actor, at};
    const QString columns = QStringLiteral("(rule, subject_kind, subject_id, college_id, flag_key, summary, state,"
                                           " opened_at, opened_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    Id id = 0;
    if (ignoreKnownKey) {
        // One case per key, ever: the unique index decides (migration 16);
        // a second process inserting the same key at once waits for the
        // first and then inserts nothing.
        auto r = m_sql.query(QStringLiteral("{INSERT_IGNORE} INTO compliance_case ") + columns
                                 + QStringLiteral(" {ON_CONFLICT_IGNORE}"),
                             params);
        if (!r)
            return r.error();
        if (r->affected == 0)
            return Id(0);
        auto found = m_sql.query(QStringLiteral("SELECT id FROM compliance_case WHERE flag_key = ?"), {c.flagKey});
        if (!found)
            return found.error();
        if (found->isEmpty())
            return storeError(StoreError::Code::Sql, QStringLiteral("新开的案件找不到了"));
        id = found->first().first().toLongLong();
    } else {
        auto r = m_sql.insertReturningId(QStringLiteral("INSERT INTO compliance_case ") + columns, params);
        if (!r)
            return r.error();
        id = *r;
    }
    if (auto r = m_sql.query(QStringLiteral("INSERT INTO case_step (case_id, at, actor, from_state, to_state, reason,"
                                            " attachment_name, attachment_type, attachment)"
                                            " VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?)"),
                             {id, at, actor, pending, c.note, attachmentField(c.attachment, 0),
                              attachmentField(c.attachment, 1), attachmentField(c.attachment, 2)});
        !r)
        return r.error();
    QString detail = QStringLiteral("案件 #%1 %2 %3（%4）：%5").arg(id).arg(c.rule, subjectName, pending, c.summary);
    if (!c.note.isEmpty() && c.note != c.summary)
        detail += QStringLiteral("；说明：%1").arg(c.note);
    if (c.attachment)
        detail += QStringLiteral("；附件「%1」SHA-256 %2").arg(c.attachment->name, c.attachment->sha256);
    if (auto s = m_audit.append(actor, c.flagKey.isEmpty() ? QStringLiteral("case.finding") : QStringLiteral("case.flag"),
                                detail);
        !s)
        return s.error();
    *inserted = true;
    return id;
}

Result<Id, StoreError> CaseStore::openFinding(const NewCase &c, const QString &actor)
{
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status().error();
    NewCase finding = c;
    finding.flagKey.clear();
    bool inserted = false;
    auto id = insertCase(finding, actor, false, &inserted);
    if (!id)
        return id.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return *id;
}

Result<std::optional<Id>, StoreError> CaseStore::openForFlag(const NewCase &c, const QString &actor)
{
    if (c.flagKey.isEmpty())
        return refused(QStringLiteral("由预警开的案件须有预警键"));
    // Most flags have their case already: a read answers them without a write.
    auto known = m_sql.query(QStringLiteral("SELECT id FROM compliance_case WHERE flag_key = ?"), {c.flagKey});
    if (!known)
        return known.error();
    if (!known->isEmpty())
        return std::optional<Id>();
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status().error();
    bool inserted = false;
    auto id = insertCase(c, actor, true, &inserted);
    if (!id)
        return id.error();
    if (!inserted)
        return std::optional<Id>();
    if (auto s = tx.commit(); !s)
        return s.error();
    return std::optional<Id>(*id);
}

Status<StoreError> CaseStore::fillNames(QList<CaseRecord> &cases)
{
    if (cases.isEmpty())
        return {};
    QHash<Id, QString> pilots, sites, colleges;
    auto p = m_sql.query(QStringLiteral("SELECT p.id, ce.name, p.level, co.name FROM pilot p"
                                        " JOIN certificate ce ON ce.id = p.certificate_id"
                                        " JOIN college co ON co.id = p.college_id"
                                        " WHERE p.id IN (SELECT subject_id FROM compliance_case WHERE subject_kind = 'pilot')"));
    if (!p)
        return p.error();
    for (const auto &row : p->rows)
        pilots.insert(row[0].toLongLong(),
                      pilotWords(row[1].toString(), static_cast<int>(row[2].toLongLong()), row[3].toString()));
    auto s = m_sql.query(QStringLiteral("SELECT id, name FROM site"
                                        " WHERE id IN (SELECT subject_id FROM compliance_case WHERE subject_kind = 'site')"));
    if (!s)
        return s.error();
    for (const auto &row : s->rows)
        sites.insert(row[0].toLongLong(), row[1].toString());
    auto c = m_sql.query(QStringLiteral("SELECT id, name FROM college"));
    if (!c)
        return c.error();
    for (const auto &row : c->rows)
        colleges.insert(row[0].toLongLong(), row[1].toString());
    for (auto &k : cases) {
        const auto &names = k.subjectKind == QLatin1String("pilot")  ? pilots
                            : k.subjectKind == QLatin1String("site") ? sites
                                                                     : colleges;
        k.subjectName = names.value(k.subjectId);
    }
    return {};
}

Result<QList<CaseRecord>, StoreError> CaseStore::cases(const CaseFilter &filter)
{
    QStringList where;
    QVariantList params;
    if (filter.collegeId) {
        where << QStringLiteral("college_id = ?");
        params << *filter.collegeId;
    }
    if (filter.state) {
        where << QStringLiteral("state = ?");
        params << caseStateWord(*filter.state);
    }
    if (!filter.rule.isEmpty()) {
        where << QStringLiteral("rule = ?");
        params << filter.rule;
    }
    if (!filter.subjectKind.isEmpty()) {
        where << QStringLiteral("subject_kind = ?");
        params << filter.subjectKind;
    }
    if (filter.open)
        where << (*filter.open ? QStringLiteral("closed_at IS NULL") : QStringLiteral("closed_at IS NOT NULL"));
    QString sql = kCaseSelect;
    if (!where.isEmpty())
        sql += QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
    sql += QStringLiteral(" ORDER BY id DESC");
    auto r = m_sql.query(sql, params);
    if (!r)
        return r.error();
    QList<CaseRecord> out;
    for (const auto &row : r->rows)
        out.push_back(caseOf(row));
    if (auto s = fillNames(out); !s)
        return s.error();
    return out;
}

Result<std::optional<CaseRecord>, StoreError> CaseStore::caseById(Id caseId, std::optional<Id> collegeScope)
{
    auto r = m_sql.query(kCaseSelect + QStringLiteral(" WHERE id = ?"), {caseId});
    if (!r)
        return r.error();
    if (r->isEmpty())
        return std::optional<CaseRecord>();
    QList<CaseRecord> one{caseOf(r->first())};
    if (collegeScope && one.first().collegeId != collegeScope)
        return std::optional<CaseRecord>();
    if (auto s = fillNames(one); !s)
        return s.error();
    auto steps = m_sql.query(QStringLiteral("SELECT id, at, actor, from_state, to_state, reason, deadline,"
                                            " attachment_name, attachment_type, length(attachment)"
                                            " FROM case_step WHERE case_id = ? ORDER BY id"),
                             {caseId});
    if (!steps)
        return steps.error();
    for (const auto &row : steps->rows) {
        CaseStep s;
        s.id = row[0].toLongLong();
        s.at = parseStoreTime(row[1].toString());
        s.actor = row[2].toString();
        if (!row[3].isNull())
            s.from = caseStateFromWord(row[3].toString());
        s.to = caseStateFromWord(row[4].toString()).value_or(CaseState::Pending);
        s.reason = row[5].toString();
        s.deadline = QDate::fromString(row[6].toString(), Qt::ISODate);
        s.attachmentName = row[7].toString();
        s.attachmentType = row[8].toString();
        s.attachmentBytes = row[9].toLongLong();
        one.first().steps.push_back(s);
    }
    return std::optional<CaseRecord>(one.first());
}

Result<QHash<QString, CaseRecord>, StoreError> CaseStore::casesByFlagKey(const QStringList &keys)
{
    QHash<QString, CaseRecord> out;
    if (keys.isEmpty())
        return out;
    // Cases with a key are few beside the flags: read them all, keep those asked for.
    auto r = m_sql.query(kCaseSelect + QStringLiteral(" WHERE flag_key IS NOT NULL ORDER BY id"));
    if (!r)
        return r.error();
    const QSet<QString> wanted(keys.cbegin(), keys.cend());
    QList<CaseRecord> found;
    for (const auto &row : r->rows)
        if (wanted.contains(row[5].toString()))
            found.push_back(caseOf(row));
    if (auto s = fillNames(found); !s)
        return s.error();
    for (const auto &c : found)
        out.insert(c.flagKey, c);
    return out;
}

Result<CaseMoved, StoreError> CaseStore::move(const CaseMoveRequest &request, const QString &actor)
{
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status().error();
    // The case's row first: two moves of one case queue here.
    auto locked = m_sql.query(QStringLiteral("UPDATE compliance_case SET state = state WHERE id = ?"), {request.caseId});
    if (!locked)
        return locked.error();
    if (locked->affected == 0)
        return noCase();
    auto current = caseById(request.caseId, request.collegeScope);
    if (!current)
        return current.error();
    if (!current->has_value())
        return noCase();
    const CaseRecord before = **current;
    const QDateTime now = m_clock();
    // A retry of a move already made answers as the move did.
    if (before.state != request.from) {
        if (before.state == request.to)
            return CaseMoved{before, false};
        const QString by = before.steps.isEmpty() ? QString() : before.steps.last().actor;
        return refused(QStringLiteral("案件已由 %1 改为「%2」，请刷新后再看").arg(by, caseStateWord(before.state)));
    }
    if (request.from == request.to && !before.steps.isEmpty()) {
        const CaseStep &last = before.steps.last();
        if (last.actor == actor && last.reason == request.reason.trimmed() && last.to == request.to)
            return CaseMoved{before, false};
    }
    CaseMove m;
    m.from = before.state;
    m.to = request.to;
    m.actor = request.actor;
    m.subject = caseSubjectOf(before.subjectKind);
    m.reason = request.reason;
    m.deadline = request.deadline;
    m.today = examDate(now);
    if (const QString problem = caseMoveProblem(m); !problem.isEmpty())
        return refused(problem);
    const QString at = storeTime(now);
    const QString reason = request.reason.trimmed();
    const QString to = caseStateWord(request.to);
    const bool closes = caseClosed(request.to);
    QString sql = QStringLiteral("UPDATE compliance_case SET state = ?, updated_at = ?");
    QVariantList params{to, at};
    if (request.deadline.isValid()) {
        sql += QStringLiteral(", deadline = ?");
        params << request.deadline.toString(Qt::ISODate);
    }
    if (closes) {
        sql += QStringLiteral(", closed_at = ?");
        params << at;
    }
    sql += QStringLiteral(" WHERE id = ?");
    params << request.caseId;
    if (auto r = m_sql.query(sql, params); !r)
        return r.error();
    if (auto r = m_sql.query(QStringLiteral("INSERT INTO case_step (case_id, at, actor, from_state, to_state, reason,"
                                            " deadline, attachment_name, attachment_type, attachment)"
                                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                             {request.caseId, at, actor, caseStateWord(before.state), to, reason,
                              request.deadline.isValid() ? QVariant(request.deadline.toString(Qt::ISODate)) : QVariant(),
                              attachmentField(request.attachment, 0), attachmentField(request.attachment, 1),
                              attachmentField(request.attachment, 2)});
        !r)
        return r.error();
    // Withdrawal: the pilot or site takes no new sessions from now on;
    // what happened stays. A pilot withdrawn already keeps its first case.
    if (request.to == CaseState::PilotWithdrawn || request.to == CaseState::SiteWithdrawn) {
        const QString table = request.to == CaseState::PilotWithdrawn ? QStringLiteral("pilot") : QStringLiteral("site");
        if (auto r = m_sql.query(QStringLiteral("UPDATE %1 SET withdrawn_at = ?, withdrawn_case = ?"
                                                " WHERE id = ? AND withdrawn_at IS NULL")
                                     .arg(table),
                                 {at, request.caseId, before.subjectId});
            !r)
            return r.error();
    }
    QString detail = QStringLiteral("案件 #%1 %2 %3：%4 → %5，理由：%6")
                         .arg(request.caseId)
                         .arg(before.rule, before.subjectName, caseStateWord(before.state), to, reason);
    if (request.deadline.isValid())
        detail += QStringLiteral("，整改期限 %1").arg(request.deadline.toString(Qt::ISODate));
    if (request.attachment)
        detail += QStringLiteral("，附件「%1」SHA-256 %2").arg(request.attachment->name, request.attachment->sha256);
    const QString action = request.to == CaseState::PilotWithdrawn  ? QStringLiteral("case.withdraw_pilot")
                           : request.to == CaseState::SiteWithdrawn ? QStringLiteral("case.withdraw_site")
                           : request.actor == CaseActor::College    ? QStringLiteral("case.rectification")
                                                                    : QStringLiteral("case.move");
    if (auto s = m_audit.append(actor, action, detail); !s)
        return s.error();
    auto after = caseById(request.caseId);
    if (!after)
        return after.error();
    if (auto c = tx.commit(); !c)
        return c.error();
    return CaseMoved{**after, true};
}

Result<std::optional<std::pair<CaseRecord, StoredAttachment>>, StoreError>
CaseStore::stepAttachment(Id caseId, Id stepId, std::optional<Id> collegeScope)
{
    using Found = std::optional<std::pair<CaseRecord, StoredAttachment>>;
    auto c = caseById(caseId, collegeScope);
    if (!c)
        return c.error();
    if (!c->has_value())
        return Found();
    auto r = m_sql.query(QStringLiteral("SELECT attachment_name, attachment_type, attachment FROM case_step"
                                        " WHERE id = ? AND case_id = ? AND attachment IS NOT NULL"),
                         {stepId, caseId});
    if (!r)
        return r.error();
    if (r->isEmpty())
        return Found();
    const auto &row = r->first();
    return Found(std::make_pair(**c, StoredAttachment{row[0].toString(), row[1].toString(), QString(),
                                                      row[2].toByteArray()}));
}

} // namespace kaodian::server
