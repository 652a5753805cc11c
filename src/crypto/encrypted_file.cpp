#include "crypto/encrypted_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "util/error.h"

namespace hush::crypto {
namespace {

constexpr unsigned char kMagic[8] = {'H', 'U', 'S', 'H', 'E', 'N', 'C', '\n'};
constexpr std::uint8_t kVersion = 1;
constexpr std::size_t kHeaderBytes = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
constexpr std::size_t kABytes = crypto_secretstream_xchacha20poly1305_ABYTES;

std::string errno_text() { return std::generic_category().message(errno); }

[[noreturn]] void fail(hush_error code, const std::string& name, const std::string& what) {
  throw Error(code, name + ": " + what);
}

void write_all(int fd, const std::uint8_t* data, std::size_t size, const std::string& path) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail(HUSH_ERR_IO, path, "cannot write: " + errno_text());
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

// Parses the file header; returns its length (magic .. secretstream header).
std::size_t parse_header(std::span<const std::uint8_t> bytes, const std::string& name, std::string& key_name) {
  if (!has_encrypted_magic(bytes)) fail(HUSH_ERR_FORMAT, name, "not a Hush encrypted file");
  if (bytes.size() < 10) fail(HUSH_ERR_FORMAT, name, "encrypted file cut short in its header");
  if (bytes[8] != kVersion) {
    fail(HUSH_ERR_FORMAT, name, "encrypted file version " + std::to_string(bytes[8]) + " is not supported");
  }
  const std::size_t name_len = bytes[9];
  const std::size_t total = 10 + name_len + kHeaderBytes;
  if (bytes.size() < total) fail(HUSH_ERR_FORMAT, name, "encrypted file cut short in its header");
  key_name.assign(reinterpret_cast<const char*>(bytes.data() + 10), name_len);
  if (!is_valid_key_name(key_name)) fail(HUSH_ERR_FORMAT, name, "encrypted file names an invalid key");
  return total;
}

}  // namespace

EncryptedFileWriter::EncryptedFileWriter(const std::string& path, const SecretKey& key,
                                         const std::string& key_name)
    : path_(path) {
  init_sodium();
  if (!is_valid_key_name(key_name)) throw Error(HUSH_ERR_INVALID_ARGUMENT, "invalid key name '" + key_name + "'");
  header_.assign(std::begin(kMagic), std::end(kMagic));
  header_.push_back(kVersion);
  header_.push_back(static_cast<std::uint8_t>(key_name.size()));
  header_.insert(header_.end(), key_name.begin(), key_name.end());
  const std::size_t stream_header_at = header_.size();
  header_.resize(stream_header_at + kHeaderBytes);
  crypto_secretstream_xchacha20poly1305_init_push(&state_, header_.data() + stream_header_at, key.data());

  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd_ < 0) fail(HUSH_ERR_IO, path, "cannot create: " + errno_text());
  write_all(fd_, header_.data(), header_.size(), path_);
}

EncryptedFileWriter::~EncryptedFileWriter() {
  sodium_memzero(&state_, sizeof state_);
  if (fd_ >= 0) ::close(fd_);
}

void EncryptedFileWriter::push(std::span<const std::uint8_t> plaintext, unsigned char tag) {
  if (fd_ < 0) throw Error(HUSH_ERR_INVALID_ARGUMENT, path_ + ": encrypted file already finished");
  if (plaintext.size() > kMaxChunkBytes) throw Error(HUSH_ERR_INVALID_ARGUMENT, path_ + ": chunk too large");
  const std::size_t clen = plaintext.size() + kABytes;
  cipher_.resize(4 + clen);
  for (int i = 0; i < 4; ++i) cipher_[std::size_t(i)] = static_cast<std::uint8_t>(clen >> (8 * i));
  unsigned long long written = 0;
  crypto_secretstream_xchacha20poly1305_push(&state_, cipher_.data() + 4, &written, plaintext.data(),
                                             plaintext.size(), header_.data(), header_.size(), tag);
  write_all(fd_, cipher_.data(), cipher_.size(), path_);
}

