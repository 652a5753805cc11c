// A temporary file beside its final path, renamed into place only once it is complete, so an
// interrupted or failed write never leaves a half-written file under the final name.
#pragma once

#include <string>

namespace hush::audio {

class TempFile {
 public:
  // Creates "<target>.tmp-XXXXXX". Throws HUSH_ERR_IO "<target>: cannot write: <reason>".
  explicit TempFile(const std::string& target);
  ~TempFile();  // removes the temporary unless commit() succeeded
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  int fd() const { return fd_; }
  // Gives the file the permissions a new file would get, flushes it to disk, and renames it
  // over the target. Throws like the constructor.
  void commit();

 private:
  std::string target_;
  std::string path_;
  int fd_ = -1;
  bool committed_ = false;
};

// Throws HUSH_ERR_IO "<target>: cannot write: <reason>".
[[noreturn]] void fail_write(const std::string& target, const std::string& reason);

}  // namespace hush::audio
