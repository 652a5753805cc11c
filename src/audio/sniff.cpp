#include "audio/sniff.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string_view>

namespace hush::audio {
namespace {

using namespace std::string_view_literals;  // "..."sv keeps the NUL bytes in a magic

bool has_magic(const ByteSource& source, std::int64_t pos, std::string_view magic) {
  char buf[16] = {};
  if (magic.size() > sizeof buf) return false;
  return source.read_at(pos, buf, magic.size()) == magic.size() &&
         magic == std::string_view(buf, magic.size());
}

// FLAC files sometimes start with an ID3v2 tag (libsndfile skips it too). Returns the offset
// past the tag, or 0 when there is none.
std::int64_t skip_id3(const ByteSource& source) {
  unsigned char h[10] = {};
  if (!has_magic(source, 0, "ID3") || source.read_at(0, h, sizeof h) != sizeof h) return 0;
  std::int64_t size = 0;
  for (int i = 6; i < 10; ++i) size = (size << 7) | (h[i] & 0x7f);  // "syncsafe" integer
  const bool has_footer = (h[5] & 0x10) != 0;
  return 10 + size + (has_footer ? 10 : 0);
}

// An Ogg Opus stream's first page holds exactly the OpusHead packet, right after the 27-byte
// page header and its segment table.
bool is_ogg_opus(const ByteSource& source, std::int64_t at) {
  unsigned char segments = 0;
  if (source.read_at(at + 26, &segments, 1) != 1) return false;
  return has_magic(source, at + 27 + segments, "OpusHead");
}

std::uint32_t le32(const unsigned char* p) {
  return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[3]) << 24;
}

// Codecs accepted inside WAV: PCM, IEEE float, A-law, mu-law, MS and IMA ADPCM, GSM 6.10.
bool is_accepted_wav_tag(unsigned tag) {
  switch (tag) {
    case 0x0001: case 0x0003: case 0x0006: case 0x0007: case 0x0002: case 0x0011: case 0x0031:
      return true;
    default:
      return false;
  }
}

// Walks the chunks of a little-endian RIFF/WAVE file (RIFX and RF64 are left to libsndfile:
// RF64 keeps its real sizes elsewhere). Hand-written because libsndfile only reports these
// problems after handing the data to a codec, or not at all.
std::string check_riff_wave(const ByteSource& source, std::int64_t at) {
  if (!has_magic(source, at, "RIFF")) return {};
  std::int64_t pos = at + 12;
  for (int chunks = 0; chunks < 64; ++chunks) {
    unsigned char header[8];
    if (source.read_at(pos, header, 8) != 8) return {};
    const std::string id(reinterpret_cast<const char*>(header), 4);
    const std::uint32_t size = le32(header + 4);
    if (id == "fmt ") {
      unsigned char fmt[26] = {};
      const std::size_t got = source.read_at(pos + 8, fmt, std::min<std::size_t>(size, sizeof fmt));
      if (got < 2) return {};
      unsigned tag = unsigned(fmt[0]) | unsigned(fmt[1]) << 8;
      if (tag == 0xFFFE && got >= 26) tag = unsigned(fmt[24]) | unsigned(fmt[25]) << 8;  // extensible
      if (!is_accepted_wav_tag(tag)) {
        char text[96];
        std::snprintf(text, sizeof text, "unsupported WAV codec (format tag 0x%04X)", tag);
        return text;
      }
    } else if (id == "data") {
      const std::int64_t end = pos + 8 + std::int64_t(size);
      // 0 and 0xFFFFFFFF are the "size unknown" placeholders of streaming writers.
      if (size != 0 && size != 0xFFFFFFFFu && end > source.size()) {
        return "truncated: the data chunk promises " + std::to_string(size) + " bytes, the file holds " +
               std::to_string(source.size() - pos - 8);
      }
      return {};
    }
    pos += 8 + std::int64_t(size) + (size & 1);  // chunks are padded to even sizes
  }
  return {};
}

}  // namespace

Sniffed sniff_container(const ByteSource& source) {
  const std::int64_t at = skip_id3(source);
  Sniffed found{Container::unknown, at};
  const bool riff = has_magic(source, at, "RIFF") || has_magic(source, at, "RIFX") ||
                    has_magic(source, at, "RF64");
  if (riff && has_magic(source, at + 8, "WAVE")) {
    found.container = Container::wav;
    found.wav_problem = check_riff_wave(source, at);
  } else if (has_magic(source, at, "riff\x2e\x91\xcf\x11\xa5\xd6\x28\xdb\x04\xc1\x00\x00"sv)) {
    found.container = Container::wav;  // Sony Wave64: a RIFF-like container with GUID chunk ids
  } else if (has_magic(source, at, "fLaC")) {
    found.container = Container::flac;
  } else if (has_magic(source, at, "OggS")) {
    found.container = is_ogg_opus(source, at) ? Container::ogg_opus : Container::ogg_other;
  }
  return found;
}

}  // namespace hush::audio
