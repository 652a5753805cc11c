// What handlers see of HTTP and WebSocket, independent of Boost.Beast: the server core
// (http_server.h) turns Beast messages into these and back, so handlers and their tests need no
// networking code. Client IP addresses are deliberately not part of HttpRequest (privacy P8:
// what a handler never sees it cannot store or log).
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hush::server {

struct HttpRequest {
  std::string method;                        // "GET", "POST", ...
  std::string target;                        // as sent: "/v1/listen?encoding=linear16"
  std::string path;                          // percent-decoded path without the query
  std::map<std::string, std::string> query;  // percent-decoded; a repeated key keeps the last
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::map<std::string, std::string> path_params;  // filled by the router: {id} -> value
  bool tls = false;

  // The first header with this name (case-insensitive), or "" when absent.
  std::string header(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers

  static HttpResponse json(int status, std::string body);
  static HttpResponse text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
  // {"error":{"message":..., "type":..., "code":status}} (the OpenAI error shape).
  static HttpResponse error(int status, std::string_view message, std::string_view type = "invalid_request_error");
};

// The sending side of one WebSocket connection. Thread-safe: handlers may send from any thread;
// messages go out in order. After close() or once the peer has gone, sends are dropped.
class WebSocketSender {
 public:
  virtual ~WebSocketSender() = default;
  virtual void send_text(std::string message) = 0;
  virtual void send_binary(std::vector<std::byte> message) = 0;
  // Sends a close frame (RFC 6455 code and reason) and ends the connection once it is flushed.
  virtual void close(int code, std::string reason) = 0;
};

// The receiving side, written by a handler. Calls for one connection never overlap.
class WebSocketHandler {
 public:
  virtual ~WebSocketHandler() = default;
  virtual void on_text(std::string_view message) = 0;
  virtual void on_binary(std::span<const std::byte> message) = 0;
  // The connection ended (peer closed, error, server shutdown). Called exactly once; the sender
  // must not be used afterwards.
  virtual void on_closed() = 0;
};

// Decides on an upgrade request. Return a handler to accept the WebSocket, or nullptr and fill
// `refusal` (e.g. 401, 400 with a JSON error) to answer with plain HTTP instead.
using WebSocketAcceptor = std::function<std::unique_ptr<WebSocketHandler>(
    const HttpRequest& request, std::shared_ptr<WebSocketSender> sender, HttpResponse& refusal)>;

using HttpHandlerFn = std::function<HttpResponse(HttpRequest& request)>;

}  // namespace hush::server
