#include "apps/hush-bench/call_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <sstream>

#include "apps/build_commit.h"

namespace hush::bench {
namespace {

using nlohmann::json;

constexpr double kErleTargetDb = 30.0;

std::string fmt(const char* f, double v) {
  if (std::isnan(v)) return "—";
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

json num(double v) { return std::isnan(v) ? json(nullptr) : json(v); }

double mean(const std::vector<double>& v) {
  double s = 0;
  int n = 0;
  for (double x : v)
    if (!std::isnan(x)) s += x, ++n;
  return n ? s / n : std::nan("");
}

double lowest(const std::vector<double>& v) {
  double m = std::nan("");
  for (double x : v)
    if (!std::isnan(x)) m = std::isnan(m) ? x : std::min(m, x);
  return m;
}

// The successful echo results of one (rate, path, aec) across scenarios.
std::vector<const EchoResult*> select(const CallResults& r, int rate, CapturePath path, const std::string& aec) {
  std::vector<const EchoResult*> out;
  for (const auto& e : r.echo)
    if (e.rate_hz == rate && e.path == path && e.aec == aec && e.error.empty()) out.push_back(&e);
  return out;
}

std::vector<double> collect(const std::vector<const EchoResult*>& rs, const std::function<double(const EchoResult&)>& f) {
  std::vector<double> v;
  for (const auto* e : rs) v.push_back(f(*e));
  return v;
}

// "4.2 s (7/8)": median over the scenarios that converged, and how many did.
std::string convergence_cell(const std::vector<double>& times) {
  std::vector<double> ok;
  for (double t : times)
    if (t >= 0) ok.push_back(t);
  return fmt("%.1f s", median(ok)) + " (" + std::to_string(ok.size()) + "/" + std::to_string(times.size()) + ")";
}

std::string errors_of(const CallResults& r) {
  std::string out;
  auto add = [&](const std::string& what, const std::string& e) {
    if (!e.empty()) out += "- " + what + ": " + e + "\n";
  };
  for (const auto& e : r.echo)
    add(r.scenarios[std::size_t(e.scenario)].name + " " + e.aec + " " + path_name(e.path) + " " + std::to_string(e.rate_hz) + " Hz", e.error);
  for (const auto& b : r.background) add("bg" + std::to_string(b.mixture + 1), b.error);
  for (const auto& l : r.latency) add("latency " + l.aec + " " + std::to_string(l.rate_hz) + " Hz", l.error);
  for (const auto& s : r.speed) add("speed " + s.aec + " " + std::to_string(s.rate_hz) + " Hz", s.error);
  return out;
}

void single_talk_table(std::ostringstream& md, const CallResults& r) {
  md << "## Far-end single talk: echo return loss enhancement\n\n"
     << "ERLE = 10 log10(mic power / output power) per 10 ms frame where the echo is active (within 25 dB of its "
        "loud frames and 20 dB above the mic noise). *After convergence*: median per-frame ERLE over the second half "
        "of the first far-end-only phase, then the median (and the worst) over the echo paths; *≥ 30 dB*: paths "
        "meeting the target. *Convergence*: from the far end's first word to the start of the first 0.5 s block "
        "after which every block stays ≥ 20 dB (median over the paths that got there, and how many did). *After "
        "the path change* (the laptop is moved; new RIR, same delay): the lowest 0.5 s block ERLE in the first 2 s, "
        "the time to reach 20 dB again for good, and the ERLE over the second half of that phase. *Ceiling*: what a "
        "perfect canceller that leaves the mic noise untouched would score on the same frames (binds the *AEC "
        "alone* rows; the full path also removes noise).\n\n"
     << "| rate | capture path | AEC | ERLE after convergence (median / worst) | ≥ 30 dB | convergence | after path "
        "change: dip | re-convergence | ERLE at end | ceiling | missing / dropped ref. frames |\n"
     << "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (int rate : r.options.rates_hz)
    for (CapturePath path : {CapturePath::aec_alone, CapturePath::full})
      for (const auto& aec : r.options.aecs) {
        const auto rs = select(r, rate, path, aec);
        if (rs.empty()) continue;
        const auto erle = collect(rs, [](const EchoResult& e) { return e.single_talk.median_db; });
        int meets = 0;
        long long missing = 0, dropped = 0;
        for (const auto* e : rs) {
          meets += e->single_talk.median_db >= kErleTargetDb;
          missing += e->stats.reference_missing, dropped += e->stats.reference_dropped;
        }
        md << "| " << rate << " | " << path_name(path) << " | " << aec << " | " << fmt("%.1f", median(erle)) << " / "
           << fmt("%.1f dB", lowest(erle)) << " | " << meets << "/" << rs.size() << " | "
           << convergence_cell(collect(rs, [](const EchoResult& e) { return e.single_talk.convergence_s; })) << " | "
           << fmt("%.1f dB", median(collect(rs, [](const EchoResult& e) { return e.after_change.min_block_db; }))) << " | "
           << convergence_cell(collect(rs, [](const EchoResult& e) { return e.after_change.convergence_s; })) << " | "
           << fmt("%.1f dB", median(collect(rs, [](const EchoResult& e) { return e.after_change.median_db; }))) << " | "
           << fmt("%.1f dB", median(collect(rs, [](const EchoResult& e) { return e.single_talk.ceiling_db; }))) << " | "
           << missing << " / " << dropped << " |\n";
      }
  md << "\n";
}

void double_talk_table(std::ostringstream& md, const CallResults& r) {
  md << "## Double talk: the near-end talker survives\n\n"
     << "The last phase: the user talks over the far end (echo path after the change, so converged for "
     << fmt("%g", r.options.timeline.after_change_s)
     << " s). STOI and SI-SDR of the mic and of the output against the near-end talker alone at the mic, means over "
        "the echo paths. Outputs are aligned by the lag measured for their configuration (see the latency table), "
        "not by hush_call_capture_latency_samples where the two differ.\n\n"
     << "| rate | capture path | AEC | STOI mic | STOI out | ΔSTOI | SI-SDR mic | SI-SDR out |\n"
     << "|---|---|---|---:|---:|---:|---:|---:|\n";
  for (int rate : r.options.rates_hz)
    for (CapturePath path : {CapturePath::aec_alone, CapturePath::full})
      for (const auto& aec : r.options.aecs) {
        const auto rs = select(r, rate, path, aec);
        if (rs.empty()) continue;
        const double sm = mean(collect(rs, [](const EchoResult& e) { return e.double_talk.stoi_mic; }));
        const double so = mean(collect(rs, [](const EchoResult& e) { return e.double_talk.stoi_out; }));
        md << "| " << rate << " | " << path_name(path) << " | " << aec << " | " << fmt("%.3f", sm) << " | "
           << fmt("%.3f", so) << " | " << fmt("%+.3f", so - sm) << " | "
           << fmt("%.1f dB", mean(collect(rs, [](const EchoResult& e) { return e.double_talk.si_sdr_mic_db; }))) << " | "
           << fmt("%.1f dB", mean(collect(rs, [](const EchoResult& e) { return e.double_talk.si_sdr_out_db; }))) << " |\n";
      }
  md << "\n";
}

void scenario_table(std::ostringstream& md, const CallResults& r) {
  md << "## Echo paths\n\nERLE after convergence per path, "
     << (r.options.rates_hz.size() > 1 ? "cells are " : "at ");
  for (std::size_t i = 0; i < r.options.rates_hz.size(); ++i)
    md << (i ? " / " : "") << r.options.rates_hz[i] / 1000 << " kHz";
  md << ". Distortion: the loudspeaker's nonlinear part relative to its linear part on this far-end speech. "
        "Echo/near: echo level minus near-end level at the mic (active speech levels).\n\n"
     << "| path | delay | drift | distortion | echo/near | room (m), RT60 | speaker–mic A / B | ceiling |";
  std::vector<std::pair<CapturePath, std::string>> cols;
  for (CapturePath path : {CapturePath::aec_alone, CapturePath::full})
    for (const auto& aec : r.options.aecs) cols.push_back({path, aec}), md << " " << aec << ", " << path_name(path) << " |";
  md << "\n|---|---:|---:|---:|---:|---|---:|---:|";
  for (std::size_t i = 0; i < cols.size(); ++i) md << "---:|";
  md << "\n";
  for (std::size_t s = 0; s < r.scenarios.size(); ++s) {
    const EchoScenario& sc = r.scenarios[s];
    double ceiling = std::nan("");
    for (const auto& e : r.echo)
      if (e.scenario == int(s) && e.error.empty() && e.rate_hz == r.options.rates_hz[0]) ceiling = e.single_talk.ceiling_db;
    md << "| " << sc.name << " | " << fmt("%.0f ms", sc.delay_ms) << " | " << fmt("%+.0f ppm", sc.drift_ppm) << " | "
       << (sc.drive > 0 ? fmt("%.0f dB", sc.distortion_db) : "linear") << " | " << fmt("%+.1f dB", sc.echo_to_near_db)
       << " | " << fmt("%.1f", sc.room.size_m[0]) << "×" << fmt("%.1f", sc.room.size_m[1]) << "×"
       << fmt("%.1f", sc.room.size_m[2]) << ", " << fmt("%.2f s", sc.room.rt60_s) << " | "
       << fmt("%.2f", sc.speaker_mic_a_m) << " / " << fmt("%.2f m", sc.speaker_mic_b_m) << " | "
       << fmt("%.1f dB", ceiling) << " |";
    for (const auto& [path, aec] : cols) {
      md << " ";
      for (std::size_t i = 0; i < r.options.rates_hz.size(); ++i) {
        double v = std::nan("");
        for (const auto& e : r.echo)
          if (e.scenario == int(s) && e.path == path && e.aec == aec && e.rate_hz == r.options.rates_hz[i] && e.error.empty())
            v = e.single_talk.median_db;
        md << (i ? " / " : "") << fmt("%.1f", v);
      }
      md << " |";
    }
    md << "\n";
  }
  md << "\n";
}

void background_table(std::ostringstream& md, const CallResults& r) {
  if (r.background.empty()) return;
  md << "## Background voices\n\n"
     << r.mixtures.size() << " mixtures of " << fmt("%g", r.options.background_seconds)
     << " s at 16 kHz: a main talker 0.3–0.5 m from the mic (turns of ≤ 6 s, 3 s pauses) and 1–3 background "
        "talkers 2–4 m away at −15..−5 dB relative level, reverberated, mic noise. Capture path: no AEC, noise "
        "suppression 25 dB, AGC off (so levels compare). Main-talker SI-SDR/STOI against the main talker alone at "
        "the mic; *background attenuation*: mixture power / output power over the frames where the background "
        "talkers are alone (main talker ≥ 20 dB below them); *main level change*: output / mixture power where the "
        "main talker dominates by 20 dB. Means over the mixtures.\n\n"
     << "| background_voice_db | SI-SDR mix → out | ΔSI-SDR | STOI mix → out | ΔSTOI | background attenuation | main "
        "level change |\n|---:|---:|---:|---:|---:|---:|---:|\n";
  for (float bv : {0.0f, 20.0f}) {
    std::vector<double> a, b, c, d, att, lvl;
    for (const auto& x : r.background)
      if (x.background_voice_db == bv && x.error.empty()) {
        a.push_back(x.scores.si_sdr_mix_db), b.push_back(x.scores.si_sdr_out_db);
        c.push_back(x.scores.stoi_mix), d.push_back(x.scores.stoi_out);
        att.push_back(x.scores.background_attenuation_db), lvl.push_back(x.scores.main_level_change_db);
      }
    if (a.empty()) continue;
    md << "| " << fmt("%g", bv) << " | " << fmt("%.1f", mean(a)) << " → " << fmt("%.1f dB", mean(b)) << " | "
       << fmt("%+.1f dB", mean(b) - mean(a)) << " | " << fmt("%.3f", mean(c)) << " → " << fmt("%.3f", mean(d)) << " | "
       << fmt("%+.3f", mean(d) - mean(c)) << " | " << fmt("%.1f dB", mean(att)) << " | " << fmt("%+.1f dB", mean(lvl)) << " |\n";
  }
  md << "\n| mixture | talkers (relative level) | ΔSI-SDR at 0 / 20 dB | background attenuation at 0 / 20 dB |\n"
     << "|---|---|---:|---:|\n";
  for (std::size_t m = 0; m < r.mixtures.size(); ++m) {
    const BackgroundMixture& mx = r.mixtures[m];
    std::string talkers;
    for (double rel : mx.relative_db) talkers += (talkers.empty() ? "" : ", ") + fmt("%.0f dB", rel);
    std::string gain, att;
    for (float bv : {0.0f, 20.0f})
      for (const auto& x : r.background)
        if (x.mixture == int(m) && x.background_voice_db == bv) {
          gain += (gain.empty() ? "" : " / ") + fmt("%+.1f", x.scores.si_sdr_out_db - x.scores.si_sdr_mix_db);
          att += (att.empty() ? "" : " / ") + fmt("%.1f", x.scores.background_attenuation_db);
        }
    md << "| " << mx.name << " | " << mx.relative_db.size() << " (" << talkers << ") | " << gain << " dB | " << att << " dB |\n";
  }
  md << "\n";
}

std::string lag_cell(const Lag& lag, int rate_hz) {
  return fmt("%.2f ms", lag.samples * 1000.0 / rate_hz) + " (" + fmt("%.2f", lag.correlation) + ")";
}

void latency_table(std::ostringstream& md, const CallResults& r) {
  md << "## Capture-path latency\n\n"
     << "Reported: hush_call_capture_latency_samples. Measured: the lag of the peak normalised cross-correlation "
        "(in brackets) between mic and raw output, 0–100 ms searched, with a silent far end: an irregular click "
        "train and a 4 s utterance through the AEC alone (no noise suppression, no AGC), and the utterance "
        "through the full capture path. Target: ≤ 20 ms plus the AEC's own. Every score above aligns the output "
        "by the speech lag of its own configuration.\n\n"
     << "| rate | AEC | reported | clicks, AEC alone | speech, AEC alone | speech, full capture path |\n"
     << "|---|---|---:|---:|---:|---:|\n";
  for (const auto& l : r.latency) {
    if (!l.error.empty()) continue;
    md << "| " << l.rate_hz << " | " << l.aec << " | " << fmt("%.2f ms", l.reported_samples * 1000.0 / l.rate_hz)
       << " | " << lag_cell(l.click, l.rate_hz) << " | " << lag_cell(l.speech_alone, l.rate_hz) << " | "
       << lag_cell(l.speech_full, l.rate_hz) << " |\n";
  }
  md << "\n";
}

void speed_table(std::ostringstream& md, const CallResults& r) {
  md << "## CPU\n\n"
     << "The whole two-way pipeline per 10 ms frame: process_render (incoming, noise suppression 25 dB) + "
        "analyze_render + process_capture (defaults: AEC, noise suppression 25 dB, AGC), "
     << fmt("%g", r.options.rtf_seconds) << " s of the first echo path, one thread, CPU time of the thread "
     << "(RTF = CPU seconds per audio second; µs per frame are CPU time too). Engine `" << r.options.engine
     << "`, CPU: " << r.cpu << ".\n\n"
     << "| rate | AEC | background voices | RTF | RTF (wall) | p50 µs/frame | p99 µs/frame | max µs/frame |\n"
     << "|---|---|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& s : r.speed) {
    if (!s.error.empty()) continue;
    md << "| " << s.rate_hz << " | " << s.aec << " | " << fmt("%g dB", s.background_voice_db) << " | "
       << fmt("%.4f", s.speed.rtf_cpu) << " | " << fmt("%.4f", s.speed.rtf_wall) << " | " << fmt("%.0f", s.speed.p50_us)
       << " | " << fmt("%.0f", s.speed.p99_us) << " | " << fmt("%.0f", s.speed.max_us) << " |\n";
  }
  md << "\n";
}

}  // namespace

std::string path_name(CapturePath p) { return p == CapturePath::aec_alone ? "AEC alone" : "full capture path"; }

std::string call_markdown(const CallResults& r) {
  const auto& o = r.options;
  const auto& t = o.timeline;
  std::ostringstream md;
  md << "# hush-bench call: two-way call pipeline\n\n"
     << o.scenarios << " simulated laptop calls (echo paths), each " << fmt("%g", t.single_talk_s) << " s far end alone, "
     << fmt("%g", t.after_change_s) << " s far end alone after the echo path changes, "
     << fmt("%g", t.double_talk_s) << " s double talk. Speech: LibriSpeech dev speakers 6272, 7367, 7859, 8629 "
        "(held out from training; far and near end are different speakers). Echo: reference → device delay "
        "(0–250 ms) → clock drift (±100 ppm in some) → loudspeaker (tanh soft clipping in some, 200 Hz high-pass) → "
        "image-source RIR of a random shoebox room (3–8 m, RT60 0.2–0.7 s, speaker–mic 0.3–1.5 m). Levels at the mic: "
        "near end "
     << fmt("%g", o.levels.near_dbfs) << " dBFS, echo 0–10 dB louder, noise " << fmt("%g", o.levels.noise_dbfs)
     << " dBFS; reference " << fmt("%g", o.levels.far_dbfs) << " dBFS. The played signal is the far-end speech itself "
     << "(render path not in the loop); echo_delay_ms = " << (o.known_delay ? "the true delay" : "0 (unknown)")
     << ". Built at 16 kHz; 48 kHz rows resample mic and reference with libsoxr. *AEC alone*: "
        "capture_strength_db 0, AGC off; *full capture path*: defaults (noise suppression 25 dB, AGC on). Noise "
        "engine `"
     << o.engine << "`, seed " << o.seed << (o.quick ? ", --quick" : "") << ". Commit " << hush_build_commit() << "; run took "
     << fmt("%.0f s", r.seconds) << ".\n\n";
  single_talk_table(md, r);
  double_talk_table(md, r);
  scenario_table(md, r);
  background_table(md, r);
  latency_table(md, r);
  speed_table(md, r);
  const std::string errors = errors_of(r);
  if (!errors.empty()) md << "## Runs that failed\n\n" << errors << "\n";
  return md.str();
}

json call_json(const CallResults& r) {
  const auto& o = r.options;
  json scen = json::array(), mixes = json::array(), echo = json::array(), bg = json::array(), lat = json::array(),
       spd = json::array();
  for (const auto& s : r.scenarios)
    scen.push_back({{"name", s.name}, {"delay_ms", s.delay_ms}, {"drift_ppm", s.drift_ppm}, {"drive", s.drive},
                    {"distortion_db", s.drive > 0 ? num(s.distortion_db) : json(nullptr)},
                    {"echo_to_near_db", s.echo_to_near_db},
                    {"room_m", {s.room.size_m[0], s.room.size_m[1], s.room.size_m[2]}}, {"rt60_s", s.room.rt60_s},
                    {"speaker_mic_a_m", s.speaker_mic_a_m}, {"speaker_mic_b_m", s.speaker_mic_b_m},
                    {"near_mic_m", s.near_mic_m}, {"far_speaker", s.far_speaker}, {"near_speaker", s.near_speaker}});
  for (const auto& m : r.mixtures)
    mixes.push_back({{"name", m.name}, {"main_speaker", m.main_speaker}, {"main_mic_m", m.main_mic_m},
                     {"talker_mic_m", m.talker_mic_m}, {"relative_db", m.relative_db},
                     {"room_m", {m.room.size_m[0], m.room.size_m[1], m.room.size_m[2]}}, {"rt60_s", m.room.rt60_s}});
  auto phase = [](const PhaseErle& p) {
    return json{{"erle_median_db", num(p.median_db)}, {"convergence_s", p.convergence_s < 0 ? json(nullptr) : json(p.convergence_s)},
                {"min_block_erle_db", num(p.min_block_db)}, {"ceiling_db", num(p.ceiling_db)}, {"active_frames", p.active_frames}};
  };
  for (const auto& e : r.echo)
    echo.push_back({{"scenario", r.scenarios[std::size_t(e.scenario)].name}, {"aec", e.aec}, {"path", path_name(e.path)},
                    {"rate_hz", e.rate_hz}, {"error", e.error}, {"single_talk", phase(e.single_talk)},
                    {"after_change", phase(e.after_change)},
                    {"double_talk", {{"stoi_mic", num(e.double_talk.stoi_mic)}, {"stoi_out", num(e.double_talk.stoi_out)},
                                     {"si_sdr_mic_db", num(e.double_talk.si_sdr_mic_db)},
                                     {"si_sdr_out_db", num(e.double_talk.si_sdr_out_db)}}},
                    {"latency_samples", e.latency_samples}, {"aligned_samples", e.aligned_samples},
                    {"stats", {{"capture_frames", e.stats.capture_frames}, {"reference_missing", e.stats.reference_missing},
                               {"reference_dropped", e.stats.reference_dropped},
                               {"reported_erle_db", e.stats.echo_return_loss_enhancement_db},
                               {"agc_gain_db", e.stats.agc_gain_db}, {"echo_canceller", e.stats.echo_canceller}}}});
  for (const auto& b : r.background)
    bg.push_back({{"mixture", r.mixtures[std::size_t(b.mixture)].name}, {"background_voice_db", b.background_voice_db},
                  {"error", b.error}, {"si_sdr_mix_db", num(b.scores.si_sdr_mix_db)}, {"si_sdr_out_db", num(b.scores.si_sdr_out_db)},
                  {"stoi_mix", num(b.scores.stoi_mix)}, {"stoi_out", num(b.scores.stoi_out)},
                  {"background_attenuation_db", num(b.scores.background_attenuation_db)},
                  {"main_level_change_db", num(b.scores.main_level_change_db)},
                  {"background_frames", b.scores.background_frames}, {"main_frames", b.scores.main_frames},
                  {"aligned_samples", b.aligned_samples}});
  for (const auto& l : r.latency)
    lat.push_back({{"aec", l.aec}, {"rate_hz", l.rate_hz}, {"error", l.error}, {"reported_samples", l.reported_samples},
                   {"click_lag_samples", l.click.samples}, {"click_correlation", l.click.correlation},
                   {"speech_alone_lag_samples", l.speech_alone.samples}, {"speech_alone_correlation", l.speech_alone.correlation},
                   {"speech_full_lag_samples", l.speech_full.samples}, {"speech_full_correlation", l.speech_full.correlation}});
  for (const auto& s : r.speed)
    spd.push_back({{"aec", s.aec}, {"rate_hz", s.rate_hz}, {"background_voice_db", s.background_voice_db}, {"error", s.error},
                   {"rtf_cpu", s.speed.rtf_cpu}, {"rtf_wall", s.speed.rtf_wall}, {"p50_us", s.speed.p50_us},
                   {"p99_us", s.speed.p99_us}, {"max_us", s.speed.max_us}, {"frames", s.speed.frames}});
  return {{"commit", hush_build_commit()}, {"cpu", r.cpu}, {"seconds", r.seconds}, {"engine", o.engine}, {"seed", o.seed},
          {"quick", o.quick}, {"known_delay", o.known_delay},
          {"timeline_s", {o.timeline.single_talk_s, o.timeline.after_change_s, o.timeline.double_talk_s}},
          {"levels_dbfs", {{"near", o.levels.near_dbfs}, {"far", o.levels.far_dbfs}, {"noise", o.levels.noise_dbfs}}},
          {"scenarios", scen}, {"mixtures", mixes}, {"echo", echo}, {"background", bg}, {"latency", lat}, {"speed", spd}};
}

}  // namespace hush::bench
