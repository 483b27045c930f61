import QtQuick
import QtQuick.Window
import Kaodian.Kiosk

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

    // The screens end where the on-screen keyboard begins, when it shows.
    Shell {
        anchors { left: parent.left; right: parent.right; top: parent.top; bottom: keyboard.top }
    }

    // The on-screen keyboard, when main.cpp loaded it.
    Loader {
        id: keyboard
        objectName: "touchKeyboardLoader"
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: item ? (item as Item).height : 0
        active: KioskServices.touchKeyboard
        source: "TouchKeyboard.qml"
        z: 100
    }
}
