// The server core end to end: a real HttpServer on an ephemeral port, driven by the project's
// client and by raw sockets for the abuse cases (slow-loris, oversized headers, floods).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "../support/raw_socket.h"
#include "server/http_client.h"
#include "server/http_server.h"
#include "util/error.h"

using namespace hush::server;
using hush::test::RawSocket;
using namespace std::chrono_literals;

namespace {

// Echoes every message back from its own worker thread (as an ASR stream would answer).
class EchoHandler final : public WebSocketHandler {
 public:
  EchoHandler(std::shared_ptr<WebSocketSender> sender, std::atomic<int>& closed)
      : sender_(std::move(sender)), closed_(closed), worker_([this] { run(); }) {}
  ~EchoHandler() override { stop_worker(); }
  void on_text(std::string_view message) override { push({true, std::string(message)}); }
  void on_binary(std::span<const std::byte> message) override {
    push({false, std::string(reinterpret_cast<const char*>(message.data()), message.size())});
  }
  void on_closed() override {
    stop_worker();
    ++closed_;
  }

 private:
  void push(std::pair<bool, std::string> message) {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(message));
    wake_.notify_one();
  }
  void run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      auto [text, payload] = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      if (payload == "close-me") {
        sender_->close(4000, "asked to");
      } else if (text) {
        sender_->send_text(payload);
      } else {
        std::vector<std::byte> bytes(payload.size());
        std::memcpy(bytes.data(), payload.data(), payload.size());
        sender_->send_binary(std::move(bytes));
      }
      lock.lock();
    }
  }
  void stop_worker() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
      wake_.notify_one();
    }
    if (worker_.joinable()) worker_.join();
  }

  std::shared_ptr<WebSocketSender> sender_;
  std::atomic<int>& closed_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::pair<bool, std::string>> queue_;
  bool stop_ = false;
  std::thread worker_;
};

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.add("GET", "/hello", [](HttpRequest&) { return HttpResponse::text(200, "hello"); });
    router_.add("GET", "/v1/recordings/{id}/srt", [](HttpRequest& r) {
      return HttpResponse::json(200, nlohmann::json{{"id", r.path_params.at("id")}}.dump());
    });
    router_.add("GET", "/v1/recordings/latest/srt", [](HttpRequest&) { return HttpResponse::text(200, "literal"); });
    router_.add("POST", "/echo", [](HttpRequest& r) { return HttpResponse::text(200, r.body, r.header("Content-Type")); });
    router_.add("PUT", "/echo", [](HttpRequest& r) { return HttpResponse::text(200, r.body); });
    router_.add("GET", "/query", [](HttpRequest& r) {
      return HttpResponse::json(200, nlohmann::json{{"path", r.path}, {"query", r.query}, {"tls", r.tls}}.dump());
    });
    router_.add("GET", "/headers", [](HttpRequest& r) {
      nlohmann::json headers = nlohmann::json::object();
      for (const auto& [name, value] : r.headers) headers[name] = value;
      return HttpResponse::json(200, headers.dump());
    });
    router_.add("GET", "/throw/invalid", [](HttpRequest&) -> HttpResponse {
      throw hush::Error(HUSH_ERR_INVALID_ARGUMENT, "bad thing");
    });
    router_.add("GET", "/throw/internal", [](HttpRequest&) -> HttpResponse {
      throw std::runtime_error("secret detail");
    });
    router_.add("GET", "/slow", [](HttpRequest&) {
      std::this_thread::sleep_for(400ms);
      return HttpResponse::text(200, "slow done");
    });
    router_.add_websocket("/ws/echo", [this](const HttpRequest&, std::shared_ptr<WebSocketSender> sender, HttpResponse&) {
      return std::make_unique<EchoHandler>(std::move(sender), ws_closed_);
    });
    router_.add_websocket("/ws/refuse", [](const HttpRequest&, std::shared_ptr<WebSocketSender>, HttpResponse& refusal) {
      refusal = HttpResponse::error(401, "no token", "authentication_error");
      return std::unique_ptr<WebSocketHandler>();
    });
    config_.port = 0;
    config_.threads = 4;
    config_.read_header_timeout = 2s;
    config_.shutdown_grace = 3s;
  }

  void start() {
    server_ = std::make_unique<HttpServer>(config_, router_);
    server_->start();
    port_ = server_->port();
    ASSERT_NE(port_, 0);
  }

  HttpClientResponse get(const std::string& target, const HeaderList& headers = {}) {
    return http_request("127.0.0.1", port_, "GET", target, headers, "", config_.tls());
  }

  bool wait_for_connections(std::size_t count, std::chrono::milliseconds timeout = 3s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (server_->connection_count() != count) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(5ms);
    }
    return true;
  }

  Router router_;
  ServerConfig config_;
  std::unique_ptr<HttpServer> server_;
  std::uint16_t port_ = 0;
  std::atomic<int> ws_closed_{0};
};

