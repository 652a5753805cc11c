// hush-bench speed: real-time factor and per-frame latency of the streaming denoiser.
#pragma once

#include <string>

namespace hush::bench {

struct SpeedOptions {
  std::string engine = "neural";  // default | neural | spectral
  std::string model_path;         // neural model file; empty: the built-in model
  double seconds = 60.0;      // audio per rate
  std::string markdown_path;
};

int run_speed(const SpeedOptions& options);

}  // namespace hush::bench
