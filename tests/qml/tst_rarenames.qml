import QtQuick
import QtTest
import Kaodian.Kiosk
import Kaodian.Kiosk.Test

// Real names draw on the check-in card: 李𪚥 (U+2A6A5) and 𠀁明 (U+20001),
// CJK Extension B, come from the fallback font (fonts-hanazono), not as the
// missing-glyph box. The card's name is grabbed from the screen and compared
// with the same card showing a character no font has (U+2FFFD): without a
// fallback both are the same box.
TestCase {
    id: test
    name: "RareNames"
    when: windowShown
    visible: true
    width: 1920
    height: 1080

    Component {
        id: screenComponent
        CheckInScreen {
            width: 1920
            height: 1080
        }
    }

    function cardNameImage(name) {
        KioskTest.resetRenamed(0, name)
        verify(KioskTest.unlock())
        const screen = createTemporaryObject(screenComponent, test)
        verify(screen)
        waitForRendering(screen)
        verify(KioskTest.tolerateSlowMachine(test) > 0)
        for (const c of KioskTest.ticket(0))
            keyClick(c)
        keyClick(Qt.Key_Return)
        const label = findChild(screen, "cardName")
        tryCompare(label, "text", name)
        waitForRendering(screen)
        // The whole scene, and where the name's first glyphs are in it.
        const image = grabImage(test)
        const at = label.mapToItem(test, 0, 0)
        const shot = { image: image, x: Math.round(at.x), y: Math.round(at.y),
                       width: Math.min(Math.round(label.width), 400), height: Math.round(label.height) }
        if (KioskTest.screenshotDir.length > 0)
            image.save(KioskTest.screenshotDir + "/rarename-" + name.codePointAt(0).toString(16) + "-"
                       + name.codePointAt(name.length - 1).toString(16) + ".png")
        screen.destroy()
        return shot
    }

    // Pixels that differ between two grabs, each from its name's top left
    // (the layout may place the name differently when its width differs).
    function differing(a, b) {
        const w = Math.min(a.width, b.width)
        const h = Math.min(a.height, b.height)
        verify(w > 100 && h > 50, "the name has a size")
        let n = 0
        for (let y = 0; y < h; y += 1)
            for (let x = 0; x < w; x += 1)
                if (!Qt.colorEqual(a.image.pixel(a.x + x, a.y + y), b.image.pixel(b.x + x, b.y + y)))
                    ++n
        return n
    }

    function test_rareCharactersDrawTheirGlyphs_data() {
        const box = String.fromCodePoint(0x2FFFD)
        return [
            { tag: "李𪚥", rare: "李" + String.fromCodePoint(0x2A6A5), boxed: "李" + box },
            { tag: "𠀁明", rare: String.fromCodePoint(0x20001) + "明", boxed: box + "明" },
        ]
    }

    function test_rareCharactersDrawTheirGlyphs(data) {
        const rare = cardNameImage(data.rare)
        const boxed = cardNameImage(data.boxed)
        const again = cardNameImage(data.boxed)
        compare(differing(boxed, again), 0, "the same name draws the same")
        const d = differing(rare, boxed)
        // A CJK glyph at 96 px changes thousands of pixels; the box none.
        verify(d > 1000, data.tag + " drew as the missing-glyph box (" + d + " pixels differ)")
    }
}
