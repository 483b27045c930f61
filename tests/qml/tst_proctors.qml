import QtQuick
import QtTest
import Kaodian.Kiosk
import Kaodian.Kiosk.Test

// Named proctors at the door (issue #15, items 2-4 and 7): each taps their
// own name and enters their PIN (the office's, or one set on first use);
// every action records who; the sign-off closes the door (a check-in is
// then refused) until a proctor reopens it for a reason; the room's
// incidents; proctor mode locks itself after a while without a touch.
TestCase {
    id: test
    name: "Proctors"
    when: windowShown
    visible: true
    width: 1920
    height: 1080

    Component {
        id: screenComponent
        ProctorScreen {
            width: 1920
            height: 1080
        }
    }

    SignalSpy {
        id: doneSpy
        signalName: "done"
    }

    function init() {
        KioskTest.resetWithProctors()
        verify(KioskTest.unlock())
    }

    function createScreen() {
        const screen = createTemporaryObject(screenComponent, test)
        verify(screen)
        waitForRendering(screen)
        doneSpy.clear()
        doneSpy.target = screen
        return screen
    }

    function save(screen, name) {
        if (KioskTest.screenshotDir.length > 0) {
            waitForRendering(screen)
            grabImage(screen).save(KioskTest.screenshotDir + "/" + name)
        }
    }

    function typePin(screen, pin) {
        for (const d of pin)
            mouseClick(findChild(screen, "pinKey_" + d))
        mouseClick(findChild(screen, "pinKey_确定"))
    }

    // The sign-off and the room's incidents are at the foot of the actions: scrolled to, as a proctor would.
    function scrollToFoot(screen) {
        const actions = findChild(screen, "actionsFlickable")
        actions.contentY = Math.max(0, actions.contentHeight - actions.height)
        waitForRendering(screen)
    }

    function signInAs(screen, staff, pin) {
        mouseClick(findChild(screen, "proctor_" + staff))
        typePin(screen, pin)
        tryVerify(() => findChild(screen, "proctorPanel").visible)
    }

    function test_theRoomsProctorsAreListed() {
        const screen = createScreen()
        const list = findChild(screen, "proctorList")
        verify(list.visible)
        compare(findChild(screen, "proctor_T001").text, "王老师")
        compare(findChild(screen, "proctor_T002").text, "李老师")
        verify(!findChild(screen, "pinPad").visible) // the name first
        save(screen, "kiosk-proctor-list.png")
    }

    function test_officePinOpensProctorMode() {
        const screen = createScreen()
        mouseClick(findChild(screen, "proctor_T001"))
        verify(findChild(screen, "pinPad").visible)
        compare(findChild(screen, "pinPrompt").text, "王老师，请输入您的 PIN")
        typePin(screen, "1111")
        tryCompare(findChild(screen, "pinMessage"), "text", "PIN 不正确，请重试")
        // The shared PIN is no one's here: the room has named proctors.
        typePin(screen, KioskTest.pin)
        verify(!findChild(screen, "proctorPanel").visible)
        typePin(screen, "2468")
        tryVerify(() => findChild(screen, "proctorPanel").visible)
        compare(findChild(screen, "actingProctor").text, "监考：王老师")
    }

    function test_firstUseSetsThePin() {
        const screen = createScreen()
        mouseClick(findChild(screen, "proctor_T002"))
        compare(findChild(screen, "pinPrompt").text, "李老师，首次使用：请设置您的 PIN（4–12 位数字）")
        typePin(screen, "1357")
        compare(findChild(screen, "pinPrompt").text, "李老师，请再输入一次新的 PIN")
        typePin(screen, "9999") // not the same: start again
        tryCompare(findChild(screen, "pinMessage"), "text", "两次输入的 PIN 不一致，请重新设置")
        verify(!findChild(screen, "proctorPanel").visible)
        typePin(screen, "1357")
        typePin(screen, "1357")
        tryVerify(() => findChild(screen, "proctorPanel").visible)
        // Its hash is in the outbox, for the server (never the PIN).
        compare(KioskTest.eventSummaries(), ["proctor_pin:T002"])
        // Next time the PIN is asked, not set.
        screen.viewModel.leave()
        waitForRendering(screen)
        mouseClick(findChild(screen, "proctor_T002"))
        compare(findChild(screen, "pinPrompt").text, "李老师，请输入您的 PIN")
        typePin(screen, "1357")
        tryVerify(() => findChild(screen, "proctorPanel").visible)
    }

    function test_signOffRefusesTheDoorUntilReopened() {
        const screen = createScreen()
        compare(KioskTest.scanCode(0), "checked_in")
        signInAs(screen, "T001", "2468")
        const vm = screen.viewModel
        compare(vm.signers, ["T001"])
        scrollToFoot(screen)
        mouseClick(findChild(screen, "signer_T002"))
        compare(vm.signers, ["T001", "T002"])
        const signedIn = vm.checkedIn
        mouseClick(findChild(screen, "signOffButton"))
        tryVerify(() => vm.sessionClosed)
        verify(findChild(screen, "signOffLabel").text.indexOf("李老师、王老师") >= 0) // in the order of the list
        compare(findChild(screen, "countCheckedIn").value, signedIn)
        save(screen, "kiosk-signed-off.png")
        // At the door: refused, with the reason (the check-in screen says it).
        compare(KioskTest.scanCode(1), "session_closed")
        // Reopened for a reason chosen from the list: the door takes check-ins again.
        scrollToFoot(screen)
        mouseClick(findChild(screen, "reopen_0"))
        tryVerify(() => !vm.sessionClosed)
        compare(KioskTest.scanCode(1), "checked_in")
        compare(KioskTest.eventSummaries(), ["check_in:", "sign_off:T001", "reopen:T001", "check_in:"])
    }

    function test_roomIncidentRecordsWho() {
        const screen = createScreen()
        signInAs(screen, "T001", "2468")
        scrollToFoot(screen)
        mouseClick(findChild(screen, "roomIncident_4")) // 停电/断网, no note needed
        tryVerify(() => screen.viewModel.roomIncidents.length === 1)
        verify(screen.viewModel.roomIncidents[0].text.indexOf("停电/断网") >= 0)
        compare(KioskTest.eventSummaries(), ["incident:T001"])
    }

    function test_proctorModeLocksItselfWhenIdle() {
        const screen = createScreen()
        signInAs(screen, "T001", "2468")
        const vm = screen.viewModel
        compare(vm.idleLockSeconds, 120) // the default (kaodian-kiosk --proctor-idle)
        vm.idleLockSeconds = 3
        wait(2000)
        mouseClick(findChild(screen, "countExpected")) // a touch: the three seconds start again
        wait(1500)
        verify(vm.authenticated) // 3.5 s in, 1.5 s after the touch
        tryVerify(() => !vm.authenticated, 5000)
        compare(doneSpy.count, 1) // back to check-in
        verify(findChild(screen, "pinPanel").visible)
        verify(findChild(screen, "proctorList").visible) // the next proctor taps their name again
    }
}
