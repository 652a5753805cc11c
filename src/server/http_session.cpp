// One HTTP/1.1 connection (plain or TLS): read a request within the limits, run the router,
// write the response, repeat while keep-alive; hand WebSocket upgrades to websocket_session.cpp.
#include <algorithm>
#include <array>
#include <string_view>
#include <type_traits>

#include "server/beast_common.h"
#include "server/url.h"

namespace hush::server {
namespace {

constexpr std::size_t kFirstReadBytes = 4096;
// After answering a request whose body was not read (413, 431, 503), keep reading and discarding
// for a moment before closing: closing a socket with unread data sends a TCP reset, which can
// destroy the error response before the client has read it.
constexpr std::size_t kLingerMaxBytes = 4u * 1024 * 1024;
constexpr std::chrono::milliseconds kLingerTime{2'000};
constexpr std::chrono::milliseconds kTlsShutdownTime{2'000};

// Headers through which a proxy passes the client's address; handlers never see them (P8).
bool carries_client_address(std::string_view lower_name) {
  static constexpr std::array<std::string_view, 10> kNames = {
      "x-forwarded-for", "forwarded",           "x-real-ip",       "x-client-ip",
      "true-client-ip",  "cf-connecting-ip",    "x-cluster-client-ip", "fastly-client-ip",
      "x-original-forwarded-for", "x-forwarded"};
  return std::find(kNames.begin(), kNames.end(), lower_name) != kNames.end();
}

bool has_line_break(std::string_view text) { return text.find_first_of("\r\n") != std::string_view::npos; }

template <class Stream>
class HttpSession final : public Session, public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  HttpSession(ServerState& state, Stream&& stream, std::shared_ptr<ConnectionSlot> slot, bool overloaded)
      : Session(state),
        stream_(std::move(stream)),
        executor_(stream_.get_executor()),
        slot_(std::move(slot)),
        overloaded_(overloaded) {}

  void run() {
    state_.add(this->shared_from_this());
    net::dispatch(executor_, [self = this->shared_from_this()] { self->begin(); });
  }

  void shutdown() override {
    net::post(executor_, [self = this->shared_from_this()] {
      if (!self->handed_off_ && !self->busy_) self->close_now();
    });
  }

  void force_close() override {
    net::post(executor_, [self = this->shared_from_this()] {
      if (!self->handed_off_) self->close_now();
    });
  }

 private:
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }
  const ServerConfig& config() const { return state_.config; }

  void begin() {
    deadline_ = std::chrono::steady_clock::now() + config().read_header_timeout;
    if constexpr (kTls) {
      lowest().expires_at(deadline_);
      stream_.async_handshake(ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
        if (ec) return self->close_now();
        self->wait_for_request();
      });
    } else {
      wait_for_request();
    }
  }

