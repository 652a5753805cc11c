// hushd's HTTP/1.1 + WebSocket server (Boost.Beast on a pool of Asio threads, OpenSSL for TLS).
// Handlers come from a Router and see only http_types.h. The server never logs or exposes the
// peer's address (privacy P8), and drops proxy headers that carry one (X-Forwarded-For,
// Forwarded, X-Real-IP, ...) before a handler sees the request.
//
// Handlers may block (they run on the io threads); give `threads` accordingly.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "server/router.h"

namespace hush::server {

struct ServerConfig {
  // Defaults, named so that documentation and tests can refer to them.
  static constexpr std::uint16_t kDefaultPort = 8321;
  static constexpr int kDefaultThreads = 4;
  // Largest request body: room for a 256 MiB audio upload. A Content-Length over it gets 413
  // before any of the body is read; a chunked body is cut off with 413 when it crosses it.
  static constexpr std::size_t kDefaultMaxBodyBytes = 256u * 1024 * 1024;
  // Request line + headers, and how many header fields; over either -> 431.
  static constexpr std::size_t kDefaultMaxHeaderBytes = 16 * 1024;
  static constexpr std::size_t kDefaultMaxHeaderCount = 100;
  // From the first byte of a request (or the TLS handshake) to its last header byte; a slower
  // client (slow-loris) is disconnected.
  static constexpr std::chrono::milliseconds kDefaultReadHeaderTimeout{10'000};
  // Body bytes must keep arriving: no progress for this long ends the connection.
  static constexpr std::chrono::milliseconds kDefaultBodyStallTimeout{30'000};
  // A keep-alive connection waiting for its next request is closed after this.
  static constexpr std::chrono::milliseconds kDefaultIdleTimeout{60'000};
  // Writing one response (or the WebSocket close handshake) may take at most this long.
  static constexpr std::chrono::milliseconds kDefaultWriteTimeout{60'000};
  // Open connections (HTTP and WebSocket together); a connection over it gets 503.
  static constexpr std::size_t kDefaultMaxConnections = 512;
  static constexpr std::size_t kDefaultMaxWebSocketMessageBytes = 4u * 1024 * 1024;
  // A WebSocket that receives no message for this long is closed with 1011 (Deepgram closes a
  // stream after about 10 s without audio or KeepAlive; 30 s leaves slack for slow clients).
  static constexpr std::chrono::milliseconds kDefaultWebSocketIdleTimeout{30'000};
  // stop(): how long in-flight requests and WebSocket close handshakes may take.
  static constexpr std::chrono::milliseconds kDefaultShutdownGrace{5'000};

  std::string bind_address = "127.0.0.1";
  std::uint16_t port = kDefaultPort;  // 0: an ephemeral port, see HttpServer::port()
  int threads = kDefaultThreads;
  // PEM files; when both are set the server speaks only HTTPS/WSS.
  std::string tls_cert_file;
  std::string tls_key_file;

  std::size_t max_body_bytes = kDefaultMaxBodyBytes;
  std::size_t max_header_bytes = kDefaultMaxHeaderBytes;
  std::size_t max_header_count = kDefaultMaxHeaderCount;
  std::chrono::milliseconds read_header_timeout = kDefaultReadHeaderTimeout;
  std::chrono::milliseconds body_stall_timeout = kDefaultBodyStallTimeout;
  std::chrono::milliseconds idle_timeout = kDefaultIdleTimeout;
  std::chrono::milliseconds write_timeout = kDefaultWriteTimeout;
  std::size_t max_connections = kDefaultMaxConnections;
  std::size_t max_websocket_message_bytes = kDefaultMaxWebSocketMessageBytes;
  std::chrono::milliseconds websocket_idle_timeout = kDefaultWebSocketIdleTimeout;
  std::chrono::milliseconds shutdown_grace = kDefaultShutdownGrace;

  bool tls() const { return !tls_cert_file.empty() || !tls_key_file.empty(); }
};

class HttpServer {
 public:
  // The router must outlive the server and not change after start().
  HttpServer(ServerConfig config, Router& router);
  ~HttpServer();  // stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Loads the TLS certificate (if any), binds, listens and starts the io threads. Throws
  // hush::Error (HUSH_ERR_IO: address in use, unreadable certificate; HUSH_ERR_INVALID_ARGUMENT:
  // bad address or config). Call once.
  void start();
  // The bound port (the ephemeral one when the config said 0); 0 before start().
  std::uint16_t port() const;
  // Graceful stop: stops accepting, closes idle keep-alive connections, lets in-flight requests
  // finish (their responses say Connection: close), sends WebSocket close 1001 "going away" and
  // waits for each handler's on_closed, all within shutdown_grace; then cuts what is left and
  // joins the threads (a handler still blocking is waited for). Idempotent; thread-safe.
  void stop();
  // Open connections now (HTTP and WebSocket), for tests and metrics.
  std::size_t connection_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hush::server
