#include "apps/hush-bench/listen.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <mutex>
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
    ws.connect(o.host, static_cast<std::uint16_t>(o.port), target, {{"Authorization", "Token " + o.key}});
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
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(due - Clock::now());
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

}  // namespace

int run_listen_bench(const ListenBenchOptions& o) {
  if (o.key.empty()) throw Error(HUSH_ERR_INVALID_ARGUMENT, "--key (or $HUSHD_KEY) is required");
  const auto pcm = pcm16(audio::read_audio(o.audio_path), o.rate_hz);
  const double audio_s = double(pcm.size()) / o.rate_hz;
  std::vector<StreamResult> results(static_cast<std::size_t>(o.streams));
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (int i = 0; i < o.streams; ++i) {
    threads.emplace_back([&, i] { results[i] = run_stream(o, pcm, o.print && i == 0); });
  }
  for (auto& t : threads) t.join();
  const double wall_s = std::chrono::duration<double>(Clock::now() - start).count();

  std::vector<double> latencies;
  int clean = 0, failed = 0;
  for (const auto& r : results) {
    latencies.insert(latencies.end(), r.final_latencies_s.begin(), r.final_latencies_s.end());
    clean += r.closed_cleanly && r.metadata && r.errors == 0;
    if (!r.failure.empty()) {
      ++failed;
      std::fprintf(stderr, "hush-bench listen: a stream failed: %s\n", r.failure.c_str());
    }
  }
  char table[1024];
  std::snprintf(table, sizeof table,
                "| streams | audio (s) | wall (s) | finals with words | final latency p50 (ms) | p95 (ms) | clean ends | failed |\n"
                "|---|---|---|---|---|---|---|---|\n"
                "| %d | %.1f | %.1f | %zu | %.0f | %.0f | %d/%d | %d |\n",
                o.streams, audio_s, wall_s, latencies.size(), percentile(latencies, 0.5) * 1000,
                percentile(latencies, 0.95) * 1000, clean, o.streams, failed);
  std::printf("\nstream 0 transcript: %s\n\n%s", results[0].transcript.c_str(), table);
  if (!o.markdown_path.empty()) std::ofstream(o.markdown_path) << table;
  return clean == o.streams ? 0 : 6;
}

}  // namespace hush::bench
