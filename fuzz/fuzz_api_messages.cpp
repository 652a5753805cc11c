// The messages hushd's handlers read from clients: JSON request bodies (strict field checks,
// the transcript-correction shape) and the live stream's WebSocket messages (text control
// messages and binary PCM of any length). The first byte picks which; none may crash, and the
// JSON paths may only throw hush::Error.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "meeting/transcript.h"
#include "server/api_context.h"
#include "server/api_json.h"
#include "server/listen_session.h"
#include "util/error.h"

namespace {

void json_body_paths(const std::string& text) {
  hush::server::HttpRequest request;
  request.body = text;
  try {
    const auto body = hush::server::json_body(request);
    hush::server::json_string(body, "title");
    hush::server::json_bool(body, "consent");
    hush::server::json_int(body, "rating");
    hush::server::reject_unknown_fields(body, {"title", "consent", "rating"});
    hush::meeting::transcript_from_json(body);
  } catch (const hush::Error&) {
  }
}

hush::server::ListenSession& session() {
  // One stream for many inputs (loading PocketSphinx per input would be all the fuzzer did); a
  // new one once an input closed it.
  static std::unique_ptr<hush::server::ListenSession> s;
  if (!s || s->closed()) s = std::make_unique<hush::server::ListenSession>(hush::server::ListenOptions{}, [](std::string) {});
  return *s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 3) {
    case 0: json_body_paths(rest); break;
    case 1: session().on_text(rest); break;
    default: session().on_binary(std::as_bytes(std::span(rest.data(), rest.size()))); break;
  }
  return 0;
}
