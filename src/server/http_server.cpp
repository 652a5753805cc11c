#include "server/http_server.h"

#include <cstdio>
#include <future>
#include <thread>

#include "server/beast_common.h"
#include "util/error.h"

namespace hush::server {
namespace {

// Connections over max_connections still get a 503 answer, up to this many more; beyond that
// they are closed at once, so a flood cannot make the server do work for each.
std::size_t overload_answer_limit(std::size_t max_connections) { return max_connections + max_connections / 4 + 16; }

constexpr std::chrono::milliseconds kAcceptRetryDelay{100};
constexpr std::chrono::milliseconds kForceCloseWait{2'000};

}  // namespace

struct HttpServer::Impl {
  Impl(ServerConfig config, Router& router) : state(std::move(config), router) {}

  void accept() {
    acceptor.async_accept(net::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec == net::error::operation_aborted || state.stopping || !acceptor.is_open()) return;
        // Out of file descriptors and the like: say so (no peer address) and try again shortly.
        std::fprintf(stderr, "hushd: accepting a connection failed: %s\n", ec.message().c_str());
        retry_timer.expires_after(kAcceptRetryDelay);
        retry_timer.async_wait([this](beast::error_code timer_ec) {
          if (!timer_ec) accept();
        });
        return;
      }
      if (state.stopping) return;  // the socket closes as it goes out of scope
      auto [slot, count] = state.open_connection();
      if (count <= overload_answer_limit(state.config.max_connections))
        start_http_session(state, std::move(socket), tls ? &*tls : nullptr, std::move(slot),
                           count > state.config.max_connections);
      accept();
    });
  }

  ServerState state;  // outlives the io_context, whose handlers hold sessions that refer to it
  net::io_context io;
  std::optional<ssl::context> tls;
  tcp::acceptor acceptor{net::make_strand(io)};
  net::steady_timer retry_timer{acceptor.get_executor()};
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  std::uint16_t port = 0;
  std::mutex lifecycle;
  bool started = false;
  bool stopped = false;
};

HttpServer::HttpServer(ServerConfig config, Router& router) : impl_(std::make_unique<Impl>(std::move(config), router)) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::start() {
  std::lock_guard lock(impl_->lifecycle);
  if (impl_->started) throw Error(HUSH_ERR_INVALID_ARGUMENT, "the HTTP server was already started");
  const ServerConfig& config = impl_->state.config;
  if (config.threads < 1) throw Error(HUSH_ERR_INVALID_ARGUMENT, "the server needs at least one thread");

  if (config.tls()) {
    if (config.tls_cert_file.empty() || config.tls_key_file.empty())
      throw Error(HUSH_ERR_INVALID_ARGUMENT, "TLS needs both a certificate file and a key file");
    impl_->tls.emplace(ssl::context::tls_server);
    impl_->tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                            ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    beast::error_code ec;
    impl_->tls->use_certificate_chain_file(config.tls_cert_file, ec);
    if (ec) throw Error(HUSH_ERR_IO, "cannot load the TLS certificate " + config.tls_cert_file + ": " + ec.message());
    impl_->tls->use_private_key_file(config.tls_key_file, ssl::context::pem, ec);
    if (ec) throw Error(HUSH_ERR_IO, "cannot load the TLS key " + config.tls_key_file + ": " + ec.message());
  }

  beast::error_code ec;
  const auto address = net::ip::make_address(config.bind_address, ec);
  if (ec) throw Error(HUSH_ERR_INVALID_ARGUMENT, "bind address must be an IP address, got '" + config.bind_address + "'");
  const tcp::endpoint endpoint(address, config.port);
  const std::string where = config.bind_address + ":" + std::to_string(config.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    beast::error_code ignored;
    acceptor.close(ignored);
    throw Error(HUSH_ERR_IO, "cannot listen on " + where + ": " + ec.message());
  }
  impl_->port = acceptor.local_endpoint().port();
  impl_->started = true;
  impl_->work.emplace(impl_->io.get_executor());
  impl_->accept();
  for (int i = 0; i < config.threads; ++i) {
    impl_->threads.emplace_back([io = &impl_->io] {
      for (;;) {
        try {
          io->run();
          return;
        } catch (const std::exception& e) {
          // Sessions do not throw; if something does, keep the thread serving.
          std::fprintf(stderr, "hushd: unexpected exception on an io thread: %s\n", e.what());
        }
      }
    });
  }
}

std::uint16_t HttpServer::port() const { return impl_->port; }

std::size_t HttpServer::connection_count() const { return impl_->state.connection_count(); }

void HttpServer::stop() {
  std::lock_guard lock(impl_->lifecycle);
  if (!impl_->started || impl_->stopped) return;
  impl_->stopped = true;
  ServerState& state = impl_->state;
  state.stopping = true;

  std::promise<void> closed;
  net::post(impl_->acceptor.get_executor(), [this, &closed] {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
    impl_->retry_timer.cancel();
    closed.set_value();
  });
  closed.get_future().wait();

  for (const auto& session : state.sessions()) session->shutdown();
  if (!state.wait_for_no_connections(state.config.shutdown_grace)) {
    for (const auto& session : state.sessions()) session->force_close();
    state.wait_for_no_connections(kForceCloseWait);
  }
  impl_->work.reset();
  if (state.connection_count() > 0) impl_->io.stop();  // what is left is destroyed with the io_context
  for (auto& thread : impl_->threads) thread.join();
  impl_->threads.clear();
}

}  // namespace hush::server
