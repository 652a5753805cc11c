// Feeds arbitrary text to the keyring parser (parse_keyring, what Keyring reads from
// $HUSH_HOME/keyring). Bad text may be rejected with hush::Error; nothing may crash. A keyring
// it accepts holds valid, distinct names, and writing its keys back in the documented format
// ("hush-keyring 1", then "<name> <base64>" lines) gives the same keys again.
#include <sodium.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "crypto/keyring.h"
#include "util/error.h"

namespace {

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "%s\n", what);
  __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  hush::crypto::init_sodium();
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::pair<std::string, hush::crypto::SecretKey>> entries;
  try {
    entries = hush::crypto::parse_keyring(text, "<fuzz>");
  } catch (const hush::Error&) {
    return 0;
  }
  std::string written = "hush-keyring 1\n";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (!hush::crypto::is_valid_key_name(entries[i].first)) broken("accepted an invalid key name");
    for (std::size_t j = 0; j < i; ++j)
      if (entries[j].first == entries[i].first) broken("accepted a name twice");
    char b64[sodium_base64_ENCODED_LEN(hush::crypto::kKeyBytes, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b64, sizeof b64, entries[i].second.data(), hush::crypto::kKeyBytes,
                      sodium_base64_VARIANT_ORIGINAL);
    written += entries[i].first + " " + b64 + "\n";
  }
  const auto again = hush::crypto::parse_keyring(written, "<fuzz rewritten>");
  if (again.size() != entries.size()) broken("rewritten keyring has a different number of keys");
  for (std::size_t i = 0; i < again.size(); ++i)
    if (again[i].first != entries[i].first || !(again[i].second == entries[i].second))
      broken("rewritten keyring holds different keys");
  // The writer's format is canonical: accepted text differs from it only in base64 spelling.
  if (written.size() != text.size()) broken("accepted text that is not a canonical keyring");
  return 0;
}
