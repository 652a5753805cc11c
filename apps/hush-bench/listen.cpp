#include "apps/hush-bench/listen.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <unistd.h>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "audio/audio_file.h"
#include "audio/resample.h"
#include "server/http_client.h"
#include "util/error.h"

namespace hush::bench {

namespace {

using Clock = std::chrono::steady_clock;

struct StreamResult {
  std::vector<double> final_latencies_s;
  int finals = 0, interims = 0, errors = 0;
  bool metadata = false, closed_cleanly = false;
  double heard_s = 0.0;  // Metadata's duration: the audio the server took in
  std::string transcript;
  std::string failure;
};

std::vector<std::int16_t> pcm16(const audio::AudioBuffer& audio, int rate_hz) {
  const auto resampled = audio::resample(audio.mono(), 1, audio.sample_rate_hz, rate_hz);
  std::vector<std::int16_t> out(resampled.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<std::int16_t>(std::lround(std::clamp(resampled[i], -1.0f, 1.0f) * 32767.0f));
  }
  return out;
}

StreamResult run_stream(const ListenBenchOptions& o, const std::vector<std::int16_t>& pcm, bool print) {
  StreamResult result;
  server::WebSocketClient ws;
  std::string target = "/v1/listen?encoding=linear16&sample_rate=" + std::to_string(o.rate_hz) +
                       "&interim_results=" + (o.interim ? "true" : "false") + "&vad_events=true&utterance_end_ms=1000";
  if (!o.extra_query.empty()) target += "&" + o.extra_query;
  try {
    ws.connect(o.target.host, static_cast<std::uint16_t>(o.target.port), target,
               {{"Authorization", "Token " + o.target.key}});
  } catch (const std::exception& e) {
    result.failure = e.what();
    return result;
  }
  const std::size_t chunk = static_cast<std::size_t>(o.rate_hz) * o.chunk_ms / 1000;
  const auto start = Clock::now();
  // When the audio up to sample t had been sent: the clock time of each chunk's send.
  std::vector<double> sent_at_s;
  auto handle = [&](const server::WebSocketMessage& m) {
    if (m.kind == server::WebSocketMessage::Kind::close) {
      result.closed_cleanly = m.close_code == 1000;
      if (m.close_code != 1000) result.failure = "closed with " + std::to_string(m.close_code) + " " + m.payload;
      return false;
    }
    const auto json = nlohmann::json::parse(m.payload, nullptr, false);
    const double now_s = std::chrono::duration<double>(Clock::now() - start).count();
    const std::string type = json.value("type", "");
    if (type == "Results") {
      const bool is_final = json.value("is_final", false);
      const std::string text = json["channel"]["alternatives"][0].value("transcript", "");
      if (is_final) {
        ++result.finals;
        const double end_s = json.value("start", 0.0) + json.value("duration", 0.0);
        const auto sent_index = std::min(sent_at_s.size() - 1, static_cast<std::size_t>(end_s * 1000 / o.chunk_ms));
        if (!sent_at_s.empty() && !text.empty()) result.final_latencies_s.push_back(now_s - sent_at_s[sent_index]);
        if (!text.empty()) result.transcript += (result.transcript.empty() ? "" : " ") + text;
      } else {
        ++result.interims;
      }
    } else if (type == "Metadata") {
      result.metadata = true;
      result.heard_s = json.value("duration", 0.0);
    } else if (type == "Error") {
      ++result.errors;
    }
    if (print) std::printf("[%7.2f s] %s\n", now_s, m.payload.substr(0, 300).c_str());
    return true;
  };
  for (std::size_t at = 0; at < pcm.size(); at += chunk) {
    const std::size_t n = std::min(chunk, pcm.size() - at);
    ws.send_binary(std::as_bytes(std::span(pcm.data() + at, n)));
    sent_at_s.push_back(std::chrono::duration<double>(Clock::now() - start).count());
    const auto due = start + std::chrono::duration_cast<Clock::duration>(
                                 std::chrono::duration<double>(o.speed > 0 ? (at + n) / (o.rate_hz * o.speed) : 0.0));
    do {
      // Rounded up: truncated, the last partial millisecond before each chunk was a busy loop
      // of zero-timeout reads (measured: ~35% of a core at 14 streams, taken from hushd).
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(due - Clock::now());
      const auto m = ws.read(std::max(std::chrono::milliseconds(0), left));
      if (m && !handle(*m)) return result;
    } while (Clock::now() < due);
  }
  ws.send_text(R"({"type":"CloseStream"})");
  for (int i = 0; i < 600; ++i) {
    const auto m = ws.read(std::chrono::milliseconds(100));
    if (m && !handle(*m)) break;
  }
  return result;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * (v.size() - 1) + 0.5))];
}

// CPU seconds (user + system) a process has used so far, from /proc/PID/stat; -1 if unreadable.
double process_cpu_s(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close_paren = stat.rfind(')');  // the command name may hold spaces
  if (close_paren == std::string::npos) return -1;
  std::istringstream fields(stat.substr(close_paren + 2));
  std::string field;
  double utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {  // field 3 is the state; 14, 15 the times
    if (i == 14) utime = std::stod(field);
    if (i == 15) stime = std::stod(field);
  }
  return (utime + stime) / double(::sysconf(_SC_CLK_TCK));
}

