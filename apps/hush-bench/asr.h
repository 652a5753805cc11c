// hush-bench asr: word error rate of Hush's transcription on a fixed LibriSpeech subset, clean,
// with recorded noise at several SNRs, and noisy with the Hush denoiser as the front end;
// plus the real-time factor of transcription. Writes Markdown and JSON (bench/results/asr.*).
//
// The subset is every utterance of the denoiser's held-out dev speakers (devset.h
// kDevSpeakers: 94 utterances, ~11 minutes), and the noise comes from the held-out last 30% of
// each noise file, so the denoiser is scored on speech and noise it never trained on.
#pragma once

#include <string>
#include <vector>

namespace hush::bench {

struct AsrBenchOptions {
  std::string data_dir;                    // $HUSH_DATA
  std::string markdown_path = "bench/results/asr.md";
  std::string json_path = "bench/results/asr.json";
  std::vector<double> snrs_db = {0, 5, 10};
  float strength_db = 25.0f;               // denoiser front end's maximum attenuation
  bool spectral = false;                   // also score the spectral engine as front end
  int limit = 0;                           // 0: all utterances; N: N spread evenly over the set
  int threads = 2;
  bool streamed_finals = false;            // decode as hushd's live streams do (finals=fast)
};

// Returns the exit code (0). Throws hush::Error when the data is missing.
int run_asr_bench(const AsrBenchOptions& options);

}  // namespace hush::bench
