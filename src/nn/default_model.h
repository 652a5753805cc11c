// The model compiled into the library: models/hushnet-v3.hnn, embedded by the assembler
// (.incbin) at build time, 64-byte aligned in read-only data so it is used in place.
#pragma once

#include <cstdint>
#include <span>

namespace hush::nn {

std::span<const std::uint8_t> default_model_bytes();

}  // namespace hush::nn
