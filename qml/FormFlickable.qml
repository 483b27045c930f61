import QtQuick

// A screen's form that stays usable with the on-screen keyboard up: the
// screen ends where the keyboard begins (Main.qml), and this scrolls so
// that the field being typed into and what goes with it (`companion`, its
// button) show above the keyboard. With room to spare the content is
// centred and does not scroll. The screen sets contentHeight from its
// content and places it at `centredY(height of the content)`.
Flickable {
    id: flick
    // What goes with the focused field and must show too (e.g. its button).
    property Item companion: null
    // Space kept above the field and below its companion.
    property int margin: 24
    // The item typed into: the window's focus item, when it is in this form.
    readonly property Item typingItem: {
        for (let p = Window.activeFocusItem; p; p = p.parent) {
            if (p === flick.contentItem)
                return Window.activeFocusItem
        }
        return null
    }

    contentWidth: width
    clip: true
    boundsBehavior: Flickable.StopAtBounds
    interactive: contentHeight > height

    // Where content of this height sits: centred, or at the margin when it is taller.
    function centredY(contentItemHeight: real): real {
        return Math.max(margin, (height - contentItemHeight) / 2)
    }

    function keepInView() {
        let y = contentY
        const field = typingItem
        if (field) {
            const last = companion ? companion : field
            const top = field.mapToItem(contentItem, 0, 0).y - margin
            const bottom = last.mapToItem(contentItem, 0, last.height).y + margin
            if (bottom > y + height)
                y = bottom - height
            if (top < y)
                y = top // the field itself first, when both cannot show
        }
        contentY = Math.max(0, Math.min(y, contentHeight - height))
    }

    // After the layout has followed a new height (the keyboard came or went) or focus.
    onHeightChanged: settle.restart()
    onContentHeightChanged: settle.restart()
    onTypingItemChanged: settle.restart()
    onCompanionChanged: settle.restart()
    Timer {
        id: settle
        interval: 0
        onTriggered: flick.keepInView()
    }
}
