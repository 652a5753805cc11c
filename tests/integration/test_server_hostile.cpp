// hushd against hostile input, over real sockets on both database backends: malformed multipart
// forms, audio that is not what it claims, oversized and deeply nested bodies, invalid UTF-8 in
// JSON, form fields, file names and query strings, invalid JSON, WebSocket frames outside the
// live protocol (ping floods and invalid UTF-8 included) and slow clients. Each case checks the
// exact status or close code and the message, and that hushd still answers a normal request
// afterwards. The parsers themselves are unit-tested and fuzzed (test_multipart.cpp,
// test_http_server.cpp, fuzz/); this is the whole server.

#include <chrono>
#include <cstring>
#include <filesystem>

#include "../policy/server_fixture.h"
#include "../support/raw_socket.h"

namespace hush::test {
namespace {

using namespace std::chrono_literals;

int status_of_raw(const std::string& raw) { return raw.rfind("HTTP/1.1 ", 0) == 0 ? std::atoi(raw.c_str() + 9) : 0; }

// A masked client frame (RFC 6455 5.2) with FIN set.
std::string ws_frame(int opcode, const std::string& payload) {
  std::string f;
  f += static_cast<char>(0x80 | opcode);
  const unsigned char mask[4] = {0x12, 0x34, 0x56, 0x78};
  if (payload.size() < 126) {
    f += static_cast<char>(0x80 | payload.size());
  } else {
    f += static_cast<char>(0x80 | 126);
    f += static_cast<char>((payload.size() >> 8) & 0xff);
    f += static_cast<char>(payload.size() & 0xff);
  }
  f.append(reinterpret_cast<const char*>(mask), 4);
  for (std::size_t i = 0; i < payload.size(); ++i) f += static_cast<char>(payload[i] ^ mask[i % 4]);
  return f;
}

class ServerHostile : public HushdFixture {
 protected:
  void configure(server::HushdConfig& config) override {
    config.http.read_header_timeout = 1000ms;
    config.http.body_stall_timeout = 1000ms;
    config.http.max_body_bytes = 4u * 1024 * 1024;
  }
  void SetUp() override {
    HushdFixture::SetUp();
    if (IsSkipped()) return;
    set_settings(R"({"recording_enabled": true})");
  }
  // The server still answers a normal request, with JSON that parses.
  void expect_still_serving() {
    const auto r = call("GET", "/v1/recordings", admin_key_);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_FALSE(r.json().is_discarded()) << r.body;
  }
  // status and the error message contains `words`.
  void expect_error(const Reply& r, int status, const std::string& words) {
    EXPECT_EQ(r.status, status) << r.body;
    const auto j = r.json();
    ASSERT_TRUE(j.is_object() && j.contains("error")) << r.body;
    const std::string message = j["error"]["message"];
    EXPECT_NE(message.find(words), std::string::npos) << "message: " << message;
  }
  Reply post_form(const std::string& body, const std::string& type = kMultipartType) {
    return call("POST", "/v1/recordings", admin_key_, body, type);
  }
  static std::string part(const std::string& headers, const std::string& data) {
    return "--hushtestboundary\r\n" + headers + "\r\n\r\n" + data + "\r\n";
  }
  static std::string file_part(const std::string& bytes, const std::string& filename = "call.wav") {
    return part("Content-Disposition: form-data; name=\"file\"; filename=\"" + filename + "\"", bytes);
  }
  static std::string field(const std::string& name, const std::string& value) {
    return part("Content-Disposition: form-data; name=\"" + name + "\"", value);
  }
  static constexpr const char* kEnd = "--hushtestboundary--\r\n";
  std::size_t stored_blobs() const { return all_files(blob_root()).size(); }
};

TEST_P(ServerHostile, MalformedMultipart) {
  const std::string wav = test_wav();
  expect_error(post_form(file_part(wav) + kEnd, "multipart/form-data"), 400, "no boundary parameter");
  expect_error(post_form(field("consent", "true") + file_part(wav)), 400, "no closing boundary delimiter");
  expect_error(post_form(field("consent", "true") + field("title", "no audio") + kEnd), 400, "needs a 'file' part");
  expect_error(post_form(field("title", "one") + field("title", "two") + field("consent", "true") + file_part(wav) + kEnd),
               400, "the field 'title' twice");
  expect_error(post_form(field("consent", "true") + file_part(wav) + file_part(wav) + kEnd), 400, "the field 'file' twice");
  const std::string huge_header = "Content-Disposition: form-data; name=\"title\"\r\nX-Padding: " + std::string(20000, 'a');
  expect_error(post_form(part(huge_header, "x") + field("consent", "true") + file_part(wav) + kEnd), 400,
               "part headers longer than");
  expect_error(post_form(part("Content-Type: text/plain", "x") + file_part(wav) + kEnd), 400, "no Content-Disposition");
  expect_error(post_form("garbage without any boundary"), 400, "does not contain the boundary");
  EXPECT_EQ(stored_blobs(), 0u) << "nothing of a refused form is kept";
  expect_still_serving();
}

TEST_P(ServerHostile, AudioThatIsNotWhatItClaims) {
  std::string wav = test_wav();
  std::string bad_fmt = wav;
  bad_fmt.replace(12, 4, "junk");  // no "fmt " chunk where it must be
  std::string rate_zero = wav;
  rate_zero.replace(24, 4, std::string(4, '\0'));
  std::string rate_huge = wav;
  const std::uint32_t huge = 999999;
  rate_huge.replace(24, 4, std::string(reinterpret_cast<const char*>(&huge), 4));
  std::string mp3 = "ID3\x03" + std::string(6, '\0') + "\xff\xfb\x90\x64" + std::string(4000, '\x55');
  for (const auto& [name, bytes] : std::vector<std::pair<std::string, std::string>>{
           {"bad fmt chunk", bad_fmt}, {"sample rate 0", rate_zero}, {"sample rate 999999", rate_huge},
           {"mp3 named .wav", mp3}, {"header only", wav.substr(0, 44)}}) {
    SCOPED_TRACE(name);
    const auto r = post_form(field("consent", "true") + file_part(bytes) + kEnd);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_TRUE(r.json().contains("error")) << r.body;
    const auto t = call("POST", "/v1/audio/transcriptions", admin_key_,
                        field("model", "whisper-1") + file_part(bytes) + kEnd, kMultipartType);
    EXPECT_EQ(t.status, 400) << t.body;
  }
  EXPECT_EQ(stored_blobs(), 0u);
  // The live endpoint: only linear16 at a listed rate.
  const std::string base = "/v1/listen?";
  for (const auto& [query, words] : std::vector<std::pair<std::string, std::string>>{
           {"encoding=mulaw&sample_rate=8000", "encoding=mulaw is not supported"},
           {"encoding=opus-ish&sample_rate=16000", "is not supported"},
           {"sample_rate=16000", "encoding is required"},
           {"encoding=linear16&sample_rate=0", "sample_rate=0 is not"},
           {"encoding=linear16&sample_rate=999999", "sample_rate=999999 is not"},
           {"encoding=linear16", "sample_rate is required"},
           {"encoding=linear16&sample_rate=16000&colour=red", "unknown query parameter 'colour'"}}) {
    SCOPED_TRACE(query);
    server::WebSocketClient ws;
    try {
      ws.connect("127.0.0.1", hushd_->port(), base + query, {{"Authorization", "Token " + admin_key_}});
      ADD_FAILURE() << "upgrade accepted";
    } catch (const server::HttpStatusError& e) {
      expect_error(Reply{e.status(), e.body()}, 400, words);
    }
  }
  expect_still_serving();
}

TEST_P(ServerHostile, OversizedBodiesAndDeepJson) {
  // Announced larger than the limit: 413 at once, before the body is sent.
  {
    RawSocket raw(hushd_->port());
    ASSERT_TRUE(raw.send("POST /v1/recordings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + admin_key_ +
                         "\r\nContent-Type: audio/wav\r\nContent-Length: 104857600\r\n\r\n"));
    bool closed = false;
    const auto started = std::chrono::steady_clock::now();
    const std::string reply = raw.read(5s, &closed, "}}");
    EXPECT_EQ(status_of_raw(reply), 413) << reply;
    EXPECT_NE(reply.find("larger than the limit"), std::string::npos) << reply;
    EXPECT_LT(std::chrono::steady_clock::now() - started, 3s) << "the answer did not wait for the body";
  }
  // Sent larger than the limit (chunked, no length announced): cut off with 413 too.
  {
    RawSocket raw(hushd_->port());
    std::string request = "POST /v1/uploads HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + admin_key_ +
                          "\r\nTransfer-Encoding: chunked\r\n\r\n";
    raw.send(request);
    const std::string chunk(1 << 20, 'a');
    char size_line[32];
    std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
    for (int i = 0; i < 6 && raw.send(size_line + chunk + "\r\n"); ++i) {
    }
    bool closed = false;
    const std::string reply = raw.read(5s, &closed, "}}");
    EXPECT_EQ(status_of_raw(reply), 413) << reply.substr(0, 300);
  }
  // Deep nesting: no stack overflow, a 400 naming what is wrong.
  const std::string deep_array = std::string(100000, '[') + std::string(100000, ']');
  expect_error(call("PATCH", "/v1/workspaces/" + workspace_ + "/settings", admin_key_, deep_array), 400,
               "must be a JSON object");
  const std::string deep_field = R"({"recording_enabled": )" + std::string(100000, '[') + std::string(100000, ']') + "}";
  expect_error(call("PATCH", "/v1/workspaces/" + workspace_ + "/settings", admin_key_, deep_field), 400,
               "recording_enabled");
  expect_error(call("POST", "/v1/recordings", admin_key_, R"({"x": )" + std::string(100000, '{') + "}"), 400,
               "must be a JSON object");
  expect_still_serving();
}

TEST_P(ServerHostile, InvalidUtf8NeverReachesAResponse) {
  const std::string bad = "caf\xc3(\xff\xfe";  // a broken sequence and bytes never valid in UTF-8
  // JSON bodies: the parser refuses them.
  expect_error(call("PATCH", "/v1/me", admin_key_, "{\"name\": \"" + bad + "\"}"), 400, "JSON object");
  expect_error(call("POST", "/v1/recordings", admin_key_,
                    "{\"audio_url\": \"hush-upload://x\", \"title\": \"" + bad + "\", \"consent\": true}"),
               400, "JSON object");
  // Multipart text fields and file names, which no JSON parser checked.
  const std::string wav = test_wav();
  expect_error(post_form(field("title", bad) + field("consent", "true") + file_part(wav) + kEnd), 400,
               "the form field 'title' is not valid UTF-8");
  expect_error(post_form(field("consent", "true") + file_part(wav, "call" + bad + ".wav") + kEnd), 400,
               "the file name is not valid UTF-8");
  expect_error(post_form(field("title", std::string("a\0b", 3)) + field("consent", "true") + file_part(wav) + kEnd),
               400, "must not contain a NUL byte");
  expect_error(post_form(field("title", "\xc0\xae overlong") + field("consent", "true") + file_part(wav) + kEnd), 400,
               "not valid UTF-8");
  expect_error(call("POST", "/v1/audio/transcriptions", admin_key_,
                    field("model", "whisper-1") + field("language", "en-" + bad) + file_part(wav) + kEnd,
                    kMultipartType),
               400, "not valid UTF-8");
  // Query strings: the live title, and a search.
  {
    server::WebSocketClient ws;
    try {
      ws.connect("127.0.0.1", hushd_->port(),
                 "/v1/listen?encoding=linear16&sample_rate=16000&record=true&consent=true&title=caf%C3%28%FF",
                 {{"Authorization", "Token " + admin_key_}});
      ADD_FAILURE() << "upgrade accepted";
    } catch (const server::HttpStatusError& e) {
      expect_error(Reply{e.status(), e.body()}, 400, "'title' is not valid UTF-8");
    }
  }
  // A search, a workspace id, a path parameter: PostgreSQL would refuse the bytes with a 500.
  expect_error(call("GET", "/v1/recordings?q=caf%C3%28%FF", admin_key_), 400, "query parameter 'q' is not valid UTF-8");
  expect_error(call("GET", "/v1/recordings?q=a%00b", admin_key_), 400, "query parameter 'q' is not valid UTF-8");
  expect_error(call("GET", "/v1/recordings?workspace_id=%FF", admin_key_), 400, "'workspace_id' is not valid UTF-8");
  expect_error(call("GET", "/v1/recordings/rec_%FF%FE", admin_key_), 400, "the request path is not valid UTF-8");
  expect_error(call("DELETE", "/v1/recordings/rec_%00", admin_key_), 400, "the request path is not valid UTF-8");
  EXPECT_EQ(call("GET", "/v1/recordings?q=caf%C3%A9", admin_key_).status, 200) << "valid UTF-8 is searched";
  EXPECT_EQ(stored_blobs(), 0u);
  // A valid non-ASCII title goes through, and every listing stays valid JSON.
  const auto ok = post_form(field("title", "café ☕") + field("consent", "true") + file_part(wav) + kEnd);
  ASSERT_EQ(ok.status, 201) << ok.body;
  run_jobs();
  const auto one = call("GET", "/v1/recordings/" + ok.json()["id"].get<std::string>(), admin_key_);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(one.json()["title"], "café ☕");
  expect_still_serving();
  EXPECT_EQ(call("GET", "/v1/me/export", admin_key_).status, 200);
}

TEST_P(ServerHostile, InvalidJson) {
  for (const std::string& body : {std::string("{not json"), std::string("[1, 2]"), std::string("null"),
                                  std::string("\"a string\""), std::string("{\"recording_enabled\": tru"),
                                  std::string("{\"a\":1}{\"b\":2}")}) {
    SCOPED_TRACE(body);
    expect_error(call("PATCH", "/v1/workspaces/" + workspace_ + "/settings", admin_key_, body), 400,
                 "must be a JSON object");
  }
  expect_error(call("PATCH", "/v1/workspaces/" + workspace_ + "/settings", admin_key_, R"({"recording_enabled": "yes"})"),
               400, "'recording_enabled' must be true or false");
  expect_still_serving();
}

TEST_P(ServerHostile, WebSocketOutOfProtocol) {
  server::WebSocketClient ws;
  ws.connect("127.0.0.1", hushd_->port(), "/v1/listen?encoding=linear16&sample_rate=16000",
             {{"Authorization", "Token " + admin_key_}});
  auto next_error = [&]() -> std::string {
    for (int i = 0; i < 50; ++i) {
      const auto m = ws.read(100ms);
      if (!m) continue;
      EXPECT_EQ(m->kind, server::WebSocketMessage::Kind::text);
      const auto j = nlohmann::json::parse(m->payload, nullptr, false);
      if (j.is_object() && j["type"] == "Error") return j["description"];
    }
    return "";
  };
  ws.send_text("hello, this is not JSON");  // text where a control message belongs
  EXPECT_NE(next_error().find("expected a JSON object"), std::string::npos);
  ws.send_text(R"({"type": "Configure", "features": {}})");  // a type this server does not know
  EXPECT_NE(next_error().find("unknown message type 'Configure'"), std::string::npos);
  ws.send_text(R"({"type": 5})");
  EXPECT_NE(next_error().find("expected a JSON object"), std::string::npos);
  // Odd byte counts: the half sample waits for the next frame, nothing is lost or misaligned.
  const std::vector<std::byte> three(3, std::byte{1});
  for (int i = 0; i < 5; ++i) ws.send_binary(three);
  ws.send_text(R"({"type": "KeepAlive"})");
  // CloseStream, then more audio and messages that arrive after it: ignored, a clean close.
  ws.send_text(R"({"type": "CloseStream"})");
  ws.send_binary(three);
  ws.send_text(R"({"type": "Nonsense after close"})");
  bool metadata = false;
  int close_code = 0;
  for (int i = 0; i < 100 && !close_code; ++i) {
    const auto m = ws.read(100ms);
    if (!m) continue;
    if (m->kind == server::WebSocketMessage::Kind::close) close_code = m->close_code;
    else if (m->payload.find("\"Metadata\"") != std::string::npos) metadata = true;
    else EXPECT_EQ(m->payload.find("Nonsense"), std::string::npos) << "answered after CloseStream: " << m->payload;
  }
  EXPECT_TRUE(metadata);
  EXPECT_EQ(close_code, 1000);
  expect_still_serving();
}

// Frames no WebSocket library would send: a ping flood and a text frame with invalid UTF-8.
TEST_P(ServerHostile, WebSocketPingFloodAndInvalidUtf8Frame) {
  auto upgrade = [&](RawSocket& raw) {
    raw.send("GET /v1/listen?encoding=linear16&sample_rate=16000 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
             "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
             "Authorization: Token " + admin_key_ + "\r\n\r\n");
    bool closed = false;
    const std::string reply = raw.read(5s, &closed, "\r\n\r\n");
    ASSERT_EQ(status_of_raw(reply), 101) << reply;
  };
  {
    RawSocket raw(hushd_->port());
    upgrade(raw);
    std::string batch;
    for (int i = 0; i < 100; ++i) batch += ws_frame(0x9, std::string(100, 'p'));
    bool closed = false;
    std::string got;
    for (int i = 0; i < 200 && !closed; ++i) {  // 20000 pings, 2.1 MB, as fast as they go
      if (!raw.send(batch)) break;
      got = raw.read(1ms, &closed);  // drain pongs, so neither side's buffers fill up
    }
    if (!closed) got = raw.read(2s, &closed);
    // Pongs (opcode 0xA) come back, or the server closes the flooding connection; either way the
    // server keeps serving everyone else.
    EXPECT_TRUE(closed || got.find('\x8a') != std::string::npos) << got.size();
  }
  expect_still_serving();
  {
    RawSocket raw(hushd_->port());
    upgrade(raw);
    raw.send(ws_frame(0x1, "{\"type\": \"caf\xc3(\xff\"}"));
    bool closed = false;
    const std::string got = raw.read(5s, &closed);
    // A close frame (opcode 8) with code 1007 (invalid frame payload data), then the end.
    const auto at = got.find('\x88');
    ASSERT_NE(at, std::string::npos) << "no close frame";
    ASSERT_GE(got.size(), at + 4);
    const int code = (static_cast<unsigned char>(got[at + 2]) << 8) | static_cast<unsigned char>(got[at + 3]);
    EXPECT_EQ(code, 1007);
  }
  expect_still_serving();
}

TEST_P(ServerHostile, SlowClientsAreCutOff) {
  // Headers dribbled a byte at a time: closed at the 1 s header timeout, never answered.
  {
    RawSocket raw(hushd_->port());
    const std::string request = "GET /v1/recordings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + admin_key_ +
                                "\r\nX-Slow: " + std::string(200, 's') + "\r\n\r\n";
    const auto started = std::chrono::steady_clock::now();
    bool sent_all = true;
    for (char c : request) {
      if (!raw.send(std::string(1, c))) {
        sent_all = false;
        break;
      }
      std::this_thread::sleep_for(20ms);
      if (std::chrono::steady_clock::now() - started > 4s) break;
    }
    bool closed = false;
    const std::string reply = raw.read(3s, &closed);
    EXPECT_TRUE(closed || !sent_all);
    EXPECT_EQ(status_of_raw(reply), 0) << reply;
    EXPECT_LT(std::chrono::steady_clock::now() - started, 6s);
  }
  // A body that stops halfway: closed after the 1 s body stall timeout, nothing stored.
  {
    RawSocket raw(hushd_->port());
    const std::string body = multipart({{"consent", "true"}}, test_wav());
    raw.send("POST /v1/recordings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + admin_key_ +
             "\r\nContent-Type: " + kMultipartType + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
             body.substr(0, body.size() / 2));
    const auto started = std::chrono::steady_clock::now();
    bool closed = false;
    const std::string reply = raw.read(5s, &closed);
    EXPECT_TRUE(closed);
    EXPECT_EQ(status_of_raw(reply), 0) << reply;
    EXPECT_LT(std::chrono::steady_clock::now() - started, 4s);
  }
  EXPECT_EQ(stored_blobs(), 0u);
  expect_still_serving();
}

HUSHD_BACKENDS(ServerHostile);

}  // namespace
}  // namespace hush::test
