// Threads for the CPU-heavy part of live streams (speech recognition), apart from the I/O
// threads. Decoding on an I/O thread stalls every other connection that thread serves: reads
// wait, interim results and finals of other streams queue behind one stream's decode. With the
// work here the I/O threads only move bytes, and the decode threads (one per core by default)
// share the CPU between streams message by message.
//
// offload() wraps a WebSocket handler so that its calls run on this pool, in the order they
// arrived, never two at once for one stream (a strand per stream). The messages are copied
// (the I/O thread's buffer is reused for the next read). A stream whose queued audio grows past
// max_backlog_bytes — the server cannot keep up with the audio arriving — is closed with 1013
// (Try Again Later) and a reason saying so, instead of buffering without bound or dropping audio
// silently; its handler is then closed as if the peer had gone (a recording keeps what came).
#pragma once

#include <cstddef>
#include <memory>

#include "server/http_types.h"

namespace hush::server {

class ComputePool {
 public:
  // threads <= 0: one per hardware thread.
  explicit ComputePool(int threads = 0);
  ~ComputePool();  // join()
  ComputePool(const ComputePool&) = delete;
  ComputePool& operator=(const ComputePool&) = delete;

  std::unique_ptr<WebSocketHandler> offload(std::unique_ptr<WebSocketHandler> handler,
                                            std::shared_ptr<WebSocketSender> sender,
                                            std::size_t max_backlog_bytes);
  // Runs what is queued (every on_closed included), then stops the threads. Call after the
  // HTTP server stopped, so nothing new arrives.
  void join();
  int threads() const { return threads_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int threads_ = 0;
};

// 30 s of 16-bit stereo at 48 kHz: far more than a stream that keeps up ever queues.
inline constexpr std::size_t kDefaultMaxBacklogBytes = 30 * 48000 * 2 * 2;

}  // namespace hush::server
