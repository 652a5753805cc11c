#include "apps/hush-bench/call_scenarios.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>

#include "apps/hush-bench/devset.h"
#include "audio/audio_file.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace hush::bench {
namespace {

constexpr double kLoudspeakerHighpassHz = 200.0;  // a laptop driver radiates little below this
constexpr double kPathSwitchMs = 10.0;            // cross-fade when the echo path changes
constexpr double kMaxUtteranceS = 6.0;            // main-talker turns in the background mixtures
constexpr double kMainPauseS = 3.0;               // ... separated by pauses this long

// Speech with its DC offset removed: a few LibriSpeech files carry one (up to -29 dBFS), which
// would otherwise count as "speech" in level settings and pass untouched through SI-SDR's mean
// removal, making that talker look far quieter or louder than intended.
std::vector<float> mono16k(const fs::path& path) {
  audio::AudioBuffer a = audio::read_audio(path.string());
  if (a.sample_rate_hz != kSimRateHz || a.channels != 1)
    throw Error(HUSH_ERR_FORMAT, path.string() + ": expected 16 kHz mono speech");
  double mean = 0;
  for (float v : a.samples) mean += v;
  mean /= double(std::max<std::size_t>(a.samples.size(), 1));
  for (float& v : a.samples) v = static_cast<float>(v - mean);
  return std::move(a.samples);
}

std::vector<fs::path> sorted_flacs(const fs::path& dir) {
  if (!fs::is_directory(dir)) throw Error(HUSH_ERR_IO, dir.string() + ": not found (set HUSH_DATA or --data)");
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".flac") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Utterances first, first+1, ... (wrapping) back to back until `samples` are filled.
std::vector<float> talk(const std::vector<std::vector<float>>& utts, std::size_t first, std::size_t samples) {
  std::vector<float> out;
  out.reserve(samples);
  for (std::size_t k = first; out.size() < samples; ++k) {
    const auto& u = utts[k % utts.size()];
    out.insert(out.end(), u.begin(), u.begin() + std::ptrdiff_t(std::min(u.size(), samples - out.size())));
  }
  return out;
}

// `x` looped from `offset` to `samples` long (background talkers talk for the whole mixture).
std::vector<float> looped(const std::vector<float>& x, std::size_t offset, std::size_t samples) {
  std::vector<float> out(samples);
  for (std::size_t i = 0; i < samples; ++i) out[i] = x[(offset + i) % x.size()];
  return out;
}

void set_active_level(std::vector<float>& x, double level_dbfs) {
  const double now = sim::active_level_dbfs(x, kSimRateHz);
  if (now > -199.0) sim::scale(x, std::pow(10.0, (level_dbfs - now) / 20.0));
}

std::size_t whole_frames(double seconds) {
  const std::size_t hop = kSimRateHz / 100;
  return static_cast<std::size_t>(std::llround(seconds * 100.0)) * hop;
}

std::vector<float> rir(const sim::Room& room, const sim::Point& source, const sim::Point& mic) {
  return sim::image_source_rir(room, source, mic, kSimRateHz, sim::rir_length_s(room));
}

// Per-scenario nonlinearity and drift, repeating every 8 scenarios, so that any run of 6 or more
// covers: linear and drift-free paths, mild and strong clipping, and drift both ways.
struct PathKind {
  double drive, drift_ppm;
};
constexpr std::array<PathKind, 8> kPathKinds = {{{0, 0}, {0, 0}, {2, 0}, {0, 100}, {6, -100}, {2, 60}, {0, -40}, {6, 0}}};

}  // namespace

SpeechLibrary load_speech_library(const std::string& data_dir) {
  SpeechLibrary lib;
  const fs::path mini = fs::path(data_dir) / "speech" / "librispeech-mini";
  for (const std::string& speaker : kDevSpeakers) {
    std::vector<std::vector<float>> utts;
    for (const auto& f : sorted_flacs(mini / speaker)) utts.push_back(mono16k(f));
    if (utts.empty()) throw Error(HUSH_ERR_IO, (mini / speaker).string() + ": no utterances");
    lib.speakers.push_back(speaker);
    lib.utterances.push_back(std::move(utts));
  }
  auto talkers = sorted_flacs(fs::path(data_dir) / "speech" / "librispeech-speakers");
  if (talkers.size() < std::size_t(kDevBabbleTalkers))
    throw Error(HUSH_ERR_IO, "librispeech-speakers: fewer than " + std::to_string(kDevBabbleTalkers) + " files");
  for (std::size_t i = talkers.size() - kDevBabbleTalkers; i < talkers.size(); ++i)
    lib.background_talkers.push_back(mono16k(talkers[i]));
  return lib;
}

