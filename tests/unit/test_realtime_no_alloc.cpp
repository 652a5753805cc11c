// The real-time path allocates nothing: every operator new and (outside sanitizer builds,
// which own malloc) every malloc/calloc/realloc is counted while process() runs.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <vector>

#include "hush.h"

#include "allocation_counter.h"  // g_allocations, g_counting

TEST(RealTime, ProcessAllocatesNothing) {
  for (int engine : {HUSH_ENGINE_NEURAL, HUSH_ENGINE_SPECTRAL})
  for (int rate : {8000, 16000, 32000, 44100, 48000}) {
    hush_denoiser_config c = hush_denoiser_default_config();
    c.sample_rate_hz = rate;
    c.engine = engine;
    hush_denoiser* d = nullptr;
    ASSERT_EQ(hush_denoiser_create(&c, &d), HUSH_OK);
    std::vector<float> frame(std::size_t(hush_frame_size(rate)));
    unsigned seed = 1;
    g_allocations = 0;
    g_counting = true;
    for (int f = 0; f < 300; ++f) {
      for (auto& v : frame) v = float(int(seed = seed * 1103515245u + 12345u) % 2000) / 20000.0f;
      hush_denoiser_process(d, frame.data(), frame.data());
      if (f == 150) hush_denoiser_set_strength_db(d, 10.0f);
    }
    g_counting = false;
    EXPECT_EQ(g_allocations.load(), 0) << rate << " Hz, engine " << engine;
    hush_denoiser_destroy(d);
  }
}

TEST(RealTime, CountingHookWorks) {
  g_allocations = 0;
  g_counting = true;
  auto* p = new std::vector<int>(100);
  g_counting = false;
  delete p;
  EXPECT_GE(g_allocations.load(), 1);  // the check above could not pass vacuously
}

// The call pipeline's per-frame functions, with each echo canceller and every stage on. The
// libraries behind the cancellers (WebRTC, SpeexDSP) are inside the count too.
TEST(RealTime, CallPipelineAllocatesNothing) {
  for (int aec : {HUSH_AEC_WEBRTC, HUSH_AEC_SPEEX, HUSH_AEC_OFF})
  for (int rate : {16000, 44100, 48000}) {
    hush_call_config c = hush_call_default_config();
    c.sample_rate_hz = rate;
    c.echo_canceller = aec;
    c.background_voice_db = 20.0f;
    c.voice_gate_grace_ms = 200;
    hush_call* call = nullptr;
    ASSERT_EQ(hush_call_create(&c, &call), HUSH_OK);
    std::vector<float> mic(std::size_t(hush_frame_size(rate))), far(mic.size()), out(mic.size());
    unsigned seed = 1;
    g_allocations = 0;
    g_counting = true;
    for (int f = 0; f < 300; ++f) {
      for (auto& v : mic) v = float(int(seed = seed * 1103515245u + 12345u) % 2000) / 20000.0f;
      for (auto& v : far) v = float(int(seed = seed * 1103515245u + 12345u) % 2000) / 20000.0f;
      hush_call_process_render(call, out.data(), far.data());
      hush_call_analyze_render(call, out.data());
      hush_call_process_capture(call, out.data(), mic.data());
      if (f == 150) {
        hush_call_set_capture_strength_db(call, 10.0f);
        hush_call_set_background_voice_db(call, 5.0f);
        hush_call_set_voice_gate_grace_ms(call, 0);
      }
    }
    g_counting = false;
    EXPECT_EQ(g_allocations.load(), 0) << rate << " Hz, echo canceller " << aec;
    hush_call_destroy(call);
  }
}
