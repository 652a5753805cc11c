// hush-bench quality: noisy vs enhanced on the dev set, by SNR.
#pragma once

#include <string>

namespace hush::bench {

struct QualityOptions {
  std::string devset_dir;
  std::string engine = "spectral";
  float strength_db = 25.0f;
  std::string markdown_path;  // also write the table here
  std::string node = "node";
  std::string dnsmos_script;  // empty: skip DNSMOS
  int limit_per_snr = 0;      // 0: all clips
  int threads = 2;
  bool gate = false;          // exit non-zero when the spectral engine's targets are missed
};

int run_quality(const QualityOptions& options);

}  // namespace hush::bench
