#include "office/kiosks.h"

#include "protocol/eventjson.h"

#include <QCryptographicHash>

namespace kaodian::server::office {

Status<OfficeError> eventsAtSite(ServerStore &store, const KioskRecord &kiosk, const QList<KioskEvent> &events)
{
    // One look-up for the batch (one query on PostgreSQL).
    auto notAtSite = store.events().firstEventNotAtSite(events, kiosk.siteId);
    if (!notAtSite)
        return OfficeError::fromStore(notAtSite.error());
    if (*notAtSite)
        return OfficeError{OfficeError::Kind::Forbidden, QStringLiteral("forbidden"),
                           QStringLiteral("第 %1 条事件的考生不属于本考点的该场次").arg(**notAtSite + 1), {}};
    // A room's event (sign-off, reopen, room incident, PIN) is of the kiosk's own room.
    if (!kiosk.roomCode.isEmpty()) {
        for (qsizetype i = 0; i < events.size(); ++i) {
            if (isRoomEvent(events[i].kind, events[i].registrationId) && !events[i].room.isEmpty()
                && events[i].room != kiosk.roomCode)
                return OfficeError{OfficeError::Kind::Forbidden, QStringLiteral("forbidden"),
                                   QStringLiteral("第 %1 条事件是考场 %2 的，本终端在考场 %3")
                                       .arg(i + 1)
                                       .arg(events[i].room, kiosk.roomCode),
                                   {}};
        }
    }
    return {};
}

OfficeResult<IngestOutcome> uploadEvents(ServerStore &store, const KioskRecord &kiosk, const QList<KioskEvent> &events,
                                         std::optional<qint64> waiting)
{
    if (auto s = eventsAtSite(store, kiosk, events); !s)
        return s.error();
    // A room's event from a kiosk that did not know its room yet (before its
    // first package) is of the room the kiosk is enrolled for.
    QList<KioskEvent> stored = events;
    for (auto &e : stored)
        if (isRoomEvent(e.kind, e.registrationId) && e.room.isEmpty())
            e.room = kiosk.roomCode;
    auto outcome = store.events().ingest(kiosk.id, stored, store.now(), waiting);
    if (!outcome)
        return OfficeError::fromStore(outcome.error());
    return *outcome;
}

OfficeResult<EventsFileImport> importEventsFile(ServerStore &store, const QByteArray &bytes, const QString &source,
                                                const QString &expectedKioskId, const QString &actor,
                                                const QString &unsignedReason)
{
    auto envelope = protocol::openKioskEventsFile(bytes);
    auto file = envelope ? protocol::parseKioskEventsFile(envelope->body)
                         : Result<protocol::KioskEventsFile, QString>(envelope.error());
    const QString kioskId = !expectedKioskId.isEmpty() ? expectedKioskId : file ? file->kioskId : QString();
    auto refuse = [&](const QString &code, const QString &why) -> OfficeError {
        const QString detail = kioskId.isEmpty() ? QStringLiteral("文件 %1：%2").arg(source, why)
                                                 : QStringLiteral("%1：文件 %2：%3").arg(kioskId, source, why);
        if (auto s = store.audit().append(actor, QStringLiteral("kiosk.events_import_refused"), detail); !s)
            return OfficeError::fromStore(s.error());
        return OfficeError{OfficeError::Kind::Refused, code, why, {}};
    };
    if (!file)
        return refuse(QStringLiteral("bad_request"), file.error());
    if (!expectedKioskId.isEmpty() && file->kioskId != expectedKioskId)
        return refuse(QStringLiteral("bad_request"),
                      QStringLiteral("此文件是考场终端 %1 导出的，不是 %2 的").arg(file->kioskId, expectedKioskId));
    auto kiosk = store.kiosks().kiosk(file->kioskId);
    if (!kiosk)
        return OfficeError::fromStore(kiosk.error());
    if (!kiosk->has_value())
        return OfficeError::notFound(QStringLiteral("没有登记过考场终端 %1").arg(file->kioskId));

    // Whose signature: the key registered for the kiosk, never the file's word.
    const QByteArray registered = (*kiosk)->deviceKey;
    QString auditedReason;
    if (!registered.isEmpty()) {
        const auto fingerprint = [](const QByteArray &raw) {
            return QString::fromLatin1(QCryptographicHash::hash(raw, QCryptographicHash::Sha256).toHex().left(16));
        };
        if (!envelope->isSigned())
            return refuse(QStringLiteral("bad_signature"),
                          QStringLiteral("此文件没有签名；考场终端 %1 登记有设备密钥，它导出的文件都带签名，"
                                         "未签名的文件不能导入")
                              .arg(file->kioskId));
        if (envelope->publicKey != registered)
            return refuse(QStringLiteral("bad_signature"),
                          QStringLiteral("此文件不是考场终端 %1 的设备密钥签名的（签名密钥 %2…，登记的设备密钥 %3…），"
                                         "不能导入")
                              .arg(file->kioskId, fingerprint(envelope->publicKey), fingerprint(registered)));
        const auto key = VerifyKey::fromRaw(registered);
        if (!key || !key->verify(envelope->body, envelope->signature))
            return refuse(QStringLiteral("bad_signature"),
                          QStringLiteral("签名与文件内容不符：文件在考场终端 %1 导出后被改动过，不能导入")
                              .arg(file->kioskId));
    } else {
        if (unsignedReason.trimmed().isEmpty())
            return refuse(QStringLiteral("no_device_key"),
                          QStringLiteral("考场终端 %1 没有登记设备密钥（登记于设备密钥启用之前，或首次连接时未发送），无法核验此文件确由该终端导出；"
                                         "确认文件来源后，写明理由再导入（命令行 import-events --unsigned-ok 理由）")
                              .arg(file->kioskId));
        auditedReason = unsignedReason.trimmed();
    }

    auto outcome
        = store.events().importFile(file->kioskId, file->events, source, actor, store.now(), auditedReason);
    if (!outcome) {
        if (outcome.error().code == StoreError::Code::Refused)
            return refuse(QStringLiteral("bad_event"), outcome.error().message);
        return OfficeError::fromStore(outcome.error());
    }
    return EventsFileImport{file->kioskId, file->events.size(), *outcome};
}

Status<OfficeError> revokeKiosk(ServerStore &store, const QString &kioskId, const QString &actor)
{
    if (auto s = store.kiosks().revoke(kioskId, actor); !s)
        return OfficeError::fromStore(s.error());
    return {};
}

} // namespace kaodian::server::office
