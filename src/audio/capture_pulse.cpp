// The PulseAudio capture source. libpulse-simple does the connection, buffering and format
// conversion; this only asks for small fragments so the recorder sees audio every 10 ms.
#include <pulse/error.h>
#include <pulse/simple.h>

#include "audio/capture.h"
#include "util/error.h"

namespace hush::audio {
namespace {

constexpr std::uint32_t kFragmentBytes = kCaptureRateHz / 100 * sizeof(float);  // 10 ms

class PulseSource final : public CaptureSource {
 public:
  PulseSource(const std::string& device, const std::string& role)
      : name_(role + " (" + (device.empty() ? "default" : device) + ")") {
    const pa_sample_spec spec{PA_SAMPLE_FLOAT32LE, kCaptureRateHz, 1};
    pa_buffer_attr attr{};
    attr.maxlength = static_cast<std::uint32_t>(-1);
    attr.tlength = static_cast<std::uint32_t>(-1);
    attr.prebuf = static_cast<std::uint32_t>(-1);
    attr.minreq = static_cast<std::uint32_t>(-1);
    attr.fragsize = kFragmentBytes;
    int error = 0;
    pulse_ = pa_simple_new(nullptr, "Hush", PA_STREAM_RECORD, device.empty() ? nullptr : device.c_str(),
                           role.c_str(), &spec, nullptr, &attr, &error);
    if (pulse_ == nullptr) {
      throw Error(HUSH_ERR_IO, "cannot open " + name_ + ": " + pa_strerror(error) +
                                   " (is PulseAudio or PipeWire running? `pactl list short sources` lists devices)");
    }
  }
  ~PulseSource() override { pa_simple_free(pulse_); }
  PulseSource(const PulseSource&) = delete;
  PulseSource& operator=(const PulseSource&) = delete;

  std::size_t read(std::span<float> out) override {
    int error = 0;
    if (pa_simple_read(pulse_, out.data(), out.size_bytes(), &error) < 0) {
      throw Error(HUSH_ERR_IO, "cannot read " + name_ + ": " + pa_strerror(error));
    }
    return out.size();
  }
  std::string name() const override { return name_; }

 private:
  std::string name_;
  pa_simple* pulse_ = nullptr;
};

}  // namespace

std::unique_ptr<CaptureSource> open_pulse_source(const std::string& device, const std::string& role) {
  return std::make_unique<PulseSource>(device, role);
}

}  // namespace hush::audio
