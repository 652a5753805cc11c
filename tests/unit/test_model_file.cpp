// Model files: the shipped and the tiny test model load; truncated, corrupted and malformed
// files are refused with HUSH_ERR_FORMAT (never a crash), missing files with HUSH_ERR_IO.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "hush.h"
#include "nn/hushnet.h"
#include "nn/model_file.h"

namespace {

const std::string kShipped = std::string(HUSH_SOURCE_DIR) + "/models/hushnet-v3.hnn";
const std::string kTiny = std::string(HUSH_SOURCE_DIR) + "/tests/data/hushnet-tiny.hnn";
const std::string kBroken = std::string(HUSH_SOURCE_DIR) + "/tests/data/hushnet-tiny-broken.hnn";
const std::string kTinyDeepFilter = std::string(HUSH_SOURCE_DIR) + "/tests/data/hushnet-tiny-df.hnn";
const std::string kTinyHalf = std::string(HUSH_SOURCE_DIR) + "/tests/data/hushnet-tiny-df-half.hnn";

std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

int load(const std::vector<std::uint8_t>& bytes) {
  hush_model* m = nullptr;
  const int err = hush_model_load_memory(bytes.data(), bytes.size(), &m);
  if (err == HUSH_OK) {
    EXPECT_NE(m, nullptr);
  } else {
    EXPECT_EQ(m, nullptr);
  }
  hush_model_destroy(m);
  return err;
}

// A neural denoiser at `rate_hz` running `model`; the caller destroys it.
hush_denoiser* neural_denoiser(const hush_model* model, int rate_hz, float strength_db = 25.0f) {
  hush_denoiser_config c = hush_denoiser_default_config();
  c.sample_rate_hz = rate_hz;
  c.engine = HUSH_ENGINE_NEURAL;
  c.model = model;
  c.strength_db = strength_db;
  hush_denoiser* d = nullptr;
  EXPECT_EQ(hush_denoiser_create(&c, &d), HUSH_OK) << rate_hz;
  return d;
}

// Rewrites the CRC after an edit, so the test reaches the check behind it.
void fix_crc(std::vector<std::uint8_t>& bytes) {
  const auto crc = static_cast<std::uint32_t>(crc32(crc32(0L, Z_NULL, 0), bytes.data() + 40, uInt(bytes.size() - 40)));
  std::memcpy(bytes.data() + 32, &crc, 4);
}
}  // namespace

TEST(ModelFile, ShippedAndBuiltInModelsLoad) {
  hush_model* m = nullptr;
  ASSERT_EQ(hush_model_load_file(kShipped.c_str(), &m), HUSH_OK);
  EXPECT_EQ(hush_model_weight_bytes(m), hush_model_weight_bytes(nullptr));
  EXPECT_LE(hush_model_weight_bytes(nullptr), 2'000'000);  // issue 3: model <= 2 MB
  hush_model_destroy(m);
}

TEST(ModelFile, TinyModelRunsInADenoiser) {
  hush_model* m = nullptr;
  ASSERT_EQ(hush_model_load_file(kTiny.c_str(), &m), HUSH_OK);
  hush_denoiser* d = neural_denoiser(m, 16000);
  ASSERT_NE(d, nullptr);
  std::vector<float> frame(160, 0.1f);
  for (int f = 0; f < 10; ++f) {
    const float p = hush_denoiser_process(d, frame.data(), frame.data());
    EXPECT_GE(p, 0.0f);
    EXPECT_LE(p, 1.0f);
  }
  hush_denoiser_destroy(d);
  hush_model_destroy(m);
}

