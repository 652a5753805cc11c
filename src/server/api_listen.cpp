// GET /v1/listen, the Deepgram-shaped live stream (protocol in listen_session.h). Hush's own
// query parameters, taken out before the Deepgram ones are checked:
//   record=true   keep the call's audio as a recording of the key's workspace (refused with 403
//                 when the workspace does not record, or without consent=true: privacy P2);
//                 after the stream it is transcribed like an upload.
//   consent=true  the caller states that everyone on the call agreed to be recorded.
//   title=...     the recording's title.
// Without record=true the audio is recognized and dropped (nothing is written anywhere).
//
// Browsers cannot set headers on a WebSocket, so, as Deepgram does, the key may also come as
// subprotocols: new WebSocket(url, ['token', key]) sends "Sec-WebSocket-Protocol: token, <key>";
// the 101 then names the "token" subprotocol, as browsers require.
#include <algorithm>
#include <cstring>
#include <vector>

#include "server/api_context.h"
#include "server/api_json.h"
#include "server/compute_pool.h"
#include "server/listen_options.h"
#include "server/listen_session.h"
#include "server/router.h"

namespace hush::server {

namespace {

// A WAV header for 16-bit PCM whose length is not known yet: the sizes say "to the end of the
// file", which libsndfile reads as the data that is actually there. The recording is written
// as it streams (encrypted, chunk by chunk), so it cannot be patched afterwards.
std::vector<std::uint8_t> streaming_wav_header(int rate_hz, int channels) {
  std::vector<std::uint8_t> h(44);
  auto put32 = [&](std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) h[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
  };
  auto put16 = [&](std::size_t at, std::uint16_t v) {
    h[at] = static_cast<std::uint8_t>(v);
    h[at + 1] = static_cast<std::uint8_t>(v >> 8);
  };
  std::memcpy(h.data(), "RIFF", 4);
  put32(4, 0xFFFFFFFFu);
  std::memcpy(h.data() + 8, "WAVEfmt ", 8);
  put32(16, 16);
  put16(20, 1);
  put16(22, static_cast<std::uint16_t>(channels));
  put32(24, static_cast<std::uint32_t>(rate_hz));
  put32(28, static_cast<std::uint32_t>(rate_hz * channels * 2));
  put16(32, static_cast<std::uint16_t>(channels * 2));
  put16(34, 16);
  std::memcpy(h.data() + 36, "data", 4);
  put32(40, 0xFFFFFFFFu - 36);
  return h;
}

class ListenHandler : public WebSocketHandler {
 public:
  ListenHandler(ApiContext& ctx, const ListenOptions& options, std::shared_ptr<WebSocketSender> sender,
                store::Principal who, std::string workspace, std::string title,
                std::unique_ptr<store::BlobStore::Writer> recording)
      : ctx_(ctx),
        sender_(std::move(sender)),
        who_(std::move(who)),
        workspace_(std::move(workspace)),
        title_(std::move(title)),
        recording_(std::move(recording)),
        session_(
            options, [this](std::string json) { sender_->send_text(std::move(json)); },
            recording_ ? ListenSession::KeepAudio([this](std::span<const std::int16_t> pcm) { keep(pcm); })
                       : ListenSession::KeepAudio{}) {
    if (recording_) recording_->write(streaming_wav_header(options.sample_rate_hz, options.channels));
  }

  void on_text(std::string_view message) override {
    session_.on_text(message);
    if (session_.closed()) sender_->close(1000, "");
  }
  void on_binary(std::span<const std::byte> message) override {
    session_.on_binary(message);
    if (session_.closed()) sender_->close(1000, "");
  }
  void on_closed() override {
    try {
      session_.finish();
    } catch (const std::exception&) {
      // The peer is gone; what was recorded is still saved below.
    }
    if (recording_) save_recording();
  }

 private:
  void keep(std::span<const std::int16_t> pcm) {
    std::vector<std::uint8_t> bytes(pcm.size() * 2);
    for (std::size_t i = 0; i < pcm.size(); ++i) {
      const auto v = static_cast<std::uint16_t>(pcm[i]);
      bytes[2 * i] = static_cast<std::uint8_t>(v);
      bytes[2 * i + 1] = static_cast<std::uint8_t>(v >> 8);
    }
    recording_->write(bytes);
  }

