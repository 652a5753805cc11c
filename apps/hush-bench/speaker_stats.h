// `hush-bench speaker-stats`: the window statistics of every LibriSpeech utterance in HUSH_DATA
// (clean and with simulated room/channel/noise), for train/speaker_lda.py to fit the speaker
// projection on exactly the features the C++ diarizer computes.
#pragma once

#include <string>

namespace hush::bench {

struct SpeakerStatsOptions {
  std::string data_dir;  // ../shared/data
  std::string out_prefix = "build/speaker-stats";  // writes PREFIX.f32 and PREFIX.tsv
  int augmented_copies = 1;  // reverberant + coloured + noisy versions per utterance
  unsigned seed = 2026;
};

// PREFIX.f32: rows of meeting::kStatsDims little-endian float32; PREFIX.tsv: one line per row,
// "corpus<TAB>speaker<TAB>utterance<TAB>copy" (copy 0 = clean). Returns the row count.
long long write_speaker_stats(const SpeakerStatsOptions& options);

}  // namespace hush::bench
