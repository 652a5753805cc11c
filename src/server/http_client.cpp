#include "server/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <functional>
#include <optional>
#include <type_traits>

#include "server/url.h"

namespace hush::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

constexpr std::uint64_t kMaxResponseBodyBytes = 1ull << 30;

[[noreturn]] void fail(const std::string& what, const beast::error_code& ec) {
  throw Error(HUSH_ERR_IO, what + ": " + ec.message());
}

// Runs the io_context until `done` or the timeout; other pending work (a WebSocket read left
// waiting by an earlier read()) stays pending.
bool run_until(net::io_context& io, const bool& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  io.restart();
  while (!done) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    if (io.run_one_until(deadline) == 0 && io.stopped() && !done) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      io.restart();
      if (io.poll() == 0 && !done) return false;  // nothing pending could ever set `done`
    }
  }
  return true;
}

ssl::context make_client_tls_context() {
  ssl::context context(ssl::context::tls_client);
  context.set_verify_mode(ssl::verify_none);  // test/load tool: self-signed server certificates
  return context;
}

// Opens the TCP connection (and TLS) under lowest's deadline.
template <class Stream>
void open_connection(net::io_context& io, Stream& stream, beast::tcp_stream& lowest, const std::string& host,
                     std::uint16_t port, std::chrono::milliseconds timeout, bool use_tls) {
  const std::string where = host + ":" + std::to_string(port);
  beast::error_code ec;
  tcp::resolver resolver(io);
  const auto endpoints = resolver.resolve(host, std::to_string(port), ec);
  if (ec) fail("cannot resolve " + where, ec);
  bool done = false;
  lowest.expires_after(timeout);
  lowest.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) {
    ec = e;
    done = true;
  });
  run_until(io, done, timeout + std::chrono::seconds(1));
  if (!done) ec = beast::error::timeout;
  if (ec) fail("cannot connect to " + where, ec);
  if constexpr (!std::is_same_v<Stream, beast::tcp_stream>) {
    if (use_tls) {
      SSL_set_tlsext_host_name(stream.native_handle(), host.c_str());
      done = false;
      lowest.expires_after(timeout);
      stream.async_handshake(ssl::stream_base::client, [&](beast::error_code e) {
        ec = e;
        done = true;
      });
      run_until(io, done, timeout + std::chrono::seconds(1));
      if (!done) ec = beast::error::timeout;
      if (ec) fail("TLS handshake with " + where + " failed", ec);
    }
  }
}

}  // namespace

std::string HttpClientResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (ascii_iequals(key, name)) return value;
  return {};
}

HttpStatusError::HttpStatusError(int status, std::string body)
    : Error(HUSH_ERR_IO, "server answered HTTP " + std::to_string(status) + ": " + body),
      status_(status),
      body_(std::move(body)) {}

struct HttpConnection::Impl {
  net::io_context io;
  ssl::context tls_context = make_client_tls_context();
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;
  std::string host_port;
  std::chrono::milliseconds timeout{};
  bool open = true;

  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }

  template <class F>
  void with_stream(F&& f) {
    if (tls) {
      f(*tls);
    } else {
      f(*plain);
    }
  }

  beast::error_code run_op(const std::function<void(std::function<void(beast::error_code)>)>& start) {
    beast::error_code ec;
    bool done = false;
    lowest().expires_after(timeout);
    start([&](beast::error_code e) {
      ec = e;
      done = true;
    });
    run_until(io, done, timeout + std::chrono::seconds(1));
    return done ? ec : beast::error_code(beast::error::timeout);
  }
};

HttpConnection::HttpConnection(const std::string& host, std::uint16_t port, bool use_tls,
                               std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->host_port = host + ":" + std::to_string(port);
  impl_->timeout = timeout;
  if (use_tls) {
    impl_->tls.emplace(impl_->io, impl_->tls_context);
    open_connection(impl_->io, *impl_->tls, impl_->lowest(), host, port, timeout, true);
  } else {
    impl_->plain.emplace(impl_->io);
    open_connection(impl_->io, *impl_->plain, impl_->lowest(), host, port, timeout, false);
  }
}

HttpConnection::~HttpConnection() = default;

bool HttpConnection::open() const { return impl_->open; }

