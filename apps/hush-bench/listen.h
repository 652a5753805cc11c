// hush-bench listen: streams a real audio file to hushd's live endpoint (`/v1/listen`, the
// Deepgram shape) at real-time pace from N concurrent clients, prints the first stream's
// messages as they arrive, and reports final-result latency (from the moment the audio that a
// final covers was sent to the moment the final arrived), whether every stream ended cleanly
// and whether the server heard all the audio sent (Metadata's duration), and the CPU used.
//
// --streams takes a list (10,20,30): one run per count, one table row each, then the largest
// count that held (p95 final latency under --max-p95-ms, every stream clean, no audio lost).
// Streams start staggered over one playing of the file, as calls in a call centre do, so
// utterance ends do not all fall on the same instant (--no-stagger starts them together).
#pragma once

#include <string>
#include <vector>

#include "apps/hush-bench/hushd_target.h"

namespace hush::bench {

struct ListenBenchOptions {
  HushdTarget target;        // the audio is sent as 16-bit PCM at --rate
  int rate_hz = 16000;
  std::vector<int> stream_counts = {1};
  int repeat = 1;           // the file is sent this many times per stream, 1 s of silence between
  bool stagger = true;
  double max_p95_ms = 1000;
  int server_pid = 0;       // when given: the server's CPU time (from /proc) per run
  double speed = 1.0;       // 1 = real time; 0 = as fast as possible
  int chunk_ms = 20;
  bool interim = true;
  bool print = true;        // print stream 0's messages
  std::string extra_query;  // appended to the query ("denoise=true&diarize=true", ...)
  std::string markdown_path;
};

int run_listen_bench(const ListenBenchOptions& options);

}  // namespace hush::bench
