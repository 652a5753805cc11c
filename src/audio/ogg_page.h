// Reading Ogg pages as libogg sees them (capture pattern, version 0, valid CRC), and a check
// that a physical Ogg stream carries one logical stream only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "audio/byte_source.h"

namespace hush::audio {

inline constexpr unsigned kOggContinued = 0x01;
inline constexpr unsigned kOggFirstPage = 0x02;
inline constexpr unsigned kOggLastPage = 0x04;

struct OggPage {
  unsigned flags = 0;
  std::uint32_t serial = 0;
  std::uint32_t sequence = 0;
  std::vector<unsigned char> lacing;
  std::vector<unsigned char> body;
  std::int64_t size = 0;  // header + lacing table + body
};

enum class OggPageStatus { ok, truncated, invalid, bad_crc };

OggPageStatus read_ogg_page(const ByteSource& source, std::int64_t pos, OggPage& page);

// Returns "" when every page libogg could find anywhere from `offset` on (at any "OggS", as a
// seeking decoder may land mid-page) belongs to the first page's logical stream, otherwise
// the reason. Reads the whole stream.
//
// Chained and multiplexed streams take code paths in both decoders that misbehave on hostile
// input, and Hush has no use for them: libopusfile 0.12 leaks a link's tags when a later link
// has a bad timestamp (op_bisect_forward_serialno returns before counting the link; found by
// fuzz_audio_reader), and libsndfile's Vorbis length scan tracks extra streams in memory it
// does not initialise.
std::string check_single_ogg_stream(const ByteSource& source, std::int64_t offset);

}  // namespace hush::audio
