// Text and JSON files the CLI reads (transcripts, notes, templates) and writes (exports):
// one place for the error messages and for writing through a temporary file, so a failed
// write never leaves half a file behind.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace hush::cli {

// `what` names the file's role in messages ("transcript", "template"). HUSH_ERR_IO when the
// file cannot be opened or read.
std::string read_text_file(const std::string& path, const char* what);
// As read_text_file, then parsed: HUSH_ERR_FORMAT "<what> '<path>' is not valid JSON (...)" for
// any syntax error or number out of range.
nlohmann::json read_json_file(const std::string& path, const char* what);
// Writes `text` to `path` atomically; "" or "-" is stdout.
void write_text_output(const std::string& path, const std::string& text);

}  // namespace hush::cli
