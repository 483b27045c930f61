// Backups taken while kiosks upload, restored and compared table by table,
// once per store (KAODIAN_TEST_STORE): the embedded store through kaodian's
// own backup file (server/store/backup.h), PostgreSQL through pg_dump and
// pg_restore, as docs/operations.md tells an operator to. A backup taken
// mid-ingest must be the store at one moment: it holds a whole prefix of
// the uploaded batches, and a twin — the backup from before the uploads
// plus exactly that prefix — equals it in every table.
// Embedded only: what the backup file carries and hides, and its
// refusals (truncated, damaged, tampered, another key, a folder in use).

#include "store/backup.h"
#include "store/schema.h"
#include "store/serverstore.h"

#include "freshstore.h"
#include "storedump.h"
#include "termfixture.h"
#include "testpg.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <map>
#include <thread>

using namespace kaodian;
using namespace kaodian::server;
using namespace kaodian::testing;

namespace {

// One batch as a kiosk uploads it.
struct Batch
{
    QString kiosk;
    QList<KioskEvent> events;
    QDateTime receivedAt;
    qint64 waiting = 0;
};

// The term's events as their kiosks upload them: each kiosk's in order, in
// batches of up to `size`, the kiosks taking turns, one second apart.
QList<Batch> batchesOf(const Term &term, int size)
{
    std::map<QString, QList<KioskEvent>> byKiosk;
    for (const KioskEvent &e : term.events)
        byKiosk[e.kioskId].push_back(e);
    const QDateTime t0(QDate(2026, 3, 1), QTime(8, 0), Qt::UTC);
    std::map<QString, qsizetype> next;
    QList<Batch> batches;
    for (bool more = true; more;) {
        more = false;
        for (const auto &[kiosk, events] : byKiosk) {
            qsizetype &at = next[kiosk];
            if (at >= events.size())
                continue;
            Batch b;
            b.kiosk = kiosk;
            b.events = events.mid(at, size);
            at += b.events.size();
            b.waiting = events.size() - at;
            b.receivedAt = t0.addSecs(batches.size());
            batches.push_back(b);
            more = true;
        }
    }
    return batches;
}

// The data folder's files a backup carries, as `backup` names them.
const QStringList kFolderFiles = {QStringLiteral("ticket-signing.pem"), QStringLiteral("tls-cert.pem"),
    QStringLiteral("tls-key.pem"), QStringLiteral("server.json")};

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &bytes, QFileDevice::Permissions permissions)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size()
        && f.setPermissions(permissions);
}

mode_t fileMode(const QString &path)
{
    struct stat st
    {
    };
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? (st.st_mode & 0777) : 0;
}

// Stand-ins for init's files: secrets a backup must carry and never show.
// The tables and indexes an embedded store holds, by kind and name.
QStringList schemaTables(ServerStore &store)
{
    QStringList out;
    auto rows = store.sql().query(
        QStringLiteral("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"));
    if (rows)
        for (const auto &row : rows->rows)
            out << row.at(0).toString() + QLatin1Char(' ') + row.at(1).toString();
    return out;
}

void writeFolderFiles(const QString &dataDir)
{
    const auto owner = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    QVERIFY(writeFile(QDir(dataDir).filePath("ticket-signing.pem"),
        "-----BEGIN PRIVATE KEY-----\nsecret-ticket-key-material\n-----END PRIVATE KEY-----\n", owner));
    QVERIFY(writeFile(QDir(dataDir).filePath("tls-key.pem"),
        "-----BEGIN PRIVATE KEY-----\nsecret-tls-key-material\n-----END PRIVATE KEY-----\n", owner));
    QVERIFY(writeFile(QDir(dataDir).filePath("tls-cert.pem"),
        "-----BEGIN CERTIFICATE-----\npublic\n-----END CERTIFICATE-----\n",
        owner | QFileDevice::ReadGroup | QFileDevice::ReadOther));
}

