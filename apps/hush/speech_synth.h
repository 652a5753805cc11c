// Synthetic speech for the demo, from espeak-ng (Debian's libespeak-ng): the demo must run on
// a fresh machine with no recordings and no downloads.
#pragma once

#include <string>

#include "audio/audio_file.h"

namespace hush::cli {

// Speaks `text` with an English voice; mono, at espeak-ng's native rate (22050 Hz).
// Throws hush::Error when espeak-ng or its voice data is missing.
audio::AudioBuffer synthesize_speech(const std::string& text);

}  // namespace hush::cli
