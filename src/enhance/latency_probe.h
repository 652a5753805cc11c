// Measures how many samples a frame processor delays its input, with a click: the libraries
// behind the echo canceller and the AGC (WebRTC's band-splitting filters at 32/48 kHz, Speex's
// overlapping frames) add delay that their APIs do not report. Used when a call is created;
// not RT-safe.
#pragma once

#include <functional>

namespace hush::enhance {

// `process(in, out)` handles one frame of `frame_size` samples. The processor's state is
// disturbed afterwards: reset it.
int measure_latency_samples(const std::function<void(const float* in, float* out)>& process, int frame_size);

}  // namespace hush::enhance
