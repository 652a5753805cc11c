// Loading .hnn model files from C++ with a message that says what is wrong, for the apps (the
// C API's hush_model_load_file reads through the same code and keeps only the error code).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "hush.h"

namespace hush::enhance {

struct ModelDeleter {
  void operator()(hush_model* model) const { hush_model_destroy(model); }
};
using ModelPtr = std::unique_ptr<hush_model, ModelDeleter>;

// Largest model file accepted: far above any model Hush ships, small enough that a wrong path
// (a disk image, a video) is refused instead of read into memory.
inline constexpr std::size_t kMaxModelFileBytes = std::size_t{256} << 20;

// The whole file. Throws hush::Error: HUSH_ERR_IO ("PATH: cannot read model file (reason)")
// when it is missing or unreadable, HUSH_ERR_FORMAT when it exceeds kMaxModelFileBytes.
std::vector<std::uint8_t> read_model_file(const std::string& path);

// Parses a model from memory (copied). Throws hush::Error(HUSH_ERR_FORMAT) with the parser's
// reason ("model file: checksum mismatch (corrupted)").
ModelPtr model_from_bytes(const std::uint8_t* bytes, std::size_t size);

// Reads and parses a model. Throws hush::Error: HUSH_ERR_IO as above, HUSH_ERR_FORMAT with the
// parser's reason ("PATH: model file: checksum mismatch (corrupted)").
ModelPtr load_model_file(const std::string& path);

// The model a command line asks for: nullptr (the built-in model) when `path` is empty, else
// load_model_file(path). Throws hush::Error(HUSH_ERR_INVALID_ARGUMENT) naming --model when a
// path is given for an engine that takes no model (spectral).
ModelPtr load_model_for_engine(int engine, const std::string& path);

}  // namespace hush::enhance
