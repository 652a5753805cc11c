// Recognises Hush's input containers from their first bytes, before any library parses them:
// libsndfile understands dozens of formats, and keeping untrusted bytes away from parsers Hush
// never promised to support shrinks what a malicious file can reach.
#pragma once

#include <string>

#include <cstdint>

#include "audio/byte_source.h"

namespace hush::audio {

enum class Container { unknown, wav, flac, ogg_opus, ogg_other };

struct Sniffed {
  Container container = Container::unknown;
  std::int64_t offset = 0;  // where the container starts, past any ID3v2 tag
  // Non-empty when a RIFF/WAVE file is unusable before any decoder sees it: a codec Hush
  // does not accept (MP3-in-WAV would reach libmpg123, which prints to stderr), or a data
  // chunk that promises more bytes than the file holds (truncated).
  std::string wav_problem;
};

Sniffed sniff_container(const ByteSource& source);

}  // namespace hush::audio
