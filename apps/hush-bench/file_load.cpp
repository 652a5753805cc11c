#include "apps/hush-bench/file_load.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <thread>

#include "audio/audio_file.h"
#include "server/http_client.h"
#include "util/error.h"

namespace hush::bench {

namespace {

using Clock = std::chrono::steady_clock;

std::string multipart_body(const std::string& boundary, const std::string& filename, const std::string& bytes) {
  std::string body;
  body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n";
  body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename +
          "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
  body += bytes;
  body += "\r\n--" + boundary + "--\r\n";
  return body;
}

double percentile_ms(std::vector<double> v, double p) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  return 1000 * v[std::min(v.size() - 1, static_cast<std::size_t>(p * (v.size() - 1) + 0.5))];
}

}  // namespace

int run_file_load_bench(const FileLoadOptions& o) {
  const HushdTarget& t = o.target;
  t.require_key();
  const double audio_s = audio::read_audio(t.audio_path).duration_s();  // also checks it decodes
  std::ifstream in(t.audio_path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string boundary = "hushbench7d3f";
  const std::string body = multipart_body(boundary, std::filesystem::path(t.audio_path).filename().string(), bytes);
  const server::HeaderList headers = {{"Authorization", "Bearer " + t.key},
                                      {"Content-Type", "multipart/form-data; boundary=" + boundary}};

  std::string table =
      "| clients | requests | requests/s | audio s per wall s | latency p50 (ms) | p95 (ms) | 503 busy, retried | failed |\n"
      "|---|---|---|---|---|---|---|---|\n";
  int failures = 0;
  for (const int clients : o.concurrency) {
    std::atomic<int> next{0}, not_ok{0}, busy{0};
    std::mutex mutex;
    std::vector<double> latencies_s;
    const auto start = Clock::now();
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
      threads.emplace_back([&] {
        std::unique_ptr<server::HttpConnection> connection;
        while (next.fetch_add(1) < o.requests) {
          const auto sent = Clock::now();
          try {
            if (!connection || !connection->open()) {
              connection = std::make_unique<server::HttpConnection>(t.host, static_cast<std::uint16_t>(t.port));
            }
            auto r = connection->request("POST", "/v1/audio/transcriptions", headers, body);
            while (r.status == 503 && !r.header("retry-after").empty()) {  // as a polite client does
              ++busy;
              std::this_thread::sleep_for(std::chrono::seconds(std::atoi(r.header("retry-after").c_str())));
              if (!connection->open()) {
                connection = std::make_unique<server::HttpConnection>(t.host, static_cast<std::uint16_t>(t.port));
              }
              r = connection->request("POST", "/v1/audio/transcriptions", headers, body);
            }
            if (r.status != 200) {
              ++not_ok;
              std::fprintf(stderr, "hush-bench file-load: %d %s\n", r.status, r.body.substr(0, 200).c_str());
            }
          } catch (const std::exception& e) {
            ++not_ok;
            connection.reset();
            std::fprintf(stderr, "hush-bench file-load: %s\n", e.what());
          }
          std::lock_guard lock(mutex);
          latencies_s.push_back(std::chrono::duration<double>(Clock::now() - sent).count());
        }
      });
    }
    for (auto& thread : threads) thread.join();
    const double wall_s = std::chrono::duration<double>(Clock::now() - start).count();
    char line[256];
    std::snprintf(line, sizeof line, "| %d | %d | %.2f | %.1f | %.0f | %.0f | %d | %d |\n", clients, o.requests,
                  o.requests / wall_s, o.requests * audio_s / wall_s, percentile_ms(latencies_s, 0.5),
                  percentile_ms(latencies_s, 0.95), busy.load(), not_ok.load());
    std::printf("%s", line);
    std::fflush(stdout);
    table += line;
    failures += not_ok.load();
  }
  char note[160];
  std::snprintf(note, sizeof note, "\naudio file: %.1f s\n", audio_s);
  table += note;
  std::printf("\n%s", table.c_str());
  if (!o.markdown_path.empty()) std::ofstream(o.markdown_path) << table;
  return failures == 0 ? 0 : 6;
}

}  // namespace hush::bench
