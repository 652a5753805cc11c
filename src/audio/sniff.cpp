#include "audio/sniff.h"

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

}  // namespace

Sniffed sniff_container(const ByteSource& source) {
  const std::int64_t at = skip_id3(source);
  Sniffed found{Container::unknown, at};
  const bool riff = has_magic(source, at, "RIFF") || has_magic(source, at, "RIFX") ||
                    has_magic(source, at, "RF64");
  if (riff && has_magic(source, at + 8, "WAVE")) {
    found.container = Container::wav;
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
