// Writes a benchmark's Markdown and JSON results (either path may be empty: not written),
// creating folders as needed; a failed write is a hush::Error.
#pragma once

#include <string>

namespace hush::bench {

void write_results(const std::string& markdown_path, const std::string& markdown,
                   const std::string& json_path, const std::string& json);

}  // namespace hush::bench