// Enrols the term's kiosks (K1, K2) at its site, so uploads move their
// last-seen time and waiting count too.
void enrolTermKiosks(ServerStore &store)
{
    auto site = store.sql().query(QStringLiteral("SELECT id FROM site"));
    QVERIFY(site.ok() && !site->isEmpty());
    for (const char *id : {"K1", "K2"}) {
        KioskRecord k;
        k.id = QString::fromLatin1(id);
        k.name = QStringLiteral("门口 ") + k.id;
        k.siteId = site->first().first().toLongLong();
        k.credentialHash = QStringLiteral("unused");
        QVERIFY(store.kiosks().enrol(k, QStringLiteral("test")).ok());
    }
}

// The newest PostgreSQL client tool of that name, as pgcluster.sh finds the server.
QString pgTool(const QString &name)
{
    QStringList versions
        = QDir(QStringLiteral("/usr/lib/postgresql")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(versions.begin(), versions.end(),
        [](const QString &a, const QString &b) { return a.toInt() < b.toInt(); });
    return versions.isEmpty() ? name
                              : QStringLiteral("/usr/lib/postgresql/%1/bin/%2").arg(versions.last(), name);
}

// Runs a tool to completion; empty when it exited 0, else what it said.
QString runTool(const QString &program, const QStringList &args)
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished(5000);
        return program + QStringLiteral(" did not finish: ") + p.errorString();
    }
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return program + QStringLiteral(" exited %1: ").arg(p.exitCode())
            + QString::fromUtf8(p.readAllStandardError());
    return {};
}

} // namespace

class TestBackup : public QObject
{
    Q_OBJECT

    const bool m_postgres = FreshStore::isPostgres();
    QTemporaryDir m_tmp;
    std::vector<std::unique_ptr<TestPgDatabase>> m_restoredDatabases; // dropped when the test ends
    QString m_keyCopy; // embedded: a copy of the source's server.key, kept apart as an operator would

    QString path(const QString &name) const { return QDir(m_tmp.path()).filePath(name); }

    // A backup of the store at location into the file `name`: kaodian's
    // own file (embedded) or pg_dump's custom format; empty with *why.
    QString backUp(const StoreLocation &location, const QString &name, QString *why)
    {
        const QString file = path(name);
        if (!m_postgres) {
            auto b
                = backupEmbeddedStore(location.dataDir, kFolderFiles, file, QDateTime::currentDateTimeUtc());
            if (!b)
                *why = b.error().message;
            return b ? file : QString();
        }
        *why = runTool(pgTool(QStringLiteral("pg_dump")),
            {QStringLiteral("--format=custom"), QStringLiteral("--file=") + file,
                QStringLiteral("--dbname=") + location.postgresUrl});
        return why->isEmpty() ? file : QString();
    }

    // The backup restored into a new store (a new folder, or a new database).
    std::optional<StoreLocation> restore(const QString &file, const QString &name, QString *why)
    {
        if (!m_postgres) {
            RestoreRequest request;
            request.backupPath = file;
            request.dataDir = path(name);
            request.keyFile = m_keyCopy;
            auto r = restoreEmbeddedStore(request, QDateTime::currentDateTimeUtc());
            if (!r) {
                *why = r.error().message;
                return std::nullopt;
            }
            return StoreLocation {request.dataDir, QString()};
        }
        auto db = std::make_unique<TestPgDatabase>();
        if (!db->ok()) {
            *why = db->error();
            return std::nullopt;
        }
        *why = runTool(pgTool(QStringLiteral("pg_restore")),
            {QStringLiteral("--no-owner"), QStringLiteral("--no-privileges"),
                QStringLiteral("--exit-on-error"), QStringLiteral("--dbname=") + db->url(), file});
        if (!why->isEmpty())
            return std::nullopt;
        const StoreLocation location {QString(), db->url()};
        m_restoredDatabases.push_back(std::move(db));
        return location;
    }

