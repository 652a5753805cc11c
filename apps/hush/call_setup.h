// Creating a hush_call for the CLI commands that run the call pipeline (call, live): a failed
// create becomes a hush::Error with the library's message.
#pragma once

#include <memory>

#include "hush.h"

namespace hush::cli {

struct CallDeleter {
  void operator()(hush_call* c) const noexcept { hush_call_destroy(c); }
};
using CallPtr = std::unique_ptr<hush_call, CallDeleter>;

CallPtr open_call(const hush_call_config& config);

}  // namespace hush::cli
