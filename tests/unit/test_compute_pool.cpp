// ComputePool::offload: a live stream's handler calls move off the I/O thread but keep their
// order, never overlap, end with exactly one on_closed, and a stream the server cannot keep up
// with is closed with 1013 instead of queueing without bound.
#include "server/compute_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace hush::server {
namespace {

class RecordingSender final : public WebSocketSender {
 public:
  void send_text(std::string) override {}
  void send_binary(std::vector<std::byte>) override {}
  void close(int code, std::string reason) override {
    std::lock_guard lock(mutex);
    closes.emplace_back(code, std::move(reason));
  }
  std::mutex mutex;
  std::vector<std::pair<int, std::string>> closes;
};

// Records what it was called with, from which thread, and whether two calls overlapped.
struct Log {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<std::string> calls;
  std::vector<std::thread::id> threads;
  std::atomic<int> inside{0};
  bool overlapped = false;
  int closed = 0;
  bool gate_open = true;  // false: on_binary waits (a decoder that cannot keep up)
};

class LoggingHandler final : public WebSocketHandler {
 public:
  explicit LoggingHandler(Log& log) : log_(log) {}
  void on_text(std::string_view message) override {
    if (message == "throw") throw std::runtime_error("handler failed");
    record(std::string("text:") + std::string(message));
  }
  void on_binary(std::span<const std::byte> message) override {
    {
      std::unique_lock lock(log_.mutex);
      log_.cv.wait(lock, [&] { return log_.gate_open; });
    }
    record("binary:" + std::to_string(message.size()));
  }
  void on_closed() override { record("closed"); }

 private:
  void record(std::string what) {
    if (log_.inside.fetch_add(1) != 0) log_.overlapped = true;
    std::this_thread::sleep_for(std::chrono::microseconds(200));  // widen any overlap window
    {
      std::lock_guard lock(log_.mutex);
      if (what == "closed") ++log_.closed;
      log_.calls.push_back(std::move(what));
      log_.threads.push_back(std::this_thread::get_id());
    }
    log_.inside.fetch_sub(1);
  }
  Log& log_;
};

std::vector<std::byte> bytes(std::size_t n) { return std::vector<std::byte>(n, std::byte{1}); }

TEST(ComputePool, CallsKeepTheirOrderRunOffTheCallerAndCloseOnce) {
  Log log;
  auto sender = std::make_shared<RecordingSender>();
  {
    ComputePool pool(2);
    auto handler = pool.offload(std::make_unique<LoggingHandler>(log), sender, 1 << 20);
    std::vector<std::string> expected;
    for (int i = 0; i < 200; ++i) {
      if (i % 3 == 0) {
        handler->on_text(std::to_string(i));
        expected.push_back("text:" + std::to_string(i));
      } else {
        handler->on_binary(bytes(static_cast<std::size_t>(i)));
        expected.push_back("binary:" + std::to_string(i));
      }
    }
    handler->on_closed();
    expected.push_back("closed");
    pool.join();
    EXPECT_EQ(log.calls, expected);
  }
  EXPECT_FALSE(log.overlapped);
  EXPECT_EQ(log.closed, 1);
  for (const auto id : log.threads) EXPECT_NE(id, std::this_thread::get_id());
  EXPECT_TRUE(sender->closes.empty());
}

TEST(ComputePool, StreamsRunInParallelWithoutMixing) {
  Log a, b;
  ComputePool pool(2);
  auto sender = std::make_shared<RecordingSender>();
  auto ha = pool.offload(std::make_unique<LoggingHandler>(a), sender, 1 << 20);
  auto hb = pool.offload(std::make_unique<LoggingHandler>(b), sender, 1 << 20);
  for (int i = 1; i <= 50; ++i) {
    ha->on_binary(bytes(static_cast<std::size_t>(i)));
    hb->on_binary(bytes(static_cast<std::size_t>(100 + i)));
  }
  ha->on_closed();
  hb->on_closed();
  pool.join();
  ASSERT_EQ(a.calls.size(), 51u);
  ASSERT_EQ(b.calls.size(), 51u);
  for (int i = 1; i <= 50; ++i) {
    EXPECT_EQ(a.calls[i - 1], "binary:" + std::to_string(i));
    EXPECT_EQ(b.calls[i - 1], "binary:" + std::to_string(100 + i));
  }
}

TEST(ComputePool, ABacklogPastTheLimitClosesWith1013AndStillClosesTheHandler) {
  Log log;
  log.gate_open = false;  // the "decoder" is stuck: audio piles up
  auto sender = std::make_shared<RecordingSender>();
  ComputePool pool(1);
  auto handler = pool.offload(std::make_unique<LoggingHandler>(log), sender, 1000);
  for (int i = 0; i < 30; ++i) handler->on_binary(bytes(100));  // 3000 bytes > 1000
  {
    std::lock_guard lock(sender->mutex);
    ASSERT_EQ(sender->closes.size(), 1u);
    EXPECT_EQ(sender->closes[0].first, 1013);
    EXPECT_NE(sender->closes[0].second.find("overloaded"), std::string::npos);
  }
  handler->on_closed();
  {
    std::lock_guard lock(log.mutex);
    log.gate_open = true;
  }
  log.cv.notify_all();
  pool.join();
  EXPECT_EQ(log.closed, 1);
  // Only what was queued before the limit reached the handler (at most one was in flight).
  EXPECT_LE(log.calls.size(), 12u);
}

TEST(ComputePool, AThrowingHandlerClosesWith1011AndIsStillClosedOnce) {
  Log log;
  auto sender = std::make_shared<RecordingSender>();
  ComputePool pool(2);
  auto handler = pool.offload(std::make_unique<LoggingHandler>(log), sender, 1 << 20);
  handler->on_text("before");
  handler->on_text("throw");
  handler->on_text("after");  // dropped: the stream failed
  handler->on_closed();
  pool.join();
  ASSERT_EQ(sender->closes.size(), 1u);
  EXPECT_EQ(sender->closes[0].first, 1011);
  EXPECT_EQ(log.calls, (std::vector<std::string>{"text:before", "closed"}));
}

}  // namespace
}  // namespace hush::server
