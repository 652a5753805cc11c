#include "server/compute_pool.h"

#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <string>
#include <thread>
#include <vector>

#include "server/http_types.h"
#include "server/router.h"

namespace hush::server {

namespace net = boost::asio;

struct ComputePool::Impl {
  explicit Impl(int threads) : pool(static_cast<std::size_t>(threads)) {}
  net::thread_pool pool;
  bool joined = false;
};

namespace {

using Strand = net::strand<net::thread_pool::executor_type>;

// What the wrapper and its queued calls share; outlives the wrapper until the last call ran.
struct OffloadedStream {
  OffloadedStream(std::unique_ptr<WebSocketHandler> h, std::shared_ptr<WebSocketSender> s, Strand st,
                  std::size_t max_backlog)
      : handler(std::move(h)), sender(std::move(s)), strand(std::move(st)), max_backlog_bytes(max_backlog) {}

  std::unique_ptr<WebSocketHandler> handler;  // used on the strand only
  std::shared_ptr<WebSocketSender> sender;
  Strand strand;
  const std::size_t max_backlog_bytes;
  std::atomic<std::size_t> backlog_bytes{0};  // received, not yet handled
  std::atomic<bool> refused{false};           // overloaded or failed: further messages are dropped
  bool closed = false;                        // on_closed ran (strand only)

  // Runs a handler call on the strand the way WebSocketSession does on its own: an exception
  // closes the stream with 1011 (logged without the message's content).
  template <typename F>
  void run(F&& call) {
    if (closed || refused.load()) return;
    try {
      call(*handler);
    } catch (...) {
      (void)response_for_current_exception("a live stream handler");
      refused = true;
      sender->close(1011, "internal server error");
    }
  }
};

class OffloadedHandler final : public WebSocketHandler {
 public:
  explicit OffloadedHandler(std::shared_ptr<OffloadedStream> stream) : stream_(std::move(stream)) {}

  void on_text(std::string_view message) override {
    if (stream_->refused.load()) return;
    net::post(stream_->strand, [s = stream_, text = std::string(message)] {
      s->run([&](WebSocketHandler& h) { h.on_text(text); });
    });
  }

  void on_binary(std::span<const std::byte> message) override {
    OffloadedStream& stream = *stream_;
    if (stream.refused.load()) return;
    const std::size_t n = message.size();
    if (stream.backlog_bytes.fetch_add(n) + n > stream.max_backlog_bytes) {
      stream.refused = true;
      stream.sender->close(1013, "server overloaded: audio arrives faster than it can be transcribed");
      return;
    }
    net::post(stream.strand, [s = stream_, bytes = std::vector<std::byte>(message.begin(), message.end())] {
      s->backlog_bytes -= bytes.size();
      s->run([&](WebSocketHandler& h) { h.on_binary(bytes); });
    });
  }

  void on_closed() override {
    net::post(stream_->strand, [s = stream_] {
      if (s->closed) return;
      s->closed = true;
      try {
        s->handler->on_closed();
      } catch (...) {
        (void)response_for_current_exception("a live stream handler");
      }
      s->handler.reset();  // frees the recognizer now, not when the last reference goes
    });
  }

 private:
  std::shared_ptr<OffloadedStream> stream_;
};

}  // namespace

ComputePool::ComputePool(int threads) {
  threads_ = threads > 0 ? threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  impl_ = std::make_unique<Impl>(threads_);
}

ComputePool::~ComputePool() { join(); }

std::unique_ptr<WebSocketHandler> ComputePool::offload(std::unique_ptr<WebSocketHandler> handler,
                                                       std::shared_ptr<WebSocketSender> sender,
                                                       std::size_t max_backlog_bytes) {
  auto stream = std::make_shared<OffloadedStream>(std::move(handler), std::move(sender),
                                                  net::make_strand(impl_->pool.get_executor()), max_backlog_bytes);
  return std::make_unique<OffloadedHandler>(std::move(stream));
}

void ComputePool::join() {
  if (impl_->joined) return;
  impl_->joined = true;
  impl_->pool.join();  // runs everything posted, then the threads end
}

}  // namespace hush::server
