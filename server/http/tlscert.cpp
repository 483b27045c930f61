#include "http/tlscert.h"

#include "core/atomicfile.h"

#include <QByteArray>
#include <QFile>
#include <QFileInfo>
#include <QUrl>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace kaodian::server {

namespace {

using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;
using BignumPtr = std::unique_ptr<BIGNUM, decltype(&BN_free)>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, decltype(&X509_EXTENSION_free)>;
using GeneralNamePtr = std::unique_ptr<GENERAL_NAME, decltype(&GENERAL_NAME_free)>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, decltype(&GENERAL_NAMES_free)>;
using OctetStringPtr = std::unique_ptr<ASN1_OCTET_STRING, decltype(&ASN1_OCTET_STRING_free)>;
using Ia5StringPtr = std::unique_ptr<ASN1_IA5STRING, decltype(&ASN1_IA5STRING_free)>;

QString opensslReason()
{
    const unsigned long e = ERR_peek_last_error();
    ERR_clear_error();
    if (e == 0)
        return QStringLiteral("未知错误");
    char buffer[256];
    ERR_error_string_n(e, buffer, sizeof buffer);
    return QString::fromLatin1(buffer);
}

QByteArray bioContents(BIO *bio)
{
    char *data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    return {data, static_cast<qsizetype>(len)};
}

// A DNS name as it goes into the certificate (ACE form), or empty if invalid.
QByteArray dnsName(const QString &name)
{
    QByteArray ace = QUrl::toAce(name.trimmed().toLower());
    if (ace.isEmpty() || ace.size() > 253)
        return {};
    for (const QByteArray &label : ace.split('.')) {
        if (label.isEmpty() || label.size() > 63 || label.startsWith('-') || label.endsWith('-'))
            return {};
        for (const char c : label)
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
                return {};
    }
    return ace;
}

// Adds one name (DNS or IP literal) to names unless it is there already.
bool addName(GENERAL_NAMES *names, const QString &text, QString *why)
{
    const QByteArray latin = text.trimmed().toLatin1();
    OctetStringPtr ip(a2i_IPADDRESS(latin.constData()), &ASN1_OCTET_STRING_free);
    GeneralNamePtr name(GENERAL_NAME_new(), &GENERAL_NAME_free);
    if (!name) {
        *why = opensslReason();
        return false;
    }
    if (ip && !text.trimmed().isEmpty()) {
        GENERAL_NAME_set0_value(name.get(), GEN_IPADD, ip.release());
    } else {
        const QByteArray dns = dnsName(text);
        if (dns.isEmpty()) {
            *why = QStringLiteral("主机名无效：%1（须为域名或 IP 地址）").arg(text);
            return false;
        }
        Ia5StringPtr value(ASN1_IA5STRING_new(), &ASN1_IA5STRING_free);
        if (!value || ASN1_STRING_set(value.get(), dns.constData(), static_cast<int>(dns.size())) != 1) {
            *why = opensslReason();
            return false;
        }
        GENERAL_NAME_set0_value(name.get(), GEN_DNS, value.release());
    }
    for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i)
        if (GENERAL_NAME_cmp(sk_GENERAL_NAME_value(names, i), name.get()) == 0)
            return true;
    if (sk_GENERAL_NAME_push(names, name.get()) == 0) {
        *why = opensslReason();
        return false;
    }
    static_cast<void>(name.release()); // owned by names now
    return true;
}

bool addConfExtension(X509 *cert, X509V3_CTX *ctx, int nid, const char *value, QString *why)
{
    ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, value), &X509_EXTENSION_free);
    if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {
        *why = opensslReason();
        return false;
    }
    return true;
}

} // namespace

