// hush-bench file-load: requests per second of hushd's file endpoint
// (`POST /v1/audio/transcriptions`, the OpenAI shape). C clients each send the same audio file
// back to back on a keep-alive connection until the level's requests are done. Reports
// requests/s, audio seconds transcribed per wall-clock second, latency percentiles (a
// request's latency includes its waits after 503 + Retry-After: hushd transcribes one file per
// core at once) and every failed answer.
#pragma once

#include <string>
#include <vector>

#include "apps/hush-bench/hushd_target.h"

namespace hush::bench {

struct FileLoadOptions {
  HushdTarget target;
  std::vector<int> concurrency = {1, 2, 4};
  int requests = 8;         // per concurrency level, in all
  std::string markdown_path;
};

int run_file_load_bench(const FileLoadOptions& options);

}  // namespace hush::bench
