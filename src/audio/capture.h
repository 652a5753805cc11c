// Live audio sources for recording: mono float frames at 48 kHz, read in blocking calls.
//  - PulseAudio (libpulse-simple; PipeWire serves the same API through pipewire-pulse): a
//    microphone (the default source, or a named one) or what the computer plays (the default
//    sink's monitor, "@DEFAULT_MONITOR@").
//  - A file played back at real-time pace, standing in for a device in tests
//    (`hush record --from-file`).
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>

namespace hush::audio {

inline constexpr int kCaptureRateHz = 48000;
inline constexpr const char* kDefaultMonitor = "@DEFAULT_MONITOR@";

class CaptureSource {
 public:
  virtual ~CaptureSource() = default;
  // Fills `out` with the next frames (mono, kCaptureRateHz) and returns how many it wrote:
  // out.size(), or fewer only when the source has ended (0 = nothing more). Blocks for about
  // out.size() frames' worth of real time. Throws HUSH_ERR_IO if the device fails. Call from
  // one thread at a time.
  virtual std::size_t read(std::span<float> out) = 0;
  // For messages: "microphone (default)", "system audio (@DEFAULT_MONITOR@)", a file path.
  virtual std::string name() const = 0;
};

// Connects to the sound server. `device` "" means the default source. `role` ("microphone",
// "system audio") names the stream in the sound server's mixer and in messages. Throws
// HUSH_ERR_IO "cannot open <role> (<device>): <reason>" when there is no server or no device.
std::unique_ptr<CaptureSource> open_pulse_source(const std::string& device, const std::string& role);

// Decodes `path` (anything read_audio reads), mixes it to mono and resamples it to 48 kHz up
// front; read() then paces delivery to real time when `realtime` (else returns at once).
std::unique_ptr<CaptureSource> open_file_source(const std::string& path, bool realtime = true);

}  // namespace hush::audio
