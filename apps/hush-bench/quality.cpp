#include "apps/hush-bench/quality.h"

#include <array>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "apps/build_commit.h"
#include "apps/hush-bench/devset.h"
#include "audio/audio_file.h"
#include "audio/resample.h"
#include "enhance/model_loader.h"
#include "enhance/offline_denoise.h"
#include "metrics/metrics.h"
#include "metrics/onset.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace hush::bench {
namespace {

// The dev set, STOI's input and DNSMOS are 16 kHz: every run is scored at 16 kHz, whatever rate
// the denoiser ran at, so runs at different rates compare.
constexpr int kScoreRateHz = 16000;

// "8k", "44.1k": names folders and caches by rate.
std::string rate_label(int rate_hz) {
  char s[16];
  std::snprintf(s, sizeof s, "%gk", rate_hz / 1000.0);
  return s;
}

// Mono `x` from `from_hz` to `to_hz`, cut or padded to `frames` (resampling rounds lengths, so a
// round trip can be a sample off).
std::vector<float> to_rate(const std::vector<float>& x, int from_hz, int to_hz, std::size_t frames) {
  std::vector<float> y = audio::resample(x, 1, from_hz, to_hz);
  y.resize(frames, 0.0f);
  return y;
}

struct Scores {
  double stoi = 0, estoi = 0, si_sdr = 0, sig = 0, bak = 0, ovrl = 0;
  bool has_dnsmos = false;
};
struct ClipResult {
  DevClip clip;
  Scores noisy, enhanced;
  metrics::OnsetKept onset;  // enhanced vs clean (offline_denoise output is latency-aligned)
};

Scores intrusive(const std::vector<float>& clean, const std::vector<float>& test) {
  Scores s;
  s.stoi = metrics::stoi(clean, test, 16000);
  s.estoi = metrics::stoi(clean, test, 16000, true);
  s.si_sdr = metrics::si_sdr_db(clean, test);
  return s;
}

// DNSMOS runs in Node (onnxruntime-node); returns file stem -> {sig, bak, ovrl}.
std::map<std::string, std::array<double, 3>> dnsmos(const QualityOptions& o, const std::vector<std::string>& files) {
  std::map<std::string, std::array<double, 3>> scores;
  if (o.dnsmos_script.empty() || files.empty()) return scores;
  std::string cmd = o.node + " " + o.dnsmos_script + " --json";
  for (const auto& f : files) cmd += " '" + f + "'";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return scores;
  std::string out;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  if (pclose(pipe) != 0) {
    std::fprintf(stderr, "hush-bench: DNSMOS failed; continuing without it\n");
    return scores;
  }
  try {
    const auto j = nlohmann::json::parse(out);
    for (const auto& r : j.at("files")) {
      scores[fs::path(r.at("file").get<std::string>()).stem().string()] = {r.at("sig"), r.at("bak"), r.at("ovrl")};
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hush-bench: cannot parse DNSMOS output (%s)\n", e.what());
  }
  return scores;
}

std::map<std::string, std::array<double, 3>> read_mos_cache(const fs::path& path) {
  std::map<std::string, std::array<double, 3>> scores;
  std::ifstream in(path);
  if (!in) return scores;
  try {
    for (const auto& [k, v] : nlohmann::json::parse(in).items()) scores[k] = {v.at(0), v.at(1), v.at(2)};
  } catch (const std::exception&) {
    scores.clear();  // a damaged cache is simply recomputed
  }
  return scores;
}

void write_mos_cache(const fs::path& path, const std::map<std::string, std::array<double, 3>>& scores) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : scores) j[k] = v;
  std::ofstream(path) << j.dump() << "\n";
}

// Mean onset/steady energy kept over the clips that have both (a clip whose speech starts at
// its first frame has no onset); loss = steady - onset, so positive means clipped onsets.
struct OnsetMeans {
  int clips = 0;
  double onset_kept_db = 0, steady_kept_db = 0;
  double loss_db() const { return steady_kept_db - onset_kept_db; }
};

struct Row {
  int n = 0;
  Scores noisy, enhanced;
  int onset_clips = 0;
  double onset_kept_sum_db = 0, steady_kept_sum_db = 0;
  void add(const ClipResult& r) {
    ++n;
    if (r.onset.onset_kept_db && r.onset.steady_kept_db) {
      ++onset_clips;
      onset_kept_sum_db += *r.onset.onset_kept_db;
      steady_kept_sum_db += *r.onset.steady_kept_db;
    }
    auto acc = [](Scores& a, const Scores& b) {
      a.stoi += b.stoi; a.estoi += b.estoi; a.si_sdr += b.si_sdr;
      a.sig += b.sig; a.bak += b.bak; a.ovrl += b.ovrl; a.has_dnsmos = b.has_dnsmos;
    };
    acc(noisy, r.noisy);
    acc(enhanced, r.enhanced);
  }
  Scores mean(const Scores& s) const {
    Scores m = s;
    for (double* v : {&m.stoi, &m.estoi, &m.si_sdr, &m.sig, &m.bak, &m.ovrl}) *v /= n;
    return m;
  }
  OnsetMeans onset() const {
    if (onset_clips == 0) return {};
    return {onset_clips, onset_kept_sum_db / onset_clips, steady_kept_sum_db / onset_clips};
  }
};

