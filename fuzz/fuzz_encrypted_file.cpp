// The encrypted-file reader (decrypt_stream) with a fixed key, in two halves chosen by the
// first byte:
//   even: the rest is taken as an encrypted file as it is;
//   odd:  the rest describes a genuine file (key name, chunks, finished or not), which this
//         target encrypts in the layout documented in encrypted_file.h and then damages one way
//         (cut short, one byte flipped, bytes appended). The reader must reject the damage with
//         hush::Error or return an unaltered, chunk-aligned prefix of what was written, and it
//         may say "finalized" only for the whole, undamaged file.
// Random bytes never pass Poly1305, so only the second half reaches the chunk loop beyond the
// first authentication; it also checks that writer and reader agree on the documented layout.
#include <fuzzer/FuzzedDataProvider.h>
#include <sodium.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include "crypto/encrypted_file.h"
#include "crypto/keyring.h"
#include "util/error.h"

namespace {

using hush::crypto::DecryptedStream;
using hush::crypto::SecretKey;

constexpr std::size_t kABytes = crypto_secretstream_xchacha20poly1305_ABYTES;

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "%s\n", what);
  __builtin_trap();
}

const SecretKey& fixed_key() {
  static const SecretKey key = [] {
    SecretKey k;
    for (std::size_t i = 0; i < hush::crypto::kKeyBytes; ++i) k.data()[i] = static_cast<unsigned char>(0x42 + i);
    return k;
  }();
  return key;
}

struct Forged {
  std::string key_name;
  std::vector<std::uint8_t> bytes;
  std::vector<std::uint8_t> plaintext;
  std::vector<std::size_t> chunk_ends;  // plaintext size after each chunk
  bool finalized = false;
};

Forged forge(FuzzedDataProvider& in) {
  Forged f;
  f.key_name = in.ConsumeRandomLengthString(80);
  if (!hush::crypto::is_valid_key_name(f.key_name)) f.key_name = hush::crypto::kRecordingsKeyName;
  const char magic[] = "HUSHENC\n";
  f.bytes.assign(magic, magic + 8);
  f.bytes.push_back(1);
  f.bytes.push_back(static_cast<std::uint8_t>(f.key_name.size()));
  f.bytes.insert(f.bytes.end(), f.key_name.begin(), f.key_name.end());
  const std::size_t stream_header_at = f.bytes.size();
  f.bytes.resize(stream_header_at + crypto_secretstream_xchacha20poly1305_HEADERBYTES);
  crypto_secretstream_xchacha20poly1305_state state;
  crypto_secretstream_xchacha20poly1305_init_push(&state, f.bytes.data() + stream_header_at, fixed_key().data());
  const std::vector<std::uint8_t> header = f.bytes;  // every chunk authenticates it

  const int messages = in.ConsumeIntegralInRange(0, 6);
  f.finalized = in.ConsumeBool();
  const int chunks = messages + (f.finalized ? 1 : 0);
  for (int i = 0; i < chunks; ++i) {
    const auto msg = in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<std::size_t>(0, 300));
    const bool last = f.finalized && i == chunks - 1;
    const std::size_t clen = msg.size() + kABytes;
    for (int b = 0; b < 4; ++b) f.bytes.push_back(static_cast<std::uint8_t>(clen >> (8 * b)));
    const std::size_t at = f.bytes.size();
    f.bytes.resize(at + clen);
    crypto_secretstream_xchacha20poly1305_push(
        &state, f.bytes.data() + at, nullptr, msg.data(), msg.size(), header.data(), header.size(),
        last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
    f.plaintext.insert(f.plaintext.end(), msg.begin(), msg.end());
    f.chunk_ends.push_back(f.plaintext.size());
  }
  return f;
}

void damage(FuzzedDataProvider& in, std::vector<std::uint8_t>& bytes) {
  switch (in.ConsumeIntegralInRange(0, 3)) {
    case 0:
      break;
    case 1:
      bytes.resize(in.ConsumeIntegralInRange<std::size_t>(0, bytes.size()));
      break;
    case 2: {
      const std::size_t at = in.ConsumeIntegralInRange<std::size_t>(0, bytes.size() - 1);
      bytes[at] ^= std::max<std::uint8_t>(1, in.ConsumeIntegral<std::uint8_t>());
      break;
    }
    default: {
      auto tail = in.ConsumeRemainingBytes<std::uint8_t>();
      if (tail.empty()) tail.push_back(0);
      bytes.insert(bytes.end(), tail.begin(), tail.end());
    }
  }
}

void check_forged(FuzzedDataProvider& in) {
  const Forged f = forge(in);
  std::vector<std::uint8_t> bytes = f.bytes;
  damage(in, bytes);
  const bool damaged = bytes != f.bytes;
  DecryptedStream out;
  try {
    out = hush::crypto::decrypt_stream(bytes, fixed_key(), "<fuzz>");
  } catch (const hush::Error&) {
    if (!damaged) broken("a genuine encrypted file was rejected");
    return;
  }
  // The header is authenticated by the chunks only: with none read, a changed name goes unseen
  // (harmless: there is no plaintext to show for it).
  if (out.chunks > 0 && out.key_name != f.key_name) broken("an authenticated chunk under a changed key name");
  if (out.chunks > f.chunk_ends.size()) broken("more chunks than were written");
  const std::size_t expect_bytes = out.chunks == 0 ? 0 : f.chunk_ends[out.chunks - 1];
  if (out.plaintext.size() != expect_bytes ||
      !std::equal(out.plaintext.begin(), out.plaintext.end(), f.plaintext.begin()))
    broken("decrypted bytes are not a chunk-aligned prefix of what was written");
  if (!damaged && (out.chunks != f.chunk_ends.size() || out.finalized != f.finalized))
    broken("a genuine file did not decrypt whole");
  if (damaged && out.finalized) broken("a damaged file was reported as finalized");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  hush::crypto::init_sodium();
  const std::span<const std::uint8_t> rest(data + 1, size - 1);
  if (data[0] % 2 == 1) {
    FuzzedDataProvider in(rest.data(), rest.size());
    check_forged(in);
    return 0;
  }
  try {
    const std::string name = hush::crypto::encrypted_key_name(rest, "<fuzz>");
    const DecryptedStream out = hush::crypto::decrypt_stream(rest, fixed_key(), "<fuzz>");
    if (out.key_name != name) broken("decrypt_stream and encrypted_key_name disagree");
  } catch (const hush::Error&) {
  }
  return 0;
}