int status_of(const std::string& raw_response) {
  if (raw_response.rfind("HTTP/1.1 ", 0) != 0) return 0;
  return std::atoi(raw_response.c_str() + 9);
}

}  // namespace

TEST_F(HttpServerTest, RoutesParamsAndErrors) {
  start();
  auto hello = get("/hello");
  EXPECT_EQ(hello.status, 200);
  EXPECT_EQ(hello.body, "hello");
  EXPECT_EQ(hello.header("content-type"), "text/plain; charset=utf-8");

  auto missing = get("/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(nlohmann::json::parse(missing.body)["error"]["code"], 404);

  auto wrong_method = http_request("127.0.0.1", port_, "DELETE", "/echo");
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(wrong_method.header("Allow"), "POST, PUT");
  EXPECT_EQ(nlohmann::json::parse(wrong_method.body)["error"]["type"], "invalid_request_error");

  auto param = get("/v1/recordings/ab%20c%2Fd/srt");
  EXPECT_EQ(param.status, 200);
  EXPECT_EQ(nlohmann::json::parse(param.body)["id"], "ab c/d");
  EXPECT_EQ(get("/v1/recordings/latest/srt").body, "literal");  // literal beats parameter

  auto invalid = get("/throw/invalid");
  EXPECT_EQ(invalid.status, 400);
  EXPECT_EQ(nlohmann::json::parse(invalid.body)["error"]["message"], "bad thing");
  auto internal = get("/throw/internal");
  EXPECT_EQ(internal.status, 500);
  EXPECT_EQ(internal.body.find("secret"), std::string::npos);

  EXPECT_EQ(get("/ws/echo").status, 426);
  EXPECT_EQ(get("/bad%zzescape").status, 400);
}

TEST_F(HttpServerTest, QueryAndPathDecoding) {
  start();
  auto response = get("/query?name=J%C3%BCrgen+X&empty=&flag&k=1&k=2&sym=%26%3D");
  ASSERT_EQ(response.status, 200);
  const auto json = nlohmann::json::parse(response.body);
  EXPECT_EQ(json["path"], "/query");
  EXPECT_EQ(json["query"]["name"], "J\xc3\xbcrgen X");
  EXPECT_EQ(json["query"]["empty"], "");
  EXPECT_EQ(json["query"]["flag"], "");
  EXPECT_EQ(json["query"]["k"], "2");
  EXPECT_EQ(json["query"]["sym"], "&=");
  EXPECT_EQ(json["tls"], false);
}

TEST_F(HttpServerTest, HandlersNeverSeeClientAddresses) {
  start();
  auto response = get("/headers", {{"X-Forwarded-For", "10.1.2.3"}, {"X-Real-IP", "10.1.2.3"},
                                   {"Forwarded", "for=10.1.2.3"}, {"X-Custom", "kept"}});
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.body.find("10.1.2.3"), std::string::npos) << response.body;
  EXPECT_EQ(nlohmann::json::parse(response.body)["x-custom"], "kept");
}

