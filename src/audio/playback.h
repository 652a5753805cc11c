// Live audio output: mono float frames at 48 kHz to a PulseAudio sink (libpulse-simple;
// PipeWire serves the same API through pipewire-pulse), written in blocking calls. The
// counterpart of capture.h, for `hush live`.
#pragma once

#include <memory>
#include <span>
#include <string>

namespace hush::audio {

inline constexpr int kPlaybackRateHz = 48000;

class PlaybackSink {
 public:
  virtual ~PlaybackSink() = default;
  // Queues `frames` (mono, kPlaybackRateHz) for playing; blocks while the server's buffer is
  // full, so a writer that keeps it topped up runs at the device's pace. Allocates nothing
  // itself. Throws HUSH_ERR_IO if the device fails. Call from one thread at a time.
  virtual void write(std::span<const float> frames) = 0;
  // Blocks until everything written has been played.
  virtual void drain() = 0;
  // For messages: "cleaned microphone (default)", "... (hush_out)".
  virtual std::string name() const = 0;
};

// Connects to the sound server. `device` "" means the default sink. `role` names the stream
// in the sound server's mixer and in messages. `buffer_ms` is how much audio the server keeps
// queued (the output latency it adds; more rides out scheduling hiccups). Throws HUSH_ERR_IO
// "cannot open <role> (<device>): <reason>" when there is no server or no such sink.
std::unique_ptr<PlaybackSink> open_pulse_sink(const std::string& device, const std::string& role, int buffer_ms = 40);

}  // namespace hush::audio
