#pragma once

// The on-screen keyboard for a touch screen with no physical keyboard: the
// proctor's roster search (ticket number, seat, last digits of the ID
// number), reasons and notes. It is Qt Virtual Keyboard (Debian's
// qml6-module-qtquick-virtualkeyboard, which has no pinyin input: Latin
// letters, digits and symbols), loaded only when asked for or when no
// keyboard is attached. It must be chosen before the QGuiApplication exists
// (QT_IM_MODULE). Thread-safe: pure functions and a read of /proc.

#include <QByteArray>
#include <QStringView>

#include <optional>

namespace kaodian::kiosk {

enum class KeyboardMode : std::uint8_t { Auto, On, Off };

// "auto", "on" or "off" (also 1/0, yes/no, true/false); nullopt otherwise.
std::optional<KeyboardMode> keyboardModeFromString(QStringView text);

// The mode from --keyboard MODE / --keyboard=MODE in argv, else from the
// environment variable KAODIAN_TOUCH_KEYBOARD, else Auto. Read before the
// application object exists, so by hand.
KeyboardMode keyboardModeFromArguments(int argc, char **argv);

// Whether the text of /proc/bus/input/devices lists a keyboard: a device
// handled by "kbd" that reports key repeat (EV bit 20) and has letter keys.
// A USB keyboard-wedge scanner is such a device too: a kiosk with one sets
// --keyboard on (docs/kiosk-deployment.md).
bool listsPhysicalKeyboard(const QByteArray &procBusInputDevices);

// Whether Qt Virtual Keyboard is installed (its input-context plugin).
bool virtualKeyboardInstalled();

// On: when installed. Off: never. Auto: when installed and no keyboard is
// attached (read from /proc/bus/input/devices; none readable counts as none).
bool useTouchKeyboard(KeyboardMode mode);

} // namespace kaodian::kiosk
