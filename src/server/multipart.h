// multipart/form-data (RFC 7578 on RFC 2046 bodies), as sent by OpenAI-style upload clients:
// `file` plus form fields such as `model` and `language`.
//
// Hand-written: Debian packages no C++ library that parses multipart bodies (Beast has none;
// cpp-httplib's parser is not packaged as a library), and the format is small.
//
// Zero-copy: a part's data is a view into the body, so a 256 MiB upload is not copied. Keep
// the body alive while the parts are used.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hush::server {

struct MultipartLimits {
  static constexpr std::size_t kDefaultMaxParts = 64;
  static constexpr std::size_t kDefaultMaxHeaderBytes = 8 * 1024;  // per part
  std::size_t max_parts = kDefaultMaxParts;
  std::size_t max_header_bytes = kDefaultMaxHeaderBytes;
};

struct MultipartPart {
  std::string name;              // Content-Disposition name
  std::string filename;          // Content-Disposition filename ("" when absent)
  bool has_filename = false;     // a file field, even when its filename is empty
  std::string content_type;      // the part's Content-Type, "text/plain" by default
  std::vector<std::pair<std::string, std::string>> headers;  // all part headers, names lower-cased
  std::string_view data;         // the content, binary-safe, a view into the body
};

// The boundary parameter of a "multipart/form-data; boundary=..." Content-Type (quoted or not).
// Throws hush::Error(HUSH_ERR_INVALID_ARGUMENT) when the type is not multipart/form-data or the
// boundary is missing or invalid (RFC 2046: 1 to 70 characters).
std::string multipart_boundary(std::string_view content_type);

// Parses the body. Throws hush::Error(HUSH_ERR_INVALID_ARGUMENT) with a clear message for a
// missing first delimiter, a missing closing delimiter, part headers over the limit, more parts
// than the limit, or a part without a form-data Content-Disposition name.
std::vector<MultipartPart> parse_multipart(std::string_view body, std::string_view boundary,
                                           const MultipartLimits& limits = {});

// The first part with this name, or nullptr.
const MultipartPart* find_part(const std::vector<MultipartPart>& parts, std::string_view name);

}  // namespace hush::server
