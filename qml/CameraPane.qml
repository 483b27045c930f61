import QtQuick
import QtMultimedia
import Kaodian.Kiosk

// The camera preview; ticket QR codes seen in it are decoded in C++.
Rectangle {
    id: pane
    signal decoded(string text)
    color: "#000000"
    radius: Theme.radius
    clip: true

    CaptureSession {
        camera: Camera {
            active: pane.visible
        }
        videoOutput: output
    }
    VideoOutput {
        id: output
        anchors.fill: parent
        fillMode: VideoOutput.PreserveAspectCrop
    }
    CameraScanner {
        videoSink: output.videoSink
        onDecoded: (text) => pane.decoded(text)
    }
}
