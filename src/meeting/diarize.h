// Speaker diarization: "who spoke when" in one mono channel, without knowing the speakers.
//
// Pipeline: energy speech detection -> ~1.5 s windows sliding by 0.75 s over speech -> MFCC
// statistics -> trained linear discriminant projection (models/speaker-lda-v1.hnn), centred on
// the recording -> average-linkage clustering (by a similarity threshold, or to N speakers) ->
// centroid refinement -> turns. `hush-bench diarize` measures it (DER) on AMI meeting clips.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "meeting/transcript.h"

namespace hush::meeting {

struct DiarizeOptions {
  int num_speakers = 0;  // 0 = decide automatically
  int max_speakers = 8;  // upper bound for the automatic decision
};

struct SpeakerTurn {
  double start_s = 0;
  double end_s = 0;
  int speaker = 0;  // 0, 1, ... in order of first appearance
};

// 16 kHz mono samples -> speaker turns in time order, not overlapping. Silence (or audio too
// short to hold speech) gives no turns. Throws hush::Error(HUSH_ERR_INVALID_ARGUMENT) for
// num_speakers < 0 or max_speakers < 1. Thread-safe; not real-time (works on whole recordings).
std::vector<SpeakerTurn> diarize(std::span<const float> mono_16k, const DiarizeOptions& options);

// Gives each word (and segment) of `channel` the speaker of the turn it overlaps most (a word in
// a gap between turns takes the nearest turn); speakers are added to transcript.speakers with
// ids after the existing ones and labels label_prefix + "1", + "2", ... (in order of the turns'
// speaker numbers, only those that get a word or segment); segments whose words change speaker
// are split at the change, keeping word order. Other channels are left as they are; no turns
// leaves the transcript unchanged.
void assign_speakers(Transcript& transcript, const std::vector<SpeakerTurn>& turns, int channel,
                     const std::string& label_prefix);

// A speaker profile for enrolment: the embedding of all speech in `mono_16k` (unit length, or
// all zeros when it holds no speech), and the cosine similarity of two such embeddings (-1..1;
// 0 when either is zero; throws HUSH_ERR_INVALID_ARGUMENT when their sizes differ).
std::vector<float> speaker_embedding(std::span<const float> mono_16k);
float speaker_similarity(std::span<const float> a, std::span<const float> b);

}  // namespace hush::meeting