    static StoreTables tablesAt(const StoreLocation &location, QString *why)
    {
        auto store = ServerStore::open(location);
        if (!store) {
            *why = store.error().message;
            return {};
        }
        return dumpTables(**store, why);
    }

    // An embedded store with a term, its kiosks and the folder's files; the key copied aside.
    void seededEmbeddedStore(FreshStore &fresh, Term *term = nullptr)
    {
        QVERIFY2(fresh.ok(), qPrintable(fresh.error()));
        const QString dataDir = fresh.location().dataDir;
        writeFolderFiles(dataDir);
        auto store = ServerStore::open(fresh.location());
        QVERIFY(store.ok());
        const Term seeded = seedTerm(**store, 20260301);
        enrolTermKiosks(**store);
        for (const Batch &b : batchesOf(seeded, 50))
            QVERIFY((*store)->events().ingest(b.kiosk, b.events, b.receivedAt, b.waiting).ok());
        if (term)
            *term = seeded;
        m_keyCopy = path(QStringLiteral("server.key.copy"));
        QFile::remove(m_keyCopy);
        QVERIFY(QFile::copy(ServerStore::embeddedKeyPath(dataDir), m_keyCopy));
    }

private slots:
    void initTestCase() { QVERIFY(m_tmp.isValid()); }

