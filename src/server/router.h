// Maps method + path to handlers. Patterns are literal segments and whole-segment parameters:
// "/v1/recordings/{id}/srt" matches "/v1/recordings/abc/srt" with path_params["id"] = "abc"
// (each segment percent-decoded on its own, so an encoded '/' stays inside the parameter).
// When several patterns match, the one with the most literal segments wins
// ("/v1/meetings/search" before "/v1/meetings/{id}").
//
// Routes are added before the server starts; dispatch() is then const and thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "server/http_types.h"

namespace hush::server {

class Router {
 public:
  // Throws hush::Error(HUSH_ERR_INVALID_ARGUMENT) for a malformed pattern or a duplicate route.
  void add(std::string method, std::string_view pattern, HttpHandlerFn handler);
  void add_websocket(std::string_view pattern, WebSocketAcceptor acceptor);
  // Answers GET requests whose path no route or WebSocket route matches (the web UI's files);
  // other methods on such paths still get 404. Errors it throws are mapped as a handler's.
  void set_get_fallback(HttpHandlerFn handler);

  // Runs the handler for a plain HTTP request and never throws: unknown path -> 404, known path
  // with another method -> 405 with Allow, a WebSocket-only path -> 426, a handler's
  // hush::Error -> 400 (invalid argument / format) or 500 with its message, anything else -> 500
  // without internals. Fills request.path_params.
  HttpResponse dispatch(HttpRequest& request) const;

  // The acceptor whose pattern matches an upgrade request (fills request.path_params), or
  // nullptr. The pointer stays valid as long as the router.
  const WebSocketAcceptor* find_websocket(HttpRequest& request) const;

 private:
  struct Segment {
    std::string text;  // literal text, or the parameter name
    bool is_param = false;
  };
  struct Pattern {
    std::string source;
    std::vector<Segment> segments;
    int literal_count = 0;
  };
  struct Route {
    std::string method;
    Pattern pattern;
    HttpHandlerFn handler;
  };
  struct WebSocketRoute {
    Pattern pattern;
    WebSocketAcceptor acceptor;
  };

  static Pattern parse_pattern(std::string_view pattern);
  static bool match(const Pattern& pattern, const std::vector<std::string>& segments,
                    std::map<std::string, std::string>* params);

  std::vector<Route> routes_;
  std::vector<WebSocketRoute> websocket_routes_;
  HttpHandlerFn get_fallback_;
};

// The JSON error response for the exception being handled (call inside a catch block):
// hush::Error with HUSH_ERR_INVALID_ARGUMENT or HUSH_ERR_FORMAT -> 400 with its message, another
// hush::Error -> 500 with its message, anything else -> 500 "internal server error" (the detail
// goes to stderr with `where`, a route pattern, never a client address).
HttpResponse response_for_current_exception(std::string_view where);

}  // namespace hush::server
