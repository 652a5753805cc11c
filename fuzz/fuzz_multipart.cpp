// Feeds arbitrary bytes to the multipart/form-data parser: the first line is the Content-Type
// header value, the rest the body. The parser may only throw hush::Error; every part it returns
// must point inside the body, and there may be no more parts than the limit.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/multipart.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  const std::string content_type = input.substr(0, newline);
  const std::string body = newline == std::string::npos ? std::string() : input.substr(newline + 1);
  hush::server::MultipartLimits limits;
  limits.max_parts = 8;
  limits.max_header_bytes = 256;
  try {
    const std::string boundary = hush::server::multipart_boundary(content_type);
    const auto parts = hush::server::parse_multipart(body, boundary, limits);
    if (parts.size() > limits.max_parts) __builtin_trap();
    for (const auto& part : parts) {
      if (part.data.data() < body.data() || part.data.data() + part.data.size() > body.data() + body.size())
        __builtin_trap();
      if (part.name.empty() && part.headers.empty()) __builtin_trap();
    }
  } catch (const hush::Error&) {
  }
  return 0;
}
