#pragma once

// Input from a USB keyboard-wedge scanner, with no visible text field: an
// invisible item that watches the key events of its window while active,
// keeps bursts of fast keystrokes ending in Enter (WedgeBuffer) and emits
// them as scanned(text). Keys meant for a focused text field go to it.
// GUI thread only.

#include "wedgebuffer.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QQuickItem>

namespace kaodian::kiosk {

class ScanInput : public QQuickItem
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(bool active READ isActive WRITE setActive NOTIFY activeChanged)
    Q_PROPERTY(int maxGap READ maxGap WRITE setMaxGap NOTIFY settingsChanged)
    Q_PROPERTY(int minLength READ minLength WRITE setMinLength NOTIFY settingsChanged)

public:
    explicit ScanInput(QQuickItem *parent = nullptr);
    ~ScanInput() override;

    [[nodiscard]] bool isActive() const { return m_active; }
    void setActive(bool active);
    [[nodiscard]] int maxGap() const { return m_buffer.maxGap(); }
    void setMaxGap(int ms);
    [[nodiscard]] int minLength() const { return m_buffer.minLength(); }
    void setMinLength(int length);

Q_SIGNALS:
    void scanned(const QString &text);
    void activeChanged();
    void settingsChanged();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void itemChange(ItemChange change, const ItemChangeData &data) override;

private:
    void watch(QQuickWindow *window);

    bool m_active = true;
    WedgeBuffer m_buffer;
    QElapsedTimer m_clock;
    QPointer<QQuickWindow> m_window;
};

} // namespace kaodian::kiosk
