import QtQuick
import QtTest
import Kaodian.Kiosk
import Kaodian.Kiosk.Test

TestCase {
    id: test
    name: "UnlockScreen"
    when: windowShown
    visible: true // TestCase hides itself by default; the screens under test must show
    width: 1920
    height: 1080

    Component {
        id: screenComponent
        UnlockScreen {
            width: 1920
            height: 1080
        }
    }

    function init() {
        KioskTest.reset()
    }

    function test_wrongPassphraseSaysSo() {
        const screen = createTemporaryObject(screenComponent, test)
        verify(screen)
        verify(!KioskServices.unlocked)
        findChild(screen, "passphraseField").text = "not-the-passphrase"
        mouseClick(findChild(screen, "unlockButton"))
        const error = findChild(screen, "unlockError")
        tryVerify(() => error.visible)
        verify(error.text.length > 0)
        verify(!KioskServices.unlocked)
    }

    function test_emptyPassphrase() {
        const screen = createTemporaryObject(screenComponent, test)
        mouseClick(findChild(screen, "unlockButton"))
        compare(findChild(screen, "unlockError").text, "请输入考点口令")
    }

    function test_unlockWithButton() {
        const screen = createTemporaryObject(screenComponent, test)
        const field = findChild(screen, "passphraseField")
        field.text = KioskTest.passphrase
        mouseClick(findChild(screen, "unlockButton"))
        verify(KioskServices.unlocked)
        compare(field.text, "")
        verify(!findChild(screen, "unlockError").visible)
    }

    function test_unlockWithEnter() {
        const screen = createTemporaryObject(screenComponent, test)
        const field = findChild(screen, "passphraseField")
        field.forceActiveFocus()
        for (const c of KioskTest.passphrase)
            keyClick(c)
        compare(field.text, KioskTest.passphrase)
        keyClick(Qt.Key_Return)
        verify(KioskServices.unlocked)
    }

    function test_touchTargets() {
        const screen = createTemporaryObject(screenComponent, test)
        verify(findChild(screen, "unlockButton").height >= 64)
        verify(findChild(screen, "passphraseField").height >= 64)
    }
}
