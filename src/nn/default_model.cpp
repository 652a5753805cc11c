#include "nn/default_model.h"

#include "util/incbin.h"

#ifndef HUSH_DEFAULT_MODEL_PATH
#error "HUSH_DEFAULT_MODEL_PATH must name the .hnn file to embed"
#endif

HUSH_INCBIN(hush_default_model, HUSH_DEFAULT_MODEL_PATH);

namespace hush::nn {

std::span<const std::uint8_t> default_model_bytes() { return HUSH_INCBIN_BYTES(hush_default_model); }

}  // namespace hush::nn
