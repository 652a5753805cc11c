// The optional external summarizer against a real HTTP server on 127.0.0.1 (an Asio acceptor
// in a thread, speaking HTTP/1.1 through Boost.Beast): request shape, map-reduce chunking,
// errors (HTTP 500, junk, missing fields, timeout, refused connection) with fallback to the
// extractive summary, and no connection at all when no URL is given (privacy P13).
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "meeting/external_summarizer.h"
#include "meeting/notes_maker.h"
#include "util/error.h"

using namespace hush::meeting;
namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

struct Seen {
  std::string method, target, content_type, body;
};

// Accepts connections one at a time until destroyed; each request is recorded and answered by
// `reply(request) -> (status, body)`.
class FakeServer {
 public:
  using Reply = std::function<std::pair<int, std::string>(const Seen&)>;
  explicit FakeServer(Reply reply) : reply_(std::move(reply)), acceptor_(ioc_, {net::ip::make_address("127.0.0.1"), 0}) {
    acceptor_.non_blocking(true);
    thread_ = std::thread([this] { loop(); });
  }
  ~FakeServer() {
    stop_ = true;
    thread_.join();
  }
  std::string url(const std::string& path = "/v1/chat/completions") const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + path;
  }
  int connections() const { return connections_; }
  std::vector<Seen> requests() {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }

 private:
  void loop() {
    while (!stop_) {
      tcp::socket socket(ioc_);
      beast::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec == net::error::would_block || ec == net::error::try_again) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        continue;
      }
      if (ec) continue;
      ++connections_;
      serve(socket);
    }
  }
  void serve(tcp::socket& socket) {
    beast::error_code ec;
    beast::flat_buffer buffer;
    http::request<http::string_body> req;
    http::read(socket, buffer, req, ec);
    if (ec) return;
    Seen seen{std::string(req.method_string()), std::string(req.target()),
              std::string(req[http::field::content_type]), req.body()};
    {
      std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back(seen);
    }
    const auto [status, body] = reply_(seen);
    http::response<http::string_body> res{static_cast<http::status>(status), 11};
    res.set(http::field::content_type, "application/json");
    res.body() = body;
    res.prepare_payload();
    http::write(socket, res, ec);
    socket.shutdown(tcp::socket::shutdown_both, ec);
  }

  Reply reply_;
  net::io_context ioc_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::mutex mutex_;
  std::vector<Seen> requests_;
};

std::string completion(const std::string& content) {
  return nlohmann::json{{"id", "x"},
                        {"object", "chat.completion"},
                        {"choices", {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", content}}}}}}}
      .dump();
}

Transcript meeting(int segments) {
  Transcript t;
  t.speakers = {{0, "S1"}, {1, "S2"}};
  for (int i = 0; i < segments; ++i) {
    Segment s;
    s.start_s = i * 10.0;
    s.end_s = s.start_s + 8.0;
    s.speaker = i % 2;
    s.text = "We talked about the launch budget and the agency proposal, item " + std::to_string(i) + ".";
    t.segments.push_back(s);
  }
  return t;
}

}  // namespace

TEST(ExternalSummarizer, SendsAChatCompletionAndUsesTheAnswer) {
  FakeServer server([](const Seen&) { return std::pair{200, completion("- Budget agreed.\n- Alice sends the brief.\n")}; });
  ExternalSummarizerOptions o;
  o.url = server.url();
  o.model = "llama-test";
  const Transcript t = meeting(4);
  Notes notes = make_notes(t);
  EXPECT_EQ(apply_external_summary(notes, t, o), "");
  ASSERT_EQ(notes.summary.size(), 2u);
  EXPECT_EQ(notes.summary[0].text, "Budget agreed.");
  EXPECT_EQ(notes.summary[1].text, "Alice sends the brief.");
  EXPECT_EQ(notes.summarizer, "external: " + o.url);

  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[0].target, "/v1/chat/completions");
  EXPECT_EQ(reqs[0].content_type, "application/json");
  const auto body = nlohmann::json::parse(reqs[0].body);
  EXPECT_EQ(body["model"], "llama-test");
  EXPECT_EQ(body["stream"], false);
  ASSERT_EQ(body["messages"].size(), 2u);
  EXPECT_EQ(body["messages"][0]["role"], "system");
  EXPECT_EQ(body["messages"][1]["role"], "user");
  const std::string user = body["messages"][1]["content"];
  EXPECT_NE(user.find("[00:00:10] S2: We talked about the launch budget"), std::string::npos) << user;
}

TEST(ExternalSummarizer, LongMeetingsAreSummarizedMapReduce) {
  std::atomic<int> n{0};
  FakeServer server([&](const Seen&) { return std::pair{200, completion("part " + std::to_string(++n))}; });
  ExternalSummarizerOptions o;
  o.url = server.url();
  o.chunk_chars = 400;  // ~4 segments per chunk
  const Transcript t = meeting(20);
  const std::size_t chunks = transcript_chunks(t, o.chunk_chars).size();
  ASSERT_GE(chunks, 4u);
  const std::string summary = summarize_external(t, o);
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), chunks + 1);  // one per chunk, then one to combine them
  const std::string last = nlohmann::json::parse(reqs.back().body)["messages"][1]["content"];
  EXPECT_NE(last.find("Partial summaries"), std::string::npos);
  EXPECT_NE(last.find("part 1"), std::string::npos);
  EXPECT_NE(last.find("part " + std::to_string(chunks)), std::string::npos);
  EXPECT_EQ(summary, "part " + std::to_string(chunks + 1));
}

