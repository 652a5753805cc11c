// Turns one or two live sources (microphone, system audio) into one interleaved stream:
// channel 0 is the first source, channel 1 the second. Each source is read on its own thread
// (their reads block), and the caller takes aligned blocks.
//
// Alignment: the first live source is the clock. The other is taken frame for frame; when it
// is late it is waited for, up to kMaxWaitFrames of the clock source, then padded with silence;
// when it runs ahead (its device clock is faster, or it started earlier) the excess over
// kMaxLeadFrames is dropped. So clock drift is absorbed by padding or dropping a few ms at a
// time, and the two channels stay within ~40 ms of each other.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "audio/capture.h"

namespace hush::audio {

inline constexpr std::size_t kMaxWaitFrames = kCaptureRateHz * 60 / 1000;   // 60 ms
inline constexpr std::size_t kMaxLeadFrames = kCaptureRateHz * 40 / 1000;   // 40 ms
inline constexpr std::size_t kMaxQueuedFrames = std::size_t{kCaptureRateHz} * 30;  // bound on memory

struct MixerStats {
  std::int64_t padded_frames[2] = {0, 0};   // silence inserted while the source was live
  std::int64_t dropped_frames[2] = {0, 0};  // frames discarded to stay aligned (or overflow)
};

class CaptureMixer {
 public:
  // 1 or 2 sources (HUSH_ERR_INVALID_ARGUMENT otherwise); starts reading at once.
  explicit CaptureMixer(std::vector<std::unique_ptr<CaptureSource>> sources);
  ~CaptureMixer();  // stops and joins the reader threads
  CaptureMixer(const CaptureMixer&) = delete;
  CaptureMixer& operator=(const CaptureMixer&) = delete;

  int channels() const { return static_cast<int>(channels_.size()); }

  // Puts the next block (at most block_frames frames, interleaved) into `out`. Returns false
  // once every source has ended, or after stop() once the queued audio is out. Returns true
  // with `out` empty when nothing arrived for 50 ms, so a caller can check its own stop flag.
  // Rethrows a source's error (HUSH_ERR_IO). One consumer thread.
  bool next_block(std::vector<float>& out, std::size_t block_frames);
  // Stops reading (joins the threads, within one source read, ~10 ms); queued audio remains.
  void stop();
  MixerStats stats() const;

 private:
  struct Channel {
    std::unique_ptr<CaptureSource> source;
    std::deque<float> queue;
    bool ended = false;
    std::thread reader;
  };
  void read_loop(std::size_t index);
  std::size_t take(Channel& channel, std::size_t n, float* out, std::size_t stride);

  std::vector<std::unique_ptr<Channel>> channels_;
  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  bool stopping_ = false;
  std::exception_ptr error_;
  MixerStats stats_;
};

}  // namespace hush::audio
