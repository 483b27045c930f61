#include "store/accountstore.h"

#include "store/storeutil.h"

namespace kaodian::server {

namespace {

UserRecord userFromRow(const QVariantList &r)
{
    UserRecord u;
    u.id = r[0].toLongLong();
    u.username = r[1].toString();
    u.passwordHash = r[2].toString();
    u.role = roleFromKey(r[3].toString()).value_or(Role::CollegeViewer);
    if (!r[4].isNull())
        u.collegeId = r[4].toLongLong();
    u.failedLogins = static_cast<int>(r[5].toLongLong());
    if (!r[6].isNull())
        u.lockedUntil = parseStoreTime(r[6].toString());
    u.disabled = r[7].toLongLong() != 0;
    return u;
}

const QString kUserColumns = QStringLiteral(
    "id, username, password_hash, role, college_id, failed_logins, locked_until, disabled");

} // namespace

QString roleKey(Role role)
{
    switch (role) {
    case Role::Admin: return QStringLiteral("admin");
    case Role::CollegeViewer: return QStringLiteral("college");
    case Role::Academic: return QStringLiteral("academic");
    case Role::Hr: return QStringLiteral("hr");
    }
    return {};
}

QString roleName(Role role)
{
    switch (role) {
    case Role::Admin: return QStringLiteral("继续教育学院");
    case Role::CollegeViewer: return QStringLiteral("二级学院");
    case Role::Academic: return QStringLiteral("教务处");
    case Role::Hr: return QStringLiteral("人事处");
    }
    return {};
}

std::optional<Role> roleFromKey(const QString &key)
{
    for (Role r : {Role::Admin, Role::CollegeViewer, Role::Academic, Role::Hr}) {
        if (key == roleKey(r))
            return r;
    }
    return std::nullopt;
}

Result<Id, StoreError> AccountStore::addUser(const QString &username, const QString &passwordHash, Role role,
                                            std::optional<Id> collegeId, const QString &actor)
{
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status().error();
    auto existing = m_sql.query(QStringLiteral("SELECT id FROM app_user WHERE username = ?"), {username});
    if (!existing)
        return existing.error();
    if (!existing->isEmpty())
        return storeError(StoreError::Code::AlreadyExists, QStringLiteral("用户名 %1 已存在").arg(username));
    auto id = m_sql.insertReturningId(
        QStringLiteral("INSERT INTO app_user (username, password_hash, role, college_id, created_at)"
                       " VALUES (?, ?, ?, ?, ?)"),
        {username, passwordHash, roleKey(role), collegeId ? QVariant::fromValue<qint64>(*collegeId) : QVariant(),
         storeTime(m_clock())});
    if (!id)
        return id.error();
    if (auto s = m_audit.append(actor, QStringLiteral("user.create"),
                       QStringLiteral("%1 (%2)").arg(username, roleKey(role)));
        !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return *id;
}

Result<std::optional<UserRecord>, StoreError> AccountStore::userByName(const QString &username)
{
    auto r = m_sql.query(QStringLiteral("SELECT %1 FROM app_user WHERE username = ?").arg(kUserColumns),
                          {username});
    if (!r)
        return r.error();
    if (r->isEmpty())
        return std::optional<UserRecord>();
    return std::optional<UserRecord>(userFromRow(r->first()));
}

Result<std::optional<UserRecord>, StoreError> AccountStore::userById(Id id)
{
    auto r = m_sql.query(QStringLiteral("SELECT %1 FROM app_user WHERE id = ?").arg(kUserColumns), {id});
    if (!r)
        return r.error();
    if (r->isEmpty())
        return std::optional<UserRecord>();
    return std::optional<UserRecord>(userFromRow(r->first()));
}

Result<QList<UserRecord>, StoreError> AccountStore::users()
{
    auto r = m_sql.query(QStringLiteral("SELECT %1 FROM app_user ORDER BY id").arg(kUserColumns));
    if (!r)
        return r.error();
    QList<UserRecord> out;
    for (const auto &row : r->rows)
        out.push_back(userFromRow(row));
    return out;
}

Result<LoginAttempt, StoreError> AccountStore::beginLoginAttempt(const QString &address, std::optional<Id> userId,
                                                                 const LoginLimits &limits, const QDateTime &now)
{
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status().error();
    if (m_sql.dialect() == Dialect::Postgres) {
        // One address's attempts one at a time across processes: under READ
        // COMMITTED two transactions would not see each other's new rows.
        if (auto r = m_sql.query(QStringLiteral("SELECT pg_advisory_xact_lock(hashtext(?))"), {address}); !r)
            return r.error();
    }
    if (auto r = m_sql.query(QStringLiteral("DELETE FROM login_attempt WHERE at < ?"), {storeTime(now.addSecs(-60))});
        !r)
        return r.error();
    auto recent = m_sql.query(QStringLiteral("SELECT count(*) FROM login_attempt WHERE address = ?"), {address});
    if (!recent)
        return recent.error();
    LoginAttempt out;
    if (recent->first().first().toLongLong() >= limits.failedLoginsPerAddressPerMinute) {
        out.gate = LoginAttempt::Gate::AddressThrottled;
        if (auto s = tx.commit(); !s)
            return s.error();
        return out;
    }
    auto id = m_sql.insertReturningId(QStringLiteral("INSERT INTO login_attempt (address, at) VALUES (?, ?)"),
                                      {address, storeTime(now)});
    if (!id)
        return id.error();
    out.attemptId = *id;
    if (userId) {
        // The row is locked by this UPDATE until commit (PostgreSQL), or the
        // whole store is (SQLite's write transaction): attempts on one
        // account are counted one at a time. A lock that has run out starts
        // the count again.
        if (auto r = m_sql.query(QStringLiteral("UPDATE app_user SET failed_logins = CASE WHEN locked_until IS NOT NULL"
                                                 " AND locked_until <= ? THEN 1 ELSE failed_logins + 1 END,"
                                                 " locked_until = CASE WHEN locked_until <= ? THEN NULL"
                                                 " ELSE locked_until END WHERE id = ?"),
                                  {storeTime(now), storeTime(now), *userId});
            !r)
            return r.error();
        auto row = m_sql.query(QStringLiteral("SELECT failed_logins, locked_until FROM app_user WHERE id = ?"),
                               {*userId});
        if (!row)
            return row.error();
        if (!row->isEmpty()) {
            out.accountAttempt = static_cast<int>(row->first().at(0).toLongLong());
            const QVariant locked = row->first().at(1);
            if (!locked.isNull()) {
                out.gate = LoginAttempt::Gate::AccountLocked;
                out.lockedUntil = parseStoreTime(locked.toString());
            } else if (out.accountAttempt > limits.maxFailedLogins) {
                // Guesses in flight beyond the limit: the one that reaches
                // it locks; these are refused unchecked.
                out.gate = LoginAttempt::Gate::AccountLocked;
                out.lockedUntil = now.addSecs(60LL * limits.lockoutMinutes);
            }
        }
    }
    // A refusal for a locked account checks no password: it does not count
    // against the address.
    if (out.gate == LoginAttempt::Gate::AccountLocked) {
        if (auto r = m_sql.query(QStringLiteral("DELETE FROM login_attempt WHERE id = ?"), {out.attemptId}); !r)
            return r.error();
        out.attemptId = 0;
    }
    if (auto s = tx.commit(); !s)
        return s.error();
    return out;
}

Status<StoreError> AccountStore::loginSucceeded(Id userId, Id attemptId)
{
    SqlTransaction tx(m_sql);
    if (!tx.status())
        return tx.status().error();
    if (auto r = m_sql.query(QStringLiteral("UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = ?"),
                              {userId});
        !r)
        return r.error();
    if (auto r = m_sql.query(QStringLiteral("DELETE FROM login_attempt WHERE id = ?"), {attemptId}); !r)
        return r.error();
    return tx.commit();
}

Result<bool, StoreError> AccountStore::loginFailed(Id userId, int accountAttempt, const LoginLimits &limits,
                                                   const QDateTime &now)
{
    if (accountAttempt < limits.maxFailedLogins)
        return false;
    auto r = m_sql.query(QStringLiteral("UPDATE app_user SET locked_until = ? WHERE id = ? AND locked_until IS NULL"),
                         {storeTime(now.addSecs(60LL * limits.lockoutMinutes)), userId});
    if (!r)
        return r.error();
    return true;
}

Status<StoreError> AccountStore::createWebSession(const QString &tokenHash, Id userId, const QString &csrfToken,
                                                 const QDateTime &nowTime, const QDateTime &expiresAt)
{
    const QString now = storeTime(nowTime);
    // Expired sessions go as new ones come.
    if (auto r = m_sql.query(QStringLiteral("DELETE FROM web_session WHERE expires_at < ?"), {now}); !r)
        return r.error();
    auto r = m_sql.query(QStringLiteral("INSERT INTO web_session (token_hash, user_id, csrf_token, created_at,"
                                         " expires_at) VALUES (?, ?, ?, ?, ?)"),
                          {tokenHash, userId, csrfToken, now, storeTime(expiresAt)});
    if (!r)
        return r.error();
    return {};
}

Result<std::optional<WebSession>, StoreError> AccountStore::webSession(const QString &tokenHash, const QDateTime &now)
{
    auto r = m_sql.query(QStringLiteral("SELECT user_id, csrf_token, expires_at FROM web_session WHERE token_hash = ?"),
                          {tokenHash});
    if (!r)
        return r.error();
    if (r->isEmpty())
        return std::optional<WebSession>();
    const auto &row = r->first();
    WebSession w{row[0].toLongLong(), row[1].toString(), parseStoreTime(row[2].toString())};
    if (w.expiresAt < now)
        return std::optional<WebSession>();
    return std::optional<WebSession>(w);
}

Status<StoreError> AccountStore::deleteWebSession(const QString &tokenHash)
{
    auto r = m_sql.query(QStringLiteral("DELETE FROM web_session WHERE token_hash = ?"), {tokenHash});
    if (!r)
        return r.error();
    return {};
}

} // namespace kaodian::server
