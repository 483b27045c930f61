#pragma once

// Tells a keyboard-wedge scanner from a person at a keyboard: a scanner
// "types" the whole code in a burst (a few ms per key) and ends it with
// Enter; people are an order of magnitude slower. A keystroke that comes
// more than maxGap after the previous one starts the buffer afresh, so slow
// typing never adds up to a scan. Plain value; not thread-safe.

#include <QString>

#include <optional>

namespace kaodian::kiosk {

class WedgeBuffer
{
public:
    explicit WedgeBuffer(int maxGapMs = 50, int minLength = 8) : m_maxGapMs(maxGapMs), m_minLength(minLength) {}

    void setMaxGap(int ms) { m_maxGapMs = ms; }
    void setMinLength(int length) { m_minLength = length; }
    [[nodiscard]] int maxGap() const { return m_maxGapMs; }
    [[nodiscard]] int minLength() const { return m_minLength; }

    // A printable keystroke at time ms (any monotonic millisecond clock).
    void character(const QString &text, qint64 ms);
    // Enter at time ms: the scanned text when the keys before it came as a
    // burst of at least minLength; otherwise nothing. Clears the buffer.
    std::optional<QString> enter(qint64 ms);
    void clear() { m_buffer.clear(); }
    [[nodiscard]] bool isEmpty() const { return m_buffer.isEmpty(); }

private:
    int m_maxGapMs;
    int m_minLength;
    QString m_buffer;
    qint64 m_lastMs = 0;
};

} // namespace kaodian::kiosk
