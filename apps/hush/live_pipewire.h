// `hush live` with PipeWire: the filter-chain drop-in that gives every app a "Hush
// noise-cancelled microphone" and a "Hush cleaned speaker", where it goes, how the LADSPA
// plugin is found, and whether the two devices are there.
#pragma once

#include <string>
#include <vector>

namespace hush::cli {

// plugins/pipewire/hush-noise-cancel.conf.in, compiled in (live_filter_template.cpp).
extern const char* const kFilterChainTemplate;

inline constexpr const char* kMicSourceNode = "hush_mic_source";
inline constexpr const char* kSpeakerSinkNode = "hush_speaker_sink";
inline constexpr const char* kMicSourceDescription = "Hush noise-cancelled microphone";
inline constexpr const char* kSpeakerSinkDescription = "Hush cleaned speaker";

// The plugin's controls, written into the drop-in (the defaults are the plugin's).
struct FilterSettings {
  float mic_strength_db = 25.0f;      // "Strength (dB)" of hush_mic, 0..60
  float background_voices_db = 0.0f;  // "Background voices (dB)", 0..40
  int voice_gate_ms = 0;              // "Voice gate grace (ms)", 0..5000 (0 = off)
  float speaker_strength_db = 25.0f;  // "Strength (dB)" of hush_speaker, 0..60
};

// The template with the plugin's absolute path and the settings filled in.
std::string render_filter_config(const std::string& plugin_path, const FilterSettings& settings);

// Where the drop-in goes: $XDG_CONFIG_HOME/pipewire/pipewire.conf.d/hush-noise-cancel.conf
// ($XDG_CONFIG_HOME defaults to ~/.config). The main PipeWire daemon reads that folder when it
// starts (PipeWire >= 0.3.45), so nothing else has to run: filter-chain.conf.d/ is read only
// by a separate `pipewire -c filter-chain.conf` process that distributions do not start.
// Throws HUSH_ERR_IO when neither XDG_CONFIG_HOME nor HOME is set.
std::string filter_dropin_path();

// The LADSPA plugin hush_ladspa.so, as an absolute path. Looks, in order, at `explicit_path`
// (--plugin), $HUSH_LADSPA_PATH (the file, or a folder holding it), next to the hush binary
// (../plugins/ladspa/ in a build tree, ../lib/ladspa/ and ../lib/<arch>/ladspa/ when
// installed), then $LADSPA_PATH and the system LADSPA folders. Throws HUSH_ERR_IO listing the
// places it looked when it is nowhere.
std::string find_ladspa_plugin(const std::string& explicit_path);

// Loads the plugin (dlopen) and checks it has the hush_mic and hush_speaker labels, so a
// wrong file is refused here rather than silently leaving PipeWire without the devices.
// Throws HUSH_ERR_FORMAT with the reason.
void check_ladspa_plugin(const std::string& plugin_path);

// What the PipeWire graph says about the two devices (via pw-dump).
struct FilterStatus {
  bool pipewire_reachable = false;
  std::string problem;  // why PipeWire could not be asked ("" when reachable)
  bool mic_source = false;
  bool speaker_sink = false;
};
FilterStatus query_filter_status();

}  // namespace hush::cli
