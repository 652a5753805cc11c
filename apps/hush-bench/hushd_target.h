// What hush-bench's hushd load generators (listen, file-load) share: the server, the API key and
// the audio file they send.
#pragma once

#include <string>

#include "util/error.h"

namespace hush::bench {

struct HushdTarget {
  std::string host = "127.0.0.1";
  int port = 8321;
  std::string key;         // API key (or $HUSHD_KEY)
  std::string audio_path;  // any file Hush reads

  void require_key() const {
    if (key.empty()) throw Error(HUSH_ERR_INVALID_ARGUMENT, "--key (or $HUSHD_KEY) is required");
  }
};

}  // namespace hush::bench
