#include "server/router.h"

#include <cstdio>
#include <exception>
#include <optional>
#include <set>

#include "server/api_json.h"
#include "server/url.h"
#include "store/store_errors.h"
#include "util/error.h"

namespace hush::server {
namespace {

// The request's path split into percent-decoded segments; nullopt when the target is malformed.
// Handler tests may build a request with only `path` set, so that is the fallback.
std::optional<std::vector<std::string>> decoded_segments(const HttpRequest& request) {
  std::vector<std::string> raw;
  if (!request.target.empty()) {
    auto parsed = parse_target(request.target);
    if (!parsed) return std::nullopt;
    raw = std::move(parsed->raw_segments);
  } else {
    auto parsed = parse_target(request.path.empty() ? "/" : request.path);
    if (!parsed) return std::nullopt;
    raw = std::move(parsed->raw_segments);
  }
  std::vector<std::string> segments;
  segments.reserve(raw.size());
  for (const auto& segment : raw) {
    auto decoded = percent_decode(segment, false);
    if (!decoded) return std::nullopt;
    segments.push_back(std::move(*decoded));
  }
  return segments;
}

// Valid UTF-8 without NUL bytes: what every path parameter and query value may be. Anything
// else reaches no handler: PostgreSQL refuses such text with an error (a 500), SQLite stores it,
// and a stored invalid string makes every later JSON response that includes it throw.
bool is_text(const std::string& value) { return value.find('\0') == std::string::npos && is_valid_utf8(value); }

// The 400 for a request with a path segment or query parameter that is not text, or nullopt.
std::optional<HttpResponse> refuse_non_text(const HttpRequest& request, const std::vector<std::string>& segments) {
  for (const auto& segment : segments)
    if (!is_text(segment)) return HttpResponse::error(400, "the request path is not valid UTF-8 text");
  for (const auto& [key, value] : request.query) {
    if (!is_text(key)) return HttpResponse::error(400, "a query parameter name is not valid UTF-8 text");
    if (!is_text(value))
      return HttpResponse::error(400, "query parameter '" + key.substr(0, 60) + "' is not valid UTF-8 text");
  }
  return std::nullopt;
}

}  // namespace

Router::Pattern Router::parse_pattern(std::string_view pattern) {
  if (pattern.empty() || pattern.front() != '/')
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "route pattern must start with '/': " + std::string(pattern));
  auto parsed = parse_target(pattern);
  if (!parsed || pattern.find('?') != std::string_view::npos)
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "malformed route pattern: " + std::string(pattern));
  Pattern result;
  result.source = std::string(pattern);
  std::set<std::string> names;
  for (const auto& raw : parsed->raw_segments) {
    Segment segment;
    if (raw.size() >= 2 && raw.front() == '{' && raw.back() == '}') {
      segment.is_param = true;
      segment.text = raw.substr(1, raw.size() - 2);
      if (segment.text.empty() || segment.text.find_first_of("{}") != std::string::npos ||
          !names.insert(segment.text).second)
        throw Error(HUSH_ERR_INVALID_ARGUMENT, "bad parameter '" + raw + "' in route pattern " + result.source);
    } else {
      if (raw.find_first_of("{}") != std::string::npos)
        throw Error(HUSH_ERR_INVALID_ARGUMENT,
                    "a parameter must be a whole segment in route pattern " + result.source);
      segment.text = *percent_decode(raw, false);
      ++result.literal_count;
    }
    result.segments.push_back(std::move(segment));
  }
  return result;
}

bool Router::match(const Pattern& pattern, const std::vector<std::string>& segments,
                   std::map<std::string, std::string>* params) {
  if (pattern.segments.size() != segments.size()) return false;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const Segment& want = pattern.segments[i];
    if (want.is_param ? segments[i].empty() : want.text != segments[i]) return false;
  }
  if (params) {
    params->clear();
    for (std::size_t i = 0; i < segments.size(); ++i)
      if (pattern.segments[i].is_param) (*params)[pattern.segments[i].text] = segments[i];
  }
  return true;
}

void Router::add(std::string method, std::string_view pattern, HttpHandlerFn handler) {
  if (method.empty() || !handler) throw Error(HUSH_ERR_INVALID_ARGUMENT, "route needs a method and a handler");
  Pattern parsed = parse_pattern(pattern);
  for (const auto& route : routes_)
    if (route.method == method && route.pattern.source == parsed.source)
      throw Error(HUSH_ERR_INVALID_ARGUMENT, "duplicate route " + method + " " + parsed.source);
  routes_.push_back({std::move(method), std::move(parsed), std::move(handler)});
}

