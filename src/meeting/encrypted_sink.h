// An audio::ByteSink that encrypts: the bytes between two commits become one secretstream
// chunk (crypto/encrypted_file.h), so every page group the Opus writer commits is
// decryptable from the file the moment commit() returns, even if the process dies next.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "audio/byte_sink.h"
#include "crypto/encrypted_file.h"

namespace hush::meeting {

class EncryptedSink final : public audio::ByteSink {
 public:
  // Creates `path` (mode 0600, refusing an existing file): HUSH_ERR_IO on failure.
  EncryptedSink(const std::string& path, const crypto::SecretKey& key, const std::string& key_name);

  void write(std::span<const std::uint8_t> bytes) override;
  void commit(bool durable) override;
  void finish() override;

 private:
  crypto::EncryptedFileWriter writer_;
  std::vector<std::uint8_t> pending_;
};

}  // namespace hush::meeting
