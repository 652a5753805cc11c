#include "server/export_zip.h"

#include <zip.h>

#include <cstring>
#include <nlohmann/json.hpp>

#include "util/error.h"

namespace hush::server {

namespace {

std::string csv_field(const nlohmann::json& v) {
  std::string s = v.is_string() ? v.get<std::string>() : v.is_null() ? "" : v.dump();
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string quoted = "\"";
  for (char c : s) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

std::string json_array_to_csv(const std::string& json_text) {
  const auto rows = nlohmann::json::parse(json_text);
  if (!rows.is_array() || rows.empty() || !rows[0].is_object()) return "";
  std::vector<std::string> columns;
  for (const auto& item : rows[0].items()) columns.push_back(item.key());
  std::string out;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i) out += ',';
    out += csv_field(columns[i]);
  }
  out += "\r\n";
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i) out += ',';
      out += csv_field(row.contains(columns[i]) ? row[columns[i]] : nlohmann::json());
    }
    out += "\r\n";
  }
  return out;
}

std::string build_export_zip(const std::vector<std::pair<std::string, std::string>>& tables,
                             const std::vector<ExportFile>& files) {
  std::vector<ExportFile> all;
  for (const auto& [table, json] : tables) {
    all.push_back({table + ".json", json});
    all.push_back({table + ".csv", json_array_to_csv(json)});
  }
  all.insert(all.end(), files.begin(), files.end());

  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_t* archive = buffer ? zip_open_from_source(buffer, ZIP_TRUNCATE, &error) : nullptr;
  if (!archive) {
    if (buffer) zip_source_free(buffer);
    throw Error(HUSH_ERR_INTERNAL, std::string("cannot create the export ZIP: ") + zip_error_strerror(&error));
  }
  zip_source_keep(buffer);  // read it back after zip_close
  for (const auto& f : all) {
    zip_source_t* data = zip_source_buffer(archive, f.bytes.data(), f.bytes.size(), 0);
    if (!data || zip_file_add(archive, f.name.c_str(), data, ZIP_FL_ENC_UTF_8) < 0) {
      if (data) zip_source_free(data);
      zip_discard(archive);
      zip_source_free(buffer);
      throw Error(HUSH_ERR_INTERNAL, "cannot add " + f.name + " to the export ZIP");
    }
  }
  if (zip_close(archive) != 0) {
    zip_discard(archive);
    zip_source_free(buffer);
    throw Error(HUSH_ERR_INTERNAL, "cannot finish the export ZIP");
  }
  std::string out;
  zip_stat_t st;
  if (zip_source_stat(buffer, &st) == 0 && zip_source_open(buffer) == 0) {
    out.resize(st.size);
    const auto n = zip_source_read(buffer, out.data(), st.size);
    zip_source_close(buffer);
    out.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
  }
  zip_source_free(buffer);
  if (out.empty()) throw Error(HUSH_ERR_INTERNAL, "cannot read the export ZIP back");
  return out;
}

}  // namespace hush::server
