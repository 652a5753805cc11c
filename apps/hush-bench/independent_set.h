// The independent evaluation set (issue 3): speech and noise that the denoiser never trained
// on and that the dev set never scores, in the dev set's format (hush-bench quality --devset
// and bench/rnnoise.mjs read it unchanged).
//  - Speech: the 40 librispeech-speakers talkers that training excludes (in the dev set they
//    only appear inside babble, never as the speech that is scored): the first 30 speak, the
//    other 10 make the babble and the TV; plus the one speaker of ../shared/data/pairs.
//  - Noise: six synthesized kinds that training does not synthesize (unseen_noise.h), the
//    recorded noise of ../shared/data/pairs (not in ../shared/data/noise), a TV (one of the
//    reserved talkers band-limited to 250-3500 Hz over a chord bed) and babble of 3-5 of them.
// Not unseen: the recording conditions (LibriSpeech read speech). PESQ is not scored: no
// Debian package implements it.
#pragma once

#include <string>
#include <vector>

#include "apps/hush-bench/devset.h"

namespace hush::bench {

// The dev set's options, with a seed of its own.
struct IndependentSetOptions : DevSetOptions {
  IndependentSetOptions() { seed = 2027; }
};

// Builds the set (WAV 16 kHz mono) and writes manifest.json. Throws hush::Error on bad data.
std::vector<DevClip> build_independent_set(const IndependentSetOptions& options);

}  // namespace hush::bench
