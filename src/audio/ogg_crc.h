// Ogg's page checksum: CRC-32 with polynomial 0x04c11db7, MSB first, no reflection, zero
// initial value and no final xor, computed over the page with its CRC field zeroed.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace hush::audio {

inline constexpr std::array<std::uint32_t, 256> kOggCrcTable = [] {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t r = i << 24;
    for (int bit = 0; bit < 8; ++bit) r = (r & 0x80000000u) ? (r << 1) ^ 0x04c11db7u : r << 1;
    table[i] = r;
  }
  return table;
}();

// Continues `crc` over `bytes`.
inline std::uint32_t ogg_crc_update(std::uint32_t crc, const unsigned char* bytes, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    crc = (crc << 8) ^ kOggCrcTable[((crc >> 24) ^ bytes[i]) & 0xff];
  return crc;
}

}  // namespace hush::audio
