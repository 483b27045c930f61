#pragma once

// For the Qt Quick Test runners: every QML warning of an engine fails the
// test that caused it, and the run (as in AusweisApp), so a binding to a
// missing property or a type error never passes unnoticed.

#include <QObject>
#include <QQmlEngine>
#include <QQmlError>
#include <QTest>

namespace kaodian::testing {

class QmlWarningsFail : public QObject
{
public:
    void watch(QQmlEngine *engine)
    {
        connect(engine, &QQmlEngine::warnings, this, [this](const QList<QQmlError> &warnings) {
            for (const QQmlError &w : warnings) {
                ++m_count;
                QTest::qFail(qPrintable(QStringLiteral("QML warning: ") + w.toString()), __FILE__, __LINE__);
            }
        });
    }

    // At the end of the run.
    void check() const
    {
        if (m_count > 0)
            qFatal("%d QML warning(s): any warning fails the kiosk QML tests", m_count);
    }

private:
    int m_count = 0;
};

} // namespace kaodian::testing
