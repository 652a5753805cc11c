#include "meeting/speaker_model_data.h"

#ifndef HUSH_SPEAKER_MODEL_PATH
#error "HUSH_SPEAKER_MODEL_PATH must name the speaker .hnn file to embed"
#endif

// .incbin, as in src/nn/default_model.cpp: the file is embedded as is, 64-byte aligned, with
// hidden symbols so libraries built on this export nothing extra.
__asm__(".section .rodata\n"
        ".balign 64\n"
        ".hidden hush_speaker_model_begin\n"
        "hush_speaker_model_begin:\n"
        ".incbin \"" HUSH_SPEAKER_MODEL_PATH "\"\n"
        ".hidden hush_speaker_model_end\n"
        "hush_speaker_model_end:\n"
        ".previous\n");

extern "C" const std::uint8_t hush_speaker_model_begin[];
extern "C" const std::uint8_t hush_speaker_model_end[];

namespace hush::meeting {

std::span<const std::uint8_t> builtin_speaker_model_bytes() {
  return {hush_speaker_model_begin, static_cast<std::size_t>(hush_speaker_model_end - hush_speaker_model_begin)};
}

}  // namespace hush::meeting
