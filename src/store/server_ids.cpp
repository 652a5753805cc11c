#include "store/server_ids.h"

#include <sodium.h>

#include <array>

#include "crypto/secret_key.h"
#include "util/error.h"

namespace hush::store {

namespace {

std::string to_hex(const unsigned char* bytes, std::size_t n) {
  std::string hex(n * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, n);
  hex.pop_back();
  return hex;
}

}  // namespace

std::string new_id(const std::string& prefix) {
  crypto::init_sodium();
  std::array<unsigned char, 10> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  return prefix + "_" + to_hex(bytes.data(), bytes.size());
}

std::string new_secret(const std::string& prefix) {
  crypto::init_sodium();
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string text(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
  sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(), variant);
  text.resize(text.find('\0'));
  sodium_memzero(bytes.data(), bytes.size());
  return prefix + "_" + text;
}

std::string hash_secret(const std::string& secret) {
  crypto::init_sodium();
  std::array<unsigned char, 32> digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size(), nullptr, 0);
  return to_hex(digest.data(), digest.size());
}

std::string hash_password(const std::string& password) {
  crypto::init_sodium();
  if (password.size() < kMinPasswordChars || password.size() > kMaxPasswordChars) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "a password must have " + std::to_string(kMinPasswordChars) + " to " +
                                               std::to_string(kMaxPasswordChars) + " characters");
  }
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw Error(HUSH_ERR_OUT_OF_MEMORY, "hashing a password ran out of memory");
  }
  return std::string(out.data());
}

bool verify_password(const std::string& password, const std::string& password_hash) {
  crypto::init_sodium();
  if (password.size() > kMaxPasswordChars) return false;
  return crypto_pwhash_str_verify(password_hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace hush::store
