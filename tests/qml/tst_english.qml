import QtQuick
import QtTest
import Kaodian.Kiosk
import Kaodian.Kiosk.Test

// Every screen in English (--lang en), as a visiting proctor or a foreign
// examiner sees it: the kiosk's own translation, over a package whose data
// (names, session titles, site) has no Chinese, so that any Han character
// on screen comes from the interface — a string not translated, or a
// message from the core that was shown as it came. Each screen is walked
// in each of its states: every visible text, placeholder and title.
TestCase {
    id: test
    name: "English"
    when: windowShown
    visible: true
    width: 1920
    height: 1080

    Component {
        id: unlockComponent
        UnlockScreen {
            width: 1920
            height: 1080
        }
    }
    Component {
        id: firstRunComponent
        FirstRunScreen {
            width: 1920
            height: 1080
        }
    }
    Component {
        id: checkInComponent
        CheckInScreen {
            width: 1920
            height: 1080
        }
    }
    Component {
        id: proctorComponent
        ProctorScreen {
            width: 1920
            height: 1080
        }
    }

    function initTestCase() {
        verify(KioskTest.useEnglish(), "the kiosk's English translation is not in the test binary")
    }

    function init() {
        KioskTest.resetLatin()
    }

    // Han ideographs (the unified blocks and their extensions A and B, and
    // the compatibility block): what an English screen must not show.
    function isHan(text) {
        return /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[\ud840-\ud86f][\udc00-\udfff]/.test(text)
    }

    function chineseOnScreen(item, where, out) {
        if (!item || !item.visible || item.opacity === 0)
            return out
        for (const property of ["text", "placeholderText", "title"]) {
            const value = item[property]
            if (typeof value === "string" && isHan(value))
                out.push(where + " " + (item.objectName || item.toString()) + "." + property + ": " + value)
        }
        for (let i = 0; i < item.children.length; ++i)
            chineseOnScreen(item.children[i], where, out)
        return out
    }

    // The whole window: the screen and whatever it shows above it (popups).
    function checkEnglish(where) {
        waitForRendering(test)
        const found = chineseOnScreen(test.Window.window.contentItem, where, [])
        verify(found.length === 0, "Chinese on an English screen:\n" + found.join("\n"))
    }

    function wedge(text) {
        verify(KioskTest.tolerateSlowMachine(test) > 0)
        for (const c of text)
            keyClick(c)
        keyClick(Qt.Key_Return)
    }

    function test_unlockScreen() {
        const screen = createTemporaryObject(unlockComponent, test)
        checkEnglish("unlock")
        mouseClick(findChild(screen, "unlockButton")) // nothing typed
        checkEnglish("unlock, empty")
        findChild(screen, "passphraseField").text = "not-the-passphrase"
        mouseClick(findChild(screen, "unlockButton"))
        const error = findChild(screen, "unlockError")
        tryVerify(() => error.visible)
        checkEnglish("unlock, wrong passphrase")
    }

    function test_firstRunScreen() {
        KioskTest.resetUnenrolled()
        const screen = createTemporaryObject(firstRunComponent, test)
        checkEnglish("first run")
        const message = findChild(screen, "firstRunMessage")
        wedge(KioskTest.ticket(0)) // an admission ticket, not an enrolment code
        tryVerify(() => message.visible)
        checkEnglish("first run, a ticket scanned")
        wedge("https://example.org/whatever")
        checkEnglish("first run, not a code")
        wedge(KioskTest.unreachableCode().slice(0, 60))
        checkEnglish("first run, a code cut short")
        wedge(KioskTest.unreachableCode())
        tryCompare(screen.viewModel, "step", FirstRunViewModel.Secrets)
        checkEnglish("first run, secrets")
        findChild(screen, "enrolPassphrase").text = "site-passphrase"
        findChild(screen, "enrolPassphraseAgain").text = "site-passphrasf"
        findChild(screen, "enrolPin").text = "24"
        findChild(screen, "enrolPinAgain").text = "24"
        mouseClick(findChild(screen, "enrolButton"))
        checkEnglish("first run, passphrases differ")
        findChild(screen, "enrolPassphraseAgain").text = "site-passphrase"
        mouseClick(findChild(screen, "enrolButton"))
        checkEnglish("first run, PIN too short")
        findChild(screen, "enrolPin").text = "246810"
        findChild(screen, "enrolPinAgain").text = "246810"
        mouseClick(findChild(screen, "enrolButton"))
        tryVerify(() => screen.viewModel.step === FirstRunViewModel.Secrets && message.visible
                  && !screen.viewModel.message.startsWith("Connecting"), 20000, message.text)
        checkEnglish("first run, server unreachable")
    }

    // Every kind of sample ticket at the door: checked in, late, already in,
    // another room or session, not yet open, forged, revoked, not a ticket.
    function test_checkInScreenEveryCard() {
        verify(KioskTest.unlock())
        const screen = createTemporaryObject(checkInComponent, test)
        waitForRendering(screen)
        checkEnglish("check-in, ready")
        const card = findChild(screen, "resultCard")
        verify(KioskTest.ticketCount() > 5)
        for (let i = 0; i < KioskTest.ticketCount(); ++i) {
            wedge(KioskTest.ticket(i))
            tryVerify(() => card.visible)
            checkEnglish("check-in, ticket " + i + " (" + screen.viewModel.resultCode + ")")
            screen.viewModel.reset()
        }
        wedge("not a ticket at all")
        tryVerify(() => card.visible)
        checkEnglish("check-in, not a ticket")
    }

    // The office's registration changes at the door: a withdrawn ticket
    // (已退考) and a candidate excused in advance (请假), both in English.
    function test_registrationChanges() {
        const withdrawn = KioskTest.resetLatinWithChanges()
        verify(KioskTest.unlock())
        const door = createTemporaryObject(checkInComponent, test)
        waitForRendering(door)
        const card = findChild(door, "resultCard")
        wedge(withdrawn)
        tryVerify(() => card.visible)
        compare(door.viewModel.resultCode, "withdrawn")
        checkEnglish("check-in, a withdrawn ticket")
        door.viewModel.reset()
        door.visible = false

        const screen = createTemporaryObject(proctorComponent, test)
        waitForRendering(screen)
        for (const d of KioskTest.pin)
            mouseClick(findChild(screen, "pinKey_" + d))
        mouseClick(findChild(screen, "pinKey_确定"))
        tryVerify(() => findChild(screen, "proctorPanel").visible)
        const list = findChild(screen, "rosterList")
        let marker = ""
        for (let i = 0; i < list.count && !marker; ++i) {
            list.positionViewAtIndex(i, ListView.Contain)
            const item = list.itemAtIndex(i)
            if (item && item.statusText.indexOf("in hospital") >= 0)
                marker = item.statusText
        }
        verify(marker.length > 0, "the candidate excused in advance shows it, with the reason")
        checkEnglish("proctor, excused in advance: " + marker)
    }

    function test_proctorScreen() {
        verify(KioskTest.unlock())
        const screen = createTemporaryObject(proctorComponent, test)
        waitForRendering(screen)
        checkEnglish("proctor, PIN pad")
        for (const d of "000000")
            mouseClick(findChild(screen, "pinKey_" + d))
        mouseClick(findChild(screen, "pinKey_确定"))
        tryVerify(() => findChild(screen, "pinMessage").visible)
        checkEnglish("proctor, wrong PIN")
        for (const d of KioskTest.pin)
            mouseClick(findChild(screen, "pinKey_" + d))
        mouseClick(findChild(screen, "pinKey_确定"))
        tryVerify(() => findChild(screen, "proctorPanel").visible)
        checkEnglish("proctor, roster")

        // Changing the site passphrase: the panel, a weak one, two that differ, a wrong current one.
        mouseClick(findChild(screen, "changePassphraseButton"))
        const panel = findChild(screen, "changePassphrasePanel")
        verify(panel.visible)
        checkEnglish("proctor, change passphrase")
        const fill = (current, next, again) => {
            findChild(panel, "currentPassphrase").text = current
            findChild(panel, "newPassphrase").text = next
            findChild(panel, "newPassphraseAgain").text = again
            mouseClick(findChild(panel, "changePassphraseConfirm"))
            checkEnglish("proctor, change passphrase: " + findChild(panel, "changePassphraseMessage").text)
        }
        fill(KioskTest.passphrase, "ab12ab12ab12", "ab12ab12ab12")
        fill(KioskTest.passphrase, "abcdefghijkl", "abcdefghijkl")
        fill(KioskTest.passphrase, "Exam-room-2026", "Exam-room-2027")
        fill("not-the-passphrase", "Exam-room-2026", "Exam-room-2026")
        mouseClick(findChild(panel, "changePassphraseClose"))
        verify(!panel.visible)

        const list = findChild(screen, "rosterList")
        const rowNamed = (name) => {
            for (let i = 0; i < list.count; ++i) {
                list.positionViewAtIndex(i, ListView.Contain)
                const item = list.itemAtIndex(i)
                if (item && item.name === name)
                    return item
            }
            return null
        }
        mouseClick(rowNamed("Candidate 1"))
        checkEnglish("proctor, a candidate selected")
        mouseClick(findChild(screen, "manualCheckInButton")) // no reason: refused
        checkEnglish("proctor, a reason is required")
        findChild(screen, "reasonField").text = "ticket lost"
        mouseClick(findChild(screen, "manualCheckInButton"))
        mouseClick(findChild(screen, "lateButton"))
        for (let i = 0; i < 5; ++i) {
            const incident = findChild(screen, "incident_" + i)
            if (!incident)
                continue
            mouseClick(incident)
            checkEnglish("proctor, incident " + i)
        }
        mouseClick(findChild(screen, "passButton"))
        checkEnglish("proctor, a result")
        mouseClick(rowNamed("Candidate 3"))
        mouseClick(findChild(screen, "absentButton"))
        mouseClick(rowNamed("Candidate 4"))
        findChild(screen, "reasonField").text = "ill"
        mouseClick(findChild(screen, "excusedButton"))
        checkEnglish("proctor, absent and excused")
        findChild(screen, "signerField").text = "Ms Wang"
        // English is longer: the sign-off is further down the actions, scrolled to as a proctor would.
        const actions = findChild(screen, "actionsFlickable")
        actions.contentY = Math.max(0, actions.contentHeight - actions.height)
        waitForRendering(screen)
        mouseClick(findChild(screen, "closeButton"))
        verify(screen.viewModel.sessionClosed, screen.viewModel.message)
        checkEnglish("proctor, signed off")
        if (KioskTest.screenshotDir.length > 0)
            grabImage(screen).save(KioskTest.screenshotDir + "/kiosk-proctor-en.png")
    }
}
