#include "kiosk/core/unlockthrottle.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <algorithm>

namespace kaodian::kiosk {

namespace {

constexpr char kFormat[] = "kaodian-unlock/1";
// More failures than this are kept as this many: the wait is the longest already.
constexpr int kCountCap = 1000;

} // namespace

UnlockThrottle::UnlockThrottle(QString path) : m_path(std::move(path)) { }

int UnlockThrottle::waitAfter(int failures)
{
    if (failures <= kFreeAttempts)
        return 0;
    const int doublings = std::min(failures - kFreeAttempts - 1, 16);
    return std::min(kFirstWaitSeconds << doublings, kLongestWaitSeconds);
}

UnlockThrottle::State UnlockThrottle::read() const
{
    QFile file(m_path);
    if (!file.exists())
        return {};
    // Damaged, foreign or unreadable: the longest wait, from its last change.
    const State damaged {kCountCap, QFileInfo(m_path).lastModified().toUTC()};
    if (!file.open(QIODevice::ReadOnly))
        return damaged;
    const QJsonDocument doc = QJsonDocument::fromJson(file.read(4096));
    const QJsonObject o = doc.object();
    const QJsonValue failures = o.value(QStringLiteral("failures"));
    if (o.value(QStringLiteral("format")).toString() != QLatin1String(kFormat) || !failures.isDouble()
        || failures.toDouble() < 0)
        return damaged;
    State state;
    state.failures = static_cast<int>(std::min(failures.toDouble(), double(kCountCap)));
    if (state.failures > 0) {
        state.lastFailure
            = QDateTime::fromString(o.value(QStringLiteral("last_failure")).toString(), Qt::ISODateWithMs).toUTC();
        if (!state.lastFailure.isValid())
            return damaged;
    }
    return state;
}

Status<StoreError> UnlockThrottle::write(const State &state)
{
    const auto failed = [this](const QString &why) {
        return StoreError {StoreError::Code::Io,
            QStringLiteral("无法记录口令尝试次数（%1：%2），为安全起见本次不核对口令。请检查本机存储空间，或联系技术人员")
                .arg(m_path, why),
            m_path};
    };
    QJsonObject o {{QStringLiteral("format"), QString::fromLatin1(kFormat)}, {QStringLiteral("failures"), state.failures}};
    if (state.lastFailure.isValid())
        o.insert(QStringLiteral("last_failure"), state.lastFailure.toUTC().toString(Qt::ISODateWithMs));
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return failed(file.errorString());
    if (!file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return failed(file.errorString());
    const QByteArray bytes = QJsonDocument(o).toJson(QJsonDocument::Compact);
    if (file.write(bytes) != bytes.size() || !file.commit())
        return failed(file.errorString());
    return {};
}

int UnlockThrottle::secondsToWait(const QDateTime &now) const
{
    const State state = read();
    const int wait = waitAfter(state.failures);
    if (wait == 0 || !state.lastFailure.isValid())
        return 0;
    const qint64 elapsed = state.lastFailure.secsTo(now);
    if (elapsed < 0)
        return 0; // recorded after now: see the header
    return static_cast<int>(std::max<qint64>(0, wait - elapsed));
}

int UnlockThrottle::failures() const
{
    return read().failures;
}

Status<StoreError> UnlockThrottle::countAttempt(const QDateTime &now)
{
    State state = read();
    state.failures = std::min(state.failures, kCountCap - 1) + 1;
    state.lastFailure = now.toUTC();
    return write(state);
}

Status<StoreError> UnlockThrottle::clear()
{
    if (!QFileInfo::exists(m_path))
        return {};
    return write({});
}

} // namespace kaodian::kiosk