void EncryptedFileWriter::write_chunk(std::span<const std::uint8_t> plaintext) {
  push(plaintext, crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
}

void EncryptedFileWriter::sync() {
  if (fd_ >= 0 && ::fdatasync(fd_) != 0) fail(HUSH_ERR_IO, path_, "cannot write: " + errno_text());
}

void EncryptedFileWriter::finish(std::span<const std::uint8_t> plaintext) {
  push(plaintext, crypto_secretstream_xchacha20poly1305_TAG_FINAL);
  const int fd = fd_;
  fd_ = -1;
  const bool synced = ::fsync(fd) == 0;
  const bool closed = ::close(fd) == 0;
  if (!synced || !closed) fail(HUSH_ERR_IO, path_, "cannot write: " + errno_text());
}

bool has_encrypted_magic(std::span<const std::uint8_t> bytes) {
  return bytes.size() >= sizeof kMagic && std::memcmp(bytes.data(), kMagic, sizeof kMagic) == 0;
}

bool is_encrypted_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  std::uint8_t head[sizeof kMagic] = {};
  const ssize_t n = ::pread(fd, head, sizeof head, 0);
  ::close(fd);
  return n == static_cast<ssize_t>(sizeof head) && has_encrypted_magic(head);
}

std::string encrypted_key_name(std::span<const std::uint8_t> bytes, const std::string& name) {
  std::string key_name;
  parse_header(bytes, name, key_name);
  return key_name;
}

DecryptedStream decrypt_stream(std::span<const std::uint8_t> bytes, const SecretKey& key,
                               const std::string& name) {
  init_sodium();
  DecryptedStream out;
  const std::size_t header_len = parse_header(bytes, name, out.key_name);
  const std::span<const std::uint8_t> header = bytes.first(header_len);
  crypto_secretstream_xchacha20poly1305_state state;
  if (crypto_secretstream_xchacha20poly1305_init_pull(&state, header.data() + header_len - kHeaderBytes,
                                                      key.data()) != 0) {
    fail(HUSH_ERR_FORMAT, name, "cannot decrypt: corrupt stream header");
  }
  std::size_t pos = header_len;
  while (pos < bytes.size()) {
    if (out.finalized) {
      sodium_memzero(&state, sizeof state);
      fail(HUSH_ERR_FORMAT, name, "data after the final encrypted chunk (tampered?)");
    }
    if (bytes.size() - pos < 4) break;  // cut short in a length prefix
    std::size_t clen = 0;
    for (int i = 0; i < 4; ++i) clen |= std::size_t{bytes[pos + std::size_t(i)]} << (8 * i);
    if (clen < kABytes || clen > kMaxChunkBytes + kABytes) {
      sodium_memzero(&state, sizeof state);
      fail(HUSH_ERR_FORMAT, name, "corrupt encrypted chunk length at byte " + std::to_string(pos));
    }
    if (bytes.size() - pos - 4 < clen) break;  // cut short inside the chunk
    const std::size_t at = out.plaintext.size();
    out.plaintext.resize(at + clen - kABytes);
    unsigned long long mlen = 0;
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(&state, out.plaintext.data() + at, &mlen, &tag,
                                                   bytes.data() + pos + 4, clen, header.data(),
                                                   header.size()) != 0) {
      sodium_memzero(&state, sizeof state);
      sodium_memzero(out.plaintext.data(), out.plaintext.size());
      fail(HUSH_ERR_FORMAT, name,
           "cannot decrypt: chunk " + std::to_string(out.chunks + 1) +
               " fails authentication (wrong key, or the file was altered)");
    }
    ++out.chunks;
    out.finalized = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    pos += 4 + clen;
  }
  sodium_memzero(&state, sizeof state);
  return out;
}

DecryptedStream read_encrypted_file(const std::string& path, const Keyring& keyring) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(HUSH_ERR_IO, path, "cannot open: " + errno_text());
  std::vector<std::uint8_t> bytes;
  std::uint8_t buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string reason = errno_text();
      ::close(fd);
      fail(HUSH_ERR_IO, path, "cannot read: " + reason);
    }
    if (n == 0) break;
    bytes.insert(bytes.end(), buffer, buffer + n);
  }
  ::close(fd);
  const std::string key_name = encrypted_key_name(bytes, path);
  const std::optional<SecretKey> key = keyring.find(key_name);
  if (!key) {
    fail(HUSH_ERR_FORMAT, path, "cannot decrypt: key '" + key_name + "' is not in keyring " + keyring.path() +
                                    " (deleted? then this file is unreadable for good)");
  }
  return decrypt_stream(bytes, *key, path);
}

}  // namespace hush::crypto
