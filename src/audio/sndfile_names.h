// libsndfile format codes in the words `hush info` prints, and which of them Hush accepts.
#pragma once

#include <string>

#include "audio/audio_file.h"

namespace hush::audio {

std::string container_name(int sf_format);  // "WAV", "FLAC", "Ogg", ...
std::string codec_name(int sf_format);      // "PCM 16-bit", "FLAC 24-bit", "Vorbis", ...

// WAV (and its 64-bit variants), FLAC and Ogg. libsndfile opens many more (MP3, AIFF, ...),
// but Hush promises only these and keeps the other parsers out of reach of untrusted input.
bool is_supported_container(int sf_format);

int raw_subformat(RawSampleFormat format);  // SF_FORMAT_PCM_16, ...

}  // namespace hush::audio