    // Kiosks upload from another thread while the backup is taken; it
    // restores to the store as it was between two batches.
    void backupDuringIngestIsOneMoment()
    {
        FreshStore fresh;
        QVERIFY2(fresh.ok(), qPrintable(fresh.error()));
        const StoreLocation source = fresh.location();
        Term term;
        {
            auto store = ServerStore::open(source);
            QVERIFY(store.ok());
            term = seedTerm(**store, 20260302);
            enrolTermKiosks(**store);
        }
        if (!m_postgres) {
            writeFolderFiles(source.dataDir);
            m_keyCopy = path(QStringLiteral("ingest.key.copy"));
            QVERIFY(QFile::copy(ServerStore::embeddedKeyPath(source.dataDir), m_keyCopy));
        }
        const QList<Batch> batches = batchesOf(term, 15);
        QVERIFY2(batches.size() >= 40, qPrintable(QString::number(batches.size())));
        QString why;
        const QString before = backUp(source, QStringLiteral("before"), &why);
        QVERIFY2(!before.isEmpty(), qPrintable(why));

        // The uploads, on a connection of their own.
        std::atomic<int> committed {0};
        std::atomic<bool> failed {false};
        QString ingestError;
        std::thread uploads([&] {
            auto store = ServerStore::open(source);
            if (!store) {
                ingestError = store.error().message;
                failed = true;
                return;
            }
            for (const Batch &b : batches) {
                if (auto r = (*store)->events().ingest(b.kiosk, b.events, b.receivedAt, b.waiting); !r) {
                    ingestError = r.error().message;
                    failed = true;
                    return;
                }
                committed.fetch_add(1);
                std::this_thread::sleep_for(std::chrono::milliseconds(4));
            }
        });
        QElapsedTimer waited;
        waited.start();
        while (committed.load() < 10 && !failed.load() && waited.elapsed() < 60000)
            QThread::msleep(1);
        const int committedBefore = committed.load();
        const QString during = backUp(source, QStringLiteral("during"), &why);
        const int committedAfter = committed.load();
        uploads.join();
        QVERIFY2(!failed.load(), qPrintable(ingestError));
        QVERIFY2(!during.isEmpty(), qPrintable(why));
        QVERIFY2(committedBefore >= 10, "the uploads did not get going");
        QVERIFY2(committedAfter < batches.size(),
            "the uploads were over before the backup: nothing ran beside it");

        // It holds a whole prefix of the batches: no part of one, none later.
        const auto restored = restore(during, QStringLiteral("restored-during"), &why);
        QVERIFY2(restored, qPrintable(why));
        const StoreTables duringTables = tablesAt(*restored, &why);
        QVERIFY2(!duringTables.isEmpty(), qPrintable(why));
        QSet<QString> held;
        {
            auto store = ServerStore::open(*restored);
            QVERIFY(store.ok());
            auto rows = (*store)->sql().query(QStringLiteral("SELECT kiosk_id, event_id FROM kiosk_event"));
            QVERIFY(rows.ok());
            for (const auto &row : rows->rows)
                held.insert(row[0].toString() + QLatin1Char('#') + row[1].toString());
        }
        int prefix = 0;
        qsizetype prefixEvents = 0;
        for (; prefix < batches.size(); ++prefix) {
            const Batch &b = batches[prefix];
            const bool whole = std::all_of(b.events.begin(), b.events.end(), [&](const KioskEvent &e) {
                return held.contains(e.kioskId + QLatin1Char('#') + QString::number(e.eventId));
            });
            if (!whole)
                break;
            prefixEvents += b.events.size();
        }
        QVERIFY2(prefixEvents == held.size(),
            qPrintable(QStringLiteral(
                "%1 events held, the first %2 batches have %3: part of a batch, or a later one")
                           .arg(held.size())
                           .arg(prefix)
                           .arg(prefixEvents)));
        QVERIFY2(prefix >= committedBefore && prefix <= committedAfter,
            qPrintable(QStringLiteral("holds %1 batches; %2 were committed as it began and %3 as it ended")
                           .arg(prefix)
                           .arg(committedBefore)
                           .arg(committedAfter)));

        qInfo("the backup holds %d of %lld batches; %d were committed as it began, %d as it ended", prefix,
            static_cast<long long>(batches.size()), committedBefore, committedAfter);

        // The twin: the store before the uploads, and exactly those batches.
        const auto twin = restore(before, QStringLiteral("twin"), &why);
        QVERIFY2(twin, qPrintable(why));
        {
            auto store = ServerStore::open(*twin);
            QVERIFY(store.ok());
            for (int i = 0; i < prefix; ++i)
                QVERIFY((*store)
                            ->events()
                            .ingest(batches[i].kiosk, batches[i].events, batches[i].receivedAt,
                                batches[i].waiting)
                            .ok());
        }
        const StoreTables twinTables = tablesAt(*twin, &why);
        QVERIFY2(!twinTables.isEmpty(), qPrintable(why));
        QVERIFY(twinTables.contains(QStringLiteral("kiosk_event"))
            && twinTables.contains(QStringLiteral("registration")));
        const QString difference = firstDifference(duringTables, twinTables);
        QVERIFY2(difference.isEmpty(), qPrintable(difference));

        // With the uploads over, a backup equals the store in every table.
        const QString after = backUp(source, QStringLiteral("after"), &why);
        QVERIFY2(!after.isEmpty(), qPrintable(why));
        const auto restoredAfter = restore(after, QStringLiteral("restored-after"), &why);
        QVERIFY2(restoredAfter, qPrintable(why));
        const StoreTables sourceTables = tablesAt(source, &why);
        QVERIFY2(!sourceTables.isEmpty(), qPrintable(why));
        QCOMPARE(sourceTables.value(QStringLiteral("kiosk_event")).size(), qsizetype(term.events.size()));
        const QString afterDifference = firstDifference(sourceTables, tablesAt(*restoredAfter, &why));
        QVERIFY2(afterDifference.isEmpty(), qPrintable(afterDifference + why));

        // The restored store takes uploads on: PostgreSQL's identity
        // sequences came back with the rows, the embedded ids follow on.
        auto reopened = ServerStore::open(*restoredAfter);
        QVERIFY(reopened.ok());
        KioskEvent more = batches.last().events.last();
        more.eventId += 1000;
        auto stored = (*reopened)->events().ingest(more.kioskId, {more}, QDateTime::currentDateTimeUtc());
        QVERIFY2(stored.ok(), qPrintable(stored.ok() ? QString() : stored.error().message));
        QCOMPARE(stored->stored, 1);
    }

