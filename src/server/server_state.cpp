#include "server/server_state.h"

namespace hush::server {

Session::~Session() { state_.remove(this); }

ConnectionSlot::~ConnectionSlot() { state_.release_connection(); }

std::pair<std::shared_ptr<ConnectionSlot>, std::size_t> ServerState::open_connection() {
  std::size_t count = 0;
  {
    std::lock_guard lock(mutex_);
    count = ++connections_;
  }
  return {std::make_shared<ConnectionSlot>(*this), count};
}

void ServerState::release_connection() {
  std::lock_guard lock(mutex_);
  if (--connections_ == 0) no_connections_.notify_all();
}

std::size_t ServerState::connection_count() const {
  std::lock_guard lock(mutex_);
  return connections_;
}

bool ServerState::wait_for_no_connections(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return no_connections_.wait_for(lock, timeout, [this] { return connections_ == 0; });
}

void ServerState::add(const std::shared_ptr<Session>& session) {
  std::lock_guard lock(mutex_);
  sessions_[session.get()] = session;
}

void ServerState::remove(Session* session) {
  std::lock_guard lock(mutex_);
  sessions_.erase(session);
}

std::vector<std::shared_ptr<Session>> ServerState::sessions() {
  std::vector<std::shared_ptr<Session>> alive;
  std::lock_guard lock(mutex_);
  for (auto& [raw, weak] : sessions_)
    if (auto session = weak.lock()) alive.push_back(std::move(session));
  return alive;
}

}  // namespace hush::server
