// Internal to the server core: Beast/Asio names and the conversions between Beast messages and
// http_types.h. Only this folder's .cpp files include it (Beast is slow to compile).
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <memory>
#include <optional>

#include "server/http_types.h"
#include "server/server_state.h"

namespace hush::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

using BeastRequest = http::request<http::string_body>;
using BeastResponse = http::response<http::string_body>;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// The request as handlers see it: decoded path and query, lower-cased header names, and no
// header that carries a client address (privacy P8). nullopt when the target is malformed.
std::optional<HttpRequest> to_http_request(BeastRequest&& request, bool tls);
BeastResponse to_beast_response(HttpResponse&& response, unsigned version, bool keep_alive);

// Starts serving an accepted socket; `tls` is null for plain HTTP. `overloaded`: the connection
// is over max_connections and gets 503 for its first request.
void start_http_session(ServerState& state, tcp::socket socket, ssl::context* tls,
                        std::shared_ptr<ConnectionSlot> slot, bool overloaded);

// Takes over a connection whose request asked for a WebSocket upgrade to `acceptor`'s route.
template <class Stream>
void start_websocket_session(ServerState& state, Stream&& stream, BeastRequest&& upgrade, HttpRequest&& request,
                             const WebSocketAcceptor& acceptor, std::shared_ptr<ConnectionSlot> slot);

extern template void start_websocket_session<PlainStream>(ServerState&, PlainStream&&, BeastRequest&&, HttpRequest&&,
                                                          const WebSocketAcceptor&, std::shared_ptr<ConnectionSlot>);
extern template void start_websocket_session<TlsStream>(ServerState&, TlsStream&&, BeastRequest&&, HttpRequest&&,
                                                        const WebSocketAcceptor&, std::shared_ptr<ConnectionSlot>);

}  // namespace hush::server
