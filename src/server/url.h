// Percent-decoding of request targets (RFC 3986) and query strings
// (application/x-www-form-urlencoded: '+' is a space there, not in paths).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hush::server {

// Decodes %XX escapes; nullopt when an escape is malformed ("%4", "%zz").
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

struct ParsedTarget {
  std::string path;                          // decoded
  std::vector<std::string> raw_segments;     // the path split at '/', still encoded
  std::map<std::string, std::string> query;  // decoded; a repeated key keeps the last
};

// Splits "/a/b%20c?x=1&y" into path, segments and query; nullopt for a malformed escape or a
// target that is not origin-form (does not start with '/').
std::optional<ParsedTarget> parse_target(std::string_view target);

bool ascii_iequals(std::string_view a, std::string_view b);
std::string ascii_lower(std::string_view text);

}  // namespace hush::server
