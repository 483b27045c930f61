// The route table (server/api/routes.h): every route declares who may call
// it and over what scope, the two fit together, no two routes answer the
// same request, and the dispatcher enforces what the table says — a route
// declared for the office (or its metrics) refuses a college viewer, a
// kiosk route refuses a person, a session route hides another college's
// session.

#include "api/api.h"
#include "office/rosters.h"
#include "sample/sampleroster.h"

#include "freshstore.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <set>

using namespace kaodian;
using namespace kaodian::server;

class TestRoutes : public QObject
{
    Q_OBJECT

private slots:
    void everyRouteDeclaresAccessAndScope()
    {
        QVERIFY(Api::routes().size() >= 20);
        for (const Route &r : Api::routes()) {
            const QString where = QString::fromLatin1(r.method) + QLatin1Char(' ') + r.pattern.join(QLatin1Char('/'));
            const QString problem = routeProblem(r);
            QVERIFY2(problem.isEmpty(), qPrintable(where + QStringLiteral(": ") + problem));
        }
    }

    void theCheckCatchesAnUndeclaredRoute()
    {
        // The test above can fail: a route without its role or scope, or
        // with a pair that does not fit, is named.
        Route noAccess{"GET", {"x"}, Access::Unset, Scope::All, nullptr};
        QVERIFY(!routeProblem(noAccess).isEmpty());
        const RouteHandler any = Api::routes().first().handler;
        QVERIFY(!routeProblem(Route{"GET", {"x"}, Access::Office, Scope::Unset, any}).isEmpty());
        QVERIFY(!routeProblem(Route{"GET", {"x"}, Access::Person, Scope::All, any}).isEmpty());
        QVERIFY(!routeProblem(Route{"GET", {"x"}, Access::Public, Scope::All, any}).isEmpty());
        QVERIFY(!routeProblem(Route{"GET", {"x"}, Access::Kiosk, Scope::All, any}).isEmpty());
        QVERIFY(!routeProblem(Route{"GET", {"x", "{id}"}, Access::Office, Scope::SessionCollege, any}).isEmpty());
        QVERIFY(routeProblem(Route{"GET", {"x", "{session}"}, Access::Office, Scope::SessionCollege, any}).isEmpty());
        // The metrics token reads what the office sees, and only reads.
        QVERIFY(!routeProblem(Route{"GET", {"x"}, Access::Metrics, Scope::OwnCollege, any}).isEmpty());
        QVERIFY(!routeProblem(Route{"POST", {"x"}, Access::Metrics, Scope::All, any}).isEmpty());
        QVERIFY(routeProblem(Route{"GET", {"x"}, Access::Metrics, Scope::All, any}).isEmpty());
    }

    void noTwoRoutesAnswerTheSameRequest()
    {
        std::set<QString> seen;
        for (const Route &r : Api::routes()) {
            QStringList shape;
            for (const QString &p : r.pattern)
                shape.push_back(p.startsWith(QLatin1Char('{')) ? QStringLiteral("{}") : p);
            const QString key = QString::fromLatin1(r.method) + QLatin1Char(' ') + shape.join(QLatin1Char('/'));
            QVERIFY2(seen.insert(key).second, qPrintable(QStringLiteral("twice: ") + key));
        }
    }

    void matchingCapturesByName()
    {
        QHash<QString, QString> captures;
        QVERIFY(matchRoute({"sessions", "{session}", "tickets.pdf"}, {"sessions", "42", "tickets.pdf"}, &captures));
        QCOMPARE(captures.value("session"), QStringLiteral("42"));
        QVERIFY(!matchRoute({"sessions", "{session}"}, {"sessions", "42", "tickets.pdf"}, &captures));
        QVERIFY(!matchRoute({"sessions", "{session}", "published-count"}, {"sessions", "42", "results-final"}, &captures));
    }

