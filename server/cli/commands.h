#pragma once

// The subcommands of kaodian-server (init, serve, stats, user, kiosk, …).
// Kept out of main.cpp so tests can run them in-process.
// Thread-safety: main thread only (serve starts its own worker threads).

#include <QStringList>

namespace kaodian::server {

// Runs `kaodian-server <args>` (args[0] is the program name); returns the exit code.
int runCommand(const QStringList &args);

} // namespace kaodian::server