TEST_F(HttpServerTest, BodyLimit) {
  config_.max_body_bytes = 1024;
  start();
  auto ok = http_request("127.0.0.1", port_, "POST", "/echo", {{"Content-Type", "application/x-test"}},
                         std::string(1024, 'a'));
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body.size(), 1024u);
  EXPECT_EQ(ok.header("content-type"), "application/x-test");

  auto big = http_request("127.0.0.1", port_, "POST", "/echo", {}, std::string(200 * 1024, 'a'));
  EXPECT_EQ(big.status, 413);
  EXPECT_NE(nlohmann::json::parse(big.body)["error"]["message"].get<std::string>().find("1024 bytes"),
            std::string::npos);

  // Announced too large: refused before any body byte is sent.
  RawSocket raw(port_);
  raw.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 300000000\r\nExpect: 100-continue\r\n\r\n");
  bool closed = false;
  const std::string answer = raw.read_new(3s, &closed);
  EXPECT_EQ(status_of(answer), 413) << answer;
  EXPECT_TRUE(closed);

  // Chunked bodies are cut off when they cross the limit.
  RawSocket chunked(port_);
  chunked.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" + std::string(2048, 'b') +
               "\r\n0\r\n\r\n");
  EXPECT_EQ(status_of(chunked.read_new(3s, &closed)), 413);
}

TEST_F(HttpServerTest, ExpectContinueGetsInterimResponse) {
  start();
  RawSocket raw(port_);
  raw.send("PUT /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  bool closed = false;
  EXPECT_EQ(status_of(raw.read_new(500ms, &closed)), 100);
  raw.send("hello");
  const std::string answer = raw.read_new(500ms, &closed);
  EXPECT_EQ(status_of(answer), 200);
  EXPECT_NE(answer.find("hello"), std::string::npos);
}

TEST_F(HttpServerTest, HeaderLimits) {
  config_.max_header_bytes = 2048;
  config_.max_header_count = 20;
  start();
  auto long_header = get("/hello", {{"X-Long", std::string(4000, 'x')}});
  EXPECT_EQ(long_header.status, 431);
  HeaderList many;
  for (int i = 0; i < 30; ++i) many.emplace_back("X-H" + std::to_string(i), "v");
  EXPECT_EQ(get("/hello", many).status, 431);
  EXPECT_EQ(get("/hello").status, 200);
}

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  start();
  HttpConnection connection("127.0.0.1", port_);
  for (int i = 0; i < 5; ++i) {
    auto response = connection.request("POST", "/echo", {}, "request " + std::to_string(i));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "request " + std::to_string(i));
    EXPECT_TRUE(connection.open());
  }
  EXPECT_EQ(server_->connection_count(), 1u);
}

TEST_F(HttpServerTest, SlowLorisIsCutOff) {
  config_.read_header_timeout = 300ms;
  start();
  RawSocket slow(port_);
  const auto begin = std::chrono::steady_clock::now();
  const std::string request = "GET /hello HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
  bool closed = false;
  for (char c : request) {
    if (!slow.send(std::string(1, c))) break;
    slow.read_new(50ms, &closed);
    if (closed) break;
  }
  const auto elapsed = std::chrono::steady_clock::now() - begin;
  EXPECT_TRUE(closed);
  EXPECT_LT(elapsed, 1500ms);
  EXPECT_GE(elapsed, 250ms);

  RawSocket silent(port_);  // connects and sends nothing
  silent.read_new(2s, &closed);
  EXPECT_TRUE(closed);
  EXPECT_TRUE(wait_for_connections(0));
}

