import QtQuick
import QtTest
import Kaodian.Kiosk
import Kaodian.Kiosk.Test

TestCase {
    id: test
    name: "CheckInScreen"
    when: windowShown
    visible: true // TestCase hides itself by default; the screens under test must show
    width: 1920
    height: 1080

    Component {
        id: screenComponent
        CheckInScreen {
            width: 1920
            height: 1080
        }
    }

    SignalSpy {
        id: proctorSpy
        signalName: "proctorRequested"
    }

    function init() {
        KioskTest.reset()
        verify(KioskTest.unlock())
    }

    function createScreen() {
        const screen = createTemporaryObject(screenComponent, test)
        verify(screen)
        waitForRendering(screen)
        return screen
    }

    // A keyboard-wedge scanner (no pause: every key at once, then Enter; the
    // gap allowed between keys is widened so that a stall of this busy
    // machine does not make it slow typing), or a person typing (a pause
    // between keys, against the kiosk's own 50 ms gap).
    function wedge(text, pause) {
        verify(pause ? KioskTest.setScanGap(test, 50) > 0 : KioskTest.tolerateSlowMachine(test) > 0)
        for (const c of text) {
            if (pause)
                wait(pause)
            keyClick(c)
        }
        if (pause)
            wait(pause)
        keyClick(Qt.Key_Return)
    }

    function save(screen, name) {
        if (KioskTest.screenshotDir.length > 0) {
            waitForRendering(screen)
            grabImage(screen).save(KioskTest.screenshotDir + "/" + name)
        }
    }

    function test_readyAtStart() {
        const screen = createScreen()
        verify(findChild(screen, "readyPanel").visible)
        verify(!findChild(screen, "resultCard").visible)
        compare(findChild(screen, "countText").text, "已签到 0 / 60")
        verify(findChild(screen, "proctorButton").height >= 64)
        save(screen, "kiosk-ready.png")
    }

    function test_wedgeScanChecksIn() {
        const screen = createScreen()
        wedge(KioskTest.ticket(0))
        const card = findChild(screen, "resultCard")
        tryVerify(() => card.visible)
        compare(screen.viewModel.state, CheckInViewModel.Success)
        compare(findChild(screen, "cardHeadline").text, "签到成功")
        compare(findChild(screen, "cardName").text, KioskTest.candidateName(0))
        verify(findChild(screen, "cardMaskedId").text.indexOf("**********") > 0)
        compare(findChild(screen, "cardSeat").text, "第 01 考场　01 号座位")
        compare(findChild(screen, "cardGlyph").text, "✓")
        compare(findChild(screen, "countText").text, "已签到 1 / 60")
        save(screen, "kiosk-success.png")
    }

    function test_slowTypingIsNotAScan() {
        const screen = createScreen()
        wedge(KioskTest.ticket(1).substring(0, 14), 90)
        wait(50)
        verify(findChild(screen, "readyPanel").visible, screen.viewModel.resultCode + " " + screen.viewModel.detail)
        compare(screen.viewModel.state, CheckInViewModel.Ready)
    }

    function test_refusalCard() {
        const screen = createScreen()
        // A forged ticket (one character changed).
        let forged = -1
        for (let i = 0; i < KioskTest.ticketCount(); ++i)
            if (KioskTest.ticketLabel(i).indexOf("伪造") === 0)
                forged = i
        verify(forged >= 0)
        wedge(KioskTest.ticket(forged))
        const card = findChild(screen, "resultCard")
        tryVerify(() => card.visible)
        compare(screen.viewModel.state, CheckInViewModel.Refused)
        compare(screen.viewModel.tone, "danger")
        compare(findChild(screen, "cardGlyph").text, "✕")
        compare(findChild(screen, "cardHeadline").text, "准考证无效")
        verify(findChild(screen, "cardDetail").text.indexOf("伪造") >= 0)
        save(screen, "kiosk-refused.png")
    }

    function test_warningCard() {
        const screen = createScreen()
        wedge(KioskTest.ticket(0))
        tryCompare(screen.viewModel, "state", CheckInViewModel.Success)
        wedge(KioskTest.ticket(0))
        tryCompare(screen.viewModel, "resultCode", "already_checked_in")
        compare(screen.viewModel.tone, "warning")
        compare(findChild(screen, "cardGlyph").text, "!")
        verify(findChild(screen, "cardDetail").text.indexOf("本机") >= 0)
    }

    function test_backToReady() {
        const screen = createScreen()
        screen.viewModel.resetDelay = 100
        wedge(KioskTest.ticket(2))
        tryVerify(() => findChild(screen, "resultCard").visible)
        tryVerify(() => findChild(screen, "readyPanel").visible, 2000)
        compare(screen.viewModel.state, CheckInViewModel.Ready)
    }

    function test_notScanningInProctorMode() {
        const screen = createScreen()
        screen.scanning = false
        wedge(KioskTest.ticket(3))
        wait(20)
        compare(screen.viewModel.state, CheckInViewModel.Ready)
    }

    function test_proctorButton() {
        const screen = createScreen()
        proctorSpy.target = screen
        proctorSpy.clear()
        mouseClick(findChild(screen, "proctorButton"))
        compare(proctorSpy.count, 1)
    }
}
