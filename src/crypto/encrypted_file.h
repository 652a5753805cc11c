// Hush's encrypted file format: libsodium secretstream (XChaCha20-Poly1305) written
// incrementally, so that a process killed mid-write leaves every chunk it wrote decryptable.
//
//   "HUSHENC\n"  8-byte magic
//   u8 version (1), u8 key-name length N, N bytes key name (which keyring key to use)
//   24 bytes     secretstream header
//   chunks:      u32 little-endian ciphertext length L (plaintext + 17), then L bytes
//                the last one is tagged TAG_FINAL; nothing may follow it
// Every chunk authenticates the whole file header as additional data, so a changed key name or
// version is caught too. A file that ends inside a chunk (or before any chunk) is "not
// finalized": its complete chunks are still returned.
#pragma once

#include <sodium.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "crypto/keyring.h"

namespace hush::crypto {

inline constexpr std::size_t kMaxChunkBytes = std::size_t{64} << 20;  // plaintext per chunk

class EncryptedFileWriter {
 public:
  // Creates `path` with mode 0600 (an existing file is refused: HUSH_ERR_IO) and writes the
  // header through to the kernel.
  EncryptedFileWriter(const std::string& path, const SecretKey& key, const std::string& key_name);
  ~EncryptedFileWriter();  // without finish() the file stays "not finalized", as after a crash
  EncryptedFileWriter(const EncryptedFileWriter&) = delete;
  EncryptedFileWriter& operator=(const EncryptedFileWriter&) = delete;

  // Encrypts `plaintext` (<= kMaxChunkBytes) as one chunk and write(2)s it: once this returns,
  // a killed process still leaves the chunk in the file. Throws HUSH_ERR_IO.
  void write_chunk(std::span<const std::uint8_t> plaintext);
  // fdatasync: the chunks written so far also survive a power cut.
  void sync();
  // Writes `plaintext` as the TAG_FINAL chunk, fsyncs and closes. Nothing may be written after.
  void finish(std::span<const std::uint8_t> plaintext = {});
  const std::string& path() const { return path_; }

 private:
  void push(std::span<const std::uint8_t> plaintext, unsigned char tag);

  std::string path_;
  int fd_ = -1;
  std::vector<std::uint8_t> header_;
  crypto_secretstream_xchacha20poly1305_state state_{};
  std::vector<std::uint8_t> cipher_;
};

struct DecryptedStream {
  std::string key_name;
  std::vector<std::uint8_t> plaintext;  // every complete, authenticated chunk, in order
  std::size_t chunks = 0;
  bool finalized = false;  // the TAG_FINAL chunk was read (the writer finished cleanly)
};

// True when `bytes` start with the magic (a few bytes suffice; shorter input is false).
bool has_encrypted_magic(std::span<const std::uint8_t> bytes);
// True when the file exists and starts with the magic; false for anything else, unreadable too.
bool is_encrypted_file(const std::string& path);

// The key name in the header. HUSH_ERR_FORMAT "<name>: ..." for a bad header.
std::string encrypted_key_name(std::span<const std::uint8_t> bytes, const std::string& name);
// Decrypts. A chunk that fails authentication (tampering, a wrong key) or data after the final
// chunk is HUSH_ERR_FORMAT naming `name`; a file cut short is not an error (see finalized).
DecryptedStream decrypt_stream(std::span<const std::uint8_t> bytes, const SecretKey& key,
                               const std::string& name);
// Reads the file and decrypts it with its key from `keyring`. A missing keyring or key is
// HUSH_ERR_FORMAT "<path>: cannot decrypt: key '<k>' is not in keyring <file> (deleted?)".
DecryptedStream read_encrypted_file(const std::string& path, const Keyring& keyring);

}  // namespace hush::crypto
