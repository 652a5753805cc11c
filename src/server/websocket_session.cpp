// One accepted WebSocket connection (plain or TLS). Reads run one at a time on the connection's
// strand and call the handler; sends from any thread are posted to the strand and queued, so
// they go out in order and never overlap. on_closed is called exactly once: when the read loop
// ends, or from the destructor if the io_context is torn down first.
#include <cstdio>
#include <deque>
#include <type_traits>

#include "server/beast_common.h"
#include "server/router.h"
#include "server/url.h"

namespace hush::server {
namespace {

constexpr std::size_t kMaxCloseReasonBytes = 123;  // RFC 6455: a control frame's payload is <= 125

struct Outgoing {
  enum class Kind { text, binary, close } kind = Kind::text;
  std::string text;  // text payload, or the close reason
  std::vector<std::byte> binary;
  int close_code = 0;
};

class OutgoingSink {
 public:
  virtual ~OutgoingSink() = default;
  virtual void enqueue(Outgoing message) = 0;
};

// What a handler holds: a weak link, so a handler that keeps its sender does not keep the
// connection alive, and sends after the connection is gone are dropped.
class Sender final : public WebSocketSender {
 public:
  explicit Sender(std::weak_ptr<OutgoingSink> sink) : sink_(std::move(sink)) {}
  void send_text(std::string message) override {
    Outgoing out;
    out.text = std::move(message);
    push(std::move(out));
  }
  void send_binary(std::vector<std::byte> message) override {
    Outgoing out;
    out.kind = Outgoing::Kind::binary;
    out.binary = std::move(message);
    push(std::move(out));
  }
  void close(int code, std::string reason) override {
    Outgoing out;
    out.kind = Outgoing::Kind::close;
    out.close_code = code;
    out.text = std::move(reason);
    push(std::move(out));
  }

 private:
  void push(Outgoing message) {
    if (auto sink = sink_.lock()) sink->enqueue(std::move(message));
  }
  const std::weak_ptr<OutgoingSink> sink_;
};

template <class Stream>
class WebSocketSession final : public Session,
                               public OutgoingSink,
                               public std::enable_shared_from_this<WebSocketSession<Stream>> {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  WebSocketSession(ServerState& state, Stream&& stream, std::shared_ptr<ConnectionSlot> slot)
      : Session(state),
        ws_(std::move(stream)),
        executor_(ws_.get_executor()),
        idle_timer_(executor_),
        slot_(std::move(slot)) {}

  ~WebSocketSession() override { finish(/*from_destructor=*/true); }

  // Runs on the strand (called from the HTTP session that read the upgrade request).
  void start(BeastRequest&& upgrade, HttpRequest&& request, const WebSocketAcceptor& acceptor) {
    state_.add(this->shared_from_this());
    auto sender = std::make_shared<Sender>(this->weak_from_this());
    HttpResponse refusal = HttpResponse::error(403, "WebSocket upgrade refused");
    try {
      handler_ = acceptor(request, sender, refusal);
    } catch (...) {
      refusal = response_for_current_exception("a WebSocket acceptor");
    }
    if (!handler_) return refuse(std::move(refusal), upgrade.version());

    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = config().read_header_timeout;  // also bounds the close handshake
    // No Beast idle timeout: the message timer below closes a silent peer with 1011 (and a dead
    // one too, since the close handshake is bounded by handshake_timeout).
    timeouts.idle_timeout = websocket::stream_base::none();
    timeouts.keep_alive_pings = false;
    ws_.set_option(timeouts);
    // Headers the acceptor put on its response go on the 101: a handler that accepts a
    // subprotocol the client offered (Sec-WebSocket-Protocol) must echo it, or browsers drop
    // the connection. The handshake's own fields are Beast's and are not overridden.
    ws_.set_option(websocket::stream_base::decorator(
        [extra = std::move(refusal.headers)](websocket::response_type& response) {
          response.set(http::field::server, "hushd");
          for (const auto& [name, value] : extra) {
            const std::string lower = ascii_lower(name);
            if (lower == "upgrade" || lower == "connection" || lower == "sec-websocket-accept") continue;
            if (name.find_first_of("\r\n") == std::string::npos && value.find_first_of("\r\n") == std::string::npos)
              response.set(name, value);
          }
        }));
    ws_.read_message_max(config().max_websocket_message_bytes);
    beast::get_lowest_layer(ws_).expires_never();  // the websocket timeouts above take over
    upgrade_ = std::move(upgrade);
    ws_.async_accept(upgrade_, [self = this->shared_from_this()](beast::error_code ec) { self->on_accept(ec); });
  }

  void enqueue(Outgoing message) override {
    net::post(executor_, [self = this->shared_from_this(), message = std::move(message)]() mutable {
      self->push(std::move(message));
    });
  }

  void shutdown() override {
    net::post(executor_, [self = this->shared_from_this()] {
      // A handshake in flight sees `stopping` in on_accept.
      if (self->accepted_) self->push(close_message(1001, "server shutting down"));
    });
  }

  void force_close() override {
    net::post(executor_, [self = this->shared_from_this()] {
      beast::error_code ec;
      beast::get_lowest_layer(self->ws_).socket().close(ec);
    });
  }

 private:
  const ServerConfig& config() const { return state_.config; }

  static Outgoing close_message(int code, std::string reason) {
    Outgoing out;
    out.kind = Outgoing::Kind::close;
    out.close_code = code;
    out.text = std::move(reason);
    return out;
  }

  void refuse(HttpResponse&& refusal, unsigned version) {
    auto response = std::make_shared<BeastResponse>(to_beast_response(std::move(refusal), version, false));
    beast::get_lowest_layer(ws_).expires_after(config().write_timeout);
    http::async_write(ws_.next_layer(), *response,
                      [self = this->shared_from_this(), response](beast::error_code, std::size_t) {
                        auto& lowest = beast::get_lowest_layer(self->ws_);
                        if constexpr (kTls) {
                          lowest.expires_after(std::chrono::seconds(2));
                          self->ws_.next_layer().async_shutdown([self](beast::error_code) {
                            beast::error_code ignored;
                            beast::get_lowest_layer(self->ws_).socket().close(ignored);
                          });
                        } else {
                          beast::error_code ignored;
                          lowest.socket().shutdown(tcp::socket::shutdown_send, ignored);
                        }
                      });
  }

  void on_accept(beast::error_code ec) {
    if (ec) return finish();
    accepted_ = true;
    if (state_.stopping) push(close_message(1001, "server shutting down"));
    arm_idle_timer();
    read();
    if (!writing_) write_next();
  }

  void arm_idle_timer() {
    idle_timer_.expires_after(config().websocket_idle_timeout);
    idle_timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (ec || self->finished_ || self->close_queued_) return;
      const long long seconds = static_cast<long long>(self->config().websocket_idle_timeout.count() / 1000);
      self->push(close_message(1011, "no message received for " + std::to_string(seconds) + " s"));
    });
  }

