// Naming diarized speakers after enrolled voice profiles (privacy P10: only people who enrolled
// with consent have a profile; store::MeetingLibrary keeps them).
//
// After diarization a transcript's speakers are anonymous ("S1", "S2", ...). For each of them
// on the diarized channel, name_speakers() embeds all of that speaker's speech (its words' time
// spans, concatenated) with meeting::speaker_embedding(), compares it with every profile by
// speaker_similarity(), and relabels the speaker with a profile's name when the two are each
// other's best match and the similarity reaches the threshold. The speakers' embeddings live
// only in memory for the call: nothing about people without a profile is kept.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "meeting/transcript.h"

namespace hush::meeting {

// Cosine similarity at or above which a diarized speaker is named after a profile. Measured by
// `hush-bench speaker-id` (bench/results/speaker-id.md) on the 18 speakers the speaker model never
// saw, enrolled from 6 s: at 0.65 impostor trials are accepted at most 0.35% of the time in every
// pool (0.00% for 3 s of test speech against the other held-out speakers, 0.06% against 231
// other voices), and in 306 two-person conversations no speaker without a profile was named
// among 17 enrolled (0.55 named 8.5% of them, 0.60 5.2%). The price: more enrolled people stay
// "S2" -- 27% of whole-utterance and 64% of 3 s cross-utterance trials of librispeech-mini
// speakers fall below it (same-session held-out conversations: 99% named correctly). Naming
// the wrong person is worse than not naming anyone.
inline constexpr float kSpeakerNamingThreshold = 0.65f;
// Less speech than this gives too noisy an embedding to name anyone (the benchmark's shortest
// test pieces are this long).
inline constexpr double kMinNamingSpeechS = 3.0;

// Enrolment wants at least this much speech (speaker_embedding's statistics settle with length;
// the benchmark enrols from 6 s of audio, about 5 s of speech).
inline constexpr double kMinEnrollSpeechS = 5.0;

// Seconds of speech in `mono_16k` by the diarizer's speech detector (what speaker_embedding uses).
double speech_seconds(std::span<const float> mono_16k);

struct NamedEmbedding {
  std::string name;
  std::vector<float> embedding;  // as stored by enrolment (meeting::speaker_embedding)
};

struct SpeakerNamingOptions {
  float threshold = kSpeakerNamingThreshold;
  double min_speech_s = kMinNamingSpeechS;
};

struct SpeakerNaming {
  int speaker = 0;         // Transcript::speakers id
  std::string old_label;   // "S2"
  std::string name;        // the profile's name
  float similarity = 0.0f;
};

// Relabels speakers of `channel` in `transcript` (mono_16k: that channel's audio at 16 kHz,
// time-aligned with the transcript). A speaker is named only when (a) it has at least
// min_speech_s of words, (b) its best profile reaches the threshold, and (c) no other speaker of
// the channel is more similar to that profile: one profile names at most one speaker, and a
// speaker whose best profile went to someone closer stays anonymous. Speakers of other channels
// ("me") keep their labels. No profiles: nothing is computed and nothing changes. Returns the
// namings made, most similar first. Throws HUSH_ERR_INVALID_ARGUMENT for a profile with an empty
// name or an embedding whose size differs from the speaker model's, or a threshold outside
// (-1, 1]. Thread-safe for distinct transcripts; not real-time.
std::vector<SpeakerNaming> name_speakers(Transcript& transcript, std::span<const float> mono_16k, int channel,
                                         std::span<const NamedEmbedding> profiles,
                                         const SpeakerNamingOptions& options = {});

// The audio of one speaker's words on `channel` (adjacent words merged), concatenated; a segment
// without words contributes its whole span. Exposed for the benchmark and tests.
std::vector<float> speaker_speech(const Transcript& transcript, std::span<const float> mono_16k, int channel,
                                  int speaker);

}  // namespace hush::meeting