// The deep filter maps its 50 Hz bins onto every rate's grid (interpolated at 44.1 kHz): at each
// rate the output is finite, not silent, and bounded by what the filter can add.
TEST(ModelFile, DeepFilterModelRunsAtEveryRate) {
  hush_model* m = nullptr;
  ASSERT_EQ(hush_model_load_file(kTinyDeepFilter.c_str(), &m), HUSH_OK);
  for (const int rate_hz : {8000, 16000, 32000, 44100, 48000}) {
    hush_denoiser* d = neural_denoiser(m, rate_hz);
    ASSERT_NE(d, nullptr) << rate_hz;
    const int hop = rate_hz / 100;
    std::vector<float> in(static_cast<std::size_t>(hop)), out(in.size());
    double out_energy = 0.0, worst = 0.0;
    std::uint32_t seed = 1;
    for (int f = 0; f < 100; ++f) {
      for (int n = 0; n < hop; ++n) {
        seed = seed * 1664525u + 1013904223u;
        const float noise = static_cast<float>(seed >> 8) / 16777216.0f - 0.5f;
        in[static_cast<std::size_t>(n)] = 0.2f * std::sin(0.05f * static_cast<float>(f * hop + n)) + 0.1f * noise;
      }
      hush_denoiser_process(d, out.data(), in.data());
      for (const float y : out) {
        ASSERT_TRUE(std::isfinite(y)) << rate_hz;
        out_energy += double(y) * y;
        worst = std::max(worst, double(std::fabs(y)));
      }
    }
    EXPECT_GT(out_energy, 1e-3) << rate_hz;
    // |Y| <= |X| (gain) + 3 taps * sqrt(2) * |X| per bin: far below this for a 0.3 peak input.
    EXPECT_LT(worst, 5.0) << rate_hz;
    hush_denoiser_destroy(d);
  }
  hush_model_destroy(m);
}

// Strength 0 dB means "do nothing" for the filtered bins too: the output is the input, delayed.
TEST(ModelFile, DeepFilterAtStrengthZeroPassesTheInput) {
  hush_model* m = nullptr;
  ASSERT_EQ(hush_model_load_file(kTinyDeepFilter.c_str(), &m), HUSH_OK);
  hush_denoiser* d = neural_denoiser(m, 16000, 0.0f);
  ASSERT_NE(d, nullptr);
  const int hop = 160, latency = hush_denoiser_latency_samples(d);
  std::vector<float> in(16000), out(in.size());
  for (std::size_t n = 0; n < in.size(); ++n) in[n] = 0.3f * std::sin(0.031f * n) * std::sin(0.0007f * n);
  for (std::size_t at = 0; at + hop <= in.size(); at += hop) hush_denoiser_process(d, &out[at], &in[at]);
  double worst = 0.0;
  for (std::size_t n = 0; n + latency < in.size(); ++n) worst = std::max(worst, double(std::fabs(out[n + latency] - in[n])));
  EXPECT_LT(worst, 1e-5);
  hush_denoiser_destroy(d);
  hush_model_destroy(m);
}

TEST(ModelFile, EveryTruncationIsAFormatError) {
  const auto bytes = read_bytes(kTiny);
  ASSERT_GT(bytes.size(), 1000u);
  for (std::size_t n = 0; n < bytes.size(); n += (n < 200 ? 1 : 97)) {
    hush_model* m = nullptr;
    const int err = hush_model_load_memory(bytes.data(), n, &m);
    ASSERT_EQ(err, HUSH_ERR_FORMAT) << "truncated to " << n;
  }
}

TEST(ModelFile, FlippedBitIsCaughtByTheChecksum) {
  EXPECT_EQ(load(read_bytes(kBroken)), HUSH_ERR_FORMAT);
  auto bytes = read_bytes(kShipped);
  bytes[bytes.size() / 2] ^= 0x01;
  EXPECT_EQ(load(bytes), HUSH_ERR_FORMAT);
}

