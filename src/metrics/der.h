// Diarization error rate (DER), scored as NIST md-eval does:
//   DER = (missed speech + false alarm + speaker confusion) / total reference speech,
// all in speaker-seconds, over the scored regions: the UEM (or the whole reference span), less a
// no-score collar of +-collar_s around every reference segment boundary. Overlapped speech is
// scored: where k reference speakers talk, k speaker-seconds per second are expected. Hypothesis
// speakers map one-to-one to reference speakers so as to maximize the time they agree (the
// Hungarian method); unmapped speech counts as confusion.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace hush::metrics {

struct RttmSegment {
  double start_s = 0.0;
  double end_s = 0.0;
  std::string speaker;
};

// Recording id -> its segments (in file order).
using Rttm = std::map<std::string, std::vector<RttmSegment>>;

struct UemRegion {
  double start_s = 0.0;
  double end_s = 0.0;
};
using Uem = std::map<std::string, std::vector<UemRegion>>;

// RTTM: "SPEAKER <file> <chnl> <tbeg> <tdur> <ortho> <stype> <name> <conf> [<slat>]"; other
// record types (SPKR-INFO, ...) and blank or ";;" comment lines are skipped. Throws
// hush::Error(HUSH_ERR_FORMAT) "<name>:<line>: ..." for a SPEAKER line with too few fields, a
// time that is not a finite number, a negative start or duration.
Rttm parse_rttm(const std::string& text, const std::string& name = "<rttm>");
Rttm read_rttm(const std::string& path);  // HUSH_ERR_IO when unreadable
// UEM: "<file> <chnl> <tbeg> <tend>"; end must not precede start.
Uem parse_uem(const std::string& text, const std::string& name = "<uem>");
Uem read_uem(const std::string& path);

struct DerResult {
  double reference_s = 0.0;  // scored reference speech (speaker-seconds)
  double missed_s = 0.0;
  double false_alarm_s = 0.0;
  double confusion_s = 0.0;
  double scored_s = 0.0;     // scored time (seconds of the recording)
  double error_s() const { return missed_s + false_alarm_s + confusion_s; }
  double der() const { return reference_s > 0.0 ? error_s() / reference_s : 0.0; }
  double miss_rate() const { return reference_s > 0.0 ? missed_s / reference_s : 0.0; }
  double false_alarm_rate() const { return reference_s > 0.0 ? false_alarm_s / reference_s : 0.0; }
  double confusion_rate() const { return reference_s > 0.0 ? confusion_s / reference_s : 0.0; }
  DerResult& operator+=(const DerResult& o);
};

inline constexpr double kStandardCollarS = 0.25;

// One recording. `uem` empty: score from the earliest to the latest reference or hypothesis time.
// Throws hush::Error(HUSH_ERR_INVALID_ARGUMENT) for a negative collar.
DerResult score_der(const std::vector<RttmSegment>& reference, const std::vector<RttmSegment>& hypothesis,
                    const std::vector<UemRegion>& uem = {}, double collar_s = kStandardCollarS);

}  // namespace hush::metrics
