#include "server/http_types.h"

#include <nlohmann/json.hpp>

#include "server/url.h"

namespace hush::server {

std::string HttpRequest::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (ascii_iequals(key, name)) return value;
  return {};
}

HttpResponse HttpResponse::json(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

HttpResponse HttpResponse::text(int status, std::string body, std::string content_type) {
  HttpResponse response;
  response.status = status;
  response.content_type = std::move(content_type);
  response.body = std::move(body);
  return response;
}

HttpResponse HttpResponse::error(int status, std::string_view message, std::string_view type) {
  // error_handler_t::replace: a message built from user input with invalid UTF-8 must still
  // give a valid JSON error instead of throwing while reporting another error.
  const nlohmann::json body = {
      {"error", {{"message", std::string(message)}, {"type", std::string(type)}, {"code", status}}}};
  return json(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace hush::server
