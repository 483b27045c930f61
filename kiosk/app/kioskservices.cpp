#include "kioskservices.h"

#include "storeerrortext.h"

#include <QDir>

#include "passphrasetext.h"
#include "soundfeedback.h"

#include <QFileInfo>
#include <QJSEngine>
#include <QLoggingCategory>
#include <QQmlEngine>

namespace kaodian::kiosk {

Q_LOGGING_CATEGORY(lcKiosk, "kaodian.kiosk")

namespace {

KioskServices *s_instance = nullptr;

QString normaliseFingerprint(QString fp)
{
    fp.remove(QLatin1Char(':'));
    fp.remove(QLatin1Char(' '));
    return fp.toLower();
}

} // namespace

KioskServices::KioskServices(KioskPaths paths, Clock clock, QObject *parent)
    : QObject(parent), m_paths(std::move(paths)),
      m_clock(clock ? std::move(clock) : Clock([] { return QDateTime::currentDateTimeUtc(); }))
{
}

KioskServices::~KioskServices()
{
    if (s_instance == this)
        s_instance = nullptr;
}

void KioskServices::setInstance(KioskServices *services)
{
    s_instance = services;
}

KioskServices *KioskServices::instance()
{
    return s_instance;
}

KioskServices *KioskServices::create(QQmlEngine *qmlEngine, QJSEngine *jsEngine)
{
    Q_UNUSED(qmlEngine)
    Q_ASSERT_X(s_instance, "KioskServices::create", "main.cpp sets the instance before loading QML");
    Q_ASSERT(jsEngine->thread() == s_instance->thread());
    // The engine must not delete what main.cpp owns.
    QJSEngine::setObjectOwnership(s_instance, QJSEngine::CppOwnership);
    return s_instance;
}

bool KioskServices::storeExists() const
{
    return QFileInfo::exists(m_paths.database()) || QFileInfo::exists(m_paths.keyFile());
}

QString KioskServices::kioskId() const
{
    return m_store ? m_store->identity().kioskId : QString();
}

QString KioskServices::site() const
{
    return m_store ? m_store->identity().site : QString();
}

QString KioskServices::room() const
{
    return m_store ? m_store->identity().room : QString();
}

Status<StoreError> KioskServices::unlock(const QString &passphrase)
{
    auto store = KioskStore::open(m_paths, passphrase, m_clock());
    if (!store) {
        qCInfo(lcKiosk) << "unlock refused:" << store.error().message;
        return store.error();
    }
    adopt(std::move(store).value());
    return {};
}

int KioskServices::unlockWait() const
{
    return KioskStore::unlockWait(m_paths, m_clock());
}

Status<StoreError> KioskServices::changePassphrase(const QString &current, const QString &next)
{
    if (!m_store)
        return StoreError {StoreError::Code::Refused, tr("请先解锁本机"), {}};
    if (const auto problem = passphraseProblem(next))
        return StoreError {StoreError::Code::Refused, passphraseProblemText(*problem), {}};
    auto status = m_store->changePassphrase(current, next, m_clock(), m_kdfIterations);
    qCInfo(lcKiosk) << "site passphrase" << (status ? "changed" : "not changed:") << (status ? QString() : status.error().message);
    return status;
}

void KioskServices::adopt(KioskStore store)
{
    m_sync.reset();
    m_service.reset();
    m_store = std::make_unique<KioskStore>(std::move(store));
    m_service = std::make_unique<CheckInService>(*m_store, m_clock);
    // The core announces what it stores: every screen and the sync follow.
    connect(m_service.get(), &CheckInService::eventAppended, this, [this] {
        Q_EMIT eventsChanged();
        if (m_sync)
            m_sync->syncNow();
    });
    connect(m_service.get(), &CheckInService::sessionClosed, this, &KioskServices::sessionsChanged);
    connect(m_service.get(), &CheckInService::sessionReopened, this, &KioskServices::sessionsChanged);
    startSync();
    Q_EMIT unlockedChanged();
    Q_EMIT sessionsChanged();
    Q_EMIT eventsChanged();
}

Status<QString> KioskServices::enrol(const KioskEnrolmentRequest &request)
{
    lock();
    const bool exists = storeExists();
    if (!exists) {
        if (const auto problem = passphraseProblem(request.passphrase))
            return passphraseProblemText(*problem);
    }
    auto store = exists ? KioskStore::open(m_paths, request.passphrase, m_clock())
                        : KioskStore::create(m_paths, request.passphrase, m_kdfIterations);
    if (!store)
        return storeErrorText(store.error());
    if (request.pin.isEmpty() && !store->hasProctorPin())
        return tr("登记本机须设置监考 PIN");
    KioskIdentity identity = store->identity();
    identity.kioskId = request.code.kioskId();
    if (auto s = store->setIdentity(identity); !s)
        return storeErrorText(s.error());
    if (auto s = store->setEnrolment(request.code.toString()); !s)
        return storeErrorText(s.error());
    if (!request.installationId.isEmpty()) {
        if (auto s = store->setInstallationId(request.installationId); !s)
            return storeErrorText(s.error());
    }
    if (request.deviceKey) {
        if (auto s = store->setDeviceKey(*request.deviceKey); !s)
            return storeErrorText(s.error());
    }
    if (!request.pin.isEmpty()) {
        if (auto s = store->setProctorPin(request.pin); !s)
            return storeErrorText(s.error());
    }
    qCInfo(lcKiosk) << "enrolled as" << request.code.kioskId() << "with" << request.code.server.toString();
    adopt(std::move(store).value());
    if (!request.package.isEmpty())
        return provision(request.package, QString::fromLatin1(request.code.ticketKeySha256), QString(), QString());
    return {};
}

void KioskServices::lock()
{
    if (!m_store)
        return;
    m_sync.reset();
    m_service.reset();
    m_store.reset();
    Q_EMIT syncChanged();
    Q_EMIT unlockedChanged();
    Q_EMIT sessionsChanged();
    Q_EMIT eventsChanged();
}

void KioskServices::startSync()
{
    const auto code = EnrolmentCode::parse(m_store->enrolment());
    if (!code)
        return; // not enrolled: a kiosk provisioned by file works offline all day
    SyncConfig config;
    config.enrolment = *code;
    m_sync = std::make_unique<SyncClient>(*m_service, config);
    connect(m_sync.get(), &SyncClient::statusChanged, this, &KioskServices::syncChanged);
    connect(m_sync.get(), &SyncClient::packageUpdated, this, [this] {
        Q_EMIT unlockedChanged();
        Q_EMIT sessionsChanged();
        Q_EMIT eventsChanged();
    });
    connect(m_sync.get(), &SyncClient::kioskRevoked, this, [this](const QString &reason) {
        // Keep the unsent events sealed in a file for the office, then erase the roster.
        const QString path = QDir(m_paths.dir).filePath(
            QStringLiteral("revoked-events-%1.json").arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMddTHHmmss"))));
        if (auto s = m_service->handleRevocation(reason, path); !s)
            qCWarning(lcKiosk) << "revocation handling:" << s.error();
        Q_EMIT sessionsChanged();
        Q_EMIT eventsChanged();
        Q_EMIT syncChanged();
    });
    m_sync->start();
    Q_EMIT syncChanged();
}



bool KioskServices::online() const
{
    return m_sync && m_sync->online();
}

int KioskServices::waitingEvents() const
{
    return m_store ? m_store->outboxSize() : 0;
}

QString KioskServices::lastSync() const
{
    return m_sync && m_sync->lastSync().isValid() ? examClock(m_sync->lastSync()) : QString();
}

bool KioskServices::revoked() const
{
    return m_store && m_store->isRevoked();
}

Status<QString> KioskServices::provision(const QByteArray &packageBytes, const QString &trustedFingerprint,
                                         const QString &kioskId, const QString &room)
{
    if (!m_store)
        return tr("请先解锁本机");
    const auto signer = protocol::packageSigner(packageBytes);
    if (!signer)
        return tr("这不是考点场次数据包");
    std::optional<VerifyKey> trusted;
    if (!trustedFingerprint.isEmpty()) {
        if (normaliseFingerprint(trustedFingerprint) != normaliseFingerprint(signer->fingerprint()))
            return tr("数据包的签名密钥（指纹 %1）不是指定信任的密钥").arg(signer->fingerprint());
        trusted = signer;
    } else if (!m_store->identity().trustedKeyRaw.isEmpty()) {
        trusted = VerifyKey::fromRaw(m_store->identity().trustedKeyRaw);
    }
    if (!trusted)
        return tr("首次配置须用 --trust-key 指定信任的服务器密钥指纹（%1）").arg(signer->fingerprint());
    auto package = protocol::decodeSessionPackage(packageBytes, *trusted);
    if (!package)
        return package.error();
    KioskIdentity identity = m_store->identity();
    if (!kioskId.isEmpty())
        identity.kioskId = kioskId;
    if (identity.kioskId.isEmpty())
        return tr("须用 --kiosk-id 指定本机编号");
    identity.site = package->site;
    if (!room.isEmpty())
        identity.room = room;
    else if (!package->room.isEmpty())
        identity.room = package->room;
    identity.trustedKeyRaw = trusted->raw();
    // The package first: one older than the kiosk's (a stale copy would bring
    // back revoked tickets) is refused before anything changes.
    if (auto s = m_store->provision(*package); !s) {
        if (s.error().code == StoreError::Code::Refused)
            return SyncClient::olderPackageMessage(*package, m_store->package());
        return storeErrorText(s.error());
    }
    if (auto s = m_store->setIdentity(identity); !s)
        return storeErrorText(s.error());
    // The service points into the package: read it again.
    m_service->reload();
    qCInfo(lcKiosk) << "provisioned" << package->roster.size() << "candidates in" << package->sessions.size()
                    << "sessions for" << identity.site << identity.room;
    Q_EMIT unlockedChanged();
    Q_EMIT sessionsChanged();
    Q_EMIT eventsChanged();
    return {};
}

bool KioskServices::signedBy(const QByteArray &packageBytes, const QString &fingerprint)
{
    const auto signer = protocol::packageSigner(packageBytes);
    return signer && normaliseFingerprint(signer->fingerprint()) == normaliseFingerprint(fingerprint);
}

void KioskServices::setSoundEnabled(bool enabled)
{
    if (enabled && !m_sound)
        m_sound = SoundFeedback::createIfAvailable();
    else if (!enabled)
        m_sound.reset();
}

} // namespace kaodian::kiosk