TEST_F(HttpServerTest, TooManyConnectionsGet503) {
  config_.max_connections = 2;
  start();
  {
    RawSocket a(port_), b(port_);
    ASSERT_TRUE(wait_for_connections(2));
    auto refused = get("/hello");
    EXPECT_EQ(refused.status, 503);
    EXPECT_EQ(refused.header("retry-after"), "1");
  }
  ASSERT_TRUE(wait_for_connections(0));
  EXPECT_EQ(get("/hello").status, 200);
}

TEST_F(HttpServerTest, WebSocketEchoInOrder) {
  start();
  WebSocketClient client;
  client.connect("127.0.0.1", port_, "/ws/echo");
  constexpr int kMessages = 200;
  for (int i = 0; i < kMessages; ++i) {
    const std::string payload = "message " + std::to_string(i);
    if (i % 2 == 0) {
      client.send_text(payload);
    } else {
      client.send_binary(std::as_bytes(std::span(payload.data(), payload.size())));
    }
  }
  for (int i = 0; i < kMessages; ++i) {
    auto message = client.read(5s);
    ASSERT_TRUE(message);
    EXPECT_EQ(message->kind, i % 2 == 0 ? WebSocketMessage::Kind::text : WebSocketMessage::Kind::binary);
    EXPECT_EQ(message->payload, "message " + std::to_string(i));
  }
  EXPECT_FALSE(client.read(50ms));  // nothing more; the read stays pending
  client.send_text("close-me");
  auto closing = client.read(5s);
  ASSERT_TRUE(closing);
  EXPECT_EQ(closing->kind, WebSocketMessage::Kind::close);
  EXPECT_EQ(closing->close_code, 4000);
  EXPECT_TRUE(wait_for_connections(0));
  EXPECT_EQ(ws_closed_, 1);
}

TEST_F(HttpServerTest, WebSocketClientCloseCallsOnClosedOnce) {
  start();
  WebSocketClient client;
  client.connect("127.0.0.1", port_, "/ws/echo");
  client.send_text("x");
  ASSERT_TRUE(client.read(5s));
  client.close();
  EXPECT_TRUE(wait_for_connections(0));
  EXPECT_EQ(ws_closed_, 1);
}

TEST_F(HttpServerTest, RefusedUpgradeReportsStatus) {
  start();
  WebSocketClient client;
  try {
    client.connect("127.0.0.1", port_, "/ws/refuse");
    FAIL() << "upgrade was accepted";
  } catch (const HttpStatusError& e) {
    EXPECT_EQ(e.status(), 401);
    EXPECT_NE(e.body().find("no token"), std::string::npos);
  }
  try {
    client.connect("127.0.0.1", port_, "/ws/unknown");
    FAIL() << "upgrade was accepted";
  } catch (const HttpStatusError& e) {
    EXPECT_EQ(e.status(), 404);
  }
  EXPECT_EQ(ws_closed_, 0);
}

TEST_F(HttpServerTest, WebSocketIdleAndSizeLimits) {
  config_.websocket_idle_timeout = 300ms;
  config_.max_websocket_message_bytes = 1024;
  start();
  WebSocketClient idle;
  idle.connect("127.0.0.1", port_, "/ws/echo");
  auto message = idle.read(3s);
  ASSERT_TRUE(message);
  EXPECT_EQ(message->kind, WebSocketMessage::Kind::close);
  EXPECT_EQ(message->close_code, 1011);

  WebSocketClient big;
  big.connect("127.0.0.1", port_, "/ws/echo");
  big.send_text(std::string(2000, 'x'));
  message = big.read(3s);
  ASSERT_TRUE(message);
  EXPECT_EQ(message->kind, WebSocketMessage::Kind::close);
  EXPECT_EQ(message->close_code, 1009);
  EXPECT_TRUE(wait_for_connections(0));
  EXPECT_EQ(ws_closed_, 2);
}

