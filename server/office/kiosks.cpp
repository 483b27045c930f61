#include "office/kiosks.h"

#include "protocol/eventjson.h"

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
    return {};
}

OfficeResult<IngestOutcome> uploadEvents(ServerStore &store, const KioskRecord &kiosk, const QList<KioskEvent> &events,
                                         std::optional<qint64> waiting)
{
    if (auto s = eventsAtSite(store, kiosk, events); !s)
        return s.error();
    auto outcome = store.events().ingest(kiosk.id, events, store.now(), waiting);
    if (!outcome)
        return OfficeError::fromStore(outcome.error());
    return *outcome;
}

OfficeResult<EventsFileImport> importEventsFile(ServerStore &store, const QByteArray &bytes, const QString &source,
                                                const QString &expectedKioskId, const QString &actor)
{
    auto file = protocol::parseKioskEventsFile(bytes);
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
    auto outcome = store.events().importFile(file->kioskId, file->events, source, actor, store.now());
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
