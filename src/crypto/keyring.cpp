#include "crypto/keyring.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <system_error>

#include "crypto/hush_home.h"
#include "util/error.h"

namespace hush::crypto {
namespace {

constexpr const char* kHeaderLine = "hush-keyring 1";
constexpr std::size_t kMaxKeyringBytes = 1 << 20;
constexpr int kBase64 = sodium_base64_VARIANT_ORIGINAL;

std::string errno_text() { return std::generic_category().message(errno); }

[[noreturn]] void fail(hush_error code, const std::string& path, const std::string& what) {
  throw Error(code, "keyring " + path + ": " + what);
}

std::string directory_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// A string that is wiped when it goes away (it holds base64 keys).
struct WipedString {
  std::string text;
  ~WipedString() {
    if (!text.empty()) sodium_memzero(text.data(), text.size());
  }
};

class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() {
    if (fd_ >= 0) ::close(fd_);
  }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;

 private:
  int fd_;
};

// Serialises changes between processes: an exclusive flock on "<keyring>.lock".
class WriteLock {
 public:
  explicit WriteLock(const std::string& keyring) {
    const std::string lock_path = keyring + ".lock";
    fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) fail(HUSH_ERR_IO, keyring, "cannot create lock file " + lock_path + ": " + errno_text());
    while (::flock(fd_, LOCK_EX) != 0) {
      if (errno != EINTR) fail(HUSH_ERR_IO, keyring, "cannot lock " + lock_path + ": " + errno_text());
    }
  }
  ~WriteLock() { ::close(fd_); }  // closing releases the lock
  WriteLock(const WriteLock&) = delete;
  WriteLock& operator=(const WriteLock&) = delete;

 private:
  int fd_ = -1;
};

void parse_line(const std::string& path, int line_no, const std::string& line, std::string& name,
                SecretKey& key) {
  const std::string where = "line " + std::to_string(line_no) + ": ";
  const std::size_t space = line.find(' ');
  if (space == std::string::npos) fail(HUSH_ERR_FORMAT, path, where + "expected '<name> <base64 key>'");
  name = line.substr(0, space);
  if (!is_valid_key_name(name)) fail(HUSH_ERR_FORMAT, path, where + "invalid key name");
  const std::string b64 = line.substr(space + 1);
  std::size_t key_len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(key.data(), kKeyBytes, b64.data(), b64.size(), nullptr, &key_len, &end,
                        kBase64) != 0 ||
      key_len != kKeyBytes || end != b64.data() + b64.size()) {
    fail(HUSH_ERR_FORMAT, path, where + "key '" + name + "' is not 32 bytes of base64");
  }
}

}  // namespace

bool is_valid_key_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::vector<std::pair<std::string, SecretKey>> parse_keyring(const std::string& text, const std::string& path) {
  if (text.empty() || text.back() != '\n') fail(HUSH_ERR_FORMAT, path, "corrupt (empty or cut short)");
  std::vector<std::pair<std::string, SecretKey>> entries;
  std::size_t start = 0;
  for (int line_no = 1; start < text.size(); ++line_no) {
    const std::size_t newline = text.find('\n', start);
    WipedString line{text.substr(start, newline - start)};
    start = newline + 1;
    if (line_no == 1) {
      if (line.text != kHeaderLine) fail(HUSH_ERR_FORMAT, path, "not a Hush keyring (first line is not '" + std::string(kHeaderLine) + "')");
      continue;
    }
    std::string name;
    SecretKey key;
    parse_line(path, line_no, line.text, name, key);
    for (const auto& [existing, unused] : entries) {
      if (existing == name) fail(HUSH_ERR_FORMAT, path, "key '" + name + "' appears twice");
    }
    entries.emplace_back(std::move(name), key);
  }
  return entries;
}

Keyring::Keyring(std::string path) : path_(std::move(path)) {}

Keyring Keyring::open_default() { return Keyring(hush_home_dir() + "/keyring"); }

