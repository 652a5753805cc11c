#include "server/multipart.h"

#include <algorithm>
#include <functional>

#include "server/url.h"
#include "util/error.h"

namespace hush::server {
namespace {

[[noreturn]] void fail(const std::string& message) {
  throw Error(HUSH_ERR_INVALID_ARGUMENT, "malformed multipart/form-data: " + message);
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Parameters after the first ';' of a header value: key=token or key="quoted \" string".
// Keys are lower-cased. Unparsable trailing junk ends the list (browsers send nothing odd).
std::vector<std::pair<std::string, std::string>> header_params(std::string_view value, std::string_view* first) {
  std::vector<std::pair<std::string, std::string>> params;
  std::size_t semi = value.find(';');
  *first = trim(value.substr(0, semi));
  std::size_t pos = semi == std::string_view::npos ? value.size() : semi + 1;
  while (pos < value.size()) {
    while (pos < value.size() && (value[pos] == ' ' || value[pos] == '\t' || value[pos] == ';')) ++pos;
    const std::size_t eq = value.find('=', pos);
    if (eq == std::string_view::npos) break;
    std::string key = ascii_lower(trim(value.substr(pos, eq - pos)));
    pos = eq + 1;
    while (pos < value.size() && (value[pos] == ' ' || value[pos] == '\t')) ++pos;
    std::string param;
    if (pos < value.size() && value[pos] == '"') {
      ++pos;
      bool closed = false;
      while (pos < value.size()) {
        const char c = value[pos++];
        if (c == '"') {
          closed = true;
          break;
        }
        if (c == '\\' && pos < value.size()) {
          param.push_back(value[pos++]);
        } else {
          param.push_back(c);
        }
      }
      if (!closed) fail("unterminated quoted string in header parameter '" + key + "'");
    } else {
      const std::size_t end = std::min(value.find(';', pos), value.size());
      param = std::string(trim(value.substr(pos, end - pos)));
      pos = end;
    }
    params.emplace_back(std::move(key), std::move(param));
  }
  return params;
}

bool is_boundary_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

void parse_part_headers(std::string_view block, MultipartPart& part) {
  while (!block.empty()) {
    const std::size_t eol = block.find("\r\n");
    const std::string_view line = block.substr(0, eol);
    block = eol == std::string_view::npos ? std::string_view{} : block.substr(eol + 2);
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) fail("folded part header lines are not allowed");
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) fail("part header line without a name");
    part.headers.emplace_back(ascii_lower(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))));
  }
  bool has_disposition = false;
  part.content_type = "text/plain";
  for (const auto& [name, value] : part.headers) {
    if (name == "content-type") {
      part.content_type = value;
    } else if (name == "content-disposition" && !has_disposition) {
      has_disposition = true;
      std::string_view type;
      const auto params = header_params(value, &type);
      if (!ascii_iequals(type, "form-data")) fail("a part's Content-Disposition is not form-data");
      bool has_name = false;
      for (const auto& [key, param] : params) {
        if (key == "name" && !has_name) {
          part.name = param;
          has_name = true;
        } else if (key == "filename" && !part.has_filename) {
          part.filename = param;
          part.has_filename = true;
        }
      }
      if (!has_name) fail("a part's Content-Disposition has no name");
    }
  }
  if (!has_disposition) fail("a part has no Content-Disposition header");
}

}  // namespace

std::string multipart_boundary(std::string_view content_type) {
  std::string_view type;
  const auto params = header_params(content_type, &type);
  if (!ascii_iequals(type, "multipart/form-data"))
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "expected Content-Type multipart/form-data, got '" + std::string(type) + "'");
  for (const auto& [key, value] : params) {
    if (key != "boundary") continue;
    if (value.empty() || value.size() > 70 || value.back() == ' ' ||
        !std::all_of(value.begin(), value.end(), is_boundary_char))
      throw Error(HUSH_ERR_INVALID_ARGUMENT, "invalid multipart boundary in Content-Type");
    return value;
  }
  throw Error(HUSH_ERR_INVALID_ARGUMENT, "multipart/form-data Content-Type has no boundary parameter");
}

std::vector<MultipartPart> parse_multipart(std::string_view body, std::string_view boundary,
                                           const MultipartLimits& limits) {
  if (boundary.empty()) fail("empty boundary");
  const std::string dash_boundary = "--" + std::string(boundary);
  const std::string delimiter = "\r\n" + dash_boundary;
  const std::boyer_moore_horspool_searcher searcher(delimiter.begin(), delimiter.end());

  // The first boundary opens the body or follows a preamble line.
  std::size_t pos = 0;
  if (body.substr(0, dash_boundary.size()) != dash_boundary) {
    const std::size_t found = body.find(delimiter);
    if (found == std::string_view::npos) fail("the body does not contain the boundary");
    pos = found + 2;
  }
  pos += dash_boundary.size();

  std::vector<MultipartPart> parts;
  for (;;) {
    if (body.substr(pos, 2) == "--") return parts;  // close delimiter; the epilogue is ignored
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (body.substr(pos, 2) != "\r\n") {
      if (pos >= body.size()) fail("no closing boundary delimiter");
      fail("unexpected bytes after a boundary delimiter");
    }
    pos += 2;
    if (pos >= body.size()) fail("no closing boundary delimiter");
    if (parts.size() >= limits.max_parts)
      fail("more than " + std::to_string(limits.max_parts) + " parts");

    // Headers end at an empty line; a part may have none (then the empty line comes at once).
    std::size_t content_start = 0;
    std::string_view header_block;
    if (body.substr(pos, 2) == "\r\n") {
      content_start = pos + 2;
    } else {
      const std::size_t window = std::min(body.size() - pos, limits.max_header_bytes + 4);
      const std::size_t end = body.substr(pos, window).find("\r\n\r\n");
      if (end == std::string_view::npos) {
        if (body.size() - pos > limits.max_header_bytes + 4)
          fail("part headers longer than " + std::to_string(limits.max_header_bytes) + " bytes");
        fail("part headers are not terminated by an empty line");
      }
      header_block = body.substr(pos, end);
      content_start = pos + end + 4;
    }
    MultipartPart part;
    parse_part_headers(header_block, part);

    const auto rest = body.substr(content_start);
    const auto hit = std::search(rest.begin(), rest.end(), searcher);
    if (hit == rest.end()) fail("no closing boundary delimiter");
    const std::size_t content_end = content_start + static_cast<std::size_t>(hit - rest.begin());
    part.data = body.substr(content_start, content_end - content_start);
    parts.push_back(std::move(part));
    pos = content_end + delimiter.size();
  }
}

const MultipartPart* find_part(const std::vector<MultipartPart>& parts, std::string_view name) {
  for (const auto& part : parts)
    if (part.name == name) return &part;
  return nullptr;
}

}  // namespace hush::server