  void read() {
    ws_.async_read(buffer_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec) return finish();
    if (!close_queued_) arm_idle_timer();
    const auto data = buffer_.cdata();
    try {
      if (ws_.got_text()) {
        handler_->on_text(std::string_view(static_cast<const char*>(data.data()), data.size()));
      } else {
        handler_->on_binary(std::span<const std::byte>(static_cast<const std::byte*>(data.data()), data.size()));
      }
    } catch (...) {
      (void)response_for_current_exception("a WebSocket handler");
      push(close_message(1011, "internal server error"));
    }
    buffer_.consume(buffer_.size());
    read();
  }

  void push(Outgoing message) {
    if (finished_ || close_queued_) return;
    if (message.kind == Outgoing::Kind::close) close_queued_ = true;
    queue_.push_back(std::move(message));
    if (accepted_ && !writing_) write_next();
  }

  void write_next() {
    if (queue_.empty() || finished_) {
      writing_ = false;
      return;
    }
    writing_ = true;
    Outgoing& message = queue_.front();
    auto self = this->shared_from_this();
    if (message.kind == Outgoing::Kind::close) {
      idle_timer_.cancel();
      if (message.text.size() > kMaxCloseReasonBytes) message.text.resize(kMaxCloseReasonBytes);
      websocket::close_reason reason(static_cast<websocket::close_code>(message.close_code), message.text);
      // The read loop sees the peer's answering close frame and ends the session.
      // Errors need no handling: the read loop ends either way and finishes the session.
      ws_.async_close(reason, [self](beast::error_code) {
        self->queue_.clear();
        self->writing_ = false;
      });
      return;
    }
    ws_.text(message.kind == Outgoing::Kind::text);
    const auto buffer = message.kind == Outgoing::Kind::text ? net::buffer(message.text) : net::buffer(message.binary);
    ws_.async_write(buffer, [self](beast::error_code ec, std::size_t) {
      if (ec) {
        self->queue_.clear();
        self->writing_ = false;
        return self->force_close();
      }
      self->queue_.pop_front();
      self->write_next();
    });
  }

  void finish(bool from_destructor = false) {
    if (finished_) return;
    finished_ = true;
    if (!from_destructor) idle_timer_.cancel();  // the io_context may be going away
    if (auto handler = std::move(handler_)) {
      try {
        handler->on_closed();
      } catch (...) {
        (void)response_for_current_exception("a WebSocket on_closed");
      }
    }
  }

  websocket::stream<Stream> ws_;
  typename websocket::stream<Stream>::executor_type executor_;
  net::steady_timer idle_timer_;
  std::shared_ptr<ConnectionSlot> slot_;
  std::unique_ptr<WebSocketHandler> handler_;
  BeastRequest upgrade_;
  beast::flat_buffer buffer_;
  std::deque<Outgoing> queue_;
  bool accepted_ = false;
  bool writing_ = false;
  bool close_queued_ = false;
  bool finished_ = false;
};

}  // namespace

template <class Stream>
void start_websocket_session(ServerState& state, Stream&& stream, BeastRequest&& upgrade, HttpRequest&& request,
                             const WebSocketAcceptor& acceptor, std::shared_ptr<ConnectionSlot> slot) {
  auto session = std::make_shared<WebSocketSession<Stream>>(state, std::move(stream), std::move(slot));
  session->start(std::move(upgrade), std::move(request), acceptor);
}

template void start_websocket_session<PlainStream>(ServerState&, PlainStream&&, BeastRequest&&, HttpRequest&&,
                                                   const WebSocketAcceptor&, std::shared_ptr<ConnectionSlot>);
template void start_websocket_session<TlsStream>(ServerState&, TlsStream&&, BeastRequest&&, HttpRequest&&,
                                                 const WebSocketAcceptor&, std::shared_ptr<ConnectionSlot>);

}  // namespace hush::server
