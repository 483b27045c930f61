import QtQuick
import Kaodian.Kiosk

// Which screen shows: the locked screen until the store is unlocked, then
// check-in, with proctor mode over it behind the PIN. The check-in and
// proctor screens only exist while unlocked.
Item {
    id: shell
    property bool proctorMode: false

    width: 1920
    height: 1080

    Connections {
        target: KioskServices
        function onUnlockedChanged() { shell.proctorMode = false }
    }

    UnlockScreen {
        objectName: "unlockScreen"
        anchors.fill: parent
        visible: !KioskServices.unlocked
    }

    Loader {
        id: checkIn
        objectName: "checkInLoader"
        anchors.fill: parent
        active: KioskServices.unlocked
        visible: !shell.proctorMode
        sourceComponent: CheckInScreen {
            scanning: !shell.proctorMode
            onProctorRequested: shell.proctorMode = true
        }
    }

    Loader {
        id: proctor
        objectName: "proctorLoader"
        anchors.fill: parent
        active: KioskServices.unlocked && shell.proctorMode
        sourceComponent: ProctorScreen {
            onDone: shell.proctorMode = false
        }
    }
}
