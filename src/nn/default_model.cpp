#include "nn/default_model.h"

#ifndef HUSH_DEFAULT_MODEL_PATH
#error "HUSH_DEFAULT_MODEL_PATH must name the .hnn file to embed"
#endif

// .incbin keeps the weights out of the compiler (a 2 MB array initialiser compiles slowly)
// and the symbols hidden so libhush.so exports only hush_* functions.
__asm__(".section .rodata\n"
        ".balign 64\n"
        ".hidden hush_default_model_begin\n"
        "hush_default_model_begin:\n"
        ".incbin \"" HUSH_DEFAULT_MODEL_PATH "\"\n"
        ".hidden hush_default_model_end\n"
        "hush_default_model_end:\n"
        ".previous\n");

extern "C" const std::uint8_t hush_default_model_begin[];
extern "C" const std::uint8_t hush_default_model_end[];

namespace hush::nn {

std::span<const std::uint8_t> default_model_bytes() {
  return {hush_default_model_begin, static_cast<std::size_t>(hush_default_model_end - hush_default_model_begin)};
}

}  // namespace hush::nn