std::vector<float> EchoScenario::mic() const {
  std::vector<float> m(echo.size());
  for (std::size_t i = 0; i < m.size(); ++i) m[i] = echo[i] + near[i] + noise[i];
  return m;
}

std::vector<float> BackgroundMixture::mix() const {
  std::vector<float> m(main.size());
  for (std::size_t i = 0; i < m.size(); ++i) m[i] = main[i] + background[i] + noise[i];
  return m;
}

EchoScenario make_echo_scenario(const SpeechLibrary& speech, int index, const EchoTimeline& tl,
                                const SceneLevels& levels, std::uint64_t seed) {
  sim::Rng rng(seed * 0x100000001b3ULL + std::uint64_t(index) * 7919u + 1);
  EchoScenario s;
  s.name = "path" + std::to_string(index + 1);
  s.room = sim::random_room(rng);
  const PathKind kind = kPathKinds[std::size_t(index) % kPathKinds.size()];
  s.delay_ms = index == 0 ? 0.0 : index == 1 ? 250.0 : std::round(rng.uniform(0.0, 250.0));
  s.drive = kind.drive;
  // Drift that makes the echo arrive earlier would, at a tiny delay, put it before its
  // reference (the contract forbids that), so small delays drift the other way.
  s.drift_ppm = s.delay_ms < 10.0 ? -std::abs(kind.drift_ppm) : kind.drift_ppm;
  s.echo_to_near_db = rng.uniform(0.0, 10.0);

  const std::size_t n = whole_frames(tl.single_talk_s + tl.after_change_s + tl.double_talk_s);
  s.change_at = whole_frames(tl.single_talk_s);
  s.double_talk_at = whole_frames(tl.single_talk_s + tl.after_change_s);
  const std::size_t far_spk = std::size_t(index) % speech.speakers.size();
  const std::size_t near_spk = (far_spk + 1) % speech.speakers.size();
  s.far_speaker = speech.speakers[far_spk];
  s.near_speaker = speech.speakers[near_spk];

  // Far end: the reference, then the device delay, the clock drift and the loudspeaker.
  s.far = talk(speech.utterances[far_spk], std::size_t(index) * 5, n);
  set_active_level(s.far, levels.far_dbfs);
  float peak = 0.0f;
  for (float v : s.far) peak = std::max(peak, std::abs(v));
  if (peak > 0.99f) sim::scale(s.far, 0.99 / peak);
  s.distortion_db = s.drive > 0 ? sim::nonlinear_distortion_db(s.far, sim::loudspeaker(s.far, s.drive, 0.0, kSimRateHz))
                                : -200.0;
  std::vector<float> played = sim::delayed(s.far, static_cast<std::size_t>(std::llround(s.delay_ms * kSimRateHz / 1000.0)));
  if (s.drift_ppm != 0.0) played = sim::drifted(played, s.drift_ppm);
  played = sim::loudspeaker(played, s.drive, kLoudspeakerHighpassHz, kSimRateHz);

  // Two echo paths in the same room: the laptop is moved at change_at.
  const sim::Point spk_a = sim::random_point(rng, s.room), mic_a = sim::random_point_near(rng, s.room, spk_a, 0.3, 1.5);
  const sim::Point spk_b = sim::random_point(rng, s.room), mic_b = sim::random_point_near(rng, s.room, spk_b, 0.3, 1.5);
  s.speaker_mic_a_m = sim::distance_m(spk_a, mic_a);
  s.speaker_mic_b_m = sim::distance_m(spk_b, mic_b);
  const std::vector<float> echo_a = sim::convolve(played, rir(s.room, spk_a, mic_a));
  const std::vector<float> echo_b = sim::convolve(played, rir(s.room, spk_b, mic_b));
  s.echo.resize(n);
  const auto fade = static_cast<std::size_t>(kPathSwitchMs * kSimRateHz / 1000.0);
  for (std::size_t i = 0; i < n; ++i) {
    const double w = i < s.change_at ? 0.0 : std::min(1.0, double(i - s.change_at) / double(fade));
    s.echo[i] = static_cast<float>((1.0 - w) * echo_a[i] + w * echo_b[i]);
  }
  const double echo_level = sim::active_level_dbfs(std::span(s.echo).first(s.change_at), kSimRateHz);
  sim::scale(s.echo, std::pow(10.0, (levels.near_dbfs + s.echo_to_near_db - echo_level) / 20.0));

  // Near end: the user, 0.4..0.8 m from the microphone of path B, talking in the last phase.
  const sim::Point talker = sim::random_point_near(rng, s.room, mic_b, 0.4, 0.8);
  s.near_mic_m = sim::distance_m(talker, mic_b);
  std::vector<float> near_dry = talk(speech.utterances[near_spk], std::size_t(index) * 3 + 1, n - s.double_talk_at);
  std::vector<float> near_wet = sim::convolve(near_dry, rir(s.room, talker, mic_b));
  set_active_level(near_wet, levels.near_dbfs);
  s.near.assign(n, 0.0f);
  std::copy(near_wet.begin(), near_wet.end(), s.near.begin() + std::ptrdiff_t(s.double_talk_at));
  s.noise = sim::mic_noise(n, levels.noise_dbfs, rng);
  return s;
}

