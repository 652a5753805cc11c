// The constants of the background-voice stage, in one place so `hush-bench call` tuning runs
// change only this file. Frames are 10 ms.
#pragma once

namespace hush::enhance::background_voices_tuning {

constexpr float kSpeechProbability = 0.5f;
constexpr int kHoldFrames = 12;             // 120 ms: spans the gaps between syllables
constexpr float kReleaseDbPerFrame = 0.6f;  // 60 dB/s after the hold
constexpr float kRiseFraction = 0.2f;       // toward louder speech, per frame
constexpr float kSinkFraction = 0.005f;     // toward slightly quieter speech (2 s time constant)
constexpr float kFollowWithinDb = 6.0f;     // only speech this close to the user's level counts
constexpr float kPassBelowDb = 4.0f;        // no attenuation while within 4 dB of the user
constexpr float kFullAboveDb = 10.0f;       // full attenuation 10 dB or more below the user
constexpr float kFallFrames = 5.0f;         // the gain falls over 50 ms

}  // namespace hush::enhance::background_voices_tuning
