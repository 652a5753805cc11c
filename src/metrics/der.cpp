#include "metrics/der.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "metrics/hungarian.h"
#include "util/error.h"

namespace hush::metrics {
namespace {

[[noreturn]] void bad_line(const std::string& name, int line, const std::string& what) {
  throw Error(HUSH_ERR_FORMAT, name + ":" + std::to_string(line) + ": " + what);
}

double parse_time(const std::string& field, const std::string& what, const std::string& name, int line) {
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(field.c_str(), &end);
  if (field.empty() || end != field.c_str() + field.size() || errno == ERANGE || !std::isfinite(v))
    bad_line(name, line, what + " '" + field + "' is not a number");
  if (v < 0.0) bad_line(name, line, what + " " + field + " is negative");
  return v;
}

std::vector<std::string> fields_of(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> f;
  for (std::string w; in >> w;) f.push_back(w);
  return f;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(HUSH_ERR_IO, "cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Merged union of intervals.
std::vector<UemRegion> merged(std::vector<UemRegion> v) {
  std::sort(v.begin(), v.end(), [](const UemRegion& a, const UemRegion& b) { return a.start_s < b.start_s; });
  std::vector<UemRegion> out;
  for (const UemRegion& r : v) {
    if (r.end_s <= r.start_s) continue;
    if (!out.empty() && r.start_s <= out.back().end_s) out.back().end_s = std::max(out.back().end_s, r.end_s);
    else out.push_back(r);
  }
  return out;
}

int count_active(const std::vector<RttmSegment>& segs, const std::vector<int>& ids, double t, std::vector<int>& active) {
  active.clear();
  for (std::size_t i = 0; i < segs.size(); ++i)
    if (segs[i].start_s <= t && t < segs[i].end_s) active.push_back(ids[i]);
  // A speaker counted once even if two of its segments overlap.
  std::sort(active.begin(), active.end());
  active.erase(std::unique(active.begin(), active.end()), active.end());
  return static_cast<int>(active.size());
}

// Calls `on_line(fields, line_number)` for each line that is neither blank nor a ";;" comment.
template <typename OnLine>
void for_each_record(const std::string& text, OnLine on_line) {
  std::istringstream in(text);
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    const auto f = fields_of(line);
    if (f.empty() || f[0].rfind(";;", 0) == 0) continue;
    on_line(f, number);
  }
}

}  // namespace

DerResult& DerResult::operator+=(const DerResult& o) {
  reference_s += o.reference_s;
  missed_s += o.missed_s;
  false_alarm_s += o.false_alarm_s;
  confusion_s += o.confusion_s;
  scored_s += o.scored_s;
  return *this;
}

Rttm parse_rttm(const std::string& text, const std::string& name) {
  Rttm out;
  for_each_record(text, [&](const auto& f, int number) {
    if (f[0] != "SPEAKER") return;
    if (f.size() < 9) bad_line(name, number, "SPEAKER line has " + std::to_string(f.size()) + " fields, needs at least 9");
    const double start = parse_time(f[3], "start", name, number);
    const double duration = parse_time(f[4], "duration", name, number);
    // Each is finite, yet 1e308 + 1e308 is not (found by fuzz/fuzz_rttm).
    if (!std::isfinite(start + duration)) bad_line(name, number, "start + duration is not a finite time");
    out[f[1]].push_back({start, start + duration, f[7]});
  });
  return out;
}

Rttm read_rttm(const std::string& path) { return parse_rttm(read_text(path), path); }

Uem parse_uem(const std::string& text, const std::string& name) {
  Uem out;
  for_each_record(text, [&](const auto& f, int number) {
    if (f.size() != 4) bad_line(name, number, "UEM line has " + std::to_string(f.size()) + " fields, needs 4");
    const double start = parse_time(f[2], "start", name, number);
    const double end = parse_time(f[3], "end", name, number);
    if (end < start) bad_line(name, number, "end precedes start");
    out[f[0]].push_back({start, end});
  });
  return out;
}

Uem read_uem(const std::string& path) { return parse_uem(read_text(path), path); }

DerResult score_der(const std::vector<RttmSegment>& ref, const std::vector<RttmSegment>& hyp,
                    const std::vector<UemRegion>& uem_in, double collar_s) {
  if (!(collar_s >= 0.0)) throw Error(HUSH_ERR_INVALID_ARGUMENT, "DER: the collar must be >= 0");
  // Speaker names -> indices.
  std::map<std::string, int> ref_ids, hyp_ids;
  std::vector<int> ref_of(ref.size()), hyp_of(hyp.size());
  for (std::size_t i = 0; i < ref.size(); ++i) ref_of[i] = ref_ids.emplace(ref[i].speaker, int(ref_ids.size())).first->second;
  for (std::size_t i = 0; i < hyp.size(); ++i) hyp_of[i] = hyp_ids.emplace(hyp[i].speaker, int(hyp_ids.size())).first->second;

  // Scored regions: the UEM minus the collars.
  std::vector<UemRegion> uem = uem_in;
  if (uem.empty()) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const auto* v : {&ref, &hyp})
      for (const RttmSegment& s : *v) lo = std::min(lo, s.start_s), hi = std::max(hi, s.end_s);
    if (lo < hi) uem.push_back({lo, hi});
  }
  uem = merged(uem);
  std::vector<UemRegion> collars;
  if (collar_s > 0.0)
    for (const RttmSegment& s : ref) {
      collars.push_back({s.start_s - collar_s, s.start_s + collar_s});
      collars.push_back({s.end_s - collar_s, s.end_s + collar_s});
    }
  collars = merged(collars);

