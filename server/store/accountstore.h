#pragma once

// People: accounts with their role and scope, login failures and lockout,
// and the web sessions of those logged in (the cookie holds the token; the
// store only its hash, so a copy of the database logs nobody in).
//
// Thread-safety: as its SqlConnection (one thread at a time).

#include "store/auditlog.h"

#include <optional>

namespace kaodian::server {

// People's roles: the exam office (继续教育学院, everything), a college's
// viewer (二级学院, its own college), 教务处 (Academic: pilots, majors, sites,
// certificates and cases; reads every college) and 人事处 (Hr: teachers and
// their qualifications only). Which routes each may call: api/routes.h.
enum class Role : std::uint8_t { Admin, CollegeViewer, Academic, Hr };
QString roleKey(Role role); // "admin" / "college" / "academic" / "hr"
// The role in words: 继续教育学院, 二级学院, 教务处, 人事处.
QString roleName(Role role);
std::optional<Role> roleFromKey(const QString &key);

struct UserRecord
{
    Id id = 0;
    QString username;
    QString passwordHash;
    Role role = Role::CollegeViewer;
    std::optional<Id> collegeId;
    int failedLogins = 0;
    QDateTime lockedUntil;
    bool disabled = false;
};

// A logged-in person's session.
struct WebSession
{
    Id userId = 0;
    QString csrfToken;
    QDateTime expiresAt;
};

// How many wrong passwords an account and an address may try.
struct LoginLimits
{
    int maxFailedLogins = 5;             // then the account is locked
    int lockoutMinutes = 15;
    int failedLoginsPerAddressPerMinute = 20; // then the address waits
};

// What the store says before a password is checked.
struct LoginAttempt
{
    enum class Gate : std::uint8_t { Open, AddressThrottled, AccountLocked };
    Gate gate = Gate::Open;
    Id attemptId = 0;      // the address's attempt row (Open only: a locked refusal is not counted)
    int accountAttempt = 0; // this account's attempt number since its last success
    QDateTime lockedUntil; // AccountLocked
};

class AccountStore
{
public:
    AccountStore(SqlConnection &sql, AuditLog &audit, const Clock &clock) : m_sql(sql), m_audit(audit), m_clock(clock) {}

    Result<Id, StoreError> addUser(const QString &username, const QString &passwordHash, Role role,
                                   std::optional<Id> collegeId, const QString &actor);
    Result<std::optional<UserRecord>, StoreError> userByName(const QString &username);
    Result<std::optional<UserRecord>, StoreError> userById(Id id);
    Result<QList<UserRecord>, StoreError> users();

    // Counts a login attempt in the store before its password is checked,
    // in one write transaction: the address's attempts of the last minute
    // (shared by every server process over this store) and, for a known
    // account, its attempts since the last success (failed = failed + 1 in
    // the database, never a value read earlier and written back). Refuses
    // when either is over its limit; an expired lock starts a new count.
    Result<LoginAttempt, StoreError> beginLoginAttempt(const QString &address, std::optional<Id> userId,
                                                       const LoginLimits &limits, const QDateTime &now);
    // The password was right: the account's count starts again and the
    // attempt does not count against the address.
    Status<StoreError> loginSucceeded(Id userId, Id attemptId);
    // The password was wrong: the attempt that reached the limit locks the
    // account. Returns whether it is now locked.
    Result<bool, StoreError> loginFailed(Id userId, int accountAttempt, const LoginLimits &limits,
                                         const QDateTime &now);

    Status<StoreError> createWebSession(const QString &tokenHash, Id userId, const QString &csrfToken,
                                        const QDateTime &now, const QDateTime &expiresAt);
    // The session if it exists and has not expired at now.
    Result<std::optional<WebSession>, StoreError> webSession(const QString &tokenHash, const QDateTime &now);
    Status<StoreError> deleteWebSession(const QString &tokenHash);

private:
    SqlConnection &m_sql;
    AuditLog &m_audit;
    const Clock &m_clock;
};

} // namespace kaodian::server
