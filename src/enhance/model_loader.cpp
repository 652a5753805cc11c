#include "enhance/model_loader.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "enhance/model_handle.h"
#include "enhance/offline_denoise.h"
#include "util/error.h"

namespace hush::enhance {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

[[noreturn]] void unreadable(const std::string& path, int error_number) {
  throw Error(HUSH_ERR_IO, path + ": cannot read model file (" + std::strerror(error_number) + ")");
}

}  // namespace

std::vector<std::uint8_t> read_model_file(const std::string& path) {
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
  if (!f) unreadable(path, errno);
  std::vector<std::uint8_t> bytes;
  std::uint8_t chunk[1 << 16];
  std::size_t n;
  while ((n = std::fread(chunk, 1, sizeof chunk, f.get())) > 0) {
    bytes.insert(bytes.end(), chunk, chunk + n);
    if (bytes.size() > kMaxModelFileBytes) {
      throw Error(HUSH_ERR_FORMAT, path + ": model file: larger than " +
                                       std::to_string(kMaxModelFileBytes >> 20) + " MB, not a Hush model");
    }
  }
  // fopen succeeds on a directory; the read then fails with EISDIR.
  if (std::ferror(f.get())) unreadable(path, errno);
  return bytes;
}

ModelPtr model_from_bytes(const std::uint8_t* bytes, std::size_t size) {
  return ModelPtr(new hush_model{nn::HushNet::parse(bytes, size, true)});
}

ModelPtr load_model_file(const std::string& path) {
  const std::vector<std::uint8_t> bytes = read_model_file(path);
  try {
    return model_from_bytes(bytes.data(), bytes.size());
  } catch (const Error& e) {
    throw Error(e.code(), path + ": " + e.what());  // the parser does not know the file's name
  }
}

ModelPtr load_model_for_engine(int engine, const std::string& path) {
  if (path.empty()) return nullptr;
  if (engine != HUSH_ENGINE_DEFAULT && engine != HUSH_ENGINE_NEURAL) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "--model needs the neural engine, not " + engine_name(engine));
  }
  return load_model_file(path);
}

}  // namespace hush::enhance
