// hush-bench listen: streams a real audio file to hushd's live endpoint (`/v1/listen`, the
// Deepgram shape) at real-time pace from N concurrent clients, prints the first stream's
// messages as they arrive, and reports final-result latency (from the moment the audio that a
// final covers was sent to the moment the final arrived) and whether every stream ended cleanly.
#pragma once

#include <string>

namespace hush::bench {

struct ListenBenchOptions {
  std::string host = "127.0.0.1";
  int port = 8321;
  std::string key;          // API key (or $HUSHD_KEY)
  std::string audio_path;   // any file Hush reads; sent as 16-bit PCM at --rate
  int rate_hz = 16000;
  int streams = 1;
  double speed = 1.0;       // 1 = real time; 0 = as fast as possible
  int chunk_ms = 20;
  bool interim = true;
  bool print = true;        // print stream 0's messages
  std::string extra_query;  // appended to the query ("denoise=true&diarize=true", ...)
  std::string markdown_path;
};

int run_listen_bench(const ListenBenchOptions& options);

}  // namespace hush::bench
