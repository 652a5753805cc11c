// The PulseAudio playback sink. libpulse-simple does the connection, buffering and format
// conversion; the buffer attributes keep the queue short (tlength = buffer_ms) so live
// processing adds little delay, and let the server ask for audio every 10 ms.
#include <pulse/error.h>
#include <pulse/simple.h>

#include <cstdint>

#include "audio/playback.h"
#include "util/error.h"

namespace hush::audio {
namespace {

constexpr std::uint32_t kBytesPerMs = kPlaybackRateHz / 1000 * sizeof(float);

class PulseSink final : public PlaybackSink {
 public:
  PulseSink(const std::string& device, const std::string& role, int buffer_ms)
      : name_(role + " (" + (device.empty() ? "default" : device) + ")") {
    if (buffer_ms < 10 || buffer_ms > 2000) throw Error(HUSH_ERR_INVALID_ARGUMENT, "playback buffer must be 10..2000 ms");
    const pa_sample_spec spec{PA_SAMPLE_FLOAT32LE, kPlaybackRateHz, 1};
    pa_buffer_attr attr{};
    attr.maxlength = static_cast<std::uint32_t>(-1);
    attr.tlength = static_cast<std::uint32_t>(buffer_ms) * kBytesPerMs;
    attr.prebuf = static_cast<std::uint32_t>(-1);  // start playing once tlength is queued
    attr.minreq = 10 * kBytesPerMs;
    attr.fragsize = static_cast<std::uint32_t>(-1);
    int error = 0;
    pulse_ = pa_simple_new(nullptr, "Hush", PA_STREAM_PLAYBACK, device.empty() ? nullptr : device.c_str(),
                           role.c_str(), &spec, nullptr, &attr, &error);
    if (pulse_ == nullptr) {
      throw Error(HUSH_ERR_IO, "cannot open " + name_ + ": " + pa_strerror(error) +
                                   " (is PulseAudio or PipeWire running? `pactl list short sinks` lists devices)");
    }
  }
  ~PulseSink() override { pa_simple_free(pulse_); }
  PulseSink(const PulseSink&) = delete;
  PulseSink& operator=(const PulseSink&) = delete;

  void write(std::span<const float> frames) override {
    int error = 0;
    if (pa_simple_write(pulse_, frames.data(), frames.size_bytes(), &error) < 0) {
      throw Error(HUSH_ERR_IO, "cannot play to " + name_ + ": " + pa_strerror(error));
    }
  }
  void drain() override {
    int error = 0;
    if (pa_simple_drain(pulse_, &error) < 0) throw Error(HUSH_ERR_IO, "cannot drain " + name_ + ": " + pa_strerror(error));
  }
  std::string name() const override { return name_; }

 private:
  std::string name_;
  pa_simple* pulse_ = nullptr;
};

}  // namespace

std::unique_ptr<PlaybackSink> open_pulse_sink(const std::string& device, const std::string& role, int buffer_ms) {
  return std::make_unique<PulseSink>(device, role, buffer_ms);
}

}  // namespace hush::audio