    // The backup file holds the store and the folder's files, encrypted:
    // none of the secrets or the data shows in its bytes.
    void backupCarriesTheFolderAndShowsNothing()
    {
        if (m_postgres)
            QSKIP("the backup file is the embedded store's; PostgreSQL's is pg_dump's");
        FreshStore fresh;
        seededEmbeddedStore(fresh);
        if (QTest::currentTestFailed())
            return;
        const QString dataDir = fresh.location().dataDir;
        const QString file = path(QStringLiteral("carries.kdbackup"));
        auto summary = backupEmbeddedStore(dataDir, kFolderFiles, file, QDateTime::currentDateTimeUtc());
        QVERIFY2(summary.ok(), qPrintable(summary.ok() ? QString() : summary.error().message));
        QCOMPARE(summary->files,
            QStringList({"ticket-signing.pem", "tls-cert.pem", "tls-key.pem"})); // no server.json here
        QCOMPARE(summary->schemaVersion, qint64(serverSchema().back().version));
        QCOMPARE(fileMode(file), mode_t(0600));

        const QByteArray bytes = readFile(file);
        QVERIFY(bytes.startsWith("KAODIAN-BACKUP/1\n"));
        for (const QByteArray &secret :
            {QByteArray("secret-ticket-key-material"), QByteArray("secret-tls-key-material"),
                QByteArray("PRIVATE KEY"), QByteArray("SQLite format 3"), QStringLiteral("考生1").toUtf8(),
                QStringLiteral("信息楼考点").toUtf8(), QByteArray("CREATE TABLE")})
            QVERIFY2(!bytes.contains(secret), secret.constData());

        // Another backup never replaces one.
        auto again = backupEmbeddedStore(dataDir, kFolderFiles, file, QDateTime::currentDateTimeUtc());
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code, StoreError::Code::AlreadyExists);
        QCOMPARE(readFile(file), bytes);

