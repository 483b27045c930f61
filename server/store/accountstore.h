#pragma once

// People: accounts with their role and scope, login failures and lockout,
// and the web sessions of those logged in (the cookie holds the token; the
// store only its hash, so a copy of the database logs nobody in).
//
// Thread-safety: as its SqlConnection (one thread at a time).

#include "store/auditlog.h"

#include <optional>

namespace kaodian::server {

// People's roles.
enum class Role : std::uint8_t { Admin, CollegeViewer };
QString roleKey(Role role); // "admin" / "college"
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

class AccountStore
{
public:
    AccountStore(SqlConnection &sql, AuditLog &audit, const Clock &clock) : m_sql(sql), m_audit(audit), m_clock(clock) {}

    Result<Id, StoreError> addUser(const QString &username, const QString &passwordHash, Role role,
                                   std::optional<Id> collegeId, const QString &actor);
    Result<std::optional<UserRecord>, StoreError> userByName(const QString &username);
    Result<std::optional<UserRecord>, StoreError> userById(Id id);
    Result<QList<UserRecord>, StoreError> users();
    Status<StoreError> recordLoginFailure(Id userId, int failedLogins, const QDateTime &lockedUntil);
    Status<StoreError> recordLoginSuccess(Id userId);

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
