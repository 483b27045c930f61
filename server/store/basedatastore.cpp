#include "store/basedatastore.h"

#include "store/storeutil.h"

#include <QSet>

#include <algorithm>

namespace kaodian::server {

namespace {

QVariant dateParam(const QDate &d)
{
    return d.isValid() ? QVariant(d.toString(Qt::ISODate)) : QVariant();
}

QDate dateValue(const QVariant &v)
{
    return v.isNull() ? QDate() : QDate::fromString(v.toString(), Qt::ISODate);
}

QString dateWords(const QDate &d)
{
    return d.isValid() ? d.toString(Qt::ISODate) : QStringLiteral("—");
}

BaseDataFailure failure(const StoreError &e)
{
    return BaseDataFailure{{}, e};
}

// Collects what a file changed, for its summary and its audit entry.
class Changes
{
public:
    explicit Changes(int rows) { m_summary.rows = rows; }
    void created(const QString &what) { ++m_summary.created, note(QStringLiteral("新增 ") + what); }
    void updated(const QString &what) { ++m_summary.updated, note(QStringLiteral("更新 ") + what); }
    void removed(const QString &what) { ++m_summary.removed, note(QStringLiteral("删除 ") + what); }
    void unchanged() { ++m_summary.unchanged; }
    void warn(const QString &w)
    {
        if (!m_summary.warnings.contains(w))
            m_summary.warnings.append(w);
    }
    [[nodiscard]] const BaseDataSummary &summary() const { return m_summary; }
    [[nodiscard]] QString detail(const QString &fileName) const
    {
        QString d = QStringLiteral("%1：%2 行，新增 %3，更新 %4，删除 %5，未变 %6")
                        .arg(fileName)
                        .arg(m_summary.rows)
                        .arg(m_summary.created)
                        .arg(m_summary.updated)
                        .arg(m_summary.removed)
                        .arg(m_summary.unchanged);
        if (!m_notes.isEmpty())
            d += QStringLiteral("；") + m_notes.join(QStringLiteral("；"));
        if (m_more > 0)
            d += QStringLiteral("；…另有 %1 处").arg(m_more);
        return d;
    }

private:
    void note(const QString &n)
    {
        if (m_notes.size() < 100)
            m_notes.append(n);
        else
            ++m_more;
    }
    BaseDataSummary m_summary;
    QStringList m_notes;
    int m_more = 0;
};

// Commits a file's changes with their audit entry, or rolls back when it
// changed nothing (the same file again) or had problems.
Result<BaseDataSummary, BaseDataFailure> finish(SqlTransaction &tx, AuditLog &audit, const ProblemCollector &problems,
                                                const Changes &changes, const QString &action, const QString &fileName,
                                                const QString &actor)
{
    if (!problems.isEmpty())
        return BaseDataFailure{problems.report(), std::nullopt};
    if (!changes.summary().changed())
        return changes.summary(); // nothing written; the transaction rolls back empty
    if (auto s = audit.append(actor, action, changes.detail(fileName)); !s)
        return failure(s.error());
    if (auto s = tx.commit(); !s)
        return failure(s.error());
    return changes.summary();
}

Result<std::optional<Id>, StoreError> idOf(SqlConnection &sql, const QString &select, const QVariantList &params)
{
    auto r = sql.query(select, params);
    if (!r)
        return r.error();
    if (r->isEmpty())
        return std::optional<Id>();
    return std::optional<Id>(r->first().first().toLongLong());
}

Result<Id, StoreError> certificateId(SqlConnection &sql, const QString &name, const QString &trainingOrg)
{
    auto found = idOf(sql, QStringLiteral("SELECT id FROM certificate WHERE name = ?"), {name});
    if (!found)
        return found.error();
    if (*found) {
        if (!trainingOrg.isEmpty()) {
            if (auto u = sql.query(QStringLiteral("UPDATE certificate SET training_org = ? WHERE id = ? AND training_org = ''"),
                                   {trainingOrg, **found});
                !u)
                return u.error();
        }
        return **found;
    }
    return sql.insertReturningId(QStringLiteral("INSERT INTO certificate (name, training_org) VALUES (?, ?)"),
                                 {name, trainingOrg});
}

QString pilotWords(const QString &certificate, CertificateLevel level, const QString &college)
{
    return QStringLiteral("%1 %2（%3）").arg(certificate, levelName(level), college);
}

// The majors of a pilot, by name, in name order.
Result<QStringList, StoreError> pilotMajors(SqlConnection &sql, Id pilot)
{
    auto r = sql.query(QStringLiteral("SELECT m.name FROM pilot_major pm JOIN major m ON m.id = pm.major_id"
                                      " WHERE pm.pilot_id = ? ORDER BY m.name"),
                       {pilot});
    if (!r)
        return r.error();
    QStringList out;
    for (const auto &row : r->rows)
        out << row[0].toString();
    return out;
}

// Distinct candidates registered (not withdrawn) in the pilot's sessions.
Result<int, StoreError> pilotCandidates(SqlConnection &sql, Id pilot)
{
    auto r = sql.query(QStringLiteral("SELECT COUNT(DISTINCT r.candidate_id) FROM registration r"
                                      " JOIN exam_session s ON s.id = r.session_id"
                                      " WHERE s.pilot_id = ? AND r.withdrawn_at IS NULL"),
                       {pilot});
    if (!r)
        return r.error();
    return static_cast<int>(r->first().first().toLongLong());
}

Status<StoreError> setPilotMajors(SqlConnection &sql, Id pilot, const QList<Id> &majors)
{
    if (auto d = sql.query(QStringLiteral("DELETE FROM pilot_major WHERE pilot_id = ?"), {pilot}); !d)
        return d.error();
    for (Id m : majors) {
        if (auto i = sql.query(QStringLiteral("INSERT INTO pilot_major (pilot_id, major_id) VALUES (?, ?)"), {pilot, m}); !i)
            return i.error();
    }
    return {};
}

StoreError refused(const QString &message)
{
    return storeError(StoreError::Code::Refused, message);
}

StoreError missing(const QString &message)
{
    return storeError(StoreError::Code::DatabaseMissing, message);
}

} // namespace

QString PilotRecord::name() const
{
    return pilotWords(certificate, level, college);
}

// ---- files ---------------------------------------------------------------

Result<BaseDataSummary, BaseDataFailure> BaseDataStore::applyMajors(const MajorFile &file, const QString &fileName,
                                                                      const QString &actor)
{
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return failure(tx.status().error());
    Changes changes(static_cast<int>(file.rows.size()));
    ProblemCollector problems;
    const QString codeColumn = file.header(QStringLiteral("专业代码"));
    const QString nameColumn = file.header(QStringLiteral("专业名称"));
    for (const MajorRow &row : file.rows) {
        auto college = idOf(m_sql, QStringLiteral("SELECT id FROM college WHERE name = ?"), {row.college});
        if (!college)
            return failure(college.error());
        Id collegeId = college->value_or(0);
        if (!*college) {
            auto made = m_sql.insertReturningId(QStringLiteral("INSERT INTO college (name) VALUES (?)"), {row.college});
            if (!made)
                return failure(made.error());
            collegeId = *made;
        }
        const QString what = QStringLiteral("%1 %2 %3（%4）")
                                 .arg(row.college, row.code, row.name, row.active ? QStringLiteral("在招") : QStringLiteral("停招"));
        auto byCode = m_sql.query(QStringLiteral("SELECT id, name, active FROM major WHERE college_id = ? AND code = ?"),
                                  {collegeId, row.code});
        if (!byCode)
            return failure(byCode.error());
        auto byName = m_sql.query(QStringLiteral("SELECT id, code FROM major WHERE college_id = ? AND name = ?"),
                                  {collegeId, row.name});
        if (!byName)
            return failure(byName.error());
        if (!byCode->isEmpty()) {
            const auto &m = byCode->first();
            const Id id = m[0].toLongLong();
            if (!byName->isEmpty() && byName->first()[0].toLongLong() != id) {
                problems.add(row.line, nameColumn,
                             QStringLiteral("%1已有专业“%2”（代码 %3），不能把代码 %4 的专业改为同名。")
                                 .arg(row.college, row.name, byName->first()[1].toString(), row.code));
                continue;
            }
            if (m[1].toString() == row.name && (m[2].toLongLong() != 0) == row.active) {
                changes.unchanged();
                continue;
            }
            if (auto u = m_sql.query(QStringLiteral("UPDATE major SET name = ?, active = ? WHERE id = ?"),
                                     {row.name, row.active ? 1 : 0, id});
                !u)
                return failure(u.error());
            changes.updated(what);
            continue;
        }
        if (!byName->isEmpty()) {
            const auto &m = byName->first();
            if (!m[1].toString().isEmpty()) {
                problems.add(row.line, codeColumn,
                             QStringLiteral("%1的专业“%2”已登记代码 %3，与本行 %4 不符。如需更改代码，请在基础数据页修改该专业。")
                                 .arg(row.college, row.name, m[1].toString(), row.code));
                continue;
            }
            // A major a roster made: it gets its code now.
            if (auto u = m_sql.query(QStringLiteral("UPDATE major SET code = ?, active = ? WHERE id = ?"),
                                     {row.code, row.active ? 1 : 0, m[0].toLongLong()});
                !u)
                return failure(u.error());
            changes.updated(what);
            continue;
        }
        if (auto i = m_sql.insertReturningId(
                QStringLiteral("INSERT INTO major (college_id, name, code, active) VALUES (?, ?, ?, ?)"),
                {collegeId, row.name, row.code, row.active ? 1 : 0});
            !i)
            return failure(i.error());
        changes.created(what);
    }
    return finish(tx, m_audit, problems, changes, QStringLiteral("basedata.majors.import"), fileName, actor);
}

Result<BaseDataSummary, BaseDataFailure> BaseDataStore::applyPilots(const PilotFile &file, const QString &fileName,
                                                                      const QString &actor)
{
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return failure(tx.status().error());
    Changes changes(static_cast<int>(file.rows.size()));
    ProblemCollector problems;
    for (const PilotRow &row : file.rows) {
        auto college = idOf(m_sql, QStringLiteral("SELECT id FROM college WHERE name = ?"), {row.college});
        if (!college)
            return failure(college.error());
        if (!*college) {
            problems.add(row.line, file.header(QStringLiteral("二级学院")),
                         QStringLiteral("没有二级学院“%1”：请先导入专业名单，或核对学院名称。").arg(row.college));
            continue;
        }
        QList<Id> majors;
        QStringList unknown;
        for (const QString &name : row.majors) {
            auto m = idOf(m_sql, QStringLiteral("SELECT id FROM major WHERE college_id = ? AND name = ?"), {**college, name});
            if (!m)
                return failure(m.error());
            if (*m)
                majors << **m;
            else
                unknown << QStringLiteral("“%1”").arg(name);
        }
        if (!unknown.isEmpty()) {
            problems.add(row.line, file.header(QStringLiteral("试点专业")),
                         QStringLiteral("%1不在%2的专业名单中：请先导入专业名单，或核对专业名称。")
                             .arg(unknown.join(QStringLiteral("、")), row.college));
            continue;
        }
        auto certificate = certificateId(m_sql, row.certificate, row.trainingOrg);
        if (!certificate)
            return failure(certificate.error());
        const int level = static_cast<int>(row.level);
        const QString what = pilotWords(row.certificate, row.level, row.college);
        auto found = m_sql.query(QStringLiteral("SELECT id, registered, training_org, approved_count, approved_on,"
                                                " start_date, active FROM pilot"
                                                " WHERE college_id = ? AND certificate_id = ? AND level = ?"),
                                 {**college, *certificate, level});
        if (!found)
            return failure(found.error());
        const QVariantList values{row.trainingOrg, row.approvedCount ? QVariant(*row.approvedCount) : QVariant(),
                                  dateParam(row.approvedOn), dateParam(row.startDate), row.active ? 1 : 0};
        Id pilot = 0;
        if (found->isEmpty()) {
            auto made = m_sql.insertReturningId(
                QStringLiteral("INSERT INTO pilot (college_id, certificate_id, level, registered, training_org,"
                               " approved_count, approved_on, start_date, active) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?)"),
                QVariantList{**college, *certificate, level} + values);
            if (!made)
                return failure(made.error());
            pilot = *made;
            if (auto s = setPilotMajors(m_sql, pilot, majors); !s)
                return failure(s.error());
            changes.created(what);
        } else {
            const auto &p = found->first();
            pilot = p[0].toLongLong();
            auto stored = pilotMajors(m_sql, pilot);
            if (!stored)
                return failure(stored.error());
            QStringList wanted = row.majors;
            wanted.sort();
            const bool same = p[1].toLongLong() == 1 && p[2].toString() == row.trainingOrg
                && (p[3].isNull() ? !row.approvedCount : row.approvedCount && p[3].toLongLong() == *row.approvedCount)
                && dateValue(p[4]) == row.approvedOn && dateValue(p[5]) == row.startDate
                && (p[6].toLongLong() != 0) == row.active && *stored == wanted;
            if (same) {
                changes.unchanged();
            } else {
                if (auto u = m_sql.query(QStringLiteral("UPDATE pilot SET registered = 1, training_org = ?, approved_count = ?,"
                                                        " approved_on = ?, start_date = ?, active = ? WHERE id = ?"),
                                         values + QVariantList{pilot});
                    !u)
                    return failure(u.error());
                if (auto s = setPilotMajors(m_sql, pilot, majors); !s)
                    return failure(s.error());
                changes.updated(p[1].toLongLong() == 1 ? what : what + QStringLiteral("（原未登记）"));
            }
        }
        auto candidates = pilotCandidates(m_sql, pilot);
        if (!candidates)
            return failure(candidates.error());
        if (row.approvedCount && *candidates > *row.approvedCount)
            changes.warn(QStringLiteral("%1 已报名 %2 人，超过批准人数 %3 人").arg(what).arg(*candidates).arg(*row.approvedCount));
    }
    return finish(tx, m_audit, problems, changes, QStringLiteral("basedata.pilots.import"), fileName, actor);
}

Result<BaseDataSummary, BaseDataFailure> BaseDataStore::applyTeachers(const TeacherFile &file, const QString &fileName,
                                                                        const QString &actor)
{
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return failure(tx.status().error());
    Changes changes(static_cast<int>(file.rows.size()));
    ProblemCollector problems;
    // The file's rows by teacher, in the order teachers first appear.
    QStringList order;
    QHash<QString, QList<const TeacherRow *>> rowsOf;
    for (const TeacherRow &row : file.rows) {
        if (!rowsOf.contains(row.staffNumber))
            order << row.staffNumber;
        rowsOf[row.staffNumber].append(&row);
    }
    for (const QString &staff : std::as_const(order)) {
        const TeacherRow &first = *rowsOf.value(staff).first();
        auto college = idOf(m_sql, QStringLiteral("SELECT id FROM college WHERE name = ?"), {first.college});
        if (!college)
            return failure(college.error());
        if (!*college) {
            problems.add(first.line, file.header(QStringLiteral("二级学院")),
                         QStringLiteral("没有二级学院“%1”：请核对学院名称（学院和专业由教务处导入）。").arg(first.college));
            continue;
        }
        QVariant major;
        if (!first.major.isEmpty()) {
            auto m = idOf(m_sql, QStringLiteral("SELECT id FROM major WHERE college_id = ? AND name = ?"),
                          {**college, first.major});
            if (!m)
                return failure(m.error());
            if (!*m) {
                problems.add(first.line, file.header(QStringLiteral("专业")),
                             QStringLiteral("专业“%1”不在%2的专业名单中：请核对专业名称（专业由教务处导入）。")
                                 .arg(first.major, first.college));
                continue;
            }
            major = **m;
        }
        const QString who = QStringLiteral("%1 %2").arg(staff, first.name);
        auto found = m_sql.query(QStringLiteral("SELECT id, name, college_id, major_id FROM teacher WHERE staff_number = ?"),
                                 {staff});
        if (!found)
            return failure(found.error());
        Id teacher = 0;
        if (found->isEmpty()) {
            auto made = m_sql.insertReturningId(
                QStringLiteral("INSERT INTO teacher (staff_number, name, college_id, major_id) VALUES (?, ?, ?, ?)"),
                {staff, first.name, **college, major});
            if (!made)
                return failure(made.error());
            teacher = *made;
            changes.created(QStringLiteral("教师 ") + who);
        } else {
            const auto &t = found->first();
            teacher = t[0].toLongLong();
            const bool same = t[1].toString() == first.name && t[2].toLongLong() == **college
                && (t[3].isNull() ? major.isNull() : !major.isNull() && t[3].toLongLong() == major.toLongLong());
            if (same) {
                changes.unchanged();
            } else {
                if (auto u = m_sql.query(QStringLiteral("UPDATE teacher SET name = ?, college_id = ?, major_id = ? WHERE id = ?"),
                                         {first.name, **college, major, teacher});
                    !u)
                    return failure(u.error());
                changes.updated(QStringLiteral("教师 ") + who);
            }
        }
        // The teacher's qualifications become the file's.
        auto stored = m_sql.query(QStringLiteral("SELECT q.id, q.kind, c.name, q.level, q.number, q.valid_from, q.valid_until"
                                                 " FROM qualification q JOIN certificate c ON c.id = q.certificate_id"
                                                 " WHERE q.teacher_id = ?"),
                                  {teacher});
        if (!stored)
            return failure(stored.error());
        QSet<Id> kept;
        for (const TeacherRow *row : rowsOf.value(staff)) {
            if (!row->kind)
                continue;
            const QString what = QStringLiteral("%1 %2资格 %3 %4").arg(who, qualificationKindName(*row->kind), row->certificate,
                                                                   levelName(row->level));
            const int kind = static_cast<int>(*row->kind);
            const int level = static_cast<int>(row->level);
            const QVariantList *match = nullptr;
            for (const auto &q : stored->rows) {
                if (q[1].toLongLong() == kind && q[2].toString() == row->certificate && q[3].toLongLong() == level)
                    match = &q;
            }
            if (match) {
                const Id id = (*match)[0].toLongLong();
                kept.insert(id);
                if ((*match)[4].toString() == row->number && dateValue((*match)[5]) == row->validFrom
                    && dateValue((*match)[6]) == row->validUntil) {
                    changes.unchanged();
                    continue;
                }
                if (auto u = m_sql.query(QStringLiteral("UPDATE qualification SET number = ?, valid_from = ?, valid_until = ? WHERE id = ?"),
                                         {row->number, dateParam(row->validFrom), dateParam(row->validUntil), id});
                    !u)
                    return failure(u.error());
                changes.updated(what);
                continue;
            }
            auto certificate = certificateId(m_sql, row->certificate, QString());
            if (!certificate)
                return failure(certificate.error());
            auto made = m_sql.insertReturningId(
                QStringLiteral("INSERT INTO qualification (teacher_id, kind, certificate_id, level, number, valid_from, valid_until)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?)"),
                {teacher, kind, *certificate, level, row->number, dateParam(row->validFrom), dateParam(row->validUntil)});
            if (!made)
                return failure(made.error());
            kept.insert(*made);
            changes.created(what);
        }
        for (const auto &q : stored->rows) {
            const Id id = q[0].toLongLong();
            if (kept.contains(id))
                continue;
            if (auto d = m_sql.query(QStringLiteral("DELETE FROM qualification WHERE id = ?"), {id}); !d)
                return failure(d.error());
            changes.removed(QStringLiteral("%1 %2资格 %3 %4")
                                .arg(who, qualificationKindName(static_cast<QualificationKind>(q[1].toLongLong())),
                                     q[2].toString(), levelName(static_cast<CertificateLevel>(q[3].toLongLong()))));
        }
    }
    return finish(tx, m_audit, problems, changes, QStringLiteral("basedata.teachers.import"), fileName, actor);
}

Result<BaseDataSummary, BaseDataFailure> BaseDataStore::applySites(const SiteFile &file, const QString &fileName,
                                                                     const QString &actor)
{
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return failure(tx.status().error());
    Changes changes(static_cast<int>(file.rows.size()));
    ProblemCollector problems;
    for (const SiteRow &row : file.rows) {
        const QString what = QStringLiteral("%1（协议 %2，%3 至 %4）")
                                 .arg(row.name, row.agreementNumber.isEmpty() ? QStringLiteral("未登记") : row.agreementNumber,
                                      dateWords(row.agreementStarts), dateWords(row.agreementEnds));
        auto found = m_sql.query(QStringLiteral("SELECT id, address, agreement_number, agreement_starts, agreement_expires"
                                                " FROM site WHERE name = ?"),
                                 {row.name});
        if (!found)
            return failure(found.error());
        const QVariantList values{row.address, row.agreementNumber, dateParam(row.agreementStarts), dateParam(row.agreementEnds)};
        if (found->isEmpty()) {
            auto made = m_sql.insertReturningId(QStringLiteral("INSERT INTO site (address, agreement_number, agreement_starts,"
                                                               " agreement_expires, name) VALUES (?, ?, ?, ?, ?)"),
                                                values + QVariantList{row.name});
            if (!made)
                return failure(made.error());
            changes.created(what);
            continue;
        }
        const auto &s = found->first();
        if (s[1].toString() == row.address && s[2].toString() == row.agreementNumber
            && dateValue(s[3]) == row.agreementStarts && dateValue(s[4]) == row.agreementEnds) {
            changes.unchanged();
            continue;
        }
        if (auto u = m_sql.query(QStringLiteral("UPDATE site SET address = ?, agreement_number = ?, agreement_starts = ?,"
                                                " agreement_expires = ? WHERE id = ?"),
                                 values + QVariantList{s[0].toLongLong()});
            !u)
            return failure(u.error());
        changes.updated(what);
    }
    return finish(tx, m_audit, problems, changes, QStringLiteral("basedata.sites.import"), fileName, actor);
}

// ---- lists ---------------------------------------------------------------

Result<QList<MajorRecord>, StoreError> BaseDataStore::majors()
{
    auto r = m_sql.query(QStringLiteral("SELECT m.id, m.college_id, c.name, m.code, m.name, m.active FROM major m"
                                        " JOIN college c ON c.id = m.college_id ORDER BY c.name, m.code, m.name, m.id"));
    if (!r)
        return r.error();
    QList<MajorRecord> out;
    for (const auto &m : r->rows)
        out.append({m[0].toLongLong(), m[1].toLongLong(), m[2].toString(), m[3].toString(), m[4].toString(),
                    m[5].toLongLong() != 0});
    return out;
}

Result<QList<PilotRecord>, StoreError> BaseDataStore::pilots()
{
    auto r = m_sql.query(QStringLiteral(
        "SELECT p.id, p.college_id, co.name, ce.name, p.level, p.registered, p.training_org, p.approved_count,"
        " p.approved_on, p.start_date, p.active, p.withdrawn_at,"
        " (SELECT COUNT(DISTINCT r.candidate_id) FROM registration r JOIN exam_session s ON s.id = r.session_id"
        "   WHERE s.pilot_id = p.id AND r.withdrawn_at IS NULL)"
        " FROM pilot p JOIN college co ON co.id = p.college_id JOIN certificate ce ON ce.id = p.certificate_id"
        " ORDER BY co.name, ce.name, p.level, p.id"));
    if (!r)
        return r.error();
    auto majors = m_sql.query(QStringLiteral("SELECT pm.pilot_id, m.name FROM pilot_major pm JOIN major m ON m.id = pm.major_id"
                                             " ORDER BY m.name"));
    if (!majors)
        return majors.error();
    QHash<Id, QStringList> majorsOf;
    for (const auto &m : majors->rows)
        majorsOf[m[0].toLongLong()].append(m[1].toString());
    QList<PilotRecord> out;
    for (const auto &p : r->rows) {
        PilotRecord rec;
        rec.id = p[0].toLongLong();
        rec.collegeId = p[1].toLongLong();
        rec.college = p[2].toString();
        rec.certificate = p[3].toString();
        rec.level = static_cast<CertificateLevel>(p[4].toLongLong());
        rec.registered = p[5].toLongLong() != 0;
        rec.trainingOrg = p[6].toString();
        if (!p[7].isNull())
            rec.approvedCount = static_cast<int>(p[7].toLongLong());
        rec.approvedOn = dateValue(p[8]);
        rec.startDate = dateValue(p[9]);
        rec.active = p[10].toLongLong() != 0;
        if (!p[11].isNull())
            rec.withdrawnAt = parseStoreTime(p[11].toString());
        rec.candidates = static_cast<int>(p[12].toLongLong());
        rec.majors = majorsOf.value(rec.id);
        out.append(rec);
    }
    return out;
}

Result<QList<TeacherRecord>, StoreError> BaseDataStore::teachers()
{
    auto r = m_sql.query(QStringLiteral("SELECT t.id, t.college_id, t.staff_number, t.name, c.name, m.name FROM teacher t"
                                        " JOIN college c ON c.id = t.college_id LEFT JOIN major m ON m.id = t.major_id"
                                        " ORDER BY c.name, t.staff_number"));
    if (!r)
        return r.error();
    auto q = m_sql.query(QStringLiteral("SELECT q.teacher_id, q.id, q.kind, c.name, q.level, q.number, q.valid_from, q.valid_until"
                                        " FROM qualification q JOIN certificate c ON c.id = q.certificate_id"
                                        " ORDER BY q.teacher_id, q.kind, c.name, q.level"));
    if (!q)
        return q.error();
    QHash<Id, QList<QualificationRecord>> of;
    for (const auto &x : q->rows)
        of[x[0].toLongLong()].append({x[1].toLongLong(), static_cast<QualificationKind>(x[2].toLongLong()), x[3].toString(),
                                      static_cast<CertificateLevel>(x[4].toLongLong()), x[5].toString(), dateValue(x[6]),
                                      dateValue(x[7])});
    QList<TeacherRecord> out;
    for (const auto &t : r->rows)
        out.append({t[0].toLongLong(), t[1].toLongLong(), t[2].toString(), t[3].toString(), t[4].toString(),
                    t[5].isNull() ? QString() : t[5].toString(), of.value(t[0].toLongLong())});
    return out;
}

Result<QList<SiteRecord>, StoreError> BaseDataStore::sites()
{
    auto r = m_sql.query(QStringLiteral("SELECT id, name, address, agreement_number, agreement_starts, agreement_expires,"
                                        " withdrawn_at FROM site ORDER BY name"));
    if (!r)
        return r.error();
    QList<SiteRecord> out;
    for (const auto &s : r->rows)
        out.append({s[0].toLongLong(), s[1].toString(), s[2].toString(), s[3].toString(), dateValue(s[4]), dateValue(s[5]),
                    s[6].isNull() ? QDateTime() : parseStoreTime(s[6].toString())});
    return out;
}

Result<QList<CertificateRecord>, StoreError> BaseDataStore::certificates()
{
    auto r = m_sql.query(QStringLiteral("SELECT id, name, training_org, cancelled_on, cancel_document, cancelled_by, cancelled_at"
                                        " FROM certificate ORDER BY name"));
    if (!r)
        return r.error();
    QList<CertificateRecord> out;
    for (const auto &c : r->rows)
        out.append({c[0].toLongLong(), c[1].toString(), c[2].toString(), dateValue(c[3]), c[4].toString(), c[5].toString(),
                    c[6].isNull() ? QDateTime() : parseStoreTime(c[6].toString())});
    return out;
}

// ---- single edits --------------------------------------------------------

Result<bool, StoreError> BaseDataStore::updateMajor(Id id, const MajorEdit &edit, const QString &actor)
{
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status().error();
    auto r = m_sql.query(QStringLiteral("SELECT m.college_id, c.name, m.code, m.name, m.active FROM major m"
                                        " JOIN college c ON c.id = m.college_id WHERE m.id = ?"),
                         {id});
    if (!r)
        return r.error();
    if (r->isEmpty())
        return missing(QStringLiteral("没有编号为 %1 的专业").arg(id));
    const auto &m = r->first();
    const Id college = m[0].toLongLong();
    const QString code = edit.code.value_or(m[2].toString()).trimmed().toUpper();
    const QString name = edit.name.value_or(m[3].toString()).trimmed();
    const bool active = edit.active.value_or(m[4].toLongLong() != 0);
    if (name.isEmpty() || name.size() > 100 || code.size() > 20)
        return refused(QStringLiteral("专业名称须为 1–100 个字，专业代码最多 20 个字符"));
    if (code == m[2].toString() && name == m[3].toString() && active == (m[4].toLongLong() != 0))
        return false;
    auto clash = m_sql.query(QStringLiteral("SELECT code, name FROM major WHERE college_id = ? AND id <> ?"
                                            " AND (name = ? OR (code = ? AND code <> ''))"),
                             {college, id, name, code});
    if (!clash)
        return clash.error();
    if (!clash->isEmpty())
        return refused(QStringLiteral("%1已有专业“%2”（代码 %3），名称和代码在学院内不能重复")
                           .arg(m[1].toString(), clash->first()[1].toString(), clash->first()[0].toString()));
    if (auto u = m_sql.query(QStringLiteral("UPDATE major SET code = ?, name = ?, active = ? WHERE id = ?"),
                             {code, name, active ? 1 : 0, id});
        !u)
        return u.error();
    if (auto s = m_audit.append(actor, QStringLiteral("basedata.major.update"),
                                QStringLiteral("%1 专业 %2 %3（%4）→ %5 %6（%7）")
                                    .arg(m[1].toString(), m[2].toString(), m[3].toString(),
                                         m[4].toLongLong() != 0 ? QStringLiteral("在招") : QStringLiteral("停招"), code, name,
                                         active ? QStringLiteral("在招") : QStringLiteral("停招")));
        !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return true;
}

Result<bool, StoreError> BaseDataStore::updatePilot(Id id, const PilotEdit &edit, const QString &actor)
{
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status().error();
    auto r = m_sql.query(QStringLiteral("SELECT p.college_id, co.name, ce.name, p.level, p.registered, p.training_org,"
                                        " p.approved_count, p.approved_on, p.start_date, p.active FROM pilot p"
                                        " JOIN college co ON co.id = p.college_id JOIN certificate ce ON ce.id = p.certificate_id"
                                        " WHERE p.id = ?"),
                         {id});
    if (!r)
        return r.error();
    if (r->isEmpty())
        return missing(QStringLiteral("没有编号为 %1 的试点").arg(id));
    const auto &p = r->first();
    const Id college = p[0].toLongLong();
    const QString what = pilotWords(p[2].toString(), static_cast<CertificateLevel>(p[3].toLongLong()), p[1].toString());
    auto storedMajors = pilotMajors(m_sql, id);
    if (!storedMajors)
        return storedMajors.error();
    const QString org = edit.trainingOrg.value_or(p[5].toString()).trimmed();
    const std::optional<int> approved = edit.approvedCount.value_or(
        p[6].isNull() ? std::optional<int>() : std::optional<int>(static_cast<int>(p[6].toLongLong())));
    const QDate approvedOn = edit.approvedOn.value_or(dateValue(p[7]));
    const QDate start = edit.startDate.value_or(dateValue(p[8]));
    const bool active = edit.active.value_or(p[9].toLongLong() != 0);
    QStringList majors = edit.majors.value_or(*storedMajors);
    majors.sort();
    majors.removeDuplicates();
    if (approved && *approved < 1)
        return refused(QStringLiteral("批准人数须为正整数"));
    if (!start.isValid())
        return refused(QStringLiteral("须填写开始日期：周报从试点开始的那一周算起"));
    if (majors.isEmpty())
        return refused(QStringLiteral("须至少有一个试点专业"));
    if (approvedOn.isValid() && start < approvedOn)
        return refused(QStringLiteral("开始日期 %1 早于批准日期 %2").arg(start.toString(Qt::ISODate), approvedOn.toString(Qt::ISODate)));
    const bool same = p[4].toLongLong() == 1 && org == p[5].toString()
        && approved == (p[6].isNull() ? std::optional<int>() : std::optional<int>(static_cast<int>(p[6].toLongLong())))
        && approvedOn == dateValue(p[7]) && start == dateValue(p[8]) && active == (p[9].toLongLong() != 0)
        && majors == *storedMajors;
    if (same)
        return false;
    QList<Id> majorIds;
    for (const QString &name : std::as_const(majors)) {
        auto m = idOf(m_sql, QStringLiteral("SELECT id FROM major WHERE college_id = ? AND name = ?"), {college, name});
        if (!m)
            return m.error();
        if (!*m)
            return refused(QStringLiteral("专业“%1”不在%2的专业名单中").arg(name, p[1].toString()));
        majorIds << **m;
    }
    if (auto u = m_sql.query(QStringLiteral("UPDATE pilot SET registered = 1, training_org = ?, approved_count = ?,"
                                            " approved_on = ?, start_date = ?, active = ? WHERE id = ?"),
                             {org, approved ? QVariant(*approved) : QVariant(), dateParam(approvedOn), dateParam(start),
                              active ? 1 : 0, id});
        !u)
        return u.error();
    if (auto s = setPilotMajors(m_sql, id, majorIds); !s)
        return s.error();
    if (auto s = m_audit.append(actor, QStringLiteral("basedata.pilot.update"),
                                QStringLiteral("%1%2：培训评价组织 %3，试点专业 %4，批准人数 %5，批准日期 %6，开始日期 %7，%8")
                                    .arg(what, p[4].toLongLong() == 1 ? QString() : QStringLiteral("（原未登记）"), org,
                                         majors.join(QStringLiteral("、")),
                                         approved ? QString::number(*approved) : QStringLiteral("—"), dateWords(approvedOn),
                                         dateWords(start), active ? QStringLiteral("试点中") : QStringLiteral("已结束")));
        !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return true;
}

Result<bool, StoreError> BaseDataStore::updateSite(Id id, const SiteEdit &edit, const QString &actor)
{
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status().error();
    auto r = m_sql.query(QStringLiteral("SELECT name, address, agreement_number, agreement_starts, agreement_expires"
                                        " FROM site WHERE id = ?"),
                         {id});
    if (!r)
        return r.error();
    if (r->isEmpty())
        return missing(QStringLiteral("没有编号为 %1 的考点").arg(id));
    const auto &s = r->first();
    const QString address = edit.address.value_or(s[1].toString()).trimmed();
    const QString number = edit.agreementNumber.value_or(s[2].toString()).trimmed();
    const QDate starts = edit.agreementStarts.value_or(dateValue(s[3]));
    const QDate ends = edit.agreementEnds.value_or(dateValue(s[4]));
    if (number.isEmpty() != !ends.isValid())
        return refused(QStringLiteral("合作协议编号和协议止须同时填写（或同时留空表示没有协议）"));
    if (starts.isValid() && ends.isValid() && ends < starts)
        return refused(QStringLiteral("协议止 %1 早于协议起 %2").arg(ends.toString(Qt::ISODate), starts.toString(Qt::ISODate)));
    if (address.size() > 200 || number.size() > 100)
        return refused(QStringLiteral("地址最多 200 个字，协议编号最多 100 个字"));
    if (address == s[1].toString() && number == s[2].toString() && starts == dateValue(s[3]) && ends == dateValue(s[4]))
        return false;
    if (auto u = m_sql.query(QStringLiteral("UPDATE site SET address = ?, agreement_number = ?, agreement_starts = ?,"
                                            " agreement_expires = ? WHERE id = ?"),
                             {address, number, dateParam(starts), dateParam(ends), id});
        !u)
        return u.error();
    if (auto a = m_audit.append(actor, QStringLiteral("basedata.site.update"),
                                QStringLiteral("%1：地址 %2，合作协议 %3（%4 至 %5），原协议 %6（%7 至 %8）")
                                    .arg(s[0].toString(), address, number.isEmpty() ? QStringLiteral("未登记") : number,
                                         dateWords(starts), dateWords(ends),
                                         s[2].toString().isEmpty() ? QStringLiteral("未登记") : s[2].toString(),
                                         dateWords(dateValue(s[3])), dateWords(dateValue(s[4]))));
        !a)
        return a.error();
    if (auto c = tx.commit(); !c)
        return c.error();
    return true;
}

Result<bool, StoreError> BaseDataStore::updateTeacher(Id id, const TeacherEdit &edit, const QString &actor)
{
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status().error();
    auto r = m_sql.query(QStringLiteral("SELECT t.staff_number, t.name, t.college_id, c.name, m.name FROM teacher t"
                                        " JOIN college c ON c.id = t.college_id LEFT JOIN major m ON m.id = t.major_id"
                                        " WHERE t.id = ?"),
                         {id});
    if (!r)
        return r.error();
    if (r->isEmpty())
        return missing(QStringLiteral("没有编号为 %1 的教师").arg(id));
    const auto &t = r->first();
    const QString storedMajor = t[4].isNull() ? QString() : t[4].toString();
    const QString name = edit.name.value_or(t[1].toString()).trimmed();
    const QString major = edit.major.value_or(storedMajor).trimmed();
    if (name.isEmpty() || name.size() > 100)
        return refused(QStringLiteral("姓名须为 1–100 个字"));
    if (name == t[1].toString() && major == storedMajor)
        return false;
    QVariant majorId;
    if (!major.isEmpty()) {
        auto m = idOf(m_sql, QStringLiteral("SELECT id FROM major WHERE college_id = ? AND name = ?"), {t[2].toLongLong(), major});
        if (!m)
            return m.error();
        if (!*m)
            return refused(QStringLiteral("专业“%1”不在%2的专业名单中").arg(major, t[3].toString()));
        majorId = **m;
    }
    if (auto u = m_sql.query(QStringLiteral("UPDATE teacher SET name = ?, major_id = ? WHERE id = ?"), {name, majorId, id}); !u)
        return u.error();
    if (auto a = m_audit.append(actor, QStringLiteral("basedata.teacher.update"),
                                QStringLiteral("教师 %1：%2（%3）→ %4（%5）")
                                    .arg(t[0].toString(), t[1].toString(), storedMajor, name, major));
        !a)
        return a.error();
    if (auto c = tx.commit(); !c)
        return c.error();
    return true;
}

Result<bool, StoreError> BaseDataStore::updateQualification(Id id, const QualificationEdit &edit, const QString &actor)
{
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status().error();
    auto r = m_sql.query(QStringLiteral("SELECT t.staff_number, t.name, q.kind, c.name, q.level, q.number, q.valid_from,"
                                        " q.valid_until FROM qualification q JOIN teacher t ON t.id = q.teacher_id"
                                        " JOIN certificate c ON c.id = q.certificate_id WHERE q.id = ?"),
                         {id});
    if (!r)
        return r.error();
    if (r->isEmpty())
        return missing(QStringLiteral("没有编号为 %1 的资格").arg(id));
    const auto &q = r->first();
    const QString number = edit.number.value_or(q[5].toString()).trimmed();
    const QDate from = edit.validFrom.value_or(dateValue(q[6]));
    const QDate until = edit.validUntil.value_or(dateValue(q[7]));
    if (number.size() > 100)
        return refused(QStringLiteral("证书编号最多 100 个字符"));
    if (from.isValid() && until.isValid() && until < from)
        return refused(QStringLiteral("有效期止 %1 早于有效期起 %2").arg(until.toString(Qt::ISODate), from.toString(Qt::ISODate)));
    if (number == q[5].toString() && from == dateValue(q[6]) && until == dateValue(q[7]))
        return false;
    if (auto u = m_sql.query(QStringLiteral("UPDATE qualification SET number = ?, valid_from = ?, valid_until = ? WHERE id = ?"),
                             {number, dateParam(from), dateParam(until), id});
        !u)
        return u.error();
    if (auto a = m_audit.append(
            actor, QStringLiteral("basedata.qualification.update"),
            QStringLiteral("教师 %1 %2 的%3资格 %4 %5：编号 %6，有效期 %7 至 %8（原编号 %9，%10 至 %11）")
                .arg(q[0].toString(), q[1].toString(), qualificationKindName(static_cast<QualificationKind>(q[2].toLongLong())),
                     q[3].toString(), levelName(static_cast<CertificateLevel>(q[4].toLongLong())), number, dateWords(from),
                     dateWords(until), q[5].toString())
                .arg(dateWords(dateValue(q[6])), dateWords(dateValue(q[7]))));
        !a)
        return a.error();
    if (auto c = tx.commit(); !c)
        return c.error();
    return true;
}

Result<bool, StoreError> BaseDataStore::cancelCertificate(const QString &certificate, const QDate &on,
                                                          const QString &document, const QString &actor)
{
    const QString name = certificate.trimmed();
    const QString doc = document.trimmed();
    if (!on.isValid())
        return refused(QStringLiteral("须填写取消日期（YYYY-MM-DD）"));
    if (doc.isEmpty() || doc.size() > 200)
        return refused(QStringLiteral("须填写取消依据的文件号（最多 200 个字）"));
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status().error();
    auto r = m_sql.query(QStringLiteral("SELECT id, cancelled_on, cancel_document FROM certificate WHERE name = ?"), {name});
    if (!r)
        return r.error();
    if (r->isEmpty())
        return missing(QStringLiteral("没有证书“%1”：请核对证书名称").arg(name));
    const auto &c = r->first();
    if (dateValue(c[1]) == on && c[2].toString() == doc)
        return false;
    if (auto u = m_sql.query(QStringLiteral("UPDATE certificate SET cancelled_on = ?, cancel_document = ?, cancelled_by = ?,"
                                            " cancelled_at = ? WHERE id = ?"),
                             {dateParam(on), doc, actor, storeTime(m_clock()), c[0].toLongLong()});
        !u)
        return u.error();
    QString detail = QStringLiteral("证书“%1”（各等级）自 %2 起取消，依据 %3").arg(name, on.toString(Qt::ISODate), doc);
    if (!c[1].isNull())
        detail += QStringLiteral("（原记录：%1 取消，依据 %2）").arg(c[1].toString(), c[2].toString());
    if (auto a = m_audit.append(actor, QStringLiteral("certificate.cancel"), detail); !a)
        return a.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return true;
}

} // namespace kaodian::server
