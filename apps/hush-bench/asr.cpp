#include "apps/hush-bench/asr.h"

#include <algorithm>
#include <atomic>
#include <cmath>
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
#include "asr/transcribe.h"
#include "audio/audio_file.h"
#include "metrics/wer.h"
#include "util/cpu_time.h"
#include "apps/hush-bench/results_files.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace hush::bench {
namespace {

struct Utterance {
  std::string id, path, reference;
};

struct Condition {
  std::string name;   // "clean", "noisy 5 dB", "neural 5 dB"
  double snr_db = 0;  // NaN: clean
  int engine = -1;    // -1: no denoiser; else a hush_engine
};

struct Result {
  metrics::WordErrors errors;
  double cpu_s = 0, audio_s = 0;
};

// Utterances of the held-out speakers with their transcripts, sorted by id.
std::vector<Utterance> load_utterances(const std::string& data_dir) {
  const fs::path root = fs::path(data_dir) / "speech" / "librispeech-mini";
  if (!fs::is_directory(root)) throw Error(HUSH_ERR_IO, root.string() + ": not found (set HUSH_DATA or --data)");
  std::vector<Utterance> out;
  for (const std::string& speaker : kDevSpeakers) {
    for (const auto& entry : fs::recursive_directory_iterator(root / speaker)) {
      if (entry.path().extension() != ".txt") continue;
      std::ifstream in(entry.path());
      std::string line;
      while (std::getline(in, line)) {
        const std::size_t space = line.find(' ');
        if (space == std::string::npos) continue;
        Utterance u{line.substr(0, space), (entry.path().parent_path() / (line.substr(0, space) + ".flac")).string(),
                    line.substr(space + 1)};
        if (fs::exists(u.path)) out.push_back(std::move(u));
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const Utterance& a, const Utterance& b) { return a.id < b.id; });
  if (out.empty()) throw Error(HUSH_ERR_IO, root.string() + ": no dev-speaker utterances with transcripts");
  return out;
}

// The held-out tail of each noise file, at 16 kHz mono, sorted by file name.
std::vector<std::vector<float>> load_noises(const std::string& data_dir) {
  const fs::path dir = fs::path(data_dir) / "noise";
  std::vector<fs::path> files;
  if (fs::is_directory(dir))
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().extension() == ".flac") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  if (files.empty()) throw Error(HUSH_ERR_IO, dir.string() + ": no noise files");
  std::vector<std::vector<float>> out;
  for (const auto& f : files) {
    const audio::AudioBuffer a = audio::read_audio(f.string());
    if (a.sample_rate_hz != 16000) throw Error(HUSH_ERR_FORMAT, f.string() + ": expected 16 kHz");
    std::vector<float> x = a.channel(0);
    const auto start = static_cast<std::ptrdiff_t>(double(x.size()) * kDevNoiseStartFraction);
    out.emplace_back(x.begin() + start, x.end());
  }
  return out;
}

// Clean speech plus noise number (index % count), starting at a fixed offset into it (looped),
// scaled to `snr_db` over the whole utterance.
std::vector<float> mix(const std::vector<float>& clean, const std::vector<std::vector<float>>& noises, std::size_t index,
                       double snr_db) {
  const std::vector<float>& noise = noises[index % noises.size()];
  const std::size_t offset = (index * 7919u * 16u) % noise.size();
  std::vector<float> n(clean.size());
  double ps = 0, pn = 0;
  for (std::size_t i = 0; i < clean.size(); ++i) {
    n[i] = noise[(offset + i) % noise.size()];
    ps += double(clean[i]) * clean[i];
    pn += double(n[i]) * n[i];
  }
  const double gain = pn > 0 ? std::sqrt(ps / (pn * std::pow(10.0, snr_db / 10.0))) : 0.0;
  std::vector<float> y(clean.size());
  float peak = 0.0f;
  for (std::size_t i = 0; i < clean.size(); ++i) {
    y[i] = clean[i] + static_cast<float>(gain * n[i]);
    peak = std::max(peak, std::abs(y[i]));
  }
  if (peak > 0.99f)  // keep it a valid [-1, 1] signal, as a recording would be
    for (auto& v : y) v *= 0.99f / peak;
  return y;
}

std::string hypothesis_of(const meeting::Transcript& t) {
  std::string s;
  for (const auto& seg : t.segments) s += (s.empty() ? "" : " ") + seg.text;
  return s;
}

std::string fmt(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

}  // namespace

int run_asr_bench(const AsrBenchOptions& o) {
  std::vector<Utterance> all = load_utterances(o.data_dir);
  std::vector<Utterance> utts;
  if (o.limit > 0 && std::size_t(o.limit) < all.size()) {
    for (int i = 0; i < o.limit; ++i) utts.push_back(all[std::size_t(i) * all.size() / std::size_t(o.limit)]);
  } else {
    utts = all;
  }
  const auto noises = load_noises(o.data_dir);

  std::vector<Condition> conditions = {{"clean", std::nan(""), -1}};
  for (double snr : o.snrs_db) {
    conditions.push_back({"noisy " + fmt("%g", snr) + " dB", snr, -1});
    conditions.push_back({"neural " + fmt("%g", snr) + " dB", snr, HUSH_ENGINE_NEURAL});
    if (o.spectral) conditions.push_back({"spectral " + fmt("%g", snr) + " dB", snr, HUSH_ENGINE_SPECTRAL});
  }

  std::vector<Result> results(conditions.size());
  nlohmann::json per_utt = nlohmann::json::array();
  std::mutex mutex;
  std::atomic<std::size_t> next{0};
  std::atomic<int> done{0};
  const std::size_t jobs = utts.size();  // one job = one utterance in every condition
  auto worker = [&] {
    for (std::size_t u; (u = next++) < jobs;) {
      const audio::AudioBuffer clean_buf = audio::read_audio(utts[u].path);
      const std::vector<float> clean = clean_buf.channel(0);
      for (std::size_t c = 0; c < conditions.size(); ++c) {
        const Condition& cond = conditions[c];
        audio::AudioBuffer input{16000, 1, std::isnan(cond.snr_db) ? clean : mix(clean, noises, u, cond.snr_db)};
        asr::TranscribeOptions t;
        t.denoise.enabled = cond.engine >= 0;
        t.denoise.engine = std::max(cond.engine, 0);
        t.denoise.strength_db = o.strength_db;
        t.streamed_finals = o.streamed_finals;
        const double t0 = util::thread_cpu_seconds();
        const meeting::Transcript tr = asr::transcribe(input, t);
        const double cpu = util::thread_cpu_seconds() - t0;
        const std::string hyp = hypothesis_of(tr);
        const metrics::WordErrors e = metrics::word_errors(utts[u].reference, hyp);
        std::lock_guard lock(mutex);
        results[c].errors += e;
        results[c].cpu_s += cpu;
        results[c].audio_s += input.duration_s();
        per_utt.push_back({{"utterance", utts[u].id}, {"condition", cond.name}, {"wer", e.rate()}, {"hypothesis", hyp}});
      }
      const int n = ++done;
      std::fprintf(stderr, "\rhush-bench asr: %d/%zu utterances", n, jobs);
    }
  };
  std::vector<std::thread> pool;
  for (int i = 0; i < std::max(1, o.threads); ++i) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  std::fprintf(stderr, "\n");

  double total_audio = 0;
  for (const auto& u : utts) total_audio += audio::probe_audio(u.path).frames / 16000.0;
  std::ostringstream md;
  md << "# hush-bench asr: PocketSphinx word error rate\n\n"
     << utts.size() << " LibriSpeech utterances (" << fmt("%.1f", total_audio / 60.0)
     << " min; all of the held-out dev speakers " << (o.limit > 0 ? "(--limit) " : "")
     << "6272, 7367, 7859, 8629), noise from the held-out last 30% of the 18 noise files, one file per utterance "
        "(round robin), SNR over the whole utterance. Transcription is `hush transcribe`'s path: VAD segmentation, "
        "PocketSphinx en-us per utterance; `neural`/`spectral` rows put the Hush denoiser in front (strength "
     << fmt("%g", o.strength_db) << " dB). RTF = CPU seconds per audio second (one thread, includes the denoiser). "
     << "Commit " << hush_build_commit() << ".\n\n"
     << "| condition | WER | subst. | del. | ins. | change vs noisy | RTF |\n|---|---:|---:|---:|---:|---:|---:|\n";
  nlohmann::json rows = nlohmann::json::array();
  std::map<double, double> noisy_wer;
  for (std::size_t c = 0; c < conditions.size(); ++c) {
    const Condition& cond = conditions[c];
    const Result& r = results[c];
    const double wer = r.errors.rate();
    std::string change = "";
    if (!std::isnan(cond.snr_db)) {
      if (cond.engine < 0) {
        noisy_wer[cond.snr_db] = wer;
      } else if (noisy_wer.count(cond.snr_db) && noisy_wer[cond.snr_db] > 0) {
        const double n = noisy_wer[cond.snr_db];
        change = fmt("%+.1f", 100.0 * (wer - n)) + " pts (" + fmt("%+.0f", 100.0 * (wer - n) / n) + "%)";
      }
    }
    const double rtf = r.audio_s > 0 ? r.cpu_s / r.audio_s : 0.0;
    md << "| " << cond.name << " | " << fmt("%.1f%%", 100.0 * wer) << " | " << r.errors.substitutions << " | "
       << r.errors.deletions << " | " << r.errors.insertions << " | " << change << " | " << fmt("%.3f", rtf) << " |\n";
    rows.push_back({{"condition", cond.name},
                    {"snr_db", std::isnan(cond.snr_db) ? nlohmann::json(nullptr) : nlohmann::json(cond.snr_db)},
                    {"front_end", cond.engine < 0 ? "none" : cond.engine == HUSH_ENGINE_NEURAL ? "neural" : "spectral"},
                    {"wer", wer},
                    {"substitutions", r.errors.substitutions},
                    {"deletions", r.errors.deletions},
                    {"insertions", r.errors.insertions},
                    {"reference_words", r.errors.reference_words},
                    {"rtf", rtf}});
  }
  std::printf("%s", md.str().c_str());
  std::printf("commit %s\n", hush_build_commit());
  const nlohmann::json json = {{"commit", hush_build_commit()}, {"utterances", utts.size()}, {"audio_s", total_audio},
                               {"strength_db", o.strength_db}, {"rows", rows}, {"per_utterance", per_utt}};
  write_results(o.markdown_path, md.str(), o.json_path, json.dump(2) + "\n");
  return 0;
}

}  // namespace hush::bench
