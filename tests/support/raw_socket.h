// A raw TCP connection to a local server, for tests that send what no client library would:
// malformed requests, dribbled headers, stalled bodies, hand-made WebSocket frames.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace hush::test {

class RawSocket {
 public:
  explicit RawSocket(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) ADD_FAILURE() << "connect failed";
  }
  ~RawSocket() { ::close(fd_); }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  bool send(const std::string& data) {
    return ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size());
  }
  // Reads until the server closes, `until` appears in what was received so far, or `timeout`
  // passes; returns everything received on this connection; `closed` says whether it closed.
  std::string read(std::chrono::milliseconds timeout, bool* closed, const std::string& until = "") {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    *closed = false;
    for (;;) {
      if (!until.empty() && buffer_.find(until) != std::string::npos) return buffer_;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return buffer_;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return buffer_;
      char chunk[65536];
      const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) {
        *closed = true;
        return buffer_;
      }
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }
  // As read() without `until`, but returns only what arrived during this call.
  std::string read_new(std::chrono::milliseconds timeout, bool* closed) {
    const std::size_t before = buffer_.size();
    return read(timeout, closed).substr(before);
  }

 private:
  int fd_ = -1;
  std::string buffer_;
};

}  // namespace hush::test
