// Identifiers and secrets for the server store. Ids are random (not sequential), so a client
// cannot guess another workspace's recording ids; tokens and API keys are shown once and only
// their hashes are stored; passwords are hashed with argon2id (libsodium's crypto_pwhash).
#pragma once

#include <string>

namespace hush::store {

// "<prefix>_" + 20 random hex digits, e.g. "rec_3f9a0c...". Prefixes say what an id names.
std::string new_id(const std::string& prefix);
// A bearer secret: "<prefix>_" + 43 characters of URL-safe base64 (256 random bits).
std::string new_secret(const std::string& prefix);
// BLAKE2b-256 of a token or API key, hex. A stolen database does not reveal usable keys, and
// a lookup by hash stays an index search (secrets have full entropy, so no salt is needed).
std::string hash_secret(const std::string& secret);

// argon2id with libsodium's "interactive" limits (64 MiB, 2 passes): ~0.1 s here, deliberately.
std::string hash_password(const std::string& password);
bool verify_password(const std::string& password, const std::string& password_hash);

inline constexpr std::size_t kMinPasswordChars = 10;
inline constexpr std::size_t kMaxPasswordChars = 1024;

}  // namespace hush::store
