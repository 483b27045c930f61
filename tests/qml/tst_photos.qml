import QtQuick
import QtTest
import Kaodian.Kiosk
import Kaodian.Kiosk.Test

// Candidates' photos on the kiosk (issue #15, item 1): large on the
// check-in card, a thumbnail beside each name in proctor mode; a candidate
// without a photo is marked 无照片 and checked in all the same.
TestCase {
    id: test
    name: "Photos"
    when: windowShown
    visible: true
    width: 1920
    height: 1080

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

    function save(item, name) {
        if (KioskTest.screenshotDir.length > 0) {
            waitForRendering(item)
            grabImage(item).save(KioskTest.screenshotDir + "/" + name)
        }
    }

    function scan(screen, index) {
        // The card stays up for the whole test (it goes back to 请扫码 on its own otherwise).
        screen.viewModel.resetDelay = 600000
        verify(KioskTest.tolerateSlowMachine(test) > 0)
        for (const c of KioskTest.ticket(index))
            keyClick(c)
        keyClick(Qt.Key_Return)
        tryCompare(findChild(screen, "cardName"), "text", KioskTest.candidateName(index))
        waitForRendering(screen)
    }

    // The photo's frame holds the picture: its middle is the face's colour,
    // not the white of an empty frame.
    function photoDrawn(screen, item) {
        const image = grabImage(screen)
        const at = item.mapToItem(screen, item.width / 2, item.height * 0.4)
        const pixel = image.pixel(Math.round(at.x), Math.round(at.y))
        return !Qt.colorEqual(pixel, "white")
    }

    function test_cardShowsThePhoto() {
        KioskTest.resetWithPhotos(1)
        verify(KioskTest.unlock())
        const screen = createTemporaryObject(checkInComponent, test)
        verify(screen)
        waitForRendering(screen)
        scan(screen, 0)
        const photo = findChild(screen, "cardPhoto")
        verify(photo.available)
        verify(photo.width >= 300 && photo.height >= 400, "large on the card")
        verify(!findChild(screen, "cardNoPhoto").visible)
        verify(photoDrawn(screen, photo))
        save(screen, "checkin-photo.png")
    }

    function test_withoutPhotoIsMarkedNotRefused() {
        KioskTest.resetWithPhotos(1)
        verify(KioskTest.unlock())
        const screen = createTemporaryObject(checkInComponent, test)
        verify(screen)
        waitForRendering(screen)
        scan(screen, 1)
        verify(findChild(screen, "cardSeat").visible, "checked in: the seat is shown")
        verify(!findChild(screen, "cardPhoto").available)
        verify(findChild(screen, "cardNoPhoto").visible)
        compare(findChild(screen, "cardNoPhoto").text, "无照片")
    }

    function test_proctorRosterHasThumbnails() {
        KioskTest.resetWithPhotos(1)
        verify(KioskTest.unlock())
        const screen = createTemporaryObject(proctorComponent, test)
        verify(screen)
        waitForRendering(screen)
        for (const d of KioskTest.pin)
            mouseClick(findChild(screen, "pinKey_" + d))
        mouseClick(findChild(screen, "pinKey_确定"))
        tryVerify(() => findChild(screen, "proctorPanel").visible)
        const list = findChild(screen, "rosterList")
        verify(list.count > 2)
        let withPhoto = 0, without = 0
        for (let i = 0; i < Math.min(list.count, 6); ++i) {
            list.positionViewAtIndex(i, ListView.Contain)
            const row = list.itemAtIndex(i)
            verify(row)
            const thumb = findChild(row, "rosterPhoto")
            verify(thumb)
            if (thumb.available) {
                ++withPhoto
                verify(!findChild(row, "rosterNoPhoto").visible)
            } else {
                ++without
                compare(row.name, KioskTest.candidateName(1))
                verify(findChild(row, "rosterNoPhoto").visible)
            }
        }
        compare(without, 1)
        verify(withPhoto >= 2)
        list.positionViewAtIndex(0, ListView.Beginning)
        save(screen, "proctor-photos.png")
    }
}
