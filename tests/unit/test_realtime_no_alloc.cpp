// The real-time path allocates nothing: every operator new and (outside sanitizer builds,
// which own malloc) every malloc/calloc/realloc is counted while process() runs.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <vector>

#include "hush.h"

namespace {
std::atomic<long> g_allocations{0};
std::atomic<bool> g_counting{false};
void note_allocation() {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1);
}
}  // namespace

// The replaced operator new is malloc-based, so free() is the matching release; GCC cannot
// see that through the inlined replacement.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

void* operator new(std::size_t n) {
  note_allocation();
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

#if !defined(__SANITIZE_ADDRESS__)
extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* malloc(std::size_t n) {
  note_allocation();
  return __libc_malloc(n);
}
void* calloc(std::size_t n, std::size_t m) {
  note_allocation();
  return __libc_calloc(n, m);
}
void* realloc(void* p, std::size_t n) {
  note_allocation();
  return __libc_realloc(p, n);
}
}
#endif

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
