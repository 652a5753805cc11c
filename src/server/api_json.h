// Reading request JSON strictly: unknown fields and wrong types are 400s that name the field,
// so a client's typo never silently does something else.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace hush::server {

void reject_unknown_fields(const nlohmann::json& body, std::initializer_list<const char*> known);
std::optional<std::string> json_string(const nlohmann::json& body, const char* field);
std::optional<bool> json_bool(const nlohmann::json& body, const char* field);
std::optional<std::int64_t> json_int(const nlohmann::json& body, const char* field);
std::string required_string(const nlohmann::json& body, const char* field);

// Text that did not come through the JSON parser (multipart fields, file names, query strings)
// and may be stored and later written into a JSON response: invalid UTF-8 would make every later
// nlohmann dump of it throw, and a NUL byte cannot be stored in PostgreSQL text. Throws
// HUSH_ERR_INVALID_ARGUMENT (400) naming `what`.
void require_text(std::string_view value, std::string_view what);
bool is_valid_utf8(std::string_view value);  // strict: no overlong forms, surrogates or truncation

}  // namespace hush::server
