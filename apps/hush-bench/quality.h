// hush-bench quality: noisy vs enhanced on the dev set, by SNR.
#pragma once

#include <string>
#include <vector>

namespace hush::bench {

// The rates the denoiser runs at natively (hush.h); `quality --rate` accepts only these.
inline const std::vector<int> kQualityRatesHz = {8000, 16000, 32000, 44100, 48000};

struct QualityOptions {
  std::string devset_dir;
  std::string engine = "neural";  // default | neural | spectral
  std::string model_path;         // neural model file; empty: the built-in model
  // Score another denoiser's output instead of running a Hush engine: DIR/<clip id>.wav, 16 kHz
  // mono, aligned with the clean clip (e.g. bench/rnnoise.mjs). Empty: run `engine`.
  std::string enhanced_dir;
  float strength_db = 25.0f;
  int rate_hz = 16000;        // the denoiser runs at this rate; scores are always taken at 16 kHz
  std::string markdown_path;  // also write the table here
  std::string json_path;      // also write every row and clip as JSON here
  std::string node = "node";
  std::string dnsmos_script;  // empty: skip DNSMOS
  int limit_per_snr = 0;      // 0: all clips
  int threads = 2;
  bool gate = false;          // exit 5 when a target below is missed at 0..10 dB SNR
  double gate_si_sdr_gain_db = 4.0;  // enhanced SI-SDR minus noisy (issue target: +4 dB)
  double gate_stoi_delta = 0.0;      // enhanced STOI minus noisy must be at least this
  double gate_ovrl_delta = 0.0;      // enhanced DNSMOS OVRL minus noisy must exceed this
};

int run_quality(const QualityOptions& options);

}  // namespace hush::bench
