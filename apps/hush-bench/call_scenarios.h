// The simulated calls of hush-bench call, built at 16 kHz from real speech in HUSH_DATA:
//  - echo scenarios: far-end speech played by a laptop loudspeaker and picked up by its
//    microphone through a simulated room, with a device delay, loudspeaker nonlinearity and
//    clock drift; later the near-end user talks over it;
//  - background-voice mixtures: a main talker close to the microphone with 1-3 other people
//    talking further away, the main talker pausing so the background can be measured alone.
// Speakers: the denoiser's held-out dev speakers (devset.h kDevSpeakers) for far end, near end
// and main talker; background talkers from the held-out babble files of librispeech-speakers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "apps/hush-bench/room_sim.h"

namespace hush::bench {

inline constexpr int kSimRateHz = 16000;  // LibriSpeech's rate; 48 kHz runs resample from it

// Speech loaded once and shared (read-only) by every scenario.
struct SpeechLibrary {
  std::vector<std::string> speakers;                       // dev speaker ids
  std::vector<std::vector<std::vector<float>>> utterances; // [speaker][utterance], 16 kHz, by file name
  std::vector<std::vector<float>> background_talkers;      // one utterance per talker, 16 kHz
};

// Throws hush::Error (HUSH_ERR_IO / HUSH_ERR_FORMAT) when the data is missing or not 16 kHz mono.
SpeechLibrary load_speech_library(const std::string& data_dir);

// Lengths of the three phases of an echo scenario (far end talks throughout).
struct EchoTimeline {
  double single_talk_s = 20.0;   // far end alone, echo path A
  double after_change_s = 10.0;  // far end alone, echo path B (the laptop was moved)
  double double_talk_s = 10.0;   // both talk, echo path B
};

struct EchoScenario {
  std::string name;            // "path1"
  // What was simulated (reported with the results).
  double delay_ms = 0;         // device delay from the reference to the loudspeaker
  double drift_ppm = 0;        // loudspeaker clock vs microphone clock
  double drive = 0;            // loudspeaker soft-clip drive (0 = linear)
  double distortion_db = -200; // the loudspeaker's nonlinear distortion on this far-end speech
  double echo_to_near_db = 0;  // echo active level minus near-end active level at the mic
  sim::Room room;
  double speaker_mic_a_m = 0, speaker_mic_b_m = 0, near_mic_m = 0;
  std::string far_speaker, near_speaker;
  // Sample indices (16 kHz) where the echo path changes and where double talk starts.
  std::size_t change_at = 0, double_talk_at = 0;
  // Components at 16 kHz, all the same length (a whole number of 10 ms frames).
  std::vector<float> far;    // the reference: what is sent to the loudspeaker
  std::vector<float> echo;   // the echo at the microphone
  std::vector<float> near;   // the near-end talker at the microphone (silent before double talk)
  std::vector<float> noise;  // microphone noise
  std::vector<float> mic() const;  // echo + near + noise
};

struct SceneLevels {
  double near_dbfs = -28.0;   // active level of the near-end talker (and main talker) at the mic
  double far_dbfs = -20.0;    // active level of the reference sent to the loudspeaker
  double noise_dbfs = -70.0;  // microphone noise (RMS): low enough that ERLE up to ~40 dB is measurable
};

// Scenario `index` (0-based): 0 has 0 ms delay, 1 has 250 ms, the rest draw 0..250 ms; the
// nonlinearity and drift pattern repeats every 8 (see the .cpp). Same seed, same scenario.
EchoScenario make_echo_scenario(const SpeechLibrary& speech, int index, const EchoTimeline& timeline,
                                const SceneLevels& levels, std::uint64_t seed);

struct BackgroundMixture {
  std::string name;                  // "bg1"
  std::string main_speaker;
  sim::Room room;
  double main_mic_m = 0;
  std::vector<double> talker_mic_m;  // one per background talker
  std::vector<double> relative_db;   // each talker's active level minus the main talker's
  // Components at 16 kHz, same length.
  std::vector<float> main;           // main talker at the mic (with pauses)
  std::vector<float> background;     // all background talkers at the mic
  std::vector<float> noise;
  std::vector<float> mix() const;
};

// Mixture `index`: 1, 2 or 3 background talkers (cycling), -15..-5 dB each.
BackgroundMixture make_background_mixture(const SpeechLibrary& speech, int index, double seconds,
                                          const SceneLevels& levels, std::uint64_t seed);

}  // namespace hush::bench
