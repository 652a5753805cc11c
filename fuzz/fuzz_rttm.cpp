// Feeds arbitrary text to the RTTM and UEM parsers (the DER scorer's inputs), then scores every
// recording the RTTM holds against itself, within the UEM when it parses too. Bad text may be
// rejected with hush::Error; nothing may crash. Whatever parses holds finite times with
// start <= end, and a diarization scored against itself has no error.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "metrics/der.h"
#include "util/error.h"

namespace {

constexpr double kSaneTimeS = 1e9;  // 31 years

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "%s\n", what);
  __builtin_trap();
}

template <typename Region>
void check_times(const Region& r) {
  if (!std::isfinite(r.start_s) || !std::isfinite(r.end_s) || r.start_s < 0.0 || r.end_s < r.start_s)
    broken("parsed a time that is not finite, negative or reversed");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  hush::metrics::Rttm rttm;
  hush::metrics::Uem uem;
  bool rttm_ok = true;
  try {
    rttm = hush::metrics::parse_rttm(text, "<fuzz>");
  } catch (const hush::Error&) {
    rttm_ok = false;
  }
  try {
    uem = hush::metrics::parse_uem(text, "<fuzz>");
  } catch (const hush::Error&) {
  }
  for (const auto& [file, segments] : rttm)
    for (const auto& s : segments) check_times(s);
  for (const auto& [file, regions] : uem)
    for (const auto& r : regions) check_times(r);
  if (!rttm_ok) return 0;

  for (const auto& [file, segments] : rttm) {
    // Speaker-second totals of times near DBL_MAX overflow to infinity (two overlapping
    // 1e308 s segments): a limit of doubles, not of the scorer, so only sane spans are scored.
    bool sane = true;
    for (const auto& s : segments) sane = sane && s.end_s < kSaneTimeS;
    if (!sane) continue;
    const auto it = uem.find(file);
    const std::vector<hush::metrics::UemRegion> regions = it == uem.end() ? std::vector<hush::metrics::UemRegion>{} : it->second;
    for (const double collar_s : {0.0, hush::metrics::kStandardCollarS}) {
      const hush::metrics::DerResult d = hush::metrics::score_der(segments, segments, regions, collar_s);
      for (const double v : {d.reference_s, d.missed_s, d.false_alarm_s, d.confusion_s, d.scored_s})
        if (!std::isfinite(v) || v < 0.0) broken("DER: a total is not a finite number >= 0");
      // Summation order may differ between the mapping and the totals: allow rounding only.
      if (d.error_s() > 1e-9 * (1.0 + d.reference_s)) broken("DER of a diarization against itself is not 0");
    }
  }
  return 0;
}