  // Elementary intervals between all boundaries.
  std::set<double> cuts;
  for (const auto* v : {&ref, &hyp})
    for (const RttmSegment& s : *v) cuts.insert(s.start_s), cuts.insert(s.end_s);
  for (const auto* v : {&uem, &collars})
    for (const UemRegion& r : *v) cuts.insert(r.start_s), cuts.insert(r.end_s);
  const std::vector<double> t(cuts.begin(), cuts.end());
  const auto inside = [](const std::vector<UemRegion>& v, double x) {
    for (const UemRegion& r : v)
      if (r.start_s <= x && x < r.end_s) return true;
    return false;
  };

  struct Piece {
    double duration;
    std::vector<int> r, h;
  };
  std::vector<Piece> pieces;
  const std::size_t nr = ref_ids.size(), nh = hyp_ids.size();
  std::vector<double> agree(nr * nh, 0.0);  // seconds ref i and hyp j both speak
  std::vector<int> active;
  for (std::size_t k = 0; k + 1 < t.size(); ++k) {
    const double mid = 0.5 * (t[k] + t[k + 1]);
    if (!inside(uem, mid) || inside(collars, mid)) continue;
    Piece p{t[k + 1] - t[k], {}, {}};
    count_active(ref, ref_of, mid, active);
    p.r = active;
    count_active(hyp, hyp_of, mid, active);
    p.h = active;
    for (const int i : p.r)
      for (const int j : p.h) agree[static_cast<std::size_t>(i) * nh + j] += p.duration;
    pieces.push_back(std::move(p));
  }
  // Best one-to-one mapping hyp -> ref.
  std::vector<int> map_hyp(nh, -1);
  if (nr > 0 && nh > 0) {
    const std::size_t n = std::max(nr, nh);
    std::vector<double> cost(n * n, 0.0);
    for (std::size_t i = 0; i < nr; ++i)
      for (std::size_t j = 0; j < nh; ++j) cost[i * n + j] = -agree[i * nh + j];
    const auto assignment = hungarian_min_cost(cost, n);  // row i -> column
    for (std::size_t i = 0; i < nr; ++i)
      if (assignment[i] < nh) map_hyp[assignment[i]] = static_cast<int>(i);
  }
  DerResult d;
  for (const Piece& p : pieces) {
    const auto r = static_cast<double>(p.r.size()), h = static_cast<double>(p.h.size());
    double correct = 0.0;
    for (const int j : p.h)
      if (map_hyp[j] >= 0 && std::binary_search(p.r.begin(), p.r.end(), map_hyp[j])) correct += 1.0;
    d.scored_s += p.duration;
    d.reference_s += p.duration * r;
    d.missed_s += p.duration * std::max(0.0, r - h);
    d.false_alarm_s += p.duration * std::max(0.0, h - r);
    d.confusion_s += p.duration * (std::min(r, h) - correct);
  }
  return d;
}

}  // namespace hush::metrics
