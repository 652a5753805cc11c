#include "audio/capture_mixer.h"

#include <algorithm>
#include <chrono>

#include "util/error.h"

namespace hush::audio {
namespace {

constexpr std::size_t kReadFrames = kCaptureRateHz / 100;  // 10 ms per source read
constexpr auto kPoll = std::chrono::milliseconds(50);

}  // namespace

CaptureMixer::CaptureMixer(std::vector<std::unique_ptr<CaptureSource>> sources) {
  if (sources.empty() || sources.size() > 2) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "capture: need one or two sources");
  }
  for (auto& source : sources) {
    auto channel = std::make_unique<Channel>();
    channel->source = std::move(source);
    channels_.push_back(std::move(channel));
  }
  for (std::size_t i = 0; i < channels_.size(); ++i) {
    channels_[i]->reader = std::thread([this, i] { read_loop(i); });
  }
}

CaptureMixer::~CaptureMixer() { stop(); }

void CaptureMixer::read_loop(std::size_t index) {
  Channel& channel = *channels_[index];
  std::vector<float> buffer(kReadFrames);
  try {
    for (;;) {
      {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
      }
      const std::size_t n = channel.source->read(buffer);
      std::lock_guard lock(mutex_);
      channel.queue.insert(channel.queue.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
      if (channel.queue.size() > kMaxQueuedFrames) {  // the consumer stalled: keep the newest audio
        const std::size_t excess = channel.queue.size() - kMaxQueuedFrames;
        channel.queue.erase(channel.queue.begin(), channel.queue.begin() + static_cast<std::ptrdiff_t>(excess));
        stats_.dropped_frames[index] += static_cast<std::int64_t>(excess);
      }
      if (n < buffer.size()) channel.ended = true;
      arrived_.notify_all();
      if (channel.ended) return;
    }
  } catch (...) {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = std::current_exception();
    channel.ended = true;
    arrived_.notify_all();
  }
}

void CaptureMixer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  arrived_.notify_all();
  for (auto& channel : channels_) {
    if (channel->reader.joinable()) channel->reader.join();
  }
  std::lock_guard lock(mutex_);
  for (auto& channel : channels_) channel->ended = true;
  arrived_.notify_all();
}

std::size_t CaptureMixer::take(Channel& channel, std::size_t n, float* out, std::size_t stride) {
  const std::size_t got = std::min(n, channel.queue.size());
  for (std::size_t i = 0; i < got; ++i) out[i * stride] = channel.queue[i];
  channel.queue.erase(channel.queue.begin(), channel.queue.begin() + static_cast<std::ptrdiff_t>(got));
  return got;
}

bool CaptureMixer::next_block(std::vector<float>& out, std::size_t block_frames) {
  out.clear();
  std::unique_lock lock(mutex_);
  if (error_) std::rethrow_exception(error_);
  // The clock: the first source that still has audio to give.
  std::size_t clock = channels_.size();
  for (std::size_t i = 0; i < channels_.size(); ++i) {
    if (!channels_[i]->ended || !channels_[i]->queue.empty()) {
      clock = i;
      break;
    }
  }
  if (clock == channels_.size()) return false;
  Channel& master = *channels_[clock];
  const auto master_ready = [&] { return master.queue.size() >= block_frames || master.ended || error_; };
  if (!arrived_.wait_for(lock, kPoll, master_ready)) return true;
  if (error_) std::rethrow_exception(error_);
  const std::size_t n = std::min(block_frames, master.queue.size());
  if (n == 0) return true;  // the clock source just ended empty; the next call picks another

  const std::size_t stride = channels_.size();
  out.assign(n * stride, 0.0f);
  for (std::size_t i = 0; i < channels_.size(); ++i) {
    Channel& channel = *channels_[i];
    if (i != clock && channel.queue.size() < n && !channel.ended) {
      // Late: wait for it while the clock source has buffered less than kMaxWaitFrames extra.
      // (Bounded in wall time too, for when the clock source has ended and this one hangs.)
      arrived_.wait_for(lock, std::chrono::milliseconds(200), [&] {
        return channel.queue.size() >= n || channel.ended || stopping_ || error_ ||
               master.queue.size() >= n + kMaxWaitFrames;
      });
      if (error_) std::rethrow_exception(error_);
    }
    const bool live = !channel.ended;
    const std::size_t got = take(channel, n, out.data() + i, stride);
    if (live && got < n) stats_.padded_frames[i] += static_cast<std::int64_t>(n - got);
    if (i != clock && channel.queue.size() > kMaxLeadFrames) {  // running ahead: drop the excess
      const std::size_t excess = channel.queue.size() - kMaxLeadFrames;
      channel.queue.erase(channel.queue.begin(), channel.queue.begin() + static_cast<std::ptrdiff_t>(excess));
      stats_.dropped_frames[i] += static_cast<std::int64_t>(excess);
    }
  }
  return true;
}

MixerStats CaptureMixer::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

}  // namespace hush::audio
