#pragma once

// Errors of the encrypted store and its key file, with words a person can act on.
// Thread-safety: a plain value.

#include <QString>

#include <cstdint>

namespace kaodian {

// Why the store could not do what was asked.
struct StoreError
{
    enum class Code : std::uint8_t {
        WrongPassphrase = 1, // key file opened, passphrase does not unwrap it
        KeyFileMissing,
        KeyFileDamaged,      // not a key file, or one this version cannot read
        KeyMismatch,         // the key file belongs to another database
        DatabaseMissing,
        AlreadyExists,
        Damaged,             // detected damage; the file was moved aside to `path`
        NewerSchema,         // written by a newer version; left untouched
        LogMissing,          // its write-ahead log (-wal) is gone: recent writes may be lost; left untouched
        WeakKdf,             // fewer KDF iterations than the floor
        Io,
        Sql,
        Refused,             // the data was refused as it stands; message says why
        TooManyAttempts,
        Crypto,              // the crypto library failed (random bytes, key derivation)     // wrong passphrases in a row: the next try must wait (message says how long)
    };
    Code code = Code::Sql;
    QString message; // for the person at the screen or the log
    QString path;    // the file concerned (for Damaged: where it now is)
};

} // namespace kaodian
