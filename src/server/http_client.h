// A small synchronous HTTP/1.1 and WebSocket client, for tests and the load generator. TLS
// connections do not verify the server's certificate (tests use self-signed ones); do not use
// this client where that matters. Not thread-safe: one object, one thread at a time.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/error.h"

namespace hush::server {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpClientResponse {
  int status = 0;
  HeaderList headers;  // names lower-cased
  std::string body;
  // The first header with this name (case-insensitive), or "".
  std::string header(std::string_view name) const;
};

// The server answered an upgrade (or request) with this status instead.
class HttpStatusError : public Error {
 public:
  HttpStatusError(int status, std::string body);
  int status() const { return status_; }
  const std::string& body() const { return body_; }

 private:
  int status_;
  std::string body_;
};

constexpr std::chrono::milliseconds kDefaultClientTimeout{30'000};

// One keep-alive connection; requests go one after another. Every call throws
// hush::Error(HUSH_ERR_IO) when connecting, TLS, writing or reading fails or takes longer than
// `timeout` (per operation).
class HttpConnection {
 public:
  HttpConnection(const std::string& host, std::uint16_t port, bool use_tls = false,
                 std::chrono::milliseconds timeout = kDefaultClientTimeout);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  HttpClientResponse request(const std::string& method, const std::string& target, const HeaderList& headers = {},
                             const std::string& body = {});
  // False once the server has said Connection: close (or closed).
  bool open() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One request on a fresh connection.
HttpClientResponse http_request(const std::string& host, std::uint16_t port, const std::string& method,
                                const std::string& target, const HeaderList& headers = {},
                                const std::string& body = {}, bool use_tls = false,
                                std::chrono::milliseconds timeout = kDefaultClientTimeout);

struct WebSocketMessage {
  enum class Kind { text, binary, close };
  Kind kind = Kind::text;
  std::string payload;  // the message, or the close reason
  int close_code = 0;   // for Kind::close: the code the server sent (1000, 1001, 1011, ...)
};

class WebSocketClient {
 public:
  WebSocketClient();
  ~WebSocketClient();
  WebSocketClient(const WebSocketClient&) = delete;
  WebSocketClient& operator=(const WebSocketClient&) = delete;

  // Connects and upgrades. Throws HttpStatusError with the server's status and body when the
  // upgrade is refused, hush::Error(HUSH_ERR_IO) for connection failures and timeouts. A
  // "Sec-WebSocket-Protocol" header in `headers` offers subprotocols; as a browser does, the
  // upgrade then fails (HUSH_ERR_IO) unless the server selects one of them (see protocol()).
  void connect(const std::string& host, std::uint16_t port, const std::string& target, const HeaderList& headers = {},
               bool use_tls = false, std::chrono::milliseconds timeout = kDefaultClientTimeout);
  // The subprotocol the server selected in its 101 ("" when none).
  const std::string& protocol() const;
  void send_text(std::string_view message);
  void send_binary(std::span<const std::byte> message);
  // The next message, or nullopt when none arrived within `timeout` (a later read() continues
  // waiting for it). When the server closes, returns one Kind::close message; reading after
  // that throws hush::Error(HUSH_ERR_IO).
  std::optional<WebSocketMessage> read(std::chrono::milliseconds timeout);
  // Sends a close frame and waits (up to the connect timeout) for the server's answer.
  void close(int code = 1000, std::string_view reason = {});

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace hush::server
