// The bytes of models/speaker-lda-v1.hnn, compiled into the library (see speaker_model_data.cpp).
#pragma once

#include <cstdint>
#include <span>

namespace hush::meeting {

std::span<const std::uint8_t> builtin_speaker_model_bytes();

}  // namespace hush::meeting
