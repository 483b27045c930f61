#include "core/database.h"

#include <QCryptographicHash>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace kaodian;

namespace {

const QString kPass = QStringLiteral("考点-口令-2026");
constexpr int kFastKdf = kMinKdfIterations;

StoreOptions schema()
{
    StoreOptions o;
    o.migrations = {
        {1, "CREATE TABLE candidate (id INTEGER PRIMARY KEY, name TEXT NOT NULL, id_number TEXT NOT NULL);"},
        {2, "CREATE TABLE event (id INTEGER PRIMARY KEY, candidate_id INTEGER NOT NULL REFERENCES candidate(id),"
            " kind TEXT NOT NULL);"},
    };
    return o;
}

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QByteArray fileHash(const QString &path)
{
    return QCryptographicHash::hash(fileBytes(path), QCryptographicHash::Sha256);
}

bool writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

const QStringList kNames{QStringLiteral("张三丰"), QStringLiteral("欧阳娜娜"), QStringLiteral("林则徐")};
const QStringList kIds{QStringLiteral("350102199001011234"), QStringLiteral("11010519491231002X"),
                       QStringLiteral("350103200512307788")};

void insertCandidates(Database &db)
{
    Transaction tx(db);
    QVERIFY(tx.begun());
    auto st = db.prepare(QStringLiteral("INSERT INTO candidate (name, id_number) VALUES (?, ?)"));
    QVERIFY(st.ok());
    for (int i = 0; i < kNames.size(); ++i) {
        st->reset();
        st->bind(1, kNames[i]).bind(2, kIds[i]);
        QVERIFY(st->run().ok());
    }
    QVERIFY(tx.commit().ok());
}

int countCandidates(Database &db)
{
    auto st = db.prepare(QStringLiteral("SELECT count(*) FROM candidate"));
    if (!st || !st->step().ok())
        return -1;
    return static_cast<int>(st->int64(0));
}

} // namespace

// The encrypted store: SQLCipher, wrapped key, migrations, damage handling.
class TestStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString db(const QString &name = QStringLiteral("kiosk.db")) const { return m_dir.filePath(name); }
    QString key(const QString &name = QStringLiteral("kiosk.key")) const { return m_dir.filePath(name); }

    void makeStore(const QString &dbPath, const QString &keyPath)
    {
        auto created = Database::create(dbPath, keyPath, kPass, schema(), kFastKdf);
        QVERIFY2(created.ok(), created.ok() ? "" : qPrintable(created.error().message));
        insertCandidates(*created);
    }

