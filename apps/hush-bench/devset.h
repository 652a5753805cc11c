// The deterministic dev set: held-out LibriSpeech speakers mixed with held-out stretches of
// the recorded noise and with synthesized babble, at -5..20 dB SNR. Same seed, same files.
#pragma once

#include <random>
#include <string>
#include <vector>

namespace hush::bench {

// Speakers that training must never see (train/ excludes them too).
inline const std::vector<std::string> kDevSpeakers = {"6272", "7367", "7859", "8629"};
// Recorded noise: dev clips come from the last 30% of each file; training uses the first 70%.
inline constexpr double kDevNoiseStartFraction = 0.7;
// Babble talkers: the last kDevBabbleTalkers files of librispeech-speakers (sorted by name).
inline constexpr int kDevBabbleTalkers = 40;
inline const std::vector<double> kDevSnrsDb = {-5, 0, 5, 10, 15, 20};

struct DevClip {
  std::string id;        // "snr+05_012"
  std::string clean;     // path relative to the dev set folder
  std::string noisy;
  double snr_db = 0;
  std::string noise;     // noise file stem or "babble3"
  std::string utterance;
};

struct DevSetOptions {
  std::string data_dir;  // ../shared/data
  std::string out_dir;
  int clips_per_snr = 16;
  double max_clip_seconds = 8.0;
  unsigned seed = 2026;
};

// Builds the set (WAV 16 kHz mono) and writes manifest.json. Throws hush::Error on bad data.
std::vector<DevClip> build_dev_set(const DevSetOptions& options);
// Pieces that the independent set (independent_set.h) builds its clips with too.
// Every `ext` file under `dir`, sorted by path; throws when `dir` is missing.
std::vector<std::string> sorted_files(const std::string& dir, const std::string& ext);
// A 16 kHz mono source file's samples; throws HUSH_ERR_FORMAT for any other rate or layout.
std::vector<float> mono16k(const std::string& path);
// `count` talkers at once, each normalised, looped to `samples`, at unit RMS.
std::vector<float> babble(const std::vector<std::string>& talkers, int count, std::size_t samples,
                          std::mt19937& rng);
// "snr+05_012"
std::string dev_clip_id(double snr_db, int index);
// Mixes `noise` into `clean` at `snr_db` (both scaled down together if the mixture would clip)
// and writes OUT/clean/ID.wav and OUT/noisy/ID.wav (float WAV).
DevClip write_dev_clip(const std::string& out_dir, const std::string& id, std::vector<float> clean,
                       const std::vector<float>& noise, double snr_db, const std::string& noise_name,
                       const std::string& utterance);
void write_dev_manifest(const std::string& out_dir, const std::vector<DevClip>& clips);
// Reads DIR/manifest.json.
std::vector<DevClip> load_dev_set(const std::string& dir);

}  // namespace hush::bench
