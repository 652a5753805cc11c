// A strict check of the three Vorbis header packets at the start of an Ogg stream.
//
// libsndfile 1.2 leaks the Vorbis codec setup (about 6 KB, from vorbis_info_init) whenever it
// rejects an Ogg Vorbis stream while reading those headers: ogg_vorbis_open returns before it
// installs the hook that would free it. Found by fuzz_audio_reader. Checking the headers
// first, at least as strictly as libsndfile, keeps every such rejection on our side, so
// untrusted input cannot grow a server's memory.
#pragma once

#include <cstdint>
#include <string>

#include "audio/byte_source.h"

namespace hush::audio {

// Returns "" when the Ogg stream at `offset` starts with well-formed Vorbis headers, otherwise
// the reason it does not.
std::string check_vorbis_headers(const ByteSource& source, std::int64_t offset);

}  // namespace hush::audio