std::string format_row(const std::string& label, const Row& row) {
  const Scores a = row.mean(row.noisy), b = row.mean(row.enhanced);
  char line[512];
  std::snprintf(line, sizeof line,
                "| %-8s | %3d | %.3f → %.3f | %.3f → %.3f | %6.2f → %6.2f (%+.2f) |", label.c_str(), row.n,
                a.stoi, b.stoi, a.estoi, b.estoi, a.si_sdr, b.si_sdr, b.si_sdr - a.si_sdr);
  std::string s = line;
  const OnsetMeans o = row.onset();
  if (o.clips > 0) {
    std::snprintf(line, sizeof line, " %6.2f | %6.2f | %+.2f |", o.onset_kept_db, o.steady_kept_db, o.loss_db());
  } else {
    std::snprintf(line, sizeof line, " - | - | - |");
  }
  s += line;
  if (a.has_dnsmos) {
    std::snprintf(line, sizeof line, " %.2f → %.2f | %.2f → %.2f | %.2f → %.2f |", a.sig, b.sig, a.bak,
                  b.bak, a.ovrl, b.ovrl);
    s += line;
  }
  return s;
}

nlohmann::json scores_json(const Scores& s) {
  nlohmann::json j = {{"stoi", s.stoi}, {"estoi", s.estoi}, {"si_sdr_db", s.si_sdr}};
  if (s.has_dnsmos) {
    j["dnsmos_sig"] = s.sig;
    j["dnsmos_bak"] = s.bak;
    j["dnsmos_ovrl"] = s.ovrl;
  }
  return j;
}

nlohmann::json optional_db(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }

nlohmann::json row_json(const std::string& label, const Row& row) {
  nlohmann::json j = {{"snr_group", label}, {"n", row.n}};  // "-5" .. "20", "0..10" or "all"
  if (row.n == 0) return j;
  j["noisy"] = scores_json(row.mean(row.noisy));
  j["enhanced"] = scores_json(row.mean(row.enhanced));
  const OnsetMeans o = row.onset();
  j["onset_clips"] = o.clips;
  if (o.clips > 0) {
    j["onset_kept_db"] = o.onset_kept_db;
    j["steady_kept_db"] = o.steady_kept_db;
    j["onset_loss_db"] = o.loss_db();
  }
  return j;
}

nlohmann::json clip_json(const ClipResult& r) {
  return {{"id", r.clip.id}, {"snr_db", r.clip.snr_db}, {"noise", r.clip.noise},
          {"noisy", scores_json(r.noisy)}, {"enhanced", scores_json(r.enhanced)},
          {"onsets", r.onset.onsets}, {"onset_kept_db", optional_db(r.onset.onset_kept_db)},
          {"steady_kept_db", optional_db(r.onset.steady_kept_db)}};
}

}  // namespace

