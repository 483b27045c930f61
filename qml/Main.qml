import QtQuick
import QtQuick.Window

// The kiosk's window: full screen on the 1080p touch display, locked at start.
Window {
    id: root
    property bool fullScreen: true

    width: 1920
    height: 1080
    visible: true
    visibility: fullScreen ? Window.FullScreen : Window.Windowed
    title: qsTr("考点签到")
    color: Theme.background

    Shell {
        anchors.fill: parent
    }
}
