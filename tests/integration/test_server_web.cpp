// hushd's web UI: the files are served by hushd itself with their security headers, the API
// keeps its answers next to the UI's catch-all routes, and the live stream accepts a browser's
// way of authenticating (Deepgram's "Sec-WebSocket-Protocol: token, <key>").
#include "../policy/server_fixture.h"

namespace hush::test {
namespace {

class ServerWeb : public HushdFixture {
 protected:
  void configure(server::HushdConfig& config) override { config.web_root = HUSH_SOURCE_DIR "/web"; }

  server::HttpClientResponse get(const std::string& target) {
    return server::http_request("127.0.0.1", hushd_->port(), "GET", target);
  }
};

TEST_P(ServerWeb, ServesTheUiWithSecurityHeaders) {
  const auto index = get("/");
  ASSERT_EQ(index.status, 200) << index.body;
  EXPECT_EQ(index.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(index.header("content-security-policy").find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(index.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(index.body.find("<script>"), std::string::npos) << "no inline script";
  EXPECT_EQ(get("/js/app.js").header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(get("/recordings/rec_x").body, index.body) << "a page of the single-page app";
  EXPECT_EQ(get("/../CMakeLists.txt").status, 404);
  EXPECT_EQ(get("/%2e%2e/CMakeLists.txt").status, 404);
  // The API is unchanged around the UI's routes.
  EXPECT_EQ(get("/v1/recordings").status, 401);
  EXPECT_EQ(get("/v1/no-such-thing").status, 404);
  EXPECT_EQ(get("/v1/listen").status, 426);
}

TEST_P(ServerWeb, LiveStreamTakesTheKeyAsASubprotocol) {
  const std::string wav = test_wav(5);
  server::WebSocketClient ws;
  ws.connect("127.0.0.1", hushd_->port(), "/v1/listen?encoding=linear16&sample_rate=16000",
             {{"Sec-WebSocket-Protocol", "token, " + admin_key_}});
  EXPECT_EQ(ws.protocol(), "token") << "browsers close a WebSocket whose 101 does not echo the protocol";
  ws.send_binary(std::as_bytes(std::span(wav.data() + 44, wav.size() - 44)));
  ws.send_text(R"({"type":"CloseStream"})");
  bool metadata = false;
  for (int i = 0; i < 600; ++i) {
    const auto m = ws.read(std::chrono::milliseconds(100));
    if (!m) continue;
    if (m->kind == server::WebSocketMessage::Kind::close) break;
    metadata = metadata || m->payload.find("\"Metadata\"") != std::string::npos;
  }
  EXPECT_TRUE(metadata) << "the stream ran to its end";

  // A wrong key is refused before the upgrade, like a wrong Authorization header.
  server::WebSocketClient bad;
  try {
    bad.connect("127.0.0.1", hushd_->port(), "/v1/listen?encoding=linear16&sample_rate=16000",
                {{"Sec-WebSocket-Protocol", "token, hk_wrong"}});
    ADD_FAILURE() << "a wrong key was accepted";
  } catch (const server::HttpStatusError& e) {
    EXPECT_EQ(e.status(), 401);
  }
  // Without the token protocol nothing is echoed (and a header key still works).
  server::WebSocketClient plain;
  plain.connect("127.0.0.1", hushd_->port(), "/v1/listen?encoding=linear16&sample_rate=16000",
                {{"Authorization", "Token " + admin_key_}});
  EXPECT_EQ(plain.protocol(), "");
  plain.close();
}

HUSHD_BACKENDS(ServerWeb);

}  // namespace
}  // namespace hush::test
