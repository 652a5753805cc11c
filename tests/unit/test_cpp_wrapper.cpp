// The header-only C++ wrapper gives the same output as the C API and reports errors as exceptions.
#include <gtest/gtest.h>

#include <vector>

#include "hush.hpp"

TEST(CppWrapper, MatchesTheCApi) {
  hush::denoiser wrapped(16000);
  hush_denoiser_config c = hush_denoiser_default_config();
  c.sample_rate_hz = 16000;
  hush_denoiser* raw = nullptr;
  ASSERT_EQ(hush_denoiser_create(&c, &raw), HUSH_OK);
  std::vector<float> a(160), b(160), in(160);
  for (int f = 0; f < 50; ++f) {
    for (int i = 0; i < 160; ++i) in[std::size_t(i)] = float((f * 160 + i) % 37) / 100.0f - 0.18f;
    const float pa = wrapped.process(a, in);
    const float pb = hush_denoiser_process(raw, b.data(), in.data());
    EXPECT_EQ(pa, pb);
    EXPECT_EQ(a, b);
  }
  EXPECT_EQ(wrapped.latency_samples(), hush_denoiser_latency_samples(raw));
  hush_denoiser_destroy(raw);
}

TEST(CppWrapper, ThrowsOnBadConfigAndRejectsWrongFrameSize) {
  EXPECT_THROW(hush::denoiser(12345), hush::error);
  try {
    hush::denoiser bad(16000, 25.0f, 42);
  } catch (const hush::error& e) {
    EXPECT_EQ(e.code(), HUSH_ERR_UNKNOWN_ENGINE);
  }
  hush::denoiser d(48000);
  std::vector<float> wrong(100);
  EXPECT_LT(d.process(wrong), 0.0f);
}

TEST(CppWrapper, LoadsAModelAndSharesIt) {
  const hush::model tiny(HUSH_SOURCE_DIR "/tests/data/hushnet-tiny.hnn");
  EXPECT_GT(tiny.weight_bytes(), 0);
  hush::denoiser a(16000, 25.0f, HUSH_ENGINE_NEURAL, &tiny), b(48000, 25.0f, HUSH_ENGINE_NEURAL, &tiny);
  std::vector<float> frame(160, 0.01f);
  EXPECT_GE(a.process(frame), 0.0f);
  try {
    hush::model broken(HUSH_SOURCE_DIR "/tests/data/hushnet-tiny-broken.hnn");
    FAIL() << "a corrupted model loaded";
  } catch (const hush::error& e) {
    EXPECT_EQ(e.code(), HUSH_ERR_FORMAT);
  }
}

TEST(CppWrapper, CallMatchesTheCApi) {
  hush_call_config c = hush_call_default_config();
  c.sample_rate_hz = 16000;
  c.engine = HUSH_ENGINE_SPECTRAL;
  hush::call wrapped(c);
  hush_call* raw = nullptr;
  ASSERT_EQ(hush_call_create(&c, &raw), HUSH_OK);
  std::vector<float> a(160), b(160), in(160), far(160);
  for (int f = 0; f < 50; ++f) {
    for (int i = 0; i < 160; ++i) {
      in[std::size_t(i)] = float((f * 160 + i) % 37) / 100.0f - 0.18f;
      far[std::size_t(i)] = float((f * 160 + i) % 23) / 100.0f - 0.11f;
    }
    EXPECT_EQ(wrapped.analyze_render(far), HUSH_OK);
    ASSERT_EQ(hush_call_analyze_render(raw, far.data()), HUSH_OK);
    EXPECT_EQ(wrapped.process_capture(a, in), hush_call_process_capture(raw, b.data(), in.data()));
    EXPECT_EQ(a, b);
  }
  EXPECT_EQ(wrapped.stats().capture_frames, 50);
  std::vector<float> wrong(100);
  EXPECT_LT(wrapped.process_capture(wrong, wrong), 0.0f);
  hush_call_destroy(raw);
  c.sample_rate_hz = 12345;
  EXPECT_THROW(hush::call{c}, hush::error);
}
