// Components see the ids of this file (qmllint: no unqualified access);
// their delegates take model data through required properties.
pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kaodian.Kiosk

// Proctor mode behind the PIN: live roster with search and counts, actions on
// the selected candidate, incidents, results, and closing the session.
Rectangle {
    id: screen
    readonly property alias viewModel: vm
    signal done()

    color: Theme.background

    ProctorViewModel {
        id: vm
        // Two minutes (the kiosk's --proctor-idle) without a touch: back to check-in.
        onIdleLocked: screen.done()
    }

    component Label: Text {
        color: Theme.text
        font.family: Theme.fontFamily
        font.pixelSize: 26
    }
    component Field: TextField {
        Layout.fillWidth: true
        Layout.preferredHeight: Theme.touch
        font.family: Theme.fontFamily
        font.pixelSize: 26
        color: "#000000"
        placeholderTextColor: "#5f6b78"
        background: Rectangle { radius: 8; color: "#ffffff" }
    }
    component CountTile: Rectangle {
        id: tile
        property string label
        property int value
        property color tone: Theme.panel
        Layout.fillWidth: true
        Layout.preferredHeight: 104
        radius: Theme.radius
        color: tone
        Column {
            anchors.centerIn: parent
            Text {
                anchors.horizontalCenter: parent.horizontalCenter
                text: tile.value
                color: Theme.text
                font.family: Theme.fontFamily
                font.pixelSize: 44
                font.bold: true
            }
            Text {
                anchors.horizontalCenter: parent.horizontalCenter
                text: tile.label
                color: Theme.textDim
                font.family: Theme.fontFamily
                font.pixelSize: 24
            }
        }
    }

    // ---- PIN ----
    ColumnLayout {
        objectName: "pinPanel"
        anchors.centerIn: parent
        visible: !vm.authenticated
        spacing: 28

        Label {
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("监考模式")
            font.pixelSize: 60
            font.bold: true
        }
        // Named proctors: each taps their own name, then enters their PIN.
        Label {
            objectName: "proctorListTitle"
            Layout.alignment: Qt.AlignHCenter
            visible: vm.namedProctors && vm.proctorStaffNumber.length === 0
            text: qsTr("请点选您的姓名")
            font.pixelSize: 32
        }
        Flow {
            objectName: "proctorList"
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: 1200
            visible: vm.namedProctors && vm.proctorStaffNumber.length === 0
            spacing: 16
            Repeater {
                model: vm.proctors
                delegate: BigButton {
                    required property var modelData
                    objectName: "proctor_" + modelData.staffNumber
                    implicitWidth: 360
                    implicitHeight: 110
                    fontSize: 36
                    tone: Theme.panelLight
                    text: modelData.name
                    onClicked: vm.chooseProctor(modelData.staffNumber)
                }
            }
        }
        Label {
            objectName: "pinPrompt"
            Layout.alignment: Qt.AlignHCenter
            visible: vm.namedProctors && vm.proctorStaffNumber.length > 0
            text: !vm.settingPin ? qsTr("%1，请输入您的 PIN").arg(vm.proctorName)
                  : vm.confirmingPin ? qsTr("%1，请再输入一次新的 PIN").arg(vm.proctorName)
                  : qsTr("%1，首次使用：请设置您的 PIN（4–12 位数字）").arg(vm.proctorName)
            font.pixelSize: 34
        }
        PinPad {
            id: pinPad
            objectName: "pinPad"
            Layout.alignment: Qt.AlignHCenter
            visible: !vm.namedProctors || vm.proctorStaffNumber.length > 0
            onSubmitted: (pin) => vm.enterPin(pin)
        }
        Label {
            objectName: "pinMessage"
            Layout.alignment: Qt.AlignHCenter
            visible: text.length > 0
            text: vm.pinMessage
            color: vm.pinLocked ? Theme.warning : "#ffb4ab"
            font.pixelSize: 30
        }
        RowLayout {
            Layout.alignment: Qt.AlignHCenter
            spacing: 16
            BigButton {
                objectName: "notMeButton"
                visible: vm.namedProctors && vm.proctorStaffNumber.length > 0
                Layout.preferredWidth: 300
                text: qsTr("换一位监考")
                tone: Theme.panelLight
                onClicked: vm.clearProctor()
            }
            BigButton {
                objectName: "pinCancel"
                Layout.preferredWidth: 456
                text: qsTr("返回签到")
                tone: Theme.neutral
                onClicked: screen.done()
            }
        }
    }

    // ---- Proctor mode ----
    Item {
        objectName: "proctorPanel"
        anchors.fill: parent
        anchors.margins: 24
        visible: vm.authenticated

        RowLayout {
            id: topBar
            anchors { left: parent.left; right: parent.right; top: parent.top }
            height: Theme.touch
            spacing: 16
            // The sessions of this kiosk, the selected one highlighted; swipe for more.
            ListView {
                id: sessionList
                objectName: "sessionList"
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.touch
                orientation: ListView.Horizontal
                spacing: 8
                clip: true
                boundsBehavior: Flickable.StopAtBounds
                model: vm.sessions
                delegate: BigButton {
                    required property var modelData
                    height: Theme.touch
                    fontSize: 22
                    text: modelData.title + "　" + modelData.time + (modelData.closed ? qsTr("（已结束）") : "")
                    tone: modelData.id === vm.sessionId ? Theme.accent : Theme.panelLight
                    checked: modelData.id === vm.sessionId
                    onClicked: vm.sessionId = modelData.id
                }
            }
            Label {
                objectName: "actingProctor"
                visible: vm.proctorName.length > 0
                text: qsTr("监考：%1").arg(vm.proctorName)
                color: Theme.textDim
            }
            BigButton {
                objectName: "backButton"
                text: qsTr("返回签到")
                tone: Theme.neutral
                onClicked: screen.done()
            }
            BigButton {
                objectName: "changePassphraseButton"
                text: qsTr("更改口令")
                tone: Theme.panelLight
                onClicked: changePassphrase.open()
            }
            BigButton {
                objectName: "lockButton"
                text: qsTr("锁定本机")
                tone: Theme.danger
                onClicked: vm.lockKiosk()
            }
        }

        RowLayout {
            id: counts
            anchors { left: parent.left; right: parent.right; top: topBar.bottom; topMargin: 16 }
            spacing: 16
            CountTile { objectName: "countExpected"; label: qsTr("应到"); value: vm.expected }
            CountTile { objectName: "countCheckedIn"; label: qsTr("已签到"); value: vm.checkedIn; tone: Theme.success }
            CountTile { objectName: "countNotYet"; label: qsTr("未签到"); value: vm.notYet; tone: Theme.panelLight }
            CountTile { objectName: "countLate"; label: qsTr("其中迟到"); value: vm.late; tone: "#8a5300" }
            CountTile { objectName: "countAbsent"; label: qsTr("缺考"); value: vm.absent; tone: Theme.danger }
            CountTile { objectName: "countExcused"; label: qsTr("免考"); value: vm.excused; tone: Theme.neutral }
        }

        // Roster with search.
        ColumnLayout {
            id: rosterColumn
            anchors { left: parent.left; top: counts.bottom; bottom: parent.bottom; topMargin: 16 }
            width: 1000
            spacing: 12
            // Candidates checked in more than once (two kiosks while offline),
            // as the server found at the last sync. Nothing to do but check.
            Rectangle {
                objectName: "conflictsPanel"
                visible: vm.conflicts.length > 0
                Layout.fillWidth: true
                Layout.preferredHeight: conflictColumn.implicitHeight + 24
                radius: 10
                color: Theme.panel
                border.color: Theme.warning
                border.width: 2
                Column {
                    id: conflictColumn
                    anchors { left: parent.left; right: parent.right; top: parent.top; margins: 12 }
                    spacing: 4
                    Label {
                        width: parent.width
                        text: qsTr("重复签到 %1 人：以最早一次签到为准，两条记录都已保留，请核实本人").arg(vm.conflicts.length)
                        color: Theme.warning
                        font.bold: true
                        wrapMode: Text.Wrap
                    }
                    Repeater {
                        model: vm.conflicts
                        delegate: Label {
                            required property var modelData
                            width: conflictColumn.width
                            text: modelData.text
                            font.pixelSize: 22
                            wrapMode: Text.Wrap
                        }
                    }
                }
            }
            Field {
                id: search
                objectName: "searchField"
                placeholderText: qsTr("搜索：姓名、准考证号、座位号或身份证后四位")
                // Ticket, seat and ID digits: the on-screen keyboard opens on its digits.
                inputMethodHints: Qt.ImhPreferNumbers | Qt.ImhNoPredictiveText
                onTextChanged: vm.roster.filter = text
            }
            ListView {
                id: rosterList
                objectName: "rosterList"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                spacing: 6
                model: vm.roster
                boundsBehavior: Flickable.StopAtBounds
                ScrollBar.vertical: ScrollBar { width: 20 }
                delegate: Rectangle {
                    id: row
                    required property int index
                    required property var registrationId
                    required property string name
                    required property string seat
                    required property string ticketNumber
                    required property string maskedId
                    required property string statusKey
                    required property string statusText
                    required property string resultText
                    required property int incidents
                    required property string photo
                    width: ListView.view.width - 24
                    height: 80
                    radius: 10
                    // Qt 6.4's qmllint has no qint64 (qlonglong) among its builtins; the engine compares the numbers.
                    color: vm.selectedRegistrationId === registrationId ? Theme.accent : Theme.panel // qmllint disable type
                    RowLayout {
                        anchors.fill: parent
                        anchors.leftMargin: 20
                        anchors.rightMargin: 16
                        spacing: 14
                        Label { text: row.seat; font.pixelSize: 34; font.bold: true; Layout.preferredWidth: 52 }
                        // The photo beside the name (a thumbnail), or 无照片.
                        Rectangle {
                            objectName: "rosterPhotoFrame"
                            Layout.preferredWidth: 54
                            Layout.preferredHeight: 72
                            color: "white"
                            CandidatePhoto {
                                id: thumbnail
                                objectName: "rosterPhoto"
                                anchors.fill: parent
                                sha256: row.photo
                            }
                            Label {
                                objectName: "rosterNoPhoto"
                                anchors.fill: parent
                                visible: !thumbnail.available
                                text: qsTr("无照片")
                                color: "#555555"
                                font.pixelSize: 15
                                wrapMode: Text.Wrap
                                horizontalAlignment: Text.AlignHCenter
                                verticalAlignment: Text.AlignVCenter
                            }
                        }
                        Label { text: row.name; font.pixelSize: 32; Layout.preferredWidth: 150; elide: Text.ElideRight }
                        Label { text: row.ticketNumber; color: Theme.textDim; Layout.preferredWidth: 150 }
                        Label { text: row.maskedId; color: Theme.textDim; font.pixelSize: 22; Layout.fillWidth: true; elide: Text.ElideLeft }
                        Label {
                            visible: row.incidents > 0
                            text: "⚠" + row.incidents
                            color: Theme.warning
                        }
                        Label { text: row.resultText; Layout.preferredWidth: 96 }
                        Rectangle {
                            Layout.preferredWidth: 164
                            Layout.preferredHeight: 52
                            radius: 26
                            color: Theme.statusColor(row.statusKey)
                            Label {
                                anchors.centerIn: parent
                                text: row.statusText
                                font.pixelSize: 24
                            }
                        }
                    }
                    TapHandler {
                        onTapped: vm.select(row.registrationId)
                    }
                }
            }
        }

        // Actions on the selected candidate, incidents, results, sign-off.
        // A field that takes focus scrolls into view with the buttons it
        // goes with (the on-screen keyboard may have taken the bottom of
        // the screen): the reason with the actions that need one; the score
        // and the signature share their row with their buttons.
        FormFlickable {
            id: actions
            objectName: "actionsFlickable"
            anchors { left: rosterColumn.right; right: parent.right; top: counts.bottom; bottom: parent.bottom
                      leftMargin: 24; topMargin: 16 }
            contentHeight: actionColumn.implicitHeight
            margin: 8
            companion: typingItem === reason ? actionGrid : null

            ColumnLayout {
                id: actionColumn
                width: actions.width
                spacing: 12

                Rectangle {
                    Layout.fillWidth: true
                    Layout.preferredHeight: 72
                    radius: Theme.radius
                    color: Theme.panel
                    Label {
                        objectName: "selectedLabel"
                        anchors.fill: parent
                        anchors.margins: 16
                        verticalAlignment: Text.AlignVCenter
                        wrapMode: Text.Wrap
                        font.pixelSize: vm.hasSelection ? 30 : 26
                        text: vm.hasSelection
                              ? qsTr("%1　%2号座　%3　%4").arg(vm.selectedName).arg(vm.selectedSeat)
                                    .arg(vm.selectedStatus).arg(vm.selectedResult)
                              : qsTr("请在左侧名单中点选考生")
                    }
                }

                Field {
                    id: reason
                    objectName: "reasonField"
                    placeholderText: qsTr("原因或说明（手工签到、撤销、免考、情况记录时必填）")
                }
                Flow {
                    Layout.fillWidth: true
                    spacing: 8
                    Repeater {
                        model: [qsTr("准考证遗失"), qsTr("二维码无法识别"), qsTr("误签到"), qsTr("病假")]
                        delegate: BigButton {
                            required property string modelData
                            implicitHeight: 64
                            fontSize: 22
                            tone: Theme.panelLight
                            text: modelData
                            onClicked: reason.text = modelData
                        }
                    }
                }
                GridLayout {
                    id: actionGrid
                    Layout.fillWidth: true
                    columns: 5
                    rowSpacing: 10
                    columnSpacing: 10
                    BigButton { objectName: "manualCheckInButton"; Layout.fillWidth: true; text: qsTr("手工签到"); tone: Theme.success
                                enabled: vm.hasSelection; onClicked: vm.manualCheckIn(reason.text) }
                    BigButton { objectName: "annulButton"; Layout.fillWidth: true; text: qsTr("撤销签到"); tone: Theme.danger
                                enabled: vm.hasSelection; onClicked: vm.annul(reason.text) }
                    BigButton { objectName: "lateButton"; Layout.fillWidth: true; text: qsTr("标记迟到"); tone: "#8a5300"
                                enabled: vm.hasSelection; onClicked: vm.markLate() }
                    BigButton { objectName: "absentButton"; Layout.fillWidth: true; text: qsTr("标记缺考"); tone: Theme.neutral
                                enabled: vm.hasSelection; onClicked: vm.markAbsent() }
                    BigButton { objectName: "excusedButton"; Layout.fillWidth: true; text: qsTr("标记免考"); tone: Theme.neutral
                                enabled: vm.hasSelection; onClicked: vm.markExcused(reason.text) }
                }

                Flow {
                    Layout.fillWidth: true
                    Layout.topMargin: 8
                    spacing: 8
                    Label {
                        height: 64
                        verticalAlignment: Text.AlignVCenter
                        text: qsTr("记录情况")
                        font.bold: true
                    }
                    Repeater {
                        model: vm.incidentCategories
                        delegate: BigButton {
                            required property var modelData
                            objectName: "incident_" + modelData.value
                            implicitHeight: 64
                            implicitWidth: Math.max(112, contentItem.implicitWidth + 32)
                            fontSize: 24
                            tone: Theme.panelLight
                            enabled: vm.hasSelection
                            text: modelData.label
                            onClicked: vm.incident(modelData.value, reason.text)
                        }
                    }
                }

                RowLayout {
                    Layout.fillWidth: true
                    Layout.topMargin: 8
                    spacing: 10
                    Label { text: qsTr("录入成绩"); font.bold: true }
                    Field {
                        id: score
                        objectName: "scoreField"
                        Layout.preferredWidth: 220
                        Layout.fillWidth: false
                        placeholderText: qsTr("分数（可不填）")
                        inputMethodHints: Qt.ImhDigitsOnly
                    }
                    BigButton { objectName: "passButton"; Layout.fillWidth: true; text: qsTr("通过"); tone: Theme.success
                                enabled: vm.hasSelection; onClicked: vm.result(true, score.text) }
                    BigButton { objectName: "failButton"; Layout.fillWidth: true; text: qsTr("未通过"); tone: Theme.danger
                                enabled: vm.hasSelection; onClicked: vm.result(false, score.text) }
                }

                Label {
                    objectName: "actionMessage"
                    Layout.fillWidth: true
                    Layout.preferredHeight: 56
                    verticalAlignment: Text.AlignVCenter
                    wrapMode: Text.Wrap
                    text: vm.message
                    color: vm.messageIsError ? "#ffb4ab" : "#a5d6a7"
                    font.pixelSize: 26
                }

                Rectangle {
                    Layout.fillWidth: true
                    Layout.preferredHeight: closeColumn.implicitHeight + 32
                    radius: Theme.radius
                    color: Theme.panel
                    ColumnLayout {
                        id: closeColumn
                        anchors { left: parent.left; right: parent.right; top: parent.top; margins: 16 }
                        spacing: 10
                        // This room's figures, then the session's (published is per session).
                        Label {
                            objectName: "roomFiguresLabel"
                            Layout.fillWidth: true
                            text: vm.roomFiguresText
                            wrapMode: Text.Wrap
                            font.pixelSize: 30
                            font.bold: true
                        }
                        Label {
                            objectName: "participationLabel"
                            Layout.fillWidth: true
                            text: vm.sessionFiguresText
                            wrapMode: Text.Wrap
                            font.pixelSize: 24
                        }
                        Label {
                            objectName: "participationNote"
                            Layout.fillWidth: true
                            visible: text.length > 0
                            text: vm.participationNote
                            wrapMode: Text.Wrap
                            color: Theme.textDim
                            font.pixelSize: 22
                        }
                        Label {
                            objectName: "participationWarning"
                            Layout.fillWidth: true
                            visible: text.length > 0
                            text: vm.participationWarning
                            wrapMode: Text.Wrap
                            color: Theme.warning
                        }
                        // Named proctors: who signs is chosen from the room's proctors.
                        Flow {
                            objectName: "signerChoices"
                            Layout.fillWidth: true
                            spacing: 8
                            visible: !vm.sessionClosed && vm.namedProctors
                            Label {
                                height: 64
                                verticalAlignment: Text.AlignVCenter
                                text: qsTr("签字监考")
                            }
                            Repeater {
                                model: vm.proctors
                                delegate: BigButton {
                                    required property var modelData
                                    objectName: "signer_" + modelData.staffNumber
                                    implicitHeight: 64
                                    fontSize: 24
                                    checked: vm.signers.indexOf(modelData.staffNumber) >= 0
                                    tone: checked ? Theme.accent : Theme.panelLight
                                    text: (checked ? "✓ " : "") + modelData.name
                                    onClicked: vm.toggleSigner(modelData.staffNumber)
                                }
                            }
                            BigButton {
                                objectName: "signOffButton"
                                implicitHeight: 64
                                text: qsTr("结束签到并签字")
                                tone: Theme.danger
                                onClicked: vm.signOff()
                            }
                        }
                        // No proctor assigned to this room: the shared PIN, and a signature typed.
                        RowLayout {
                            Layout.fillWidth: true
                            spacing: 10
                            visible: !vm.sessionClosed && !vm.namedProctors
                            Field {
                                id: signer
                                objectName: "signerField"
                                placeholderText: qsTr("监考签字（姓名）")
                            }
                            BigButton {
                                objectName: "closeButton"
                                text: qsTr("结束签到并签字")
                                tone: Theme.danger
                                onClicked: vm.closeSession(signer.text)
                            }
                        }
                        Label {
                            objectName: "signOffLabel"
                            Layout.fillWidth: true
                            visible: vm.sessionClosed
                            text: vm.signOffText.length > 0 ? vm.signOffText : qsTr("本场已结束签到")
                            wrapMode: Text.Wrap
                            color: "#a5d6a7"
                            font.bold: true
                        }
                        // Signed off: a proctor may reopen it, for a reason chosen from the list.
                        Flow {
                            objectName: "reopenChoices"
                            Layout.fillWidth: true
                            spacing: 8
                            visible: vm.sessionClosed
                            Label {
                                height: 64
                                verticalAlignment: Text.AlignVCenter
                                text: qsTr("重新开放签到：")
                            }
                            Repeater {
                                model: vm.reopenReasons
                                delegate: BigButton {
                                    required property string modelData
                                    required property int index
                                    objectName: "reopen_" + index
                                    implicitHeight: 64
                                    fontSize: 22
                                    tone: Theme.panelLight
                                    text: modelData
                                    onClicked: vm.reopen(modelData)
                                }
                            }
                        }
                    }
                }

                // The room's incidents: no candidate (停电/断网, 设备故障 …); the note above is optional.
                // Last, under the sign-off: the screen's other actions keep their places.
                Flow {
                    Layout.fillWidth: true
                    Layout.topMargin: 8
                    spacing: 8
                    Label {
                        height: 64
                        verticalAlignment: Text.AlignVCenter
                        text: qsTr("考场情况")
                        font.bold: true
                    }
                    Repeater {
                        model: vm.roomIncidentCategories
                        delegate: BigButton {
                            required property var modelData
                            objectName: "roomIncident_" + modelData.value
                            implicitHeight: 64
                            implicitWidth: Math.max(112, contentItem.implicitWidth + 32)
                            fontSize: 24
                            tone: Theme.panelLight
                            text: modelData.label
                            onClicked: vm.roomIncident(modelData.value, reason.text)
                        }
                    }
                }
                Repeater {
                    objectName: "roomIncidentList"
                    model: vm.roomIncidents
                    delegate: Label {
                        required property var modelData
                        Layout.fillWidth: true
                        text: modelData.text
                        color: Theme.warning
                        font.pixelSize: 22
                        wrapMode: Text.Wrap
                    }
                }
            }
        }
    }

    // Over everything while open (proctor mode only): the site passphrase changed.
    ChangePassphrasePanel {
        id: changePassphrase
        objectName: "changePassphrasePanel"
        anchors.fill: parent
        visible: false
        // Leaving proctor mode (or a lock) closes it.
        Connections {
            target: vm
            function onAuthenticatedChanged() {
                if (!vm.authenticated)
                    changePassphrase.close()
            }
        }
    }
}
