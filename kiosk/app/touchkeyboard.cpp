#include "touchkeyboard.h"

#include <QDir>
#include <QFile>
#include <QLibraryInfo>
#include <QList>

#include <cstring>

namespace kaodian::kiosk {

std::optional<KeyboardMode> keyboardModeFromString(QStringView text)
{
    const QString t = text.trimmed().toString().toLower();
    if (t == QLatin1String("auto"))
        return KeyboardMode::Auto;
    if (t == QLatin1String("on") || t == QLatin1String("1") || t == QLatin1String("yes")
        || t == QLatin1String("true"))
        return KeyboardMode::On;
    if (t == QLatin1String("off") || t == QLatin1String("0") || t == QLatin1String("no")
        || t == QLatin1String("false"))
        return KeyboardMode::Off;
    return std::nullopt;
}

KeyboardMode keyboardModeFromArguments(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        const char *arg = argv[i];
        if (std::strcmp(arg, "--keyboard") == 0 && i + 1 < argc)
            return keyboardModeFromString(QString::fromLocal8Bit(argv[i + 1])).value_or(KeyboardMode::Auto);
        if (std::strncmp(arg, "--keyboard=", 11) == 0)
            return keyboardModeFromString(QString::fromLocal8Bit(arg + 11)).value_or(KeyboardMode::Auto);
    }
    return keyboardModeFromString(qEnvironmentVariable("KAODIAN_TOUCH_KEYBOARD"))
        .value_or(KeyboardMode::Auto);
}

namespace {

// The lowest 64 bits of a bitmap line ("B: KEY=… 3803078f800d001 feffffdfffefffff").
quint64 lowestWord(const QByteArray &bitmap)
{
    const QList<QByteArray> words = bitmap.trimmed().split(' ');
    bool ok = false;
    const quint64 w = words.isEmpty() ? 0 : words.last().toULongLong(&ok, 16);
    return ok ? w : 0;
}

} // namespace

bool listsPhysicalKeyboard(const QByteArray &procBusInputDevices)
{
    constexpr quint64 kRepeat = quint64(1) << 20; // EV_REP
    constexpr quint64 kLetters = (quint64(1) << 30) | (quint64(1) << 44); // KEY_A, KEY_Z
    // One device per block of lines; an empty line ends a block.
    bool kbd = false;
    quint64 ev = 0, keys = 0;
    QList<QByteArray> lines = procBusInputDevices.split('\n');
    lines.append(QByteArray());
    for (const QByteArray &line : lines) {
        if (line.trimmed().isEmpty()) {
            if (kbd && (ev & kRepeat) && (keys & kLetters) == kLetters)
                return true;
            kbd = false;
            ev = keys = 0;
        } else if (line.startsWith("H: Handlers=")) {
            kbd = line.mid(12).trimmed().split(' ').contains("kbd");
        } else if (line.startsWith("B: EV=")) {
            ev = lowestWord(line.mid(6));
        } else if (line.startsWith("B: KEY=")) {
            keys = lowestWord(line.mid(7));
        }
    }
    return false;
}

bool virtualKeyboardInstalled()
{
    const QDir plugins(QLibraryInfo::path(QLibraryInfo::PluginsPath));
    const QDir qml(QLibraryInfo::path(QLibraryInfo::QmlImportsPath));
    return plugins.exists(QStringLiteral("platforminputcontexts/libqtvirtualkeyboardplugin.so"))
        && qml.exists(QStringLiteral("QtQuick/VirtualKeyboard/qmldir"));
}

bool useTouchKeyboard(KeyboardMode mode)
{
    if (mode == KeyboardMode::Off || !virtualKeyboardInstalled())
        return false;
    if (mode == KeyboardMode::On)
        return true;
    QFile devices(QStringLiteral("/proc/bus/input/devices"));
    return !devices.open(QIODevice::ReadOnly) || !listsPhysicalKeyboard(devices.readAll());
}

} // namespace kaodian::kiosk