private slots:
    void init() { QVERIFY(m_dir.isValid()); }
    void cleanup()
    {
        for (const auto &name : QDir(m_dir.path()).entryList(QDir::Files))
            QFile::remove(m_dir.filePath(name));
    }

    void createAndReopen()
    {
        makeStore(db(), key());
        auto reopened = Database::open(db(), key(), kPass, schema());
        QVERIFY2(reopened.ok(), reopened.ok() ? "" : qPrintable(reopened.error().message));
        QCOMPARE(reopened->schemaVersion(), 2);
        QCOMPARE(countCandidates(*reopened), 3);
        auto st = reopened->prepare(QStringLiteral("SELECT name, id_number FROM candidate ORDER BY id"));
        QVERIFY(st.ok());
        QVERIFY(*st->step());
        QCOMPARE(st->text(0), kNames[0]);
        QCOMPARE(st->text(1), kIds[0]);

        auto mode = reopened->prepare(QStringLiteral("PRAGMA journal_mode"));
        QVERIFY(mode.ok() && *mode->step());
        QCOMPARE(mode->text(0), QStringLiteral("wal"));
        auto sync = reopened->prepare(QStringLiteral("PRAGMA synchronous"));
        QVERIFY(sync.ok() && *sync->step());
        QCOMPARE(sync->int64(0), 2); // FULL
    }

    void filesAreOwnerOnly()
    {
        makeStore(db(), key());
        const auto owner = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
        const auto others = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ReadOther
                            | QFileDevice::WriteOther;
        QVERIFY((QFile::permissions(db()) & owner) == owner);
        QCOMPARE(QFile::permissions(db()) & others, QFileDevice::Permissions());
        QCOMPARE(QFile::permissions(key()) & others, QFileDevice::Permissions());
    }

    void plainSqliteCannotReadIt()
    {
        makeStore(db(), key());
        const QString sqlite3 = QStandardPaths::findExecutable(QStringLiteral("sqlite3"));
        QVERIFY2(!sqlite3.isEmpty(), "the sqlite3 command line tool is required (package sqlite3)");
        QProcess p;
        p.start(sqlite3, {db(), QStringLiteral("SELECT name FROM sqlite_master;")});
        QVERIFY(p.waitForFinished(10000));
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(p.exitCode() != 0, p.readAllStandardOutput().constData());
        QVERIFY2(err.contains("not a database"), err.constData());
        // Not even the header says SQLite.
        QVERIFY(!fileBytes(db()).startsWith("SQLite format 3"));
    }

    void noPersonalDataInTheFileBytes()
    {
        {
            auto created = Database::create(db(), key(), kPass, schema(), kFastKdf);
            QVERIFY(created.ok());
            insertCandidates(*created);
            // While open, the newest pages are in the WAL: check both files.
            for (const QString &path : {db(), db() + "-wal"}) {
                const QByteArray bytes = fileBytes(path);
                QVERIFY2(!bytes.isEmpty() || path == db(), qPrintable(path));
                for (const QString &s : kNames + kIds) {
                    QVERIFY2(!bytes.contains(s.toUtf8()), qPrintable(path + ": " + s));
                    QVERIFY(!bytes.contains(QByteArray(reinterpret_cast<const char *>(s.utf16()), s.size() * 2)));
                }
            }
            QVERIFY(created->checkpoint().ok());
        }
        const QByteArray bytes = fileBytes(db());
        QVERIFY(bytes.size() >= 4096);
        for (const QString &s : kNames + kIds)
            QVERIFY2(!bytes.contains(s.toUtf8()), qPrintable(s));
        // The key file does not hold the database key in clear.
        auto contents = readKeyFile(key());
        QVERIFY(contents.ok());
        auto k = unwrapKey(*contents, kPass);
        QVERIFY(k.ok());
        const QByteArray raw(reinterpret_cast<const char *>(k->data()), 32);
        const QByteArray keyFile = fileBytes(key());
        QVERIFY(!keyFile.contains(raw));
        QVERIFY(!keyFile.contains(raw.toHex()));
        QVERIFY(!keyFile.contains(raw.toBase64()));
    }

    void wrongPassphraseIsClearAndTouchesNothing()
    {
        makeStore(db(), key());
        const QByteArray dbBefore = fileHash(db());
        const QByteArray keyBefore = fileHash(key());
        const auto mtime = QFileInfo(db()).lastModified();
        auto r = Database::open(db(), key(), QStringLiteral("wrong"), schema());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, StoreError::Code::WrongPassphrase);
        QVERIFY(r.error().message.contains(QStringLiteral("口令错误")));
        QCOMPARE(fileHash(db()), dbBefore);
        QCOMPARE(fileHash(key()), keyBefore);
        QCOMPARE(QFileInfo(db()).lastModified(), mtime);
        QVERIFY(Database::open(db(), key(), kPass, schema()).ok());
    }

    void passphraseChangesWithoutReencrypting()
    {
        makeStore(db(), key());
        {
            auto d = Database::open(db(), key(), kPass, schema());
            QVERIFY(d.ok());
            QVERIFY(d->checkpoint().ok());
        }
        const QByteArray dbBefore = fileHash(db());
        QCOMPARE(changePassphrase(key(), QStringLiteral("wrong"), QStringLiteral("new")).error().code,
                 StoreError::Code::WrongPassphrase);
        QVERIFY(changePassphrase(key(), kPass, QStringLiteral("新口令"), kFastKdf).ok());
        QCOMPARE(fileHash(db()), dbBefore);
        QCOMPARE(Database::open(db(), key(), kPass, schema()).error().code, StoreError::Code::WrongPassphrase);
        auto d = Database::open(db(), key(), QStringLiteral("新口令"), schema());
        QVERIFY(d.ok());
        QCOMPARE(countCandidates(*d), 3);
    }

    void damagedFileIsMovedAsideNotReplaced()
    {
        makeStore(db(), key());
        {
            auto d = Database::open(db(), key(), kPass, schema());
            QVERIFY(d.ok());
            QVERIFY(d->checkpoint().ok());
        }
        QByteArray bytes = fileBytes(db());
        QVERIFY(bytes.size() >= 2 * 4096);
        bytes[4096 + 1000] = static_cast<char>(bytes[4096 + 1000] ^ 0x10); // inside page 2
        QVERIFY(writeBytes(db(), bytes));

        auto r = Database::open(db(), key(), kPass, schema());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, StoreError::Code::Damaged);
        QVERIFY2(r.error().message.contains(QStringLiteral("已损坏")), qPrintable(r.error().message));
        QVERIFY(!QFile::exists(db()));               // not silently replaced
        QVERIFY(QFile::exists(r.error().path));      // kept aside, byte for byte
        QCOMPARE(fileBytes(r.error().path), bytes);
        QVERIFY(QFile::exists(r.error().path + ".key"));
        QCOMPARE(Database::open(db(), key(), kPass, schema()).error().code, StoreError::Code::DatabaseMissing);
    }

    void truncatedFileIsDamage()
    {
        makeStore(db(), key());
        {
            auto d = Database::open(db(), key(), kPass, schema());
            QVERIFY(d.ok());
            QVERIFY(d->checkpoint().ok());
        }
        const QByteArray bytes = fileBytes(db());
        QVERIFY(writeBytes(db(), bytes.left(bytes.size() - 4096)));
        auto r = Database::open(db(), key(), kPass, schema());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, StoreError::Code::Damaged);
        QVERIFY(!QFile::exists(db()));

        makeStore(db(), key());
        QVERIFY(writeBytes(db(), QByteArray()));
        r = Database::open(db(), key(), kPass, schema());
        QCOMPARE(r.error().code, StoreError::Code::Damaged);
    }

    void keyFileOfAnotherDatabaseIsRefused()
    {
        makeStore(db(), key());
        makeStore(db("other.db"), key("other.key"));
        const QByteArray before = fileHash(db());
        auto r = Database::open(db(), key("other.key"), kPass, schema());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, StoreError::Code::KeyMismatch);
        QCOMPARE(fileHash(db()), before);
        QVERIFY(QFile::exists(db()));
    }

    void missingAndDamagedKeyFile()
    {
        makeStore(db(), key());
        QCOMPARE(Database::open(db(), key("absent.key"), kPass, schema()).error().code,
                 StoreError::Code::KeyFileMissing);
        QVERIFY(writeBytes(key("junk.key"), "{\"format\": \"something else\"}"));
        QCOMPARE(Database::open(db(), key("junk.key"), kPass, schema()).error().code,
                 StoreError::Code::KeyFileDamaged);
        QCOMPARE(Database::create(db("weak.db"), key("weak.key"), kPass, schema(), 1000).error().code,
                 StoreError::Code::WeakKdf);
        QVERIFY(!QFile::exists(db("weak.db")));
    }

    void createRefusesToOverwrite()
    {
        makeStore(db(), key());
        const QByteArray before = fileHash(db());
        auto r = Database::create(db(), key("second.key"), kPass, schema(), kFastKdf);
        QCOMPARE(r.error().code, StoreError::Code::AlreadyExists);
        QCOMPARE(fileHash(db()), before);
    }

    void migrationsAreNumberedAndAtomic()
    {
        StoreOptions v1;
        v1.migrations = {schema().migrations[0]};
        {
            auto d = Database::create(db(), key(), kPass, v1, kFastKdf);
            QVERIFY(d.ok());
            QCOMPARE(d->schemaVersion(), 1);
        }
        // A failing migration leaves the schema where it was.
        StoreOptions broken = v1;
        broken.migrations.push_back({2, "CREATE TABLE half (x); THIS IS NOT SQL;"});
        auto bad = Database::open(db(), key(), kPass, broken);
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().message.contains(QStringLiteral("迁移 2")));
        {
            auto d = Database::open(db(), key(), kPass, v1);
            QVERIFY(d.ok());
            QCOMPARE(d->schemaVersion(), 1);
            auto st = d->prepare(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = 'half'"));
            QVERIFY(st.ok() && *st->step());
            QCOMPARE(st->int64(0), 0);
        }
        // Upgrading applies the rest.
        {
            auto d = Database::open(db(), key(), kPass, schema());
            QVERIFY(d.ok());
            QCOMPARE(d->schemaVersion(), 2);
        }
        // An older program refuses a newer file and leaves it alone.
        const QByteArray before = fileHash(db());
        auto older = Database::open(db(), key(), kPass, v1);
        QCOMPARE(older.error().code, StoreError::Code::NewerSchema);
        QCOMPARE(fileHash(db()), before);
    }

    void uncommittedTransactionRollsBack()
    {
        makeStore(db(), key());
        auto d = Database::open(db(), key(), kPass, schema());
        QVERIFY(d.ok());
        {
            Transaction tx(*d);
            QVERIFY(d->exec(QStringLiteral("INSERT INTO candidate (name, id_number) VALUES ('x', 'y')")).ok());
        }
        QCOMPARE(countCandidates(*d), 3);
        auto st = d->prepare(QStringLiteral("INSERT INTO event (candidate_id, kind) VALUES (999, 'x')"));
        QVERIFY(st.ok());
        QVERIFY(!st->run().ok()); // foreign keys are enforced
        QVERIFY(!d->prepare(QStringLiteral("SELEC nonsense")).ok());
    }

    void rawKeyFileForUnattendedServers()
    {
        {
            auto d = Database::createWithRawKeyFile(db(), key(), schema());
            QVERIFY(d.ok());
            insertCandidates(*d);
        }
        auto d = Database::open(db(), key(), QString(), schema());
        QVERIFY(d.ok());
        QCOMPARE(countCandidates(*d), 3);
        const auto others = QFileDevice::ReadGroup | QFileDevice::ReadOther;
        QCOMPARE(QFile::permissions(key()) & others, QFileDevice::Permissions());
    }
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
