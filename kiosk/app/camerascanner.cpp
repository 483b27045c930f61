#include "camerascanner.h"

#include "qr/qrcodec.h"

#include <QImage>

#ifdef KAODIAN_KIOSK_HAVE_MULTIMEDIA
#include <QCameraDevice>
#include <QMediaDevices>
#include <QVideoFrame>
#include <QVideoSink>
#endif

namespace kaodian::kiosk {

CameraScanner::CameraScanner(QObject *parent) : QObject(parent) {}

bool CameraScanner::isAvailable()
{
#ifdef KAODIAN_KIOSK_HAVE_MULTIMEDIA
    return !QMediaDevices::videoInputs().isEmpty();
#else
    return false;
#endif
}

void CameraScanner::setInterval(int ms)
{
    if (ms == m_intervalMs)
        return;
    m_intervalMs = ms;
    Q_EMIT intervalChanged();
}

void CameraScanner::setVideoSink(QObject *sink)
{
    if (sink == m_sink)
        return;
#ifdef KAODIAN_KIOSK_HAVE_MULTIMEDIA
    if (m_sink)
        disconnect(m_sink, nullptr, this, nullptr);
    m_sink = sink;
    if (auto *videoSink = qobject_cast<QVideoSink *>(sink))
        connect(videoSink, &QVideoSink::videoFrameChanged, this, &CameraScanner::onFrame);
#else
    m_sink = sink;
#endif
    Q_EMIT videoSinkChanged();
}

void CameraScanner::onFrame()
{
#ifdef KAODIAN_KIOSK_HAVE_MULTIMEDIA
    if (m_sinceDecode.isValid() && m_sinceDecode.elapsed() < m_intervalMs)
        return;
    m_sinceDecode.start();
    auto *sink = qobject_cast<QVideoSink *>(m_sink);
    if (!sink)
        return;
    QVideoFrame frame = sink->videoFrame();
    if (!frame.isValid())
        return;
    switch (frame.pixelFormat()) {
    case QVideoFrameFormat::Format_NV12:
    case QVideoFrameFormat::Format_NV21:
    case QVideoFrameFormat::Format_YUV420P:
    case QVideoFrameFormat::Format_YUV422P:
    case QVideoFrameFormat::Format_YV12:
    case QVideoFrameFormat::Format_Y8:
        // The first plane is the luma: no conversion needed.
        if (frame.map(QVideoFrame::ReadOnly)) {
            processLuma(frame.bits(0), frame.width(), frame.height(), frame.bytesPerLine(0));
            frame.unmap();
        }
        return;
    default: {
        const QImage gray = frame.toImage().convertToFormat(QImage::Format_Grayscale8);
        if (!gray.isNull())
            processLuma(gray.constBits(), gray.width(), gray.height(), int(gray.bytesPerLine()));
    }
    }
#endif
}

void CameraScanner::processLuma(const uchar *data, int width, int height, int stride)
{
    const auto texts = qr::decodeGray(data, width, height, stride);
    if (texts.isEmpty())
        return;
    const QString text = QString::fromUtf8(texts.front());
    // A ticket held in front of the camera is seen in many frames: once is enough.
    if (text == m_lastText && m_sinceEmit.isValid() && m_sinceEmit.elapsed() < 3000)
        return;
    m_lastText = text;
    m_sinceEmit.start();
    Q_EMIT decoded(text);
}

} // namespace kaodian::kiosk
