// The trained speaker projection (models/speaker-lda-v1.hnn, made by train/speaker_lda.py):
// window statistics -> standardize -> linear discriminant projection -> unit length. Cosine
// similarity of two embeddings then says how likely the two windows share a speaker.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace hush::meeting {

class SpeakerModel {
 public:
  // The model compiled into Hush (parsed and checked once, on first use; thread-safe).
  static const SpeakerModel& builtin();
  // Parses a .hnn speaker model from `bytes` (any alignment; they are copied). Throws
  // hush::Error(HUSH_ERR_FORMAT) naming the problem for anything malformed: bad container,
  // wrong architecture or feature version, missing or mis-shaped tensors, non-finite values.
  static SpeakerModel from_bytes(std::span<const std::uint8_t> bytes);

  int embedding_dims() const { return dims_; }
  // stats: kStatsDims values -> out: embedding_dims() values of unit length (zero stats give
  // the projection of the model's mean, normalized; an all-zero projection stays zero).
  void embed(std::span<const float> stats, std::span<float> out) const;
  // The projection before length normalization (for centring on a recording first).
  void project(std::span<const float> stats, std::span<float> out) const;

 private:
  SpeakerModel() = default;
  int dims_ = 0;
  std::vector<float> mean_, scale_, projection_;  // projection_: kStatsDims x dims_, row-major
};

}  // namespace hush::meeting
