import QtQuick
import QtTest
import Kaodian.Kiosk
import Kaodian.Kiosk.Test

// The shell of Main.qml: locked at start with nothing of the roster loaded,
// check-in once unlocked, proctor mode over it, locked again on request.
TestCase {
    id: test
    name: "Main"
    when: windowShown
    visible: true // TestCase hides itself by default; the screens under test must show
    width: 1920
    height: 1080

    Component {
        id: shellComponent
        Shell {
            width: 1920
            height: 1080
        }
    }

    function init() {
        KioskTest.reset()
    }

    function test_lockedAtStart() {
        const shell = createTemporaryObject(shellComponent, test)
        verify(findChild(shell, "unlockScreen").visible)
        compare(findChild(shell, "checkInLoader").status, Loader.Null)
        compare(findChild(shell, "proctorLoader").status, Loader.Null)
        compare(findChild(shell, "rosterList"), null)
    }

    function test_unlockThenProctorThenLock() {
        const shell = createTemporaryObject(shellComponent, test)
        verify(KioskTest.unlock())
        const checkIn = findChild(shell, "checkInLoader")
        tryCompare(checkIn, "status", Loader.Ready)
        verify(!findChild(shell, "unlockScreen").visible)
        mouseClick(findChild(checkIn.item, "proctorButton"))
        const proctor = findChild(shell, "proctorLoader")
        tryCompare(proctor, "status", Loader.Ready)
        verify(shell.proctorMode)
        verify(!checkIn.visible)
        verify(!checkIn.item.scanning)
        mouseClick(findChild(proctor.item, "pinCancel"))
        verify(!shell.proctorMode)
        compare(proctor.status, Loader.Null)
        verify(checkIn.item.scanning)

        KioskTest.lock()
        verify(findChild(shell, "unlockScreen").visible)
        compare(checkIn.status, Loader.Null)
    }

    function test_mainWindowLoads() {
        const component = Qt.createComponent("qrc:/qt/qml/Kaodian/Kiosk/Main.qml")
        // Compiles and resolves its types; kaodian-kiosk --screenshot shows it running.
        compare(component.status, Component.Ready, component.errorString())
    }
}
