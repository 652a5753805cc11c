#include "nn/model_file.h"

#include <zlib.h>

#include <bit>
#include <cstring>

#include "util/error.h"

static_assert(std::endian::native == std::endian::little,
              "model tensors are little-endian and used in place");

namespace hush::nn {
namespace {

[[noreturn]] void fail(const std::string& what) { throw Error(HUSH_ERR_FORMAT, "model file: " + what); }

class Reader {
 public:
  Reader(const std::uint8_t* bytes, std::size_t size, std::size_t at) : p_(bytes), size_(size), at_(at) {}

  template <typename T>
  T read(const char* what) {
    if (size_ - at_ < sizeof(T)) fail(std::string("truncated in ") + what);
    T v;
    std::memcpy(&v, p_ + at_, sizeof(T));
    at_ += sizeof(T);
    return v;
  }
  std::string read_string(std::size_t n, const char* what) {
    if (size_ - at_ < n) fail(std::string("truncated in ") + what);
    std::string s(reinterpret_cast<const char*>(p_ + at_), n);
    at_ += n;
    return s;
  }

 private:
  const std::uint8_t* p_;
  std::size_t size_;
  std::size_t at_;
};

std::uint32_t crc32_of(const std::uint8_t* p, std::size_t n) {
  uLong crc = crc32(0L, Z_NULL, 0);
  while (n > 0) {  // zlib takes uInt lengths
    const uInt chunk = static_cast<uInt>(std::min<std::size_t>(n, 1u << 30));
    crc = crc32(crc, p, chunk);
    p += chunk;
    n -= chunk;
  }
  return static_cast<std::uint32_t>(crc);
}

}  // namespace

ModelFile parse_model_file(const std::uint8_t* bytes, std::size_t size) {
  if (!bytes) fail("no data");
  if (reinterpret_cast<std::uintptr_t>(bytes) % kTensorAlignment != 0) {
    throw Error(HUSH_ERR_INTERNAL, "model buffer is not 64-byte aligned");
  }
  if (size < kModelHeaderBytes) fail("shorter than its 40-byte header");
  if (std::memcmp(bytes, kModelMagic, sizeof kModelMagic) != 0) fail("not a Hush model (bad magic)");
  Reader header(bytes, size, sizeof kModelMagic);
  const auto version = header.read<std::uint32_t>("version");
  if (version != kModelFormatVersion) fail("format version " + std::to_string(version) + " is not supported");
  const auto tensor_count = header.read<std::uint32_t>("header");
  const auto metadata_bytes = header.read<std::uint32_t>("header");
  header.read<std::uint32_t>("header");
  const auto total_bytes = header.read<std::uint64_t>("header");
  const auto crc = header.read<std::uint32_t>("header");
  if (total_bytes > size) fail("truncated (" + std::to_string(size) + " of " + std::to_string(total_bytes) + " bytes)");
  if (total_bytes < kModelHeaderBytes) fail("bad total size");
  size = static_cast<std::size_t>(total_bytes);  // trailing bytes beyond the file are ignored
  if (crc32_of(bytes + kModelHeaderBytes, size - kModelHeaderBytes) != crc) fail("checksum mismatch (corrupted)");
  if (tensor_count > 4096) fail("implausible tensor count");

  ModelFile model;
  Reader r(bytes, size, kModelHeaderBytes);
  model.metadata_json = r.read_string(metadata_bytes, "metadata");
  for (std::uint32_t t = 0; t < tensor_count; ++t) {
    const auto name_bytes = r.read<std::uint16_t>("tensor table");
    std::string name = r.read_string(name_bytes, "tensor name");
    const auto dtype = r.read<std::uint8_t>("tensor table");
    const auto rank = r.read<std::uint8_t>("tensor table");
    if (dtype != static_cast<std::uint8_t>(TensorType::f32) && dtype != static_cast<std::uint8_t>(TensorType::f16))
      fail(name + ": unsupported dtype " + std::to_string(dtype));
    if (rank < 1 || rank > 4) fail(name + ": rank " + std::to_string(rank) + " out of range");
    TensorView view;
    std::uint64_t count = 1;
    for (int d = 0; d < rank; ++d) {
      const auto dim = r.read<std::uint32_t>("tensor dims");
      if (dim == 0 || dim > (1u << 24)) fail(name + ": bad dimension");
      view.dims.push_back(dim);
      count *= dim;
      if (count > (1u << 28)) fail(name + ": too large");
    }
    const auto offset = r.read<std::uint64_t>("tensor table");
    const auto data_bytes = r.read<std::uint64_t>("tensor table");
    view.type = static_cast<TensorType>(dtype);
    const std::uint64_t element_bytes = view.type == TensorType::f16 ? 2 : sizeof(float);
    if (data_bytes != count * element_bytes) fail(name + ": byte count does not match its shape");
    if (offset % kTensorAlignment != 0) fail(name + ": data not 64-byte aligned");
    if (offset < kModelHeaderBytes || offset > size || data_bytes > size - offset) fail(name + ": data out of bounds");
    if (view.type == TensorType::f16) view.half = reinterpret_cast<const std::uint16_t*>(bytes + offset);
    else view.data = reinterpret_cast<const float*>(bytes + offset);
    view.count = static_cast<std::size_t>(count);
    if (!model.tensors.emplace(std::move(name), std::move(view)).second) fail("duplicate tensor name");
  }
  return model;
}

}  // namespace hush::nn
