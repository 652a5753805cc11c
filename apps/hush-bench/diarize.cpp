#include "apps/hush-bench/diarize.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "apps/build_commit.h"
#include "audio/audio_file.h"
#include "audio/resample.h"
#include "meeting/diarize_tuning.h"
#include "meeting/speaker_features.h"
#include "metrics/der.h"
#include "util/error.h"

namespace hush::bench {
namespace {

namespace fs = std::filesystem;
using meeting::DiarizeOptions;
using meeting::DiarizeTuning;
using metrics::DerResult;
using metrics::RttmSegment;

struct Clip {
  std::string id, set, audio_path;
  std::vector<RttmSegment> reference;
  std::vector<metrics::UemRegion> uem;
  std::vector<float> samples;  // 16 kHz mono
  int true_speakers = 0;
};

std::vector<float> load_mono_16k(const std::string& path) {
  const auto a = audio::read_audio(path);
  std::vector<float> mono(a.frames(), 0.0f);
  for (std::size_t i = 0; i < a.frames(); ++i) {
    for (int c = 0; c < a.channels; ++c) mono[i] += a.samples[i * a.channels + c];
    mono[i] /= static_cast<float>(a.channels);
  }
  if (a.sample_rate_hz != meeting::kSpeakerRateHz) mono = audio::resample(mono, 1, a.sample_rate_hz, meeting::kSpeakerRateHz);
  return mono;
}

int count_speakers(const std::vector<RttmSegment>& ref) {
  std::vector<std::string> names;
  for (const auto& s : ref)
    if (std::find(names.begin(), names.end(), s.speaker) == names.end()) names.push_back(s.speaker);
  return static_cast<int>(names.size());
}

// Clips named in an AMI list; ids without audio or reference are reported and skipped.
std::vector<Clip> load_ami_list(const fs::path& dir, const std::string& split, const std::string& set,
                                std::vector<std::string>& notes) {
  const std::string stem = "debug." + split;
  const auto rttm = metrics::read_rttm((dir / (stem + ".rttm")).string());
  const auto uem = metrics::read_uem((dir / (stem + ".uem")).string());
  std::ifstream lst(dir / (stem + ".lst"));
  if (!lst) throw Error(HUSH_ERR_IO, "cannot read " + (dir / (stem + ".lst")).string());
  std::vector<Clip> clips;
  for (std::string id; std::getline(lst, id);) {
    if (id.empty()) continue;
    const fs::path audio = dir / (id + ".flac");
    if (!fs::exists(audio) || !rttm.count(id)) {
      notes.push_back(stem + ".lst names '" + id + "', which has " +
                      (fs::exists(audio) ? "no reference in the RTTM" : "no audio file") + ": skipped");
      continue;
    }
    Clip c{id, set, audio.string(), rttm.at(id), uem.count(id) ? uem.at(id) : std::vector<metrics::UemRegion>{}, {}, 0};
    c.samples = load_mono_16k(c.audio_path);
    c.true_speakers = count_speakers(c.reference);
    clips.push_back(std::move(c));
  }
  return clips;
}

Clip load_single(const fs::path& audio, const fs::path& rttm_path, const std::string& set) {
  const auto rttm = metrics::read_rttm(rttm_path.string());
  if (rttm.size() != 1) throw Error(HUSH_ERR_FORMAT, rttm_path.string() + ": expected one recording");
  Clip c{rttm.begin()->first, set, audio.string(), rttm.begin()->second, {}, {}, 0};
  c.samples = load_mono_16k(c.audio_path);
  c.uem = {{0.0, double(c.samples.size()) / meeting::kSpeakerRateHz}};
  c.true_speakers = count_speakers(c.reference);
  return c;
}

std::vector<RttmSegment> to_rttm(const std::vector<meeting::SpeakerTurn>& turns) {
  std::vector<RttmSegment> out;
  for (const auto& t : turns) out.push_back({t.start_s, t.end_s, "hyp" + std::to_string(t.speaker)});
  return out;
}

std::vector<std::uint8_t> oracle_speech(const Clip& c) {
  const auto frames = (c.samples.size() + meeting::kFrameHopSamples - 1) / meeting::kFrameHopSamples;
  std::vector<std::uint8_t> m(frames, 0);
  for (const auto& s : c.reference)
    for (auto f = static_cast<std::size_t>(s.start_s / meeting::kFrameHopS);
         f < frames && double(f) * meeting::kFrameHopS < s.end_s; ++f)
      m[f] = 1;
  return m;
}

std::vector<meeting::SpeakerTurn> one_speaker(const std::vector<std::uint8_t>& speech) {
  std::vector<int> labels(speech.size());
  for (std::size_t i = 0; i < speech.size(); ++i) labels[i] = speech[i] ? 0 : -1;
  return meeting::turns_from_frame_labels(labels);
}

struct SystemResult {
  DerResult der;
  double seconds = 0.0, audio_s = 0.0;
  int speakers_found = 0, speakers_true = 0;
  nlohmann::json clips = nlohmann::json::array();
};

enum class System { hush_auto, hush_oracle_n, hush_oracle_n_oracle_speech, one_speaker_vad, one_speaker_oracle };
const char* system_name(System s) {
  switch (s) {
    case System::hush_auto: return "Hush, speakers auto";
    case System::hush_oracle_n: return "Hush, true N given";
    case System::hush_oracle_n_oracle_speech: return "Hush, true N + oracle speech (diagnostic)";
    case System::one_speaker_vad: return "Baseline: one speaker, Hush speech detection";
    case System::one_speaker_oracle: return "Baseline: one speaker, oracle speech";
  }
  return "";
}

// `speech_masks`, when given, holds each clip's speech mask (tuning reuses them).
SystemResult run_system(const std::vector<Clip>& clips, System sys, const DiarizeTuning& tuning,
                        const std::vector<std::vector<std::uint8_t>>* speech_masks = nullptr) {
  SystemResult r;
  for (std::size_t ci = 0; ci < clips.size(); ++ci) {
    const Clip& c = clips[ci];
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<meeting::SpeakerTurn> turns;
    DiarizeOptions o;
    if (sys == System::hush_oracle_n || sys == System::hush_oracle_n_oracle_speech) o.num_speakers = c.true_speakers;
    const auto oracle = oracle_speech(c);
    switch (sys) {
      case System::hush_auto:
      case System::hush_oracle_n:
        turns = meeting::diarize_with(c.samples, o, tuning, speech_masks ? &(*speech_masks)[ci] : nullptr);
        break;
      case System::hush_oracle_n_oracle_speech: turns = meeting::diarize_with(c.samples, o, tuning, &oracle); break;
      case System::one_speaker_vad: turns = one_speaker(meeting::detect_speech_frames(c.samples, tuning.speech)); break;
      case System::one_speaker_oracle: turns = one_speaker(oracle); break;
    }
    r.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.audio_s += double(c.samples.size()) / meeting::kSpeakerRateHz;
    const DerResult d = metrics::score_der(c.reference, to_rttm(turns), c.uem);
    r.der += d;
    int found = 0;
    for (const auto& t : turns) found = std::max(found, t.speaker + 1);
    r.speakers_found += found;
    r.speakers_true += c.true_speakers;
    r.clips.push_back({{"clip", c.id}, {"der", d.der()}, {"miss", d.miss_rate()}, {"false_alarm", d.false_alarm_rate()},
                       {"confusion", d.confusion_rate()}, {"speakers_found", found}, {"speakers_true", c.true_speakers}});
  }
  return r;
}

double pooled_der(const std::vector<Clip>& clips, const DiarizeTuning& t,
                  const std::vector<std::vector<std::uint8_t>>* masks = nullptr) {
  return run_system(clips, System::hush_auto, t, masks).der.der() +
         run_system(clips, System::hush_oracle_n, t, masks).der.der();
}

// Grid search on train + development clips (never test), in two stages: speech detection by
// missed + false-alarm speech, then the clustering knobs by auto-mode + true-N DER summed.
DiarizeTuning tune(const std::vector<Clip>& clips) {
  DiarizeTuning best;
  const auto speech_error = [&](const DiarizeTuning& t) {
    const DerResult d = run_system(clips, System::one_speaker_vad, t).der;
    return d.miss_rate() + d.false_alarm_rate();
  };
  double best_score = speech_error(best);
  std::printf("tuning on %zu clips; default speech miss+FA %.4f\n", clips.size(), best_score);
  for (const double denoiser : {0.0, 0.5, 0.8})
  for (const double fraction : {0.5, 0.6, 0.7})
    for (const double bridge : {0.3, 0.5, 0.8})
      for (const double min_speech : {0.2, 0.4}) {
        if (denoiser > 0.0 && fraction != 0.5) continue;  // the energy threshold is unused then
        DiarizeTuning t = best;
        t.speech.denoiser_threshold = denoiser;
        t.speech.threshold_fraction = fraction;
        t.speech.bridge_gap_s = bridge;
        t.speech.min_speech_s = min_speech;
        const double s = speech_error(t);
        if (s < best_score) {
          best_score = s;
          best = t;
          std::printf("  speech %.4f: denoiser %.2f threshold_fraction %.2f bridge %.2f min_speech %.2f\n", s, denoiser,
                      fraction, bridge, min_speech);
        }
      }
  std::vector<std::vector<std::uint8_t>> masks;
  for (const Clip& c : clips) masks.push_back(meeting::detect_speech_frames(c.samples, best.speech));
  best_score = pooled_der(clips, best, &masks);
  std::printf("clustering: default score %.4f\n", best_score);
  const DiarizeTuning speech_tuned = best;
  for (const bool centre : {false, true})
    for (const float stop : {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f})
      for (const double min_turn : {0.0, 0.5, 1.0}) {
        DiarizeTuning t = speech_tuned;
        t.centre_on_recording = centre;
        t.stop_similarity = stop;
        t.min_turn_s = min_turn;
        const double s = pooled_der(clips, t, &masks);
        if (s < best_score) {
          best_score = s;
          best = t;
          std::printf("  clustering %.4f: centre %d stop %.2f min_turn %.1f\n", s, int(centre), double(stop), min_turn);
        }
      }
  return best;
}

std::string percent(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", 100.0 * v);
  return b;
}

}  // namespace

int run_diarize_bench(const DiarizeBenchOptions& o) {
  const fs::path meetings = fs::path(o.data_dir) / "meetings";
  const fs::path ami = meetings / "ami-clips";
  if (!fs::is_directory(ami)) throw Error(HUSH_ERR_IO, "diarize bench: " + ami.string() + " is missing");
  std::vector<std::string> notes;
  const auto train = load_ami_list(ami, "train", "AMI clips: train", notes);
  const auto dev = load_ami_list(ami, "development", "AMI clips: development", notes);
  const auto test = load_ami_list(ami, "test", "AMI clips: test", notes);
  const auto four = std::vector<Clip>{load_single(meetings / "four-speakers" / "mixture.flac",
                                                  meetings / "four-speakers" / "mixture.rttm", "four-speakers")};
  const auto excerpt = std::vector<Clip>{
      load_single(meetings / "ami-excerpt" / "sample.flac", meetings / "ami-excerpt" / "sample.rttm", "ami-excerpt")};

  DiarizeTuning tuning;
  if (o.tune) {
    std::vector<Clip> tune_clips = train;
    tune_clips.insert(tune_clips.end(), dev.begin(), dev.end());
    tuning = tune(tune_clips);
  }

  // The empty clip: must give no turns or a clear error, never a crash.
  std::string empty_result;
  try {
    const auto x = load_mono_16k((ami / "empty.flac").string());
    const auto turns = meeting::diarize(x, {});
    empty_result = "empty.flac (" + std::to_string(x.size()) + " samples): " + std::to_string(turns.size()) + " turns";
  } catch (const Error& e) {
    empty_result = std::string("empty.flac: error: ") + e.what();
  }

  const std::vector<std::pair<std::string, const std::vector<Clip>*>> sets = {
      {"AMI clips: development", &dev}, {"AMI clips: test", &test}, {"four-speakers", &four},
      {"ami-excerpt", &excerpt},        {"AMI clips: train (tuned on)", &train}};
  const System systems[] = {System::hush_auto, System::hush_oracle_n, System::one_speaker_vad,
                            System::one_speaker_oracle, System::hush_oracle_n_oracle_speech};
  std::ostringstream md;
  md << "# Speaker diarization (`hush-bench diarize`)\n\n"
     << "DER = (missed + false alarm + confusion) / reference speech, 0.25 s no-score collar, overlapped speech "
        "scored (src/metrics/der.h). Per set, errors are pooled over its clips (speaker-seconds). "
        "Knobs tuned on AMI train + development only; test is never used for tuning. Commit "
     << hush_build_commit() << ".\n\n"
     << "| set | clips | system | DER % | miss % | FA % | confusion % | speakers found / true | RTF |\n"
     << "|---|---|---|---|---|---|---|---|---|\n";
  nlohmann::json json = {{"commit", hush_build_commit()}, {"collar_s", metrics::kStandardCollarS}, {"sets", nlohmann::json::array()}};
  for (const auto& [name, clips] : sets) {
    nlohmann::json set_json = {{"set", name}, {"systems", nlohmann::json::array()}};
    for (const System sys : systems) {
      const SystemResult r = run_system(*clips, sys, tuning);
      char rtf[32];
      std::snprintf(rtf, sizeof rtf, "%.4f", r.seconds / std::max(1e-9, r.audio_s));
      md << "| " << name << " | " << clips->size() << " | " << system_name(sys) << " | " << percent(r.der.der()) << " | "
         << percent(r.der.miss_rate()) << " | " << percent(r.der.false_alarm_rate()) << " | "
         << percent(r.der.confusion_rate()) << " | " << r.speakers_found << " / " << r.speakers_true << " | " << rtf
         << " |\n";
      set_json["systems"].push_back({{"system", system_name(sys)}, {"der", r.der.der()}, {"miss", r.der.miss_rate()},
                                     {"false_alarm", r.der.false_alarm_rate()}, {"confusion", r.der.confusion_rate()},
                                     {"reference_s", r.der.reference_s}, {"rtf", r.seconds / std::max(1e-9, r.audio_s)},
                                     {"clips", r.clips}});
    }
    json["sets"].push_back(set_json);
  }
  md << "\nRTF: wall-clock seconds per second of audio on one thread, speech detection and features included.\n";
  md << "\n" << empty_result << ".\n";
  for (const auto& n : notes) md << "\nNote: " << n << ".\n";
  json["empty_clip"] = empty_result;
  json["notes"] = notes;
  std::fputs(md.str().c_str(), stdout);
  if (!o.markdown_path.empty()) {
    std::ofstream(o.markdown_path) << md.str();
  }
  if (!o.json_path.empty()) {
    std::ofstream(o.json_path) << json.dump(2) << "\n";
  }
  std::printf("commit %s\n", hush_build_commit());
  return 0;
}

}  // namespace hush::bench
