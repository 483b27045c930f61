// When the kiosk loads the on-screen keyboard: the mode from the command
// line or the environment, and whether /proc/bus/input/devices lists a
// keyboard (samples of a laptop keyboard, a power button, a USB barcode
// scanner and a touch screen).

#include "touchkeyboard.h"

#include <QTest>

using namespace kaodian::kiosk;

namespace {

const QByteArray kPowerButton = R"(I: Bus=0019 Vendor=0000 Product=0001 Version=0000
N: Name="Power Button"
P: Phys=LNXPWRBN/button/input0
H: Handlers=kbd event0
B: PROP=0
B: EV=3
B: KEY=10000000000000 0
)";

const QByteArray kTouchScreen = R"(I: Bus=0003 Vendor=222a Product=0001 Version=0110
N: Name="ILITEK ILITEK-TP"
H: Handlers=mouse0 event5
B: PROP=2
B: EV=1b
B: KEY=400 0 0 0 0 0
B: ABS=3273800000000003
)";

const QByteArray kKeyboard = R"(I: Bus=0011 Vendor=0001 Product=0001 Version=ab41
N: Name="AT Translated Set 2 keyboard"
P: Phys=isa0060/serio0/input0
H: Handlers=sysrq kbd event3 leds
B: PROP=0
B: EV=120013
B: KEY=402000000 3803078f800d001 feffffdfffefffff fffffffffffffffe
B: MSC=10
B: LED=7
)";

const QByteArray kScanner = R"(I: Bus=0003 Vendor=0c2e Product=0b61 Version=0111
N: Name="Honeywell Imaging & Mobility 1900"
H: Handlers=sysrq kbd leds event7
B: PROP=0
B: EV=120013
B: KEY=1000000000007 ff9f207ac14057ff febeffdfffefffff fffffffffffffffe
B: MSC=10
B: LED=1f
)";

} // namespace

class TestTouchKeyboard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void modes()
    {
        QCOMPARE(keyboardModeFromString(u"auto"), KeyboardMode::Auto);
        QCOMPARE(keyboardModeFromString(u" ON "), KeyboardMode::On);
        QCOMPARE(keyboardModeFromString(u"1"), KeyboardMode::On);
        QCOMPARE(keyboardModeFromString(u"off"), KeyboardMode::Off);
        QCOMPARE(keyboardModeFromString(u"no"), KeyboardMode::Off);
        QCOMPARE(keyboardModeFromString(u"maybe"), std::nullopt);

        QByteArray prog("kaodian-kiosk"), flag("--keyboard"), on("on"), eqOff("--keyboard=off"),
            other("--windowed");
        char *spaced[] = {prog.data(), other.data(), flag.data(), on.data()};
        QCOMPARE(keyboardModeFromArguments(4, spaced), KeyboardMode::On);
        char *joined[] = {prog.data(), eqOff.data()};
        QCOMPARE(keyboardModeFromArguments(2, joined), KeyboardMode::Off);
        char *none[] = {prog.data(), other.data()};
        qputenv("KAODIAN_TOUCH_KEYBOARD", "on");
        QCOMPARE(keyboardModeFromArguments(2, none), KeyboardMode::On);
        qunsetenv("KAODIAN_TOUCH_KEYBOARD");
        QCOMPARE(keyboardModeFromArguments(2, none), KeyboardMode::Auto);
        QVERIFY(!useTouchKeyboard(KeyboardMode::Off));
    }

    void physicalKeyboard()
    {
        QVERIFY(!listsPhysicalKeyboard({}));
        QVERIFY(!listsPhysicalKeyboard(kPowerButton));
        QVERIFY(!listsPhysicalKeyboard(kTouchScreen));
        QVERIFY(!listsPhysicalKeyboard(kPowerButton + "\n" + kTouchScreen));
        QVERIFY(listsPhysicalKeyboard(kKeyboard));
        QVERIFY(listsPhysicalKeyboard(kPowerButton + "\n" + kKeyboard + "\n" + kTouchScreen));
        // A wedge scanner is a keyboard to the system: such kiosks set --keyboard on.
        QVERIFY(listsPhysicalKeyboard(kScanner));
    }

    void installedHere()
    {
        // scripts/deps installs it; on a machine without it the kiosk never loads it.
        if (!virtualKeyboardInstalled())
            QSKIP("Qt Virtual Keyboard is not installed");
        QVERIFY(useTouchKeyboard(KeyboardMode::On));
    }
};

QTEST_GUILESS_MAIN(TestTouchKeyboard)
#include "tst_touchkeyboard.moc"
