import QtQuick
import QtQuick.VirtualKeyboard

// Qt Virtual Keyboard's panel along the bottom of the window, shown while a
// text field has focus (the proctor's search, reason, score and signature
// fields). Loaded by Main.qml only when main.cpp chose the on-screen keyboard
// (QT_IM_MODULE=qtvirtualkeyboard): the module is not needed otherwise.
// Debian's build has no pinyin: Latin letters, digits and symbols.
Item {
    id: root
    readonly property alias panel: inputPanel
    implicitHeight: inputPanel.active ? inputPanel.height : 0
    height: implicitHeight

    InputPanel {
        id: inputPanel
        objectName: "inputPanel"
        width: root.width
        anchors.bottom: parent.bottom
        visible: active
    }
}
