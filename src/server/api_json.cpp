#include "server/api_json.h"

#include "util/error.h"

namespace hush::server {

namespace {

[[noreturn]] void bad_type(const char* field, const char* type) {
  throw Error(HUSH_ERR_INVALID_ARGUMENT, std::string("field '") + field + "' must be " + type);
}

}  // namespace

void reject_unknown_fields(const nlohmann::json& body, std::initializer_list<const char*> known) {
  for (const auto& item : body.items()) {
    bool ok = false;
    for (const char* k : known) ok = ok || item.key() == k;
    if (!ok) {
      std::string list;
      for (const char* k : known) list += std::string(list.empty() ? "" : ", ") + k;
      throw Error(HUSH_ERR_INVALID_ARGUMENT,
                  "unknown field '" + item.key().substr(0, 60) + "' (accepted: " + list + ")");
    }
  }
}

std::optional<std::string> json_string(const nlohmann::json& body, const char* field) {
  if (!body.contains(field) || body[field].is_null()) return std::nullopt;
  if (!body[field].is_string()) bad_type(field, "a string");
  return body[field].get<std::string>();
}

std::optional<bool> json_bool(const nlohmann::json& body, const char* field) {
  if (!body.contains(field) || body[field].is_null()) return std::nullopt;
  if (!body[field].is_boolean()) bad_type(field, "true or false");
  return body[field].get<bool>();
}

std::optional<std::int64_t> json_int(const nlohmann::json& body, const char* field) {
  if (!body.contains(field) || body[field].is_null()) return std::nullopt;
  if (!body[field].is_number_integer()) bad_type(field, "an integer");
  return body[field].get<std::int64_t>();
}

std::string required_string(const nlohmann::json& body, const char* field) {
  auto value = json_string(body, field);
  if (!value || value->empty()) throw Error(HUSH_ERR_INVALID_ARGUMENT, std::string("field '") + field + "' is required");
  return *value;
}

bool is_valid_utf8(std::string_view value) {
  // nlohmann's serializer is the strict UTF-8 check (overlong forms, surrogates, truncation) that
  // the responses will apply anyway, so the same rule decides here.
  try {
    (void)nlohmann::json(std::string(value)).dump();
    return true;
  } catch (const nlohmann::json::type_error&) {
    return false;
  }
}

void require_text(std::string_view value, std::string_view what) {
  if (value.find('\0') != std::string_view::npos)
    throw Error(HUSH_ERR_INVALID_ARGUMENT, std::string(what) + " must not contain a NUL byte");
  if (!is_valid_utf8(value)) throw Error(HUSH_ERR_INVALID_ARGUMENT, std::string(what) + " is not valid UTF-8");
}

}  // namespace hush::server
