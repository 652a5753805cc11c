#include "apps/hush/call_setup.h"

#include <string>

#include "util/error.h"

namespace hush::cli {

CallPtr open_call(const hush_call_config& config) {
  hush_call* raw = nullptr;
  if (const int err = hush_call_create(&config, &raw); err < 0) {
    throw Error(static_cast<hush_error>(err), std::string("cannot set up the call pipeline: ") + hush_strerror(err));
  }
  return CallPtr(raw);
}

}  // namespace hush::cli
