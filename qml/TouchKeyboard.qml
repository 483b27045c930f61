import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings
import Kaodian.Kiosk

// Qt Virtual Keyboard's panel along the bottom of the window, shown while a
// text field has focus (the passphrase, the first-run setup, the proctor's
// search, reason, score and signature fields). Loaded by Main.qml only when
// main.cpp chose the on-screen keyboard (QT_IM_MODULE=qtvirtualkeyboard):
// the module is not needed otherwise. The screens end where it begins.
//
// Its language is the kiosk's: en_US for --lang en; for Chinese, zh_CN where
// the keyboard has it (a build with pinyin). Debian's build has no pinyin:
// a Chinese kiosk then types Latin letters, digits and symbols (ticket
// numbers, seats, a name in pinyin) on the US layout, and the space bar
// names no language rather than one that is not the kiosk's. Only that one
// language is offered: no key switches to others.
Item {
    id: root
    readonly property alias panel: inputPanel
    // The kiosk's language, "zh" or "en".
    property string language: KioskServices.language
    // The keyboard's: the locale of the layout it types with (applyLanguage()).
    property string locale: "en_US"
    // Whether the space bar may name the keyboard's language: only when it is the kiosk's.
    readonly property bool showsLanguage: locale.startsWith(language)
    // The style as loaded (the default one): its language label is turned off through it.
    readonly property var keyboardStyle: inputPanel.keyboard.style

    implicitHeight: inputPanel.active ? inputPanel.height : 0
    height: implicitHeight

    // Chosen once the keyboard knows its layouts, and again if the language
    // changes; set, not bound: the settings change what they list as they apply.
    function chosenLocale(): string {
        const wanted = language === "en" ? "en_US" : "zh_CN"
        for (const available of VirtualKeyboardSettings.availableLocales) {
            if (available === wanted)
                return wanted
        }
        return "en_US"
    }
    function applyLanguage() {
        const chosen = chosenLocale()
        if (VirtualKeyboardSettings.activeLocales.length !== 1 || VirtualKeyboardSettings.activeLocales[0] !== chosen)
            VirtualKeyboardSettings.activeLocales = [chosen]
        if (VirtualKeyboardSettings.locale !== chosen)
            VirtualKeyboardSettings.locale = chosen
        locale = chosen
    }
    Component.onCompleted: applyLanguage()
    onLanguageChanged: applyLanguage()
    Connections {
        target: VirtualKeyboardSettings
        function onAvailableLocalesChanged() {
            if (root.chosenLocale() !== root.locale)
                root.applyLanguage()
        }
    }

    // The default style shows the language on the space bar, fading it to
    // half after a second and back at every change: keep it out of sight
    // unless it is the kiosk's language (then let the style show it).
    function updateLanguageLabel() {
        const style = root.keyboardStyle
        if (!style)
            return
        if (!root.showsLanguage && style.inputLocaleIndicatorOpacity !== 0)
            style.inputLocaleIndicatorOpacity = 0
        else if (root.showsLanguage && style.inputLocaleIndicatorOpacity === 0)
            style.inputLocaleIndicatorOpacity = 1
    }
    onKeyboardStyleChanged: updateLanguageLabel()
    onShowsLanguageChanged: updateLanguageLabel()
    Connections {
        target: root.keyboardStyle
        ignoreUnknownSignals: true
        function onInputLocaleIndicatorOpacityChanged() { root.updateLanguageLabel() }
    }

    // A bar the width of the screen; the keys themselves at most 1280 px wide
    // (400 px high), so that the screens keep most of their height.
    Rectangle {
        anchors.fill: parent
        // The style's own background colour on either side of the keys.
        color: root.keyboardStyle && root.keyboardStyle.keyboardBackgroundColor
               ? root.keyboardStyle.keyboardBackgroundColor : "#263238"
        visible: inputPanel.active
    }
    InputPanel {
        id: inputPanel
        objectName: "inputPanel"
        width: Math.min(root.width, 1280)
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: parent.bottom
        visible: active
    }
}
