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
  // One stream for the whole run: loading PocketSphinx per input would be all the fuzzer did.
  // Inputs that would close it (CloseStream, an empty binary message) are skipped below; the
  // closing path has its own tests (tests/unit/test_listen_session.cpp).
  static auto* s = new hush::server::ListenSession(hush::server::ListenOptions{}, [](std::string) {});
  return *s;
}

bool closes_stream(const std::string& text) {
  const auto json = nlohmann::json::parse(text, nullptr, false);
  return json.is_object() && json.contains("type") && json["type"] == "CloseStream";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 3) {
    case 0: json_body_paths(rest); break;
    case 1:
      if (!closes_stream(rest)) session().on_text(rest);
      break;
    default:
      if (!rest.empty()) session().on_binary(std::as_bytes(std::span(rest.data(), rest.size())));
      break;
  }
  return 0;
}
