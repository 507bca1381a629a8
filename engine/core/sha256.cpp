#include "core/sha256.hpp"

#include <openssl/evp.h>

#include "core/error.hpp"

namespace tuskprint {

struct Sha256::Impl {
  EVP_MD_CTX* ctx = nullptr;
  bool finished = false;
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {
  impl_->ctx = EVP_MD_CTX_new();
  TP_CHECK(impl_->ctx != nullptr && EVP_DigestInit_ex(impl_->ctx, EVP_sha256(), nullptr) == 1,
           kInternal, "cannot initialise SHA-256");
}

Sha256::~Sha256() { EVP_MD_CTX_free(impl_->ctx); }

void Sha256::update(const void* data, std::size_t size) {
  TP_ASSERT(!impl_->finished);
  if (size == 0) return;
  TP_CHECK(EVP_DigestUpdate(impl_->ctx, data, size) == 1, kInternal, "SHA-256 update failed");
}

std::string Sha256::hex_digest() {
  TP_ASSERT(!impl_->finished);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  TP_CHECK(EVP_DigestFinal_ex(impl_->ctx, digest, &length) == 1, kInternal,
           "SHA-256 final failed");
  impl_->finished = true;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xF]);
  }
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 hasher;
  hasher.update(bytes);
  return hasher.hex_digest();
}

}  // namespace tuskprint
