// Where a streaming encoder's bytes go: a plain file here, an encrypted file in
// meeting/recorder.cpp. The writer marks points where the bytes so far form a playable prefix
// (after a group of complete Ogg pages); a sink must make everything up to such a point survive
// the process being killed right after.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace hush::audio {

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  // Appends bytes; they may stay in memory until the next commit().
  virtual void write(std::span<const std::uint8_t> bytes) = 0;
  // Everything written so far reaches the kernel (and, with `durable`, the disk: fdatasync).
  virtual void commit(bool durable) = 0;
  // The stream is complete: commit durably and close. Nothing may be written after.
  virtual void finish() = 0;
};

// A new file written in place (no temp file: a half-written recording is what a crash should
// leave). Created with mode 0600, since recordings are private; an existing file is refused.
class FileSink final : public ByteSink {
 public:
  explicit FileSink(const std::string& path);  // throws HUSH_ERR_IO naming the path
  ~FileSink() override;
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;

  void write(std::span<const std::uint8_t> bytes) override;
  void commit(bool durable) override;
  void finish() override;

 private:
  std::string path_;
  int fd_ = -1;
  std::vector<std::uint8_t> pending_;
};

}  // namespace hush::audio