Keyring::Entries Keyring::load() const {
  init_sodium();
  const int fd = ::open(path_.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return {};
    fail(HUSH_ERR_IO, path_, "cannot open: " + errno_text());
  }
  FdCloser closer(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0) fail(HUSH_ERR_IO, path_, "cannot stat: " + errno_text());
  if (!S_ISREG(st.st_mode)) fail(HUSH_ERR_IO, path_, "not a regular file");
  if (st.st_uid != ::geteuid()) fail(HUSH_ERR_IO, path_, "owned by another user; refusing to use it");
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    fail(HUSH_ERR_IO, path_, std::string("permissions ") + mode +
                                 " let other users read it; refusing to use it (chmod 600 it if it is yours)");
  }
  if (st.st_size > static_cast<off_t>(kMaxKeyringBytes)) fail(HUSH_ERR_FORMAT, path_, "too large to be a keyring");

  WipedString content;
  content.text.resize(static_cast<std::size_t>(st.st_size));
  std::size_t got = 0;
  while (got < content.text.size()) {
    const ssize_t n = ::read(fd, content.text.data() + got, content.text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(HUSH_ERR_IO, path_, "cannot read: " + errno_text());
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  content.text.resize(got);

  return parse_keyring(content.text, path_);
}

void Keyring::store(const Entries& entries) const {
  WipedString content{std::string(kHeaderLine) + "\n"};
  for (const auto& [name, key] : entries) {
    char b64[sodium_base64_ENCODED_LEN(kKeyBytes, kBase64)];
    sodium_bin2base64(b64, sizeof b64, key.data(), kKeyBytes, kBase64);
    content.text += name + " " + b64 + "\n";
    sodium_memzero(b64, sizeof b64);
  }
  std::string temp = path_ + ".tmp-XXXXXX";
  const int fd = ::mkostemp(temp.data(), O_CLOEXEC);  // mode 0600 from the start
  if (fd < 0) fail(HUSH_ERR_IO, path_, "cannot write: " + errno_text());
  bool ok = true;
  std::string reason;
  std::size_t done = 0;
  while (ok && done < content.text.size()) {
    const ssize_t n = ::write(fd, content.text.data() + done, content.text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) ok = false, reason = errno_text();
    else done += static_cast<std::size_t>(n);
  }
  if (ok && ::fsync(fd) != 0) ok = false, reason = errno_text();
  ::close(fd);
  if (ok && ::rename(temp.c_str(), path_.c_str()) != 0) ok = false, reason = errno_text();
  if (!ok) {
    ::unlink(temp.c_str());
    fail(HUSH_ERR_IO, path_, "cannot write: " + reason);
  }
  // Make the rename itself durable: a key that vanished after a power cut would shred data.
  const int dir = ::open(directory_of(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

std::optional<SecretKey> Keyring::find(const std::string& name) const {
  for (const auto& [existing, key] : load()) {
    if (existing == name) return key;
  }
  return std::nullopt;
}

SecretKey Keyring::get_or_create(const std::string& name) {
  if (!is_valid_key_name(name)) throw Error(HUSH_ERR_INVALID_ARGUMENT, "invalid key name '" + name + "'");
  make_private_dirs(directory_of(path_));
  WriteLock lock(path_);
  Entries entries = load();
  for (const auto& [existing, key] : entries) {
    if (existing == name) return key;
  }
  entries.emplace_back(name, SecretKey::generate());
  store(entries);
  return entries.back().second;
}

bool Keyring::remove(const std::string& name) {
  if (::access(path_.c_str(), F_OK) != 0 && errno == ENOENT) return false;
  WriteLock lock(path_);
  Entries entries = load();
  for (auto it = entries.begin(); it != entries.end(); ++it) {
    if (it->first == name) {
      entries.erase(it);
      store(entries);
      return true;
    }
  }
  return false;
}

std::vector<std::string> Keyring::names() const {
  std::vector<std::string> out;
  for (const auto& entry : load()) out.push_back(entry.first);
  return out;
}

}  // namespace hush::crypto