TEST(ExternalSummarizer, ServerErrorsAndJunkFallBackToExtractive) {
  const Transcript t = meeting(4);
  const Notes extractive = make_notes(t);
  const std::vector<std::pair<std::pair<int, std::string>, std::string>> cases = {
      {{500, "model crashed"}, "HTTP 500: model crashed"},
      {{200, "<html>hello</html>"}, "not JSON"},
      {{200, R"({"choices": []})"}, "without choices[0].message.content"},
      {{200, R"({"choices": [{"message": {"content": 42}}]})"}, "without choices[0].message.content"},
      {{200, completion("   \n")}, "empty summary"},
  };
  for (const auto& [answer, why] : cases) {
    FakeServer server([&](const Seen&) { return answer; });
    ExternalSummarizerOptions o;
    o.url = server.url();
    Notes notes = extractive;
    const std::string warning = apply_external_summary(notes, t, o);
    EXPECT_NE(warning.find(why), std::string::npos) << warning;
    EXPECT_NE(warning.find("using the on-device extractive summary"), std::string::npos) << warning;
    EXPECT_EQ(to_json(notes), to_json(extractive));
  }
}

TEST(ExternalSummarizer, TimeoutAndRefusedConnection) {
  ExternalSummarizerOptions o;
  {
    FakeServer slow([](const Seen&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      return std::pair{200, completion("too late")};
    });
    o.url = slow.url();
    o.timeout_ms = 300;
    const auto t0 = std::chrono::steady_clock::now();
    try {
      chat_completion(o, "s", "u");
      FAIL() << "no timeout";
    } catch (const hush::Error& e) {
      EXPECT_EQ(e.code(), HUSH_ERR_IO);
      EXPECT_NE(std::string(e.what()).find("no answer within"), std::string::npos) << e.what();
    }
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(1400));
  }
  // A port nobody listens on: take one from a server that is gone.
  std::string dead_url;
  {
    FakeServer gone([](const Seen&) { return std::pair{200, completion("x")}; });
    dead_url = gone.url();
  }
  o.url = dead_url;
  o.timeout_ms = 2000;
  try {
    chat_completion(o, "s", "u");
    FAIL() << "connected to a closed port";
  } catch (const hush::Error& e) {
    EXPECT_EQ(e.code(), HUSH_ERR_IO);
    EXPECT_NE(std::string(e.what()).find("connect failed"), std::string::npos) << e.what();
  }
}

TEST(ExternalSummarizer, NoUrlMeansNoConnection) {
  FakeServer server([](const Seen&) { return std::pair{200, completion("should never be asked")}; });
  const Transcript t = meeting(6);
  Notes notes = make_notes(t);
  const Notes before = notes;
  ExternalSummarizerOptions o;  // url empty: the default
  EXPECT_EQ(apply_external_summary(notes, t, o), "");
  EXPECT_EQ(to_json(notes), to_json(before));
  EXPECT_EQ(notes.summarizer, "hush-extractive");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // a stray connect would have landed
  EXPECT_EQ(server.connections(), 0);
}

TEST(ExternalSummarizer, UrlParsing) {
  const HttpEndpoint a = parse_http_url("http://127.0.0.1:8080/v1/chat/completions");
  EXPECT_EQ(a.host, "127.0.0.1");
  EXPECT_EQ(a.port, "8080");
  EXPECT_EQ(a.target, "/v1/chat/completions");
  const HttpEndpoint b = parse_http_url("http://localhost");
  EXPECT_EQ(b.port, "80");
  EXPECT_EQ(b.target, "/");
  EXPECT_EQ(parse_http_url("http://[::1]:9000/x").host, "::1");
  for (const char* bad : {"https://api.example.com/v1/chat/completions", "ftp://x", "127.0.0.1:8080", "http://",
                          "http://host:0/", "http://host:99999/", "http://host:abc/", "http://user@host/"}) {
    try {
      parse_http_url(bad);
      FAIL() << bad << " accepted";
    } catch (const hush::Error& e) {
      EXPECT_EQ(e.code(), HUSH_ERR_INVALID_ARGUMENT) << bad;
    }
  }
}
