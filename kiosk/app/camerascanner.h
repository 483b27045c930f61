#pragma once

// Ticket QR codes from a camera: watches the frames of a QVideoSink (a QML
// VideoOutput's), decodes a few per second with ZXing-cpp on the luma plane
// (kaodian::qr::decodeGray) and emits each new text once. Only with Qt
// Multimedia and a camera; `available` is false otherwise and the check-in
// screen shows no camera. GUI thread only.

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

namespace kaodian::kiosk {

class CameraScanner : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    // A QVideoSink (typed QObject so the kiosk builds without Qt Multimedia).
    Q_PROPERTY(QObject *videoSink READ videoSink WRITE setVideoSink NOTIFY videoSinkChanged)
    Q_PROPERTY(bool available READ isAvailable CONSTANT)
    Q_PROPERTY(int interval READ interval WRITE setInterval NOTIFY intervalChanged)

public:
    explicit CameraScanner(QObject *parent = nullptr);

    [[nodiscard]] QObject *videoSink() const { return m_sink; }
    void setVideoSink(QObject *sink);
    [[nodiscard]] static bool isAvailable();
    [[nodiscard]] int interval() const { return m_intervalMs; }
    void setInterval(int ms);

    // Decodes one 8-bit luma image; emits decoded() for a text not seen in
    // the last 3 s. Public for tests and for frames from elsewhere.
    void processLuma(const uchar *data, int width, int height, int stride);

Q_SIGNALS:
    void decoded(const QString &text);
    void videoSinkChanged();
    void intervalChanged();

private:
    void onFrame();

    QPointer<QObject> m_sink;
    int m_intervalMs = 200;
    QElapsedTimer m_sinceDecode;
    QElapsedTimer m_sinceEmit;
    QString m_lastText;
};

} // namespace kaodian::kiosk