int run_quality(const QualityOptions& o) {
  auto clips = load_dev_set(o.devset_dir);
  if (o.limit_per_snr > 0) {
    std::map<double, int> taken;
    std::erase_if(clips, [&](const DevClip& c) { return ++taken[c.snr_db] > o.limit_per_snr; });
  }
  const bool external = !o.enhanced_dir.empty();
  if (external && (o.rate_hz != kScoreRateHz || !o.model_path.empty())) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "--enhanced scores files at 16 kHz; --rate and --model do not apply");
  }
  const int engine = enhance::engine_from_name(o.engine);
  // Label and folder by the engine that runs, so `default` and `neural` share results; a model
  // file other than the built-in one gets its own folder.
  const std::string engine_label = external ? "external" : enhance::engine_name(engine);
  const enhance::ModelPtr model = external ? nullptr : enhance::load_model_for_engine(engine, o.model_path);
  // denoise_buffer runs at processing_rate_for(the input's rate): the benchmark must measure
  // the denoiser at rate_hz itself, not at a rate it would be resampled to.
  if (enhance::processing_rate_for(o.rate_hz) != o.rate_hz) {
    throw Error(HUSH_ERR_UNSUPPORTED_RATE, "the denoiser does not run at " + std::to_string(o.rate_hz) + " Hz");
  }
  // Below 16 kHz the clean reference and the noisy input lose the same band as the enhanced
  // output, so noisy → enhanced compares like with like instead of charging the lost band to
  // the denoiser. Above 16 kHz the round trip keeps 0..8 kHz but for soxr's roll-off above
  // ~7.3 kHz, which costs clips with energy there up to ~0.6 dB SI-SDR (STOI: nothing).
  const bool band_limited = o.rate_hz < kScoreRateHz;
  std::string run_name = engine_label;
  // append() rather than `"-" + ...`: GCC 12 at -O3 reports a false -Wrestrict on the latter.
  if (model) run_name.append("-").append(fs::path(o.model_path).stem().string());
  if (o.rate_hz != kScoreRateHz) run_name.append("-").append(rate_label(o.rate_hz));
  const fs::path out_dir = external ? fs::path(o.enhanced_dir) : fs::path(o.devset_dir) / ("enhanced-" + run_name);
  const fs::path noisy_dir = fs::path(o.devset_dir) / ("noisy-" + rate_label(o.rate_hz));  // band-limited
  if (!external) fs::create_directories(out_dir);
  if (band_limited) fs::create_directories(noisy_dir);

  std::vector<ClipResult> results(clips.size());
  std::atomic<std::size_t> next{0};
  std::mutex error_mutex;
  std::string first_error;
  auto worker = [&] {
    for (std::size_t i; (i = next++) < clips.size();) {
      try {
        // Dev set clips are 16 kHz mono.
        auto clean = audio::read_audio((fs::path(o.devset_dir) / clips[i].clean).string());
        auto noisy = audio::read_audio((fs::path(o.devset_dir) / clips[i].noisy).string());
        const std::size_t frames = clean.samples.size();
        audio::AudioBuffer enhanced;
        if (external) {
          enhanced = audio::read_audio((out_dir / (clips[i].id + ".wav")).string());
          if (enhanced.sample_rate_hz != kScoreRateHz || enhanced.channels != 1) {
            throw Error(HUSH_ERR_UNSUPPORTED_RATE, "not 16 kHz mono");
          }
          enhanced.samples.resize(frames, 0.0f);
        } else {
          const audio::AudioBuffer noisy_at_rate{
              o.rate_hz, 1, audio::resample(noisy.samples, 1, kScoreRateHz, o.rate_hz)};
          enhance::OfflineOptions opt;
          opt.engine = engine;
          opt.strength_db = o.strength_db;
          opt.model = model.get();
          const auto enhanced_at_rate = enhance::denoise_buffer(noisy_at_rate, opt);
          enhanced = {kScoreRateHz, 1, to_rate(enhanced_at_rate.samples, o.rate_hz, kScoreRateHz, frames)};
          if (band_limited) {
            const auto clean_at_rate = audio::resample(clean.samples, 1, kScoreRateHz, o.rate_hz);
            clean.samples = to_rate(clean_at_rate, o.rate_hz, kScoreRateHz, frames);
            noisy.samples = to_rate(noisy_at_rate.samples, o.rate_hz, kScoreRateHz, frames);
            audio::write_audio((noisy_dir / (clips[i].id + ".wav")).string(), noisy, audio::WavSampleFormat::float32);
          }
          // Written at 16 kHz, as scored: DNSMOS reads these files.
          audio::write_audio((out_dir / (clips[i].id + ".wav")).string(), enhanced, audio::WavSampleFormat::float32);
        }
        results[i] = {clips[i], intrusive(clean.samples, noisy.samples), intrusive(clean.samples, enhanced.samples),
                      metrics::onset_energy_kept(clean.samples, enhanced.samples, clean.sample_rate_hz)};
      } catch (const std::exception& e) {
        std::lock_guard lock(error_mutex);
        if (first_error.empty()) first_error = clips[i].id + ": " + e.what();
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < std::max(1, o.threads); ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  if (!first_error.empty()) throw Error(HUSH_ERR_INTERNAL, first_error);

  std::vector<std::string> noisy_files, enhanced_files;
  for (const auto& c : clips) {
    noisy_files.push_back(band_limited ? (noisy_dir / (c.id + ".wav")).string()
                                       : (fs::path(o.devset_dir) / c.noisy).string());
    enhanced_files.push_back((out_dir / (c.id + ".wav")).string());
  }
  // The noisy side of a dev set never changes, so its scores are cached next to it; the
  // enhanced side is scored concurrently with the noisy side when there is no cache yet.
  // Band-limited noisy clips score differently, so each such rate has its own cache.
  std::map<std::string, std::array<double, 3>> mos_noisy, mos_enhanced;
  const fs::path cache = fs::path(o.devset_dir) /
                         (band_limited ? "dnsmos-noisy-" + rate_label(o.rate_hz) + ".json" : "dnsmos-noisy.json");
  if (!o.dnsmos_script.empty()) {
    mos_noisy = read_mos_cache(cache);
    std::vector<std::string> uncached;
    for (std::size_t i = 0; i < clips.size(); ++i) {
      if (!mos_noisy.count(clips[i].id)) uncached.push_back(noisy_files[i]);
    }
    std::thread noisy_side([&] {
      for (auto& [k, v] : dnsmos(o, uncached)) mos_noisy[k] = v;
    });
    mos_enhanced = dnsmos(o, enhanced_files);
    noisy_side.join();
    write_mos_cache(cache, mos_noisy);
  }
  for (auto& r : results) {
    auto a = mos_noisy.find(r.clip.id), b = mos_enhanced.find(r.clip.id);
    if (a != mos_noisy.end() && b != mos_enhanced.end()) {
      r.noisy.sig = a->second[0]; r.noisy.bak = a->second[1]; r.noisy.ovrl = a->second[2];
      r.enhanced.sig = b->second[0]; r.enhanced.bak = b->second[1]; r.enhanced.ovrl = b->second[2];
      r.noisy.has_dnsmos = r.enhanced.has_dnsmos = true;
    }
  }

  std::map<double, Row> by_snr;
  Row low, all;
  for (const auto& r : results) {
    by_snr[r.clip.snr_db].add(r);
    all.add(r);
    if (r.clip.snr_db >= 0 && r.clip.snr_db <= 10) low.add(r);
  }
  const bool mos = !results.empty() && results[0].noisy.has_dnsmos;
  std::ostringstream table;
  const std::string model_label = o.model_path.empty() ? "built-in" : o.model_path;
  if (external) table << "files from `" << o.enhanced_dir << "`";
  else table << "engine `" << engine_label << "`" << (engine_label == "neural" ? ", model `" + model_label + "`" : "")
             << ", strength " << o.strength_db << " dB";
  table << ", at " << o.rate_hz << " Hz"
        << (band_limited ? " (clean and noisy band-limited alike)" : "") << ", scored at 16 kHz, dev set `"
        << o.devset_dir << "` (noisy → enhanced; onset "
        << "columns: enhanced energy kept in the first 50 ms of words and in the rest, loss = steady − onset)\n\n";
  table << "| SNR (dB) | n | STOI | ESTOI | SI-SDR (dB) | onset kept (dB) | steady kept (dB) | onset loss (dB) |"
        << (mos ? " DNSMOS SIG | DNSMOS BAK | DNSMOS OVRL |" : "") << "\n|---|---|---|---|---|---|---|---|"
        << (mos ? "---|---|---|" : "") << "\n";
  for (const auto& [snr, row] : by_snr) table << format_row(std::to_string(int(snr)), row) << "\n";
  table << format_row("0..10", low) << "\n" << format_row("all", all) << "\n";
  std::printf("%s", table.str().c_str());
  if (!o.markdown_path.empty()) std::ofstream(o.markdown_path) << table.str();
  if (!o.json_path.empty()) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& [snr, row] : by_snr) rows.push_back(row_json(std::to_string(int(snr)), row));
    rows.push_back(row_json("0..10", low));
    rows.push_back(row_json("all", all));
    nlohmann::json per_clip = nlohmann::json::array();
    for (const auto& r : results) per_clip.push_back(clip_json(r));
    const nlohmann::json j = {{"engine", engine_label}, {"model", external ? o.enhanced_dir : model_label},
                              {"strength_db", o.strength_db},
                              {"rate_hz", o.rate_hz}, {"band_limited", band_limited},
                              {"devset", o.devset_dir}, {"commit", hush_build_commit()}, {"rows", rows},
                              {"clips", per_clip}};
    std::ofstream(o.json_path) << j.dump(1) << "\n";
  }

  if (!o.gate || low.n == 0) return 0;
  const Scores a = low.mean(low.noisy), b = low.mean(low.enhanced);
  bool ok = true;
  auto check = [&](bool pass, const char* what) {
    std::printf("gate: %-44s %s\n", what, pass ? "pass" : "FAIL");
    ok = ok && pass;
  };
  char what[128];
  std::snprintf(what, sizeof what, "SI-SDR gain %+.2f dB >= %+.2f dB", b.si_sdr - a.si_sdr, o.gate_si_sdr_gain_db);
  check(b.si_sdr - a.si_sdr >= o.gate_si_sdr_gain_db, what);
  std::snprintf(what, sizeof what, "STOI change %+.3f >= %+.3f", b.stoi - a.stoi, o.gate_stoi_delta);
  check(b.stoi - a.stoi >= o.gate_stoi_delta, what);
  if (mos) {
    std::snprintf(what, sizeof what, "DNSMOS OVRL change %+.2f > %+.2f", b.ovrl - a.ovrl, o.gate_ovrl_delta);
    check(b.ovrl - a.ovrl > o.gate_ovrl_delta, what);
  }
  return ok ? 0 : 5;
}

}  // namespace hush::bench
