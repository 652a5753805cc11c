#include "audio/vorbis_headers.h"

#include <cstring>
#include <vector>

#include "audio/ogg_page.h"

namespace hush::audio {
namespace {

std::uint32_t le32(const unsigned char* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 |
         std::uint32_t{p[3]} << 24;
}

// libogg silently drops a page whose CRC fails, which is how libsndfile ends up with a hole in
// the headers; so a page counts only if it is whole and its CRC holds.
const char* read_page(const ByteSource& source, std::int64_t pos, OggPage& page) {
  switch (read_ogg_page(source, pos, page)) {
    case OggPageStatus::ok: return nullptr;
    case OggPageStatus::truncated: return "ends inside the Vorbis headers";
    case OggPageStatus::invalid: return "bad Ogg page";
    case OggPageStatus::bad_crc: return "Ogg page checksum mismatch in the Vorbis headers";
  }
  return "bad Ogg page";
}

// What libvorbis's vorbis_synthesis_headerin demands of the identification header.
bool valid_identification(const std::vector<unsigned char>& p) {
  if (p.size() < 30) return false;
  const unsigned small_log2 = p[28] & 0x0f;
  const unsigned large_log2 = p[28] >> 4;
  return le32(p.data() + 7) == 0 && p[11] >= 1 && le32(p.data() + 12) >= 1 && small_log2 >= 6 &&
         large_log2 >= small_log2 && large_log2 <= 13 && (p[29] & 1) == 1;
}

bool starts_with(const std::vector<unsigned char>& packet, const char* prefix, std::size_t n) {
  return packet.size() >= n && std::memcmp(packet.data(), prefix, n) == 0;
}

}  // namespace

std::string check_vorbis_headers(const ByteSource& source, std::int64_t offset) {
  // The three packets: identification (alone on the first page), comment and setup. Only the
  // identification header is kept whole; the others are checked by their 7-byte type prefix.
  std::vector<unsigned char> packet;
  int done = 0;
  bool in_packet = false;
  std::uint32_t serial = 0;
  std::uint32_t next_sequence = 0;
  OggPage page;
  for (std::int64_t pos = offset; done < 3; pos += page.size) {
    if (const char* why = read_page(source, pos, page)) return why;
    const bool first = pos == offset;
    if (first) {
      if ((page.flags & kOggFirstPage) == 0) return "bad Ogg stream start";
      serial = page.serial;
      next_sequence = page.sequence;
    }
    if (page.serial != serial) continue;  // another multiplexed stream; libsndfile skips it too
    // libogg reports a gap in page numbers, or a continuation of nothing, as a hole.
    if (page.sequence != next_sequence++ || ((page.flags & kOggContinued) != 0) != in_packet) {
      return "missing data in the Vorbis headers";
    }
    std::size_t body_pos = 0;
    for (const unsigned char n : page.lacing) {
      if (packet.size() < 64) {
        packet.insert(packet.end(), page.body.begin() + static_cast<std::ptrdiff_t>(body_pos),
                      page.body.begin() + static_cast<std::ptrdiff_t>(body_pos + n));
      }
      body_pos += n;
      in_packet = n == 255;
      if (in_packet) continue;
      if (done == 0 && !starts_with(packet, "\x01vorbis", 7)) {
        return "unsupported Ogg codec (Hush reads Ogg Vorbis and Ogg Opus)";
      }
      const bool ok = done == 0   ? first && valid_identification(packet)
                      : done == 1 ? starts_with(packet, "\x03vorbis", 7)
                                  : starts_with(packet, "\x05vorbis", 7);
      if (!ok) return done == 0 ? "bad Vorbis identification header" : "bad Vorbis header";
      packet.clear();
      if (++done == 3) break;
    }
    if (first && (done != 1 || in_packet)) return "bad Vorbis identification header";
    if (done < 3 && (page.flags & kOggLastPage) != 0) return "ends inside the Vorbis headers";
  }
  return "";
}

}  // namespace hush::audio
