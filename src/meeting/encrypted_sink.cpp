#include "meeting/encrypted_sink.h"

#include <sodium.h>

namespace hush::meeting {

EncryptedSink::EncryptedSink(const std::string& path, const crypto::SecretKey& key, const std::string& key_name)
    : writer_(path, key, key_name) {}

void EncryptedSink::write(std::span<const std::uint8_t> bytes) {
  pending_.insert(pending_.end(), bytes.begin(), bytes.end());
}

void EncryptedSink::commit(bool durable) {
  if (!pending_.empty()) {
    // One commit is at most a second of Opus (a few kB): far below kMaxChunkBytes.
    writer_.write_chunk(pending_);
    sodium_memzero(pending_.data(), pending_.size());  // plaintext audio does not linger
    pending_.clear();
  }
  if (durable) writer_.sync();
}

void EncryptedSink::finish() {
  writer_.finish(pending_);
  sodium_memzero(pending_.data(), pending_.size());
  pending_.clear();
}

}  // namespace hush::meeting
