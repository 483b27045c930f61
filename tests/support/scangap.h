#pragma once

// The longest gap between a wedge scanner's keys that still makes a scan.
// The kiosk allows 50 ms; a test that types a code with keyClick() on a
// busy CI machine (two test processes per core, a garbage collection
// between two keys) can stall longer than that, and the "scan" then reads
// as slow typing. Tests that mean a scan widen the gap of every ScanInput
// in their scene; tests that mean slow typing set it back to the kiosk's.

#include "scaninput.h"

#include <QObject>

namespace kaodian::testing {

inline constexpr int kTolerantScanGapMs = 1000;

inline int setScanGap(QObject *root, int ms)
{
    int n = 0;
    if (!root)
        return n;
    for (auto *input : root->findChildren<kaodian::kiosk::ScanInput *>()) {
        input->setMaxGap(ms);
        ++n;
    }
    return n;
}

} // namespace kaodian::testing
