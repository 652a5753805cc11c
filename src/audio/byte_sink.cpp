#include "audio/byte_sink.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "audio/audio_checks.h"

namespace hush::audio {
namespace {

std::string errno_text() { return std::generic_category().message(errno); }

}  // namespace

FileSink::FileSink(const std::string& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    fail(HUSH_ERR_IO, path, errno == EEXIST ? "already exists; not overwriting it" : "cannot create: " + errno_text());
  }
}

FileSink::~FileSink() {
  if (fd_ >= 0) ::close(fd_);
}

void FileSink::write(std::span<const std::uint8_t> bytes) {
  if (fd_ < 0) fail(HUSH_ERR_INVALID_ARGUMENT, path_, "write after finish");
  pending_.insert(pending_.end(), bytes.begin(), bytes.end());
}

void FileSink::commit(bool durable) {
  if (fd_ < 0) return;
  std::size_t done = 0;
  while (done < pending_.size()) {
    const ssize_t n = ::write(fd_, pending_.data() + done, pending_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail(HUSH_ERR_IO, path_, "cannot write: " + errno_text());
    done += static_cast<std::size_t>(n);
  }
  pending_.clear();
  if (durable && ::fdatasync(fd_) != 0) fail(HUSH_ERR_IO, path_, "cannot write: " + errno_text());
}

void FileSink::finish() {
  commit(true);
  const int fd = fd_;
  fd_ = -1;
  if (fd >= 0 && ::close(fd) != 0) fail(HUSH_ERR_IO, path_, "cannot write: " + errno_text());
}

}  // namespace hush::audio
