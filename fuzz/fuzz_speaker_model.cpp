// Feeds arbitrary bytes to SpeakerModel::from_bytes (the .hnn speaker projection loader) and
// embeds two fixed statistics vectors with any model it accepts. Anything may be rejected with
// hush::Error and nothing else: no other exception, crash or sanitizer report.
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "meeting/speaker_features.h"
#include "meeting/speaker_model.h"
#include "nn/model_file.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::uint8_t> bytes(data, data + size);
  // Recompute the checksum (for half the inputs), or nearly every mutation stops at the CRC
  // check and the metadata and tensor checks behind it only ever see the seeds.
  if (bytes.size() >= hush::nn::kModelHeaderBytes && (size % 2 == 0)) {
    const auto crc = static_cast<std::uint32_t>(
        crc32(crc32(0L, Z_NULL, 0), bytes.data() + hush::nn::kModelHeaderBytes,
              static_cast<uInt>(bytes.size() - hush::nn::kModelHeaderBytes)));
    std::memcpy(bytes.data() + 32, &crc, sizeof crc);
  }
  try {
    const hush::meeting::SpeakerModel model = hush::meeting::SpeakerModel::from_bytes(bytes);
    std::vector<float> stats(hush::meeting::kStatsDims, 0.0f);
    std::vector<float> out(static_cast<std::size_t>(model.embedding_dims()));
    model.embed(stats, out);
    for (std::size_t i = 0; i < stats.size(); ++i) stats[i] = static_cast<float>(i % 7) - 3.0f;
    model.embed(stats, out);
    model.project(stats, out);
  } catch (const hush::Error&) {
  }
  return 0;
}
