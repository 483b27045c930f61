import QtQuick
import QtTest
import Kaodian.Kiosk
import Kaodian.Kiosk.Test

// The first-run screen of a kiosk with no data, without a server: what it
// says of a wrong scan, of what is typed, and of a server it cannot reach.
// tests/integration/tst_firstrun.qml enrols against a real server.
TestCase {
    id: test
    name: "FirstRunScreen"
    when: windowShown
    visible: true
    width: 1920
    height: 1080

    Component {
        id: screenComponent
        FirstRunScreen {
            width: 1920
            height: 1080
        }
    }
    Component {
        id: shellComponent
        Shell {
            width: 1920
            height: 1080
        }
    }

    function init() {
        KioskTest.resetUnenrolled()
    }

    // A keyboard-wedge scanner: every character as a key press, fast, then
    // Enter. The gap allowed between keys is widened so that a stall of this
    // busy machine between two keyClick()s does not make it slow typing.
    function wedge(text) {
        verify(KioskTest.tolerateSlowMachine(test) > 0)
        for (const c of text)
            keyClick(c)
        keyClick(Qt.Key_Return)
    }

    function save(item, name) {
        if (KioskTest.screenshotDir.length > 0) {
            waitForRendering(item)
            grabImage(item).save(KioskTest.screenshotDir + "/" + name)
        }
    }

    function test_shellShowsItOnAKioskWithNoData() {
        const shell = createTemporaryObject(shellComponent, test)
        verify(findChild(shell, "firstRunScreen").visible)
        verify(!findChild(shell, "unlockScreen").visible)
        compare(findChild(shell, "checkInLoader").status, Loader.Null)
        save(shell, "kiosk-firstrun.png")
    }

    function test_wrongScansSayWhyAndWaitForTheNext() {
        const screen = createTemporaryObject(screenComponent, test)
        const message = findChild(screen, "firstRunMessage")
        verify(!message.visible)

        wedge(KioskTest.ticket(0)) // an admission ticket
        tryVerify(() => message.visible)
        verify(message.text.indexOf("准考证") >= 0, message.text)
        compare(screen.viewModel.step, FirstRunViewModel.Scan)

        wedge("https://example.org/whatever")
        tryVerify(() => message.text.indexOf("KDENROL1") >= 0, 5000, message.text)
        compare(screen.viewModel.step, FirstRunViewModel.Scan)

        wedge(KioskTest.unreachableCode().slice(0, 60)) // cut short
        tryVerify(() => message.text.indexOf("不完整") >= 0, 5000, message.text)
        compare(screen.viewModel.step, FirstRunViewModel.Scan)

        // Typed slowly, the same keys are no scan at all (with the kiosk's own gap).
        compare(KioskTest.setScanGap(test, 50), 1)
        for (const c of "KDENROL1|abc") {
            keyClick(c)
            wait(80)
        }
        keyClick(Qt.Key_Return)
        compare(screen.viewModel.step, FirstRunViewModel.Scan)
    }

    function test_goodCodeAsksForPassphraseAndPin() {
        const screen = createTemporaryObject(screenComponent, test)
        wedge(KioskTest.unreachableCode())
        tryCompare(screen.viewModel, "step", FirstRunViewModel.Secrets)
        waitForRendering(screen) // laid out as a proctor sees it before tapping
        const summary = findChild(screen, "codeSummary")
        verify(summary.visible)
        verify(summary.text.indexOf("KQMLTEST") >= 0, summary.text)
        const passphrase = findChild(screen, "enrolPassphrase")
        verify(passphrase.activeFocus)
        const message = findChild(screen, "firstRunMessage")

        passphrase.text = "site-passphrase"
        findChild(screen, "enrolPassphraseAgain").text = "site-passphrasf"
        findChild(screen, "enrolPin").text = "246810"
        findChild(screen, "enrolPinAgain").text = "246810"
        mouseClick(findChild(screen, "enrolButton"))
        verify(message.text.indexOf("考点口令不一致") >= 0, message.text)
        compare(screen.viewModel.step, FirstRunViewModel.Secrets)

        // Issue #17, finding 4: the rule is on screen, and a weak passphrase is refused in its words.
        const rule = findChild(screen, "passphraseRule")
        verify(rule.visible)
        verify(rule.text.indexOf("至少 10 个字符") >= 0, rule.text)
        passphrase.text = "abcd1234"
        findChild(screen, "enrolPassphraseAgain").text = "abcd1234"
        mouseClick(findChild(screen, "enrolButton"))
        verify(message.text.indexOf("考点口令太短") >= 0, message.text)
        passphrase.text = "abcdefghijkl"
        findChild(screen, "enrolPassphraseAgain").text = "abcdefghijkl"
        mouseClick(findChild(screen, "enrolButton"))
        verify(message.text.indexOf("只用了一类字符") >= 0, message.text)
        compare(screen.viewModel.step, FirstRunViewModel.Secrets)
        passphrase.text = "site-passphrase"

        findChild(screen, "enrolPassphraseAgain").text = "site-passphrase"
        findChild(screen, "enrolPinAgain").text = "246811"
        mouseClick(findChild(screen, "enrolButton"))
        verify(message.text.indexOf("PIN 不一致") >= 0, message.text)

        findChild(screen, "enrolPin").text = "1234"
        findChild(screen, "enrolPinAgain").text = "1234"
        mouseClick(findChild(screen, "enrolButton"))
        verify(message.text.indexOf("6 至 12 位数字") >= 0, message.text)
        verify(!KioskServices.storeExists)
        save(screen, "kiosk-firstrun-secrets.png")

        // Another code instead: back to scanning, nothing typed is kept.
        mouseClick(findChild(screen, "rescanButton"))
        compare(screen.viewModel.step, FirstRunViewModel.Scan)
        compare(passphrase.text, "")
        verify(!message.visible)
    }

    function test_codeTypedInWithoutAScanner() {
        const screen = createTemporaryObject(screenComponent, test)
        const typed = findChild(screen, "typedCodeField")
        typed.text = "not a code"
        mouseClick(findChild(screen, "typedCodeButton"))
        verify(findChild(screen, "firstRunMessage").text.indexOf("KDENROL1") >= 0)
        compare(typed.text, "not a code") // kept, to be corrected
        typed.text = KioskTest.unreachableCode()
        typed.forceActiveFocus()
        keyClick(Qt.Key_Return)
        compare(screen.viewModel.step, FirstRunViewModel.Secrets)
        compare(typed.text, "")
    }

    function test_unreachableServerSaysSoAndCanBeRetried() {
        const screen = createTemporaryObject(screenComponent, test)
        wedge(KioskTest.unreachableCode())
        tryCompare(screen.viewModel, "step", FirstRunViewModel.Secrets)
        waitForRendering(screen) // laid out as a proctor sees it before tapping
        findChild(screen, "enrolPassphrase").text = "site-passphrase"
        findChild(screen, "enrolPassphraseAgain").text = "site-passphrase"
        findChild(screen, "enrolPin").text = "246810"
        findChild(screen, "enrolPinAgain").text = "246810"
        mouseClick(findChild(screen, "enrolButton"))
        const message = findChild(screen, "firstRunMessage")
        tryVerify(() => message.text.indexOf("无法连接服务器") >= 0, 20000, message.text)
        compare(screen.viewModel.step, FirstRunViewModel.Secrets)
        verify(findChild(screen, "enrolButton").enabled) // the same code, again
        compare(findChild(screen, "enrolPassphrase").text, "site-passphrase")
        verify(!KioskServices.storeExists)
        verify(!KioskServices.unlocked)
    }
}
