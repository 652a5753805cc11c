#include "meeting/speaker_model.h"

#include <cmath>
#include <cstring>
#include <memory>
#include <new>
#include <nlohmann/json.hpp>

#include "meeting/speaker_features.h"
#include "meeting/speaker_model_data.h"
#include "nn/model_file.h"
#include "util/error.h"

namespace hush::meeting {
namespace {

[[noreturn]] void fail(const std::string& what) { throw Error(HUSH_ERR_FORMAT, "speaker model: " + what); }

std::vector<float> tensor(const nn::ModelFile& m, const std::string& name, const std::vector<std::int64_t>& dims) {
  const auto it = m.tensors.find(name);
  if (it == m.tensors.end()) fail("tensor '" + name + "' is missing");
  if (it->second.dims != dims) fail("tensor '" + name + "' has the wrong shape");
  if (it->second.type != nn::TensorType::f32) fail("tensor '" + name + "' must be float32");
  std::vector<float> v(it->second.data, it->second.data + it->second.count);
  for (const float x : v)
    if (!std::isfinite(x)) fail("tensor '" + name + "' holds a non-finite value");
  return v;
}

struct AlignedFree {
  void operator()(std::uint8_t* p) const { ::operator delete[](p, std::align_val_t{nn::kTensorAlignment}); }
};

}  // namespace

SpeakerModel SpeakerModel::from_bytes(std::span<const std::uint8_t> bytes) {
  // parse_model_file uses tensors in place and so wants 64-byte aligned memory.
  std::unique_ptr<std::uint8_t[], AlignedFree> copy(
      new (std::align_val_t{nn::kTensorAlignment}) std::uint8_t[std::max<std::size_t>(bytes.size(), 1)]);
  if (!bytes.empty()) std::memcpy(copy.get(), bytes.data(), bytes.size());
  const nn::ModelFile m = nn::parse_model_file(copy.get(), bytes.size());
  const auto meta = nlohmann::json::parse(m.metadata_json, nullptr, false);
  if (meta.is_discarded() || !meta.is_object()) fail("metadata is not a JSON object");
  // Not meta.value(key, ""): for a member that is not a string it throws json's type_error, which
  // must not escape a parser (found by fuzz/fuzz_speaker_model).
  const auto text = [&meta](const char* key) {
    const auto it = meta.find(key);
    return it != meta.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (text("architecture") != "speaker-lda") fail("architecture is not 'speaker-lda'");
  if (text("features") != "mfcc20-mean-std-dstd-v1") fail("made for other features than this Hush computes");
  const auto stats_dims = meta.find("stats_dims");
  const auto dims = meta.find("embedding_dims");
  if (stats_dims == meta.end() || !stats_dims->is_number_integer() || stats_dims->get<long long>() != kStatsDims)
    fail("stats_dims must be " + std::to_string(kStatsDims));
  if (dims == meta.end() || !dims->is_number_integer() || dims->get<long long>() < 1 || dims->get<long long>() > 1024)
    fail("embedding_dims must be an integer in 1..1024");
  SpeakerModel model;
  model.dims_ = dims->get<int>();
  model.mean_ = tensor(m, "mean", {kStatsDims});
  model.scale_ = tensor(m, "scale", {kStatsDims});
  model.projection_ = tensor(m, "projection", {kStatsDims, model.dims_});
  for (const float s : model.scale_)
    if (!(s > 0.0f)) fail("tensor 'scale' must be positive");
  return model;
}

const SpeakerModel& SpeakerModel::builtin() {
  static const SpeakerModel model = from_bytes(builtin_speaker_model_bytes());
  return model;
}

void SpeakerModel::embed(std::span<const float> stats, std::span<float> out) const {
  project(stats, out);
  double norm = 0.0;
  for (const float v : out) norm += double(v) * v;
  norm = std::sqrt(norm);
  for (float& v : out) v = norm > 0.0 ? static_cast<float>(v / norm) : 0.0f;
}

void SpeakerModel::project(std::span<const float> stats, std::span<float> out) const {
  if (stats.size() != static_cast<std::size_t>(kStatsDims) || out.size() != static_cast<std::size_t>(dims_))
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "SpeakerModel::project: wrong input or output size");
  std::vector<double> acc(static_cast<std::size_t>(dims_), 0.0);
  for (int i = 0; i < kStatsDims; ++i) {
    const double z = (double(stats[i]) - mean_[i]) / scale_[i];
    const float* row = &projection_[static_cast<std::size_t>(i) * dims_];
    for (int k = 0; k < dims_; ++k) acc[k] += z * row[k];
  }
  for (int k = 0; k < dims_; ++k) out[k] = static_cast<float>(acc[k]);
}

}  // namespace hush::meeting
