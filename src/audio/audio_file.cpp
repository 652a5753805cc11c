// The public reading entry points: open the file (telling I/O failures from format errors),
// then share everything else with the in-memory path through ByteSource.
#include "audio/audio_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "audio/audio_checks.h"
#include "audio/audio_decode.h"
#include "audio/audio_open.h"
#include "audio/byte_source.h"
#include "util/error.h"

namespace hush::audio {
namespace {

// Owns a descriptor, so that a constructor that throws after open() still closes it.
struct Descriptor {
  int fd = -1;
  Descriptor() = default;
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

[[noreturn]] void fail_open(const std::string& path, int error) {
  switch (error) {
    case ENOENT:
    case ENOTDIR: fail(HUSH_ERR_IO, path, "no such file");
    case EACCES:
    case EPERM: fail(HUSH_ERR_IO, path, "permission denied");
    default: fail(HUSH_ERR_IO, path, "cannot open: " + std::generic_category().message(error));
  }
}

// Opened here rather than by libsndfile so that errno is ours to read: a missing file is an
// I/O error for the user to fix, not a format problem.
class InputFile {
 public:
  explicit InputFile(const std::string& path) {
    do {
      // O_NONBLOCK so that a FIFO fails the regular-file check below instead of hanging here.
      file_.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    } while (file_.fd < 0 && errno == EINTR);
    if (file_.fd < 0) fail_open(path, errno);
    struct stat st {};
    if (::fstat(file_.fd, &st) != 0) fail_open(path, errno);
    if (S_ISDIR(st.st_mode)) fail(HUSH_ERR_IO, path, "is a directory");
    // Pipes and devices have no size to seek within, which FLAC and Ogg need.
    if (!S_ISREG(st.st_mode)) fail(HUSH_ERR_IO, path, "not a regular file");
    size_ = st.st_size;
  }

  ByteSource source() const { return ByteSource(file_.fd, size_); }

 private:
  Descriptor file_;
  std::int64_t size_ = 0;
};

}  // namespace

std::vector<float> AudioBuffer::channel(int index) const {
  if (index < 0 || index >= channels) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "AudioBuffer::channel: index " + std::to_string(index) +
                                               " out of range for " + std::to_string(channels) +
                                               " channels");
  }
  std::vector<float> out(frames());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = samples[i * channels + index];
  return out;
}

std::vector<float> AudioBuffer::mono() const {
  const std::size_t n = static_cast<std::size_t>(channels);
  std::vector<float> out(frames(), 0.0f);
  for (std::size_t i = 0; i < out.size(); ++i) {
    float sum = 0.0f;
    for (std::size_t c = 0; c < n; ++c) sum += samples[i * n + c];
    out[i] = sum / static_cast<float>(n);
  }
  return out;
}

AudioBuffer read_audio(const std::string& path) {
  const InputFile file(path);
  ByteSource source = file.source();
  OpenedAudio opened = open_audio(source, path);
  return decode_audio(opened, source, path, kMaxFileFrames);
}

AudioBuffer read_raw_pcm(const std::string& path, const RawPcmFormat& format) {
  const InputFile file(path);
  ByteSource source = file.source();
  OpenedSndfile opened = open_raw_pcm(source, path, format);
  return decode_sndfile(opened, source, path, kMaxFileFrames);
}

AudioBuffer read_audio_memory(std::span<const std::uint8_t> bytes, const std::string& name,
                              std::int64_t max_frames) {
  ByteSource source(bytes);
  OpenedAudio opened = open_audio(source, name);
  return decode_audio(opened, source, name, max_frames);
}

AudioInfo probe_audio(const std::string& path) {
  const InputFile file(path);
  ByteSource source = file.source();
  const OpenedAudio opened = open_audio(source, path);
  return describe_audio(opened, path);
}

}  // namespace hush::audio