// Busy and total jiffies of the whole machine, from /proc/stat.
std::pair<double, double> machine_jiffies() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  in >> cpu;
  double busy = 0, total = 0, v = 0;
  for (int i = 0; i < 8 && in >> v; ++i) {  // user nice system idle iowait irq softirq steal
    total += v;
    if (i != 3 && i != 4) busy += v;
  }
  return {busy, total};
}

struct LevelRow {
  int streams = 0;
  double p50_ms = NAN, p95_ms = NAN, max_ms = NAN, wall_s = 0;
  std::size_t finals = 0;
  int clean = 0, failed = 0, lost_audio = 0;
  double server_cpu_pct = NAN, machine_cpu_pct = NAN;
  bool held(double max_p95_ms) const {
    return clean == streams && failed == 0 && lost_audio == 0 && !(p95_ms >= max_p95_ms) && !std::isnan(p95_ms);
  }
};

LevelRow run_level(const ListenBenchOptions& o, const std::vector<std::int16_t>& pcm, int streams, double file_s) {
  const double audio_s = double(pcm.size()) / o.rate_hz;
  std::vector<StreamResult> results(static_cast<std::size_t>(streams));
  std::vector<std::thread> threads;
  const double cpu_before = o.server_pid > 0 ? process_cpu_s(o.server_pid) : -1;
  const auto machine_before = machine_jiffies();
  const auto start = Clock::now();
  for (int i = 0; i < streams; ++i) {
    const double delay_s = o.stagger ? file_s * i / streams : 0.0;
    threads.emplace_back([&, i, delay_s] {
      std::this_thread::sleep_for(std::chrono::duration<double>(delay_s));
      results[i] = run_stream(o, pcm, o.print && i == 0);
    });
  }
  for (auto& t : threads) t.join();
  LevelRow row;
  row.streams = streams;
  row.wall_s = std::chrono::duration<double>(Clock::now() - start).count();
  const auto machine_after = machine_jiffies();
  if (cpu_before >= 0) row.server_cpu_pct = 100 * (process_cpu_s(o.server_pid) - cpu_before) / row.wall_s;
  if (machine_after.second > machine_before.second) {
    row.machine_cpu_pct = 100 * (machine_after.first - machine_before.first) / (machine_after.second - machine_before.second);
  }
  std::vector<double> latencies;
  for (const auto& r : results) {
    latencies.insert(latencies.end(), r.final_latencies_s.begin(), r.final_latencies_s.end());
    row.clean += r.closed_cleanly && r.metadata && r.errors == 0;
    // The server's Metadata duration is the audio it took in; a 20 ms chunk of slack for rounding.
    row.lost_audio += r.metadata && r.heard_s < audio_s - 0.02;
    if (!r.failure.empty()) {
      ++row.failed;
      std::fprintf(stderr, "hush-bench listen: a stream failed: %s\n", r.failure.c_str());
    }
  }
  row.finals = latencies.size();
  row.p50_ms = percentile(latencies, 0.5) * 1000;
  row.p95_ms = percentile(latencies, 0.95) * 1000;
  row.max_ms = latencies.empty() ? NAN : *std::max_element(latencies.begin(), latencies.end()) * 1000;
  if (o.print && !results.empty()) std::printf("\nstream 0 transcript: %s\n", results[0].transcript.c_str());
  return row;
}

}  // namespace

int run_listen_bench(const ListenBenchOptions& o) {
  o.target.require_key();
  if (o.repeat < 1) throw Error(HUSH_ERR_INVALID_ARGUMENT, "--repeat must be at least 1");
  const auto file = pcm16(audio::read_audio(o.target.audio_path), o.rate_hz);
  std::vector<std::int16_t> pcm;
  for (int i = 0; i < o.repeat; ++i) {
    if (i > 0) pcm.insert(pcm.end(), static_cast<std::size_t>(o.rate_hz), 0);  // 1 s pause
    pcm.insert(pcm.end(), file.begin(), file.end());
  }
  const double file_s = double(file.size()) / o.rate_hz;
  std::string table =
      "| streams | audio per stream (s) | finals | final latency p50 (ms) | p95 (ms) | max (ms) | clean ends | "
      "audio lost | failed | hushd CPU (% of one core) | machine CPU (%) |\n"
      "|---|---|---|---|---|---|---|---|---|---|---|\n";
  int largest_held = 0;
  bool all_held = true;
  for (const int streams : o.stream_counts) {
    const LevelRow r = run_level(o, pcm, streams, file_s);
    char line[512];
    std::snprintf(line, sizeof line, "| %d | %.1f | %zu | %.0f | %.0f | %.0f | %d/%d | %d | %d | %.0f | %.0f |\n", r.streams,
                  double(pcm.size()) / o.rate_hz, r.finals, r.p50_ms, r.p95_ms, r.max_ms, r.clean, r.streams,
                  r.lost_audio, r.failed, r.server_cpu_pct, r.machine_cpu_pct);
    table += line;
    std::printf("%s", line);
    std::fflush(stdout);
    if (r.held(o.max_p95_ms)) {
      largest_held = std::max(largest_held, streams);
    } else {
      all_held = false;
    }
  }
  char verdict[256];
  std::snprintf(verdict, sizeof verdict,
                "\nlargest stream count held (p95 final latency < %.0f ms, all clean, no audio lost): %d\n",
                o.max_p95_ms, largest_held);
  table += verdict;
  std::printf("\n%s", table.c_str());
  if (!o.markdown_path.empty()) std::ofstream(o.markdown_path) << table;
  return all_held ? 0 : 6;
}

}  // namespace hush::bench
