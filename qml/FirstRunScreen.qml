import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kaodian.Kiosk

// First run: this kiosk has no data yet. A proctor scans the enrolment QR
// that the office's dashboard shows (or `kaodian-server kiosk enrol`
// printed) with the wedge scanner or the camera (or types the code the
// dashboard shows under it), then sets the site
// passphrase and the proctor PIN; the kiosk enrols with the server and
// check-in follows (Shell). With the on-screen keyboard up, the field being
// typed into and the enrol button stay in view above it.
Rectangle {
    id: screen
    readonly property alias viewModel: vm
    color: Theme.background

    FirstRunViewModel {
        id: vm
        onStepChanged: {
            if (vm.step === FirstRunViewModel.Secrets) {
                passphrase.forceActiveFocus()
            } else if (vm.step === FirstRunViewModel.Scan) {
                for (const field of [passphrase, passphraseAgain, pin, pinAgain])
                    field.clear()
                screen.forceActiveFocus() // the scanner's keys are a scan again, not typing
            }
        }
    }

    function submit() {
        vm.enrol(passphrase.text, passphraseAgain.text, pin.text, pinAgain.text)
    }
    function submitTypedCode() {
        vm.submitScan(typedCode.text)
        if (vm.step !== FirstRunViewModel.Scan)
            typedCode.clear()
    }

    ScanInput {
        objectName: "enrolScanInput"
        active: screen.visible && vm.step === FirstRunViewModel.Scan
        onScanned: (text) => vm.submitScan(text)
    }

    component Entry: TextField {
        Layout.fillWidth: true
        Layout.preferredWidth: 560 // two equal columns, whatever the placeholder's length
        Layout.preferredHeight: 88
        echoMode: TextInput.Password
        inputMethodHints: Qt.ImhNoPredictiveText | Qt.ImhSensitiveData | Qt.ImhNoAutoUppercase
        font.family: Theme.fontFamily
        font.pixelSize: 34
        color: "#000000"
        placeholderTextColor: "#5f6b78"
        horizontalAlignment: TextInput.AlignHCenter
        background: Rectangle { radius: Theme.radius; color: "#ffffff" }
    }

    FormFlickable {
        id: form
        objectName: "firstRunForm"
        anchors.fill: parent
        contentHeight: Math.max(height, column.implicitHeight + 2 * margin)
        // The button of the field typed into, and what the screen answered.
        companion: (message.visible ? message : (vm.step === FirstRunViewModel.Scan ? typedCodeRow : actions)) as Item

        ColumnLayout {
            id: column
            x: (form.width - width) / 2
            y: form.centredY(implicitHeight)
            width: 1200
            spacing: 28

            QrGlyph {
                Layout.alignment: Qt.AlignHCenter
                visible: vm.step === FirstRunViewModel.Scan && !cameraLoader.active
                module: 24
            }
            Text {
                Layout.alignment: Qt.AlignHCenter
                text: qsTr("首次使用：登记本机")
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: 60
                font.bold: true
            }
            Text {
                objectName: "firstRunPrompt"
                Layout.fillWidth: true
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                text: vm.step === FirstRunViewModel.Scan ? qsTr("请扫描考务办公室提供的终端登记二维码")
                                                         : qsTr("设置本机的考点口令和监考 PIN")
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: 40
            }
            Text {
                Layout.fillWidth: true
                visible: vm.step === FirstRunViewModel.Scan
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                text: qsTr("登记二维码在服务器网页的“考场终端”页登记本机后显示，也可由 kaodian-server kiosk enrol 打印。"
                           + "用扫码器或摄像头扫描均可。")
                color: Theme.textDim
                font.family: Theme.fontFamily
                font.pixelSize: 28
            }
            Loader {
                id: cameraLoader
                Layout.alignment: Qt.AlignHCenter
                Layout.preferredWidth: 640
                Layout.preferredHeight: 360
                visible: active
                active: vm.cameraAvailable && screen.visible && vm.step === FirstRunViewModel.Scan
                source: "CameraPane.qml"
                Connections {
                    target: cameraLoader.item
                    ignoreUnknownSignals: true
                    function onDecoded(text) { vm.submitScan(text) }
                }
            }
            // No scanner at hand: the code typed or pasted (the dashboard shows it under the QR).
            RowLayout {
                id: typedCodeRow
                Layout.fillWidth: true
                visible: vm.step === FirstRunViewModel.Scan
                spacing: 24
                TextField {
                    id: typedCode
                    objectName: "typedCodeField"
                    Layout.fillWidth: true
                    Layout.preferredHeight: 80
                    placeholderText: qsTr("没有扫码器时，可在此输入登记码（KDENROL1|…）")
                    inputMethodHints: Qt.ImhNoPredictiveText | Qt.ImhNoAutoUppercase | Qt.ImhSensitiveData
                    font.family: Theme.fontFamily
                    font.pixelSize: 26
                    color: "#000000"
                    placeholderTextColor: "#5f6b78"
                    background: Rectangle { radius: Theme.radius; color: "#ffffff" }
                    onAccepted: screen.submitTypedCode()
                }
                BigButton {
                    id: typedCodeButton
                    objectName: "typedCodeButton"
                    Layout.preferredWidth: 200
                    Layout.preferredHeight: 80
                    text: qsTr("确定")
                    tone: Theme.accent
                    onClicked: screen.submitTypedCode()
                }
            }
            Text {
                objectName: "codeSummary"
                Layout.fillWidth: true
                visible: vm.step !== FirstRunViewModel.Scan
                horizontalAlignment: Text.AlignHCenter
                text: vm.codeSummary
                color: Theme.textDim
                font.family: Theme.fontFamily
                font.pixelSize: 28
                elide: Text.ElideMiddle
            }
            GridLayout {
                objectName: "enrolEntries"
                Layout.fillWidth: true
                visible: vm.step !== FirstRunViewModel.Scan
                enabled: vm.step === FirstRunViewModel.Secrets
                columns: 2
                rowSpacing: 16
                columnSpacing: 24
                Entry {
                    id: passphrase
                    objectName: "enrolPassphrase"
                    placeholderText: qsTr("考点口令")
                    onAccepted: passphraseAgain.forceActiveFocus()
                }
                Entry {
                    id: passphraseAgain
                    objectName: "enrolPassphraseAgain"
                    placeholderText: qsTr("再次输入考点口令")
                    onAccepted: pin.forceActiveFocus()
                }
                // The rule (kiosk/core/passphraserule.h), in the view model's words.
                Text {
                    objectName: "passphraseRule"
                    Layout.columnSpan: 2
                    Layout.fillWidth: true
                    text: vm.passphraseRule
                    wrapMode: Text.Wrap
                    color: Theme.textDim
                    font.family: Theme.fontFamily
                    font.pixelSize: 24
                }
                Entry {
                    id: pin
                    objectName: "enrolPin"
                    placeholderText: qsTr("监考 PIN（6 至 12 位数字）")
                    inputMethodHints: Qt.ImhDigitsOnly | Qt.ImhSensitiveData
                    onAccepted: pinAgain.forceActiveFocus()
                }
                Entry {
                    id: pinAgain
                    objectName: "enrolPinAgain"
                    placeholderText: qsTr("再次输入监考 PIN")
                    inputMethodHints: Qt.ImhDigitsOnly | Qt.ImhSensitiveData
                    onAccepted: screen.submit()
                }
            }
            RowLayout {
                id: actions
                Layout.fillWidth: true
                visible: vm.step !== FirstRunViewModel.Scan
                spacing: 24
                BigButton {
                    objectName: "enrolButton"
                    Layout.fillWidth: true
                    Layout.preferredHeight: 96
                    fontSize: 40
                    text: vm.step === FirstRunViewModel.Enrolling ? qsTr("正在登记…") : qsTr("登记")
                    tone: Theme.success
                    enabled: vm.step === FirstRunViewModel.Secrets
                    onClicked: screen.submit()
                }
                BigButton {
                    objectName: "rescanButton"
                    Layout.preferredWidth: 360
                    Layout.preferredHeight: 96
                    fontSize: 32
                    text: qsTr("重新扫码")
                    tone: Theme.neutral
                    onClicked: vm.rescan()
                }
            }
            Text {
                id: message
                objectName: "firstRunMessage"
                Layout.fillWidth: true
                visible: text.length > 0
                text: vm.message
                wrapMode: Text.Wrap
                horizontalAlignment: Text.AlignHCenter
                color: vm.messageIsError ? "#ffb4ab" : Theme.textDim
                font.family: Theme.fontFamily
                font.pixelSize: 32
            }
        }
    }
}
