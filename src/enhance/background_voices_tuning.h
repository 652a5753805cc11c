// The constants of the background-voice stage, in one place so `hush-bench call` tuning runs
// change only this file. Frames are 10 ms. Tuned with `hush-bench call --aec off --seed 2026`
// (hold, thresholds, release: 12-40 frames, 4-8 / 10-16 dB, 0.2-0.6 dB per frame); the README
// reports `--seed 7`, mixtures the tuning never saw.
#pragma once

namespace hush::enhance::background_voices_tuning {

constexpr float kSpeechProbability = 0.5f;
constexpr int kHoldFrames = 30;             // 300 ms: spans the gaps between syllables and words
constexpr float kReleaseDbPerFrame = 0.3f;  // 30 dB/s after the hold
constexpr float kRiseFraction = 0.2f;       // toward louder speech, per frame
constexpr float kSinkFraction = 0.005f;     // toward slightly quieter speech (2 s time constant)
constexpr float kFollowWithinDb = 6.0f;     // only speech this close to the user's level counts
constexpr float kPassBelowDb = 6.0f;        // no attenuation while within 6 dB of the user
constexpr float kFullAboveDb = 14.0f;       // full attenuation 14 dB or more below the user
constexpr float kFallFrames = 5.0f;         // the gain falls over 50 ms

}  // namespace hush::enhance::background_voices_tuning
