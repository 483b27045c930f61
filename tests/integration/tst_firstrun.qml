import QtQuick
import QtTest
import Kaodian.Kiosk
import Kaodian.Kiosk.EnrolTest

// A kiosk with no data shows the first-run screen; a proctor scans the
// enrolment QR with the wedge scanner (keys typed fast, then Enter), sets
// the passphrase and PIN, and the kiosk enrols with the real server in this
// process and goes on to check-in. A wrong scan and a used code say so.
TestCase {
    id: test
    name: "FirstRunWithServer"
    when: windowShown
    visible: true
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
        EnrolTest.reset()
    }

    // A keyboard-wedge scanner: every character as a key press, fast, then Enter.
    function wedge(text) {
        verify(EnrolTest.tolerateSlowMachine(test) > 0) // a stall between two keys is not slow typing
        for (const c of text)
            keyClick(c)
        keyClick(Qt.Key_Return)
    }

    function type(field, text) {
        mouseClick(field)
        verify(field.activeFocus)
        for (const c of text)
            keyClick(c)
        compare(field.text, text)
    }

    function fillSecrets(screen) {
        type(findChild(screen, "enrolPassphrase"), "site-passphrase")
        type(findChild(screen, "enrolPassphraseAgain"), "site-passphrase")
        type(findChild(screen, "enrolPin"), "246810")
        type(findChild(screen, "enrolPinAgain"), "246810")
    }

    function test_wrongScanThenTheOfficesCodeEnrols() {
        const shell = createTemporaryObject(shellComponent, test)
        const screen = findChild(shell, "firstRunScreen")
        verify(screen.visible)
        verify(!findChild(shell, "unlockScreen").visible)
        const message = findChild(screen, "firstRunMessage")

        wedge("https://example.org/not-an-enrolment-code")
        tryVerify(() => message.visible)
        verify(message.text.indexOf("KDENROL1") >= 0, message.text)
        compare(screen.viewModel.step, FirstRunViewModel.Scan)

        // Scanned again: the office's code.
        wedge(EnrolTest.freshCode())
        tryCompare(screen.viewModel, "step", FirstRunViewModel.Secrets)
        waitForRendering(screen) // laid out as a proctor sees it before tapping
        verify(!message.visible)
        verify(findChild(screen, "codeSummary").text.indexOf("127.0.0.1") >= 0)
        verify(findChild(screen, "enrolPassphrase").activeFocus) // ready to type
        fillSecrets(screen)
        mouseClick(findChild(screen, "enrolButton"))
        tryVerify(() => KioskServices.unlocked, 20000)
        verify(!screen.visible)
        const checkIn = findChild(shell, "checkInLoader")
        tryCompare(checkIn, "status", Loader.Ready)
        compare(KioskServices.room, "01")
        compare(KioskServices.site, "实训楼考点")
    }

    function test_codeUsedElsewhereSaysSoAndScansAgain() {
        const shell = createTemporaryObject(shellComponent, test)
        const screen = findChild(shell, "firstRunScreen")
        wedge(EnrolTest.usedCode())
        tryCompare(screen.viewModel, "step", FirstRunViewModel.Secrets)
        waitForRendering(screen)
        fillSecrets(screen)
        keyClick(Qt.Key_Return) // Enter in the last field enrols too
        tryCompare(screen.viewModel, "step", FirstRunViewModel.Scan, 20000)
        const message = findChild(screen, "firstRunMessage")
        verify(message.text.indexOf("另一台") >= 0, message.text)
        verify(!KioskServices.unlocked)
        verify(screen.visible)
        compare(findChild(screen, "enrolPassphrase").text, "") // nothing typed is kept
    }
}
