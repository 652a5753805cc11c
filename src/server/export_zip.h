// The data-portability export (privacy P9): a ZIP with one JSON and one CSV file per kind of
// data held about the user, plus their recordings' audio, decrypted. Built with libzip.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace hush::server {

struct ExportFile {
  std::string name;  // path inside the ZIP
  std::string bytes;
};

// Adds "<table>.csv" for each JSON array of flat objects given as ("<table>", json text), next to
// "<table>.json"; other files go in as they are. Throws hush::Error(HUSH_ERR_INTERNAL) when
// libzip fails.
std::string build_export_zip(const std::vector<std::pair<std::string, std::string>>& tables,
                             const std::vector<ExportFile>& files);

// RFC 4180 CSV of a JSON array of objects (columns: the first object's keys).
std::string json_array_to_csv(const std::string& json_text);

}  // namespace hush::server
