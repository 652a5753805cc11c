// The file-backed capture source: a stand-in for a device, for tests and reproducible runs.
#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

#include "audio/audio_file.h"
#include "audio/capture.h"
#include "audio/resample.h"

namespace hush::audio {
namespace {

class FileSource final : public CaptureSource {
 public:
  FileSource(const std::string& path, bool realtime) : path_(path), realtime_(realtime) {
    const AudioBuffer audio = read_audio(path);
    samples_ = resample(audio.mono(), 1, audio.sample_rate_hz, kCaptureRateHz);
  }

  std::size_t read(std::span<float> out) override {
    if (realtime_) {
      // Deliver on the wall clock's schedule (sleep_until, so rounding does not accumulate).
      if (position_ == 0) start_ = std::chrono::steady_clock::now();
      const auto due = start_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                    std::chrono::duration<double>(double(position_ + out.size()) / kCaptureRateHz));
      std::this_thread::sleep_until(due);
    }
    const std::size_t n = std::min(out.size(), samples_.size() - position_);
    std::copy_n(samples_.begin() + static_cast<std::ptrdiff_t>(position_), n, out.begin());
    position_ += n;
    return n;
  }
  std::string name() const override { return path_; }

 private:
  std::string path_;
  bool realtime_;
  std::vector<float> samples_;
  std::size_t position_ = 0;
  std::chrono::steady_clock::time_point start_{};
};

}  // namespace

std::unique_ptr<CaptureSource> open_file_source(const std::string& path, bool realtime) {
  return std::make_unique<FileSource>(path, realtime);
}

}  // namespace hush::audio
