// Internal to the server core: what every connection shares (config, router, the stop flag,
// the connection count) and the registry stop() walks. No Beast here.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "server/http_server.h"

namespace hush::server {

class ServerState;

// One open connection, HTTP or WebSocket. Both calls post to the connection's strand, so any
// thread may make them.
class Session {
 public:
  explicit Session(ServerState& state) : state_(state) {}
  virtual ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  // stop() began: finish the request in flight then close; WebSockets send close 1001.
  virtual void shutdown() = 0;
  // The grace period is over: close the socket now.
  virtual void force_close() = 0;

 protected:
  ServerState& state_;
};

// Counts an accepted connection until the last object holding it (HTTP session, then the
// WebSocket session it became) is gone.
class ConnectionSlot {
 public:
  explicit ConnectionSlot(ServerState& state) : state_(state) {}
  ~ConnectionSlot();
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;

 private:
  ServerState& state_;
};

class ServerState {
 public:
  ServerState(ServerConfig server_config, Router& server_router)
      : config(std::move(server_config)), router(server_router) {}

  const ServerConfig config;
  const Router& router;
  std::atomic<bool> stopping{false};

  // A slot for a new connection and how many are open with it.
  std::pair<std::shared_ptr<ConnectionSlot>, std::size_t> open_connection();
  std::size_t connection_count() const;
  // Waits until no connection is open or the timeout passes; true when none is open.
  bool wait_for_no_connections(std::chrono::milliseconds timeout);

  void add(const std::shared_ptr<Session>& session);
  void remove(Session* session);
  std::vector<std::shared_ptr<Session>> sessions();

 private:
  friend class ConnectionSlot;
  void release_connection();

  mutable std::mutex mutex_;
  std::condition_variable no_connections_;
  std::size_t connections_ = 0;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;
};

}  // namespace hush::server
