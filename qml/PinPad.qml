// Components see the ids of this file (qmllint: no unqualified access);
// their delegates take model data through required properties.
pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Layouts

// A numeric keypad for the proctor PIN: big keys, dots for the digits typed.
Item {
    id: pad
    property string entered: ""
    property int maxLength: 12
    signal submitted(string pin)

    implicitWidth: grid.implicitWidth
    implicitHeight: column.implicitHeight

    function clear() { entered = "" }

    ColumnLayout {
        id: column
        anchors.fill: parent
        spacing: 24

        Text {
            objectName: "pinDots"
            Layout.alignment: Qt.AlignHCenter
            text: pad.entered.length > 0 ? "●".repeat(pad.entered.length) : qsTr("请输入监考 PIN")
            color: Theme.text
            font.family: Theme.fontFamily
            font.pixelSize: 40
        }
        GridLayout {
            id: grid
            Layout.alignment: Qt.AlignHCenter
            columns: 3
            rowSpacing: 16
            columnSpacing: 16
            Repeater {
                model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "清除", "0", "确定"]
                delegate: BigButton {
                    required property string modelData
                    objectName: "pinKey_" + modelData
                    Layout.preferredWidth: 140
                    Layout.preferredHeight: 110
                    fontSize: modelData.length > 1 ? 32 : 44
                    text: modelData === "清除" ? qsTr("清除") : modelData === "确定" ? qsTr("确定") : modelData
                    tone: modelData === "确定" ? Theme.success : modelData === "清除" ? Theme.neutral : Theme.panelLight
                    onClicked: {
                        if (modelData === "清除") {
                            pad.entered = ""
                        } else if (modelData === "确定") {
                            const pin = pad.entered
                            pad.entered = ""
                            pad.submitted(pin)
                        } else if (pad.entered.length < pad.maxLength) {
                            pad.entered += modelData
                        }
                    }
                }
            }
        }
    }
}
