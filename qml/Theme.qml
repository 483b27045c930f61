pragma Singleton
import QtQuick

// Colours and sizes of the kiosk: high contrast on a 1080p touch screen,
// touch targets of at least 64 px.
QtObject {
    readonly property string fontFamily: "Noto Sans CJK SC"
    readonly property color background: "#0b1d33"
    readonly property color panel: "#132b47"
    readonly property color panelLight: "#1c3a5e"
    readonly property color text: "#ffffff"
    readonly property color textDim: "#c9d6e6"
    readonly property color success: "#0b7a35"
    readonly property color warning: "#ffb300"
    readonly property color danger: "#c62828"
    readonly property color accent: "#1e88e5"
    readonly property color neutral: "#455a73"
    readonly property int touch: 72
    readonly property int radius: 12

    // The card colours of a check-in result, by the view model's tone.
    function toneColor(tone) {
        switch (tone) {
        case "success": return success
        case "late": return success
        case "warning": return warning
        case "danger": return danger
        default: return panel
        }
    }
    // Dark text on amber, white elsewhere (contrast above 4.5:1 both ways).
    function toneText(tone) {
        return tone === "warning" ? "#1a1a1a" : "#ffffff"
    }
    function toneGlyph(tone) {
        switch (tone) {
        case "success": return "✓"
        case "late": return "✓"
        case "warning": return "!"
        case "danger": return "✕"
        default: return ""
        }
    }
    function statusColor(key) {
        switch (key) {
        case "checked_in": return success
        case "late": return "#b26a00"
        case "absent": return danger
        case "excused": return neutral
        default: return panelLight
        }
    }
}