TEST(ModelFile, MalformedHeadersAndTablesAreRefused) {
  const auto good = read_bytes(kTiny);
  ASSERT_EQ(load(good), HUSH_OK);
  {
    auto b = good;  // magic
    b[0] = 'X';
    EXPECT_EQ(load(b), HUSH_ERR_FORMAT);
  }
  {
    auto b = good;  // version
    b[8] = 2;
    EXPECT_EQ(load(b), HUSH_ERR_FORMAT);
  }
  {
    auto b = good;  // tensor count larger than the table
    b[12] = 200;
    EXPECT_EQ(load(b), HUSH_ERR_FORMAT);
  }
  {
    auto b = good;  // metadata: another architecture (same length, valid checksum)
    const std::string from = "hushnet-gru2", to = "hushnet-lstm";
    auto at = std::search(b.begin(), b.end(), from.begin(), from.end());
    ASSERT_NE(at, b.end());
    std::copy(to.begin(), to.end(), at);
    fix_crc(b);
    EXPECT_EQ(load(b), HUSH_ERR_FORMAT);
  }
  {
    auto b = good;  // a tensor renamed: the model lacks one it needs
    const std::string from = "decoder.bias", to = "decoder.biaz";
    auto at = std::search(b.begin(), b.end(), from.begin(), from.end());
    ASSERT_NE(at, b.end());
    std::copy(to.begin(), to.end(), at);
    fix_crc(b);
    EXPECT_EQ(load(b), HUSH_ERR_FORMAT);
  }
  {
    auto b = good;  // a NaN weight in the last tensor
    const float nan = std::numeric_limits<float>::quiet_NaN();
    std::memcpy(b.data() + b.size() - 4, &nan, 4);
    fix_crc(b);
    EXPECT_EQ(load(b), HUSH_ERR_FORMAT);
  }
}

// Replaces the first `from` with `to` (same length) and fixes the checksum.
std::vector<std::uint8_t> edited(std::vector<std::uint8_t> b, const std::string& from, const std::string& to) {
  auto at = std::search(b.begin(), b.end(), from.begin(), from.end());
  EXPECT_NE(at, b.end()) << from;
  if (at != b.end()) std::copy(to.begin(), to.end(), at);
  fix_crc(b);
  return b;
}

TEST(ModelFile, DeepFilterPartIsCheckedLikeTheRest) {
  const auto good = read_bytes(kTinyDeepFilter);
  ASSERT_EQ(load(good), HUSH_OK);
  EXPECT_EQ(load(edited(good, "df.bias", "df.biaz")), HUSH_ERR_FORMAT);              // tensor missing
  EXPECT_EQ(load(edited(good, "\"df_bins\": 48", "\"df_bins\": 49")), HUSH_ERR_FORMAT);  // shape mismatch
  EXPECT_EQ(load(edited(good, "\"df_bins\": 48", "\"df_bins\": 0 ")), HUSH_ERR_FORMAT);  // not positive
  EXPECT_EQ(load(edited(good, "\"df_order\": 3", "\"df_order\": 9")), HUSH_ERR_FORMAT);  // too many taps
  EXPECT_EQ(load(edited(good, "\"df_order\": 3", "\"df_order\":-3")), HUSH_ERR_FORMAT);
  EXPECT_EQ(load(edited(good, "\"df_hidden\": 8", "\"df_hidden\": 9")), HUSH_ERR_FORMAT);
  const auto truncated = std::vector<std::uint8_t>(good.begin(), good.end() - 100);
  EXPECT_EQ(load(truncated), HUSH_ERR_FORMAT);
}

