#include "store/rosterstore.h"
#include "store/storeutil.h"

#include <QHash>

namespace kaodian::server {

namespace {

// Finds rows by natural key, creating them when missing, with a cache so a
// file of thousands of rows asks the database once per distinct name.
class Resolver
{
public:
    explicit Resolver(SqlConnection &sql) : m_sql(sql) {}

    // SELECT id by key; INSERT when absent.
    Result<Id, StoreError> getOrCreate(const QString &cacheKey, const QString &select, const QVariantList &keyParams,
                                       const QString &insert, const QVariantList &insertParams, bool *created = nullptr)
    {
        if (auto it = m_cache.constFind(cacheKey); it != m_cache.constEnd())
            return *it;
        auto found = m_sql.query(select, keyParams);
        if (!found)
            return found.error();
        Id id = 0;
        if (!found->isEmpty()) {
            id = found->first().first().toLongLong();
        } else {
            auto inserted = m_sql.insertReturningId(insert, insertParams);
            if (!inserted)
                return inserted.error();
            id = *inserted;
            if (created)
                *created = true;
        }
        m_cache.insert(cacheKey, id);
        return id;
    }

private:
    SqlConnection &m_sql;
    QHash<QString, Id> m_cache;
};

ImportFailure storeFailure(const StoreError &e)
{
    return ImportFailure{{}, e};
}

// Where a row belongs: its college's major, the pilot (and its major),
// the site's room and the session, each found by name or created.
struct RowPlace
{
    Id major = 0, room = 0, session = 0;
    bool sessionCreated = false;
};

Result<RowPlace, StoreError> resolvePlace(SqlConnection &sql, Resolver &resolve, const RosterRow &row)
{
    auto college = resolve.getOrCreate(QStringLiteral("college|") + row.college,
                                       QStringLiteral("SELECT id FROM college WHERE name = ?"), {row.college},
                                       QStringLiteral("INSERT INTO college (name) VALUES (?)"), {row.college});
    if (!college)
        return college.error();
    auto major = resolve.getOrCreate(QStringLiteral("major|%1|%2").arg(*college).arg(row.major),
                                     QStringLiteral("SELECT id FROM major WHERE college_id = ? AND name = ?"),
                                     {*college, row.major},
                                     QStringLiteral("INSERT INTO major (college_id, name) VALUES (?, ?)"),
                                     {*college, row.major});
    if (!major)
        return major.error();
    auto certificate = resolve.getOrCreate(
        QStringLiteral("cert|") + row.certificate, QStringLiteral("SELECT id FROM certificate WHERE name = ?"),
        {row.certificate}, QStringLiteral("INSERT INTO certificate (name, training_org) VALUES (?, ?)"),
        {row.certificate, row.trainingOrganisation});
    if (!certificate)
        return certificate.error();
    const int level = static_cast<int>(row.level);
    auto pilot = resolve.getOrCreate(
        QStringLiteral("pilot|%1|%2|%3").arg(*college).arg(*certificate).arg(level),
        QStringLiteral("SELECT id FROM pilot WHERE college_id = ? AND certificate_id = ? AND level = ?"),
        {*college, *certificate, level},
        QStringLiteral("INSERT INTO pilot (college_id, certificate_id, level) VALUES (?, ?, ?)"),
        {*college, *certificate, level});
    if (!pilot)
        return pilot.error();
    if (auto r = sql.query(QStringLiteral("{INSERT_IGNORE} INTO pilot_major (pilot_id, major_id) VALUES (?, ?)"
                                          " {ON_CONFLICT_IGNORE}"),
                           {*pilot, *major});
        !r)
        return r.error();
    auto site = resolve.getOrCreate(QStringLiteral("site|") + row.site,
                                    QStringLiteral("SELECT id FROM site WHERE name = ?"), {row.site},
                                    QStringLiteral("INSERT INTO site (name) VALUES (?)"), {row.site});
    if (!site)
        return site.error();
    auto room = resolve.getOrCreate(QStringLiteral("room|%1|%2").arg(*site).arg(row.room),
                                    QStringLiteral("SELECT id FROM room WHERE site_id = ? AND code = ?"),
                                    {*site, row.room},
                                    QStringLiteral("INSERT INTO room (site_id, code) VALUES (?, ?)"),
                                    {*site, row.room});
    if (!room)
        return room.error();
    const QString date = row.examDate.toString(Qt::ISODate);
    const QString start = row.startTime.toString(QStringLiteral("HH:mm"));
    const QString end = row.endTime.isValid() ? row.endTime.toString(QStringLiteral("HH:mm")) : QString();
    bool sessionCreated = false;
    auto session = resolve.getOrCreate(
        QStringLiteral("session|%1|%2|%3|%4").arg(*pilot).arg(*site).arg(date, start),
        QStringLiteral("SELECT id FROM exam_session WHERE pilot_id = ? AND site_id = ? AND exam_date = ?"
                       " AND start_time = ?"),
        {*pilot, *site, date, start},
        QStringLiteral("INSERT INTO exam_session (pilot_id, site_id, exam_date, start_time, end_time)"
                       " VALUES (?, ?, ?, ?, ?)"),
        {*pilot, *site, date, start, end}, &sessionCreated);
    if (!session)
        return session.error();
    return RowPlace{*major, *room, *session, sessionCreated};
}

} // namespace

Result<ImportSummary, ImportFailure> RosterStore::applyRoster(const RosterFile &file, const QString &fileName,
                                                              const QString &actor)
{
    SqlConnection &sql = m_sql;
    ImportSummary summary;
    summary.rows = static_cast<int>(file.rows.size());
    SqlTransaction tx(sql);
    if (!tx.status())
        return storeFailure(tx.status().error());
    auto seen = sql.query(QStringLiteral("SELECT imported_at FROM import_batch WHERE sha256 = ?"), {file.sha256});
    if (!seen)
        return storeFailure(seen.error());
    if (!seen->isEmpty()) {
        summary.alreadyImported = true;
        return summary; // nothing to do; the transaction rolls back empty
    }

    Resolver resolve(sql);
    ProblemCollector problems;
    for (const RosterRow &row : file.rows) {
        auto fail = [&](const QString &column, const QString &message) { problems.add(row.line, column, message); };
        auto place = resolvePlace(sql, resolve, row);
        if (!place)
            return storeFailure(place.error());
        const Id major = place->major, room = place->room, session = place->session;
        summary.newSessions += place->sessionCreated ? 1 : 0;

        // The candidate, by ID-card number; a stored one must agree.
        Id candidate = 0;
        auto existing = sql.query(QStringLiteral("SELECT id, name, student_number FROM candidate WHERE id_number = ?"),
                                  {row.idNumber});
        if (!existing)
            return storeFailure(existing.error());
        if (!existing->isEmpty()) {
            const auto &c = existing->first();
            candidate = c[0].toLongLong();
            if (c[1].toString() != row.name) {
                fail(QStringLiteral("姓名"), QStringLiteral("身份证号 %1 已登记为“%2”，与本行“%3”不符")
                                                 .arg(maskIdNumber(row.idNumber), c[1].toString(), row.name));
                continue;
            }
            if (c[2].toString() != row.studentNumber) {
                fail(QStringLiteral("学号"), QStringLiteral("该考生已登记学号 %1，与本行 %2 不符")
                                                 .arg(c[2].toString(), row.studentNumber));
                continue;
            }
        } else {
            auto inserted = sql.insertReturningId(
                QStringLiteral("INSERT INTO candidate (id_number, name, student_number, major_id, class_name)"
                               " VALUES (?, ?, ?, ?, ?)"),
                {row.idNumber, row.name, row.studentNumber, major, row.className});
            if (!inserted)
                return storeFailure(inserted.error());
            candidate = *inserted;
            ++summary.newCandidates;
        }

        // The registration, by ticket number; a stored one must be the same.
        auto reg = sql.query(QStringLiteral("SELECT session_id, candidate_id, room_id, seat FROM registration"
                                            " WHERE ticket_number = ?"),
                             {row.ticketNumber});
        if (!reg)
            return storeFailure(reg.error());
        if (!reg->isEmpty()) {
            const auto &r = reg->first();
            if (r[0].toLongLong() != session || r[1].toLongLong() != candidate || r[2].toLongLong() != room
                || r[3].toString() != row.seat) {
                fail(QStringLiteral("准考证号"),
                     QStringLiteral("准考证号 %1 已用于另一场次、考生或座位，不能重复使用").arg(row.ticketNumber));
                continue;
            }
            ++summary.unchangedRegistrations;
            continue;
        }
        auto clash = sql.query(QStringLiteral("SELECT ticket_number FROM registration WHERE session_id = ? AND"
                                              " (candidate_id = ? OR (room_id = ? AND seat = ?))"),
                               {session, candidate, room, row.seat});
        if (!clash)
            return storeFailure(clash.error());
        if (!clash->isEmpty()) {
            fail(QStringLiteral("座位号"), QStringLiteral("该场次已有准考证 %1 占用此考生或此座位")
                                               .arg(clash->first().first().toString()));
            continue;
        }
        auto inserted = sql.insertReturningId(
            QStringLiteral("INSERT INTO registration (session_id, candidate_id, ticket_number, room_id, seat)"
                           " VALUES (?, ?, ?, ?, ?)"),
            {session, candidate, row.ticketNumber, room, row.seat});
        if (!inserted)
            return storeFailure(inserted.error());
        ++summary.newRegistrations;
    }
    if (!problems.isEmpty())
        return ImportFailure{problems.report(), std::nullopt}; // rolled back whole

    if (auto r = sql.query(QStringLiteral("INSERT INTO import_batch (sha256, file_name, imported_at, actor, row_count)"
                                          " VALUES (?, ?, ?, ?, ?)"),
                           {file.sha256, fileName, storeTime(m_clock()), actor,
                            summary.rows});
        !r)
        return storeFailure(r.error());
    if (auto s = m_audit.append(actor, QStringLiteral("roster.import"),
                             QStringLiteral("%1：%2 行，新考生 %3，新报名 %4，未变 %5，新场次 %6")
                                 .arg(fileName)
                                 .arg(summary.rows)
                                 .arg(summary.newCandidates)
                                 .arg(summary.newRegistrations)
                                 .arg(summary.unchangedRegistrations)
                                 .arg(summary.newSessions));
        !s)
        return storeFailure(s.error());
    if (auto s = tx.commit(); !s)
        return storeFailure(s.error());
    return summary;
}

} // namespace kaodian::server
