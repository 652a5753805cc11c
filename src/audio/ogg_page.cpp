#include "audio/ogg_page.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "audio/ogg_crc.h"

namespace hush::audio {
namespace {

constexpr std::size_t kHeaderBytes = 27;

std::uint32_t le32(const unsigned char* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 |
         std::uint32_t{p[3]} << 24;
}

}  // namespace

OggPageStatus read_ogg_page(const ByteSource& source, std::int64_t pos, OggPage& page) {
  unsigned char header[kHeaderBytes];
  if (source.read_at(pos, header, sizeof header) != sizeof header) return OggPageStatus::truncated;
  if (std::memcmp(header, "OggS", 4) != 0 || header[4] != 0) return OggPageStatus::invalid;
  page.flags = header[5];
  page.serial = le32(header + 14);
  page.sequence = le32(header + 18);
  page.lacing.resize(header[26]);
  const std::int64_t lacing_at = pos + static_cast<std::int64_t>(kHeaderBytes);
  if (source.read_at(lacing_at, page.lacing.data(), page.lacing.size()) != page.lacing.size()) {
    return OggPageStatus::truncated;
  }
  std::size_t body_bytes = 0;
  for (const unsigned char n : page.lacing) body_bytes += n;
  page.body.resize(body_bytes);
  const std::int64_t body_at = lacing_at + static_cast<std::int64_t>(page.lacing.size());
  if (source.read_at(body_at, page.body.data(), body_bytes) != body_bytes) {
    return OggPageStatus::truncated;
  }
  page.size = body_at + static_cast<std::int64_t>(body_bytes) - pos;

  const std::uint32_t stored = le32(header + 22);
  std::memset(header + 22, 0, 4);
  std::uint32_t crc = ogg_crc_update(0, header, sizeof header);
  crc = ogg_crc_update(crc, page.lacing.data(), page.lacing.size());
  crc = ogg_crc_update(crc, page.body.data(), page.body.size());
  return crc == stored ? OggPageStatus::ok : OggPageStatus::bad_crc;
}

std::string check_single_ogg_stream(const ByteSource& source, std::int64_t offset) {
  OggPage page;
  if (read_ogg_page(source, offset, page) != OggPageStatus::ok) return "bad first Ogg page";
  const std::uint32_t serial = page.serial;

  constexpr std::size_t kBlock = 1 << 16;
  constexpr std::string_view kCapture = "OggS";
  std::vector<char> block(kBlock + kCapture.size() - 1);
  for (std::int64_t base = offset + 1; base < source.size(); base += kBlock) {
    // Each block overlaps the next by three bytes so a capture pattern across the seam counts.
    const std::size_t got = source.read_at(base, block.data(), block.size());
    const std::string_view text(block.data(), got);
    for (std::size_t at = text.find(kCapture); at != std::string_view::npos && at < kBlock;
         at = text.find(kCapture, at + 1)) {
      const std::int64_t pos = base + static_cast<std::int64_t>(at);
      if (read_ogg_page(source, pos, page) == OggPageStatus::ok && page.serial != serial) {
        return "chained or multiplexed Ogg streams are not supported";
      }
    }
  }
  return "";
}

}  // namespace hush::audio