void Router::add_websocket(std::string_view pattern, WebSocketAcceptor acceptor) {
  if (!acceptor) throw Error(HUSH_ERR_INVALID_ARGUMENT, "WebSocket route needs an acceptor");
  Pattern parsed = parse_pattern(pattern);
  for (const auto& route : websocket_routes_)
    if (route.pattern.source == parsed.source)
      throw Error(HUSH_ERR_INVALID_ARGUMENT, "duplicate WebSocket route " + parsed.source);
  websocket_routes_.push_back({std::move(parsed), std::move(acceptor)});
}

void Router::set_get_fallback(HttpHandlerFn handler) { get_fallback_ = std::move(handler); }

HttpResponse Router::dispatch(HttpRequest& request) const {
  const auto segments = decoded_segments(request);
  if (!segments) return HttpResponse::error(400, "malformed percent-encoding in the request target");
  if (auto refusal = refuse_non_text(request, *segments)) return *refusal;

  const Route* best = nullptr;
  std::set<std::string> allowed;
  for (const auto& route : routes_) {
    if (!match(route.pattern, *segments, nullptr)) continue;
    allowed.insert(route.method);
    if (route.method == request.method && (!best || route.pattern.literal_count > best->pattern.literal_count))
      best = &route;
  }
  if (!best) {
    if (!allowed.empty()) {
      std::string allow;
      for (const auto& method : allowed) allow += (allow.empty() ? "" : ", ") + method;
      HttpResponse response = HttpResponse::error(405, "method " + request.method + " is not allowed here; use " + allow);
      response.headers.emplace_back("Allow", allow);
      return response;
    }
    for (const auto& route : websocket_routes_)
      if (match(route.pattern, *segments, nullptr))
        return HttpResponse::error(426, "this endpoint needs a WebSocket upgrade");
    if (get_fallback_ && request.method == "GET") {
      try {
        return get_fallback_(request);
      } catch (...) {
        return response_for_current_exception("GET fallback");
      }
    }
    return HttpResponse::error(404, "no such endpoint: " + request.path, "not_found_error");
  }
  match(best->pattern, *segments, &request.path_params);
  try {
    return best->handler(request);
  } catch (...) {
    return response_for_current_exception(best->method + " " + best->pattern.source);
  }
}

const WebSocketAcceptor* Router::find_websocket(HttpRequest& request) const {
  const auto segments = decoded_segments(request);
  if (!segments || refuse_non_text(request, *segments)) return nullptr;  // dispatch() answers 400
  const WebSocketRoute* best = nullptr;
  for (const auto& route : websocket_routes_)
    if (match(route.pattern, *segments, nullptr) &&
        (!best || route.pattern.literal_count > best->pattern.literal_count))
      best = &route;
  if (!best) return nullptr;
  match(best->pattern, *segments, &request.path_params);
  return &best->acceptor;
}

HttpResponse response_for_current_exception(std::string_view where) {
  try {
    throw;
  } catch (const store::StorageFull& e) {
    // The disk is full: 507 says so (RFC 4918); the log names the file, the client gets no path.
    std::fprintf(stderr, "hushd: disk full in %.*s: %s\n", static_cast<int>(where.size()), where.data(), e.what());
    return HttpResponse::error(507, "the server's disk is full (no space left on device): nothing was stored",
                               "insufficient_storage");
  } catch (const store::DatabaseUnavailable& e) {
    // PostgreSQL is restarting or unreachable: a retryable 503; the pool reconnects by itself.
    std::fprintf(stderr, "hushd: database unavailable in %.*s: %s\n", static_cast<int>(where.size()), where.data(),
                 e.what());
    HttpResponse r = HttpResponse::error(503, "the database is unavailable, try again shortly", "service_unavailable");
    r.headers.emplace_back("Retry-After", "5");
    return r;
  } catch (const Error& e) {
    if (e.code() == HUSH_ERR_INVALID_ARGUMENT || e.code() == HUSH_ERR_FORMAT) return HttpResponse::error(400, e.what());
    return HttpResponse::error(500, e.what(), "server_error");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hushd: internal error in %.*s: %s\n", static_cast<int>(where.size()), where.data(), e.what());
  } catch (...) {
    std::fprintf(stderr, "hushd: internal error in %.*s: unknown exception\n", static_cast<int>(where.size()),
                 where.data());
  }
  return HttpResponse::error(500, "internal server error", "server_error");
}

}  // namespace hush::server
