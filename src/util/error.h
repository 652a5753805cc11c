// Internal error type: carries a public hush_error code and a one-line message for the user.
// C++ code inside Hush throws it; the C API and the CLI catch it at their boundary.
#pragma once

#include <stdexcept>
#include <string>

#include "hush.h"

namespace hush {

class Error : public std::runtime_error {
 public:
  Error(hush_error code, const std::string& message) : std::runtime_error(message), code_(code) {}
  hush_error code() const noexcept { return code_; }

 private:
  hush_error code_;
};

}  // namespace hush
