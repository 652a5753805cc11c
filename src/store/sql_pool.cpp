// SqlPool: a fixed number of connections handed to the server's threads one at a time. Written
// here rather than taken from a library because it is thirty lines over std::condition_variable
// and must know SqlConnection::broken(). Connections are opened lazily (up to `size`), except
// the first, which the constructor opens so a wrong URL or a down server fails at start-up and
// the pool learns its dialect.
#include <utility>

#include "store/sql_connection.h"

namespace hush::store {

SqlPool::SqlPool(Factory factory, std::size_t size) : factory_(std::move(factory)), size_(size) {
  if (size_ == 0) throw Error(HUSH_ERR_INVALID_ARGUMENT, "an SQL connection pool needs at least one connection");
  if (!factory_) throw Error(HUSH_ERR_INVALID_ARGUMENT, "an SQL connection pool needs a factory");
  auto first = factory_();
  if (!first) throw Error(HUSH_ERR_INTERNAL, "the SQL connection factory returned no connection");
  dialect_ = first->dialect();
  idle_.reserve(size_);  // so give_back(), called from ~Lease, never allocates (or throws)
  idle_.push_back(std::move(first));
  created_ = 1;
}

// Every Lease must be gone by now (a lease outliving its pool is a bug in the caller).
SqlPool::~SqlPool() = default;

SqlPool::Lease SqlPool::acquire() {
  std::unique_lock lock(mutex_);
  for (;;) {
    freed_.wait(lock, [&] { return !idle_.empty() || created_ < size_; });
    if (idle_.empty()) break;  // room for a new connection
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    if (!conn->broken()) return Lease(*this, std::move(conn));
    // Broken while idle: drop it and try again (possibly opening a fresh one).
    --created_;
    lock.unlock();
    conn.reset();
    lock.lock();
  }
  ++created_;  // reserve the slot, then connect without holding the lock
  lock.unlock();
  std::unique_ptr<SqlConnection> conn;
  try {
    conn = factory_();
    if (!conn) throw Error(HUSH_ERR_INTERNAL, "the SQL connection factory returned no connection");
  } catch (...) {
    {
      std::lock_guard relock(mutex_);
      --created_;
    }
    freed_.notify_one();
    throw;
  }
  return Lease(*this, std::move(conn));
}

void SqlPool::give_back(std::unique_ptr<SqlConnection> conn) {
  if (conn->broken()) {
    conn.reset();  // close outside the lock; the next acquire() opens a replacement
    std::lock_guard lock(mutex_);
    --created_;
  } else {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(conn));
  }
  freed_.notify_one();
}

SqlPool::Lease::~Lease() {
  if (conn_) pool_->give_back(std::move(conn_));
}

}  // namespace hush::store
