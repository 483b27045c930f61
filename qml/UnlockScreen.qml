import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kaodian.Kiosk

// Locked: a proctor types the site passphrase. Nothing of the roster shows.
// With the on-screen keyboard up, the field and the unlock button stay in
// view above it (FormFlickable).
Rectangle {
    id: screen
    color: Theme.background

    UnlockViewModel {
        id: vm
    }

    function submit() {
        if (vm.waitSeconds > 0)
            return
        if (vm.unlock(passphrase.text))
            passphrase.clear()
        else
            passphrase.selectAll()
    }

    FormFlickable {
        id: form
        objectName: "unlockForm"
        anchors.fill: parent
        contentHeight: Math.max(height, column.implicitHeight + 2 * margin)
        // The button, or the reason it refused, under the field.
        companion: (unlockError.visible ? unlockError : unlockButton) as Item

        ColumnLayout {
            id: column
            x: (form.width - width) / 2
            y: form.centredY(implicitHeight)
            width: 900
            spacing: 32

            // A padlock, drawn: no emoji font is needed.
            Item {
                Layout.alignment: Qt.AlignHCenter
                width: 120
                height: 140
                Rectangle {
                    x: 22; y: 0; width: 76; height: 90
                    radius: 38
                    color: "transparent"
                    border.width: 14
                    border.color: Theme.text
                }
                Rectangle {
                    y: 56; width: 120; height: 84
                    radius: 12
                    color: Theme.text
                    Rectangle { anchors.centerIn: parent; width: 16; height: 32; radius: 8; color: Theme.background }
                }
            }
            Text {
                Layout.alignment: Qt.AlignHCenter
                text: qsTr("考点签到终端已锁定")
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: 64
                font.bold: true
            }
            Text {
                Layout.alignment: Qt.AlignHCenter
                text: qsTr("请监考老师输入考点口令解锁")
                color: Theme.textDim
                font.family: Theme.fontFamily
                font.pixelSize: 36
            }
            TextField {
                id: passphrase
                objectName: "passphraseField"
                Layout.fillWidth: true
                Layout.preferredHeight: 96
                echoMode: TextInput.Password
                placeholderText: qsTr("考点口令")
                font.family: Theme.fontFamily
                font.pixelSize: 40
                color: "#000000"
                placeholderTextColor: "#5f6b78"
                horizontalAlignment: TextInput.AlignHCenter
                focus: screen.visible
                background: Rectangle { radius: Theme.radius; color: "#ffffff" }
                onAccepted: screen.submit()
            }
            BigButton {
                id: unlockButton
                objectName: "unlockButton"
                Layout.fillWidth: true
                Layout.preferredHeight: 96
                fontSize: 40
                // After wrong passphrases in a row: the wait, counting down.
                enabled: vm.waitSeconds === 0
                text: vm.waitSeconds > 0 ? qsTr("请 %1 秒后再试").arg(vm.waitSeconds) : qsTr("解锁")
                tone: Theme.success
                onClicked: screen.submit()
            }
            Text {
                id: unlockError
                objectName: "unlockError"
                Layout.fillWidth: true
                visible: text.length > 0
                text: vm.errorMessage
                wrapMode: Text.Wrap
                horizontalAlignment: Text.AlignHCenter
                color: "#ffb4ab"
                font.family: Theme.fontFamily
                font.pixelSize: 32
            }
            Text {
                Layout.fillWidth: true
                visible: KioskServices.demoMode
                text: qsTr("演示模式：口令默认为 kaodian-demo，监考 PIN 默认为 123456")
                wrapMode: Text.Wrap
                horizontalAlignment: Text.AlignHCenter
                color: Theme.textDim
                font.family: Theme.fontFamily
                font.pixelSize: 24
            }
        }
    }
}
