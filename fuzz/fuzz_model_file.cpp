// Feeds arbitrary bytes to the model-file parser (and runs any model it accepts for a few
// frames): anything may be rejected with hush::Error, nothing may crash or trip a sanitizer.
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "hush.h"
#include "nn/model_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::uint8_t> bytes(data, data + size);
  // Recompute the checksum, or nearly every mutation stops at the CRC check and the tensor
  // table parser behind it is only ever reached with the seeds.
  if (bytes.size() >= hush::nn::kModelHeaderBytes && (size % 2 == 0)) {
    const auto crc = static_cast<std::uint32_t>(
        crc32(crc32(0L, Z_NULL, 0), bytes.data() + hush::nn::kModelHeaderBytes,
              static_cast<uInt>(bytes.size() - hush::nn::kModelHeaderBytes)));
    std::memcpy(bytes.data() + 32, &crc, sizeof crc);
  }
  hush_model* model = nullptr;
  if (hush_model_load_memory(bytes.data(), bytes.size(), &model) != HUSH_OK) return 0;
  hush_denoiser_config config = hush_denoiser_default_config();
  config.sample_rate_hz = 16000;
  config.engine = HUSH_ENGINE_NEURAL;
  config.model = model;
  hush_denoiser* d = nullptr;
  if (hush_denoiser_create(&config, &d) == HUSH_OK) {
    float frame[160];
    for (int f = 0; f < 4; ++f) {
      for (int i = 0; i < 160; ++i) frame[i] = static_cast<float>((i * 37 + f * 11) % 200 - 100) / 400.0f;
      hush_denoiser_process(d, frame, frame);
    }
    hush_denoiser_destroy(d);
  }
  hush_model_destroy(model);
  return 0;
}
