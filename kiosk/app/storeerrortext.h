#pragma once

// What the kiosk's screens say of a store error, in the kiosk's language.
// The core's StoreError carries a code, a message for the log (Chinese,
// shared with the server) and the file concerned; the screens speak from
// the code, so that an English kiosk shows English. The core's own message
// goes to the log, where support reads it.

#include "core/storeerror.h"

#include <QString>

namespace kaodian::kiosk {

QString storeErrorText(const StoreError &error);

} // namespace kaodian::kiosk
