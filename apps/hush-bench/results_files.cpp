#include "apps/hush-bench/results_files.h"

#include <filesystem>
#include <fstream>
#include <utility>

#include "util/error.h"

namespace hush::bench {

void write_results(const std::string& markdown_path, const std::string& markdown,
                   const std::string& json_path, const std::string& json) {
  namespace fs = std::filesystem;
  for (const auto& [path, text] : {std::pair{markdown_path, markdown}, std::pair{json_path, json}}) {
    if (path.empty()) continue;
    if (fs::path(path).has_parent_path()) fs::create_directories(fs::path(path).parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw Error(HUSH_ERR_IO, "cannot write '" + path + "'");
  }
}

}  // namespace hush::bench
