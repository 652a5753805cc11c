// The interface both echo cancellers implement (WebRTC AEC2 and SpeexDSP MDF), so the call
// pipeline and hush-bench can swap them.
#pragma once

#include <memory>

namespace hush::enhance {

class EchoCanceller {
 public:
  virtual ~EchoCanceller() = default;

  // One 10 ms frame. `reference` is what the loudspeaker played, already in queue order;
  // `mic` holds the captured frame, `out` receives it with the echo removed (may alias mic).
  // Samples are finite and within [-1, 1]. Must not allocate, lock (beyond an uncontended
  // lock inside the library) or log.
  virtual void process(const float* reference, const float* mic, float* out) = 0;

  // Forgets the echo path. May allocate (re-initialises the library state).
  virtual void reset() = 0;

  // What is left of the echo delay after alignment, for cancellers that use it. RT-safe.
  virtual void set_echo_delay_ms(int /*delay_ms*/) {}
};

// Both return nullptr when the library refuses the rate or runs out of memory. The reference
// they get is already aligned to within a few frames (ReferenceAligner).
std::unique_ptr<EchoCanceller> make_webrtc_echo_canceller(int sample_rate_hz);
std::unique_ptr<EchoCanceller> make_speex_echo_canceller(int sample_rate_hz);


}  // namespace hush::enhance
