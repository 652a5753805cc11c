// A 32-byte symmetric key that wipes itself (sodium_memzero) when it goes away, and the
// one-time libsodium initialisation every crypto entry point goes through.
#pragma once

#include <array>
#include <cstdint>

namespace hush::crypto {

inline constexpr std::size_t kKeyBytes = 32;

// Throws HUSH_ERR_INTERNAL if libsodium cannot initialise (no entropy source). Thread-safe.
void init_sodium();

class SecretKey {
 public:
  SecretKey();  // all zero
  static SecretKey generate();  // fresh random key
  ~SecretKey();
  SecretKey(const SecretKey& other);
  SecretKey& operator=(const SecretKey& other);

  const unsigned char* data() const { return bytes_.data(); }
  unsigned char* data() { return bytes_.data(); }
  bool operator==(const SecretKey& other) const;  // constant time

 private:
  std::array<unsigned char, kKeyBytes> bytes_{};
};

}  // namespace hush::crypto
