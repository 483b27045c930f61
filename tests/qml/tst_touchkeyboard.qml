import QtQuick
import QtTest
import QtQuick.VirtualKeyboard.Settings
import Kaodian.Kiosk
import Kaodian.Kiosk.Test

// The on-screen keyboard (run with QT_IM_MODULE=qtvirtualkeyboard, as
// main.cpp sets it for a touch screen without a keyboard), in a scene laid
// out as Main.qml: the screens end where the keyboard begins. On every
// screen with a text field — unlock, first run, check-in's demo box,
// proctor mode — tapping a field brings the keyboard up, and the field and
// the button it goes with stay inside the visible area, above the
// keyboard's rectangle and inside whatever clips them. The keyboard types
// into the field and shows no language that is not the kiosk's.
TestCase {
    id: test
    name: "TouchKeyboard"
    when: windowShown
    visible: true
    width: 1920
    height: 1080

    Component {
        id: sceneComponent
        Item {
            id: scene
            width: 1920
            height: 1080
            readonly property alias shell: shell
            readonly property alias keyboard: keyboard
            Shell {
                id: shell
                anchors { left: parent.left; right: parent.right; top: parent.top; bottom: keyboard.top }
            }
            TouchKeyboard {
                id: keyboard
                anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
                z: 100
            }
        }
    }

    function init() {
        KioskTest.reset()
    }

    function cleanup() {
        KioskTest.lock()
    }

    function save(scene, name) {
        if (KioskTest.screenshotDir.length > 0) {
            waitForRendering(scene)
            grabImage(scene).save(KioskTest.screenshotDir + "/" + name)
        }
    }

    // Why `item` is not in sight with the keyboard up (empty when it is):
    // it must show, start below the top of the scene, end above the
    // keyboard, and lie inside every clipping item (a scrolled form) it is in.
    function hidden(scene, item) {
        if (!item.visible)
            return item.objectName + " is not visible"
        const r = item.mapToItem(scene, 0, 0, item.width, item.height)
        const keyboardTop = scene.keyboard.mapToItem(scene, 0, 0).y
        if (r.y < -0.5)
            return item.objectName + " starts above the screen at " + r.y
        if (r.y + r.height > keyboardTop + 0.5)
            return item.objectName + " ends at " + (r.y + r.height) + ", under the keyboard from " + keyboardTop
        for (let p = item.parent; p && p !== scene; p = p.parent) {
            if (!p.clip)
                continue
            const c = p.mapToItem(scene, 0, 0, p.width, p.height)
            if (r.y < c.y - 0.5 || r.y + r.height > c.y + c.height + 0.5)
                return item.objectName + " (" + r.y + "–" + (r.y + r.height) + ") is cut off by " + p + " ("
                        + c.y + "–" + (c.y + c.height) + ")"
        }
        return ""
    }

    // Taps the field (or focuses it when it is out of sight, as Tab would),
    // waits for the keyboard, and checks the field and its companions show.
    function typeInto(scene, field, companions) {
        if (hidden(scene, field) === "")
            mouseClick(field)
        else
            field.forceActiveFocus()
        verify(field.activeFocus, field.objectName + " has no focus")
        tryVerify(() => scene.keyboard.panel.active, 5000, "the keyboard did not come up")
        tryVerify(() => scene.keyboard.height > 300, 5000, "the keyboard has no height")
        for (const item of [field].concat(companions))
            tryVerify(() => hidden(scene, item) === "", 5000, hidden(scene, item))
    }

    // The key of the panel that types `text` (a letter, either case, or a digit), if shown.
    function keyFor(item, text) {
        if (item.hasOwnProperty("key") && item.hasOwnProperty("text") && typeof item.text === "string"
                && item.text.toLowerCase() === text && item.visible
                && item.width > 0)
            return item
        for (let i = 0; i < item.children.length; ++i) {
            const found = keyFor(item.children[i], text)
            if (found)
                return found
        }
        return null
    }

    function typeOnPanel(scene, text) {
        for (const ch of text) {
            tryVerify(() => keyFor(scene.keyboard.panel, ch) !== null, 5000, "no key " + ch)
            mouseClick(keyFor(scene.keyboard.panel, ch))
        }
    }

    // Texts shown on the panel that name a language.
    function languageLabels(item) {
        let found = []
        if (item.hasOwnProperty("text") && typeof item.text === "string" && item.visible && item.opacity > 0
                && /English|中文/.test(item.text))
            found.push(item.text)
        for (let i = 0; i < item.children.length; ++i)
            found = found.concat(languageLabels(item.children[i]))
        return found
    }

    function proctorMode(scene) {
        verify(KioskTest.unlock())
        const checkIn = findChild(scene.shell, "checkInLoader")
        tryCompare(checkIn, "status", Loader.Ready)
        mouseClick(findChild(checkIn.item, "proctorButton"))
        const proctor = findChild(scene.shell, "proctorLoader")
        tryCompare(proctor, "status", Loader.Ready)
        const screen = proctor.item
        for (const d of KioskTest.pin)
            mouseClick(findChild(screen, "pinKey_" + d))
        mouseClick(findChild(screen, "pinKey_确定"))
        tryVerify(() => findChild(screen, "proctorPanel").visible)
        return screen
    }

    function test_unlockScreen() {
        const scene = createTemporaryObject(sceneComponent, test)
        const screen = findChild(scene.shell, "unlockScreen")
        verify(screen.visible)
        const field = findChild(screen, "passphraseField")
        typeInto(scene, field, [findChild(screen, "unlockButton")])
        save(scene, "kiosk-unlock-keyboard.png")
        // A wrong passphrase: the reason shows too, under the button.
        typeOnPanel(scene, "wrong")
        mouseClick(findChild(screen, "unlockButton"))
        const error = findChild(screen, "unlockError")
        tryVerify(() => error.visible)
        typeInto(scene, field, [findChild(screen, "unlockButton"), error])
        verify(!KioskServices.unlocked)
    }

    function test_firstRunScreen() {
        KioskTest.resetUnenrolled()
        const scene = createTemporaryObject(sceneComponent, test)
        const screen = findChild(scene.shell, "firstRunScreen")
        verify(screen.visible)
        // No keyboard until a field is tapped: the scanner needs none.
        verify(!scene.keyboard.panel.active)
        // The code typed in (no scanner at hand): the field and its button show.
        const typed = findChild(screen, "typedCodeField")
        typeInto(scene, typed, [findChild(screen, "typedCodeButton")])
        typeOnPanel(scene, "kdenrol")
        compare(typed.text.toLowerCase(), "kdenrol")
        typed.text = KioskTest.unreachableCode() // the rest, as if pasted
        mouseClick(findChild(screen, "typedCodeButton"))
        tryCompare(screen.viewModel, "step", FirstRunViewModel.Secrets)
        waitForRendering(scene) // laid out as a proctor sees it before tapping
        const button = findChild(screen, "enrolButton")
        for (const name of ["enrolPassphrase", "enrolPassphraseAgain", "enrolPin", "enrolPinAgain"])
            typeInto(scene, findChild(screen, name), [button])
        // The PIN fields get the digits.
        typeOnPanel(scene, "2468")
        compare(findChild(screen, "enrolPinAgain").text, "2468")
        save(scene, "kiosk-firstrun-keyboard.png")
    }

    function test_checkInDemoBox() {
        KioskTest.setDemoMode(true)
        const scene = createTemporaryObject(sceneComponent, test)
        verify(KioskTest.unlock())
        const checkIn = findChild(scene.shell, "checkInLoader")
        tryCompare(checkIn, "status", Loader.Ready)
        typeInto(scene, findChild(checkIn.item, "demoInput"), [findChild(checkIn.item, "demoSubmit")])
    }

    function test_proctorScreen() {
        const scene = createTemporaryObject(sceneComponent, test)
        const screen = proctorMode(scene)
        verify(!scene.keyboard.panel.active)
        compare(scene.keyboard.height, 0)

        // Search by ticket number: the keys type into the field.
        const search = findChild(screen, "searchField")
        typeInto(scene, search, [])
        verify(screen.height < 1080 - 300) // the screen ends above the keyboard
        waitForRendering(scene)
        typeOnPanel(scene, "2026")
        compare(search.text, "2026")
        save(scene, "kiosk-keyboard.png")

        // The reason, with the actions that take it.
        typeInto(scene, findChild(screen, "reasonField"),
                 [findChild(screen, "manualCheckInButton"), findChild(screen, "excusedButton")])
        // The score, with its buttons.
        typeInto(scene, findChild(screen, "scoreField"), [findChild(screen, "passButton"), findChild(screen, "failButton")])
        // The signature, low on the screen, with the button that signs off.
        const signer = findChild(screen, "signerField")
        typeInto(scene, signer, [findChild(screen, "closeButton")])
        // Letters for a name: the panel leaves its digits for the letters.
        typeOnPanel(scene, "wang")
        compare(signer.text.toLowerCase(), "wang") // the first letter may be a capital
    }

    function test_keyboardSpeaksTheKiosksLanguage() {
        const scene = createTemporaryObject(sceneComponent, test)
        typeInto(scene, findChild(scene.shell, "passphraseField"), [])
        // Chinese (the default): no pinyin in Debian's keyboard, so the US
        // layout, one language only, and no language named on the space bar.
        compare(scene.keyboard.language, "zh")
        const chinese = VirtualKeyboardSettings.availableLocales.indexOf("zh_CN") >= 0
        compare(VirtualKeyboardSettings.locale, chinese ? "zh_CN" : "en_US")
        compare(VirtualKeyboardSettings.activeLocales.length, 1)
        if (!chinese) {
            wait(1500) // the style brings the label back after a change; it must stay away
            compare(languageLabels(scene.keyboard.panel), [])
        }
        // English: the US layout, named as such.
        scene.keyboard.language = "en"
        compare(VirtualKeyboardSettings.locale, "en_US")
        compare(VirtualKeyboardSettings.activeLocales, ["en_US"])
        tryVerify(() => languageLabels(scene.keyboard.panel).length > 0)
        verify(languageLabels(scene.keyboard.panel).every(t => t.indexOf("British") < 0))
        scene.keyboard.language = "zh"
    }
}
