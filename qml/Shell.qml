import QtQuick
import Kaodian.Kiosk

// Which screen shows: on a kiosk with no data yet the first-run screen
// (enrol with the office's QR), else the locked screen until the store is
// unlocked; then check-in, with proctor mode over it behind the PIN. The
// check-in and proctor screens only exist while unlocked.
Item {
    id: shell
    property bool proctorMode: false

    width: 1920
    height: 1080

    Connections {
        target: KioskServices
        function onUnlockedChanged() { shell.proctorMode = false }
    }

    FirstRunScreen {
        objectName: "firstRunScreen"
        anchors.fill: parent
        visible: !KioskServices.unlocked && !KioskServices.storeExists
    }

    UnlockScreen {
        objectName: "unlockScreen"
        anchors.fill: parent
        visible: !KioskServices.unlocked && KioskServices.storeExists
    }

    Loader {
        id: checkIn
        objectName: "checkInLoader"
        anchors.fill: parent
        active: KioskServices.unlocked
        visible: !shell.proctorMode
        sourceComponent: CheckInScreen {}
        // Wired from out here, not from inside the component: the screen
        // reads nothing of Shell's scope (qmllint), and a Loader in Qt 6.4
        // cannot create a component bound to it (ComponentBehavior: Bound).
        Binding {
            target: checkIn.item
            property: "scanning"
            value: !shell.proctorMode
            when: checkIn.item !== null
        }
        Connections {
            target: checkIn.item
            function onProctorRequested() { shell.proctorMode = true }
        }
    }

    Loader {
        id: proctor
        objectName: "proctorLoader"
        anchors.fill: parent
        active: KioskServices.unlocked && shell.proctorMode
        sourceComponent: ProctorScreen {}
        Connections {
            target: proctor.item
            function onDone() { shell.proctorMode = false }
        }
    }
}
