#include "office/packagebuilder.h"
#include "office/photos.h"

#include "protocol/sessionpackage.h"

#include <QSet>

namespace kaodian::server::office {

Result<QByteArray, StoreError> buildSessionPackage(ServerStore &store, Id siteId, const QString &siteName,
                                                   const QString &room, const QDate &date, const SigningKey &key,
                                                   QByteArray *version, PackagePhotos photos)
{
    auto day = store.rosters().kioskDay(siteId, room, date);
    if (!day)
        return day.error();
    protocol::SessionPackage package;
    package.generatedAt = store.now();
    package.site = siteName;
    package.room = room;
    for (const auto &s : day->sessions)
        package.sessions.push_back({s.id, QStringLiteral("%1（%2）").arg(s.certificate, levelName(s.level)), siteName,
                                    s.examDate, s.startTime, s.endTime, s.publishedCount, s.opensMinutes, s.lateMinutes,
                                    s.registeredCount, s.roomCount});
    for (const auto &r : day->roster)
        package.roster.push_back({r.registrationId, r.sessionId, r.ticketNumber, r.name, r.maskedIdNumber, r.room, r.seat,
                                  r.serial, r.excusedReason});
    // Each candidate's photo by its hash (the content tag changes with it);
    // the photos themselves only when the file is to carry them.
    QList<Id> registrations;
    for (const auto &r : day->roster)
        registrations.push_back(r.registrationId);
    auto stored = store.photos().ofRegistrations(registrations, photos == PackagePhotos::Included);
    if (!stored)
        return stored.error();
    for (auto &c : package.roster) {
        const auto photo = stored->constFind(c.registrationId);
        if (photo == stored->cend())
            continue;
        c.photoSha256 = photo->sha256;
        if (photos == PackagePhotos::Included && !package.photos.contains(photo->sha256)) {
            auto jpeg = openPhoto(photo->sealed, key);
            if (jpeg)
                package.photos.insert(photo->sha256, *jpeg);
            else
                c.photoSha256.clear(); // sealed under another key: shown as 无照片, as for none
        }
    }
    package.ticketKeys = {key.verifyKey().raw()};
    for (qsizetype i = 0; i < day->revoked.size(); ++i)
        package.revocations.push_back(
            {day->revoked[i].first, day->revoked[i].second, day->revokedAt[i], day->revokedWithdrawn[i]});
    // Candidates of this roster checked in more than once, for the proctors.
    QSet<Id> inRoster;
    for (const auto &r : day->roster)
        inRoster.insert(r.registrationId);
    for (const auto &s : day->sessions) {
        auto conflicts = store.events().conflicts(s.id);
        if (!conflicts)
            return conflicts.error();
        for (const auto &c : *conflicts) {
            if (!inRoster.contains(c.registrationId))
                continue;
            package.conflicts.push_back(c);
        }
    }
    // The proctors of this room's sessions (named proctors) and their PIN
    // hashes: part of the content, so a PIN set anywhere makes a new version.
    auto proctors = store.proctors().packageProctors(siteId, room, date);
    if (!proctors)
        return proctors.error();
    package.proctors = *proctors;
    // Its version: the number it had while its content is unchanged, else a
    // new one above every number given (store/packageversions.h), after the
    // day it is for: a kiosk refuses a package older than the one it holds.
    const QByteArray tag = protocol::sessionPackageContentTag(package);
    auto number = store.packageVersions().versionFor(siteId, room, date, tag);
    if (!number)
        return number.error();
    package.version = {date, *number};
    return protocol::encodeSessionPackage(package, key, version);
}

Result<QHash<QString, QByteArray>, StoreError> kioskPhotos(ServerStore &store, Id siteId, const QString &room,
                                                           const QDate &date, const SigningKey &key,
                                                           const QStringList &wanted)
{
    auto day = store.rosters().kioskDay(siteId, room, date);
    if (!day)
        return day.error();
    QList<Id> registrations;
    for (const auto &r : day->roster)
        registrations.push_back(r.registrationId);
    auto stored = store.photos().ofRegistrations(registrations, true);
    if (!stored)
        return stored.error();
    const QSet<QString> asked(wanted.cbegin(), wanted.cend());
    QHash<QString, QByteArray> out;
    for (const auto &photo : *stored) {
        if (!asked.contains(photo.sha256) || out.contains(photo.sha256))
            continue;
        if (auto jpeg = openPhoto(photo.sealed, key))
            out.insert(photo.sha256, *jpeg);
    }
    return out;
}

} // namespace kaodian::server::office
