#pragma once

// The server's schema, numbered migrations written once for both stores.
// Tokens: {ID} an auto-increment primary key, {BIGINT} a 64-bit integer,
// {BLOB} bytes (BLOB / BYTEA).
// Thread-safety: a constant table, built once and only read.

#include <QString>

#include <vector>

namespace kaodian::server {

struct SchemaStep
{
    int version;
    const char *sql;
};

const std::vector<SchemaStep> &serverSchema();

} // namespace kaodian::server
