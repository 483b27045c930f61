#include "store/resultstore.h"

#include "import/rosterfields.h"
#include "store/storeutil.h"

#include <QHash>

namespace kaodian::server {

namespace {

// The registration a row names, with what the import checks it against.
struct Target
{
    Id id = 0;
    Id sessionId = 0;
    QString ticketNumber;
    QString name;
    QString idNumber;
    int attendance = 0; // 0 not checked in, 1 checked in, 2 absent, 3 excused
    bool final = false;
    QString certificate;
    int level = 0;
    std::optional<ResultValue> current; // the office's result, else the kiosk's
    QString withdrawnOn; // 退考: the withdrawal's date; empty when not withdrawn
};

const QString kTargetColumns = QStringLiteral(
    "r.id, r.session_id, r.ticket_number, c.name, c.id_number, r.attendance, s.results_final, ce.name, p.level,"
    " r.outcome, r.score, rr.id, rr.outcome, rr.theory_tenths, rr.practical_tenths, rr.total_tenths,"
    " r.withdrawn_at, r.withdrawn_on"
    " FROM registration r JOIN candidate c ON c.id = r.candidate_id JOIN exam_session s ON s.id = r.session_id"
    " JOIN pilot p ON p.id = s.pilot_id JOIN certificate ce ON ce.id = p.certificate_id"
    " LEFT JOIN result_record rr ON rr.id = (SELECT max(h.id) FROM result_record h WHERE h.registration_id = r.id)");

std::optional<int> optionalInt(const QVariant &v)
{
    return v.isNull() ? std::nullopt : std::optional<int>(static_cast<int>(v.toLongLong()));
}

Target targetFromRow(const QVariantList &row)
{
    Target t;
    t.id = row[0].toLongLong();
    t.sessionId = row[1].toLongLong();
    t.ticketNumber = row[2].toString();
    t.name = row[3].toString();
    t.idNumber = row[4].toString();
    t.attendance = static_cast<int>(row[5].toLongLong());
    t.final = row[6].toLongLong() != 0;
    t.certificate = row[7].toString();
    t.level = static_cast<int>(row[8].toLongLong());
    if (!row[11].isNull()) {
        ResultValue v;
        v.outcome = static_cast<ResultOutcome>(row[12].toLongLong());
        v.theory = optionalInt(row[13]);
        v.practical = optionalInt(row[14]);
        v.total = optionalInt(row[15]);
        t.current = v;
    } else if (!row[9].isNull()) {
        // A result the kiosk recorded on the spot (its score in whole points).
        ResultValue v;
        v.outcome = static_cast<ResultOutcome>(row[9].toLongLong());
        if (!row[10].isNull())
            v.total = static_cast<int>(row[10].toLongLong()) * 10;
        t.current = v;
    }
    if (!row[16].isNull())
        t.withdrawnOn = row[17].toString().isEmpty() ? row[16].toString().left(10) : row[17].toString();
    return t;
}

// A withdrawn registration (退考) counts nowhere and takes no result.
QString withdrawnProblem(const Target &t)
{
    return QStringLiteral("准考证号 %1 的报名（%2）已于 %3 退考，不计入统计，不能录入成绩。")
        .arg(t.ticketNumber, t.name, t.withdrawnOn);
}

// Names compare with the middle dot's look-alikes (•, ・, ･, ‧, ., 。) as one,
// and without spaces: 买买提·艾力 is 买买提•艾力.
QString nameKey(const QString &name)
{
    QString out;
    for (const QChar c : toHalfWidth(name)) {
        const char16_t u = c.unicode();
        if (c.isSpace() || u == 0x200B)
            continue;
        if (u == 0x2022 || u == 0x30FB || u == 0xFF65 || u == 0x2027 || u == u'.' || u == 0x3002 || u == 0x2219)
            out += QChar(0x00B7);
        else
            out += c;
    }
    return out;
}

const char *attendanceWords(int attendance)
{
    switch (attendance) {
    case 0: return "未签到";
    case 2: return "缺考";
    case 3: return "免考";
    default: return "已签到";
    }
}

// Why the kiosks' record of the day forbids this outcome; empty when it allows it.
QString attendanceProblem(int attendance, ResultOutcome outcome)
{
    if (outcome == ResultOutcome::Absent) {
        if (attendance == 1)
            return QStringLiteral("考场终端记录该考生已签到参加考试，不能记为“缺考”。如签到有误，请先由监考在终端撤销签到。");
        return {};
    }
    if (attendance != 1)
        return QStringLiteral("考场终端记录该考生%1，没有参加考试，不能记为“%2”。如考生确实参加了考试，请先由监考在终端补签到。")
            .arg(QString::fromUtf8(attendanceWords(attendance)), resultOutcomeName(outcome));
    return {};
}

QVariant tenths(const std::optional<int> &v)
{
    return nullable(v);
}

} // namespace

QString ResultValue::words() const
{
    QStringList scores;
    if (theory)
        scores.append(QStringLiteral("理论 %1").arg(formatScoreTenths(*theory)));
    if (practical)
        scores.append(QStringLiteral("实操 %1").arg(formatScoreTenths(*practical)));
    if (total)
        scores.append(QStringLiteral("总成绩 %1").arg(formatScoreTenths(*total)));
    if (scores.isEmpty())
        return resultOutcomeName(outcome);
    return QStringLiteral("%1（%2）").arg(resultOutcomeName(outcome), scores.join(QStringLiteral("，")));
}

namespace {

// Appends a result_record and points the registration at it: its outcome
// (pass / fail; absent leaves none) is what statistics count from now on.
Status<StoreError> record(SqlConnection &sql, const Target &t, const ResultValue &v, const QString &source,
                          std::optional<Id> batch, const QString &actor, const QString &reason, const QString &at)
{
    const std::optional<ResultValue> &p = t.current;
    auto id = sql.insertReturningId(
        QStringLiteral("INSERT INTO result_record (registration_id, outcome, theory_tenths, practical_tenths,"
                       " total_tenths, source, import_batch_id, actor, reason, recorded_at, previous_outcome,"
                       " previous_theory_tenths, previous_practical_tenths, previous_total_tenths)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        {t.id, static_cast<int>(v.outcome), tenths(v.theory), tenths(v.practical), tenths(v.total), source,
         batch ? QVariant::fromValue<qint64>(*batch) : QVariant(), actor, reason, at,
         p ? QVariant(static_cast<int>(p->outcome)) : QVariant(), p ? tenths(p->theory) : QVariant(),
         p ? tenths(p->practical) : QVariant(), p ? tenths(p->total) : QVariant()});
    if (!id)
        return id.error();
    const QVariant outcome = v.outcome == ResultOutcome::Absent ? QVariant() : QVariant(static_cast<int>(v.outcome));
    // registration.score keeps whole points as the kiosks give them; the
    // office's scores (tenths) are in result_record.
    const QVariant score = v.total && *v.total % 10 == 0 ? QVariant(*v.total / 10) : QVariant();
    auto u = sql.query(QStringLiteral("UPDATE registration SET outcome = ?, score = ? WHERE id = ?"), {outcome, score, t.id});
    if (!u)
        return u.error();
    return {};
}

QString who(const Target &t)
{
    return QStringLiteral("%1（准考证号 %2）").arg(t.name, t.ticketNumber);
}

} // namespace

Result<ResultsSummary, ImportFailure> ResultStore::applyResults(const ResultFile &file, const QString &fileName,
                                                                bool replace, const QString &reason,
                                                                const QString &actor, bool checkOnly)
{
    const auto fail = [](const StoreError &e) { return ImportFailure{{}, e, std::nullopt}; };
    ResultsSummary summary;
    summary.rows = static_cast<int>(file.rows.size());
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return fail(tx.status().error());
    auto seen = m_sql.query(QStringLiteral("SELECT id FROM import_batch WHERE sha256 = ?"), {file.sha256});
    if (!seen)
        return fail(seen.error());
    if (!seen->isEmpty()) {
        summary.alreadyImported = true;
        return summary;
    }

    ProblemCollector problems;
    QHash<Id, int> lineOf; // registration -> the line that named it first
    struct Change
    {
        Target target;
        ResultValue value;
        bool replacing = false;
    };
    QList<Change> changes;
    const QString ticketColumn = file.header(QStringLiteral("准考证号"));
    const QString idColumn = file.header(QStringLiteral("身份证号"));
    const QString nameColumn = file.header(QStringLiteral("姓名"));
    const QString outcomeColumn = file.header(QStringLiteral("考核结果"));
    for (const ResultRow &row : file.rows) {
        const auto add = [&](const QString &column, const QString &message) { problems.add(row.line, column, message); };
        std::optional<Target> target;
        if (!row.ticketNumber.isEmpty()) {
            auto r = m_sql.query(QStringLiteral("SELECT %1 WHERE r.ticket_number = ?").arg(kTargetColumns),
                                 {row.ticketNumber});
            if (!r)
                return fail(r.error());
            if (r->isEmpty()) {
                QString message = QStringLiteral("没有准考证号为 %1 的考生报名，请核对准考证号。").arg(row.ticketNumber);
                if (row.ticketWasNumber)
                    message += QStringLiteral("这一格是数字：如果准考证号以 0 开头，Excel 已把开头的 0 去掉了，"
                                              "请把这一列的单元格格式设为“文本”后重新输入。");
                add(ticketColumn, message);
                continue;
            }
            target = targetFromRow(r->first());
            if (!row.idNumber.isEmpty() && row.idNumber != target->idNumber) {
                add(idColumn, QStringLiteral("身份证号与准考证号 %1 登记的考生（%2）不符，请核对。")
                                  .arg(row.ticketNumber, maskIdNumber(target->idNumber)));
                continue;
            }
        } else {
            // The withdrawn (退考) are not candidates for a result: one who
            // withdrew and registered again is found in the new session.
            auto r = m_sql.query(QStringLiteral("SELECT %1 WHERE c.id_number = ? AND ce.name = ? AND p.level = ?"
                                                " ORDER BY (CASE WHEN r.withdrawn_at IS NULL THEN 0 ELSE 1 END),"
                                                " s.exam_date, s.start_time, r.id")
                                     .arg(kTargetColumns),
                                 {row.idNumber, row.certificate, static_cast<int>(*row.level)});
            if (!r)
                return fail(r.error());
            if (r->isEmpty()) {
                add(idColumn, QStringLiteral("没有找到身份证号 %1 的考生报考“%2”%3，请核对身份证号、证书和等级。")
                                  .arg(maskIdNumber(row.idNumber), row.certificate, levelName(*row.level)));
                continue;
            }
            qsizetype active = 0;
            for (const auto &candidate : r->rows)
                active += candidate[16].isNull() ? 1 : 0;
            if (active > 1) {
                add(idColumn, QStringLiteral("身份证号 %1 的考生报考了 %2 场“%3”%4考试，无法确定是哪一场，请填写准考证号。")
                                  .arg(maskIdNumber(row.idNumber))
                                  .arg(active)
                                  .arg(row.certificate, levelName(*row.level)));
                continue;
            }
            target = targetFromRow(r->first());
        }
        const Target &t = *target;
        if (!t.withdrawnOn.isEmpty()) {
            add(row.ticketNumber.isEmpty() ? idColumn : ticketColumn, withdrawnProblem(t));
            continue;
        }
        bool ok = true;
        if (!row.name.isEmpty() && nameKey(row.name) != nameKey(t.name)) {
            add(nameColumn, row.ticketNumber.isEmpty()
                                ? QStringLiteral("姓名“%1”与身份证号 %2 登记的姓名“%3”不符。")
                                      .arg(row.name, maskIdNumber(t.idNumber), t.name)
                                : QStringLiteral("姓名“%1”与准考证号 %2 登记的考生“%3”（身份证号 %4）不符。")
                                      .arg(row.name, t.ticketNumber, t.name, maskIdNumber(t.idNumber)));
            ok = false;
        }
        if (const int first = lineOf.value(t.id); first > 0) {
            add(row.ticketNumber.isEmpty() ? idColumn : ticketColumn,
                QStringLiteral("与第 %1 行是同一位考生（%2），一位考生只能有一行成绩。").arg(first).arg(who(t)));
            continue;
        }
        lineOf.insert(t.id, row.line);
        if (t.final) {
            add(outcomeColumn, QStringLiteral("%1 所在场次的成绩已确认为最终结果，不能再导入。如需更改，"
                                              "请先在场次页面“重新开放成绩”并说明原因。")
                                   .arg(who(t)));
            continue;
        }
        if (const QString p = attendanceProblem(t.attendance, row.outcome); !p.isEmpty()) {
            add(outcomeColumn, p);
            continue;
        }
        if (!ok)
            continue;
        const ResultValue value{row.outcome, row.theory, row.practical, row.total};
        if (t.current && *t.current == value) {
            ++summary.unchanged;
            continue;
        }
        if (t.current && !replace) {
            add(outcomeColumn, QStringLiteral("%1 已有成绩“%2”，本行是“%3”。如确需更改，请选择“替换已有成绩”并填写原因后重新导入。")
                                   .arg(who(t), t.current->words(), value.words()));
            continue;
        }
        changes.append(Change{t, value, t.current.has_value()});
    }
    if (!problems.isEmpty())
        return ImportFailure{problems.report(), std::nullopt, std::nullopt};
    if (checkOnly)
        return summary; // rolled back: nothing was written

    const QString at = storeTime(m_clock());
    auto batch = m_sql.insertReturningId(
        QStringLiteral("INSERT INTO import_batch (sha256, file_name, imported_at, actor, row_count) VALUES (?, ?, ?, ?, ?)"),
        {file.sha256, fileName, at, actor, summary.rows});
    if (!batch)
        return fail(batch.error());
    for (const Change &c : changes) {
        if (auto s = record(m_sql, c.target, c.value, c.replacing ? QStringLiteral("replacement") : QStringLiteral("import"),
                            *batch, actor, c.replacing ? reason : QString(), at);
            !s)
            return fail(s.error());
        if (c.replacing) {
            ++summary.replaced;
            if (auto s = m_audit.append(actor, QStringLiteral("results.replace"),
                                        QStringLiteral("%1：场次 #%2 %3 的成绩由“%4”改为“%5”，原因：%6")
                                            .arg(fileName)
                                            .arg(c.target.sessionId)
                                            .arg(who(c.target), c.target.current->words(), c.value.words(), reason));
                !s)
                return fail(s.error());
        } else {
            ++summary.recorded;
        }
    }
    if (auto s = m_audit.append(actor, QStringLiteral("results.import"),
                                QStringLiteral("%1：%2 行，新成绩 %3，未变 %4，替换 %5")
                                    .arg(fileName)
                                    .arg(summary.rows)
                                    .arg(summary.recorded)
                                    .arg(summary.unchanged)
                                    .arg(summary.replaced));
        !s)
        return fail(s.error());
    if (auto s = tx.commit(); !s)
        return fail(s.error());
    return summary;
}

Result<bool, StoreError> ResultStore::correct(Id sessionId, Id registrationId, const ResultValue &value,
                                              const QString &reason, const QString &actor)
{
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status().error();
    auto r = m_sql.query(QStringLiteral("SELECT %1 WHERE r.id = ? AND r.session_id = ?").arg(kTargetColumns),
                         {registrationId, sessionId});
    if (!r)
        return r.error();
    if (r->isEmpty())
        return storeError(StoreError::Code::DatabaseMissing,
                          QStringLiteral("场次 #%1 中没有编号为 %2 的报名").arg(sessionId).arg(registrationId));
    const Target t = targetFromRow(r->first());
    if (!t.withdrawnOn.isEmpty())
        return storeError(StoreError::Code::Refused, withdrawnProblem(t));
    if (t.final)
        return storeError(StoreError::Code::Refused,
                          QStringLiteral("本场次成绩已确认为最终结果，不能更正。如需更正，请先“重新开放成绩”并说明原因。"));
    if (const QString p = attendanceProblem(t.attendance, value.outcome); !p.isEmpty())
        return storeError(StoreError::Code::Refused, p);
    if (t.current && *t.current == value)
        return false;
    if (auto s = record(m_sql, t, value, QStringLiteral("correction"), std::nullopt, actor, reason, storeTime(m_clock()));
        !s)
        return s.error();
    if (auto s = m_audit.append(actor, QStringLiteral("results.correct"),
                                QStringLiteral("场次 #%1 %2 的成绩由“%3”更正为“%4”，原因：%5")
                                    .arg(sessionId)
                                    .arg(who(t), t.current ? t.current->words() : QStringLiteral("（无）"), value.words(),
                                         reason));
        !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return true;
}

Result<QList<PendingResult>, StoreError> ResultStore::setFinal(Id sessionId, bool final, const QString &reason,
                                                               const QString &actor)
{
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status().error();
    auto s = m_sql.query(QStringLiteral("SELECT results_final FROM exam_session WHERE id = ?"), {sessionId});
    if (!s)
        return s.error();
    if (s->isEmpty())
        return storeError(StoreError::Code::DatabaseMissing, QStringLiteral("没有编号为 %1 的考试场次").arg(sessionId));
    if ((s->first().first().toLongLong() != 0) == final)
        return QList<PendingResult>(); // already so: nothing to record
    if (final) {
        // Who sat (checked in, late included) and has no pass or fail.
        auto pending = m_sql.query(
            QStringLiteral("SELECT r.id, r.ticket_number, c.name, ro.code, r.seat FROM registration r"
                           " JOIN candidate c ON c.id = r.candidate_id JOIN room ro ON ro.id = r.room_id"
                           " WHERE r.session_id = ? AND r.attendance = 1 AND r.outcome IS NULL"
                           " AND r.withdrawn_at IS NULL"),
            {sessionId});
        if (!pending)
            return pending.error();
        if (!pending->isEmpty()) {
            QList<PendingResult> out;
            for (const auto &row : pending->rows)
                out.append(PendingResult{row[0].toLongLong(), row[1].toString(), row[2].toString(), row[3].toString(),
                                         row[4].toString()});
            std::sort(out.begin(), out.end(), bySeat<PendingResult>);
            return out;
        }
    }
    auto u = m_sql.query(QStringLiteral("UPDATE exam_session SET results_final = ? WHERE id = ?"), {final ? 1 : 0, sessionId});
    if (!u)
        return u.error();
    if (auto a = m_audit.append(actor, final ? QStringLiteral("session.results_final") : QStringLiteral("session.results_reopened"),
                                final ? QStringLiteral("场次 #%1 成绩已确认").arg(sessionId)
                                      : QStringLiteral("场次 #%1 成绩重新开放，原因：%2").arg(sessionId).arg(reason));
        !a)
        return a.error();
    if (auto c = tx.commit(); !c)
        return c.error();
    return QList<PendingResult>();
}

Result<QList<StoredResult>, StoreError> ResultStore::officeResults(Id sessionId)
{
    auto r = m_sql.query(
        QStringLiteral("SELECT r.id, rr.outcome, rr.theory_tenths, rr.practical_tenths, rr.total_tenths, rr.source,"
                       " rr.actor, rr.reason, rr.recorded_at, rr.previous_outcome, rr.previous_theory_tenths,"
                       " rr.previous_practical_tenths, rr.previous_total_tenths,"
                       " (SELECT count(*) FROM result_record h WHERE h.registration_id = r.id)"
                       " FROM registration r JOIN result_record rr"
                       " ON rr.id = (SELECT max(h.id) FROM result_record h WHERE h.registration_id = r.id)"
                       " WHERE r.session_id = ? ORDER BY r.id"),
        {sessionId});
    if (!r)
        return r.error();
    QList<StoredResult> out;
    for (const auto &row : r->rows) {
        StoredResult s;
        s.registrationId = row[0].toLongLong();
        s.value = {static_cast<ResultOutcome>(row[1].toLongLong()), optionalInt(row[2]), optionalInt(row[3]),
                   optionalInt(row[4])};
        s.source = row[5].toString();
        s.actor = row[6].toString();
        s.reason = row[7].toString();
        s.recordedAt = parseStoreTime(row[8].toString());
        if (!row[9].isNull())
            s.previous = ResultValue{static_cast<ResultOutcome>(row[9].toLongLong()), optionalInt(row[10]),
                                     optionalInt(row[11]), optionalInt(row[12])};
        s.versions = static_cast<int>(row[13].toLongLong());
        out.append(std::move(s));
    }
    return out;
}

} // namespace kaodian::server
