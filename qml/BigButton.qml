import QtQuick
import QtQuick.Controls.Basic

// A large touch button (at least 64 px high) in one of the theme's tones.
Button {
    id: control
    property color tone: Theme.accent
    property color textColor: Theme.text
    property int fontSize: 28

    implicitHeight: Theme.touch
    implicitWidth: Math.max(160, contentItem.implicitWidth + 48)
    focusPolicy: Qt.NoFocus

    contentItem: Text {
        text: control.text
        font.family: Theme.fontFamily
        font.pixelSize: control.fontSize
        font.bold: true
        color: control.enabled ? control.textColor : "#8da0b5"
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        elide: Text.ElideRight
    }
    background: Rectangle {
        radius: Theme.radius
        color: !control.enabled ? "#2a3b50" : control.down ? Qt.darker(control.tone, 1.4) : control.tone
        border.width: control.checked ? 4 : 0
        border.color: "#ffffff"
    }
}