TEST(ModelFile, HalfMatricesTakeHalfTheMemoryAndAreCheckedLikeTheRest) {
  const auto good = read_bytes(kTinyHalf);
  hush_model* half = nullptr;
  hush_model* full = nullptr;
  ASSERT_EQ(hush_model_load_memory(good.data(), good.size(), &half), HUSH_OK);
  ASSERT_EQ(hush_model_load_file(kTinyDeepFilter.c_str(), &full), HUSH_OK);
  // The same model: its 5,712 matrix weights at 2 bytes instead of 4, the vectors unchanged.
  EXPECT_EQ(hush_model_weight_bytes(full) - hush_model_weight_bytes(half), 2 * 5712);
  hush_model_destroy(half);
  hush_model_destroy(full);

  // Where the tensors lie, from the parser itself (it wants 64-byte aligned memory).
  auto* aligned = static_cast<std::uint8_t*>(std::aligned_alloc(64, (good.size() + 63) / 64 * 64));
  std::memcpy(aligned, good.data(), good.size());
  const auto file = hush::nn::parse_model_file(aligned, good.size());
  const auto& df = file.tensors.at("df.weight");
  ASSERT_EQ(df.type, hush::nn::TensorType::f16);
  ASSERT_EQ(file.tensors.at("df.bias").type, hush::nn::TensorType::f32);
  const std::size_t df_at = static_cast<std::size_t>(reinterpret_cast<const std::uint8_t*>(df.half) - aligned);
  std::free(aligned);
  {
    auto b = good;  // a half NaN among the weights
    const std::uint16_t nan = 0x7E00;
    std::memcpy(b.data() + df_at + 2 * 7, &nan, 2);
    fix_crc(b);
    EXPECT_EQ(load(b), HUSH_ERR_FORMAT);
  }
  // The tensor table entry: u16 name length, name, u8 dtype.
  const auto dtype_at = [&](const std::string& name) {
    const std::string key = std::string(1, char(name.size())) + std::string(1, '\0') + name;
    const auto at = std::search(good.begin(), good.end(), key.begin(), key.end());
    EXPECT_NE(at, good.end()) << name;
    return static_cast<std::size_t>(at - good.begin()) + key.size();
  };
  for (const auto& [name, dtype] : {std::pair{std::string("df.weight"), 3}, {std::string("df.weight"), 1},
                                    {std::string("df.bias"), 2}}) {
    auto b = good;  // unknown type; a half matrix called float32; a half bias
    b[dtype_at(name)] = static_cast<std::uint8_t>(dtype);
    fix_crc(b);
    EXPECT_EQ(load(b), HUSH_ERR_FORMAT) << name << " as dtype " << dtype;
  }
}

// Without AVX2 the half matrices are widened to float32 at load (the scalar kernel would
// convert each weight every frame); the network computes the same either way.
TEST(ModelFile, HalfMatricesAreWidenedForTheScalarKernel) {
  const auto bytes = read_bytes(kTinyHalf);
  const auto as_loaded = hush::nn::HushNet::parse(bytes.data(), bytes.size(), true, hush::nn::Kernel::avx2);
  const auto widened = hush::nn::HushNet::parse(bytes.data(), bytes.size(), true, hush::nn::Kernel::scalar);
  hush_model* full = nullptr;
  ASSERT_EQ(hush_model_load_file(kTinyDeepFilter.c_str(), &full), HUSH_OK);
  EXPECT_EQ(widened->weight_bytes(), static_cast<std::size_t>(hush_model_weight_bytes(full)));
  EXPECT_EQ(as_loaded->weight_bytes() + 2 * 5712, widened->weight_bytes());
  hush_model_destroy(full);

  std::vector<float> power(161), gains[2], coefs[2];
  std::vector<float> state[2], scratch[2];
  int n = 0;
  for (const auto* net : {as_loaded.get(), widened.get()}) {
    state[n].assign(net->state_floats(), 0.0f);
    scratch[n].assign(net->scratch_floats(), 0.0f);
    gains[n].assign(161, 0.0f);
    coefs[n].assign(net->df_coef_floats(), 0.0f);
    ++n;
  }
  for (int hop = 0; hop < 20; ++hop) {
    for (int k = 0; k < 161; ++k) power[k] = 1e-3f * float(1 + (k * 7 + hop * 13) % 31);
    for (int i = 0; i < 2; ++i) {
      (i == 0 ? as_loaded : widened)->step(power.data(), state[i].data(), scratch[i].data(), gains[i].data(), coefs[i].data());
    }
    for (int k = 0; k < 161; ++k) ASSERT_NEAR(gains[0][k], gains[1][k], 1e-6) << "hop " << hop;
    for (std::size_t j = 0; j < coefs[0].size(); ++j) ASSERT_NEAR(coefs[0][j], coefs[1][j], 1e-6) << "hop " << hop;
  }
}

