// The office use cases (server/office), called directly as both front
// doors call them: what each answers, what it audits, and that it reads the
// store's injected clock. The API's and CLI's own tests (tst_api,
// tst_serverprocess) prove the translation on top.

#include "office/kiosks.h"
#include "office/rosters.h"
#include "office/sessions.h"
#include "office/tickets.h"
#include "sample/sampleroster.h"

#include "core/ticket.h"

#include "freshstore.h"

#include <QtTest>

using namespace kaodian;
using namespace kaodian::server;

class TestOffice : public QObject
{
    Q_OBJECT

    std::unique_ptr<testing::FreshStore> m_fresh;
    std::unique_ptr<ServerStore> m_store;
    QDateTime m_now = QDateTime(QDate(2026, 5, 30), QTime(2, 15, 42, 678), Qt::UTC);
    SigningKey m_key = *SigningKey::fromRaw(QByteArray(32, '\x05'));

    // Audit actions recorded after entry id `after`, oldest first.
    QStringList actionsSince(Id after)
    {
        QStringList out;
        auto log = m_store->audit().entries(500);
        for (const auto &e : *log)
            if (e.id > after)
                out.prepend(e.action);
        return out;
    }
    Id lastAuditId()
    {
        auto log = m_store->audit().entries(1);
        return log->isEmpty() ? 0 : log->first().id;
    }
    QStringList sessionTickets()
    {
        auto r = m_store->sql().query(QStringLiteral("SELECT ticket_number FROM registration ORDER BY id LIMIT 3"));
        QStringList out;
        for (const auto &row : r->rows)
            out.push_back(row[0].toString());
        return out;
    }

private slots:
    void init()
    {
        m_fresh = std::make_unique<testing::FreshStore>();
        QVERIFY2(m_fresh->ok(), qPrintable(m_fresh->error()));
        auto store = ServerStore::open(m_fresh->location(), [this] { return m_now; });
        QVERIFY(store.ok());
        m_store = std::move(store).value();
        SampleRosterOptions o;
        o.candidates = 40;
        auto imported = office::importRoster(*m_store, sampleRosterCsv(o), QStringLiteral("sample.csv"), "office");
        QVERIFY2(imported.ok(), imported.ok() ? "" : qPrintable(imported.error().message));
        QCOMPARE(imported->rows, 40);
    }
    void cleanup()
    {
        m_store.reset();
        m_fresh.reset();
    }

    void aRefusedRosterIsAuditedWithItsProblems()
    {
        const Id before = lastAuditId();
        const QByteArray bad = "\xEF\xBB\xBF姓名,身份证号\n张三,123\n";
        auto refused = office::importRoster(*m_store, bad, QStringLiteral("bad.csv"), "office");
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().kind, OfficeError::Kind::Refused);
        QCOMPARE(refused.error().code, QStringLiteral("invalid_file"));
        QVERIFY(!refused.error().problems.isEmpty());
        QCOMPARE(actionsSince(before), QStringList{QStringLiteral("roster.refused")});
        // The audit entry is stamped by the injected clock.
        QCOMPARE(m_store->audit().entries(1)->first().at, m_now);
    }

    void theSameRosterAgainChangesNothing()
    {
        SampleRosterOptions o;
        o.candidates = 40;
        auto again = office::importRoster(*m_store, sampleRosterCsv(o), QStringLiteral("sample.csv"), "office");
        QVERIFY(again.ok());
        QVERIFY(again->alreadyImported);
    }

    void reissueRevokesAsOfTheClockAndSigns()
    {
        const QString number = sessionTickets().first();
        auto reissued = office::reissueTicket(*m_store, m_key, number, "office");
        QVERIFY2(reissued.ok(), reissued.ok() ? "" : qPrintable(reissued.error().message));
        QCOMPARE(reissued->reissue.revokedSerial, 1);
        QCOMPARE(reissued->reissue.subject.serial, 2);
        QCOMPARE(reissued->reissue.revokedAt, QDateTime(QDate(2026, 5, 30), QTime(2, 15, 42), Qt::UTC));
        // The QR text verifies and names the new serial.
        TicketVerifier verifier;
        verifier.addKey(m_key.verifyKey());
        auto claims = verifier.verify(reissued->qrText);
        QVERIFY(claims.ok());
        QCOMPARE(int(claims->serial), 2);
        QCOMPARE(claims->ticketNumber, number);
        auto unknown = office::reissueTicket(*m_store, m_key, QStringLiteral("NOPE-1"), "office");
        QVERIFY(!unknown.ok());
        QCOMPARE(unknown.error().kind, OfficeError::Kind::NotFound);
    }

    void printingIsAuditedAndRefusesABadLayout()
    {
        const QStringList numbers = sessionTickets();
        auto bad = office::printTickets(*m_store, m_key, {std::nullopt, numbers}, 3, "office");
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().kind, OfficeError::Kind::BadInput);
        const Id before = lastAuditId();
        auto printed = office::printTickets(*m_store, m_key, {std::nullopt, numbers}, 2, "office");
        QVERIFY2(printed.ok(), printed.ok() ? "" : qPrintable(printed.error().message));
        QCOMPARE(printed->tickets, 3);
        QCOMPARE(printed->pages, 2);
        QVERIFY(printed->pdf.startsWith("%PDF"));
        QCOMPARE(actionsSince(before), QStringList{QStringLiteral("ticket.print")});
        auto missing = office::printTickets(*m_store, m_key, {std::nullopt, {QStringLiteral("NOPE-1")}}, 4, "office");
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().kind, OfficeError::Kind::NotFound);
    }

    void anUnreadableEventsFileIsRefusedAndAudited()
    {
        const Id before = lastAuditId();
        auto refused = office::importEventsFile(*m_store, "not json", QStringLiteral("x.json"), QStringLiteral("K1"), "office");
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().kind, OfficeError::Kind::Refused);
        QCOMPARE(actionsSince(before), QStringList{QStringLiteral("kiosk.events_import_refused")});
    }

    void publishedCountAndUsersFollowTheRules()
    {
        auto negative = office::setPublishedCount(*m_store, 1, -1, "office");
        QVERIFY(!negative.ok());
        QCOMPARE(negative.error().kind, OfficeError::Kind::BadInput);
        auto unknown = office::setPublishedCount(*m_store, 999999, 10, "office");
        QVERIFY(!unknown.ok());
        QCOMPARE(unknown.error().kind, OfficeError::Kind::NotFound);
        QVERIFY(office::setPublishedCount(*m_store, 1, 40, "office").ok());

        auto weak = office::addUser(*m_store, QStringLiteral("a"), QStringLiteral("123"), Role::Admin, std::nullopt, "office");
        QVERIFY(!weak.ok());
        QCOMPARE(weak.error().kind, OfficeError::Kind::BadInput);
        auto noCollege = office::addUser(*m_store, QStringLiteral("b"), QStringLiteral("correct horse battery staple"),
                                         Role::CollegeViewer, std::nullopt, "office");
        QVERIFY(!noCollege.ok());
        QVERIFY(office::addUser(*m_store, QStringLiteral("c"), QStringLiteral("correct horse battery staple"), Role::Admin,
                                std::nullopt, "office")
                    .ok());
        auto twice = office::addUser(*m_store, QStringLiteral("c"), QStringLiteral("correct horse battery staple"),
                                     Role::Admin, std::nullopt, "office");
        QVERIFY(!twice.ok());
        QCOMPARE(twice.error().kind, OfficeError::Kind::Conflict);
    }
};

QTEST_MAIN(TestOffice) // tickets are laid out with fonts: a (offscreen) GUI application
#include "tst_office.moc"
