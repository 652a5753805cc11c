// The user's keyring: one private file ($HUSH_HOME/keyring, mode 0600) holding named 32-byte
// keys, e.g. "recordings". Deleting a key (or the file) makes everything encrypted with it
// unreadable for good ("crypto-shredding").
//
// Format (text, so a user can see what it holds; keys are standard base64):
//   hush-keyring 1
//   recordings q3K8...=
// Names are 1-64 characters of [A-Za-z0-9._-]. Every change rewrites the file through a temp
// file created 0600 and renamed over it, under an exclusive flock on "<path>.lock", so two
// processes creating the same key at once end up with one key, never two.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "crypto/secret_key.h"

namespace hush::crypto {

inline constexpr const char* kRecordingsKeyName = "recordings";

bool is_valid_key_name(const std::string& name);

// Parses the text of a keyring file (what Keyring reads from disk) into its named keys, in file
// order. HUSH_ERR_FORMAT "keyring <path>: ..." for anything malformed. Touches no file (an
// in-memory entry point, so the parser can be fuzzed).
std::vector<std::pair<std::string, SecretKey>> parse_keyring(const std::string& text, const std::string& path);

class Keyring {
 public:
  explicit Keyring(std::string path);  // touches nothing on disk
  static Keyring open_default();       // hush_home_dir() + "/keyring"
  const std::string& path() const { return path_; }

  // The key, or nullopt when the keyring file or the name does not exist. A keyring readable by
  // other users or owned by someone else is refused (HUSH_ERR_IO), a corrupt one too
  // (HUSH_ERR_FORMAT), each with a one-line message naming the file. Thread-safe.
  std::optional<SecretKey> find(const std::string& name) const;
  // The key, created (with the keyring file and its directory, 0700) when missing.
  SecretKey get_or_create(const std::string& name);
  // Deletes the key; returns whether it existed.
  bool remove(const std::string& name);
  std::vector<std::string> names() const;

 private:
  using Entries = std::vector<std::pair<std::string, SecretKey>>;
  Entries load() const;
  void store(const Entries& entries) const;

  std::string path_;
};

}  // namespace hush::crypto
