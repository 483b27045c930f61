import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kaodian.Kiosk

// Proctor mode: change the site passphrase. The current one, then the new
// one twice, under the rule in words; a wrong current one waits as long as
// at the unlock screen. Covers the proctor screen while open; with the
// on-screen keyboard up the field and its button stay in view.
Rectangle {
    id: panel

    color: Theme.background

    ChangePassphraseViewModel {
        id: vm
    }

    // Opens empty: nothing typed before stays in the fields.
    function open() {
        current.clear()
        next.clear()
        nextAgain.clear()
        vm.clear()
        vm.refreshWait()
        visible = true
        current.forceActiveFocus()
    }
    function close() {
        current.clear()
        next.clear()
        nextAgain.clear()
        visible = false
    }
    function submit() {
        if (vm.waitSeconds > 0)
            return
        if (vm.change(current.text, next.text, nextAgain.text)) {
            current.clear()
            next.clear()
            nextAgain.clear()
        }
    }

    component Entry: TextField {
        Layout.fillWidth: true
        Layout.preferredHeight: 88
        echoMode: TextInput.Password
        inputMethodHints: Qt.ImhSensitiveData | Qt.ImhNoPredictiveText | Qt.ImhNoAutoUppercase
        font.family: Theme.fontFamily
        font.pixelSize: 34
        color: "#000000"
        placeholderTextColor: "#5f6b78"
        background: Rectangle { radius: Theme.radius; color: "#ffffff" }
    }

    FormFlickable {
        id: form
        objectName: "changePassphraseForm"
        anchors.fill: parent
        contentHeight: Math.max(height, column.implicitHeight + 2 * margin)
        companion: buttons

        ColumnLayout {
            id: column
            x: (form.width - width) / 2
            y: form.centredY(implicitHeight)
            width: 1000
            spacing: 24

            Text {
                Layout.alignment: Qt.AlignHCenter
                text: qsTr("更改考点口令")
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: 56
                font.bold: true
            }
            Entry {
                id: current
                objectName: "currentPassphrase"
                placeholderText: qsTr("当前的考点口令")
                onAccepted: next.forceActiveFocus()
            }
            Entry {
                id: next
                objectName: "newPassphrase"
                placeholderText: qsTr("新的考点口令")
                onAccepted: nextAgain.forceActiveFocus()
            }
            Entry {
                id: nextAgain
                objectName: "newPassphraseAgain"
                placeholderText: qsTr("再次输入新的考点口令")
                onAccepted: panel.submit()
            }
            Text {
                objectName: "passphraseRule"
                Layout.fillWidth: true
                text: vm.rule
                wrapMode: Text.Wrap
                color: Theme.textDim
                font.family: Theme.fontFamily
                font.pixelSize: 24
            }
            RowLayout {
                id: buttons
                Layout.fillWidth: true
                spacing: 24
                BigButton {
                    objectName: "changePassphraseConfirm"
                    Layout.fillWidth: true
                    Layout.preferredHeight: 88
                    fontSize: 34
                    enabled: vm.waitSeconds === 0
                    text: vm.waitSeconds > 0 ? qsTr("请 %1 秒后再试").arg(vm.waitSeconds) : qsTr("更改口令")
                    tone: Theme.success
                    onClicked: panel.submit()
                }
                BigButton {
                    objectName: "changePassphraseClose"
                    Layout.preferredWidth: 300
                    Layout.preferredHeight: 88
                    fontSize: 34
                    text: qsTr("返回")
                    tone: Theme.neutral
                    onClicked: panel.close()
                }
            }
            Text {
                objectName: "changePassphraseMessage"
                Layout.fillWidth: true
                visible: text.length > 0
                text: vm.message
                wrapMode: Text.Wrap
                horizontalAlignment: Text.AlignHCenter
                color: vm.messageIsError ? "#ffb4ab" : "#a5d6a7"
                font.family: Theme.fontFamily
                font.pixelSize: 30
            }
        }
    }
}