BackgroundMixture make_background_mixture(const SpeechLibrary& speech, int index, double seconds,
                                          const SceneLevels& levels, std::uint64_t seed) {
  sim::Rng rng(seed * 0x100000001b3ULL + std::uint64_t(index) * 104729u + 2);
  BackgroundMixture m;
  m.name = "bg" + std::to_string(index + 1);
  m.room = sim::random_room(rng);
  // Background talkers stand 2..4 m away, so the floor must be large enough for that.
  for (int d = 0; d < 2; ++d) m.room.size_m[d] = std::max(m.room.size_m[d], rng.uniform(5.0, 8.0));
  const std::size_t n = whole_frames(seconds);
  const std::size_t spk = std::size_t(index + 2) % speech.speakers.size();
  m.main_speaker = speech.speakers[spk];

  // Main talker: turns of at most 6 s separated by 3 s pauses, starting after 0.5 s.
  std::vector<float> main_dry(n, 0.0f);
  const auto& utts = speech.utterances[spk];
  std::size_t at = whole_frames(0.5);
  for (std::size_t k = std::size_t(index) * 7; at < n; ++k) {
    const auto& u = utts[k % utts.size()];
    const std::size_t len = std::min({u.size(), whole_frames(kMaxUtteranceS), n - at});
    std::copy(u.begin(), u.begin() + std::ptrdiff_t(len), main_dry.begin() + std::ptrdiff_t(at));
    at += len + whole_frames(kMainPauseS);
  }
  const sim::Point mic = sim::random_point(rng, m.room);
  const sim::Point main_pos = sim::random_point_near(rng, m.room, mic, 0.3, 0.5);
  m.main_mic_m = sim::distance_m(main_pos, mic);
  m.main = sim::convolve(main_dry, rir(m.room, main_pos, mic));
  set_active_level(m.main, levels.near_dbfs);

  const int talkers = index % 3 + 1;
  std::vector<std::size_t> used;
  m.background.assign(n, 0.0f);
  for (int t = 0; t < talkers; ++t) {
    std::size_t pick;
    do pick = std::size_t(rng.next() % speech.background_talkers.size());
    while (std::find(used.begin(), used.end(), pick) != used.end());
    used.push_back(pick);
    const auto& voice = speech.background_talkers[pick];
    const sim::Point pos = sim::random_point_near(rng, m.room, mic, 2.0, 4.0);
    m.talker_mic_m.push_back(sim::distance_m(pos, mic));
    m.relative_db.push_back(rng.uniform(-15.0, -5.0));
    std::vector<float> wet = sim::convolve(looped(voice, std::size_t(rng.next() % voice.size()), n), rir(m.room, pos, mic));
    set_active_level(wet, levels.near_dbfs + m.relative_db.back());
    for (std::size_t i = 0; i < n; ++i) m.background[i] += wet[i];
  }
  m.noise = sim::mic_noise(n, levels.noise_dbfs, rng);
  return m;
}

}  // namespace hush::bench
