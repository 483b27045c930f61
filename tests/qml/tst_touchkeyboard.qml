import QtQuick
import QtTest
import Kaodian.Kiosk
import Kaodian.Kiosk.Test

// The on-screen keyboard (run with QT_IM_MODULE=qtvirtualkeyboard, as
// main.cpp sets it for a touch screen without a keyboard): a proctor taps a
// field, the keyboard shows, its keys type into the field, and the fields
// low on the screen are scrolled into view above it.
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
            width: 1920
            height: 1080
            readonly property alias screen: proctor
            readonly property alias keyboard: keyboard
            ProctorScreen {
                id: proctor
                anchors { left: parent.left; right: parent.right; top: parent.top; bottom: keyboard.top }
            }
            TouchKeyboard {
                id: keyboard
                anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
            }
        }
    }

    function init() {
        KioskTest.reset()
        verify(KioskTest.unlock())
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

    function test_keyboardTypesIntoTheProctorFields() {
        const scene = createTemporaryObject(sceneComponent, test)
        verify(scene)
        const screen = scene.screen
        for (const d of KioskTest.pin)
            mouseClick(findChild(screen, "pinKey_" + d))
        mouseClick(findChild(screen, "pinKey_确定"))
        tryVerify(() => findChild(screen, "proctorPanel").visible)
        verify(!scene.keyboard.panel.active)
        compare(scene.keyboard.height, 0)

        // Search by ticket number: tap the field, type on the panel.
        const search = findChild(screen, "searchField")
        mouseClick(search)
        verify(search.activeFocus)
        tryVerify(() => scene.keyboard.panel.active)
        tryVerify(() => scene.keyboard.height > 200)
        verify(screen.height < 1080 - 200) // the screen ends above the keyboard
        waitForRendering(scene)
        for (const ch of "2026") {
            tryVerify(() => keyFor(scene.keyboard.panel, ch) !== null, 5000, "no key " + ch)
            const key = keyFor(scene.keyboard.panel, ch)
            mouseClick(key)
        }
        compare(search.text, "2026")
        if (KioskTest.screenshotDir.length > 0) {
            waitForRendering(scene)
            grabImage(scene).save(KioskTest.screenshotDir + "/kiosk-keyboard.png")
        }

        // The signature field, low on the screen, is scrolled into view above the keyboard.
        const signer = findChild(screen, "signerField")
        signer.forceActiveFocus()
        tryVerify(() => {
            const y = signer.mapToItem(screen, 0, 0).y
            return y >= 0 && y + signer.height <= screen.height
        })
        // Letters for a name: the panel leaves its digits for the letters.
        tryVerify(() => keyFor(scene.keyboard.panel, "w") !== null)
        for (const ch of "wang") {
            tryVerify(() => keyFor(scene.keyboard.panel, ch) !== null, 5000, "no key " + ch)
            const key = keyFor(scene.keyboard.panel, ch)
            mouseClick(key)
        }
        compare(signer.text.toLowerCase(), "wang") // the first letter may be a capital
    }
}
