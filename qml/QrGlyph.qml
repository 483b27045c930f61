// The delegate takes its model data through a required property.
pragma ComponentBehavior: Bound

import QtQuick

// A QR code, drawn (a picture of what to scan, not a code to decode): the
// check-in screen's ticket and the first-run screen's enrolment QR.
Rectangle {
    id: glyph
    property int module: 36

    width: grid.implicitWidth + Math.round(module * 4 / 3)
    height: width
    radius: Math.round(module * 2 / 3)
    color: "#ffffff"
    Grid {
        id: grid
        anchors.centerIn: parent
        columns: 5
        spacing: Math.round(glyph.module * 2 / 9)
        Repeater {
            model: [1, 1, 1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1]
            delegate: Rectangle {
                required property int modelData
                width: glyph.module
                height: glyph.module
                color: modelData ? "#0b1d33" : "transparent"
            }
        }
    }
}
