#pragma once

#include <QByteArray>
#include <QList>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace airlock::test {

// A certificate authority made at run time with the OpenSSL 3 C API, so no key material is
// committed and certificates never expire in the repository. It issues server certificates
// for given names (DNS SANs; a name that parses as an IP address becomes an IP SAN) and writes
// its own certificate to a PEM file for airlockd's --ca-file. Two TestCa objects are unrelated
// roots, which is how a test gets a certificate the client must not trust.
class TestCa {
public:
    enum class KeyType { EcP256, Rsa2048 };

    struct Leaf {
        QSslCertificate certificate;
        QSslKey privateKey;
        QByteArray certificatePem;
        QByteArray privateKeyPem;
    };

    explicit TestCa(KeyType keyType = KeyType::EcP256, const QString &commonName = QStringLiteral("Airlock Test CA"));
    ~TestCa();
    TestCa(const TestCa &) = delete;
    TestCa &operator=(const TestCa &) = delete;

    bool isValid() const { return !m_caCertificate.isNull(); }
    QString errorString() const { return m_error; }

    QSslCertificate certificate() const { return m_caCertificate; }
    QByteArray certificatePem() const { return m_caPem; }

    // Issues a leaf certificate for names, signed by this CA, valid from an hour ago for 30 days.
    Leaf issue(const QStringList &names, KeyType keyType = KeyType::EcP256) const;

    // Path of a PEM file holding the CA certificate; written on first call. dir defaults to a
    // temporary directory removed with this object.
    QString caFilePath(const QString &dir = QString());

    // A server configuration presenting a leaf for names (TLS 1.2 or newer, no client certificate).
    QSslConfiguration serverConfiguration(const QStringList &names, KeyType keyType = KeyType::EcP256) const;
    // A client configuration that trusts this CA only and verifies the peer.
    QSslConfiguration clientConfiguration() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    QSslCertificate m_caCertificate;
    QByteArray m_caPem;
    QString m_error;
    std::unique_ptr<QTemporaryDir> m_tempDir;
    QString m_caFile;
};

} // namespace airlock::test
