#include "pull/Digest.h"

#include <openssl/evp.h>

namespace airlock {

struct StreamingDigest::State {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    ~State() { EVP_MD_CTX_free(ctx); }
};

StreamingDigest::StreamingDigest()
    : d(std::make_unique<State>()) {}

StreamingDigest::~StreamingDigest() = default;

void StreamingDigest::reset(DigestKind kind, qint64 size) {
    EVP_DigestInit_ex(d->ctx, kind == DigestKind::Sha256 ? EVP_sha256() : EVP_sha1(), nullptr);
    if (kind == DigestKind::GitSha1) {
        const QByteArray header = "blob " + QByteArray::number(size) + '\0';
        EVP_DigestUpdate(d->ctx, header.constData(), size_t(header.size()));
    }
}

void StreamingDigest::update(const char *data, qint64 size) {
    if (size > 0)
        EVP_DigestUpdate(d->ctx, data, size_t(size));
}

QByteArray StreamingDigest::hex() {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(d->ctx, out, &length);
    return QByteArray(reinterpret_cast<const char *>(out), int(length)).toHex();
}

} // namespace airlock
