#include "audio/temp_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <system_error>
#include <vector>

#include "audio/audio_checks.h"

namespace hush::audio {
namespace {

std::string errno_text(int error) { return std::generic_category().message(error); }

// mkstemp creates files 0600; the output should get what open(2) would have given it. The
// umask can only be read race-free (umask(2) sets it too) from /proc.
mode_t process_umask() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "Umask:") {
      std::string octal;
      status >> octal;
      return static_cast<mode_t>(std::stoul(octal, nullptr, 8) & 0777);
    }
  }
  return 022;
}

}  // namespace

void fail_write(const std::string& target, const std::string& reason) {
  fail(HUSH_ERR_IO, target, "cannot write: " + reason);
}

TempFile::TempFile(const std::string& target) : target_(target) {
  std::vector<char> name(target.begin(), target.end());
  const std::string suffix = ".tmp-XXXXXX";
  name.insert(name.end(), suffix.begin(), suffix.end());
  name.push_back('\0');
  fd_ = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd_ < 0) fail_write(target_, errno_text(errno));
  path_ = name.data();
}

TempFile::~TempFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(path_.c_str());
}

void TempFile::commit() {
  if (::fchmod(fd_, 0666 & ~process_umask()) != 0) fail_write(target_, errno_text(errno));
  if (::fsync(fd_) != 0) fail_write(target_, errno_text(errno));
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail_write(target_, errno_text(errno));
  if (std::rename(path_.c_str(), target_.c_str()) != 0) fail_write(target_, errno_text(errno));
  committed_ = true;
}

}  // namespace hush::audio
