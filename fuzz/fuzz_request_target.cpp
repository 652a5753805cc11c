// Request parsing before any handler runs: the request target (percent-decoding, query
// splitting), then the query as the Deepgram live endpoint reads it and as form fields the way
// the OpenAI transcription endpoint reads them. Each may only throw hush::Error.
#include <cstddef>
#include <cstdint>
#include <string>

#include "server/listen_options.h"
#include "server/transcription_response.h"
#include "server/url.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string target(reinterpret_cast<const char*>(data), size);
  const auto parsed = hush::server::parse_target(target);
  if (!parsed) return 0;
  try {
    hush::server::parse_listen_options(parsed->query);
  } catch (const hush::Error&) {
  }
  try {
    hush::server::FormFields fields(parsed->query.begin(), parsed->query.end());
    hush::server::parse_transcription_form(fields);
  } catch (const hush::Error&) {
  }
  return 0;
}
