// Hush model files (.hnn): a self-describing container of named float tensors (float32, or
// IEEE half for weight matrices, which halves a model's memory; see nn/layers.h).
//
// Layout (all integers little-endian):
//   0   char[8]  magic "HUSHNN\r\n" (the CR/LF pair exposes text-mode transfers, as in PNG)
//   8   u32      format version (1)
//   12  u32      tensor count
//   16  u32      metadata bytes (UTF-8 JSON object: architecture and its dimensions)
//   20  u32      reserved, 0
//   24  u64      total file bytes (a shorter buffer is a truncated file)
//   32  u32      CRC-32 (zlib) of bytes [40, total) (any flipped bit is an error)
//   36  u32      reserved, 0
//   40  metadata JSON, then one entry per tensor:
//       u16 name bytes, name, u8 dtype (1 = f32, 2 = f16: IEEE binary16), u8 rank (1..4), u32 dims[rank],
//       u64 data offset (from file start, a multiple of 64), u64 data bytes
//   tensor data, each 64-byte aligned, so a model in aligned memory is used in place.
// The writer is train/hushnn/export.py. Parsing is bounds-checked throughout; every failure is
// a hush::Error with HUSH_ERR_FORMAT and a message naming what is wrong.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace hush::nn {

inline constexpr char kModelMagic[8] = {'H', 'U', 'S', 'H', 'N', 'N', '\r', '\n'};
inline constexpr std::uint32_t kModelFormatVersion = 1;
inline constexpr std::size_t kModelHeaderBytes = 40;
inline constexpr std::size_t kTensorAlignment = 64;

enum class TensorType : std::uint8_t { f32 = 1, f16 = 2 };

struct TensorView {
  std::vector<std::int64_t> dims;
  TensorType type = TensorType::f32;
  const float* data = nullptr;          // f32 tensors: points into the parsed buffer
  const std::uint16_t* half = nullptr;  // f16 tensors: points into the parsed buffer
  std::size_t count = 0;
};

struct ModelFile {
  std::string metadata_json;
  std::map<std::string, TensorView> tensors;
};

// Parses and verifies `bytes`; the views point into it, so it must outlive the result.
// `bytes` must be 64-byte aligned (tensor data is used in place).
ModelFile parse_model_file(const std::uint8_t* bytes, std::size_t size);

}  // namespace hush::nn
