#include "server/listen_options.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <string_view>
#include <type_traits>

#include "util/error.h"

namespace hush::server {
namespace {

constexpr std::array<std::string_view, 16> kParameters = {
    "encoding",     "sample_rate",      "channels",   "multichannel", "interim_results",
    "punctuate",    "smart_format",     "diarize",    "utterance_end_ms", "vad_events",
    "endpointing",  "denoise",          "language",   "model",        "version",
    "finals"};
constexpr std::array<int, 7> kSampleRatesHz = {8000, 16000, 22050, 24000, 32000, 44100, 48000};
constexpr std::array<std::string_view, 5> kDeepgramModelFamilies = {"nova-3", "nova-2", "nova", "enhanced", "base"};

[[noreturn]] void fail(const std::string& message) { throw Error(HUSH_ERR_INVALID_ARGUMENT, message); }

std::string join(auto const& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    if constexpr (std::is_same_v<std::decay_t<decltype(item)>, int>) out += std::to_string(item);
    else out += item;
  }
  return out;
}

bool parse_bool(const std::string& name, const std::string& value) {
  if (value == "true") return true;
  if (value == "false") return false;
  fail(name + "=" + value + " is not a boolean: use true or false");
}

// A whole decimal integer in [lo, hi]; anything else (signs, spaces, "1e3", "12ms") fails.
int parse_int(const std::string& name, const std::string& value, int lo, int hi, const std::string& accepted) {
  int result = 0;
  const char* end = value.data() + value.size();
  const auto [ptr, ec] = std::from_chars(value.data(), end, result);
  if (value.empty() || ec != std::errc() || ptr != end || result < lo || result > hi)
    fail(name + "=" + value + " is not accepted: " + accepted);
  return result;
}

bool is_deepgram_model(const std::string& model) {
  return std::any_of(kDeepgramModelFamilies.begin(), kDeepgramModelFamilies.end(), [&](std::string_view family) {
    return model == family || (model.size() > family.size() && model.starts_with(family) && model[family.size()] == '-');
  });
}

}  // namespace

ListenOptions parse_listen_options(const std::map<std::string, std::string>& query) {
  for (const auto& [name, value] : query) {
    if (std::find(kParameters.begin(), kParameters.end(), name) == kParameters.end())
      fail("unknown query parameter '" + name + "'; accepted: " + join(kParameters));
  }
  const auto get = [&](const char* name) -> const std::string* {
    const auto it = query.find(name);
    return it == query.end() ? nullptr : &it->second;
  };

  ListenOptions o;
  const std::string* encoding = get("encoding");
  if (!encoding)
    fail("encoding is required: only encoding=linear16 (raw 16-bit little-endian PCM) is supported; "
         "containerized audio (webm, ogg, wav) cannot be decoded live");
  if (*encoding != "linear16")
    fail("encoding=" + *encoding + " is not supported: only linear16 (raw 16-bit little-endian PCM)");

  const std::string rates = "one of " + join(kSampleRatesHz) + " Hz";
  const std::string* rate = get("sample_rate");
  if (!rate) fail("sample_rate is required with encoding=linear16: " + rates);
  o.sample_rate_hz = parse_int("sample_rate", *rate, 1, 1'000'000, rates);
  if (std::find(kSampleRatesHz.begin(), kSampleRatesHz.end(), o.sample_rate_hz) == kSampleRatesHz.end())
    fail("sample_rate=" + *rate + " is not supported: " + rates);

  if (const auto* v = get("channels"))
    o.channels = parse_int("channels", *v, 1, 2, "1, or 2 (interleaved, mixed down to one transcript)");
  if (const auto* v = get("multichannel"); v && parse_bool("multichannel", *v))
    fail("multichannel=true is not supported: send channels=2 to have them mixed into one transcript, "
         "or open one stream per channel");
  if (const auto* v = get("interim_results")) o.interim_results = parse_bool("interim_results", *v);
  if (const auto* v = get("punctuate")) o.punctuate = parse_bool("punctuate", *v);
  if (const auto* v = get("smart_format")) o.smart_format = parse_bool("smart_format", *v);
  if (const auto* v = get("diarize")) o.diarize = parse_bool("diarize", *v);
  if (const auto* v = get("vad_events")) o.vad_events = parse_bool("vad_events", *v);
  if (const auto* v = get("denoise")) {
    if (*v == "neural" || *v == "spectral") {
      o.denoise = true;
      o.denoise_engine = *v == "neural" ? HUSH_ENGINE_NEURAL : HUSH_ENGINE_SPECTRAL;
    } else if (*v == "true" || *v == "false") {
      o.denoise = *v == "true";
    } else {
      fail("denoise=" + *v + " is not known: use true (the default engine), neural, spectral or false");
    }
  }
  if (const auto* v = get("finals")) {
    if (*v != "fast" && *v != "accurate") fail("finals=" + *v + " is not known: use fast or accurate");
    o.accurate_finals = *v == "accurate";
  }
  if (const auto* v = get("utterance_end_ms"))
    o.utterance_end_ms = parse_int("utterance_end_ms", *v, 1000, 60000, "milliseconds from 1000 to 60000");
  if (const auto* v = get("endpointing")) {
    if (*v == "false") {
      o.endpointing = false;
    } else if (*v != "true") {
      o.endpointing_ms = parse_int("endpointing", *v, 1, 10000, "milliseconds from 1 to 10000, or false");
    }
  }
  if (const auto* v = get("language")) {
    if (*v != "en" && !(v->size() >= 4 && v->starts_with("en-")))
      fail("language=" + *v + " is not supported: the installed model is English only (use en or en-US)");
    o.language = *v;
  }
  if (const auto* v = get("model")) {
    if (*v != "hush" && *v != "hush-pocketsphinx" && *v != "pocketsphinx" && !is_deepgram_model(*v))
      fail("model=" + *v + " is not available: use hush-pocketsphinx (Deepgram names " + join(kDeepgramModelFamilies) +
           " are accepted and run the same on-device engine)");
    o.model = *v;
  }
  if (const auto* v = get("version"); v && *v != "latest")
    fail("version=" + *v + " is not available: only latest");
  return o;
}

double endpointing_pause_s(const ListenOptions& options) {
  if (!options.endpointing || !options.endpointing_ms) return kDefaultEndpointingS;
  return std::max(*options.endpointing_ms, kMinEndpointingMs) / 1000.0;
}

}  // namespace hush::server