TEST(ModelFile, MisuseGetsDocumentedErrors) {
  hush_model* m = nullptr;
  EXPECT_EQ(hush_model_load_file("/nonexistent/model.hnn", &m), HUSH_ERR_IO);
  EXPECT_EQ(hush_model_load_file(nullptr, &m), HUSH_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(hush_model_load_file(kTiny.c_str(), nullptr), HUSH_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(hush_model_load_memory(nullptr, 10, &m), HUSH_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(hush_model_load_file((std::string(HUSH_SOURCE_DIR) + "/README.md").c_str(), &m), HUSH_ERR_FORMAT);
  hush_model_destroy(nullptr);
}

// HushNet v3's gain release (metadata "gain_release"): each bin's gain may fall by at most that
// factor per hop. Out-of-range or non-numeric values are refused; the shipped model's release
// holds the gain up through the end of a voiced sound instead of dropping it within a hop.
TEST(ModelFile, GainReleaseIsCheckedAndHoldsWordEndings) {
  const auto shipped = read_bytes(kShipped);
  const std::string field = "\"gain_release\": 0.8";
  ASSERT_NE(std::search(shipped.begin(), shipped.end(), field.begin(), field.end()), shipped.end());
  EXPECT_EQ(load(edited(shipped, field, "\"gain_release\": 1.0")), HUSH_ERR_FORMAT);
  EXPECT_EQ(load(edited(shipped, field, "\"gain_release\":-0.8")), HUSH_ERR_FORMAT);
  EXPECT_EQ(load(edited(shipped, field, "\"gain_release\":\"x\"")), HUSH_ERR_FORMAT);

  // 1 s of the upper harmonics (2.55-6 kHz) of a 150 Hz voice over faint noise, then the noise
  // alone. Above the deep filter's bins (2.4 kHz) a higher gain always means a louder output.
  std::vector<float> in(32000);
  std::uint32_t seed = 7;
  for (std::size_t n = 0; n < in.size(); ++n) {
    seed = seed * 1664525u + 1013904223u;
    float x = 0.01f * (static_cast<float>(seed >> 8) / 16777216.0f - 0.5f);
    for (int h = 17; n < 16000 && h <= 40; ++h) x += 0.01f * std::sin(2.0f * 3.14159265f * 150.0f * h * n / 16000.0f);
    in[n] = x;
  }
  // Output energy of the 100 ms after the voice stops, with the model as shipped and with its
  // release set to 0 (no limit).
  auto tail_energy = [&](const std::vector<std::uint8_t>& bytes) {
    hush_model* m = nullptr;
    EXPECT_EQ(hush_model_load_memory(bytes.data(), bytes.size(), &m), HUSH_OK);
    hush_denoiser* d = neural_denoiser(m, 16000);
    std::vector<float> out(in.size());
    for (std::size_t at = 0; at + 160 <= in.size(); at += 160) hush_denoiser_process(d, &out[at], &in[at]);
    const std::size_t from = 16000 + static_cast<std::size_t>(hush_denoiser_latency_samples(d));
    double e = 0.0;
    for (std::size_t n = from; n < from + 1600; ++n) e += double(out[n]) * out[n];
    hush_denoiser_destroy(d);
    hush_model_destroy(m);
    return e;
  };
  const double held = tail_energy(shipped);
  const double unlimited = tail_energy(edited(shipped, field, "\"gain_release\": 0.0"));
  EXPECT_GT(10.0 * std::log10(held / unlimited), 1.0) << held << " vs " << unlimited;
}

// RNNoise 0.2's compensated release (metadata "release_power_exponent", "release_smooth_bins";
// test_neural_matches_torch.cpp holds its output to PyTorch): values out of range, of the wrong
// type, or an exponent without a gain release to scale are refused.
TEST(ModelFile, CompensatedReleaseIsChecked) {
  const auto good = read_bytes(std::string(HUSH_SOURCE_DIR) + "/tests/data/hushnet-tiny-relc.hnn");
  ASSERT_EQ(load(good), HUSH_OK);
  const std::string exponent = "\"release_power_exponent\": 0.5", bins = "\"release_smooth_bins\": 9";
  EXPECT_EQ(load(edited(good, exponent, "\"release_power_exponent\": 0.0")), HUSH_ERR_FORMAT);
  EXPECT_EQ(load(edited(good, exponent, "\"release_power_exponent\": 4.5")), HUSH_ERR_FORMAT);
  EXPECT_EQ(load(edited(good, exponent, "\"release_power_exponent\": \"x\"")), HUSH_ERR_FORMAT);
  EXPECT_EQ(load(edited(good, exponent, "\"release_power_exponent\": 4.0")), HUSH_OK);
  EXPECT_EQ(load(edited(good, bins, "\"release_smooth_bins\": 8")), HUSH_ERR_FORMAT);  // even: not centred
  EXPECT_EQ(load(edited(good, bins, "\"release_smooth_bins\": 0")), HUSH_ERR_FORMAT);
  EXPECT_EQ(load(edited(good, bins, "\"release_smooth_bins\":33")), HUSH_ERR_FORMAT);
  EXPECT_EQ(load(edited(good, bins, "\"release_smooth_bins\":.9")), HUSH_ERR_FORMAT);
  EXPECT_EQ(load(edited(good, bins, "\"release_smooth_bins\": 1")), HUSH_OK);
  EXPECT_EQ(load(edited(good, "\"gain_release\": 0.8", "\"gain_release\": 0.0")), HUSH_ERR_FORMAT);
}

// The shipped model holds its lowest bin at the floor (metadata "floor_bins"): infrasonic
// rumble (wind, a bumped laptop; ../shared/data/pairs' noise is mostly below 30 Hz) is removed
// down to the strength floor even where the network would let it through. Malformed values
// are refused.
TEST(ModelFile, FloorBinsAreCheckedAndRemoveRumble) {
  const auto shipped = read_bytes(kShipped);
  const std::string field = "\"floor_bins\": 1";
  ASSERT_NE(std::search(shipped.begin(), shipped.end(), field.begin(), field.end()), shipped.end());
  EXPECT_EQ(load(edited(shipped, field, "\"floor_bins\": 9")), HUSH_ERR_FORMAT);   // above 400 Hz
  EXPECT_EQ(load(edited(shipped, field, "\"floor_bins\":-1")), HUSH_ERR_FORMAT);
  EXPECT_EQ(load(edited(shipped, field, "\"floor_bins\":[]")), HUSH_ERR_FORMAT);
  EXPECT_EQ(load(edited(shipped, field, "\"floor_bins\": 0")), HUSH_OK);

  // 3 s of an 8 Hz rumble under a 150 Hz voice's harmonics (300 Hz and up) that come and go.
  std::vector<float> in(48000);
  for (std::size_t n = 0; n < in.size(); ++n) {
    const float t = static_cast<float>(n) / 16000.0f;
    float x = 0.2f * std::sin(2.0f * 3.14159265f * 8.0f * t);
    if (std::fmod(t, 1.0f) < 0.6f) {
      for (int h = 2; h <= 20; ++h) x += 0.02f / static_cast<float>(h) * std::sin(2.0f * 3.14159265f * 150.0f * h * t);
    }
    in[n] = x;
  }
  // Energy of the output's rumble: its correlation with the 8 Hz sine and cosine over the last 2 s.
  auto rumble_db = [&](const std::vector<std::uint8_t>& bytes) {
    hush_model* m = nullptr;
    EXPECT_EQ(hush_model_load_memory(bytes.data(), bytes.size(), &m), HUSH_OK);
    hush_denoiser* d = neural_denoiser(m, 16000);
    std::vector<float> out(in.size());
    for (std::size_t at = 0; at + 160 <= in.size(); at += 160) hush_denoiser_process(d, &out[at], &in[at]);
    double s = 0.0, c = 0.0;
    for (std::size_t n = 16000; n < out.size(); ++n) {
      const double t = static_cast<double>(n) / 16000.0;
      s += out[n] * std::sin(2.0 * 3.14159265358979 * 8.0 * t);
      c += out[n] * std::cos(2.0 * 3.14159265358979 * 8.0 * t);
    }
    hush_denoiser_destroy(d);
    hush_model_destroy(m);
    const double amplitude = 2.0 * std::sqrt(s * s + c * c) / 32000.0;
    return 20.0 * std::log10(amplitude / 0.2);
  };
  const double floored = rumble_db(shipped);
  const double open = rumble_db(edited(shipped, field, "\"floor_bins\": 0"));
  EXPECT_LT(floored, -20.0) << "rumble kept: " << floored << " dB (25 dB strength)";
  EXPECT_GT(open - floored, 6.0) << open << " vs " << floored;
}