  // Waits for the first byte of the next request: the first request must arrive within the
  // header timeout, a keep-alive connection may idle for idle_timeout.
  void wait_for_request() {
    if (state_.stopping) return close_now();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(config().max_header_bytes, UINT32_MAX)));
    parser_->body_limit(static_cast<std::uint64_t>(config().max_body_bytes));
    if (buffer_.size() > 0) return read_header();  // pipelined bytes already here
    if (first_request_) {
      lowest().expires_at(deadline_);
    } else {
      lowest().expires_after(config().idle_timeout);
    }
    stream_.async_read_some(buffer_.prepare(kFirstReadBytes),
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t bytes) {
                              if (ec || bytes == 0) return self->close_now();
                              self->buffer_.commit(bytes);
                              self->read_header();
                            });
  }

  void read_header() {
    busy_ = true;
    if (!first_request_) deadline_ = std::chrono::steady_clock::now() + config().read_header_timeout;
    lowest().expires_at(deadline_);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec == http::error::header_limit)
      return reject(431, "request headers are larger than " + std::to_string(config().max_header_bytes) + " bytes");
    if (ec == http::error::body_limit) return reject_body_too_large();
    if (ec == http::error::end_of_stream || ec == http::error::partial_message) return close_now();
    if (ec && ec.category() == http::make_error_code(http::error::bad_target).category())
      return reject(400, "malformed HTTP request");
    if (ec) return close_now();  // timeout (slow client), reset, ...
    const auto& header = parser_->get();
    if (static_cast<std::size_t>(std::distance(header.begin(), header.end())) > config().max_header_count)
      return reject(431, "more than " + std::to_string(config().max_header_count) + " request header fields");
    if (overloaded_) return reject(503, "the server has too many open connections; retry later");
    if (!parser_->is_done() && ascii_iequals(header[http::field::expect], "100-continue")) {
      auto interim = std::make_shared<http::response<http::empty_body>>(http::status::continue_, header.version());
      lowest().expires_after(config().write_timeout);
      http::async_write(stream_, *interim,
                        [self = this->shared_from_this(), interim](beast::error_code write_ec, std::size_t) {
                          if (write_ec) return self->close_now();
                          self->read_body();
                        });
      return;
    }
    read_body();
  }

  void read_body() {
    if (parser_->is_done()) return handle_request();
    lowest().expires_after(config().body_stall_timeout);
    http::async_read_some(stream_, buffer_, *parser_,
                          [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                            if (ec == http::error::body_limit) return self->reject_body_too_large();
                            if (ec) return self->close_now();
                            self->read_body();
                          });
  }

  void handle_request() {
    BeastRequest request = parser_->release();
    parser_.reset();
    lowest().expires_never();  // a handler may take long; the write sets its own deadline
    const bool client_keep_alive = request.keep_alive();
    const unsigned version = request.version();
    const bool upgrade = websocket::is_upgrade(request);
    auto converted = upgrade ? to_http_request(BeastRequest(request), kTls) : to_http_request(std::move(request), kTls);
    if (!converted) return reject(400, "malformed request target");
    if (upgrade) {
      if (const WebSocketAcceptor* acceptor = state_.router.find_websocket(*converted)) {
        if (state_.stopping) return reject(503, "the server is shutting down");
        handed_off_ = true;
        start_websocket_session<Stream>(state_, std::move(stream_), std::move(request), std::move(*converted),
                                        *acceptor, std::move(slot_));
        return;
      }
    }
    HttpResponse response = state_.router.dispatch(*converted);
    const bool keep_alive = client_keep_alive && !state_.stopping;  // stop() may have begun meanwhile
    send(to_beast_response(std::move(response), version, keep_alive), !keep_alive);
  }

  void reject_body_too_large() {
    reject(413, "request body is larger than the limit of " + std::to_string(config().max_body_bytes) + " bytes");
  }

  // Answers with a JSON error and closes: the rest of the request is not read.
  void reject(int status, const std::string& message) {
    HttpResponse response = HttpResponse::error(status, message);
    if (status == 503) response.headers.emplace_back("Retry-After", "1");
    send(to_beast_response(std::move(response), 11, false), true);
  }

  void send(BeastResponse&& response, bool close_after) {
    busy_ = true;
    auto message = std::make_shared<BeastResponse>(std::move(response));
    lowest().expires_after(config().write_timeout);
    http::async_write(stream_, *message,
                      [self = this->shared_from_this(), message, close_after](beast::error_code ec, std::size_t) {
                        if (ec) return self->close_now();
                        if (close_after || self->state_.stopping) return self->close_gracefully();
                        self->busy_ = false;
                        self->first_request_ = false;
                        self->wait_for_request();
                      });
  }

  void close_gracefully() {
    if constexpr (kTls) {
      lowest().expires_after(kTlsShutdownTime);
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) { self->close_now(); });
    } else {
      beast::error_code ec;
      lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
      if (ec) return close_now();
      buffer_.consume(buffer_.size());
      lowest().expires_after(kLingerTime);
      linger();
    }
  }

  void linger() {
    stream_.async_read_some(buffer_.prepare(64 * 1024),
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t bytes) {
                              self->lingered_bytes_ += bytes;
                              if (ec || self->lingered_bytes_ > kLingerMaxBytes) return self->close_now();
                              self->linger();
                            });
  }

  void close_now() {
    beast::error_code ec;
    lowest().socket().close(ec);
  }

  Stream stream_;
  typename Stream::executor_type executor_;
  std::shared_ptr<ConnectionSlot> slot_;
  const bool overloaded_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::chrono::steady_clock::time_point deadline_;
  std::size_t lingered_bytes_ = 0;
  bool first_request_ = true;
  bool busy_ = false;        // a request is being read or answered
  bool handed_off_ = false;  // the stream now belongs to a WebSocket session
};

}  // namespace

std::optional<HttpRequest> to_http_request(BeastRequest&& request, bool tls) {
  HttpRequest out;
  out.method = std::string(request.method_string());
  out.target = std::string(request.target());
  auto parsed = parse_target(out.target);
  if (!parsed) return std::nullopt;
  out.path = std::move(parsed->path);
  out.query = std::move(parsed->query);
  for (const auto& field : request) {
    std::string name = ascii_lower(field.name_string());
    if (carries_client_address(name)) continue;
    out.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  out.body = std::move(request.body());
  out.tls = tls;
  return out;
}

BeastResponse to_beast_response(HttpResponse&& response, unsigned version, bool keep_alive) {
  if (response.status < 100 || response.status > 599) {
    response = HttpResponse::error(500, "handler returned an invalid HTTP status", "server_error");
  }
  BeastResponse out;
  out.version(version);
  out.result(static_cast<unsigned>(response.status));
  out.set(http::field::server, "hushd");
  if (!response.content_type.empty() && !has_line_break(response.content_type))
    out.set(http::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers)
    if (!name.empty() && !has_line_break(name) && !has_line_break(value)) out.insert(name, value);
  out.body() = std::move(response.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

void start_http_session(ServerState& state, tcp::socket socket, ssl::context* tls, std::shared_ptr<ConnectionSlot> slot,
                        bool overloaded) {
  if (tls) {
    std::make_shared<HttpSession<TlsStream>>(state, TlsStream(beast::tcp_stream(std::move(socket)), *tls),
                                             std::move(slot), overloaded)
        ->run();
  } else {
    std::make_shared<HttpSession<PlainStream>>(state, PlainStream(std::move(socket)), std::move(slot), overloaded)->run();
  }
}

}  // namespace hush::server