kaodian::Status<QString> writeSelfSignedCertificate(
    const QString &certPath, const QString &keyPath, const QStringList &hostNames, int days)
{
    if (days < 1)
        return QStringLiteral("证书有效期须至少 1 天");
    if (certPath.isEmpty() || keyPath.isEmpty()
        || QFileInfo(certPath).absoluteFilePath() == QFileInfo(keyPath).absoluteFilePath())
        return QStringLiteral("证书与私钥须写入两个不同的文件");
    ERR_clear_error();

    PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), &EVP_PKEY_free);
    if (!key)
        return QStringLiteral("无法生成 P-256 密钥：%1").arg(opensslReason());

    X509Ptr cert(X509_new(), &X509_free);
    if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1)
        return QStringLiteral("无法创建证书：%1").arg(opensslReason());

    // 159 random bits: positive, under 20 octets, unpredictable.
    BignumPtr serial(BN_new(), &BN_free);
    if (!serial || BN_rand(serial.get(), 159, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) != 1
        || !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())))
        return QStringLiteral("无法生成证书序列号：%1").arg(opensslReason());

    if (!X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600)
        || !X509_time_adj_ex(X509_getm_notAfter(cert.get()), days, 0, nullptr))
        return QStringLiteral("无法设定证书有效期：%1").arg(opensslReason());

    const QString commonName
        = hostNames.isEmpty() ? QStringLiteral("localhost") : hostNames.first().trimmed();
    const QByteArray cn = commonName.toUtf8().left(64);
    X509_NAME *subject = X509_get_subject_name(cert.get()); // owned by cert
    if (X509_NAME_add_entry_by_txt(
            subject, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>("Kaodian"), -1, -1, 0)
            != 1
        || X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
               reinterpret_cast<const unsigned char *>(cn.constData()), static_cast<int>(cn.size()), -1, 0)
            != 1
        || X509_set_issuer_name(cert.get(), subject) != 1 || X509_set_pubkey(cert.get(), key.get()) != 1)
        return QStringLiteral("无法填写证书主体：%1").arg(opensslReason());

    GeneralNamesPtr names(sk_GENERAL_NAME_new_null(), &GENERAL_NAMES_free);
    if (!names)
        return opensslReason();
    QString why;
    QStringList all {QStringLiteral("localhost"), QStringLiteral("127.0.0.1"), QStringLiteral("::1")};
    all += hostNames;
    for (const QString &name : std::as_const(all))
        if (!addName(names.get(), name, &why))
            return why;
    if (X509_add1_ext_i2d(cert.get(), NID_subject_alt_name, names.get(), 0, X509V3_ADD_REPLACE) != 1)
        return QStringLiteral("无法写入 subjectAltName：%1").arg(opensslReason());

    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
    if (!addConfExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE", &why)
        || !addConfExtension(cert.get(), &ctx, NID_key_usage, "critical,digitalSignature", &why)
        || !addConfExtension(cert.get(), &ctx, NID_ext_key_usage, "serverAuth", &why)
        || !addConfExtension(cert.get(), &ctx, NID_subject_key_identifier, "hash", &why))
        return QStringLiteral("无法写入证书扩展：%1").arg(why);

    if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0)
        return QStringLiteral("无法签署证书：%1").arg(opensslReason());

    BioPtr keyBio(BIO_new(BIO_s_mem()), &BIO_free);
    BioPtr certBio(BIO_new(BIO_s_mem()), &BIO_free);
    if (!keyBio || !certBio
        || PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1
        || PEM_write_bio_X509(certBio.get(), cert.get()) != 1)
        return QStringLiteral("无法编码证书或私钥：%1").arg(opensslReason());

    QByteArray keyPem = bioContents(keyBio.get());
    auto written = writeFileAtomically(keyPath, keyPem, 0600);
    OPENSSL_cleanse(keyPem.data(), static_cast<size_t>(keyPem.size()));
    if (!written)
        return written;
    return writeFileAtomically(certPath, bioContents(certBio.get()), 0644);
}

QString certificateFingerprintSha256(const QString &certPath)
{
    const QByteArray path = QFile::encodeName(certPath);
    BioPtr bio(BIO_new_file(path.constData(), "r"), &BIO_free);
    if (!bio) {
        ERR_clear_error();
        return {};
    }
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), &X509_free);
    if (!cert) {
        ERR_clear_error();
        return {};
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (X509_digest(cert.get(), EVP_sha256(), digest, &length) != 1)
        return {};
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char *>(digest), static_cast<qsizetype>(length)).toHex());
}

} // namespace kaodian::server
