#include "wedgebuffer.h"

namespace kaodian::kiosk {

void WedgeBuffer::character(const QString &text, qint64 ms)
{
    if (!m_buffer.isEmpty() && ms - m_lastMs > m_maxGapMs)
        m_buffer.clear(); // too slow to be a scanner: start again from this key
    m_buffer += text;
    m_lastMs = ms;
}

std::optional<QString> WedgeBuffer::enter(qint64 ms)
{
    std::optional<QString> out;
    if (m_buffer.size() >= m_minLength && ms - m_lastMs <= m_maxGapMs)
        out = m_buffer;
    m_buffer.clear();
    return out;
}

} // namespace kaodian::kiosk
