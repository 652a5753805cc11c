// C API for neural models: loading from a file or memory, sizes, release.
#include <cstdint>
#include <vector>

#include "enhance/model_handle.h"
#include "enhance/model_loader.h"
#include "hush.h"
#include "util/error.h"

namespace {

int load(const void* data, std::size_t bytes, hush_model** out) {
  return hush::error_code_of([&] {
    *out = hush::enhance::model_from_bytes(static_cast<const std::uint8_t*>(data), bytes).release();
    return int{HUSH_OK};
  });
}

}  // namespace

extern "C" {

HUSH_API int hush_model_load_memory(const void* data, size_t bytes, hush_model** out_model) {
  if (!out_model) return HUSH_ERR_INVALID_ARGUMENT;
  *out_model = nullptr;
  if (!data) return HUSH_ERR_INVALID_ARGUMENT;
  return load(data, bytes, out_model);
}

HUSH_API int hush_model_load_file(const char* path, hush_model** out_model) {
  if (!out_model) return HUSH_ERR_INVALID_ARGUMENT;
  *out_model = nullptr;
  if (!path) return HUSH_ERR_INVALID_ARGUMENT;
  return hush::error_code_of([&] {
    const std::vector<std::uint8_t> bytes = hush::enhance::read_model_file(path);  // shared with the apps
    return load(bytes.data(), bytes.size(), out_model);
  });
}

HUSH_API void hush_model_destroy(hush_model* model) { delete model; }

HUSH_API long long hush_model_weight_bytes(const hush_model* model) {
  return hush::error_code_of([&] {
    const auto& net = model ? *model->net : hush::nn::HushNet::built_in();
    return static_cast<long long>(net.weight_bytes());
  });
}

}  // extern "C"
