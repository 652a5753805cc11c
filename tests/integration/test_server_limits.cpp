// hushd under more work than it has cores for: file transcriptions beyond the limit are turned
// away at once with 503 + Retry-After (instead of taking every I/O thread), and the server keeps
// answering everything else meanwhile.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "../policy/server_fixture.h"

namespace hush::test {
namespace {

// `seconds` of 16 kHz noise as a WAV: enough for a transcription to take a while.
std::string long_wav(int seconds) {
  const std::string one = test_wav(3);  // 1.5 s
  const std::string samples = one.substr(44);
  std::string data;
  for (int i = 0; i < seconds * 2 / 3 + 1; ++i) data += samples;
  std::string wav = one.substr(0, 44) + data;
  const auto put32 = [&](std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) wav[at + i] = char(v >> (8 * i));
  };
  put32(4, static_cast<std::uint32_t>(36 + data.size()));
  put32(40, static_cast<std::uint32_t>(data.size()));
  return wav;
}

class ServerLimits : public HushdFixture {
 protected:
  void configure(server::HushdConfig& config) override { config.max_file_transcriptions = 1; }
};

TEST_P(ServerLimits, FileTranscriptionsBeyondTheLimitGet503WithRetryAfter) {
  const std::string body = multipart({{"model", "whisper-1"}}, long_wav(12));
  std::mutex mutex;
  std::vector<server::HttpClientResponse> answers;
  std::atomic<bool> go{false};
  std::vector<std::thread> clients;
  for (int c = 0; c < 3; ++c) {
    clients.emplace_back([&] {
      while (!go) std::this_thread::yield();
      auto r = server::http_request("127.0.0.1", hushd_->port(), "POST", "/v1/audio/transcriptions",
                                    {{"Authorization", "Bearer " + admin_key_}, {"Content-Type", kMultipartType}}, body);
      std::lock_guard lock(mutex);
      answers.push_back(std::move(r));
    });
  }
  go = true;
  // While the slot is taken, the rest of the API answers at once.
  const Reply me = call("GET", "/v1/me", admin_key_);
  EXPECT_EQ(me.status, 200);
  for (auto& t : clients) t.join();
  int ok = 0, busy = 0;
  for (const auto& r : answers) {
    if (r.status == 200) {
      ++ok;
    } else {
      EXPECT_EQ(r.status, 503) << r.body;
      EXPECT_EQ(r.header("retry-after"), "1");
      EXPECT_NE(r.body.find("retry"), std::string::npos) << r.body;
      ++busy;
    }
  }
  EXPECT_GE(ok, 1);
  EXPECT_GE(busy, 1) << "three at once with room for one: some must have been turned away";
  // Once the slot is free again, a request goes through.
  const auto after = server::http_request("127.0.0.1", hushd_->port(), "POST", "/v1/audio/transcriptions",
                                          {{"Authorization", "Bearer " + admin_key_}, {"Content-Type", kMultipartType}},
                                          multipart({{"model", "whisper-1"}}, test_wav()));
  EXPECT_EQ(after.status, 200) << after.body;
}

HUSHD_BACKENDS(ServerLimits);

}  // namespace
}  // namespace hush::test
