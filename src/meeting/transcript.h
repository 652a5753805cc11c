// What Hush knows about a meeting's speech: timed words grouped into segments, each with a
// speaker. Every stage of the meeting pipeline reads and writes this one shape:
//   asr (words, segments) -> diarize (speakers) -> notes -> store / export.
// Times are seconds from the start of the recording.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace hush::meeting {

inline constexpr int kNoSpeaker = -1;

struct Word {
  std::string text;
  double start_s = 0.0;
  double end_s = 0.0;
  float confidence = 1.0f;  // 0..1
  int speaker = kNoSpeaker;
};

struct Segment {
  double start_s = 0.0;
  double end_s = 0.0;
  std::string text;  // the words joined with spaces (kept so corrections can edit it)
  std::vector<Word> words;
  int speaker = kNoSpeaker;  // index into Transcript::speakers
  int channel = 0;           // 0 = microphone ("me") in two-channel recordings, 1 = system audio
  float confidence = 1.0f;   // mean word confidence
};

struct Speaker {
  int id = 0;
  std::string label;  // "me", "S1", "S2", ... or an enrolled profile's name
};

struct Transcript {
  std::string source;      // the audio file it came from (for display only)
  std::string asr_engine;  // e.g. "pocketsphinx en-us"
  std::string language = "en";
  double duration_s = 0.0;
  std::vector<Speaker> speakers;
  std::vector<Segment> segments;

  std::string text() const;  // all segments, one per line
  // The label of a segment's speaker, or "" when it has none.
  std::string speaker_label(int speaker) const;
};

// JSON shape (the `--format json` output and what `hush notes` reads):
// {"source","asr_engine","language","duration_s","speakers":[{"id","label"}],
//  "segments":[{"start_s","end_s","text","speaker","channel","confidence",
//               "words":[{"text","start_s","end_s","confidence","speaker"}]}]}
// Unknown fields are ignored; missing optional fields take the defaults above.
nlohmann::json to_json(const Transcript& transcript);
// Throws hush::Error(HUSH_ERR_FORMAT) naming the offending field on a wrong type, a negative or
// reversed time, or a speaker index that is not in `speakers`.
Transcript transcript_from_json(const nlohmann::json& json);

}  // namespace hush::meeting
