#include "store/reportstore.h"

#include "store/storeutil.h"

#include "core/examzone.h"

namespace kaodian::server {

namespace {

const QString kPilotSelect = QStringLiteral(
    "SELECT p.id, ce.name, p.level, co.name, p.college_id, p.active, p.withdrawn_at, p.start_date"
    " FROM pilot p JOIN certificate ce ON ce.id = p.certificate_id JOIN college co ON co.id = p.college_id");

ReportPilot pilotOf(const QVariantList &row)
{
    ReportPilot p;
    p.id = row[0].toLongLong();
    p.name = pilotWords(row[1].toString(), static_cast<int>(row[2].toLongLong()), row[3].toString());
    p.collegeId = row[4].toLongLong();
    p.withdrawn = !row[6].isNull();
    p.active = row[5].toLongLong() != 0 && !p.withdrawn;
    p.startDate = QDate::fromString(row[7].toString(), Qt::ISODate);
    return p;
}

QString iso(const QDate &d)
{
    return d.toString(Qt::ISODate);
}

const QString kReportSelect = QStringLiteral(
    "SELECT w.id, w.pilot_id, ce.name, p.level, co.name, p.college_id, w.week_monday, w.body, w.submitted_at,"
    " w.submitted_by, w.attachment_name, w.attachment_type, length(w.attachment),"
    " (SELECT min(f.id) FROM weekly_report f WHERE f.pilot_id = w.pilot_id AND f.week_monday = w.week_monday"
    "   AND f.submitted_at = (SELECT min(g.submitted_at) FROM weekly_report g"
    "     WHERE g.pilot_id = w.pilot_id AND g.week_monday = w.week_monday))"
    " FROM weekly_report w JOIN pilot p ON p.id = w.pilot_id JOIN certificate ce ON ce.id = p.certificate_id"
    " JOIN college co ON co.id = p.college_id");

WeeklyReportRow reportOf(const QVariantList &row)
{
    WeeklyReportRow r;
    r.id = row[0].toLongLong();
    r.pilotId = row[1].toLongLong();
    r.pilotName = pilotWords(row[2].toString(), static_cast<int>(row[3].toLongLong()), row[4].toString());
    r.collegeId = row[5].toLongLong();
    r.week = QDate::fromString(row[6].toString(), Qt::ISODate);
    r.body = row[7].toString();
    r.submittedAt = parseStoreTime(row[8].toString());
    r.submittedBy = row[9].toString();
    r.attachmentName = row[10].toString();
    r.attachmentType = row[11].toString();
    r.attachmentBytes = row[12].toLongLong();
    r.first = row[13].toLongLong() == r.id;
    r.onTime = reportOnTime(r.week, r.submittedAt);
    return r;
}

} // namespace

QString pilotWords(const QString &certificate, int level, const QString &college)
{
    return QStringLiteral("%1 %2（%3）").arg(certificate, levelName(static_cast<CertificateLevel>(level)), college);
}

Result<QList<ReportPilot>, StoreError> ReportStore::pilots(std::optional<Id> collegeId)
{
    auto r = collegeId ? m_sql.query(kPilotSelect + QStringLiteral(" WHERE p.college_id = ? ORDER BY co.name, ce.name, p.level"),
                                     {*collegeId})
                       : m_sql.query(kPilotSelect + QStringLiteral(" ORDER BY co.name, ce.name, p.level"));
    if (!r)
        return r.error();
    QList<ReportPilot> out;
    for (const auto &row : r->rows)
        out.push_back(pilotOf(row));
    return out;
}

Result<std::optional<ReportPilot>, StoreError> ReportStore::pilot(Id pilotId)
{
    auto r = m_sql.query(kPilotSelect + QStringLiteral(" WHERE p.id = ?"), {pilotId});
    if (!r)
        return r.error();
    if (r->isEmpty())
        return std::optional<ReportPilot>();
    return std::optional<ReportPilot>(pilotOf(r->first()));
}

Result<ReportSubmitted, StoreError> ReportStore::submit(Id pilotId, const QDate &week, const QString &body,
                                                        const std::optional<StoredAttachment> &attachment,
                                                        const QString &actor)
{
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status().error();
    // The pilot's row first: two submissions for it queue here, so a retry
    // racing its original finds it stored.
    auto locked = m_sql.query(QStringLiteral("UPDATE pilot SET level = level WHERE id = ?"), {pilotId});
    if (!locked)
        return locked.error();
    if (locked->affected == 0)
        return storeError(StoreError::Code::DatabaseMissing, QStringLiteral("没有这个试点"));
    const QString monday = iso(week);
    auto earlier = m_sql.query(QStringLiteral("SELECT id, submitted_at, submitted_by, body, attachment_sha256"
                                              " FROM weekly_report WHERE pilot_id = ? AND week_monday = ?"
                                              " ORDER BY submitted_at, id"),
                               {pilotId, monday});
    if (!earlier)
        return earlier.error();
    const QString sha = attachment ? attachment->sha256 : QString();
    ReportSubmitted out;
    if (!earlier->isEmpty()) {
        const auto &firstRow = earlier->first();
        // This user's last submission, if it is this one again: a retry.
        for (auto it = earlier->rows.crbegin(); it != earlier->rows.crend(); ++it) {
            if ((*it)[2].toString() != actor)
                continue;
            if ((*it)[3].toString() == body && (*it)[4].toString() == sha) {
                out.id = (*it)[0].toLongLong();
                out.first = out.id == firstRow[0].toLongLong();
                out.onTime = reportOnTime(week, parseStoreTime((*it)[1].toString()));
                out.repeated = true;
                return out;
            }
            break;
        }
    }
    const QDateTime at = m_clock();
    auto id = m_sql.insertReturningId(
        QStringLiteral("INSERT INTO weekly_report (pilot_id, week_monday, body, submitted_at, submitted_by,"
                       " attachment_name, attachment_type, attachment_sha256, attachment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        {pilotId, monday, body, storeTime(at), actor, attachment ? QVariant(attachment->name) : QVariant(),
         attachment ? QVariant(attachment->type) : QVariant(), attachment ? QVariant(sha) : QVariant(),
         attachment ? QVariant(attachment->bytes) : QVariant()});
    if (!id)
        return id.error();
    out.id = *id;
    out.first = earlier->isEmpty();
    out.onTime = reportOnTime(week, at);
    const QString when = out.first ? (out.onTime ? QStringLiteral("按时") : QStringLiteral("逾期"))
                                   : QStringLiteral("补充");
    QString detail = QStringLiteral("试点 #%1 %2 至 %3 周报（%4，报告 #%5）")
                         .arg(pilotId)
                         .arg(monday, iso(week.addDays(6)), when)
                         .arg(*id);
    if (attachment)
        detail += QStringLiteral("，附件「%1」%2 字节 SHA-256 %3").arg(attachment->name).arg(attachment->bytes.size()).arg(sha);
    if (auto s = m_audit.append(actor, QStringLiteral("report.submit"), detail); !s)
        return s.error();
    if (auto c = tx.commit(); !c)
        return c.error();
    return out;
}

Result<QList<WeeklyReportRow>, StoreError> ReportStore::reports(const QDate &from, const QDate &to,
                                                                std::optional<Id> collegeId)
{
    QString sql = kReportSelect + QStringLiteral(" WHERE w.week_monday >= ? AND w.week_monday <= ?");
    QVariantList params{iso(from), iso(to)};
    if (collegeId) {
        sql += QStringLiteral(" AND p.college_id = ?");
        params.push_back(*collegeId);
    }
    sql += QStringLiteral(" ORDER BY w.pilot_id, w.week_monday, w.submitted_at, w.id");
    auto r = m_sql.query(sql, params);
    if (!r)
        return r.error();
    QList<WeeklyReportRow> out;
    for (const auto &row : r->rows)
        out.push_back(reportOf(row));
    return out;
}

Result<std::optional<std::pair<WeeklyReportRow, StoredAttachment>>, StoreError> ReportStore::attachment(Id reportId)
{
    using Found = std::optional<std::pair<WeeklyReportRow, StoredAttachment>>;
    auto r = m_sql.query(kReportSelect + QStringLiteral(" WHERE w.id = ? AND w.attachment IS NOT NULL"), {reportId});
    if (!r)
        return r.error();
    if (r->isEmpty())
        return Found();
    auto bytes = m_sql.query(QStringLiteral("SELECT attachment, attachment_sha256 FROM weekly_report WHERE id = ?"),
                             {reportId});
    if (!bytes)
        return bytes.error();
    if (bytes->isEmpty())
        return Found();
    WeeklyReportRow row = reportOf(r->first());
    StoredAttachment a{row.attachmentName, row.attachmentType, bytes->first()[1].toString(),
                       bytes->first()[0].toByteArray()};
    return Found(std::make_pair(row, a));
}

Result<QList<PilotReports>, StoreError> ReportStore::pilotReports(std::optional<Id> collegeId)
{
    auto pilotList = pilots(collegeId);
    if (!pilotList)
        return pilotList.error();
    QString sql = QStringLiteral("SELECT w.pilot_id, w.week_monday, min(w.submitted_at) FROM weekly_report w");
    QVariantList params;
    if (collegeId) {
        sql += QStringLiteral(" JOIN pilot p ON p.id = w.pilot_id WHERE p.college_id = ?");
        params.push_back(*collegeId);
    }
    sql += QStringLiteral(" GROUP BY w.pilot_id, w.week_monday");
    auto r = m_sql.query(sql, params);
    if (!r)
        return r.error();
    QHash<Id, QHash<QDate, QDateTime>> firsts;
    for (const auto &row : r->rows)
        firsts[row[0].toLongLong()].insert(QDate::fromString(row[1].toString(), Qt::ISODate),
                                           parseStoreTime(row[2].toString()));
    QList<PilotReports> out;
    for (const auto &p : *pilotList) {
        PilotReports pr;
        pr.pilotId = p.id;
        pr.pilotName = p.name;
        pr.active = p.active;
        pr.startDate = p.startDate;
        pr.submittedAt = firsts.value(p.id);
        out.push_back(pr);
    }
    return out;
}

Result<QList<ReportExemption>, StoreError> ReportStore::exemptions()
{
    auto r = m_sql.query(QStringLiteral("SELECT week_monday, reason, recorded_by, recorded_at FROM report_exemption"
                                        " ORDER BY week_monday"));
    if (!r)
        return r.error();
    QList<ReportExemption> out;
    for (const auto &row : r->rows)
        out.push_back({QDate::fromString(row[0].toString(), Qt::ISODate), row[1].toString(), row[2].toString(),
                       parseStoreTime(row[3].toString())});
    return out;
}

Result<QSet<QDate>, StoreError> ReportStore::exemptWeeks()
{
    auto r = m_sql.query(QStringLiteral("SELECT week_monday FROM report_exemption"));
    if (!r)
        return r.error();
    QSet<QDate> out;
    for (const auto &row : r->rows)
        out.insert(QDate::fromString(row[0].toString(), Qt::ISODate));
    return out;
}

Result<bool, StoreError> ReportStore::setExemption(const QDate &week, const QString &reason, const QString &actor)
{
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status().error();
    const QString monday = iso(week);
    const QDateTime at = m_clock();
    // The update first: on PostgreSQL it takes the row, so two at once queue.
    auto updated = m_sql.query(QStringLiteral("UPDATE report_exemption SET reason = ?, recorded_by = ?, recorded_at = ?"
                                              " WHERE week_monday = ? AND reason <> ?"),
                               {reason, actor, storeTime(at), monday, reason});
    if (!updated)
        return updated.error();
    QString detail;
    if (updated->affected > 0) {
        detail = QStringLiteral("%1 至 %2 免报周报，原因改为：%3").arg(monday, iso(week.addDays(6)), reason);
    } else {
        auto inserted = m_sql.query(QStringLiteral("{INSERT_IGNORE} INTO report_exemption (week_monday, reason, recorded_by,"
                                                   " recorded_at) VALUES (?, ?, ?, ?) {ON_CONFLICT_IGNORE}"),
                                    {monday, reason, actor, storeTime(at)});
        if (!inserted)
            return inserted.error();
        if (inserted->affected == 0)
            return false; // already exempt, for this reason
        detail = QStringLiteral("%1 至 %2 免报周报：%3").arg(monday, iso(week.addDays(6)), reason);
    }
    if (auto s = m_audit.append(actor, QStringLiteral("report.exemption.set"), detail); !s)
        return s.error();
    if (auto c = tx.commit(); !c)
        return c.error();
    return true;
}

Result<bool, StoreError> ReportStore::removeExemption(const QDate &week, const QString &actor)
{
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status().error();
    const QString monday = iso(week);
    auto old = m_sql.query(QStringLiteral("SELECT reason FROM report_exemption WHERE week_monday = ?"), {monday});
    if (!old)
        return old.error();
    auto removed = m_sql.query(QStringLiteral("DELETE FROM report_exemption WHERE week_monday = ?"), {monday});
    if (!removed)
        return removed.error();
    if (removed->affected == 0)
        return false;
    if (auto s = m_audit.append(actor, QStringLiteral("report.exemption.remove"),
                                QStringLiteral("%1 至 %2 不再免报周报（原为：%3）")
                                    .arg(monday, iso(week.addDays(6)),
                                         old->isEmpty() ? QString() : old->first().first().toString()));
        !s)
        return s.error();
    if (auto c = tx.commit(); !c)
        return c.error();
    return true;
}

} // namespace kaodian::server