        // Restored: the same files with their modes, the same tables, no trace of the backup's own table.
        RestoreRequest request {file, path(QStringLiteral("carries-restored")), m_keyCopy, false};
        auto restored = restoreEmbeddedStore(request, QDateTime::currentDateTimeUtc());
        QVERIFY2(restored.ok(), qPrintable(restored.ok() ? QString() : restored.error().message));
        for (const QString &name : summary->files) {
            QCOMPARE(readFile(QDir(request.dataDir).filePath(name)), readFile(QDir(dataDir).filePath(name)));
            QCOMPARE(fileMode(QDir(request.dataDir).filePath(name)), fileMode(QDir(dataDir).filePath(name)));
        }
        QCOMPARE(fileMode(ServerStore::embeddedKeyPath(request.dataDir)), mode_t(0600));
        QString why;
        const StoreTables original = tablesAt(fresh.location(), &why);
        const StoreTables copy = tablesAt({request.dataDir, QString()}, &why);
        QVERIFY2(!copy.isEmpty(), qPrintable(why));
        QVERIFY(!copy.contains(QStringLiteral("kaodian_backup_file")));
        const QString difference = firstDifference(original, copy);
        QVERIFY2(difference.isEmpty(), qPrintable(difference));
    }

    // A truncated, damaged or tampered file, a stranger's file, another
    // key, a missing key: each refused with its reason, nothing written.
    void refusesWhatCannotBeRestored()
    {
        if (m_postgres)
            QSKIP("the backup file is the embedded store's; PostgreSQL's is pg_dump's");
        FreshStore fresh;
        seededEmbeddedStore(fresh);
        if (QTest::currentTestFailed())
            return;
        const QString good = path(QStringLiteral("refusals.kdbackup"));
        QVERIFY(
            backupEmbeddedStore(fresh.location().dataDir, kFolderFiles, good, QDateTime::currentDateTimeUtc())
                .ok());
        const QByteArray bytes = readFile(good);
        const qsizetype headerEnd = bytes.indexOf('\n', 17) + 1;
        QVERIFY(headerEnd > 17 && bytes.size() - headerEnd > 100000);

        FreshStore stranger;
        QVERIFY2(stranger.ok(), qPrintable(stranger.error()));
        const QString otherKey = ServerStore::embeddedKeyPath(stranger.location().dataDir);

        QByteArray flipped = bytes;
        flipped[headerEnd + (bytes.size() - headerEnd) / 2] ^= 0x01;
        // Tampered: one page changed and the header's checksum made to match.
        QByteArray tampered = flipped;
        {
            QJsonObject header = QJsonDocument::fromJson(bytes.mid(17, headerEnd - 18)).object();
            header.insert(QStringLiteral("database_sha256"),
                QString::fromLatin1(
                    QCryptographicHash::hash(flipped.mid(headerEnd), QCryptographicHash::Sha256).toHex()));
            tampered = bytes.left(17) + QJsonDocument(header).toJson(QJsonDocument::Compact) + '\n'
                + flipped.mid(headerEnd);
        }
        struct Case
        {
            const char *name;
            QByteArray bytes;
            QString key;
            StoreError::Code code;
            QString says;
        };
        const QList<Case> cases = {
            {"truncated", bytes.left(bytes.size() - 4096), m_keyCopy, StoreError::Code::Damaged,
                QStringLiteral("截断")},
            {"header cut", bytes.left(40), m_keyCopy, StoreError::Code::Damaged,
                QStringLiteral("文件头不完整")},
            {"one bit flipped", flipped, m_keyCopy, StoreError::Code::Damaged, QStringLiteral("SHA-256")},
            {"trailing bytes", bytes + "x", m_keyCopy, StoreError::Code::Damaged,
                QStringLiteral("多出 1 字节")},
            {"not a backup", QByteArray(4096, 'k'), m_keyCopy, StoreError::Code::Damaged,
                QStringLiteral("不是考点备份文件")},
            {"tampered", tampered, m_keyCopy, StoreError::Code::Damaged, QStringLiteral("已损坏")},
            {"another key", bytes, otherKey, StoreError::Code::KeyMismatch,
                QStringLiteral("不是这份备份的密钥")},
            {"no key", bytes, path(QStringLiteral("no-such.key")), StoreError::Code::KeyFileMissing,
                QStringLiteral("server.key")},
        };
        int n = 0;
        for (const Case &c : cases) {
            const QString file = path(QStringLiteral("case-%1.kdbackup").arg(++n));
            QVERIFY(writeFile(file, c.bytes, QFileDevice::ReadOwner | QFileDevice::WriteOwner));
            const QString target = path(QStringLiteral("case-%1").arg(n));
            auto r = restoreEmbeddedStore({file, target, c.key, false}, QDateTime::currentDateTimeUtc());
            QVERIFY2(!r.ok(), c.name);
            QVERIFY2(r.error().code == c.code,
                qPrintable(QStringLiteral("%1: code %2: %3")
                               .arg(QLatin1String(c.name))
                               .arg(int(r.error().code))
                               .arg(r.error().message)));
            QVERIFY2(r.error().message.contains(c.says),
                qPrintable(QLatin1String(c.name) + QStringLiteral(": ") + r.error().message));
            QVERIFY2(QDir(target).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).isEmpty(),
                qPrintable(QLatin1String(c.name) + QStringLiteral(": files were left in the folder")));
            QCOMPARE(readFile(file), c.bytes); // the file itself is never changed
        }
        // The checks are the file's: inspecting needs no key and says the same.
        auto inspected = inspectBackup(path(QStringLiteral("case-1.kdbackup")));
        QVERIFY(!inspected.ok());
        QVERIFY(inspected.error().message.contains(QStringLiteral("截断")));
        // And the good one restores (the cases above could fail).
        auto r = restoreEmbeddedStore(
            {good, path(QStringLiteral("good")), m_keyCopy, false}, QDateTime::currentDateTimeUtc());
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
    }

    // A backup from an older version is migrated as it is restored; one
    // from a newer version is refused before anything is written.
    void restoresOlderBackupsAndRefusesNewerOnes()
    {
        if (m_postgres)
            QSKIP("the backup file is the embedded store's; PostgreSQL's is pg_dump's");
        FreshStore fresh;
        seededEmbeddedStore(fresh);
        if (QTest::currentTestFailed())
            return;
        const qint64 newest = serverSchema().back().version;
        // The migration before it (numbers may skip one another branch holds).
        const qint64 previous = serverSchema()[serverSchema().size() - 2].version;
        QStringList tablesNow;
        {
            // The store as the version before the newest migration left it.
            auto store = ServerStore::open(fresh.location());
            QVERIFY(store.ok());
            tablesNow = schemaTables(**store);
            // What the newest migration made, undone: each migration that
            // may be the newest has its undoing here, by number (SQLite 3.15
            // drops no column, so a table is made again without it).
            const QHash<qint64, QString> undo{
                {12, QStringLiteral("DROP TABLE case_step; DROP TABLE compliance_case;"
                                    " DROP TABLE report_exemption; DROP TABLE weekly_report;")},
                {13, QStringLiteral("DROP INDEX kiosk_event_kind_session; DROP TABLE proctor_assignment; DROP TABLE proctor;"
                                    " ALTER TABLE kiosk_event RENAME TO kiosk_event_v12;"
                                    " CREATE TABLE kiosk_event AS SELECT id, kiosk_id, event_id, kind, session_id,"
                                    " registration_id, device_time, received_at, target_kiosk_id, target_event_id, late,"
                                    " method, incident, outcome, score, reason FROM kiosk_event_v12;"
                                    " DROP TABLE kiosk_event_v12;"
                                    " CREATE INDEX kiosk_event_registration ON kiosk_event (registration_id);")},
                {14, QStringLiteral("DROP TABLE candidate_photo;")}, // the candidates' photos
                {16, QStringLiteral("DROP INDEX compliance_case_flag;"
                                    " CREATE INDEX compliance_case_flag ON compliance_case (flag_key);")},
            };
            QVERIFY2(undo.contains(newest),
                     qPrintable(QStringLiteral("say how to undo migration %1 here").arg(newest)));
            QVERIFY((*store)->sql().execScript(undo.value(newest)).ok());
            QVERIFY((*store)
                        ->sql()
                        .query(QStringLiteral("DELETE FROM schema_migration WHERE version = ?"), {newest})
                        .ok());
        }
        const QString older = path(QStringLiteral("older.kdbackup"));
        auto made = backupEmbeddedStore(
            fresh.location().dataDir, kFolderFiles, older, QDateTime::currentDateTimeUtc());
        QVERIFY(made.ok());
        QCOMPARE(made->schemaVersion, previous); // backing up migrates nothing
        const QString target = path(QStringLiteral("older-restored"));
        auto restored
            = restoreEmbeddedStore({older, target, m_keyCopy, false}, QDateTime::currentDateTimeUtc());
        QVERIFY2(restored.ok(), qPrintable(restored.ok() ? QString() : restored.error().message));
        {
            auto store = ServerStore::open({target, QString()});
            QVERIFY(store.ok());
            auto version = (*store)->sql().query(QStringLiteral("SELECT max(version) FROM schema_migration"));
            QVERIFY(version.ok());
            QCOMPARE(version->first().first().toLongLong(), newest);
            // The registrations are all there, and what the newest
            // migration made is made again by the restore.
            auto registrations = (*store)->sql().query(QStringLiteral("SELECT count(*) FROM registration"));
            QVERIFY(registrations.ok());
            QVERIFY(registrations->first().first().toLongLong() > 0);
            QCOMPARE(schemaTables(**store), tablesNow);
        }

        {
            // A store a later version wrote.
            auto store = ServerStore::open(fresh.location());
            QVERIFY(store.ok());
            QVERIFY(
                (*store)
                    ->sql()
                    .query(QStringLiteral("INSERT INTO schema_migration (version, applied_at) VALUES (?, ?)"),
                        {newest + 5, QStringLiteral("2030-01-01T00:00:00.000Z")})
                    .ok());
        }
        const QString newer = path(QStringLiteral("newer.kdbackup"));
        made = backupEmbeddedStore(
            fresh.location().dataDir, kFolderFiles, newer, QDateTime::currentDateTimeUtc());
        QVERIFY(made.ok());
        QCOMPARE(made->schemaVersion, newest + 5);
        const QString refusedTarget = path(QStringLiteral("newer-restored"));
        auto refused
            = restoreEmbeddedStore({newer, refusedTarget, m_keyCopy, false}, QDateTime::currentDateTimeUtc());
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, StoreError::Code::NewerSchema);
        QVERIFY2(refused.error().message.contains(QStringLiteral("较新版本")),
            qPrintable(refused.error().message));
        QVERIFY(!QFileInfo::exists(refusedTarget));
    }

    // A folder with anything in it is refused; --force moves it all aside, untouched.
    void restoresOverAFolderOnlyWhenForced()
    {
        if (m_postgres)
            QSKIP("the backup file is the embedded store's; PostgreSQL's is pg_dump's");
        FreshStore fresh;
        seededEmbeddedStore(fresh);
        if (QTest::currentTestFailed())
            return;
        const QString file = path(QStringLiteral("force.kdbackup"));
        QVERIFY(
            backupEmbeddedStore(fresh.location().dataDir, kFolderFiles, file, QDateTime::currentDateTimeUtc())
                .ok());
        const QString target = path(QStringLiteral("force-target"));
        QVERIFY(QDir().mkpath(target));
        QVERIFY(writeFile(
            QDir(target).filePath("notes.txt"), "keep me", QFileDevice::ReadOwner | QFileDevice::WriteOwner));

        auto refused
            = restoreEmbeddedStore({file, target, m_keyCopy, false}, QDateTime::currentDateTimeUtc());
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, StoreError::Code::AlreadyExists);
        QVERIFY2(refused.error().message.contains(QStringLiteral("不是空的")),
            qPrintable(refused.error().message));
        QCOMPARE(QDir(target).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
            QStringList {"notes.txt"});

        const QDateTime first(QDate(2026, 6, 1), QTime(8, 0), Qt::UTC);
        auto forced = restoreEmbeddedStore({file, target, m_keyCopy, true}, first);
        QVERIFY2(forced.ok(), qPrintable(forced.ok() ? QString() : forced.error().message));
        QCOMPARE(forced->movedAsideTo, QDir(target).filePath("before-restore-20260601T080000"));
        QCOMPARE(readFile(QDir(forced->movedAsideTo).filePath("notes.txt")), QByteArray("keep me"));
        QVERIFY(!QFile::exists(QDir(target).filePath("notes.txt")));
        QVERIFY(ServerStore::open({target, QString()}).ok());

        // Again over the restored folder, with its own key: the store that was there is kept aside whole.
        const QByteArray keyBefore = readFile(ServerStore::embeddedKeyPath(target));
        auto over = restoreEmbeddedStore(
            {file, target, ServerStore::embeddedKeyPath(target), true}, first.addSecs(60));
        QVERIFY2(over.ok(), qPrintable(over.ok() ? QString() : over.error().message));
        QCOMPARE(readFile(QDir(over->movedAsideTo).filePath("server.key")), keyBefore);
        QVERIFY(QFile::exists(QDir(over->movedAsideTo).filePath("server.db")));
        QVERIFY(QFile::exists(QDir(over->movedAsideTo).filePath("before-restore-20260601T080000/notes.txt")));
        QString why;
        const QString difference
            = firstDifference(tablesAt(fresh.location(), &why), tablesAt({target, QString()}, &why));
        QVERIFY2(difference.isEmpty(), qPrintable(difference + why));
    }
};

QTEST_GUILESS_MAIN(TestBackup)
#include "tst_backup.moc"
