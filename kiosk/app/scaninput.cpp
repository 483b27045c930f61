#include "scaninput.h"

#include <QKeyEvent>
#include <QQuickWindow>

namespace kaodian::kiosk {

ScanInput::ScanInput(QQuickItem *parent) : QQuickItem(parent)
{
    m_clock.start();
}

ScanInput::~ScanInput()
{
    watch(nullptr);
}

void ScanInput::setActive(bool active)
{
    if (m_active == active)
        return;
    m_active = active;
    m_buffer.clear();
    Q_EMIT activeChanged();
}

void ScanInput::setMaxGap(int ms)
{
    m_buffer.setMaxGap(ms);
    Q_EMIT settingsChanged();
}

void ScanInput::setMinLength(int length)
{
    m_buffer.setMinLength(length);
    Q_EMIT settingsChanged();
}

void ScanInput::itemChange(ItemChange change, const ItemChangeData &data)
{
    if (change == ItemSceneChange)
        watch(data.window);
    QQuickItem::itemChange(change, data);
}

void ScanInput::watch(QQuickWindow *window)
{
    if (m_window == window)
        return;
    if (m_window)
        m_window->removeEventFilter(this);
    m_window = window;
    if (m_window)
        m_window->installEventFilter(this);
}

bool ScanInput::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::KeyPress || !m_active || !isVisible() || watched != m_window)
        return false;
    // A focused text field (the PIN, the demo paste box) takes its own keys.
    if (QQuickItem *focus = m_window->activeFocusItem();
        focus && focus != this && (focus->flags() & QQuickItem::ItemAcceptsInputMethod))
        return false;
    auto *key = static_cast<QKeyEvent *>(event);
    // When the key reached the UI thread. (Event time stamps would be better
    // under load, but synthesised events, as in tests, do not carry real ones.)
    const qint64 now = m_clock.elapsed();
    if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
        if (auto text = m_buffer.enter(now)) {
            Q_EMIT scanned(*text);
            return true;
        }
        return false;
    }
    const QString text = key->text();
    if (text.isEmpty() || !text.at(0).isPrint())
        return false;
    m_buffer.character(text, now);
    return true;
}

} // namespace kaodian::kiosk
