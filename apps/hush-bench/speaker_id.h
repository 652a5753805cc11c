// `hush-bench speaker-id`: how well an enrolled voice profile recognizes its speaker, which sets
// meeting::kSpeakerNamingThreshold (src/meeting/speaker_naming.h).
//
// Speakers the speaker model never saw are the held-out librispeech-speakers files listed in
// the model's manifest (train/speaker_lda.py), less any speaker that librispeech-mini also holds
// (the model trained on those). Each has one utterance: the first enroll_s seconds enrol, the
// rest is test speech (3 s pieces and the whole rest), so target trials are same-session. Two
// impostor pools: the other held-out speakers, and the 231 librispeech-speakers voices the model
// was trained on. A secondary row uses librispeech-mini's dev speakers (enrol from one utterance,
// test on their other utterances) — speakers the model did see, so it is optimistic. Finally
// two-speaker conversations of held-out speakers go through diarize() and name_speakers(), with
// and without the second speaker's own profile among the enrolled.
#pragma once

#include <string>

namespace hush::bench {

struct SpeakerIdBenchOptions {
  std::string data_dir;  // ../shared/data
  std::string manifest_path = "models/speaker-lda-v1.hnn.manifest.json";
  std::string markdown_path = "bench/results/speaker-id.md";
  std::string json_path = "bench/results/speaker-id.json";
  double enroll_s = 6.0;                // enrolment audio per speaker (hush speakers enroll wants >= 5 s of speech)
  double piece_s = 3.0;                 // the shortest speech name_speakers() uses
  double max_false_accept = 0.005;      // per-trial false accepts allowed at the recommended threshold
};

// Returns the process exit code.
int run_speaker_id_bench(const SpeakerIdBenchOptions& options);

}  // namespace hush::bench
