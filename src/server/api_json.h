// Reading request JSON strictly: unknown fields and wrong types are 400s that name the field,
// so a client's typo never silently does something else.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace hush::server {

void reject_unknown_fields(const nlohmann::json& body, std::initializer_list<const char*> known);
std::optional<std::string> json_string(const nlohmann::json& body, const char* field);
std::optional<bool> json_bool(const nlohmann::json& body, const char* field);
std::optional<std::int64_t> json_int(const nlohmann::json& body, const char* field);
std::string required_string(const nlohmann::json& body, const char* field);

}  // namespace hush::server
