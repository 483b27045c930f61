#pragma once

// Self-signed server certificates for a first start without a CA-issued one,
// and the SHA-256 fingerprint kiosks pin (OpenSSL 3). Thread-safe: free
// functions with no shared state; the files they write are theirs alone.

#include "core/result.h"

#include <QString>
#include <QStringList>

namespace kaodian::server {

// Writes a fresh ECDSA P-256 key (PKCS#8 PEM, mode 0600) to keyPath and a
// self-signed X.509 v3 certificate (PEM) to certPath, valid from an hour ago
// for `days` days: CA:FALSE, digitalSignature, serverAuth, a random serial,
// and subjectAltName DNS:localhost, IP:127.0.0.1, IP:::1 plus hostNames (each
// a DNS name or an IPv4/IPv6 literal). Existing files are replaced atomically.
kaodian::Status<QString> writeSelfSignedCertificate(
    const QString &certPath, const QString &keyPath, const QStringList &hostNames, int days);

// SHA-256 over the DER of the first certificate in the PEM file at certPath,
// lower-case hex without colons (64 characters); empty if it cannot be read.
QString certificateFingerprintSha256(const QString &certPath);

} // namespace kaodian::server