HttpClientResponse HttpConnection::request(const std::string& method, const std::string& target,
                                           const HeaderList& headers, const std::string& body) {
  if (!impl_->open) throw Error(HUSH_ERR_IO, "the connection to " + impl_->host_port + " is closed");
  http::request<http::string_body> request;
  request.method_string(method);
  request.target(target);
  request.version(11);
  request.set(http::field::host, impl_->host_port);
  request.set(http::field::user_agent, "hush-test-client");
  request.body() = body;
  request.prepare_payload();
  for (const auto& [name, value] : headers) request.set(name, value);  // may override Content-Length on purpose

  const beast::error_code write_ec = impl_->run_op([&](auto done) {
    impl_->with_stream([&](auto& stream) {
      http::async_write(stream, request, [done](beast::error_code ec, std::size_t) { done(ec); });
    });
  });
  // Even when the write failed, the server may have answered early (413) and closed: read it.
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxResponseBodyBytes);
  const beast::error_code read_ec = impl_->run_op([&](auto done) {
    impl_->with_stream([&](auto& stream) {
      http::async_read(stream, impl_->buffer, parser, [done](beast::error_code ec, std::size_t) { done(ec); });
    });
  });
  if (read_ec) {
    impl_->open = false;
    if (write_ec) fail("sending the request to " + impl_->host_port + " failed", write_ec);
    fail("reading the response from " + impl_->host_port + " failed", read_ec);
  }
  auto response = parser.release();
  HttpClientResponse out;
  out.status = static_cast<int>(response.result_int());
  for (const auto& field : response) out.headers.emplace_back(ascii_lower(field.name_string()), std::string(field.value()));
  out.body = std::move(response.body());
  impl_->open = response.keep_alive() && !write_ec;
  return out;
}

HttpClientResponse http_request(const std::string& host, std::uint16_t port, const std::string& method,
                                const std::string& target, const HeaderList& headers, const std::string& body,
                                bool use_tls, std::chrono::milliseconds timeout) {
  HttpConnection connection(host, port, use_tls, timeout);
  return connection.request(method, target, headers, body);
}

struct WebSocketClient::Impl {
  net::io_context io;
  ssl::context tls_context = make_client_tls_context();
  std::optional<websocket::stream<beast::tcp_stream>> plain;
  std::optional<websocket::stream<beast::ssl_stream<beast::tcp_stream>>> tls;
  beast::flat_buffer buffer;
  std::chrono::milliseconds timeout{};
  bool read_pending = false;
  bool read_done = false;
  beast::error_code read_ec;
  bool closed = false;
  std::string protocol;  // selected by the server in its 101

  template <class F>
  void with_stream(F&& f) {
    if (tls) {
      f(*tls);
    } else if (plain) {
      f(*plain);
    } else {
      throw Error(HUSH_ERR_IO, "the WebSocket is not connected");
    }
  }

  // Runs one operation started by `start` (which gets the completion callback) to its end.
  template <class Start>
  void run_op(const char* what, Start&& start) {
    beast::error_code ec;
    bool done = false;
    with_stream([&](auto& ws) {
      start(ws, [&](beast::error_code e) {
        ec = e;
        done = true;
      });
    });
    if (!run_until(io, done, timeout)) throw Error(HUSH_ERR_IO, std::string(what) + " timed out");
    if (ec) fail(what, ec);
  }
};

WebSocketClient::WebSocketClient() : impl_(std::make_unique<Impl>()) {}
WebSocketClient::~WebSocketClient() = default;

