#include "nn/hushnet.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

#include "nn/default_model.h"
#include "nn/model_file.h"
#include "util/error.h"

namespace hush::nn {
namespace {

[[noreturn]] void fail(const std::string& what) { throw Error(HUSH_ERR_FORMAT, "model file: " + what); }

const TensorView& find(const ModelFile& f, const std::string& name, std::initializer_list<std::int64_t> shape) {
  auto it = f.tensors.find(name);
  if (it == f.tensors.end()) fail("missing tensor " + name);
  const TensorView& t = it->second;
  if (!std::equal(t.dims.begin(), t.dims.end(), shape.begin(), shape.end())) fail(name + ": unexpected shape");
  return t;
}

// A float32 vector (biases, feature statistics: small, and used as they are).
const float* vector(const ModelFile& f, const std::string& name, std::int64_t size, std::size_t* bytes) {
  const TensorView& t = find(f, name, {size});
  if (t.type != TensorType::f32) fail(name + ": must be float32");
  for (std::size_t i = 0; i < t.count; ++i) {
    if (!std::isfinite(t.data[i])) fail(name + ": non-finite weight");
  }
  *bytes += t.count * sizeof(float);
  return t.data;
}

// A weight matrix, float32 or half. With `widened` (the scalar kernel) a half matrix is
// converted to float32 into storage appended there.
Weights matrix(const ModelFile& f, const std::string& name, std::int64_t rows, std::int64_t cols, std::size_t* bytes,
               std::vector<std::unique_ptr<float[]>>* widened) {
  const TensorView& t = find(f, name, {rows, cols});
  for (std::size_t i = 0; i < t.count; ++i) {
    if (!std::isfinite(t.type == TensorType::f16 ? half_to_float(t.half[i]) : t.data[i])) {
      fail(name + ": non-finite weight");
    }
  }
  if (t.type == TensorType::f32) {
    *bytes += t.count * sizeof(float);
    return Weights(t.data);
  }
  if (!widened) {
    *bytes += t.count * sizeof(std::uint16_t);
    return Weights(t.half);
  }
  auto& out = widened->emplace_back(new float[t.count]);
  for (std::size_t i = 0; i < t.count; ++i) out[i] = half_to_float(t.half[i]);
  *bytes += t.count * sizeof(float);
  return Weights(out.get());
}

int positive_int(const nlohmann::json& meta, const char* key) {
  if (!meta.contains(key) || !meta[key].is_number_integer()) fail(std::string("metadata lacks integer ") + key);
  const auto v = meta[key].get<std::int64_t>();
  if (v <= 0 || v > 1000000) fail(std::string("metadata ") + key + " out of range");
  return static_cast<int>(v);
}

GruWeights gru(const ModelFile& f, const std::string& name, int input, int hidden, std::size_t* bytes,
               std::vector<std::unique_ptr<float[]>>* widened) {
  const std::int64_t g = 3 * hidden;
  return {matrix(f, name + ".weight_ih_l0", g, input, bytes, widened),
          matrix(f, name + ".weight_hh_l0", g, hidden, bytes, widened),
          vector(f, name + ".bias_ih_l0", g, bytes), vector(f, name + ".bias_hh_l0", g, bytes), input, hidden};
}

}  // namespace

std::unique_ptr<HushNet> HushNet::parse(const std::uint8_t* bytes, std::size_t size, bool copy, Kernel kernel) {
  std::unique_ptr<HushNet> net(new HushNet());
  if (copy) {
    const std::size_t rounded = (size + kTensorAlignment - 1) / kTensorAlignment * kTensorAlignment;
    auto* memory = static_cast<std::uint8_t*>(std::aligned_alloc(kTensorAlignment, std::max<std::size_t>(rounded, 64)));
    if (!memory) throw Error(HUSH_ERR_OUT_OF_MEMORY, "model file: out of memory");
    net->owned_ = {memory, std::free};
    if (size) std::memcpy(memory, bytes, size);
    bytes = memory;
  }
  const ModelFile file = parse_model_file(bytes, size);
  nlohmann::json meta;
  try {
    meta = nlohmann::json::parse(file.metadata_json);
  } catch (const nlohmann::json::exception& e) {
    fail(std::string("metadata is not JSON: ") + e.what());
  }
  if (!meta.is_object() || meta.value("architecture", std::string()) != "hushnet-gru2") {
    fail("architecture is not hushnet-gru2");
  }
  HushNetDims& d = net->dims_;
  d.rate_hz = positive_int(meta, "rate_hz");
  d.hop = positive_int(meta, "hop");
  d.window = positive_int(meta, "window");
  d.bins = positive_int(meta, "bins");
  d.encoder = positive_int(meta, "encoder");
  d.hidden = positive_int(meta, "hidden");
  // The engine's 50 Hz grid: any rate maps its first bins onto the model's.
  if (d.rate_hz != 16000 || d.hop != 160 || d.window != 320 || d.bins != 161) {
    fail("framing must be 16 kHz, 10 ms hop, 20 ms window, 161 bins");
  }
  if (!meta.contains("log_eps") || !meta["log_eps"].is_number() || !(meta["log_eps"].get<double>() > 0)) {
    fail("metadata lacks log_eps");
  }
  d.log_eps = meta["log_eps"].get<float>();
  if (meta.contains("gain_release")) {
    const auto& r = meta["gain_release"];
    if (!r.is_number() || !(r.get<double>() >= 0.0 && r.get<double>() < 1.0)) fail("gain_release must be in [0, 1)");
    d.gain_release = r.get<float>();
  }
  if (meta.contains("release_power_exponent")) {
    const auto& p = meta["release_power_exponent"];
    if (!p.is_number() || !(p.get<double>() > 0.0 && p.get<double>() <= 4.0)) {
      fail("release_power_exponent must be in (0, 4]");
    }
    if (d.gain_release <= 0.0f) fail("release_power_exponent needs a gain_release");
    d.release_power_exponent = p.get<float>();
  }
  if (meta.contains("release_smooth_bins")) {
    const auto& n = meta["release_smooth_bins"];
    if (!n.is_number_integer() || n.get<long long>() < 1 || n.get<long long>() > 31 || n.get<long long>() % 2 == 0) {
      fail("release_smooth_bins must be an odd integer in [1, 31]");
    }
    d.release_smooth_bins = n.get<int>();
  }
  if (meta.contains("floor_bins")) {
    const auto& n = meta["floor_bins"];
    if (!n.is_number_integer() || n.get<long long>() < 0 || n.get<long long>() > kMaxFloorBins) {
      fail("floor_bins must be an integer in [0, " + std::to_string(kMaxFloorBins) + "]");
    }
    d.floor_bins = n.get<int>();
  }
  net->name_ = meta.value("name", std::string("unnamed"));

  std::size_t w = 0;
  auto* widened = kernel == Kernel::scalar ? &net->widened_ : nullptr;
  net->feature_mean_ = vector(file, "feature_mean", d.bins, &w);
  net->feature_inv_std_ = vector(file, "feature_inv_std", d.bins, &w);
  net->encoder_w_ = matrix(file, "encoder.weight", d.encoder, d.bins, &w, widened);
  net->encoder_b_ = vector(file, "encoder.bias", d.encoder, &w);
  net->gru1_ = gru(file, "gru1", d.encoder, d.hidden, &w, widened);
  net->gru2_ = gru(file, "gru2", d.hidden, d.hidden, &w, widened);
  net->decoder_w_ = matrix(file, "decoder.weight", d.bins, d.hidden, &w, widened);
  net->decoder_b_ = vector(file, "decoder.bias", d.bins, &w);
  if (meta.contains("df_bins") || meta.contains("df_order")) {
    d.df_bins = positive_int(meta, "df_bins");
    d.df_order = positive_int(meta, "df_order");
    d.df_hidden = positive_int(meta, "df_hidden");
    if (d.df_bins > d.bins || d.df_order > 8 || d.df_hidden > 4096) {
      fail("deep filter must cover at most 161 bins and 8 hops, through at most 4096 units");
    }
    const auto outputs = static_cast<std::int64_t>(net->df_coef_floats());
    net->df_in_w_ = matrix(file, "df_in.weight", d.df_hidden, d.hidden, &w, widened);
    net->df_in_b_ = vector(file, "df_in.bias", d.df_hidden, &w);
    net->df_w_ = matrix(file, "df.weight", outputs, d.df_hidden, &w, widened);
    net->df_b_ = vector(file, "df.bias", outputs, &w);
  }
  net->weight_bytes_ = w;
  return net;
}

const HushNet& HushNet::built_in() {
  static const std::unique_ptr<HushNet> model = [] {
    const std::span<const std::uint8_t> blob = default_model_bytes();
    return parse(blob.data(), blob.size(), false);
  }();
  return *model;
}

std::size_t HushNet::scratch_floats() const {
  // features (bins), encoder output, GRU gate scratch, the deep filter's hidden layer.
  return static_cast<std::size_t>(dims_.bins + dims_.encoder + 6 * dims_.hidden + dims_.df_hidden);
}

void HushNet::step(const float* power, float* state, float* scratch, float* gains, float* df_coefs) const {
  const int bins = dims_.bins;
  float* features = scratch;
  float* encoded = features + bins;
  float* gates = encoded + dims_.encoder;
  for (int k = 0; k < bins; ++k) {
    features[k] = (std::log(power[k] + dims_.log_eps) - feature_mean_[k]) * feature_inv_std_[k];
  }
  dense(encoder_w_, encoder_b_, dims_.encoder, bins, features, encoded);
  for (int j = 0; j < dims_.encoder; ++j) encoded[j] = std::tanh(encoded[j]);
  float* h1 = state;
  float* h2 = state + dims_.hidden;
  gru_step(gru1_, encoded, h1, gates);
  gru_step(gru2_, h1, h2, gates);
  dense(decoder_w_, decoder_b_, bins, dims_.hidden, h2, gains);
  for (int k = 0; k < bins; ++k) gains[k] = sigmoid(gains[k]);
  if (df_b_) {
    float* df_hidden = gates + 6 * dims_.hidden;
    dense(df_in_w_, df_in_b_, dims_.df_hidden, dims_.hidden, h2, df_hidden);
    for (int j = 0; j < dims_.df_hidden; ++j) df_hidden[j] = std::tanh(df_hidden[j]);
    const int outputs = static_cast<int>(df_coef_floats());
    dense(df_w_, df_b_, outputs, dims_.df_hidden, df_hidden, df_coefs);
    for (int j = 0; j < outputs; ++j) df_coefs[j] = std::tanh(df_coefs[j]);
  }
}

}  // namespace hush::nn