    // Every office route refuses a logged-in college viewer, and every
    // person or office route refuses a caller with no session, as the table
    // says (the dispatcher reads the table, the handlers check nothing).
    void theDispatcherEnforcesTheTable()
    {
        testing::FreshStore fresh;
        QVERIFY2(fresh.ok(), qPrintable(fresh.error()));
        StorePool pool(fresh.location());
        Id sessionId = 0;
        {
            auto store = pool.acquire();
            QVERIFY(store.ok());
            SampleRosterOptions o;
            o.candidates = 20;
            QVERIFY(office::importRoster(**store, sampleRosterCsv(o), QStringLiteral("r.csv"), "test").ok());
            auto first = (*store)->sql().query(QStringLiteral(
                "SELECT s.id, p.college_id FROM exam_session s JOIN pilot p ON p.id = s.pilot_id ORDER BY s.id"));
            QVERIFY(first.ok() && !first->isEmpty());
            sessionId = first->first()[0].toLongLong();
            // A college viewer of the college whose session the paths name:
            // it sees the session, and is still refused the office's routes.
            QVERIFY((*store)->accounts()
                        .addUser("viewer", hashPasswordForTest(), Role::CollegeViewer, first->first()[1].toLongLong(), "test")
                        .ok());
            // 教务处 and 人事处 (issue #14 item 6).
            QVERIFY((*store)->accounts().addUser("jiaowu", hashPasswordForTest(), Role::Academic, std::nullopt, "test").ok());
            QVERIFY((*store)->accounts().addUser("renshi", hashPasswordForTest(), Role::Hr, std::nullopt, "test").ok());
        }
        Api api(pool);
        auto request = [](const QByteArray &method, const QByteArray &target) {
            HttpRequest r;
            r.method = method;
            r.target = target;
            r.peerAddress = QStringLiteral("127.0.0.1");
            r.headers.insert("host", "127.0.0.1:8443");
            return r;
        };
        struct Person
        {
            Role role;
            QByteArray cookie, csrf;
        };
        auto logIn = [&](const char *username, Role role) {
            HttpRequest login = request("POST", "/api/v1/login");
            login.headers.insert("content-type", "application/json");
            login.body = QJsonDocument(QJsonObject{{"username", QString::fromLatin1(username)},
                                                   {"password", "correct horse battery staple"}})
                             .toJson(QJsonDocument::Compact);
            const auto loggedIn = api.handle(login);
            Person p{role, {}, {}};
            for (const auto &[name, value] : loggedIn.headers)
                if (name == "Set-Cookie")
                    p.cookie = value.left(value.indexOf(';'));
            p.csrf = QJsonDocument::fromJson(loggedIn.body).object().value("csrf_token").toString().toLatin1();
            return p;
        };
        const QList<Person> people{logIn("viewer", Role::CollegeViewer), logIn("jiaowu", Role::Academic),
                                   logIn("renshi", Role::Hr)};
        for (const Person &p : people)
            QVERIFY2(!p.cookie.isEmpty(), qPrintable(roleKey(p.role)));

        int allowedCalls = 0;
        for (const Route &r : Api::routes()) {
            QByteArray path = "/api/v1";
            for (const QString &p : r.pattern)
                path += '/' + (p == QLatin1String("{session}") ? QByteArray::number(sessionId)
                               : p == QLatin1String("{png}")   ? QByteArray("T1.png")
                               : p.startsWith(QLatin1Char('{')) ? QByteArray("X1")
                                                                : p.toUtf8());
            const QString where = QString::fromLatin1(r.method + ' ' + path);
            if (r.access == Access::Public)
                continue;
            // Nobody logged in.
            const auto anonymous = api.handle(request(r.method, path));
            QVERIFY2(anonymous.status == 401, qPrintable(where + QStringLiteral(" answered %1 to nobody").arg(anonymous.status)));
            if (r.pattern == QStringList{QStringLiteral("logout")})
                continue; // would end the sessions the rest of the walk uses
            for (const Person &person : people) {
                HttpRequest asPerson = request(r.method, path);
                asPerson.headers.insert("cookie", person.cookie);
                asPerson.headers.insert("x-csrf-token", person.csrf);
                const int status = api.handle(asPerson).status;
                const QString who = where + QStringLiteral(" answered %1 to %2").arg(status).arg(roleKey(person.role));
                if (r.access == Access::Kiosk) {
                    QVERIFY2(status == 401, qPrintable(who));
                } else if (person.role == Role::Hr && r.scope == Scope::SessionCollege) {
                    // 人事处 has no college: no session is its, as another college's is not a viewer's.
                    QVERIFY2(status == 404, qPrintable(who));
                } else if (r.access == Access::Metrics || !roleMayCall(r.access, person.role)) {
                    // The table refuses the role: forbidden, whatever the path names.
                    QVERIFY2(status == 403, qPrintable(who));
                } else if (person.role == Role::Hr && r.scope == Scope::OwnCollege) {
                    QVERIFY2(status == 403, qPrintable(who));
                } else {
                    // Allowed: the handler answered (a bad id or body is its own 400 or 404).
                    QVERIFY2(status != 401 && status != 403, qPrintable(who));
                    if (r.scope == Scope::SessionCollege)
                        QVERIFY2(status != 404, qPrintable(who)); // the viewer's and 教务处's session
                    ++allowedCalls;
                }
            }
        }
        QVERIFY(allowedCalls > 20);
    }

    // The roles' words and the table's pairs for them.
    void theRolesOfTheCentralOffices()
    {
        QVERIFY(roleFromKey(QStringLiteral("academic")) == Role::Academic);
        QVERIFY(roleFromKey(QStringLiteral("hr")) == Role::Hr);
        QVERIFY(!roleFromKey(QStringLiteral("teacher")));
        QVERIFY(roleMayCall(Access::OfficeOrAcademic, Role::Academic));
        QVERIFY(!roleMayCall(Access::OfficeOrAcademic, Role::Hr));
        QVERIFY(roleMayCall(Access::OfficeOrHr, Role::Hr));
        QVERIFY(!roleMayCall(Access::OfficeOrHr, Role::Academic));
        QVERIFY(roleMayCall(Access::Staff, Role::Hr) && roleMayCall(Access::Staff, Role::Academic));
        QVERIFY(!roleMayCall(Access::Staff, Role::CollegeViewer));
        QVERIFY(!roleMayCall(Access::Office, Role::Academic));
        const RouteHandler any = Api::routes().first().handler;
        QVERIFY(!routeProblem(Route{"GET", {"x"}, Access::OfficeOrAcademic, Scope::OwnCollege, any}).isEmpty());
        QVERIFY(routeProblem(Route{"GET", {"x"}, Access::OfficeOrHr, Scope::All, any}).isEmpty());
    }

private:
    static QString hashPasswordForTest();
};

#include "auth/password.h"

QString TestRoutes::hashPasswordForTest()
{
    return hashPassword(QStringLiteral("correct horse battery staple"));
}

QTEST_GUILESS_MAIN(TestRoutes)
#include "tst_routes.moc"