void WebSocketClient::connect(const std::string& host, std::uint16_t port, const std::string& target,
                              const HeaderList& headers, bool use_tls, std::chrono::milliseconds timeout) {
  impl_ = std::make_unique<Impl>();
  impl_->timeout = timeout;
  beast::error_code ec;
  websocket::response_type response;
  bool done = false;
  auto handshake = [&](auto& ws) {
    beast::get_lowest_layer(ws).expires_never();  // the websocket's own timeouts from here on
    websocket::stream_base::timeout timeouts = websocket::stream_base::timeout::suggested(beast::role_type::client);
    timeouts.handshake_timeout = timeout;
    ws.set_option(timeouts);
    ws.set_option(websocket::stream_base::decorator([headers](websocket::request_type& request) {
      request.set(http::field::user_agent, "hush-test-client");
      for (const auto& [name, value] : headers) request.set(name, value);
    }));
    ws.async_handshake(response, host + ":" + std::to_string(port), target, [&](beast::error_code e) {
      ec = e;
      done = true;
    });
  };
  if (use_tls) {
    impl_->tls.emplace(impl_->io, impl_->tls_context);
    open_connection(impl_->io, impl_->tls->next_layer(), beast::get_lowest_layer(*impl_->tls), host, port, timeout,
                    true);
    handshake(*impl_->tls);
  } else {
    impl_->plain.emplace(impl_->io);
    open_connection(impl_->io, impl_->plain->next_layer(), beast::get_lowest_layer(*impl_->plain), host, port,
                    timeout, false);
    handshake(*impl_->plain);
  }
  if (!run_until(impl_->io, done, timeout + std::chrono::seconds(1))) ec = beast::error::timeout;
  if (ec == websocket::error::upgrade_declined)
    throw HttpStatusError(static_cast<int>(response.result_int()), response.body());
  if (ec) fail("WebSocket upgrade of " + target + " failed", ec);
  impl_->protocol = std::string(response[http::field::sec_websocket_protocol]);
  for (const auto& [name, value] : headers) {
    if (!ascii_iequals(name, "sec-websocket-protocol")) continue;
    bool offered = false;
    for (std::size_t start = 0; start <= value.size();) {
      const std::size_t comma = std::min(value.find(',', start), value.size());
      std::string item = value.substr(start, comma - start);
      item.erase(0, std::min(item.find_first_not_of(' '), item.size()));
      item.erase(item.find_last_not_of(' ') + 1);
      offered = offered || (!item.empty() && item == impl_->protocol);
      start = comma + 1;
    }
    if (!offered) {
      throw Error(HUSH_ERR_IO, "the server selected no offered subprotocol (Sec-WebSocket-Protocol: '" +
                                   impl_->protocol + "'); a browser would close the connection");
    }
  }
}

const std::string& WebSocketClient::protocol() const { return impl_->protocol; }

void WebSocketClient::send_text(std::string_view message) {
  impl_->run_op("sending a WebSocket text message", [&](auto& ws, auto done) {
    ws.text(true);
    ws.async_write(net::buffer(message.data(), message.size()), [done](beast::error_code ec, std::size_t) { done(ec); });
  });
}

void WebSocketClient::send_binary(std::span<const std::byte> message) {
  impl_->run_op("sending a WebSocket binary message", [&](auto& ws, auto done) {
    ws.binary(true);
    ws.async_write(net::buffer(message.data(), message.size()), [done](beast::error_code ec, std::size_t) { done(ec); });
  });
}

std::optional<WebSocketMessage> WebSocketClient::read(std::chrono::milliseconds timeout) {
  Impl& impl = *impl_;
  if (impl.closed) throw Error(HUSH_ERR_IO, "the WebSocket is closed");
  if (!impl.read_pending) {
    impl.read_pending = true;
    impl.read_done = false;
    impl.with_stream([&](auto& ws) {
      ws.async_read(impl.buffer, [&impl](beast::error_code ec, std::size_t) {
        impl.read_ec = ec;
        impl.read_done = true;
      });
    });
  }
  if (!run_until(impl.io, impl.read_done, timeout)) return std::nullopt;
  impl.read_pending = false;
  WebSocketMessage message;
  // A close frame may arrive and the TCP teardown still fail (Beast 1.74's server teardown can
  // close before the client's answer is in): the peer's close code is what matters then.
  int close_code = 0;
  impl.with_stream([&](auto& ws) { close_code = ws.reason().code; });
  if (impl.read_ec == websocket::error::closed || (impl.read_ec && close_code != 0)) {
    impl.closed = true;
    message.kind = WebSocketMessage::Kind::close;
    impl.with_stream([&](auto& ws) {
      message.close_code = close_code;
      message.payload = std::string(ws.reason().reason.c_str());
    });
    return message;
  }
  if (impl.read_ec) {
    impl.closed = true;
    fail("reading from the WebSocket failed", impl.read_ec);
  }
  bool text = false;
  impl.with_stream([&](auto& ws) { text = ws.got_text(); });
  message.kind = text ? WebSocketMessage::Kind::text : WebSocketMessage::Kind::binary;
  message.payload = beast::buffers_to_string(impl.buffer.data());
  impl.buffer.consume(impl.buffer.size());
  return message;
}

void WebSocketClient::close(int code, std::string_view reason) {
  Impl& impl = *impl_;
  if (impl.closed || (!impl.plain && !impl.tls)) return;
  impl.run_op("closing the WebSocket", [&](auto& ws, auto done) {
    ws.async_close(websocket::close_reason(static_cast<websocket::close_code>(code), reason.substr(0, 123)),
                   [done](beast::error_code ec) { done(ec); });
  });
  if (impl.read_pending) run_until(impl.io, impl.read_done, impl.timeout);
  impl.closed = true;
}

}  // namespace hush::server
