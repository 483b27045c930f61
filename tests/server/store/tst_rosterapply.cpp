// Importing roster files into the store, against both stores: all or
// nothing, the same file twice changes nothing, contradictions refused with
// line and column.

#include "sample/sampleroster.h"
#include "store/rosterapply.h"

#include "freshstore.h"

#include <QTemporaryDir>
#include <QTest>

using namespace kaodian;
using namespace kaodian::server;

namespace {

qint64 count(ServerStore &s, const char *table)
{
    auto r = s.sql().query(QStringLiteral("SELECT count(*) FROM %1").arg(QLatin1String(table)));
    return r ? r->first().first().toLongLong() : -1;
}

RosterFile parse(const QByteArray &bytes)
{
    auto r = parseRosterFile(bytes, QStringLiteral("roster.csv"));
    if (!r)
        qFatal("sample roster did not parse: %s", qPrintable(r.error().first().message));
    return *r;
}

QByteArray replaceLine(const QByteArray &csv, int line, const QByteArray &from, const QByteArray &to)
{
    QList<QByteArray> lines = csv.split('\n');
    lines[line - 1].replace(from, to);
    return lines.join('\n');
}

} // namespace

class TestRosterApply : public QObject
{
    Q_OBJECT

    std::unique_ptr<testing::FreshStore> m_fresh;
    std::unique_ptr<ServerStore> m_store;

private slots:
    void init()
    {
        m_fresh = std::make_unique<testing::FreshStore>();
        QVERIFY2(m_fresh->ok(), qPrintable(m_fresh->error()));
        auto s = ServerStore::open(m_fresh->location());
        QVERIFY(s.ok());
        m_store = std::move(s).value();
    }
    void cleanup()
    {
        m_store.reset();
        m_fresh.reset();
    }

    void importsAndReimportsIdempotently()
    {
        const QByteArray csv = sampleRosterCsv({.candidates = 240, .seed = 5});
        auto first = m_store->rosters().applyRoster(parse(csv), "a.csv", "office");
        QVERIFY(first.ok());
        QCOMPARE(first->rows, 240);
        QCOMPARE(first->newCandidates, 240);
        QCOMPARE(first->newRegistrations, 240);
        QCOMPARE(first->newSessions, 6);
        QCOMPARE(count(*m_store, "registration"), 240);
        QCOMPARE(count(*m_store, "college"), 3);
        QCOMPARE(count(*m_store, "pilot"), 6);

        // The same bytes again: nothing changes, not even the audit log.
        const qint64 auditBefore = count(*m_store, "audit_log");
        auto again = m_store->rosters().applyRoster(parse(csv), "a.csv", "office");
        QVERIFY(again.ok());
        QVERIFY(again->alreadyImported);
        QCOMPARE(count(*m_store, "registration"), 240);
        QCOMPARE(count(*m_store, "audit_log"), auditBefore);

        // The same rows in another file (e.g. saved again) are unchanged rows.
        const QByteArray more = sampleRosterCsv({.candidates = 250, .seed = 5});
        auto third = m_store->rosters().applyRoster(parse(more), "b.csv", "office");
        QVERIFY(third.ok());
        QCOMPARE(third->unchangedRegistrations, 240);
        QCOMPARE(third->newRegistrations, 10);
        QCOMPARE(count(*m_store, "registration"), 250);
        QCOMPARE(count(*m_store, "import_batch"), 2);
        auto log = m_store->audit().entries(1);
        QCOMPARE(log->first().action, QStringLiteral("roster.import"));
        QVERIFY(log->first().detail.contains("b.csv"));
    }

    void contradictionsRefuseTheWholeFile()
    {
        const QByteArray csv = sampleRosterCsv({.candidates = 60, .seed = 9});
        QVERIFY(m_store->rosters().applyRoster(parse(csv), "a.csv", "office").ok());
        const qint64 candidates = count(*m_store, "candidate");

        // Line 40 gives a stored ID-card number another name; 10 new rows come first.
        QByteArray bigger = sampleRosterCsv({.candidates = 70, .seed = 9});
        const QList<QByteArray> lines = bigger.split('\n');
        const QByteArray storedName = lines[39].split(',')[1];
        bigger = replaceLine(bigger, 40, storedName, QStringLiteral("改名换姓").toUtf8());
        auto refused = m_store->rosters().applyRoster(parse(bigger), "c.csv", "office");
        QVERIFY(!refused.ok());
        QVERIFY(!refused.error().storeError);
        QCOMPARE(refused.error().problems.size(), 1);
        QCOMPARE(refused.error().problems[0].line, 40);
        QCOMPARE(refused.error().problems[0].column, QStringLiteral("姓名"));
        QVERIFY(!refused.error().problems[0].message.contains(QString::fromUtf8(lines[39].split(',')[2]))); // ID masked
        // Nothing of the file was kept: not the 10 new candidates either.
        QCOMPARE(count(*m_store, "candidate"), candidates);
        QCOMPARE(count(*m_store, "import_batch"), 1);

        // A stored ticket number moved to another seat: a change, applied
        // only when confirmed (tst_registrationchanges).
        QByteArray moved = replaceLine(csv, 2, ",01,2026", ",29,2026");
        auto r = m_store->rosters().applyRoster(parse(moved), "d.csv", "office");
        QVERIFY(!r.ok());
        QVERIFY(r.error().problems.isEmpty());
        QVERIFY(r.error().unconfirmed.has_value());
        QCOMPARE(r.error().unconfirmed->changedRegistrations, 1);
    }
};

QTEST_GUILESS_MAIN(TestRosterApply)
#include "tst_rosterapply.moc"
