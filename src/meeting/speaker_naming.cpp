// name_speakers(): declared in speaker_naming.h.
#include "meeting/speaker_naming.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <utility>

#include "meeting/diarize.h"
#include "meeting/speaker_features.h"
#include "meeting/speaker_model.h"
#include "meeting/speech_activity.h"
#include "util/error.h"

namespace hush::meeting {
namespace {

// Words closer than this are one stretch of speech: fewer joins in the concatenated audio, and
// the speech detector inside speaker_embedding() drops the short pauses anyway.
constexpr double kMergeGapS = 0.5;

struct Span {
  double start_s, end_s;
};

std::vector<Span> speaker_spans(const Transcript& t, int channel, int speaker) {
  std::vector<Span> spans;
  for (const Segment& s : t.segments) {
    if (s.channel != channel) continue;
    if (s.words.empty()) {
      if (s.speaker == speaker) spans.push_back({s.start_s, s.end_s});
      continue;
    }
    for (const Word& w : s.words)
      if (w.speaker == speaker) spans.push_back({w.start_s, w.end_s});
  }
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.start_s < b.start_s; });
  std::vector<Span> merged;
  for (const Span& s : spans) {
    if (!merged.empty() && s.start_s <= merged.back().end_s + kMergeGapS)
      merged.back().end_s = std::max(merged.back().end_s, s.end_s);
    else
      merged.push_back(s);
  }
  return merged;
}

std::size_t sample_at(double t_s, std::size_t size) {
  if (!(t_s > 0.0)) return 0;
  return std::min(size, static_cast<std::size_t>(std::llround(t_s * kSpeakerRateHz)));
}

}  // namespace

double speech_seconds(std::span<const float> mono_16k) {
  const FrameFeatures f = compute_frame_features(mono_16k);
  const auto speech = detect_speech(f);
  return double(std::count_if(speech.begin(), speech.end(), [](std::uint8_t v) { return v != 0; })) * kFrameHopS;
}

std::vector<float> speaker_speech(const Transcript& transcript, std::span<const float> mono_16k, int channel,
                                  int speaker) {
  std::vector<float> out;
  for (const Span& s : speaker_spans(transcript, channel, speaker)) {
    const std::size_t a = sample_at(s.start_s, mono_16k.size()), b = sample_at(s.end_s, mono_16k.size());
    if (b > a) out.insert(out.end(), mono_16k.begin() + static_cast<std::ptrdiff_t>(a),
                          mono_16k.begin() + static_cast<std::ptrdiff_t>(b));
  }
  return out;
}

std::vector<SpeakerNaming> name_speakers(Transcript& transcript, std::span<const float> mono_16k, int channel,
                                         std::span<const NamedEmbedding> profiles,
                                         const SpeakerNamingOptions& options) {
  if (!(options.threshold > -1.0f && options.threshold <= 1.0f))
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "speaker naming: the similarity threshold must be in (-1, 1]");
  const auto dims = static_cast<std::size_t>(SpeakerModel::builtin().embedding_dims());
  for (const NamedEmbedding& p : profiles) {
    if (p.name.empty()) throw Error(HUSH_ERR_INVALID_ARGUMENT, "speaker naming: a profile has no name");
    if (p.embedding.size() != dims)
      throw Error(HUSH_ERR_INVALID_ARGUMENT, "speaker profile '" + p.name + "' has " +
                                                 std::to_string(p.embedding.size()) + " dimensions, the speaker model " +
                                                 std::to_string(dims) + " (enrol again)");
  }
  if (profiles.empty()) return {};

  // Speakers that own words (or wordless segments) on the channel.
  std::vector<int> candidates;
  for (const Segment& s : transcript.segments) {
    if (s.channel != channel) continue;
    if (s.words.empty() && s.speaker != kNoSpeaker) candidates.push_back(s.speaker);
    for (const Word& w : s.words)
      if (w.speaker != kNoSpeaker) candidates.push_back(w.speaker);
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

  // similarity[speaker][profile], only for speakers with enough speech.
  std::map<int, std::vector<float>> similarity;
  const auto min_samples = static_cast<std::size_t>(options.min_speech_s * kSpeakerRateHz);
  for (const int speaker : candidates) {
    const std::vector<float> speech = speaker_speech(transcript, mono_16k, channel, speaker);
    if (speech.size() < min_samples) continue;
    const std::vector<float> e = speaker_embedding(speech);
    std::vector<float>& row = similarity[speaker];
    for (const NamedEmbedding& p : profiles) row.push_back(speaker_similarity(e, p.embedding));
  }

  std::vector<SpeakerNaming> namings;
  for (const auto& [speaker, row] : similarity) {
    const auto best = static_cast<std::size_t>(std::max_element(row.begin(), row.end()) - row.begin());
    if (row[best] < options.threshold) continue;
    bool closest = true;  // mutual best match: no other speaker is nearer to this profile
    for (const auto& [other, other_row] : similarity)
      if (other != speaker && (other_row[best] > row[best] || (other_row[best] == row[best] && other < speaker)))
        closest = false;
    if (closest) namings.push_back({speaker, "", profiles[best].name, row[best]});
  }
  std::sort(namings.begin(), namings.end(),
            [](const SpeakerNaming& a, const SpeakerNaming& b) { return a.similarity > b.similarity; });
  for (SpeakerNaming& n : namings) {
    for (Speaker& s : transcript.speakers) {
      if (s.id != n.speaker) continue;
      n.old_label = s.label;
      s.label = n.name;
    }
  }
  return namings;
}

}  // namespace hush::meeting
