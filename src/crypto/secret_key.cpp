#include "crypto/secret_key.h"

#include <sodium.h>

#include "util/error.h"

namespace hush::crypto {

void init_sodium() {
  static const int status = sodium_init();  // 0 first time, 1 if already done, -1 on failure
  if (status < 0) throw Error(HUSH_ERR_INTERNAL, "libsodium failed to initialise");
}

SecretKey::SecretKey() = default;

SecretKey SecretKey::generate() {
  init_sodium();
  SecretKey key;
  crypto_secretstream_xchacha20poly1305_keygen(key.bytes_.data());
  return key;
}

SecretKey::~SecretKey() { sodium_memzero(bytes_.data(), bytes_.size()); }

SecretKey::SecretKey(const SecretKey& other) = default;
SecretKey& SecretKey::operator=(const SecretKey& other) = default;

bool SecretKey::operator==(const SecretKey& other) const {
  return sodium_memcmp(bytes_.data(), other.bytes_.data(), bytes_.size()) == 0;
}

}  // namespace hush::crypto