  void save_recording() {
    const std::string blob = recording_->name();
    try {
      recording_->finish();
      store::NewRecording in;
      in.title = title_.empty() ? "live stream " + session_.request_id() : title_;
      in.blob_name = blob;
      in.duration_s = session_.audio_seconds();
      in.consent = true;  // checked before the upgrade was accepted
      ctx_.store.create_recording(who_, workspace_, in);
      if (ctx_.jobs_added) ctx_.jobs_added();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "hushd: saving a live recording failed: %s\n", e.what());
      ctx_.blobs.remove(blob);
    }
  }

  ApiContext& ctx_;
  std::shared_ptr<WebSocketSender> sender_;
  store::Principal who_;
  std::string workspace_, title_;
  std::unique_ptr<store::BlobStore::Writer> recording_;
  ListenSession session_;
};

// Moves a key offered as "Sec-WebSocket-Protocol: token, <key>" into an Authorization header
// (an explicit Authorization header wins). True when the client offered the "token" protocol.
bool adopt_token_subprotocol(HttpRequest& request) {
  const std::string offered = request.header("sec-websocket-protocol");
  std::vector<std::string> protocols;
  for (std::size_t start = 0; start <= offered.size();) {
    const std::size_t comma = std::min(offered.find(',', start), offered.size());
    std::string item = offered.substr(start, comma - start);
    const auto first = item.find_first_not_of(" \t");
    const auto last = item.find_last_not_of(" \t");
    protocols.push_back(first == std::string::npos ? "" : item.substr(first, last - first + 1));
    start = comma + 1;
  }
  if (protocols.empty() || protocols[0] != "token") return false;
  if (protocols.size() >= 2 && !protocols[1].empty() && request.header("authorization").empty()) {
    request.headers.emplace_back("authorization", "Token " + protocols[1]);
  }
  return true;
}

bool take_flag(std::map<std::string, std::string>& query, const char* name) {
  const auto it = query.find(name);
  if (it == query.end()) return false;
  const std::string value = it->second;
  query.erase(it);
  if (value != "true" && value != "false") {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, std::string(name) + " must be true or false");
  }
  return value == "true";
}

}  // namespace

void add_listen_route(Router& router, ApiContext& ctx) {
  router.add_websocket("/v1/listen", [&ctx](const HttpRequest& request, std::shared_ptr<WebSocketSender> sender,
                                            HttpResponse& refusal) -> std::unique_ptr<WebSocketHandler> {
    std::unique_ptr<WebSocketHandler> handler;
    HttpRequest copy = request;
    const bool token_protocol = adopt_token_subprotocol(copy);
    refusal = authed(ctx, [&](HttpRequest& req, const store::Principal& who) {
      auto query = req.query;
      const bool record = take_flag(query, "record");
      const bool consent = take_flag(query, "consent");
      std::string title;
      if (auto it = query.find("title"); it != query.end()) {
        require_text(it->second, "title");
        title = it->second;
        query.erase(it);
      }
      const ListenOptions options = parse_listen_options(query);
      if (who.user.restricted) throw store::Forbidden("your account is restricted: no new processing of your data");
      std::unique_ptr<store::BlobStore::Writer> writer;
      std::string workspace;
      if (record) {
        workspace = request_workspace(ctx, req, who);
        ctx.store.require_role(who, workspace, store::Role::member);
        if (!ctx.store.workspace_settings(workspace).recording_enabled) {
          throw store::Forbidden("recording is turned off in this workspace");
        }
        if (!consent) throw store::Forbidden("recording a stream needs consent=true once everyone agreed");
        writer = ctx.blobs.open_writer(workspace);
      }
      handler = std::make_unique<ListenHandler>(ctx, options, sender, who, workspace, title, std::move(writer));
      if (ctx.compute) handler = ctx.compute->offload(std::move(handler), sender, kDefaultMaxBacklogBytes);
      return HttpResponse::json(101, "");
    })(copy);
    if (handler && token_protocol) refusal.headers.emplace_back("Sec-WebSocket-Protocol", "token");
    return handler;
  });
}

}  // namespace hush::server
