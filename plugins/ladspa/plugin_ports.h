// The ports of both plugins: the contract PipeWire configurations and host command lines
// rely on (labels, names, order). Every plugin has
//   0 "Input"   audio in
//   1 "Output"  audio out
//   2..         its control inputs, in the order below
//   last        "latency", a control output: how many samples (at the host rate) the output
//               lags the input. It comes last so that hosts which fill control ports from a
//               positional argument list (sox, applyplugin) never hand it a value.
#pragma once

#include <ladspa.h>

#include <span>

namespace hush::ladspa {

inline constexpr unsigned long kInputPort = 0;
inline constexpr unsigned long kOutputPort = 1;
inline constexpr unsigned long kFirstControlPort = 2;
inline constexpr const char* kLatencyPortName = "latency";

// Positions within a plugin's control inputs.
enum ControlIndex : int { kStrength = 0, kBackgroundVoices = 1, kVoiceGateGrace = 2 };

struct ControlSpec {
  const char* name;
  float min;
  float max;
  // LADSPA can only name a default relative to the bounds (minimum, 1/4, middle, ...), so the
  // strength's host-visible default is the middle of 0..60 dB (30), not the library's 25.
  LADSPA_PortRangeHintDescriptor default_hint;
  bool integer;
  float library_default;  // what the library uses until the host connects the port
};

inline constexpr ControlSpec kMicControls[] = {
    {"Strength (dB)", 0.0f, 60.0f, LADSPA_HINT_DEFAULT_MIDDLE, false, 25.0f},
    {"Background voices (dB)", 0.0f, 40.0f, LADSPA_HINT_DEFAULT_MINIMUM, false, 0.0f},
    {"Voice gate grace (ms)", 0.0f, 5000.0f, LADSPA_HINT_DEFAULT_MINIMUM, true, 0.0f},
};

inline constexpr ControlSpec kSpeakerControls[] = {
    {"Strength (dB)", 0.0f, 60.0f, LADSPA_HINT_DEFAULT_MIDDLE, false, 25.0f},
};

enum class PluginKind { kMic, kSpeaker };

struct PluginSpec {
  PluginKind kind;
  unsigned long unique_id;  // fixed forever: hosts store it with saved settings (not registered)
  const char* label;
  const char* name;
  std::span<const ControlSpec> controls;
};

inline constexpr PluginSpec kPlugins[] = {
    {PluginKind::kMic, 4871801, "hush_mic", "Hush microphone (noise, background voices, voice gate)",
     kMicControls},
    {PluginKind::kSpeaker, 4871802, "hush_speaker", "Hush speaker (noise suppression)",
     kSpeakerControls},
};

inline unsigned long latency_port(const PluginSpec& spec) {
  return kFirstControlPort + spec.controls.size();
}
inline unsigned long port_count(const PluginSpec& spec) { return latency_port(spec) + 1; }

}  // namespace hush::ladspa
