#include "meeting/speaker_model_data.h"

#include "util/incbin.h"

#ifndef HUSH_SPEAKER_MODEL_PATH
#error "HUSH_SPEAKER_MODEL_PATH must name the speaker .hnn file to embed"
#endif

HUSH_INCBIN(hush_speaker_model, HUSH_SPEAKER_MODEL_PATH);

namespace hush::meeting {

std::span<const std::uint8_t> builtin_speaker_model_bytes() { return HUSH_INCBIN_BYTES(hush_speaker_model); }

}  // namespace hush::meeting
