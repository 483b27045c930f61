import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kaodian.Kiosk

// Always ready for the next scan: a wedge scanner (no visible field), the
// camera where there is one, or in demo mode a paste box. Each result is a
// card with colour, icon, words and a sound, then back to ready.
Rectangle {
    id: screen
    property bool scanning: true
    readonly property alias viewModel: vm
    signal proctorRequested()

    color: Theme.background

    CheckInViewModel {
        id: vm
    }

    ScanInput {
        objectName: "scanInput"
        active: screen.scanning
        onScanned: (text) => vm.submitScan(text)
    }

    // Header: where, which session, how many so far; the proctor's door.
    Rectangle {
        id: header
        anchors { left: parent.left; right: parent.right; top: parent.top }
        height: 128
        color: Theme.panel

        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 40
            anchors.rightMargin: 32
            spacing: 32
            ColumnLayout {
                spacing: 4
                Text {
                    text: KioskServices.site
                    color: Theme.textDim
                    font.family: Theme.fontFamily
                    font.pixelSize: 26
                }
                Text {
                    text: vm.kioskRoom.length > 0 ? qsTr("第 %1 考场").arg(vm.kioskRoom) : qsTr("全部考场")
                    color: Theme.text
                    font.family: Theme.fontFamily
                    font.pixelSize: 44
                    font.bold: true
                }
            }
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 4
                Text {
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    text: vm.hasSession ? vm.currentSessionTitle : qsTr("当前没有可签到的场次")
                    color: Theme.text
                    font.family: Theme.fontFamily
                    font.pixelSize: 40
                    font.bold: true
                    elide: Text.ElideRight
                }
                Text {
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    visible: vm.hasSession
                    text: vm.currentSessionTime
                    color: Theme.textDim
                    font.family: Theme.fontFamily
                    font.pixelSize: 28
                }
            }
            Text {
                // Quiet, for the proctor: candidates need not read it.
                objectName: "syncText"
                visible: KioskServices.syncEnabled
                text: KioskServices.revoked ? qsTr("本机已停用")
                      : (KioskServices.online ? qsTr("在线") : qsTr("离线"))
                        + qsTr(" · 待上传 %1").arg(KioskServices.waitingEvents)
                        + (KioskServices.lastSync.length > 0 ? qsTr(" · 上次同步 %1").arg(KioskServices.lastSync) : "")
                color: Theme.textDim
                font.family: Theme.fontFamily
                font.pixelSize: 20
            }
            Text {
                objectName: "countText"
                visible: vm.hasSession
                text: qsTr("已签到 %1 / %2").arg(vm.checkedInCount).arg(vm.expectedCount)
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: 36
            }
            BigButton {
                objectName: "proctorButton"
                text: qsTr("监考")
                tone: Theme.neutral
                Layout.preferredWidth: 160
                onClicked: screen.proctorRequested()
            }
        }
    }

    Item {
        id: body
        anchors { left: parent.left; right: parent.right; top: header.bottom; bottom: demoBar.top }

        // Ready: what to do, in words and a picture.
        ColumnLayout {
            objectName: "readyPanel"
            anchors.centerIn: parent
            visible: vm.state === CheckInViewModel.Ready
            spacing: 40

            QrGlyph {
                Layout.alignment: Qt.AlignHCenter
            }
            Text {
                Layout.alignment: Qt.AlignHCenter
                text: qsTr("请扫描准考证二维码")
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: 88
                font.bold: true
            }
            Text {
                Layout.alignment: Qt.AlignHCenter
                text: qsTr("纸质准考证或手机上的二维码均可，请对准扫码器")
                color: Theme.textDim
                font.family: Theme.fontFamily
                font.pixelSize: 40
            }
        }

        Loader {
            id: cameraLoader
            anchors { right: parent.right; bottom: parent.bottom; margins: 32 }
            width: 480
            height: 270
            active: vm.cameraAvailable && screen.scanning && vm.state === CheckInViewModel.Ready
            source: "CameraPane.qml"
            Connections {
                target: cameraLoader.item
                ignoreUnknownSignals: true
                function onDecoded(text) { vm.submitScan(text) }
            }
        }

        // The result card.
        Rectangle {
            id: card
            objectName: "resultCard"
            anchors.centerIn: parent
            width: 1500
            height: parent.height - 80
            radius: 32
            visible: vm.state !== CheckInViewModel.Ready
            color: Theme.toneColor(vm.tone)
            readonly property color ink: Theme.toneText(vm.tone)

            RowLayout {
                anchors.fill: parent
                anchors.margins: 56
                spacing: 56

                Rectangle {
                    Layout.alignment: Qt.AlignVCenter
                    width: 260
                    height: 260
                    radius: 130
                    color: "transparent"
                    border.width: 16
                    border.color: card.ink
                    Text {
                        objectName: "cardGlyph"
                        anchors.centerIn: parent
                        text: Theme.toneGlyph(vm.tone)
                        color: card.ink
                        font.pixelSize: 170
                        font.bold: true
                    }
                }

                ColumnLayout {
                    Layout.fillWidth: true
                    Layout.alignment: Qt.AlignVCenter
                    spacing: 20

                    Text {
                        objectName: "cardHeadline"
                        Layout.fillWidth: true
                        text: vm.headline
                        color: card.ink
                        font.family: Theme.fontFamily
                        font.pixelSize: 104
                        font.bold: true
                        elide: Text.ElideRight
                    }
                    Text {
                        objectName: "cardName"
                        Layout.fillWidth: true
                        visible: vm.name.length > 0
                        text: vm.name
                        color: card.ink
                        font.family: Theme.fontFamily
                        font.pixelSize: 96
                        font.bold: true
                    }
                    Text {
                        objectName: "cardMaskedId"
                        visible: vm.maskedId.length > 0
                        text: qsTr("身份证号 %1").arg(vm.maskedId)
                        color: card.ink
                        font.family: Theme.fontFamily
                        font.pixelSize: 40
                    }
                    Text {
                        objectName: "cardSeat"
                        visible: vm.state === CheckInViewModel.Success
                        text: qsTr("第 %1 考场　%2 号座位").arg(vm.room).arg(vm.seat)
                        color: card.ink
                        font.family: Theme.fontFamily
                        font.pixelSize: 72
                        font.bold: true
                    }
                    Text {
                        objectName: "cardDetail"
                        Layout.fillWidth: true
                        text: vm.detail
                        color: card.ink
                        wrapMode: Text.Wrap
                        font.family: Theme.fontFamily
                        font.pixelSize: 48
                    }
                    Text {
                        Layout.fillWidth: true
                        visible: vm.sessionTitle.length > 0
                        text: vm.sessionTitle
                        color: card.ink
                        opacity: 0.85
                        font.family: Theme.fontFamily
                        font.pixelSize: 34
                        elide: Text.ElideRight
                    }
                }

                // The photo, large: the proctor compares it with the face.
                Rectangle {
                    objectName: "cardPhotoFrame"
                    Layout.alignment: Qt.AlignVCenter
                    visible: vm.name.length > 0
                    width: 360
                    height: 480
                    radius: 12
                    color: "white"
                    border.width: 6
                    border.color: card.ink
                    CandidatePhoto {
                        id: cardPhoto
                        objectName: "cardPhoto"
                        anchors.fill: parent
                        anchors.margins: 10
                        sha256: vm.photo
                    }
                    Text {
                        objectName: "cardNoPhoto"
                        anchors.centerIn: parent
                        visible: !cardPhoto.available
                        text: qsTr("无照片")
                        color: "#555555"
                        font.family: Theme.fontFamily
                        font.pixelSize: 48
                        font.bold: true
                    }
                }
            }
            Rectangle {
                visible: vm.tone === "late"
                anchors { top: parent.top; right: parent.right; margins: 32 }
                width: lateText.implicitWidth + 48
                height: 72
                radius: 36
                color: Theme.warning
                Text {
                    id: lateText
                    anchors.centerIn: parent
                    text: qsTr("迟到")
                    color: "#1a1a1a"
                    font.family: Theme.fontFamily
                    font.pixelSize: 40
                    font.bold: true
                }
            }
            TapHandler {
                onTapped: vm.reset()
            }
        }
    }

    // Demo only: paste a line of sample-tickets.txt and press Enter.
    Rectangle {
        id: demoBar
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: KioskServices.demoMode ? 104 : 0
        visible: KioskServices.demoMode
        color: Theme.panel
        RowLayout {
            anchors.fill: parent
            anchors.margins: 16
            spacing: 16
            Text {
                text: qsTr("演示：粘贴准考证二维码文本")
                color: Theme.textDim
                font.family: Theme.fontFamily
                font.pixelSize: 26
            }
            TextField {
                id: demoInput
                objectName: "demoInput"
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.touch
                font.pixelSize: 24
                color: "#000000"
                background: Rectangle { radius: 8; color: "#ffffff" }
                onAccepted: {
                    vm.submitScan(text)
                    clear()
                    focus = false
                }
            }
            BigButton {
                objectName: "demoSubmit"
                text: qsTr("提交")
                onClicked: demoInput.accepted()
            }
        }
    }
}