TEST_F(HttpServerTest, GracefulStopClosesWebSocketsAndFinishesRequests) {
  start();
  WebSocketClient client;
  client.connect("127.0.0.1", port_, "/ws/echo");
  client.send_text("before stop");
  ASSERT_TRUE(client.read(5s));

  auto slow = std::async(std::launch::async, [this] { return get("/slow"); });
  std::this_thread::sleep_for(100ms);  // the slow request is in its handler
  auto stopped = std::async(std::launch::async, [this] { server_->stop(); });
  auto message = client.read(5s);
  ASSERT_TRUE(message);
  EXPECT_EQ(message->kind, WebSocketMessage::Kind::close);
  EXPECT_EQ(message->close_code, 1001);
  auto slow_response = slow.get();
  EXPECT_EQ(slow_response.status, 200);
  EXPECT_EQ(slow_response.body, "slow done");
  EXPECT_EQ(slow_response.header("connection"), "close");
  ASSERT_EQ(stopped.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(ws_closed_, 1);
  EXPECT_EQ(server_->connection_count(), 0u);
  EXPECT_THROW(get("/hello"), hush::Error);  // no longer listening
  server_->stop();                           // idempotent
}

TEST_F(HttpServerTest, PortInUseIsAClearError) {
  start();
  ServerConfig same = config_;
  same.port = port_;
  HttpServer second(same, router_);
  try {
    second.start();
    FAIL() << "bound a port in use";
  } catch (const hush::Error& e) {
    EXPECT_EQ(e.code(), HUSH_ERR_IO);
    EXPECT_NE(std::string(e.what()).find("cannot listen"), std::string::npos);
  }
}

TEST_F(HttpServerTest, TlsHttpsAndWss) {
  const auto dir = std::filesystem::temp_directory_path() / ("hush-tls-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
  const std::string command = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1"
                              " -subj /CN=localhost -keyout '" + key + "' -out '" + cert + "' 2>/dev/null";
  if (std::system(command.c_str()) != 0) GTEST_SKIP() << "openssl CLI not available";
  config_.tls_cert_file = cert;
  config_.tls_key_file = key;
  start();

  auto response = get("/query?x=1");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(nlohmann::json::parse(response.body)["tls"], true);

  WebSocketClient client;
  client.connect("127.0.0.1", port_, "/ws/echo", {}, /*use_tls=*/true);
  client.send_text("over tls");
  auto message = client.read(5s);
  ASSERT_TRUE(message);
  EXPECT_EQ(message->payload, "over tls");
  client.close();
  EXPECT_TRUE(wait_for_connections(0));
  EXPECT_EQ(ws_closed_, 1);

  // Plain HTTP to the TLS port gets no HTTP answer.
  EXPECT_THROW(http_request("127.0.0.1", port_, "GET", "/hello", {}, "", false, 2s), hush::Error);
  server_->stop();
  std::filesystem::remove_all(dir);
}

TEST(RouterTest, RejectsBadPatterns) {
  Router router;
  auto handler = [](HttpRequest&) { return HttpResponse::text(200, ""); };
  EXPECT_THROW(router.add("GET", "no-slash", handler), hush::Error);
  EXPECT_THROW(router.add("GET", "/a{b}", handler), hush::Error);
  EXPECT_THROW(router.add("GET", "/{x}/{x}", handler), hush::Error);
  router.add("GET", "/a/{b}", handler);
  EXPECT_THROW(router.add("GET", "/a/{b}", handler), hush::Error);
}

TEST(RouterTest, DispatchWithoutServer) {
  Router router;
  router.add("GET", "/v1/recordings/{id}", [](HttpRequest& r) { return HttpResponse::text(200, r.path_params["id"]); });
  HttpRequest request;
  request.method = "GET";
  request.path = "/v1/recordings/42";
  EXPECT_EQ(router.dispatch(request).body, "42");
  auto error = HttpResponse::error(418, "bad \xff utf8");
  EXPECT_EQ(nlohmann::json::parse(error.body)["error"]["code"], 418);
}
