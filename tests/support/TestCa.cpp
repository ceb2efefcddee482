#include "TestCa.h"

#include <QDir>
#include <QFile>
#include <QHostAddress>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace airlock::test {

namespace {

struct KeyDeleter {
    void operator()(EVP_PKEY *key) const { EVP_PKEY_free(key); }
};
struct CertDeleter {
    void operator()(X509 *cert) const { X509_free(cert); }
};
struct BioDeleter {
    void operator()(BIO *bio) const { BIO_free(bio); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyDeleter>;
using CertPtr = std::unique_ptr<X509, CertDeleter>;
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

KeyPtr generateKey(TestCa::KeyType type) {
    if (type == TestCa::KeyType::Rsa2048)
        return KeyPtr(EVP_RSA_gen(2048));
    return KeyPtr(EVP_EC_gen("P-256"));
}

QByteArray bioContents(BIO *bio) {
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return QByteArray(data, int(size));
}

QByteArray certToPem(X509 *cert) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(bio.get(), cert);
    return bioContents(bio.get());
}

QByteArray keyToPem(EVP_PKEY *key) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    return bioContents(bio.get());
}

bool addExtension(X509 *cert, X509 *issuer, int nid, const QByteArray &value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.constData());
    if (!ext)
        return false;
    const bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

CertPtr makeCertificate(EVP_PKEY *subjectKey, const QString &commonName, X509 *issuerCert, long validSeconds) {
    CertPtr cert(X509_new());
    X509_set_version(cert.get(), X509_VERSION_3);
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7f; // positive
    BIGNUM *bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), validSeconds);
    X509_set_pubkey(cert.get(), subjectKey);
    X509_NAME *name = X509_get_subject_name(cert.get());
    const QByteArray cn = commonName.toUtf8().left(64);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char *>("Airlock tests"), -1,
                               -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>(cn.constData()), -1,
                               -1, 0);
    X509_set_issuer_name(cert.get(), issuerCert ? X509_get_subject_name(issuerCert) : name);
    return cert;
}

} // namespace

struct TestCa::Impl {
    KeyPtr key;
    CertPtr cert;
};

TestCa::TestCa(KeyType keyType, const QString &commonName)
    : m_impl(std::make_unique<Impl>()) {
    m_impl->key = generateKey(keyType);
    if (!m_impl->key) {
        m_error = QStringLiteral("CA key generation failed");
        return;
    }
    CertPtr cert = makeCertificate(m_impl->key.get(), commonName, nullptr, 30L * 24 * 3600);
    X509 *c = cert.get();
    const bool ok = addExtension(c, c, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") &&
                    addExtension(c, c, NID_key_usage, "critical,keyCertSign,cRLSign") &&
                    addExtension(c, c, NID_subject_key_identifier, "hash") &&
                    X509_sign(c, m_impl->key.get(), EVP_sha256()) > 0;
    if (!ok) {
        m_error = QStringLiteral("CA certificate creation failed");
        return;
    }
    m_impl->cert = std::move(cert);
    m_caPem = certToPem(m_impl->cert.get());
    m_caCertificate = QSslCertificate(m_caPem, QSsl::Pem);
}

TestCa::~TestCa() = default;

TestCa::Leaf TestCa::issue(const QStringList &names, KeyType keyType) const {
    Leaf leaf;
    if (!isValid() || names.isEmpty())
        return leaf;
    KeyPtr key = generateKey(keyType);
    if (!key)
        return leaf;
    CertPtr cert = makeCertificate(key.get(), names.first(), m_impl->cert.get(), 30L * 24 * 3600);
    QStringList sans;
    for (const QString &name : names) {
        QHostAddress ip;
        sans << (ip.setAddress(name) ? QStringLiteral("IP:") : QStringLiteral("DNS:")) + name;
    }
    const QByteArray usage =
        keyType == KeyType::Rsa2048 ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature";
    X509 *c = cert.get();
    const bool ok = addExtension(c, m_impl->cert.get(), NID_basic_constraints, "critical,CA:FALSE") &&
                    addExtension(c, m_impl->cert.get(), NID_key_usage, usage) &&
                    addExtension(c, m_impl->cert.get(), NID_ext_key_usage, "serverAuth") &&
                    addExtension(c, m_impl->cert.get(), NID_subject_alt_name, sans.join(QLatin1Char(',')).toUtf8()) &&
                    addExtension(c, m_impl->cert.get(), NID_authority_key_identifier, "keyid:always") &&
                    X509_sign(c, m_impl->key.get(), EVP_sha256()) > 0;
    if (!ok)
        return leaf;
    leaf.certificatePem = certToPem(c);
    leaf.privateKeyPem = keyToPem(key.get());
    leaf.certificate = QSslCertificate(leaf.certificatePem, QSsl::Pem);
    leaf.privateKey =
        QSslKey(leaf.privateKeyPem, keyType == KeyType::Rsa2048 ? QSsl::Rsa : QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
    return leaf;
}

QString TestCa::caFilePath(const QString &dir) {
    if (!m_caFile.isEmpty() && dir.isEmpty())
        return m_caFile;
    QString folder = dir;
    if (folder.isEmpty()) {
        m_tempDir = std::make_unique<QTemporaryDir>();
        folder = m_tempDir->path();
    }
    QDir().mkpath(folder);
    const QString path = QDir(folder).filePath(QStringLiteral("test-ca.pem"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(m_caPem) != m_caPem.size())
        return QString();
    file.close();
    if (dir.isEmpty())
        m_caFile = path;
    return path;
}

QSslConfiguration TestCa::serverConfiguration(const QStringList &names, KeyType keyType) const {
    const Leaf leaf = issue(names, keyType);
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(leaf.certificate);
    config.setPrivateKey(leaf.privateKey);
    config.setProtocol(QSsl::TlsV1_2OrLater);
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    return config;
}

QSslConfiguration TestCa::clientConfiguration() const {
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setCaCertificates({m_caCertificate});
    config.setProtocol(QSsl::TlsV1_2OrLater);
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    return config;
}

} // namespace airlock::test
