// `hush-bench diarize`: diarization error rate of Hush on the meeting clips in HUSH_DATA
// (AMI clips by their train/development/test lists, the four-speaker mixture, the AMI excerpt)
// against the one-speaker baseline, with the real-time factor. `--tune` searches the knobs of
// meeting::DiarizeTuning on the train and development clips only.
#pragma once

#include <string>

namespace hush::bench {

struct DiarizeBenchOptions {
  std::string data_dir;  // ../shared/data
  std::string markdown_path = "bench/results/diarization.md";
  std::string json_path = "bench/results/diarization.json";
  bool tune = false;
};

// Returns the process exit code.
int run_diarize_bench(const DiarizeBenchOptions& options);

}  // namespace hush::bench
